//! The path an `UpdateKind::Undecodable` names is read off the part's JSON
//! text (as serde_json writes it back) at the error's position, without a
//! path-tracking deserializer, which would compile every type's decoder a
//! second time. Here it is compared with
//! what a path-tracking deserializer (`serde_path_to_error`) finds for the
//! same broken part: every leaf of a message with nested objects, arrays
//! and unions is in turn given a value of the wrong kind, and every
//! required field is in turn removed.

use botapi::types::{Message, Update, UpdateKind};
use serde_json::{json, Value};

fn rich_message() -> Value {
    json!({
        "message_id": 7,
        "date": 1732400000,
        "chat": {"id": -100, "type": "supergroup", "title": "Club"},
        "from": {"id": 5, "is_bot": false, "first_name": "Ada", "username": "ada"},
        "text": "bold and a link",
        "entities": [
            {"type": "bold", "offset": 0, "length": 4},
            {"type": "text_link", "offset": 9, "length": 6, "url": "https://example.com"}
        ],
        "photo": [
            {"file_id": "a", "file_unique_id": "ua", "width": 90, "height": 60},
            {"file_id": "b", "file_unique_id": "ub", "width": 900, "height": 600, "file_size": 5000}
        ],
        "reply_to_message": {
            "message_id": 6,
            "date": 1732399000,
            "chat": {"id": -100, "type": "supergroup", "title": "Club"},
            "text": "earlier"
        },
        "reply_markup": {"inline_keyboard": [[
            {"text": "A", "callback_data": "a"},
            {"text": "B", "url": "https://example.com/b"}
        ]]}
    })
}

/// Every place in `v` holding a scalar, as a list of steps.
fn leaves(v: &Value, here: Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let mut p = here.clone();
                p.push(json!(k));
                leaves(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let mut p = here.clone();
                p.push(json!(i));
                leaves(x, p, out);
            }
        }
        _ => out.push(here),
    }
}

fn at<'a>(v: &'a mut Value, steps: &[Value]) -> &'a mut Value {
    steps.iter().fold(v, |v, s| match s {
        Value::String(k) => &mut v[k.as_str()],
        Value::Number(i) => &mut v[i.as_u64().unwrap() as usize],
        _ => unreachable!(),
    })
}

/// The path our decoding reports for `message`, if it is undecodable.
fn ours(message: &Value) -> Option<String> {
    let update = json!({"update_id": 1, "message": message});
    let update: Update = serde_json::from_value(update).expect("an update always decodes");
    match update.kind {
        UpdateKind::Undecodable(part) => Some(part.path),
        _ => None,
    }
}

/// What a path-tracking decoder of the same text reports.
fn tracked(message: &Value) -> String {
    let text = message.to_string();
    let mut de = serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, Message>(&mut de)
        .expect_err("our decoding failed, so this fails too");
    match err.path().to_string().as_str() {
        "." => "message".to_string(),
        p => format!("message.{p}"),
    }
}

#[test]
fn a_wrong_kind_of_value_is_located_where_a_tracking_decoder_finds_it() {
    let message = rich_message();
    assert_eq!(ours(&message), None, "the message itself decodes");
    let mut places = Vec::new();
    leaves(&message, Vec::new(), &mut places);
    let mut compared = 0;
    for place in &places {
        // A value of the wrong kind for any scalar: an object.
        let mut broken = message.clone();
        *at(&mut broken, place) = json!({"odd": [1]});
        if let Some(path) = ours(&broken) {
            assert_eq!(path, tracked(&broken), "leaf {place:?}");
            compared += 1;
        }
    }
    // Only places inside unions that keep what they do not know (the
    // keyboard's buttons are plain objects; the entities too) may pass.
    println!("{compared} of {} leaves compared", places.len());
    assert!(
        compared * 10 >= places.len() * 9,
        "{compared} of {}",
        places.len()
    );
}

#[test]
fn a_missing_required_field_is_located_at_its_object() {
    let message = rich_message();
    let mut places = Vec::new();
    leaves(&message, Vec::new(), &mut places);
    let mut compared = 0;
    for place in &places {
        let Some((last, parent)) = place.split_last() else {
            continue;
        };
        let Value::String(key) = last else { continue };
        let mut broken = message.clone();
        at(&mut broken, parent)
            .as_object_mut()
            .expect("a field's parent is an object")
            .remove(key.as_str());
        if let Some(path) = ours(&broken) {
            assert_eq!(path, tracked(&broken), "without {place:?}");
            compared += 1;
        }
    }
    println!("{compared} required fields compared");
    assert!(compared >= 15, "{compared} required fields compared");
}
