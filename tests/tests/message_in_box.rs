//! `Message` is decoded straight into its box: the box is made first, with
//! stand-ins for the required fields, and each key is read into its place.
//! These tests pin what that must not change: keys in any order, the last of
//! repeated keys wins, unknown keys are kept, a missing required field is an
//! error naming it (never a message holding a stand-in), and a broken field
//! fails the message (strictly) or its update (tolerantly) without losing
//! the rest of a batch.

use botapi::types::{Message, Update, UpdateKind};
use serde_json::{json, Value};

fn message() -> Value {
    json!({
        "message_id": 7,
        "date": 1_700_000_000,
        "chat": {"id": -100, "type": "supergroup", "title": "t"},
        "text": "hi",
    })
}

#[test]
fn keys_in_any_order_decode_the_same() {
    let forward: Message = serde_json::from_value(message()).unwrap();
    let backward: Message = serde_json::from_str(
        r#"{"text":"hi","chat":{"title":"t","type":"supergroup","id":-100},"date":1700000000,"message_id":7}"#,
    )
    .unwrap();
    assert_eq!(forward, backward);
    assert_eq!(forward.message_id.0, 7);
    assert_eq!(forward.date, 1_700_000_000);
    assert_eq!(forward.chat.id.0, -100);
    assert_eq!(forward.chat.type_.as_str(), "supergroup");
    assert_eq!(forward.text.as_deref(), Some("hi"));
}

#[test]
fn the_last_of_repeated_keys_wins() {
    let m: Message = serde_json::from_str(
        r#"{"message_id":1,"date":2,"chat":{"id":1,"type":"private"},"text":"a",
            "chat":{"id":2,"type":"group","title":"g"},"text":"b","message_id":3}"#,
    )
    .unwrap();
    assert_eq!(m.message_id.0, 3);
    assert_eq!(m.chat.id.0, 2);
    assert_eq!(m.chat.title.as_deref(), Some("g"));
    assert_eq!(m.text.as_deref(), Some("b"));
}

#[test]
fn unknown_keys_are_kept_and_written_back() {
    let mut v = message();
    v["brand_new_field"] = json!({"x": [1, 2]});
    let m: Message = serde_json::from_value(v.clone()).unwrap();
    assert!(m.extra.get("brand_new_field").is_some());
    assert_eq!(serde_json::to_value(&m).unwrap(), v);
}

#[test]
fn a_missing_required_field_is_named() {
    for field in ["message_id", "date", "chat"] {
        let mut v = message();
        v.as_object_mut().unwrap().remove(field);
        let err = serde_json::from_value::<Message>(v)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("missing field `{field}`")),
            "{field}: {err}"
        );
    }
    // Several missing: the first in field order is named.
    let err = serde_json::from_str::<Message>(r#"{"text":"x"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing field `message_id`"), "{err}");
}

#[test]
fn a_broken_field_fails_the_message_strictly() {
    let mut v = message();
    v["chat"] = json!({"id": "not a number", "type": "private"});
    assert!(serde_json::from_value::<Message>(v).is_err());
    let mut v = message();
    v["reply_to_message"] = json!({"message_id": 1, "date": 1});
    let err = serde_json::from_value::<Message>(v)
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing field `chat`"), "{err}");
}

#[test]
fn nested_messages_decode_into_their_own_boxes() {
    let mut v = message();
    let mut inner = message();
    inner["message_id"] = json!(6);
    inner["text"] = json!("earlier");
    v["reply_to_message"] = inner;
    let m: Message = serde_json::from_value(v.clone()).unwrap();
    let r = m.reply_to_message.as_deref().unwrap();
    assert_eq!(r.message_id.0, 6);
    assert_eq!(r.text.as_deref(), Some("earlier"));
    assert_eq!(serde_json::to_value(&m).unwrap(), v);
}

#[test]
fn a_message_without_chat_spoils_only_its_update() {
    let mut broken = message();
    broken.as_object_mut().unwrap().remove("chat");
    let batch = json!([
        {"update_id": 1, "message": message()},
        {"update_id": 2, "message": broken},
        {"update_id": 3, "edited_message": message()},
    ]);
    // Strictly, the batch fails; the client then decodes it tolerantly.
    let text = batch.to_string();
    assert!(botapi::compat::strict(|| serde_json::from_str::<Vec<Update>>(&text)).is_err());
    let updates: Vec<Update> = serde_json::from_str(&text).unwrap();
    assert_eq!(updates.len(), 3);
    assert!(matches!(updates[0].kind, UpdateKind::Message(_)));
    match &updates[1].kind {
        UpdateKind::Undecodable(p) => assert!(p.to_string().contains("chat"), "{p}"),
        other => panic!("expected Undecodable, got {other:?}"),
    }
    assert!(matches!(updates[2].kind, UpdateKind::EditedMessage(_)));
}
