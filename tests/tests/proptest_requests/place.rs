//! A case put in place: the whole request (or type) around the value, the
//! path its violation must have, and whether validation agrees.

use botapi::methods::dynamic::with_request;
use botapi::types::dynamic::{with_type, TYPES};
use botapi::validate::{Constraint, Violation};
use botapi_codegen::schema::{Field, TypeExpr};
use serde_json::Value;

use crate::constraints::{Case, Kind, Target};
use crate::dispatch::{CheckRequest, CheckType};
use crate::expr;
use crate::model::Model;
use crate::valid::Route;

impl Model {
    /// `value` as the (first) leaf of a field of type `e`, inside as many
    /// arrays as `e` has; the outermost array padded to `min_items`.
    pub(crate) fn with_leaf(&self, e: &TypeExpr, f: &Field, value: Value) -> Value {
        fn wrap(model: &Model, e: &TypeExpr, f: &Field, value: Value, outermost: bool) -> Value {
            match e {
                TypeExpr::Array(inner) => {
                    let mut items = vec![wrap(model, inner, f, value, false)];
                    let n = if outermost {
                        f.min_items.unwrap_or(0)
                    } else {
                        0
                    };
                    while (items.len() as u64) < n {
                        items.push(model.valid_expr(inner, Some(f), false));
                    }
                    Value::Array(items)
                }
                _ => value,
            }
        }
        wrap(self, e, f, value, true)
    }

    /// The whole request (or type) with `case.value` in the target field and
    /// everything else it requires present and valid; with the path the
    /// violation must have.
    fn place(&self, t: &Target, case: &Case) -> (Value, String) {
        let mut own = self.valid_object(&t.owner, &t.siblings);
        own.insert(t.field.name.clone(), case.value.clone());
        self.settle(&t.owner, &t.siblings, &mut own, Some(&t.field.name));
        if case.sibling {
            let name = t.field.len_parsed_with.as_deref().expect("a sibling");
            let sib = t.siblings.iter().find(|s| s.name == name).expect("sibling");
            assert!(!sib.required, "{}: the parse mode is optional", t.name());
            own.insert(
                name.to_string(),
                self.valid_expr(&expr(&sib.ty), Some(sib), true),
            );
            self.settle(&t.owner, &t.siblings, &mut own, Some(name));
        }
        let mut value = Value::Object(own);
        let mut path = format!(".{}{}", t.field.name, case.below);
        let root = match &t.route {
            Route::Alone => t.owner.clone(),
            Route::Request { method, hops } => {
                for (i, hop) in hops.iter().enumerate().rev() {
                    // The first hop leaves the request, the others an object.
                    let (owner, fields) = if i == 0 {
                        let m = self.schema.methods.iter().find(|m| &m.name == method);
                        (method.as_str(), m.expect("a method").params.as_slice())
                    } else {
                        (hop.owner.as_str(), self.fields(&hop.owner))
                    };
                    let mut parent = self.valid_object(owner, fields);
                    let e = expr(&hop.field.ty);
                    parent.insert(
                        hop.field.name.clone(),
                        self.with_leaf(&e, &hop.field, value),
                    );
                    self.settle(owner, fields, &mut parent, Some(&hop.field.name));
                    value = Value::Object(parent);
                    path = format!(".{}{}{path}", hop.field.name, "[0]".repeat(hop.arrays));
                }
                method.clone()
            }
        };
        (value, format!("{root}{path}"))
    }

    /// Validate `case` in place: the violations found.
    fn check(&self, t: &Target, case: &Case) -> Result<(Vec<Violation>, String), String> {
        let (json, path) = self.place(t, case);
        let found = match &t.route {
            Route::Request { method, .. } => {
                with_request(method, CheckRequest(json.clone())).expect("a method")
            }
            Route::Alone => {
                let root = TYPES
                    .iter()
                    .copied()
                    .find(|n| *n == t.owner)
                    .expect("a type");
                with_type(
                    root,
                    CheckType {
                        root,
                        value: json.clone(),
                    },
                )
                .expect("a type")
            }
        };
        found
            .map(|v| (v, path))
            .map_err(|e| format!("{e}\n  in {json}"))
    }

    /// Does validation agree with the case?
    pub(crate) fn verdict(&self, t: &Target, case: &Case) -> Result<(), String> {
        let (found, path) = self.check(t, case)?;
        let wanted = if case.ok { "pass" } else { "fail" };
        let fail = |why: String| {
            Err(format!(
                "{}: {} should {wanted}: {why}",
                t.name(),
                case.what
            ))
        };
        if case.ok {
            if !found.is_empty() {
                return fail(format!("{found:?}"));
            }
            return Ok(());
        }
        let [v] = found.as_slice() else {
            return fail(format!("expected one violation at {path}, got {found:?}"));
        };
        if v.path != path {
            return fail(format!("path {} instead of {path}", v.path));
        }
        let kind = match v.constraint {
            Constraint::Range { .. } => Kind::Range,
            Constraint::Length { .. } => Kind::Length,
            Constraint::Items { .. } => Kind::Items,
            Constraint::OneOf(_) => Kind::OneOf,
            _ => return fail(format!("unexpected {v}")),
        };
        if kind != t.kind {
            return fail(format!("broke {kind:?}: {v}"));
        }
        Ok(())
    }
}
