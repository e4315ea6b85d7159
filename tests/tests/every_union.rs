//! Every union and every update kind of the shipped schema, through the
//! generated types and back. Sample JSON is built from the schema itself
//! (each variant with its tag, every field filled to a small depth), so a new
//! union or update kind is covered without writing a fixture by hand.

use std::path::Path;

use botapi_codegen::schema::{Schema, TypeDef, TypeExpr};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

fn schema() -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/api.json");
    botapi_codegen::schema::load::load_file(&path)
        .expect("schema/api.json")
        .schema
}

struct Synth<'a> {
    schema: &'a Schema,
}

impl Synth<'_> {
    fn ty(&self, name: &str) -> &TypeDef {
        self.schema
            .type_def(name)
            .unwrap_or_else(|| panic!("unknown type {name}"))
    }

    fn expr(&self, e: &TypeExpr, depth: usize) -> Value {
        match e {
            TypeExpr::Integer => json!(7),
            TypeExpr::Float => json!(1.5),
            TypeExpr::String => json!("text"),
            TypeExpr::Boolean | TypeExpr::True => json!(true),
            TypeExpr::InputFile => json!("AgACAgIAAxkBAAI"),
            TypeExpr::Array(inner) => json!([self.expr(inner, depth + 1)]),
            TypeExpr::Or(alts) => self.expr(&alts[0], depth),
            TypeExpr::Named(n) => self.named(n, 0, depth),
        }
    }

    /// A tag as the wire carries it: a number for Integer fields.
    fn tag_value(&self, ty: &str, field: &str, tag: &str) -> Value {
        let integer = self
            .schema
            .type_def(ty)
            .and_then(|t| t.fields.as_ref())
            .and_then(|fs| fs.iter().find(|f| f.name == field))
            .is_some_and(|f| f.ty == "Integer");
        match (integer, tag.parse::<i64>()) {
            (true, Ok(n)) => json!(n),
            _ => json!(tag),
        }
    }

    /// How many required fields of a type refer to other named types.
    fn weight(&self, ty: &str) -> usize {
        let Some(t) = self.schema.type_def(ty) else {
            return 0;
        };
        t.fields
            .iter()
            .flatten()
            .filter(|f| {
                f.required
                    && f.ty.chars().next().is_some_and(|c| c.is_uppercase())
                    && !matches!(
                        f.ty.as_str(),
                        "String" | "Integer" | "Float" | "Boolean" | "True"
                    )
            })
            .count()
    }

    /// A value of type `name`; for unions, the `variant`-th variant.
    fn named(&self, name: &str, variant: usize, depth: usize) -> Value {
        let t = self.ty(name);
        if let Some(u) = &t.union {
            // Deep down, prefer the variant with the fewest required named
            // fields, so recursive unions (RichText) end.
            let pick = if depth > 3 {
                (0..u.variants.len())
                    .min_by_key(|i| self.weight(&u.variants[*i].ty))
                    .unwrap_or(0)
            } else {
                variant % u.variants.len()
            };
            let v = &u.variants[pick];
            let mut value = self.expr(&TypeExpr::parse(&v.ty).expect("variant type"), depth);
            if let (Some(d), Some(tag), Some(obj)) =
                (&u.discriminator, &v.value, value.as_object_mut())
            {
                obj.insert(d.clone(), self.tag_value(&v.ty, d, tag));
            }
            return value;
        }
        let mut obj = Map::new();
        for f in t.fields.iter().flatten() {
            if !f.required && depth >= 2 {
                continue;
            }
            let value = match (&f.allowed, f.ty.as_str()) {
                (Some(a), "String") => json!(a[0]),
                _ => self.expr(&TypeExpr::parse(&f.ty).expect("field type"), depth + 1),
            };
            obj.insert(f.name.clone(), value);
        }
        // A variant of a tagged union always carries its own tag.
        for owner in &self.schema.types {
            let Some(u) = &owner.union else { continue };
            let (Some(d), Some(v)) = (&u.discriminator, u.variants.iter().find(|v| v.ty == name))
            else {
                continue;
            };
            if let Some(tag) = &v.value {
                obj.insert(d.clone(), self.tag_value(name, d, tag));
            }
        }
        Value::Object(obj)
    }
}

