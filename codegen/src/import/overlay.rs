//! Curated patches applied on top of an upstream description
//! (`schema/curation.json`): used when upstream lags behind Telegram, as with
//! Bot API 10.3 to 10.5, whose changes are known only from notes. The file
//! holds one layer per version; each names the version it is written
//! against, so an import applies the chain of layers that starts at the
//! upstream's version, and says which layers upstream has caught up with.

use serde::{Deserialize, Serialize};

use super::build::{add_synthetic, Upstream};
use crate::schema::{
    version_key, Field, Method, PreviousReturn, Provenance, Rename, TypeDef, TypeExpr, Variant,
};

/// The curation file: layers of patches, oldest first.
#[derive(Debug, Clone, Serialize)]
pub struct Overlay {
    /// Where the facts come from (ours).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// One layer per Bot API version, in version order.
    pub layers: Vec<Layer>,
}

/// The layered file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Layered {
    #[serde(rename = "$comment", default)]
    _comment: Option<String>,
    #[serde(default)]
    notes: Vec<String>,
    layers: Vec<Layer>,
}

impl<'de> Deserialize<'de> for Overlay {
    /// The layered file, or (as written before 10.4) a single layer at the
    /// top. The shape is told by the `layers` key, so an error inside either
    /// names what is wrong rather than that neither shape fits.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let layered = value.get("layers").is_some();
        let overlay = if layered {
            serde_json::from_value::<Layered>(value).map(|l| Overlay {
                notes: l.notes,
                layers: l.layers,
            })
        } else {
            serde_json::from_value::<Layer>(value).map(|layer| Overlay {
                notes: Vec::new(),
                layers: vec![layer],
            })
        };
        overlay.map_err(serde::de::Error::custom)
    }
}

impl Overlay {
    /// Read a curation file's text; errors name the JSON path, line and
    /// column of the problem.
    pub fn from_json(text: &str) -> Result<Overlay, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut de = serde_json::Deserializer::from_str(text);
        let at = |e: serde_path_to_error::Error<serde_json::Error>| {
            format!("at `{}`: {}", e.path(), e.inner())
        };
        if value.get("layers").is_some() {
            let l: Layered = serde_path_to_error::deserialize(&mut de).map_err(at)?;
            Ok(Overlay {
                notes: l.notes,
                layers: l.layers,
            })
        } else {
            let layer: Layer = serde_path_to_error::deserialize(&mut de).map_err(at)?;
            Ok(Overlay {
                notes: Vec::new(),
                layers: vec![layer],
            })
        }
    }
}

/// The curated changes of one Bot API version.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Version the patches are written against (`10.3`).
    pub applies_to: String,
    /// Version the result describes (`10.4`).
    pub version: String,
    /// Its release date.
    pub release_date: String,
    /// Where the facts come from (ours).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The patches, applied in order.
    pub patches: Vec<Patch>,
    /// How bot authors move past the breaking changes of this version (ours),
    /// for the changelog.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub migrations: Vec<Migration>,
}

