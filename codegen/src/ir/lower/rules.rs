//! Rules across fields, by their Rust field names.

use crate::ir::{FieldItem, FieldRef, RuleItem, RustType};
use crate::schema::Rule;

/// `rules` over `fields` (already lowered). A rule naming a field that is
/// not among them cannot pass the checker; such a name is kept as its own
/// Rust name, which then fails to compile rather than being dropped.
pub fn lower(rules: &[Rule], fields: &[FieldItem]) -> Vec<RuleItem> {
    let r = |wire: &String| {
        let f = fields.iter().find(|f| &f.wire == wire);
        FieldRef {
            wire: wire.clone(),
            ident: f.map_or_else(|| wire.clone(), |f| f.ident.clone()),
            flag: f.is_some_and(|f| f.ty == RustType::Bool),
        }
    };
    let all = |names: &[String]| names.iter().map(r).collect::<Vec<_>>();
    rules
        .iter()
        .map(|rule| match rule {
            Rule::ExactlyOne { fields, .. } => RuleItem::ExactlyOne(all(fields)),
            Rule::AtMostOne { fields, .. } => RuleItem::AtMostOne(all(fields)),
            Rule::AtLeastOne { fields, .. } => RuleItem::AtLeastOne(all(fields)),
            Rule::OneGroup { groups, .. } => {
                RuleItem::OneGroup(groups.iter().map(|g| all(g)).collect())
            }
            Rule::RequiredUnless { field, unless, .. } => RuleItem::RequiredUnless {
                field: r(field),
                unless: all(unless),
            },
            Rule::RequiredWith { field, with, .. } => RuleItem::RequiredWith {
                field: r(field),
                with: r(with),
            },
        })
        .collect()
}
