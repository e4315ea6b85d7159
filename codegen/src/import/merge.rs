//! Merging an import into the existing schema. Upstream decides the facts
//! (members, types, required flags, order); the existing schema keeps what is
//! curated by hand (summaries, error catalogue and references, pagination,
//! trims, exclusive kinds, synthetic names, variant names, renames, versions
//! and constraints). Every disagreement with a curated fact is reported,
//! never silently lost.
//!
//! Facts marked with a `provenance` (they rest on secondary or single
//! sources) are compared with an upstream at or past their version: what
//! upstream confirms loses its mark, what it contradicts is kept as it is,
//! mark included, until a person decides ([`Marks`]).

use super::build::Upstream;
use super::differences::*;
use super::overlay::rename_references;
use crate::schema::{version_key, Field, Method, Provenance, Schema, TypeDef, TypeExpr};

/// The merged schema and what upstream contradicted.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The new schema.
    pub schema: Schema,
    /// One line per curated fact upstream disagrees with.
    pub conflicts: Vec<String>,
    /// Marked facts upstream confirmed or contradicted.
    pub marks: Marks,
}

/// What an upstream description said about the facts marked in the schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// Facts upstream agrees with; their mark was dropped.
    pub confirmed: Vec<String>,
    /// Facts upstream disagrees with (or lacks); ours were kept, mark and all.
    pub contradicted: Vec<String>,
}

/// Compares marked facts with an upstream at version `upto` (none: compare nothing).
struct Cx<'a> {
    upto: Option<&'a str>,
    conflicts: Vec<String>,
    marks: Marks,
    /// Types whose marked rename upstream contradicted: their mark stays,
    /// whatever their fields say.
    rename_contradicted: Vec<String>,
}

impl Cx<'_> {
    /// Is this mark about a version the upstream being merged describes?
    fn comparable(&self, p: Option<&Provenance>) -> bool {
        match (p, self.upto) {
            (Some(p), Some(v)) => version_key(&p.version) <= version_key(v),
            _ => false,
        }
    }

    fn outcome(&mut self, at: &str, p: Option<&Provenance>, differences: &[String]) -> bool {
        let label = p.map_or_else(String::new, |p| {
            format!(
                " ({}, {})",
                p.version,
                serde_json::to_value(p.basis)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            )
        });
        if differences.is_empty() {
            self.marks
                .confirmed
                .push(format!("{at}{label}: upstream agrees; mark dropped"));
            true
        } else {
            self.marks.contradicted.push(format!(
                "{at}{label}: {}; ours kept until someone decides",
                differences.join("; ")
            ));
            false
        }
    }
}

/// Merge one field: facts from upstream, curated parts from `old`.
fn merge_field(cx: &mut Cx, owner: &str, old: Option<&Field>, mut new: Field) -> Field {
    let Some(old) = old else { return new };
    let at = format!("{owner}.{}", old.name);
    if cx.comparable(old.provenance.as_ref()) {
        let differences = field_differences(old, &new);
        if !cx.outcome(&at, old.provenance.as_ref(), &differences) {
            return old.clone();
        }
        let mut confirmed = merge_field_facts(cx, &at, old, new);
        confirmed.provenance = None;
        return confirmed;
    }
    new.provenance = new.provenance.take().or_else(|| old.provenance.clone());
    merge_field_facts(cx, &at, old, new)
}

