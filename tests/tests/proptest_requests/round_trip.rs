//! Round trip: random requests of every method, built from the parameter
//! types, decode into the request type and encode back to the same JSON.

use std::sync::Arc;

use botapi::methods::dynamic::{with_request, METHODS};
use botapi_codegen::schema::{Field, TypeExpr};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use proptest::test_runner::TestCaseError;
use serde_json::{json, Value};

use crate::dispatch::RoundTrip;
use crate::model::{expr_depth, Model, Tag};
use crate::{expr, runner, DEPTH, ROUND_TRIP_CASES};

pub(crate) fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..10).prop_map(String::from_iter)
}

/// A value of a field nobody knows yet.
fn future_value() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        text().prop_map(Value::from),
        proptest::collection::vec(any::<u8>(), 0..3).prop_map(|v| json!({ "nested": v })),
    ]
    .boxed()
}

impl Model {
    fn arb_expr(self: &Arc<Self>, e: &TypeExpr, depth: usize) -> BoxedStrategy<Value> {
        match e {
            TypeExpr::Integer => any::<i64>().prop_map(Value::from).boxed(),
            TypeExpr::Float => (-1.0e9f64..1.0e9).prop_map(|x| json!(x)).boxed(),
            TypeExpr::String => text().prop_map(Value::from).boxed(),
            TypeExpr::Boolean => any::<bool>().prop_map(Value::from).boxed(),
            TypeExpr::True => Just(json!(true)).boxed(),
            TypeExpr::InputFile => prop_oneof![
                text().prop_map(Value::from),
                text().prop_map(|t| json!(format!("https://example.org/{t}"))),
            ]
            .boxed(),
            TypeExpr::Array(_) if depth >= DEPTH => Just(json!([])).boxed(),
            TypeExpr::Array(inner) => proptest::collection::vec(self.arb_expr(inner, depth), 0..3)
                .prop_map(Value::from)
                .boxed(),
            TypeExpr::Or(alts) => Union::new(alts.iter().map(|a| self.arb_expr(a, depth))).boxed(),
            TypeExpr::Named(n) => {
                // Built when a value is drawn: recursive types stay finite.
                let model = Arc::clone(self);
                let name = n.clone();
                Just(())
                    .prop_flat_map(move |()| model.arb_named(&name, depth + 1))
                    .boxed()
            }
        }
    }

    fn arb_named(self: &Arc<Self>, name: &str, depth: usize) -> BoxedStrategy<Value> {
        let t = self.schema.type_def(name).expect("known type");
        if let Some(u) = &t.union {
            let mut variants: Vec<TypeExpr> = u.variants.iter().map(|v| expr(&v.ty)).collect();
            if depth >= DEPTH {
                let shallowest = variants
                    .iter()
                    .min_by_key(|e| expr_depth(e, &self.depth_any))
                    .cloned()
                    .expect("a union has variants");
                variants = vec![shallowest];
            }
            return Union::new(variants.iter().map(|e| self.arb_expr(e, depth))).boxed();
        }
        self.arb_object(self.fields(name), self.tags.get(name), depth, true)
    }

    /// An object with its required fields, some optional ones (none when
    /// deep), its tag, and sometimes a key this schema does not know.
    fn arb_object(
        self: &Arc<Self>,
        fields: &[Field],
        tag: Option<&Tag>,
        depth: usize,
        unknown: bool,
    ) -> BoxedStrategy<Value> {
        let mut parts: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
        for f in fields {
            let key = f.name.clone();
            if let Some(tag) = tag.filter(|t| t.key == f.name) {
                parts.push(Just(Some((key, tag.value.clone()))).boxed());
                continue;
            }
            if !f.required && depth >= DEPTH {
                continue;
            }
            let value = self
                .arb_expr(&expr(&f.ty), depth)
                .prop_map(move |v| Some((key.clone(), v)));
            parts.push(if f.required {
                value.boxed()
            } else {
                prop_oneof![Just(None), value].boxed()
            });
        }
        if unknown {
            let extra = proptest::option::weighted(0.2, future_value())
                .prop_map(|v| v.map(|v| ("zz_future_field".to_string(), v)));
            parts.push(extra.boxed());
        }
        parts
            .prop_map(|entries| Value::Object(entries.into_iter().flatten().collect()))
            .boxed()
    }
}

#[test]
fn every_request_round_trips_through_serde() {
    let model = Arc::new(Model::load());
    let mut cases = 0u32;
    for m in &model.schema.methods {
        // Unknown top-level keys are not kept by requests: none are generated.
        let strategy = model.arb_object(&m.params, None, 0, false);
        let name = m.name.clone();
        runner(ROUND_TRIP_CASES)
            .run(&strategy, |json| {
                let back = with_request(&name, RoundTrip(json.clone()))
                    .expect("a method of the schema")
                    .map_err(TestCaseError::fail)?;
                prop_assert_eq!(back, json);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", m.name));
        cases += ROUND_TRIP_CASES;
    }
    println!(
        "round trip: {cases} random requests over {} methods",
        model.schema.methods.len()
    );
    assert_eq!(cases, ROUND_TRIP_CASES * METHODS.len() as u32);
}
