//! Valid values, and the route by which a request carries each type down
//! to a constrained field.

use std::collections::{HashMap, VecDeque};

use botapi_codegen::schema::{Field, Rule, TypeExpr};
use serde_json::{json, Map, Value};

use crate::expr;
use crate::model::{expr_depth, Model};

impl Model {
    /// A value of `e` that breaks no constraint: leaves follow `f`'s own
    /// constraints, the outermost array has `min_items` items.
    pub(crate) fn valid_expr(&self, e: &TypeExpr, f: Option<&Field>, outermost: bool) -> Value {
        match e {
            TypeExpr::Array(inner) => {
                let n = if outermost {
                    f.and_then(|f| f.min_items).unwrap_or(0)
                } else {
                    0
                };
                Value::Array((0..n).map(|_| self.valid_expr(inner, f, false)).collect())
            }
            TypeExpr::Or(alts) => {
                let alt = alts
                    .iter()
                    .min_by_key(|a| expr_depth(a, &self.depth_valid))
                    .expect("alternatives");
                self.valid_expr(alt, f, outermost)
            }
            TypeExpr::Integer => {
                let (lo, hi) = f.map_or((None, None), |f| (f.min, f.max));
                json!(lo.or(hi.map(|h| h.min(1.0))).unwrap_or(1.0) as i64)
            }
            TypeExpr::Float => {
                let (lo, hi) = f.map_or((None, None), |f| (f.min, f.max));
                json!(lo.or(hi.map(|h| h.min(1.5))).unwrap_or(1.5))
            }
            TypeExpr::String => match f {
                Some(Field {
                    allowed: Some(a), ..
                }) => json!(a[0]),
                Some(f) if f.min_len.is_some() || f.max_len.is_some() => {
                    let n = f
                        .min_len
                        .unwrap_or(0)
                        .max(1)
                        .min(f.max_len.unwrap_or(u64::MAX));
                    json!("a".repeat(n as usize))
                }
                _ => json!("text"),
            },
            TypeExpr::Boolean | TypeExpr::True => json!(true),
            TypeExpr::InputFile => json!("AgACAgIAAxkBAAI"),
            TypeExpr::Named(n) => self.valid_named(n),
        }
    }

    fn valid_named(&self, name: &str) -> Value {
        let t = self.schema.type_def(name).expect("known type");
        if let Some(u) = &t.union {
            let variant = u
                .variants
                .iter()
                .filter(|v| !v.fallback)
                .min_by_key(|v| expr_depth(&expr(&v.ty), &self.depth_valid))
                .expect("a union has variants");
            return self.valid_expr(&expr(&variant.ty), None, true);
        }
        Value::Object(self.valid_object(name, self.fields(name)))
    }

    /// The required fields (and the tag) of an object, all valid, plus what
    /// its rules across fields ask for (the first choice of each).
    pub(crate) fn valid_object(&self, owner: &str, fields: &[Field]) -> Map<String, Value> {
        let mut out = Map::new();
        for f in fields.iter().filter(|f| f.required) {
            let value = match self.tags.get(owner).filter(|t| t.key == f.name) {
                Some(tag) => tag.value.clone(),
                None => self.valid_expr(&expr(&f.ty), Some(f), true),
            };
            out.insert(f.name.clone(), value);
        }
        self.settle(owner, fields, &mut out, None);
        out
    }

    /// The rules across fields of a method or an object type.
    fn rules(&self, owner: &str) -> &[Rule] {
        match self.schema.methods.iter().find(|m| m.name == owner) {
            Some(m) => &m.rules,
            None => self
                .schema
                .type_def(owner)
                .map_or(&[][..], |t| t.rules.as_slice()),
        }
    }

