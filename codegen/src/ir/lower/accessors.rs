//! Accessors the schema implies: a method on a union for every field all of
//! its variants share, with the same type (`chat` of a message that may be
//! inaccessible, `user` of a chat member), reading it from whichever
//! variant the value is.

use std::collections::BTreeMap;

use crate::ir::{AccessorItem, FieldItem, FieldPath, RustType, TypeItem, TypeKind};
use crate::schema::AccessorDef;

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
                on: None,
                copy: matches!(
                    f.ty.unboxed(),
                    RustType::I64 | RustType::F64 | RustType::Bool | RustType::Id(_)
                ),
                arms,
            })
        })
        .collect()
}

/// The accessors the schema declares on objects with exclusive parts
/// (`defs` by the type's wire name): per part, the first path it has.
pub fn derive_parts(types: &mut [TypeItem], defs: &BTreeMap<String, Vec<AccessorDef>>) {
    let snapshot: Vec<TypeItem> = types.to_vec();
    let object = |ident: &str| -> Option<&Vec<FieldItem>> {
        snapshot
            .iter()
            .find(|t| t.ident == ident)
            .and_then(|t| match &t.kind {
                TypeKind::Object { fields, .. } => Some(fields),
                _ => None,
            })
    };
    let union_accessor = |ident: &str, name: &str| -> Option<RustType> {
        snapshot
            .iter()
            .find(|t| t.ident == ident)?
            .accessors
            .iter()
            .find(|a| a.ident == name)
            .map(|a| a.ty.clone())
    };
    for t in types.iter_mut() {
        let (
            Some(defs),
            TypeKind::Object {
                exclusive: Some(x), ..
            },
        ) = (defs.get(&t.wire), &t.kind)
        else {
            continue;
        };
        let mut out = Vec::new();
        for d in defs {
            let mut ty: Option<RustType> = None;
            let mut arms = Vec::new();
            for (variant, part) in &x.variants {
                let found = match part.ty.unboxed() {
                    RustType::Named(p) => object(p).and_then(|fields| {
                        d.paths
                            .iter()
                            .find_map(|path| resolve(path, fields, &union_accessor))
                    }),
                    _ => None,
                };
                // Every part reaching one must reach the same type.
                let found = found.filter(|(t2, _)| ty.as_ref().is_none_or(|t1| t1 == t2));
                if let Some((t2, path)) = found {
                    ty.get_or_insert(t2);
                    arms.push((variant.clone(), Some(path)));
                } else {
                    arms.push((variant.clone(), None));
                }
            }
            let Some(ty) = ty else { continue };
            out.push(AccessorItem {
                ident: d.name.clone(),
                doc: d.summary.clone(),
                copy: matches!(
                    ty,
                    RustType::I64 | RustType::F64 | RustType::Bool | RustType::Id(_)
                ),
                ty,
                arms,
                on: Some((x.field.clone(), x.enum_ident.clone())),
            });
        }
        t.accessors = out;
    }
}

/// `path` (`field` or `field.accessor`) in a part with `fields`: the type it
/// reads and how.
fn resolve(
    path: &str,
    fields: &[FieldItem],
    union_accessor: &dyn Fn(&str, &str) -> Option<RustType>,
) -> Option<(RustType, FieldPath)> {
    match path.split_once('.') {
        None => {
            let f = fields.iter().find(|f| f.wire == path)?;
            let boxed = matches!(f.ty, RustType::Boxed(_));
            let how = if f.required {
                FieldPath::Required {
                    ident: f.ident.clone(),
                    boxed,
                }
            } else {
                FieldPath::Optional {
                    ident: f.ident.clone(),
                    boxed,
                }
            };
            Some((f.ty.unboxed().clone(), how))
        }
        Some((field, accessor)) => {
            let f = fields.iter().find(|f| f.wire == field)?;
            let RustType::Named(u) = f.ty.unboxed() else {
                return None;
            };
            let ty = union_accessor(u, accessor)?;
            Some((
                ty,
                FieldPath::Through {
                    ident: f.ident.clone(),
                    optional: !f.required,
                    accessor: accessor.to_string(),
                },
            ))
        }
    }
}
