//! How two versions of a field, a field list, a method or a type differ in
//! the facts a provenance mark covers (type, required flag, constraints
//! upstream states, members), and the constraint helpers merging shares.

use crate::schema::{Field, Method, TypeDef};

/// `True` and `Boolean` are the same fact; formats differ in which they
/// write for flags.
pub fn same_type(a: &str, b: &str) -> bool {
    a.replace("True", "Boolean") == b.replace("True", "Boolean")
}

pub(super) fn constraint_keys(f: &Field) -> [(&'static str, Option<String>); 10] {
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

pub(super) fn copy_constraints(from: &Field, to: &mut Field) {
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

pub(super) fn has_constraints(f: &Field) -> bool {
    constraint_keys(f).iter().any(|(_, v)| v.is_some())
}

/// How `theirs` differs from `ours` in the facts a mark covers: type,
/// required flag, and constraints where upstream states any.
pub(super) fn field_differences(ours: &Field, theirs: &Field) -> Vec<String> {
    let mut out = Vec::new();
    if !same_type(&ours.ty, &theirs.ty) {
        out.push(format!("upstream type `{}`, ours `{}`", theirs.ty, ours.ty));
    }
    if ours.required != theirs.required {
        out.push(format!(
            "upstream required={}, ours {}",
            theirs.required, ours.required
        ));
    }
    if has_constraints(theirs) {
        for (a, b) in constraint_keys(ours)
            .iter()
            .zip(constraint_keys(theirs).iter())
        {
            if a.1 != b.1 {
                out.push(format!(
                    "upstream {} {}, ours {}",
                    a.0,
                    b.1.clone().unwrap_or_else(|| "none".into()),
                    a.1.clone().unwrap_or_else(|| "none".into())
                ));
            }
        }
    }
    out
}

/// How two field lists differ by name, type and required flag.
pub(super) fn list_differences(ours: &[Field], theirs: &[Field], what: &str) -> Vec<String> {
    let mut out = Vec::new();
    for o in ours {
        match theirs.iter().find(|t| t.name == o.name) {
            None => out.push(format!("upstream has no {what} `{}`", o.name)),
            Some(t) => {
                if !same_type(&o.ty, &t.ty) || o.required != t.required {
                    out.push(format!(
                        "{what} `{}`: upstream `{}`{}, ours `{}`{}",
                        o.name,
                        t.ty,
                        if t.required { " required" } else { "" },
                        o.ty,
                        if o.required { " required" } else { "" }
                    ));
                }
            }
        }
    }
    for t in theirs
        .iter()
        .filter(|t| !ours.iter().any(|o| o.name == t.name))
    {
        out.push(format!("upstream has another {what} `{}`", t.name));
    }
    out
}

pub(super) fn method_differences(ours: &Method, theirs: &Method) -> Vec<String> {
    let mut out = Vec::new();
    if !same_type(&ours.returns, &theirs.returns) {
        out.push(format!(
            "upstream returns `{}`, ours `{}`",
            theirs.returns, ours.returns
        ));
    }
    out.extend(list_differences(&ours.params, &theirs.params, "parameter"));
    out
}

pub(super) fn type_differences(ours: &TypeDef, theirs: &TypeDef) -> Vec<String> {
    let mut out = Vec::new();
    match (&ours.fields, &theirs.fields, &ours.union, &theirs.union) {
        (Some(of), Some(tf), _, _) => out.extend(list_differences(of, tf, "field")),
        (_, _, Some(ou), Some(tu)) => {
            for v in ou
                .variants
                .iter()
                .filter(|v| !tu.variants.iter().any(|x| x.ty == v.ty))
            {
                out.push(format!("upstream has no variant `{}`", v.ty));
            }
            for v in tu
                .variants
                .iter()
                .filter(|v| !ou.variants.iter().any(|x| x.ty == v.ty))
            {
                out.push(format!("upstream has another variant `{}`", v.ty));
            }
        }
        _ => out.push("upstream has it as the other kind (object or union)".into()),
    }
    out
}
