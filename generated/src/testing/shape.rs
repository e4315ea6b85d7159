//! Values of a type known only as `T: DeserializeOwned`: the fake server
//! answers each method with a value of its result type without a table of
//! result types. Starting from a seed (the plausible fields the fake knows,
//! or `{}`), it decodes the value as `T` the strict way (an unknown field is
//! an error, see [`hooks`](super::hooks)) and mends what the decoder names:
//! a missing field is added, a value of the wrong kind replaced by one of
//! the kind the decoder expected, a field the type does not have removed,
//! until the value decodes. A union gets `{}`, which decodes as its
//! `Unknown` variant unless the seed picked a variant.

use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use super::hooks::{self, Session};
use crate::types::dynamic::{with_type, TypeFn};

/// Mending steps before giving up (a type needs about two per field).
const MAX_STEPS: usize = 400;

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Why a value did not decode: where, and the decoder's message (without
/// its line and column).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    path: Option<Vec<Step>>,
    pub(crate) message: String,
}

/// Decode `text` as a `T` strictly: no unknown field, no broken part kept.
pub(crate) fn decodes<T: DeserializeOwned>(text: &str) -> Result<(), Failure> {
    let (result, _) = hooks::with_session(Session::default(), || {
        crate::compat::strict(|| {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, T>(&mut de).map(drop)
        })
    });
    result.map_err(|e| Failure {
        path: steps(e.path()),
        message: without_position(&e.inner().to_string()),
    })
}

/// Whether `value` is a `T` as it is.
pub(crate) fn fits<T: DeserializeOwned>(value: &Value) -> bool {
    decodes::<T>(&value.to_string()).is_ok()
}

/// `seed` mended into a `T`; `None` if it could not be.
pub(crate) fn complete<T: DeserializeOwned>(mut value: Value) -> Option<Value> {
    for _ in 0..MAX_STEPS {
        match decodes::<T>(&value.to_string()) {
            Ok(()) => return Some(value),
            Err(failure) => {
                if !mend(&mut value, &failure) {
                    return None;
                }
            }
        }
    }
    None
}

/// `seed` mended into a value of the schema type `name` (`Message`).
pub(crate) fn complete_named(name: &str, seed: Value) -> Option<Value> {
    struct Complete(Value);
    impl TypeFn for Complete {
        type Output = Option<Value>;
        fn call<T>(self) -> Option<Value>
        where
            T: crate::Validate
                + serde::Serialize
                + DeserializeOwned
                + std::fmt::Debug
                + std::cmp::PartialEq,
        {
            complete::<T>(self.0)
        }
    }
    with_type(name, Complete(seed)).flatten()
}

fn steps(path: &serde_path_to_error::Path) -> Option<Vec<Step>> {
    use serde_path_to_error::Segment;
    path.iter()
        .map(|segment| match segment {
            Segment::Seq { index } => Some(Step::Index(*index)),
            Segment::Map { key } => Some(Step::Key(key.clone())),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

/// A decoder message without serde_json's ` at line L column C`.
pub(crate) fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => message[..i].to_string(),
        _ => message.to_string(),
    }
}

fn at<'v>(mut value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    for step in path {
        value = match (step, value) {
            (Step::Key(k), Value::Object(map)) => map.get_mut(k)?,
            (Step::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// The text between `start` and the next backtick.
fn quoted<'m>(message: &'m str, start: &str) -> Option<&'m str> {
    let rest = &message[message.find(start)? + start.len()..];
    Some(&rest[..rest.find('`')?])
}

/// Change `root` so that the decoder gets further; false when there is
/// nothing left to try.
fn mend(root: &mut Value, failure: &Failure) -> bool {
    let Some(path) = &failure.path else {
        return false;
    };
    let message = failure.message.as_str();
    if let Some(field) = quoted(message, "missing field `") {
        return match at(root, path) {
            // A value of some kind, which the decoder then names the right
            // kind for (`null` would read as absent).
            Some(Value::Object(map)) => match map.get_mut(field) {
                None => {
                    map.insert(field.to_string(), object());
                    true
                }
                Some(value) => rotate(value),
            },
            _ => false,
        };
    }
    if let Some(field) = quoted(message, "unknown field `") {
        if let Some(Value::Object(map)) = at(root, path) {
            if map.remove(field).is_some() {
                return true;
            }
        }
        // The path may end at the field itself.
        if let Some((Step::Key(last), parent)) = path.split_last() {
            if last == field {
                if let Some(Value::Object(map)) = at(root, parent) {
                    return map.remove(field).is_some();
                }
            }
        }
        return false;
    }
    let name = path.iter().rev().find_map(|s| match s {
        Step::Key(k) => Some(k.as_str()),
        Step::Index(_) => None,
    });
    let Some(node) = at(root, path) else {
        return false;
    };
    let wanted = match message.split_once(", expected ") {
        Some((_, expected)) => sample(expected, name),
        // A union's own message when the value is not an object.
        None if message.starts_with("a ") && message.ends_with(" object") => Some(json!({})),
        None => None,
    };
    match wanted {
        Some(value) if *node != value => {
            *node = value;
            true
        }
        _ => rotate(node),
    }
}

/// A value of the kind a decoder `expected`, plausible for a field `name`.
fn sample(expected: &str, name: Option<&str>) -> Option<Value> {
    let e = expected.to_ascii_lowercase();
    let has = |words: &[&str]| {
        e.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| words.contains(&w))
    };
    Some(if has(&["boolean", "bool"]) {
        // A bare `true` answers the many methods that return it.
        Value::Bool(name.is_none())
    } else if has(&["f32", "f64", "float"]) {
        json!(0.0)
    } else if has(&[
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "integer",
    ]) {
        json!(number_for(name))
    } else if has(&["sequence", "array", "tuple", "list"]) {
        json!([])
    } else if has(&["object", "map", "struct"]) {
        json!({})
    } else if has(&["string"]) {
        json!(text_for(name))
    } else {
        return None;
    })
}

