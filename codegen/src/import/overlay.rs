//! Curated patches applied on top of an upstream description
//! (`schema/curation.json`): used when upstream lags behind Telegram, as
//! with Bot API 10.3, whose changes are known only as notes. The patches
//! name the upstream version they apply to; each says when it is no longer
//! needed because upstream caught up.

use serde::{Deserialize, Serialize};

use super::build::{add_synthetic, Upstream};
use crate::schema::{Field, TypeDef, Variant};

/// The patch file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// Upstream version the patches are written against (`10.2`).
    pub applies_to: String,
    /// Version the result describes (`10.3`).
    pub version: String,
    /// Its release date.
    pub release_date: String,
    /// Where the facts come from (ours).
    #[serde(default)]
    pub notes: Vec<String>,
    /// The patches, applied in order.
    pub patches: Vec<Patch>,
}

/// One curated change.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Patch {
    /// Add a type after another (or last).
    AddType {
        /// The type.
        #[serde(rename = "type")]
        def: TypeDef,
        /// Insert after this type.
        #[serde(default)]
        after: Option<String>,
    },
    /// Add a field to an object type.
    AddField {
        /// Owner type.
        #[serde(rename = "type")]
        owner: String,
        /// The field.
        field: Field,
        /// Insert after this field (or first with `""`, last when absent).
        #[serde(default)]
        after: Option<String>,
    },
    /// Add a parameter to a method.
    AddParam {
        /// Owner method.
        method: String,
        /// The parameter.
        field: Field,
        /// Insert after this parameter (or last).
        #[serde(default)]
        after: Option<String>,
    },
    /// Remove a parameter from a method.
    RemoveParam {
        /// Owner method.
        method: String,
        /// Parameter name.
        name: String,
    },
    /// Change whether a parameter or field is required.
    SetRequired {
        /// Owner method or type.
        owner: String,
        /// Parameter or field.
        name: String,
        /// New flag.
        required: bool,
    },
    /// Change the type of a parameter or field.
    SetType {
        /// Owner method or type.
        owner: String,
        /// Parameter or field.
        name: String,
        /// New type expression.
        #[serde(rename = "type")]
        ty: String,
    },
    /// Add a variant to a union.
    AddVariant {
        /// The union.
        union: String,
        /// The variant.
        variant: Variant,
        /// Insert after this variant type (or last).
        #[serde(default)]
        after: Option<String>,
    },
}

fn insert_after<T>(list: &mut Vec<T>, item: T, after: Option<&str>, key: impl Fn(&T) -> &str) {
    let at = match after {
        None => list.len(),
        Some("") => 0,
        Some(a) => list
            .iter()
            .position(|x| key(x) == a)
            .map_or(list.len(), |i| i + 1),
    };
    list.insert(at, item);
}

fn fields_of<'a>(up: &'a mut Upstream, owner: &str) -> Option<&'a mut Vec<Field>> {
    if let Some(m) = up.methods.iter_mut().find(|m| m.name == owner) {
        return Some(&mut m.params);
    }
    up.types
        .iter_mut()
        .find(|t| t.name == owner)
        .and_then(|t| t.fields.as_mut())
}

/// Apply `overlay` when `up` is the version it was written for. Returns notes:
/// patches upstream already satisfies, targets that do not exist, or why the
/// whole overlay was skipped.
pub fn apply(overlay: &Overlay, up: &mut Upstream) -> Vec<String> {
    if up.version != overlay.applies_to {
        return vec![format!(
            "curation for {} (written against {}) not applied: the import is {}; drop or rewrite it once upstream has the changes",
            overlay.version, overlay.applies_to, up.version
        )];
    }
    let mut notes = Vec::new();
    for p in &overlay.patches {
        if let Some(n) = apply_one(p, up) {
            notes.push(n);
        }
    }
    up.version = overlay.version.clone();
    up.release_date = overlay.release_date.clone();
    // Name the `X or Y` types as they are after the patches.
    up.types.retain(|t| !t.synthetic);
    let methods = up.methods.clone();
    add_synthetic(&mut up.types, &methods);
    notes
}

fn apply_one(p: &Patch, up: &mut Upstream) -> Option<String> {
    match p {
        Patch::AddType { def, after } => {
            if up.types.iter().any(|t| t.name == def.name) {
                return Some(format!("add_type {}: upstream has it already", def.name));
            }
            insert_after(&mut up.types, def.clone(), after.as_deref(), |t| &t.name);
        }
        Patch::AddField {
            owner,
            field,
            after,
        }
        | Patch::AddParam {
            method: owner,
            field,
            after,
        } => {
            let Some(list) = fields_of(up, owner) else {
                return Some(format!("add {owner}.{}: no such owner", field.name));
            };
            if list.iter().any(|f| f.name == field.name) {
                return Some(format!(
                    "add {owner}.{}: upstream has it already",
                    field.name
                ));
            }
            insert_after(list, field.clone(), after.as_deref(), |f| &f.name);
        }
        Patch::RemoveParam { method, name } => {
            let Some(list) = fields_of(up, method) else {
                return Some(format!("remove {method}.{name}: no such method"));
            };
            let before = list.len();
            list.retain(|f| &f.name != name);
            if list.len() == before {
                return Some(format!(
                    "remove {method}.{name}: upstream does not have it any more"
                ));
            }
        }
        Patch::SetRequired {
            owner,
            name,
            required,
        } => {
            let f = fields_of(up, owner).and_then(|l| l.iter_mut().find(|f| &f.name == name));
            let Some(f) = f else {
                return Some(format!("set_required {owner}.{name}: not found"));
            };
            if f.required == *required {
                return Some(format!(
                    "set_required {owner}.{name}: upstream agrees already"
                ));
            }
            f.required = *required;
        }
        Patch::SetType { owner, name, ty } => {
            let f = fields_of(up, owner).and_then(|l| l.iter_mut().find(|f| &f.name == name));
            let Some(f) = f else {
                return Some(format!("set_type {owner}.{name}: not found"));
            };
            if &f.ty == ty {
                return Some(format!("set_type {owner}.{name}: upstream agrees already"));
            }
            f.ty = ty.clone();
        }
        Patch::AddVariant {
            union,
            variant,
            after,
        } => {
            let u = up
                .types
                .iter_mut()
                .find(|t| &t.name == union)
                .and_then(|t| t.union.as_mut());
            let Some(u) = u else {
                return Some(format!("add_variant {union}: no such union"));
            };
            if u.variants.iter().any(|v| v.ty == variant.ty) {
                return Some(format!(
                    "add_variant {union}.{}: upstream has it already",
                    variant.ty
                ));
            }
            insert_after(&mut u.variants, variant.clone(), after.as_deref(), |v| {
                &v.ty
            });
        }
    }
    None
}
