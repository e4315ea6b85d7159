//! Dispatch: what the tests do with a request or type picked by wire name,
//! and the test that every method and type can be picked.

use std::fmt::Debug;

use botapi::methods::dynamic::{with_request, RequestFn, METHODS};
use botapi::types::dynamic::{with_type, TypeFn, TYPES};
use botapi::validate::{Validator, Violation};
use botapi::{Request, Validate};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::model::Model;

/// Decode as the request type, encode again.
pub(crate) struct RoundTrip(pub(crate) Value);

impl RequestFn for RoundTrip {
    type Output = Result<Value, String>;
    fn call<R>(self) -> Self::Output
    where
        R: Request + DeserializeOwned + Debug,
    {
        let request: R = serde_json::from_value(self.0).map_err(|e| format!("decode: {e}"))?;
        serde_json::to_value(&request).map_err(|e| format!("encode: {e}"))
    }
}

/// Decode as the request type and validate; the violations found.
pub(crate) struct CheckRequest(pub(crate) Value);

impl RequestFn for CheckRequest {
    type Output = Result<Vec<Violation>, String>;
    fn call<R>(self) -> Self::Output
    where
        R: Request + DeserializeOwned + Debug,
    {
        let request: R = serde_json::from_value(self.0).map_err(|e| format!("decode: {e}"))?;
        Ok(violations(Validator::run(R::METHOD, &request)))
    }
}

/// Decode as the type and validate it on its own, under its schema name.
pub(crate) struct CheckType {
    pub(crate) root: &'static str,
    pub(crate) value: Value,
}

impl TypeFn for CheckType {
    type Output = Result<Vec<Violation>, String>;
    fn call<T>(self) -> Self::Output
    where
        T: Validate + Serialize + DeserializeOwned + Debug + PartialEq,
    {
        let value: T = serde_json::from_value(self.value).map_err(|e| format!("decode: {e}"))?;
        Ok(violations(Validator::run(self.root, &value)))
    }
}

fn violations(r: Result<(), botapi::ValidationError>) -> Vec<Violation> {
    r.err().map(|e| e.violations).unwrap_or_default()
}

#[test]
fn dispatch_knows_every_method_and_type() {
    let model = Model::load();
    let mut methods: Vec<&str> = model
        .schema
        .methods
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    methods.sort_unstable();
    assert_eq!(METHODS, methods.as_slice());
    let mut types: Vec<&str> = model.schema.types.iter().map(|t| t.name.as_str()).collect();
    types.sort_unstable();
    assert_eq!(TYPES, types.as_slice());
    assert!(with_request("noSuchMethod", RoundTrip(json!({}))).is_none());
    assert!(with_type(
        "NoSuchType",
        CheckType {
            root: "x",
            value: json!({})
        }
    )
    .is_none());
}
