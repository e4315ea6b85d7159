//! Accessors the schema implies: a method on a union for every field all of
//! its variants share, with the same type (`chat` of a message that may be
//! inaccessible, `user` of a chat member), reading it from whichever
//! variant the value is.

use std::collections::BTreeMap;

use crate::ir::{AccessorItem, FieldItem, FieldPath, RustType, TypeItem, TypeKind};

/// Add the accessors of every union in `types`.
pub fn derive(types: &mut [TypeItem]) {
    let objects: BTreeMap<String, Vec<FieldItem>> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Object {
                fields,
                exclusive: None,
                ..
            } => Some((t.ident.clone(), fields.clone())),
            _ => None,
        })
        .collect();
    for t in types.iter_mut() {
        let payloads: Option<Vec<(String, String)>> = match &t.kind {
            TypeKind::Tagged { variants, .. } => Some(
                variants
                    .iter()
                    .map(|v| (v.ident.clone(), v.ty.clone()))
                    .collect(),
            ),
            TypeKind::Untagged { variants, .. } => variants
                .iter()
                .map(|v| match v.ty.unboxed() {
                    RustType::Named(n) => Some((v.ident.clone(), n.clone())),
                    _ => None,
                })
                .collect(),
            TypeKind::Object { .. } => None,
        };
        let Some(payloads) = payloads else { continue };
        t.accessors = shared(&payloads, &objects, &t.wire);
    }
}

/// Accessors for the fields every payload type has with one type.
fn shared(
    payloads: &[(String, String)],
    objects: &BTreeMap<String, Vec<FieldItem>>,
    union: &str,
) -> Vec<AccessorItem> {
    let Some(fields): Option<Vec<&Vec<FieldItem>>> =
        payloads.iter().map(|(_, ty)| objects.get(ty)).collect()
    else {
        return Vec::new();
    };
    let Some(first) = fields.first() else {
        return Vec::new();
    };
    first
        .iter()
        .filter_map(|f| {
            let arms = payloads
                .iter()
                .zip(&fields)
                .map(|((variant, _), fs)| {
                    let g = fs
                        .iter()
                        .find(|g| g.wire == f.wire && g.ty.unboxed() == f.ty.unboxed())?;
                    let boxed = matches!(g.ty, RustType::Boxed(_));
                    let path = if g.required {
                        FieldPath::Required {
                            ident: g.ident.clone(),
                            boxed,
                        }
                    } else {
                        FieldPath::Optional {
                            ident: g.ident.clone(),
                            boxed,
                        }
                    };
                    Some((variant.clone(), Some(path)))
                })
                .collect::<Option<Vec<_>>>()?;
            Some(AccessorItem {
                ident: f.ident.clone(),
                doc: format!(
                    "The `{}` of whichever variant this {union} is; `None` for a variant this version does not know{}.",
                    f.wire,
                    if arms.iter().any(|(_, p)| matches!(p, Some(FieldPath::Optional { .. }))) {
                        " or when it is unset"
                    } else {
                        ""
                    }
                ),
                ty: f.ty.unboxed().clone(),
                copy: matches!(
                    f.ty.unboxed(),
                    RustType::I64 | RustType::F64 | RustType::Bool | RustType::Id(_)
                ),
                arms,
            })
        })
        .collect()
}