fn roundtrip<T: DeserializeOwned + Serialize>(what: &str, v: Value) -> T {
    let parsed: T =
        serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{what}: {e}\n{v:#}"));
    let back = serde_json::to_value(&parsed).expect("serialize");
    assert_eq!(back, v, "{what} changed in a round trip");
    // Read from text as the client reads, strictly (where a tagged union
    // whose tag comes first is read straight from the reader), with each
    // key in turn written first: the same value whatever the order.
    for text in each_key_first(&v) {
        let strict: T = botapi::compat::strict(|| serde_json::from_str(&text))
            .unwrap_or_else(|e| panic!("{what}, strictly: {e}\n{text}"));
        let back = serde_json::to_value(&strict).expect("serialize");
        assert_eq!(back, v, "{what} read strictly from {text}");
    }
    parsed
}

/// The object `v` as JSON text once with each of its keys first (the rest
/// in order); anything else once as it is.
fn each_key_first(v: &Value) -> Vec<String> {
    let Some(obj) = v.as_object() else {
        return vec![v.to_string()];
    };
    let entry = |k: &String| format!("{}:{}", Value::from(k.as_str()), obj[k]);
    obj.keys()
        .map(|first| {
            let rest = obj.keys().filter(|k| *k != first).map(entry);
            let all: Vec<String> = std::iter::once(entry(first)).chain(rest).collect();
            format!("{{{}}}", all.join(","))
        })
        .collect()
}

macro_rules! unions {
    ($($name:ident),* $(,)?) => {
        const UNIONS: &[&str] = &[$(stringify!($name)),*];
        fn check_union(name: &str, v: Value) -> String {
            match name {
                $(stringify!($name) => format!("{:?}", roundtrip::<botapi::types::$name>(name, v)),)*
                other => panic!("add {other} to the list"),
            }
        }
    };
}

unions!(
    MaybeInaccessibleMessage,
    MessageOrigin,
    PaidMedia,
    InputPollMedia,
    InputPollOptionMedia,
    BackgroundFill,
    BackgroundType,
    ChatShareTheme,
    EmojiType,
    WidgetQueryType,
    ChatMember,
    StoryAreaType,
    ReactionType,
    OwnedGift,
    BotCommandScope,
    MenuButton,
    ChatBoostSource,
    InputMedia,
    InputPaidMedia,
    InputProfilePhoto,
    InputStoryContent,
    RichText,
    RichBlock,
    InputRichBlock,
    InlineQueryResult,
    InputMessageContent,
    RevenueWithdrawalState,
    TransactionPartner,
    PassportElementError,
    MessageOrTrue,
    MediaGroupItem,
    InputRichMedia,
    Recipient,
    ReplyMarkup,
);

#[test]
fn every_variant_of_every_union_round_trips() {
    let schema = schema();
    let synth = Synth { schema: &schema };
    let unions: Vec<&TypeDef> = schema.types.iter().filter(|t| t.union.is_some()).collect();
    let names: Vec<&str> = unions.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names, UNIONS,
        "the list above must name every union of the schema"
    );
    let mut checked = 0;
    for u in unions {
        let union = u.union.as_ref().expect("union");
        for (i, v) in union.variants.iter().enumerate() {
            let sample = synth.named(&u.name, i, 0);
            let shown = check_union(&u.name, sample);
            // Tagged unions must land on the variant whose tag was sent.
            if union.discriminator.is_some() {
                assert!(
                    !shown.starts_with("Unknown"),
                    "{}: {} parsed as {shown}",
                    u.name,
                    v.ty
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} variants checked");
}

#[test]
fn unknown_tags_are_kept_for_every_tagged_union() {
    let schema = schema();
    for u in schema
        .types
        .iter()
        .filter(|t| t.union.as_ref().is_some_and(|u| u.discriminator.is_some()))
    {
        let d = u
            .union
            .as_ref()
            .and_then(|u| u.discriminator.clone())
            .expect("tagged");
        let sample = json!({ d: "from_the_future", "extra": {"n": 1} });
        let shown = check_union(&u.name, sample);
        assert!(shown.starts_with("Unknown"), "{}: {shown}", u.name);
    }
}

#[test]
fn an_update_batch_with_every_kind() {
    let schema = schema();
    let synth = Synth { schema: &schema };
    let update = schema.type_def("Update").expect("Update");
    let kinds: Vec<&str> = update
        .fields
        .iter()
        .flatten()
        .filter(|f| !f.required)
        .map(|f| f.name.as_str())
        .collect();
    assert!(kinds.len() >= 25, "{kinds:?}");
    let batch: Vec<Value> = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let f = update
                .fields
                .iter()
                .flatten()
                .find(|f| f.name == *kind)
                .expect("kind");
            let payload = synth.expr(&TypeExpr::parse(&f.ty).expect("type"), 0);
            json!({"update_id": 1000 + i, *kind: payload})
        })
        .collect();
    let updates: Vec<botapi::types::Update> = roundtrip("getUpdates batch", Value::Array(batch));
    for (u, kind) in updates.iter().zip(&kinds) {
        assert!(
            !matches!(u.kind, botapi::types::UpdateKind::Unknown(_)),
            "{kind} parsed as Unknown"
        );
    }
}
