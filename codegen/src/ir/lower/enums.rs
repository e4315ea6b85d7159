//! Named value sets to open enums: one variant per known value (named by
//! `naming`, or by the schema where a value makes no good name), one more
//! keeping any other string; a set of an exclusive kind's parts takes its
//! values from those parts.

use std::collections::BTreeMap;

use crate::check::Checked;
use crate::ir::{EnumItem, EnumValueItem};
use crate::naming::{self, Scope};
use crate::schema::EnumDef;

/// Name of the variant holding a value this version does not know.
const OTHER: &str = "Other";

/// The values of `e`: listed, or the wire names of the optional parts of
/// the exclusive type it names.
fn values(checked: &Checked, e: &EnumDef) -> Vec<(String, Option<String>, String)> {
    match &e.parts_of {
        Some(owner) => checked
            .type_named(owner)
            .map(|t| {
                t.fields
                    .iter()
                    .filter(|f| !f.def.required)
                    .map(|f| (f.def.name.clone(), None, f.def.summary.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        None => e
            .values
            .iter()
            .map(|v| (v.value.clone(), v.name.clone(), v.summary.clone()))
            .collect(),
    }
}

/// Lower every named set; `idents` holds their Rust names, `kinds` the Rust
/// names of the exclusive kind enums by type name.
pub fn lower(
    checked: &Checked,
    idents: &BTreeMap<String, String>,
    kinds: &BTreeMap<String, String>,
) -> Vec<EnumItem> {
    checked
        .schema
        .enums
        .iter()
        .map(|e| {
            let mut scope = Scope::with_reserved(&[OTHER]);
            let values = values(checked, e)
                .into_iter()
                .map(|(value, name, summary)| {
                    let part = e
                        .parts_of
                        .as_ref()
                        .map(|_| naming::field_variant_ident(&value));
                    let ident = match (&name, &part) {
                        (Some(n), _) => n.clone(),
                        (None, Some(p)) => p.clone(),
                        (None, None) => naming::type_ident(&value),
                    };
                    EnumValueItem {
                        ident: scope.claim_camel(ident),
                        value,
                        summary,
                        part,
                    }
                })
                .collect();
            let ident = idents[&e.name].clone();
            EnumItem {
                parts_fn: naming::field_ident(&e.name),
                ident,
                wire: e.name.clone(),
                summary: e.summary.clone(),
                values,
                other: OTHER.into(),
                parts_of: e.parts_of.as_ref().and_then(|o| kinds.get(o).cloned()),
            }
        })
        .collect()
}