/// A migration note for items of the change report.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Migration {
    /// Report items it concerns (`getMe`, `User.can_join_groups`).
    pub items: Vec<String>,
    /// What to change in a bot (ours, short).
    pub note: String,
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
    /// Add a method after another (or last).
    AddMethod {
        /// The method.
        method: Method,
        /// Insert after this method.
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
    /// Remove a field from an object type.
    RemoveField {
        /// Owner type.
        #[serde(rename = "type")]
        owner: String,
        /// Field name.
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
        /// Marks the change as resting on secondary or single sources.
        #[serde(default)]
        provenance: Option<Provenance>,
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
        /// Marks the change as resting on secondary or single sources.
        #[serde(default)]
        provenance: Option<Provenance>,
    },
    /// Change what a method returns; the old type is recorded in its
    /// `previous_returns`, so replies of older servers still decode.
    SetReturns {
        /// The method.
        method: String,
        /// New return type expression.
        returns: String,
        /// Marks the change as resting on secondary or single sources.
        #[serde(default)]
        provenance: Option<Provenance>,
    },
    /// Rename a type everywhere; the old name is recorded in its
    /// `renamed_from` (the generator keeps it as a deprecated alias).
    RenameType {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
        /// Marks the rename as resting on secondary or single sources.
        #[serde(default)]
        provenance: Option<Provenance>,
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

/// The description after each step of an import: the upstream as read,
/// then one per curation layer applied.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Bot API version it describes.
    pub version: String,
    /// The facts.
    pub upstream: Upstream,
    /// The layer that produced it (`None` for the upstream as read).
    pub layer: Option<usize>,
}

/// Apply the chain of layers that starts at `up`'s version. Returns every
/// snapshot (the upstream first) and notes: patches upstream already
/// satisfies, targets that do not exist, layers skipped and why.
pub fn apply_layers(overlay: &Overlay, up: Upstream) -> (Vec<Snapshot>, Vec<String>) {
    let mut notes = Vec::new();
    let mut snapshots = vec![Snapshot {
        version: up.version.clone(),
        upstream: up,
        layer: None,
    }];
    for (i, layer) in overlay.layers.iter().enumerate() {
        let Some(last) = snapshots.last() else { break };
        let at = last.version.clone();
        if version_key(&layer.version) <= version_key(&at) {
            notes.push(format!(
                "curation layer {} (written against {}) skipped: the import is at {at} already; drop the layer once its facts are confirmed",
                layer.version, layer.applies_to
            ));
            continue;
        }
        if layer.applies_to != at {
            notes.push(format!(
                "curation layer {} (written against {}) not applied: the import is at {at}; drop or rewrite it once upstream has the changes",
                layer.version, layer.applies_to
            ));
            break;
        }
        let mut next = last.upstream.clone();
        notes.extend(apply(layer, &mut next));
        snapshots.push(Snapshot {
            version: layer.version.clone(),
            upstream: next,
            layer: Some(i),
        });
    }
    (snapshots, notes)
}

/// Apply one layer to `up` (which is at `layer.applies_to`). Returns notes:
/// patches upstream already satisfies and targets that do not exist.
pub fn apply(layer: &Layer, up: &mut Upstream) -> Vec<String> {
    let mut notes = Vec::new();
    for p in &layer.patches {
        if let Some(n) = apply_one(p, layer, up) {
            notes.push(format!("{}: {n}", layer.version));
        }
    }
    up.version = layer.version.clone();
    up.release_date = layer.release_date.clone();
    // Name the `X or Y` types as they are after the patches.
    up.types.retain(|t| !t.synthetic);
    let methods = up.methods.clone();
    add_synthetic(&mut up.types, &methods);
    notes
}

fn apply_one(p: &Patch, layer: &Layer, up: &mut Upstream) -> Option<String> {
    match p {
        Patch::AddType { def, after } => {
            if up.types.iter().any(|t| t.name == def.name) {
                return Some(format!("add_type {}: upstream has it already", def.name));
            }
            insert_after(&mut up.types, def.clone(), after.as_deref(), |t| &t.name);
        }
        Patch::AddMethod { method, after } => {
            if up.methods.iter().any(|m| m.name == method.name) {
                return Some(format!(
                    "add_method {}: upstream has it already",
                    method.name
                ));
            }
            insert_after(&mut up.methods, method.clone(), after.as_deref(), |m| {
                &m.name
            });
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
        Patch::RemoveParam {
            method: owner,
            name,
        }
        | Patch::RemoveField { owner, name } => {
            let Some(list) = fields_of(up, owner) else {
                return Some(format!("remove {owner}.{name}: no such owner"));
            };
            let before = list.len();
            list.retain(|f| &f.name != name);
            if list.len() == before {
                return Some(format!(
                    "remove {owner}.{name}: upstream does not have it any more"
                ));
            }
        }
        Patch::SetRequired {
            owner,
            name,
            required,
            provenance,
        } => {
            let f = fields_of(up, owner).and_then(|l| l.iter_mut().find(|f| &f.name == name));
            let Some(f) = f else {
                return Some(format!("set_required {owner}.{name}: not found"));
            };
            if provenance.is_some() {
                f.provenance = provenance.clone();
            }
            if f.required == *required {
                return Some(format!(
                    "set_required {owner}.{name}: upstream agrees already"
                ));
            }
            f.required = *required;
        }
        Patch::SetType {
            owner,
            name,
            ty,
            provenance,
        } => {
            let f = fields_of(up, owner).and_then(|l| l.iter_mut().find(|f| &f.name == name));
            let Some(f) = f else {
                return Some(format!("set_type {owner}.{name}: not found"));
            };
            if provenance.is_some() {
                f.provenance = provenance.clone();
            }
            if &f.ty == ty {
                return Some(format!("set_type {owner}.{name}: upstream agrees already"));
            }
            f.ty = ty.clone();
        }
        Patch::SetReturns {
            method,
            returns,
            provenance,
        } => {
            let Some(m) = up.methods.iter_mut().find(|m| &m.name == method) else {
                return Some(format!("set_returns {method}: no such method"));
            };
            if provenance.is_some() {
                m.provenance = provenance.clone();
            }
            if &m.returns == returns {
                return Some(format!("set_returns {method}: upstream agrees already"));
            }
            let old = std::mem::replace(&mut m.returns, returns.clone());
            m.previous_returns.push(PreviousReturn {
                ty: old,
                until: layer.applies_to.clone(),
            });
        }
        Patch::RenameType {
            from,
            to,
            provenance,
        } => {
            if up.types.iter().any(|t| &t.name == to) {
                return Some(format!(
                    "rename_type {from} -> {to}: upstream has {to} already"
                ));
            }
            let Some(t) = up.types.iter_mut().find(|t| &t.name == from) else {
                return Some(format!("rename_type {from} -> {to}: no type {from}"));
            };
            t.name = to.clone();
            t.doc = Some(format!("#{}", to.to_lowercase()));
            t.renamed_from.push(Rename {
                name: from.clone(),
                version: layer.version.clone(),
            });
            if provenance.is_some() {
                t.provenance = provenance.clone();
            }
            rename_references(up, from, to);
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

/// Rewrite every type expression of `up` that names `from` to name `to`.
pub fn rename_references(up: &mut Upstream, from: &str, to: &str) {
    let fix = |s: &mut String| {
        if let Ok(e) = TypeExpr::parse(s) {
            let renamed = e.rename(from, to);
            if renamed != e {
                *s = renamed.to_string();
            }
        }
    };
    for m in &mut up.methods {
        fix(&mut m.returns);
        m.params.iter_mut().for_each(|p| fix(&mut p.ty));
        m.previous_returns.iter_mut().for_each(|r| fix(&mut r.ty));
    }
    for t in &mut up.types {
        t.fields.iter_mut().flatten().for_each(|f| fix(&mut f.ty));
        if let Some(u) = &mut t.union {
            u.variants.iter_mut().for_each(|v| fix(&mut v.ty));
        }
    }
    for l in up.listed.iter_mut().filter(|l| l.owner == from) {
        l.owner = to.to_string();
    }
}
