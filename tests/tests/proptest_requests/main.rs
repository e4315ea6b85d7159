//! Property tests over every request of the shipped schema, driven by the
//! schema itself (loaded with the codegen library), never by a hand-picked
//! list:
//!
//! - Round trip: for each method, arbitrary JSON that follows the parameter
//!   types (integers, floats, strings, booleans, arrays, nested objects with
//!   their tags, unions, and unknown keys inside nested objects) decodes into
//!   the request type picked by wire name and encodes back to the same JSON.
//! - Validation boundaries: for every constraint `validate()` enforces
//!   (ranges, string lengths in characters or bytes, item counts, allowed
//!   values) on a method parameter or on a field of a type, the value is
//!   placed where a request carries it (or, for types no request carries,
//!   in the type itself). Values at each bound pass; values one step beyond
//!   fail with exactly one violation whose path names the method and the
//!   parameter (`sendMessage.reply_markup.inline_keyboard[0][0].callback_data`).
//!   Lengths are tried with 1- to 4-byte characters; a limit counted after
//!   entity parsing is skipped while its `parse_mode` sibling is set. Then
//!   random values inside and outside each constraint.
//!
//! Not covered here: discriminator fields (`type` of a tagged variant), whose
//! allowed values are enforced by the tag when parsing, not by `validate()`
//! (checked: the tag is among them), and `max_upload` limits, which only
//! apply to uploads, and an upload cannot be written as JSON.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt::Debug;
use std::path::Path;
use std::sync::Arc;

use botapi::methods::dynamic::{with_request, RequestFn, METHODS};
use botapi::types::dynamic::{with_type, TypeFn, TYPES};
use botapi::validate::{Constraint, Validator, Violation};
use botapi::{Request, Validate};
use botapi_codegen::schema::{Field, LenUnit, Schema, TypeExpr};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Random requests per method in the round trip.
const ROUND_TRIP_CASES: u32 = 64;
/// Random values inside and outside each constraint.
const RANDOM_CASES: u32 = 16;
/// Named types nested deeper than this get their required parts only.
const DEPTH: usize = 3;

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

fn expr(src: &str) -> TypeExpr {
    TypeExpr::parse(src).unwrap_or_else(|e| panic!("type `{src}`: {}", e.message))
}

/// The tag a variant of a tagged union writes itself.
#[derive(Debug, Clone)]
struct Tag {
    key: String,
    value: Value,
}

/// The shipped schema with what the generators need to know about it.
struct Model {
    schema: Schema,
    /// Variant type -> its tag.
    tags: HashMap<String, Tag>,
    /// Smallest nesting of a value of each type with its required parts only
    /// and arrays left empty (terminates recursive types).
    depth_any: HashMap<String, usize>,
    /// The same, with arrays as long as their `min_items` (valid values).
    depth_valid: HashMap<String, usize>,
}

