//! Random values drawn inside and outside each constraint, judged the same
//! way as the boundary cases.

use std::sync::Arc;

use botapi_codegen::schema::{LenUnit, TypeExpr};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use proptest::test_runner::TestCaseError;
use serde_json::{json, Value};

use crate::boundaries::{arrays_of, inner_of, leaf_kind};
use crate::constraints::{of_bytes, rep, targets, Case, Kind, Target, UNITS};
use crate::model::Model;
use crate::round_trip::text;
use crate::{expr, runner, RANDOM_CASES};

/// Random values drawn inside and outside each constraint.
fn random_cases(model: &Arc<Model>, t: &Target) -> BoxedStrategy<Case> {
    let f = t.field.clone();
    let e = expr(&f.ty);
    let below = "[0]".repeat(arrays_of(&e));
    let m = Arc::clone(model);
    let e2 = e.clone();
    let f2 = f.clone();
    let leaf = move |value: Value, ok: bool, what: String| Case {
        value: m.with_leaf(&e2, &f2, value),
        sibling: false,
        ok,
        below: below.clone(),
        what,
    };
    match t.kind {
        Kind::Range if leaf_kind(&e) == TypeExpr::Integer => {
            let lo = f.min.map_or(i64::MIN, |x| x as i64);
            let hi = f.max.map_or(i64::MAX, |x| x as i64);
            let mut s = vec![(lo..=hi).prop_map(move |n| (n, true)).boxed()];
            if lo > i64::MIN {
                s.push((i64::MIN..lo).prop_map(|n| (n, false)).boxed());
            }
            if hi < i64::MAX {
                s.push(((hi + 1)..=i64::MAX).prop_map(|n| (n, false)).boxed());
            }
            Union::new(s)
                .prop_map(move |(n, ok)| leaf(json!(n), ok, format!("{n}")))
                .boxed()
        }
        Kind::Range => {
            let lo = f.min.unwrap_or(-1e12);
            let hi = f.max.unwrap_or(1e12);
            prop_oneof![
                (lo..=hi).prop_map(|x| (x, true)),
                (1e-9f64..1e6).prop_map(move |d| (lo - d, f.min.is_none())),
                (1e-9f64..1e6).prop_map(move |d| (hi + d, f.max.is_none())),
            ]
            .prop_map(move |(x, ok)| leaf(json!(x), ok, format!("{x}")))
            .boxed()
        }
        Kind::Length => {
            let bytes = f.len_unit == Some(LenUnit::Bytes);
            let lo = f.min_len.unwrap_or(0);
            let hi = f.max_len.unwrap_or(lo + 100);
            let unbounded = f.max_len.is_none();
            let mut lens = vec![(lo..=hi).prop_map(|n| (n, true)).boxed()];
            if lo > 0 {
                lens.push((0..lo).prop_map(|n| (n, false)).boxed());
            }
            lens.push(
                ((hi + 1)..=(hi + 40))
                    .prop_map(move |n| (n, unbounded))
                    .boxed(),
            );
            (Union::new(lens), proptest::sample::select(UNITS.to_vec()))
                .prop_map(move |((n, ok), unit)| {
                    let s = if bytes {
                        of_bytes(unit, n)
                    } else {
                        rep(unit, n)
                    };
                    leaf(
                        json!(s),
                        ok,
                        format!("{n} {} of {unit}", if bytes { "bytes" } else { "chars" }),
                    )
                })
                .boxed()
        }
        Kind::Items => {
            let lo = f.min_items.unwrap_or(0);
            let hi = f.max_items.unwrap_or(lo + 5);
            let unbounded = f.max_items.is_none();
            let item = model.valid_expr(inner_of(&e), Some(&f), false);
            let mut counts = vec![(lo..=hi).prop_map(|n| (n, true)).boxed()];
            if lo > 0 {
                counts.push((0..lo).prop_map(|n| (n, false)).boxed());
            }
            counts.push(
                ((hi + 1)..=(hi + 5))
                    .prop_map(move |n| (n, unbounded))
                    .boxed(),
            );
            Union::new(counts)
                .prop_map(move |(n, ok)| Case {
                    value: Value::Array(vec![item.clone(); n as usize]),
                    sibling: false,
                    ok,
                    below: String::new(),
                    what: format!("{n} items"),
                })
                .boxed()
        }
        Kind::OneOf => {
            let allowed = f.allowed.clone().unwrap_or_default();
            let known = allowed.clone();
            prop_oneof![
                proptest::sample::select(allowed).prop_map(|a| (a, true)),
                text().prop_map(move |s| {
                    let ok = known.contains(&s);
                    (s, ok)
                }),
            ]
            .prop_map(move |(s, ok)| leaf(json!(s), ok, format!("{s:?}")))
            .boxed()
        }
    }
}

#[test]
fn validate_agrees_with_random_values_around_each_constraint() {
    let model = Arc::new(Model::load());
    let (targets, _) = targets(&model);
    for t in &targets {
        runner(RANDOM_CASES)
            .run(&random_cases(&model, t), |case| {
                model.verdict(t, &case).map_err(TestCaseError::fail)
            })
            .unwrap_or_else(|e| panic!("{}: {e}", t.name()));
    }
    println!(
        "validate: {} random cases for {} constraints",
        RANDOM_CASES as usize * targets.len(),
        targets.len()
    );
}
