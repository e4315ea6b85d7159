//! Merging an import into the existing schema. Upstream decides the facts
//! (members, types, required flags, order); the existing schema keeps what is
//! curated by hand (summaries, error catalogue and references, pagination,
//! trims, exclusive kinds, synthetic names, variant names, and constraints).
//! Every disagreement with a curated fact is reported, never silently lost.

use super::build::Upstream;
use crate::schema::{Field, Method, Schema, TypeDef};

/// The merged schema and what upstream contradicted.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The new schema.
    pub schema: Schema,
    /// One line per curated fact upstream disagrees with.
    pub conflicts: Vec<String>,
}

fn constraint_keys(f: &Field) -> [(&'static str, Option<String>); 10] {
    let s = |v: Option<String>| v;
    [
        ("min", s(f.min.map(|x| x.to_string()))),
        ("max", s(f.max.map(|x| x.to_string()))),
        ("min_len", s(f.min_len.map(|x| x.to_string()))),
        ("max_len", s(f.max_len.map(|x| x.to_string()))),
        ("len_parsed_with", f.len_parsed_with.clone()),
        ("min_items", s(f.min_items.map(|x| x.to_string()))),
        ("max_items", s(f.max_items.map(|x| x.to_string()))),
        ("enum", f.allowed.as_ref().map(|a| a.join(","))),
        ("default", f.default.as_ref().map(ToString::to_string)),
        ("max_upload", f.max_upload.map(|x| x.to_string())),
    ]
}

fn copy_constraints(from: &Field, to: &mut Field) {
    to.min = from.min;
    to.max = from.max;
    to.min_len = from.min_len;
    to.max_len = from.max_len;
    to.len_unit = from.len_unit;
    to.len_parsed_with = from.len_parsed_with.clone();
    to.min_items = from.min_items;
    to.max_items = from.max_items;
    to.allowed = from.allowed.clone();
    to.default = from.default.clone();
    to.max_upload = from.max_upload;
}

fn has_constraints(f: &Field) -> bool {
    constraint_keys(f).iter().any(|(_, v)| v.is_some())
}

/// Merge one field: facts from upstream, curated parts from `old`.
fn merge_field(
    owner: &str,
    old: Option<&Field>,
    mut new: Field,
    conflicts: &mut Vec<String>,
) -> Field {
    let Some(old) = old else { return new };
    new.summary = old.summary.clone();
    new.curated = old.curated.clone();
    new.secret = old.secret;
    let at = format!("{owner}.{}", old.name);
    if old.curated.is_some() {
        if old.ty != new.ty {
            conflicts.push(format!(
                "{at}: curated type `{}` kept; upstream says `{}`",
                old.ty, new.ty
            ));
            new.ty = old.ty.clone();
        }
        if old.required != new.required {
            conflicts.push(format!(
                "{at}: curated required={} kept; upstream says {}",
                old.required, new.required
            ));
            new.required = old.required;
        }
    }
    let (o, n) = (constraint_keys(old), constraint_keys(&new));
    let differs: Vec<String> = o
        .iter()
        .zip(n.iter())
        .filter(|(a, b)| a.1 != b.1 && a.1.is_some())
        .map(|(a, b)| {
            format!(
                "{} {} (upstream: {})",
                a.0,
                a.1.clone().unwrap_or_default(),
                b.1.clone().unwrap_or_else(|| "none".into())
            )
        })
        .collect();
    if old.curated.is_some() || !has_constraints(&new) {
        if !differs.is_empty() && has_constraints(&new) {
            conflicts.push(format!(
                "{at}: curated constraints kept: {}",
                differs.join("; ")
            ));
        }
        if has_constraints(old) || old.curated.is_some() {
            copy_constraints(old, &mut new);
        }
    } else if !differs.is_empty() {
        conflicts.push(format!(
            "{at}: upstream constraints replace hand-written ones: {}",
            differs.join("; ")
        ));
    }
    new
}

fn merge_fields(
    owner: &str,
    old: &[Field],
    new: Vec<Field>,
    keep_only_old: bool,
    conflicts: &mut Vec<String>,
) -> Vec<Field> {
    let merged: Vec<Field> = new
        .into_iter()
        .filter(|f| !keep_only_old || old.iter().any(|o| o.name == f.name))
        .map(|f| {
            let prev = old.iter().find(|o| o.name == f.name);
            merge_field(owner, prev, f, conflicts)
        })
        .collect();
    for o in old
        .iter()
        .filter(|o| o.curated.is_some() && !merged.iter().any(|m| m.name == o.name))
    {
        conflicts.push(format!(
            "{owner}.{}: curated field is absent upstream; kept",
            o.name
        ));
    }
    let mut out = merged;
    for o in old.iter().filter(|o| o.curated.is_some()) {
        if !out.iter().any(|m| m.name == o.name) {
            out.push(o.clone());
        }
    }
    out
}

fn merge_method(old: Option<&Method>, mut new: Method, conflicts: &mut Vec<String>) -> Method {
    let Some(old) = old else { return new };
    new.summary = old.summary.clone();
    new.errors = old.errors.clone();
    new.paginated = old.paginated.clone();
    new.curated = old.curated.clone();
    if old.curated.is_some() && old.returns != new.returns {
        conflicts.push(format!(
            "{}: curated return type `{}` kept; upstream says `{}`",
            old.name, old.returns, new.returns
        ));
        new.returns = old.returns.clone();
    }
    new.params = merge_fields(
        &old.name,
        &old.params,
        std::mem::take(&mut new.params),
        false,
        conflicts,
    );
    new
}

fn merge_type(old: Option<&TypeDef>, mut new: TypeDef, conflicts: &mut Vec<String>) -> TypeDef {
    let Some(old) = old else { return new };
    new.summary = old.summary.clone();
    new.trimmed = old.trimmed.clone();
    new.exclusive_optional = old.exclusive_optional.clone();
    new.curated = old.curated.clone();
    if let (Some(nf), Some(of)) = (new.fields.take(), old.fields.as_ref()) {
        new.fields = Some(merge_fields(
            &old.name,
            of,
            nf,
            old.trimmed.is_some(),
            conflicts,
        ));
    } else if new.fields.is_none() && new.union.is_none() {
        new.fields = old.fields.clone();
    }
    if let (Some(nu), Some(ou)) = (new.union.as_mut(), old.union.as_ref()) {
        if nu.discriminator.is_none() && ou.discriminator.is_some() {
            nu.discriminator = ou.discriminator.clone();
            for v in &mut nu.variants {
                v.value = ou
                    .variants
                    .iter()
                    .find(|o| o.ty == v.ty)
                    .and_then(|o| o.value.clone());
            }
        }
        for v in &mut nu.variants {
            let old_v = ou.variants.iter().find(|o| o.ty == v.ty);
            v.name = old_v.and_then(|o| o.name.clone());
            v.fallback = old_v.is_some_and(|o| o.fallback);
            if v.fallback {
                v.value = None;
            }
        }
    }
    new
}

/// Merge `upstream` into `existing`.
pub fn merge(existing: &Schema, upstream: Upstream) -> Merged {
    let mut conflicts = Vec::new();
    let methods: Vec<Method> = upstream
        .methods
        .into_iter()
        .map(|m| {
            let old = existing.methods.iter().find(|o| o.name == m.name);
            merge_method(old, m, &mut conflicts)
        })
        .collect();
    let upstream_synthetic: Vec<TypeDef> = upstream
        .types
        .iter()
        .filter(|t| t.synthetic)
        .cloned()
        .collect();
    let mut types: Vec<TypeDef> = upstream
        .types
        .into_iter()
        .filter(|t| {
            !t.synthetic
                || !existing
                    .types
                    .iter()
                    .any(|o| o.synthetic && same_union(o, t))
        })
        .map(|t| {
            let old = existing
                .types
                .iter()
                .find(|o| o.name == t.name && o.synthetic == t.synthetic);
            merge_type(old, t, &mut conflicts)
        })
        .collect();
    // Synthetic unions and curated types the schema defines itself stay; a
    // kept synthetic union learns a discriminator upstream now implies.
    for o in &existing.types {
        if !types.iter().any(|t| t.name == o.name) && (o.synthetic || o.curated.is_some()) {
            if o.curated.is_some() && !o.synthetic {
                conflicts.push(format!("{}: curated type is absent upstream; kept", o.name));
            }
            let mut kept = o.clone();
            let implied = upstream_synthetic
                .iter()
                .find(|t| same_union(t, o))
                .and_then(|t| t.union.clone());
            if let (Some(ku), Some(iu)) = (kept.union.as_mut(), implied) {
                if ku.discriminator.is_none() && iu.discriminator.is_some() {
                    ku.discriminator = iu.discriminator;
                    for v in &mut ku.variants {
                        v.value = iu
                            .variants
                            .iter()
                            .find(|x| x.ty == v.ty)
                            .and_then(|x| x.value.clone());
                    }
                }
            }
            types.push(kept);
        }
    }
    let mut methods = methods;
    for o in existing.methods.iter().filter(|o| o.curated.is_some()) {
        if !methods.iter().any(|m| m.name == o.name) {
            conflicts.push(format!(
                "{}: curated method is absent upstream; kept",
                o.name
            ));
            methods.push(o.clone());
        }
    }
    let schema = Schema {
        json_schema: existing.json_schema.clone(),
        version: upstream.version,
        release_date: upstream.release_date,
        doc_url: existing.doc_url.clone(),
        notes: existing.notes.clone(),
        errors: existing.errors.clone(),
        methods,
        types,
    };
    Merged { schema, conflicts }
}

fn same_union(a: &TypeDef, b: &TypeDef) -> bool {
    let set = |t: &TypeDef| -> std::collections::BTreeSet<String> {
        t.union
            .iter()
            .flat_map(|u| u.variants.iter().map(|v| v.ty.clone()))
            .collect()
    };
    set(a) == set(b)
}