impl Model {
    fn load() -> Model {
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

    fn fields(&self, ty: &str) -> &[Field] {
        self.schema
            .type_def(ty)
            .and_then(|t| t.fields.as_deref())
            .unwrap_or_default()
    }

    /// Is `field` of `ty` the discriminator its tag stands for?
    fn is_tag(&self, ty: &str, field: &str) -> bool {
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

// ---------------------------------------------------------------------------
// Dispatch: what the tests do with a request or type picked by name.

/// Decode as the request type, encode again.
struct RoundTrip(Value);

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
struct CheckRequest(Value);

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
struct CheckType {
    root: &'static str,
    value: Value,
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

// ---------------------------------------------------------------------------
// Round trip.

fn text() -> impl Strategy<Value = String> {
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

fn expr_depth(e: &TypeExpr, d: &HashMap<String, usize>) -> usize {
    match e {
        TypeExpr::Named(n) => d.get(n).copied().unwrap_or(usize::MAX),
        TypeExpr::Or(alts) => alts.iter().map(|a| expr_depth(a, d)).min().unwrap_or(0),
        _ => 0,
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

// ---------------------------------------------------------------------------
// Valid values and where a constrained field sits.

impl Model {
    /// A value of `e` that breaks no constraint: leaves follow `f`'s own
    /// constraints, the outermost array has `min_items` items.
    fn valid_expr(&self, e: &TypeExpr, f: Option<&Field>, outermost: bool) -> Value {
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

    /// The required fields (and the tag) of an object, all valid.
    fn valid_object(&self, owner: &str, fields: &[Field]) -> Map<String, Value> {
        let mut out = Map::new();
        for f in fields.iter().filter(|f| f.required) {
            let value = match self.tags.get(owner).filter(|t| t.key == f.name) {
                Some(tag) => tag.value.clone(),
                None => self.valid_expr(&expr(&f.ty), Some(f), true),
            };
            out.insert(f.name.clone(), value);
        }
        out
    }
}

/// One hop on the way from a request to a constrained field: the field
/// `field` of `owner` (a method or an object type), whose value holds the
/// next object `arrays` arrays deep.
#[derive(Debug, Clone)]
struct Hop {
    owner: String,
    field: Field,
    arrays: usize,
}

/// Where a type is carried: by a method (through hops) or only on its own.
#[derive(Debug, Clone)]
enum Route {
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
fn routes(model: &Model) -> HashMap<String, Route> {
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

// ---------------------------------------------------------------------------
// Constraints and their cases.

/// What a constraint limits.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Range,
    Length,
    Items,
    OneOf,
}

/// One constraint of one field, and where that field sits.
#[derive(Debug, Clone)]
struct Target {
    /// Method (for a parameter) or type that owns the field.
    owner: String,
    field: Field,
    /// The owner's fields (or parameters), the target among them.
    siblings: Vec<Field>,
    /// How a request reaches the owner (no hops for a parameter); a type
    /// carried by no request is validated on its own.
    route: Route,
    kind: Kind,
}

impl Target {
    fn name(&self) -> String {
        format!("{}.{} ({:?})", self.owner, self.field.name, self.kind)
    }
}

/// Every constraint `validate()` enforces, and the number of discriminator
/// fields whose allowed values are left to the tag.
fn targets(model: &Model) -> (Vec<Target>, usize) {
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
struct Case {
    value: Value,
    /// Set the `len_parsed_with` sibling.
    sibling: bool,
    ok: bool,
    /// The violation's path below the field (`[0]` for an array's item).
    below: String,
    what: String,
}

/// `n` copies of `unit`.
fn rep(unit: &str, n: u64) -> String {
    unit.repeat(n as usize)
}

/// A string of exactly `bytes` UTF-8 bytes made mostly of `unit`.
fn of_bytes(unit: &str, bytes: u64) -> String {
    let n = bytes / unit.len() as u64;
    format!(
        "{}{}",
        rep(unit, n),
        rep("a", bytes - n * unit.len() as u64)
    )
}

const UNITS: [&str; 4] = ["a", "é", "字", "🎵"];

fn next_up(x: f64) -> f64 {
    if x == 0.0 {
        return f64::from_bits(1);
    }
    let bits = x.to_bits();
    f64::from_bits(if x > 0.0 { bits + 1 } else { bits - 1 })
}

fn next_down(x: f64) -> f64 {
    -next_up(-x)
}

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

    /// `value` as the (first) leaf of a field of type `e`, inside as many
    /// arrays as `e` has; the outermost array padded to `min_items`.
    fn with_leaf(&self, e: &TypeExpr, f: &Field, value: Value) -> Value {
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
        if case.sibling {
            let name = t.field.len_parsed_with.as_deref().expect("a sibling");
            let sib = t.siblings.iter().find(|s| s.name == name).expect("sibling");
            assert!(!sib.required, "{}: the parse mode is optional", t.name());
            own.insert(
                name.to_string(),
                self.valid_expr(&expr(&sib.ty), Some(sib), true),
            );
        }
        let mut value = Value::Object(own);
        let mut path = format!(".{}{}", t.field.name, case.below);
        let root = match &t.route {
            Route::Alone => t.owner.clone(),
            Route::Request { method, hops } => {
                for (i, hop) in hops.iter().enumerate().rev() {
                    // The first hop leaves the request, the others an object.
                    let mut parent = if i == 0 {
                        let m = self.schema.methods.iter().find(|m| &m.name == method);
                        self.valid_object(method, &m.expect("a method").params)
                    } else {
                        self.valid_object(&hop.owner, self.fields(&hop.owner))
                    };
                    let e = expr(&hop.field.ty);
                    parent.insert(
                        hop.field.name.clone(),
                        self.with_leaf(&e, &hop.field, value),
                    );
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
    fn verdict(&self, t: &Target, case: &Case) -> Result<(), String> {
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

/// How many arrays wrap the leaves of `e`.
fn arrays_of(e: &TypeExpr) -> usize {
    match e {
        TypeExpr::Array(inner) => 1 + arrays_of(inner),
        _ => 0,
    }
}

fn inner_of(e: &TypeExpr) -> &TypeExpr {
    match e {
        TypeExpr::Array(inner) => inner,
        other => other,
    }
}

fn leaf_kind(e: &TypeExpr) -> TypeExpr {
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
