//! Flags derived over the whole lowered API: which types and fields have
//! something to validate or may carry an `InputFile` (to a fixpoint, since
//! types hold each other), the same per union variant, which methods'
//! replies the runtime decodes with code it already has, and the stand-ins
//! a type decoded into its box starts from.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::*;

/// Methods the hand-written runtime calls by itself: its poller reads
/// updates with this one, so the types of updates are decoded by the
/// runtime crate in any case.
const READ_BY_RUNTIME: &[&str] = &["getUpdates"];

/// Compute every derived flag of `types` and `methods`.
pub fn derive(types: &mut [TypeItem], methods: &mut [MethodItem]) {
    loop {
        let validate = set(types, |t| t.needs_validate);
        let files = set(types, |t| t.has_files);
        let mut changed = false;
        for t in types.iter_mut() {
            let (v, f) = type_flags(t, &validate, &files);
            if v != t.needs_validate || f != t.has_files {
                t.needs_validate = v;
                t.has_files = f;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let validate = set(types, |t| t.needs_validate);
    let files = set(types, |t| t.has_files);
    placeholders(types);
    let into_box = set(types, |t| {
        matches!(
            t.kind,
            TypeKind::Object {
                into_box: Some(_),
                ..
            }
        )
    });
    for t in types.iter_mut() {
        let needs_validate = t.needs_validate;
        match &mut t.kind {
            TypeKind::Object {
                fields, exclusive, ..
            } => {
                fields
                    .iter_mut()
                    .for_each(|f| field_flags(f, &validate, &files, &into_box));
                if let Some(x) = exclusive {
                    x.variants
                        .iter_mut()
                        .for_each(|(_, f)| field_flags(f, &validate, &files, &into_box));
                }
            }
            TypeKind::Tagged { variants, .. } => {
                for v in variants {
                    v.has_files = files.contains(&v.ty);
                }
            }
            TypeKind::Untagged { variants, .. } => {
                for v in variants {
                    v.has_files = holds_files(&v.ty, &files);
                    v.validate = needs_validate && validatable(&v.ty);
                }
            }
        }
    }
    for m in methods.iter_mut() {
        m.params
            .iter_mut()
            // Requests are decoded (feature `serde-requests`) by derive.
            .for_each(|f| field_flags(f, &validate, &files, &BTreeSet::new()));
        m.has_files = m.params.iter().any(|p| p.has_files);
    }
    let runtime = decoded_by_runtime(types, methods);
    for m in methods.iter_mut() {
        let mut named = Vec::new();
        named_in(&m.returns, &mut named);
        m.decode_in_runtime = named.iter().all(|n| runtime.contains(n.as_str()));
    }
}

fn set(types: &[TypeItem], flag: impl Fn(&TypeItem) -> bool) -> BTreeSet<String> {
    types
        .iter()
        .filter(|t| flag(t))
        .map(|t| t.ident.clone())
        .collect()
}

/// Named types the runtime decodes anyway: those reachable from the result
/// of the methods it calls by itself.
fn decoded_by_runtime(types: &[TypeItem], methods: &[MethodItem]) -> BTreeSet<String> {
    let mut todo = Vec::new();
    for m in methods
        .iter()
        .filter(|m| READ_BY_RUNTIME.contains(&m.wire.as_str()))
    {
        named_in(&m.returns, &mut todo);
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(t) = types.iter().find(|t| t.ident == name) else {
            continue;
        };
        match &t.kind {
            TypeKind::Object {
                fields, exclusive, ..
            } => {
                let parts = exclusive
                    .iter()
                    .flat_map(|x| x.variants.iter().map(|(_, f)| f));
                for f in fields.iter().chain(parts) {
                    named_in(&f.ty, &mut todo);
                }
            }
            TypeKind::Tagged { variants, .. } => todo.extend(variants.iter().map(|v| v.ty.clone())),
            TypeKind::Untagged { variants, .. } => {
                for v in variants {
                    named_in(&v.ty, &mut todo);
                }
            }
        }
    }
    seen
}

/// Push the generated types `ty` names.
fn named_in(ty: &RustType, out: &mut Vec<String>) {
    match ty {
        RustType::Named(n) => out.push(n.clone()),
        RustType::Vec(inner) | RustType::Boxed(inner) => named_in(inner, out),
        _ => {}
    }
}

/// Does a value of `ty` implement `Files` (types that may hold files do)?
fn holds_files(ty: &RustType, files: &BTreeSet<String>) -> bool {
    match ty {
        RustType::InputFile => true,
        RustType::Named(n) => files.contains(n),
        RustType::Vec(i) | RustType::Boxed(i) => holds_files(i, files),
        _ => false,
    }
}

/// Does a value of `ty` implement `Validate` (every generated type does)?
fn validatable(ty: &RustType) -> bool {
    match ty {
        RustType::Named(_) => true,
        RustType::Vec(i) | RustType::Boxed(i) => validatable(i),
        _ => false,
    }
}

/// The stand-ins of the required fields of each type decoded into its box.
/// A type with a required field that has none (a union, a file) is decoded
/// the ordinary way instead.
fn placeholders(types: &mut [TypeItem]) {
    let objects: BTreeMap<String, Vec<RustType>> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Object {
                fields,
                exclusive: None,
                ..
            } => Some((
                t.ident.clone(),
                fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| f.ty.clone())
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    for t in types.iter_mut() {
        if let TypeKind::Object {
            fields,
            into_box: into_box @ Some(_),
            ..
        } = &mut t.kind
        {
            *into_box = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| placeholder(&f.ty, &objects, 0))
                .collect();
        }
    }
}

/// How deep stand-in objects may nest (a cycle of required fields ends here).
const PLACEHOLDER_DEPTH: usize = 4;

fn placeholder(
    ty: &RustType,
    objects: &BTreeMap<String, Vec<RustType>>,
    depth: usize,
) -> Option<Placeholder> {
    let ty = ty.unboxed();
    match ty {
        RustType::I64
        | RustType::F64
        | RustType::Bool
        | RustType::String
        | RustType::Id(_)
        | RustType::Vec(_) => Some(Placeholder::Default(ty.clone())),
        RustType::Enum(_) => Some(Placeholder::Enum(ty.clone())),
        RustType::Named(n) if depth < PLACEHOLDER_DEPTH => {
            let args = objects
                .get(n)?
                .iter()
                .map(|t| placeholder(t, objects, depth + 1))
                .collect::<Option<Vec<_>>>()?;
            Some(Placeholder::New(ty.clone(), args))
        }
        _ => None,
    }
}

fn field_flags(
    f: &mut FieldItem,
    validate: &BTreeSet<String>,
    files: &BTreeSet<String>,
    into_box: &BTreeSet<String>,
) {
    f.validate_nested = mentions(&f.ty, validate);
    f.has_files = ty_has_file(&f.ty) || mentions(&f.ty, files);
    f.into_box = matches!(&f.ty, RustType::Boxed(inner)
        if matches!(&**inner, RustType::Named(n) if into_box.contains(n)));
}

fn ty_has_file(t: &RustType) -> bool {
    match t {
        RustType::InputFile => true,
        RustType::Vec(i) | RustType::Boxed(i) => ty_has_file(i),
        _ => false,
    }
}

fn mentions(t: &RustType, set: &BTreeSet<String>) -> bool {
    match t {
        RustType::Named(n) => set.contains(n),
        RustType::Vec(i) | RustType::Boxed(i) => mentions(i, set),
        _ => false,
    }
}

fn type_flags(t: &TypeItem, validate: &BTreeSet<String>, files: &BTreeSet<String>) -> (bool, bool) {
    let mut v = t.needs_validate || !t.rules.is_empty();
    let mut f = t.has_files;
    let mut see = |ty: &RustType, c: Option<&Constraints>| {
        v |= c.is_some_and(Constraints::any) || mentions(ty, validate);
        f |= mentions(ty, files)
            || matches!(ty.unboxed(), RustType::InputFile)
            || matches!(ty.unboxed(), RustType::Vec(i) if **i == RustType::InputFile);
    };
    match &t.kind {
        TypeKind::Object {
            fields, exclusive, ..
        } => {
            fields.iter().for_each(|x| see(&x.ty, Some(&x.constraints)));
            if let Some(x) = exclusive {
                x.variants
                    .iter()
                    .for_each(|(_, x)| see(&x.ty, Some(&x.constraints)));
            }
        }
        TypeKind::Tagged { variants, .. } => {
            variants
                .iter()
                .for_each(|x| see(&RustType::Named(x.ty.clone()), None));
        }
        TypeKind::Untagged { variants, .. } => variants.iter().for_each(|x| see(&x.ty, None)),
    }
    (v, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(n: &str) -> RustType {
        RustType::Named(n.into())
    }

    #[test]
    fn stand_ins_follow_required_fields_and_give_up_on_unions() {
        let objects: BTreeMap<String, Vec<RustType>> = [
            (
                "Chat".to_string(),
                vec![
                    RustType::Id("ChatId".into()),
                    RustType::Enum("ChatType".into()),
                ],
            ),
            (
                "Loop".to_string(),
                vec![RustType::Boxed(Box::new(named("Loop")))],
            ),
        ]
        .into_iter()
        .collect();
        let chat = placeholder(&RustType::Boxed(Box::new(named("Chat"))), &objects, 0);
        assert_eq!(
            chat,
            Some(Placeholder::New(
                named("Chat"),
                vec![
                    Placeholder::Default(RustType::Id("ChatId".into())),
                    Placeholder::Enum(RustType::Enum("ChatType".into())),
                ]
            ))
        );
        let list = RustType::Vec(Box::new(named("Chat")));
        assert_eq!(
            placeholder(&list, &objects, 0),
            Some(Placeholder::Default(list))
        );
        // A union (not a plain object), a file, a cycle of required fields: none.
        assert_eq!(placeholder(&named("MessageOrigin"), &objects, 0), None);
        assert_eq!(placeholder(&RustType::InputFile, &objects, 0), None);
        assert_eq!(placeholder(&named("Loop"), &objects, 0), None);
    }
}
