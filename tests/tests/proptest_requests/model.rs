//! The shipped schema loaded with the codegen library, with the tag of each
//! variant and the least nesting of a value of each type.

use std::collections::HashMap;
use std::path::Path;

use botapi_codegen::schema::{Field, Schema, TypeExpr};
use serde_json::{json, Value};

use crate::expr;

/// The tag a variant of a tagged union writes itself.
#[derive(Debug, Clone)]
pub(crate) struct Tag {
    pub(crate) key: String,
    pub(crate) value: Value,
}

/// The shipped schema with what the generators need to know about it.
pub(crate) struct Model {
    pub(crate) schema: Schema,
    /// Variant type -> its tag.
    pub(crate) tags: HashMap<String, Tag>,
    /// Smallest nesting of a value of each type with its required parts only
    /// and arrays left empty (terminates recursive types).
    pub(crate) depth_any: HashMap<String, usize>,
    /// The same, with arrays as long as their `min_items` (valid values).
    pub(crate) depth_valid: HashMap<String, usize>,
}

impl Model {
    pub(crate) fn load() -> Model {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/api.json");
        let schema = botapi_codegen::schema::load::load_file(&path)
            .expect("schema/api.json")
            .schema;
        let mut tags = HashMap::new();
        for t in &schema.types {
            let Some(u) = &t.union else { continue };
            let Some(key) = &u.discriminator else {
                continue;
            };
            for v in u.variants.iter().filter(|v| !v.fallback) {
                let value = v.value.clone().unwrap_or_default();
                let numeric = schema
                    .type_def(&v.ty)
                    .and_then(|d| d.fields.as_ref())
                    .and_then(|fs| fs.iter().find(|f| &f.name == key))
                    .is_some_and(|f| f.ty == "Integer");
                let value = match (numeric, value.parse::<i64>()) {
                    (true, Ok(n)) => json!(n),
                    _ => json!(value),
                };
                tags.entry(v.ty.clone()).or_insert(Tag {
                    key: key.clone(),
                    value,
                });
            }
        }
        let depth_any = min_depths(&schema, false);
        let depth_valid = min_depths(&schema, true);
        for t in &schema.types {
            assert!(depth_any.contains_key(&t.name), "{} never ends", t.name);
            assert!(
                depth_valid.contains_key(&t.name),
                "{} has no finite valid value",
                t.name
            );
        }
        Model {
            schema,
            tags,
            depth_any,
            depth_valid,
        }
    }

    pub(crate) fn fields(&self, ty: &str) -> &[Field] {
        self.schema
            .type_def(ty)
            .and_then(|t| t.fields.as_deref())
            .unwrap_or_default()
    }

    /// Is `field` of `ty` the discriminator its tag stands for?
    pub(crate) fn is_tag(&self, ty: &str, field: &str) -> bool {
        self.tags.get(ty).is_some_and(|t| t.key == field)
    }
}

/// Fixed point of "how deep must a value of this type be at least".
fn min_depths(schema: &Schema, honour_min_items: bool) -> HashMap<String, usize> {
    fn of(e: &TypeExpr, d: &HashMap<String, usize>, items: u64) -> Option<usize> {
        match e {
            TypeExpr::Named(n) => d.get(n).copied(),
            TypeExpr::Array(inner) if items > 0 => of(inner, d, 0),
            TypeExpr::Array(_) => Some(0),
            TypeExpr::Or(alts) => alts.iter().filter_map(|a| of(a, d, items)).min(),
            _ => Some(0),
        }
    }
    let mut d: HashMap<String, usize> = HashMap::new();
    loop {
        let mut changed = false;
        for t in &schema.types {
            let found = match (&t.fields, &t.union) {
                (Some(fields), _) => fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| {
                        let items = if honour_min_items {
                            f.min_items.unwrap_or(0)
                        } else {
                            0
                        };
                        of(&expr(&f.ty), &d, items)
                    })
                    .try_fold(0, |acc, x| x.map(|x| acc.max(x))),
                (None, Some(u)) => u
                    .variants
                    .iter()
                    .filter_map(|v| of(&expr(&v.ty), &d, 0))
                    .min(),
                _ => None,
            };
            if let Some(n) = found.map(|x| x + 1) {
                if d.get(&t.name).is_none_or(|&old| n < old) {
                    d.insert(t.name.clone(), n);
                    changed = true;
                }
            }
        }
        if !changed {
            return d;
        }
    }
}

pub(crate) fn expr_depth(e: &TypeExpr, d: &HashMap<String, usize>) -> usize {
    match e {
        TypeExpr::Named(n) => d.get(n).copied().unwrap_or(usize::MAX),
        TypeExpr::Or(alts) => alts.iter().map(|a| expr_depth(a, d)).min().unwrap_or(0),
        _ => 0,
    }
}
