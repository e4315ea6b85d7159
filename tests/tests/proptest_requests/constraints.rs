//! Constraints and their cases: every constraint `validate()` enforces, as
//! a target field and where it sits, and the values to try in it.

use botapi_codegen::schema::Field;
use serde_json::Value;

use crate::model::Model;
use crate::valid::{routes, Route};

/// What a constraint limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Range,
    Length,
    Items,
    OneOf,
}

/// One constraint of one field, and where that field sits.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// Method (for a parameter) or type that owns the field.
    pub(crate) owner: String,
    pub(crate) field: Field,
    /// The owner's fields (or parameters), the target among them.
    pub(crate) siblings: Vec<Field>,
    /// How a request reaches the owner (no hops for a parameter); a type
    /// carried by no request is validated on its own.
    pub(crate) route: Route,
    pub(crate) kind: Kind,
}

impl Target {
    pub(crate) fn name(&self) -> String {
        format!("{}.{} ({:?})", self.owner, self.field.name, self.kind)
    }
}

/// Every constraint `validate()` enforces, and the number of discriminator
/// fields whose allowed values are left to the tag.
pub(crate) fn targets(model: &Model) -> (Vec<Target>, usize) {
    let routes = routes(model);
    let mut out = Vec::new();
    let mut tags = 0;
    let mut add = |owner: &str, field: &Field, siblings: &[Field], route: &Route| {
        let kinds = [
            (Kind::Range, field.min.is_some() || field.max.is_some()),
            (
                Kind::Length,
                field.min_len.is_some() || field.max_len.is_some(),
            ),
            (
                Kind::Items,
                field.min_items.is_some() || field.max_items.is_some(),
            ),
            (Kind::OneOf, field.allowed.is_some()),
        ];
        for (kind, present) in kinds {
            if present {
                out.push(Target {
                    owner: owner.to_string(),
                    field: field.clone(),
                    siblings: siblings.to_vec(),
                    route: route.clone(),
                    kind,
                });
            }
        }
    };
    for m in &model.schema.methods {
        let route = Route::Request {
            method: m.name.clone(),
            hops: Vec::new(),
        };
        for p in &m.params {
            add(&m.name, p, &m.params, &route);
        }
    }
    for t in &model.schema.types {
        let fields = model.fields(&t.name);
        for f in fields {
            if model.is_tag(&t.name, &f.name) {
                if let Some(allowed) = &f.allowed {
                    let tag = &model.tags[&t.name].value;
                    let tag = tag.as_str().map_or_else(|| tag.to_string(), str::to_string);
                    assert!(
                        allowed.contains(&tag),
                        "{}.{}: tag {tag} is not among {allowed:?}",
                        t.name,
                        f.name
                    );
                    tags += 1;
                }
                continue;
            }
            add(&t.name, f, fields, &routes[&t.name]);
        }
    }
    (out, tags)
}

/// A value to put in the target field, and whether validation must pass.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    pub(crate) value: Value,
    /// Set the `len_parsed_with` sibling.
    pub(crate) sibling: bool,
    pub(crate) ok: bool,
    /// The violation's path below the field (`[0]` for an array's item).
    pub(crate) below: String,
    pub(crate) what: String,
}

/// `n` copies of `unit`.
pub(crate) fn rep(unit: &str, n: u64) -> String {
    unit.repeat(n as usize)
}

/// A string of exactly `bytes` UTF-8 bytes made mostly of `unit`.
pub(crate) fn of_bytes(unit: &str, bytes: u64) -> String {
    let n = bytes / unit.len() as u64;
    format!(
        "{}{}",
        rep(unit, n),
        rep("a", bytes - n * unit.len() as u64)
    )
}

pub(crate) const UNITS: [&str; 4] = ["a", "é", "字", "🎵"];

pub(crate) fn next_up(x: f64) -> f64 {
    if x == 0.0 {
        return f64::from_bits(1);
    }
    let bits = x.to_bits();
    f64::from_bits(if x > 0.0 { bits + 1 } else { bits - 1 })
}

pub(crate) fn next_down(x: f64) -> f64 {
    -next_up(-x)
}
