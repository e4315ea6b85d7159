//! Validation boundaries: values at each bound of every constraint pass,
//! values one step beyond fail with exactly one violation at the right path.

use std::collections::{BTreeMap, HashSet};

use botapi_codegen::schema::{LenUnit, TypeExpr};
use serde_json::{json, Value};

use crate::constraints::{next_down, next_up, of_bytes, rep, targets, Case, Kind, Target, UNITS};
use crate::expr;
use crate::model::Model;
use crate::valid::Route;

impl Model {
    /// Boundary cases of a target, straight from its bounds.
    fn boundary_cases(&self, t: &Target) -> Vec<Case> {
        let f = &t.field;
        let e = expr(&f.ty);
        let leaf_arrays = arrays_of(&e);
        let below = "[0]".repeat(leaf_arrays);
        let mut cases = Vec::new();
        let mut leaf = |value: Value, ok: bool, what: String| {
            cases.push(Case {
                value: self.with_leaf(&e, f, value),
                sibling: false,
                ok,
                below: below.clone(),
                what,
            });
        };
        match t.kind {
            Kind::Range if leaf_kind(&e) == TypeExpr::Integer => {
                let lo = f.min.map(|x| x as i64);
                let hi = f.max.map(|x| x as i64);
                if let Some(lo) = lo {
                    leaf(json!(lo), true, format!("min {lo}"));
                    leaf(json!(lo - 1), false, format!("min - 1 = {}", lo - 1));
                } else {
                    leaf(json!(i64::MIN), true, "no lower bound".into());
                }
                if let Some(hi) = hi {
                    leaf(json!(hi), true, format!("max {hi}"));
                    leaf(json!(hi + 1), false, format!("max + 1 = {}", hi + 1));
                } else {
                    leaf(json!(i64::MAX), true, "no upper bound".into());
                }
            }
            Kind::Range => {
                if let Some(lo) = f.min {
                    leaf(json!(lo), true, format!("min {lo}"));
                    leaf(json!(next_down(lo)), false, "just below min".into());
                    leaf(json!(lo - 1.0), false, "min - 1".into());
                }
                if let Some(hi) = f.max {
                    leaf(json!(hi), true, format!("max {hi}"));
                    leaf(json!(next_up(hi)), false, "just above max".into());
                    leaf(json!(hi + 1.0), false, "max + 1".into());
                }
            }
            Kind::Length => {
                let bytes = f.len_unit == Some(LenUnit::Bytes);
                let lo = f.min_len.unwrap_or(0);
                let hi = f.max_len;
                for unit in UNITS {
                    let make = |n: u64| {
                        if bytes {
                            of_bytes(unit, n)
                        } else {
                            rep(unit, n)
                        }
                    };
                    leaf(json!(make(lo)), true, format!("min {lo} of {unit}"));
                    if lo > 0 {
                        leaf(json!(make(lo - 1)), false, format!("min - 1 of {unit}"));
                    }
                    if let Some(hi) = hi {
                        leaf(json!(make(hi)), true, format!("max {hi} of {unit}"));
                        leaf(json!(make(hi + 1)), false, format!("max + 1 of {unit}"));
                        if bytes && unit.len() > 1 && hi > 0 {
                            // Characters within the limit, bytes beyond it.
                            leaf(json!(rep(unit, hi)), false, format!("{hi} x {unit}"));
                        }
                    }
                }
            }
            Kind::Items => {
                let item = self.valid_expr(inner_of(&e), Some(f), false);
                let lo = f.min_items.unwrap_or(0);
                let items = |n: u64| Value::Array(vec![item.clone(); n as usize]);
                let mut whole = |n: u64, ok: bool| {
                    cases.push(Case {
                        value: items(n),
                        sibling: false,
                        ok,
                        below: String::new(),
                        what: format!("{n} items"),
                    });
                };
                whole(lo, true);
                if lo > 0 {
                    whole(lo - 1, false);
                }
                if let Some(hi) = f.max_items {
                    whole(hi, true);
                    whole(hi + 1, false);
                }
            }
            Kind::OneOf => {
                let allowed = f.allowed.as_deref().unwrap_or_default();
                for a in allowed {
                    leaf(json!(a), true, format!("allowed {a:?}"));
                }
                let first = &allowed[0];
                let mut wrong = vec![format!("{first}_"), format!(" {first}")];
                for flipped in [first.to_lowercase(), first.to_uppercase()] {
                    if !allowed.contains(&flipped) {
                        wrong.push(flipped);
                    }
                }
                if !allowed.iter().any(String::is_empty) {
                    wrong.push(String::new());
                }
                for w in wrong {
                    leaf(json!(w), false, format!("not allowed {w:?}"));
                }
            }
        }
        // A limit counted after entity parsing is not ours to check while
        // the parse mode is set: beyond-bound values then pass.
        if t.kind == Kind::Length && f.len_parsed_with.is_some() {
            let failing: Vec<Case> = cases.iter().filter(|c| !c.ok).cloned().collect();
            for c in failing {
                cases.push(Case {
                    sibling: true,
                    ok: true,
                    what: format!("{} with the parse mode set", c.what),
                    ..c
                });
            }
        }
        cases
    }
}

/// How many arrays wrap the leaves of `e`.
pub(crate) fn arrays_of(e: &TypeExpr) -> usize {
    match e {
        TypeExpr::Array(inner) => 1 + arrays_of(inner),
        _ => 0,
    }
}

pub(crate) fn inner_of(e: &TypeExpr) -> &TypeExpr {
    match e {
        TypeExpr::Array(inner) => inner,
        other => other,
    }
}

pub(crate) fn leaf_kind(e: &TypeExpr) -> TypeExpr {
    match e {
        TypeExpr::Array(inner) => leaf_kind(inner),
        other => other.clone(),
    }
}

#[test]
fn validate_accepts_exactly_the_values_inside_each_constraint() {
    let model = Model::load();
    let (targets, tags) = targets(&model);
    let mut checked = 0usize;
    let mut by_route: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for t in &targets {
        // The field's neighbours alone must already be valid.
        let base = Case {
            value: model.valid_expr(&expr(&t.field.ty), Some(&t.field), true),
            sibling: false,
            ok: true,
            below: String::new(),
            what: "a valid value".into(),
        };
        if let Err(e) = model.verdict(t, &base) {
            failures.push(e);
            continue;
        }
        for case in model.boundary_cases(t) {
            checked += 1;
            if let Err(e) = model.verdict(t, &case) {
                failures.push(e);
            }
        }
        let route = match &t.route {
            Route::Request { hops, .. } if hops.is_empty() => "method parameters",
            Route::Request { .. } => "type fields inside requests",
            Route::Alone => "fields of types no request carries",
        };
        *by_route.entry(route).or_default() += 1;
    }
    println!(
        "validate: {checked} boundary cases for {} constraints ({by_route:?}); {tags} discriminator fields left to their tag",
        targets.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} cases disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        checked >= targets.len() * 2,
        "{checked} cases for {} constraints",
        targets.len()
    );
    // Every kind of constraint the schema uses is exercised.
    for kind in [Kind::Range, Kind::Length, Kind::Items, Kind::OneOf] {
        assert!(targets.iter().any(|t| t.kind == kind), "no {kind:?}");
    }
    let constrained: HashSet<(&str, &str)> = targets
        .iter()
        .map(|t| (t.owner.as_str(), t.field.name.as_str()))
        .collect();
    assert!(constrained.contains(&("sendMessage", "text")));
    assert!(constrained.contains(&("InlineKeyboardButton", "callback_data")));
}