/// A number for a field named `name`: now for dates, 1 for ids, else 0.
fn number_for(name: Option<&str>) -> i64 {
    match name {
        Some(n) if n == "date" || n.ends_with("_date") => now(),
        Some(n) if n == "id" || n.ends_with("_id") => 1,
        _ => 0,
    }
}

/// A text for a field named `name`: readable, and plainly made up.
fn text_for(name: Option<&str>) -> String {
    match name {
        Some("first_name" | "title") => "Test".into(),
        Some(n) => n.to_string(),
        None => "test".into(),
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The next kind of value to try where the decoder's wish was unclear.
fn rotate(node: &mut Value) -> bool {
    let next = match node {
        Value::Null => json!({}),
        Value::Object(_) => json!(0),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!(""),
        Value::String(_) => json!(false),
        Value::Bool(_) => json!([]),
        Value::Array(_) => json!(0.5),
        Value::Number(_) => return false,
    };
    *node = next;
    true
}

/// An empty JSON object.
pub(crate) fn object() -> Value {
    Value::Object(Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Chat, Message};

    #[test]
    fn a_message_from_nothing_and_from_a_seed() {
        let message = complete::<Message>(object()).expect("a message");
        let decoded: Message = serde_json::from_value(message).unwrap();
        assert!(decoded.extra.is_empty());
        let seeded = complete::<Message>(json!({
            "message_id": 7,
            "text": "hi",
            "no_such_field": 1,
            "chat": {"id": 5, "type": "private"}
        }))
        .unwrap();
        assert_eq!(seeded["message_id"], 7);
        assert_eq!(seeded["text"], "hi");
        assert_eq!(seeded["chat"]["id"], 5);
        assert!(seeded.get("no_such_field").is_none(), "{seeded}");
        assert!(seeded["date"].as_i64().unwrap() > 1_700_000_000);
    }

    #[test]
    fn scalars_and_lists() {
        assert_eq!(complete::<bool>(object()), Some(json!(true)));
        assert_eq!(complete::<i64>(object()), Some(json!(0)));
        assert_eq!(complete::<String>(object()), Some(json!("test")));
        assert_eq!(complete::<Vec<Chat>>(object()), Some(json!([])));
    }

    #[test]
    fn fits_is_strict() {
        assert!(fits::<Chat>(&json!({"id": 1, "type": "private"})));
        assert!(!fits::<Chat>(&json!({"id": 1, "type": "private", "x": 1})));
        assert!(!fits::<Chat>(&json!({"id": 1})));
    }

    #[test]
    fn named_types() {
        let audio = complete_named("Audio", json!({"file_id": "CQAD"})).unwrap();
        assert_eq!(audio["file_id"], "CQAD");
        assert!(audio.get("duration").is_some(), "{audio}");
        assert_eq!(complete_named("NoSuchType", object()), None);
    }

    #[test]
    fn every_result_type_can_be_made_up() {
        struct MadeUp;
        impl crate::methods::dynamic::RequestFn for MadeUp {
            type Output = Option<Value>;
            fn call<R>(self) -> Option<Value>
            where
                R: crate::Request + DeserializeOwned + std::fmt::Debug,
            {
                complete::<R::Response>(object())
            }
        }
        for method in crate::methods::dynamic::METHODS {
            let made = crate::methods::dynamic::with_request(method, MadeUp).unwrap();
            assert!(made.is_some(), "no result made up for {method}");
        }
    }

    #[test]
    fn positions_are_dropped() {
        assert_eq!(
            without_position("missing field `x` at line 1 column 2"),
            "missing field `x`"
        );
        assert_eq!(without_position("no position"), "no position");
    }
}