    /// Make `obj` keep the rules of `owner`, given that `placed` (if any) was
    /// just put in and must stay: other choices of its rules go, the rest of
    /// its group comes, and a rule nothing satisfies gets its first choice.
    pub(crate) fn settle(
        &self,
        owner: &str,
        fields: &[Field],
        obj: &mut Map<String, Value>,
        placed: Option<&str>,
    ) {
        let add = |obj: &mut Map<String, Value>, name: &str| {
            if let Some(f) = fields.iter().find(|f| f.name == name) {
                if !obj.contains_key(name) {
                    obj.insert(
                        name.to_string(),
                        self.valid_expr(&expr(&f.ty), Some(f), true),
                    );
                }
            }
        };
        for rule in self.rules(owner) {
            match rule {
                Rule::ExactlyOne { fields: names, .. } | Rule::AtMostOne { fields: names, .. } => {
                    let keep = placed
                        .filter(|p| names.iter().any(|n| n == p))
                        .map(str::to_string)
                        .or_else(|| names.iter().find(|n| obj.contains_key(*n)).cloned());
                    for n in names.iter().filter(|n| Some(*n) != keep.as_ref()) {
                        obj.remove(n);
                    }
                    if keep.is_none() && matches!(rule, Rule::ExactlyOne { .. }) {
                        add(obj, &names[0]);
                    }
                }
                // Any number may be set (Telegram uses the first): nothing
                // to keep or add.
                Rule::FirstWins { .. } => {}
                // Several may be set (Telegram takes the first): keep what
                // is there, add the first when none is.
                Rule::AtLeastOne { fields: names, .. } => {
                    if !names.iter().any(|n| obj.contains_key(n)) {
                        add(obj, &names[0]);
                    }
                }
                Rule::OneGroup { groups, .. } => {
                    let chosen = groups
                        .iter()
                        .position(|g| placed.is_some_and(|p| g.iter().any(|n| n == p)))
                        .or_else(|| {
                            groups
                                .iter()
                                .position(|g| g.iter().any(|n| obj.contains_key(n)))
                        })
                        .unwrap_or(0);
                    for (i, g) in groups.iter().enumerate() {
                        for n in g {
                            if i == chosen {
                                add(obj, n);
                            } else {
                                obj.remove(n);
                            }
                        }
                    }
                }
                Rule::RequiredUnless { field, unless, .. } => {
                    if !obj.contains_key(field) && !unless.iter().any(|n| obj.contains_key(n)) {
                        add(obj, field);
                    }
                }
                Rule::RequiredWith { field, with, .. } => {
                    if obj.contains_key(with) {
                        add(obj, field);
                    }
                }
            }
        }
    }
}

/// One hop on the way from a request to a constrained field: the field
/// `field` of `owner` (a method or an object type), whose value holds the
/// next object `arrays` arrays deep.
#[derive(Debug, Clone)]
pub(crate) struct Hop {
    pub(crate) owner: String,
    pub(crate) field: Field,
    pub(crate) arrays: usize,
}

/// Where a type is carried: by a method (through hops) or only on its own.
#[derive(Debug, Clone)]
pub(crate) enum Route {
    Request { method: String, hops: Vec<Hop> },
    Alone,
}

/// Named types inside `e` and how many arrays deep each is.
fn named_in(e: &TypeExpr, arrays: usize, out: &mut Vec<(String, usize)>) {
    match e {
        TypeExpr::Named(n) => out.push((n.clone(), arrays)),
        TypeExpr::Array(inner) => named_in(inner, arrays + 1, out),
        TypeExpr::Or(alts) => alts.iter().for_each(|a| named_in(a, arrays, out)),
        _ => {}
    }
}

/// The shortest route from some request to each type (methods and fields
/// in schema order, so the choice is stable).
pub(crate) fn routes(model: &Model) -> HashMap<String, Route> {
    let mut found: HashMap<String, Route> = HashMap::new();
    let mut queue = VecDeque::new();
    for m in &model.schema.methods {
        for p in &m.params {
            let mut inner = Vec::new();
            named_in(&expr(&p.ty), 0, &mut inner);
            for (ty, arrays) in inner {
                let hop = Hop {
                    owner: m.name.clone(),
                    field: p.clone(),
                    arrays,
                };
                if !found.contains_key(&ty) {
                    let route = Route::Request {
                        method: m.name.clone(),
                        hops: vec![hop],
                    };
                    found.insert(ty.clone(), route);
                    queue.push_back(ty);
                }
            }
        }
    }
    while let Some(ty) = queue.pop_front() {
        let Route::Request { method, hops } = found[&ty].clone() else {
            unreachable!("only requests are queued")
        };
        let t = model.schema.type_def(&ty).expect("known type");
        let mut next: Vec<(String, Option<Hop>)> = Vec::new();
        if let Some(u) = &t.union {
            for v in &u.variants {
                if let TypeExpr::Named(n) = expr(&v.ty) {
                    next.push((n, None));
                }
            }
        }
        for f in model.fields(&ty) {
            let mut inner = Vec::new();
            named_in(&expr(&f.ty), 0, &mut inner);
            for (n, arrays) in inner {
                let hop = Hop {
                    owner: ty.clone(),
                    field: f.clone(),
                    arrays,
                };
                next.push((n, Some(hop)));
            }
        }
        for (n, hop) in next {
            if found.contains_key(&n) {
                continue;
            }
            let mut hops = hops.clone();
            hops.extend(hop);
            found.insert(
                n.clone(),
                Route::Request {
                    method: method.clone(),
                    hops,
                },
            );
            queue.push_back(n);
        }
    }
    for t in &model.schema.types {
        found.entry(t.name.clone()).or_insert(Route::Alone);
    }
    found
}