fn merge_field_facts(cx: &mut Cx, at: &str, old: &Field, mut new: Field) -> Field {
    new.summary = old.summary.clone();
    new.curated = old.curated.clone();
    new.secret = old.secret;
    new.enum_type = new.enum_type.take().or_else(|| old.enum_type.clone());
    new.id_of = new.id_of.or(old.id_of);
    new.since = old.since.clone().or(new.since);
    if old.curated.is_some() {
        if old.ty != new.ty {
            cx.conflicts.push(format!(
                "{at}: curated type `{}` kept; upstream says `{}`",
                old.ty, new.ty
            ));
            new.ty = old.ty.clone();
        }
        if old.required != new.required {
            cx.conflicts.push(format!(
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
            cx.conflicts.push(format!(
                "{at}: curated constraints kept: {}",
                differs.join("; ")
            ));
        }
        if has_constraints(old) || old.curated.is_some() {
            copy_constraints(old, &mut new);
        }
    } else if !differs.is_empty() {
        cx.conflicts.push(format!(
            "{at}: upstream constraints replace hand-written ones: {}",
            differs.join("; ")
        ));
    }
    new
}

fn merge_fields(
    cx: &mut Cx,
    owner: &str,
    old: &[Field],
    new: Vec<Field>,
    keep_only_old: bool,
) -> Vec<Field> {
    let mut out: Vec<Field> = new
        .into_iter()
        .filter(|f| !keep_only_old || old.iter().any(|o| o.name == f.name))
        .map(|f| {
            let prev = old.iter().find(|o| o.name == f.name);
            merge_field(cx, owner, prev, f)
        })
        .collect();
    for o in old {
        if out.iter().any(|m| m.name == o.name) {
            continue;
        }
        if cx.comparable(o.provenance.as_ref()) {
            let at = format!("{owner}.{}", o.name);
            cx.outcome(&at, o.provenance.as_ref(), &["absent upstream".into()]);
            out.push(o.clone());
        } else if o.curated.is_some() {
            cx.conflicts.push(format!(
                "{owner}.{}: curated field is absent upstream; kept",
                o.name
            ));
            out.push(o.clone());
        }
    }
    out
}

fn merge_method(cx: &mut Cx, old: Option<&Method>, mut new: Method) -> Method {
    let Some(old) = old else { return new };
    let mut drop_mark = false;
    if cx.comparable(old.provenance.as_ref()) {
        let differences = method_differences(old, &new);
        if !cx.outcome(&old.name, old.provenance.as_ref(), &differences) {
            return old.clone();
        }
        drop_mark = true;
    }
    new.summary = old.summary.clone();
    new.errors = old.errors.clone();
    new.paginated = old.paginated.clone();
    new.idempotent = old.idempotent;
    merge_rules(&mut new.rules, &old.rules);
    new.curated = old.curated.clone();
    new.since = old.since.clone().or(new.since);
    if new.previous_returns.is_empty() {
        new.previous_returns = old.previous_returns.clone();
    }
    new.provenance = if drop_mark {
        None
    } else {
        new.provenance.take().or_else(|| old.provenance.clone())
    };
    if old.curated.is_some() && old.returns != new.returns {
        cx.conflicts.push(format!(
            "{}: curated return type `{}` kept; upstream says `{}`",
            old.name, old.returns, new.returns
        ));
        new.returns = old.returns.clone();
    }
    new.params = merge_fields(
        cx,
        &old.name,
        &old.params,
        std::mem::take(&mut new.params),
        false,
    );
    new
}

fn merge_type(cx: &mut Cx, old: Option<&TypeDef>, mut new: TypeDef) -> TypeDef {
    let Some(old) = old else { return new };
    let mut drop_mark = false;
    if cx.comparable(old.provenance.as_ref()) && !cx.rename_contradicted.contains(&old.name) {
        let differences = type_differences(old, &new);
        if !cx.outcome(&old.name, old.provenance.as_ref(), &differences) {
            return old.clone();
        }
        drop_mark = true;
    }
    new.summary = old.summary.clone();
    new.trimmed = old.trimmed.clone();
    new.exclusive_optional = old.exclusive_optional.clone();
    new.accessors = old.accessors.clone();
    merge_rules(&mut new.rules, &old.rules);
    new.curated = old.curated.clone();
    new.since = old.since.clone().or(new.since);
    for r in &old.renamed_from {
        if !new.renamed_from.iter().any(|x| x.name == r.name) {
            new.renamed_from.push(r.clone());
        }
    }
    new.provenance = if drop_mark {
        None
    } else {
        new.provenance.take().or_else(|| old.provenance.clone())
    };
    if let (Some(nf), Some(of)) = (new.fields.take(), old.fields.as_ref()) {
        new.fields = Some(merge_fields(cx, &old.name, of, nf, old.trimmed.is_some()));
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
            v.id_of = v.id_of.or(old_v.and_then(|o| o.id_of));
            v.fallback = old_v.is_some_and(|o| o.fallback);
            if v.fallback {
                v.value = None;
            }
            let mark = old_v.and_then(|o| o.provenance.as_ref());
            if cx.comparable(mark) {
                let at = format!("{}.{}", old.name, v.ty);
                cx.outcome(&at, mark, &[]);
                v.provenance = None;
            } else if v.provenance.is_none() {
                v.provenance = mark.cloned();
            }
        }
        for o in &ou.variants {
            if nu.variants.iter().any(|v| v.ty == o.ty) || !cx.comparable(o.provenance.as_ref()) {
                continue;
            }
            let at = format!("{}.{}", old.name, o.ty);
            cx.outcome(&at, o.provenance.as_ref(), &["absent upstream".into()]);
            nu.variants.push(o.clone());
        }
    }
    new
}

/// Renames recorded in the schema hold for upstream descriptions that still
/// use the old name: the upstream type takes our name. A marked rename that
/// upstream at its version does not make is reported as contradicted.
fn apply_renames(cx: &mut Cx, existing: &Schema, upstream: &mut Upstream) {
    for t in &existing.types {
        for r in &t.renamed_from {
            let has_new = upstream.types.iter().any(|u| u.name == t.name);
            let has_old = upstream.types.iter().any(|u| u.name == r.name);
            let marked = cx.comparable(t.provenance.as_ref())
                && version_key(&r.version) <= version_key(cx.upto.unwrap_or(""));
            if has_old && !has_new {
                if marked {
                    cx.marks.contradicted.push(format!(
                        "{} (rename in {}): upstream still calls it {}; our name kept",
                        t.name, r.version, r.name
                    ));
                    cx.rename_contradicted.push(t.name.clone());
                }
                if let Some(u) = upstream.types.iter_mut().find(|u| u.name == r.name) {
                    u.name = t.name.clone();
                    u.doc = t.doc.clone();
                }
                rename_references(upstream, &r.name, &t.name);
            }
        }
    }
}

/// Merge `upstream` into `existing`. Marked facts are compared when
/// `compare_up_to` (the upstream's own version, before any curation layer)
/// is at or past their version.
pub fn merge(existing: &Schema, mut upstream: Upstream, compare_up_to: Option<&str>) -> Merged {
    let mut cx = Cx {
        upto: compare_up_to,
        conflicts: Vec::new(),
        marks: Marks::default(),
        rename_contradicted: Vec::new(),
    };
    apply_renames(&mut cx, existing, &mut upstream);
    // Renames upstream (or a curation layer) made: what the schema keeps of
    // its own (synthetic unions, curated entries) follows them.
    let existing = &follow_renames(existing, &upstream);
    let mut methods: Vec<Method> = Vec::new();
    for m in upstream.methods {
        let old = existing.methods.iter().find(|o| o.name == m.name);
        methods.push(merge_method(&mut cx, old, m));
    }
    let upstream_synthetic: Vec<TypeDef> = upstream
        .types
        .iter()
        .filter(|t| t.synthetic)
        .cloned()
        .collect();
    let mut types: Vec<TypeDef> = Vec::new();
    for t in upstream.types {
        if t.synthetic
            && existing
                .types
                .iter()
                .any(|o| o.synthetic && same_union(o, &t))
        {
            continue;
        }
        // A type renamed by this import carries on from its old name.
        let old = existing
            .types
            .iter()
            .find(|o| o.name == t.name && o.synthetic == t.synthetic)
            .or_else(|| {
                existing
                    .types
                    .iter()
                    .find(|o| !o.synthetic && t.renamed_from.iter().any(|r| r.name == o.name))
            });
        types.push(merge_type(&mut cx, old, t));
    }
    // Synthetic unions and curated types the schema defines itself stay; a
    // kept synthetic union learns a discriminator upstream now implies.
    for o in &existing.types {
        if types.iter().any(|t| t.name == o.name) {
            continue;
        }
        if cx.comparable(o.provenance.as_ref()) {
            cx.outcome(&o.name, o.provenance.as_ref(), &["absent upstream".into()]);
            types.push(o.clone());
            continue;
        }
        if !(o.synthetic || o.curated.is_some()) {
            continue;
        }
        if o.curated.is_some() && !o.synthetic {
            cx.conflicts
                .push(format!("{}: curated type is absent upstream; kept", o.name));
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
    for o in &existing.methods {
        if methods.iter().any(|m| m.name == o.name) {
            continue;
        }
        if cx.comparable(o.provenance.as_ref()) {
            cx.outcome(&o.name, o.provenance.as_ref(), &["absent upstream".into()]);
            methods.push(o.clone());
        } else if o.curated.is_some() {
            cx.conflicts.push(format!(
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
        history: existing.history.clone(),
        compat_floor: existing.compat_floor.clone(),
        errors: existing.errors.clone(),
        enums: existing.enums.clone(),
        methods,
        types,
    };
    Merged {
        schema,
        conflicts: cx.conflicts,
        marks: cx.marks,
    }
}

/// `existing` with every type expression naming a type that `upstream`
/// renamed written with the new name (type definitions keep their names, so
/// the renamed type still finds its old entry).
fn follow_renames(existing: &Schema, upstream: &Upstream) -> Schema {
    let mut out = existing.clone();
    for t in upstream.types.iter().filter(|t| !t.synthetic) {
        for r in &t.renamed_from {
            if existing.type_def(&r.name).is_none() || existing.type_def(&t.name).is_some() {
                continue;
            }
            let fix = |s: &mut String| {
                if let Ok(e) = TypeExpr::parse(s) {
                    let renamed = e.rename(&r.name, &t.name);
                    if renamed != e {
                        *s = renamed.to_string();
                    }
                }
            };
            for m in &mut out.methods {
                fix(&mut m.returns);
                m.params.iter_mut().for_each(|p| fix(&mut p.ty));
            }
            for o in &mut out.types {
                o.fields.iter_mut().flatten().for_each(|f| fix(&mut f.ty));
                if let Some(u) = &mut o.union {
                    u.variants.iter_mut().for_each(|v| fix(&mut v.ty));
                }
            }
        }
    }
    out
}

/// Rules: upstream's (mined) ones, then the curated ones the schema has
/// that upstream does not state.
/// A curated rule of the same kind as a mined one, sharing a field with it,
/// replaces it (the curated one corrects or extends what the prose says);
/// so does a curated `at_least_one` a mined `exactly_one` (the docs ask for
/// one, Telegram takes the first set and refuses only none), and a curated
/// `first_wins` a mined `at_most_one` (the docs ask for one at most,
/// Telegram takes the first set and refuses none). Such an `at_least_one`
/// also takes in the fields the mined rule names and it does not (an action
/// a new version adds), so that it never asks for an action while the new
/// one alone is set.
fn merge_rules(new: &mut Vec<crate::schema::Rule>, old: &[crate::schema::Rule]) {
    use crate::schema::Rule;
    let replaces = |cur: &Rule, mined: &Rule| {
        std::mem::discriminant(cur) == std::mem::discriminant(mined)
            || matches!(
                (cur, mined),
                (Rule::AtLeastOne { .. }, Rule::ExactlyOne { .. })
                    | (Rule::FirstWins { .. }, Rule::AtMostOne { .. })
            )
    };
    for r in old.iter().filter(|r| r.is_curated()) {
        let mut r = r.clone();
        let own = r.fields();
        let (replaced, kept): (Vec<Rule>, Vec<Rule>) =
            std::mem::take(new).into_iter().partition(|n| {
                !n.is_curated() && replaces(&r, n) && n.fields().iter().any(|f| own.contains(f))
            });
        *new = kept;
        if let Rule::AtLeastOne { fields, .. } = &mut r {
            for f in replaced.iter().flat_map(Rule::fields) {
                if !fields.iter().any(|x| x == f) {
                    fields.push(f.to_string());
                }
            }
        }
        if !new.iter().any(|n| n.fields() == r.fields()) {
            new.push(r);
        }
    }
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
