//! Realistic JSON through the generated types and back: `Update`, `Message`,
//! `Audio`, `UserProfileAudios`; unknown update kinds, unknown union
//! variants and unknown fields are kept as raw JSON.

use botapi::types::{Audio, Message, MessageOrigin, Update, UpdateKind, UserProfileAudios};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn roundtrip<T: DeserializeOwned + Serialize>(v: Value) -> T {
    let parsed: T = serde_json::from_value(v.clone()).expect("parse");
    assert_eq!(
        serde_json::to_value(&parsed).expect("serialize"),
        v,
        "round trip changed the JSON"
    );
    parsed
}

fn audio() -> Value {
    json!({
        "file_id": "CQACAgIAAxkBAAIBZ2VhY2h0",
        "file_unique_id": "AgADxQADbmBgSw",
        "duration": 215,
        "performer": "Nina Simone",
        "title": "Feeling Good",
        "file_name": "feeling_good.mp3",
        "mime_type": "audio/mpeg",
        "file_size": 3441152,
        "thumbnail": {"file_id": "AAMCAgADGQEAAgFn", "file_unique_id": "AQADxQ", "width": 320, "height": 320, "file_size": 12021}
    })
}

fn text_message() -> Value {
    json!({
        "message_id": 4312,
        "from": {"id": 111222333, "is_bot": false, "first_name": "Ada", "last_name": "Lovelace", "username": "ada", "language_code": "en"},
        "chat": {"id": 111222333, "type": "private", "first_name": "Ada", "last_name": "Lovelace", "username": "ada"},
        "date": 1732400000,
        "text": "/start hello https://example.org",
        "entities": [
            {"type": "bot_command", "offset": 0, "length": 6},
            {"type": "url", "offset": 13, "length": 19}
        ]
    })
}

#[test]
fn audio_and_profile_audios() {
    let a: Audio = roundtrip(audio());
    assert_eq!(a.duration, 215);
    assert_eq!(a.thumbnail.as_ref().map(|t| t.width), Some(320));
    let page: UserProfileAudios =
        roundtrip(json!({"total_count": 2, "audios": [audio(), audio()]}));
    assert_eq!(page.audios.len(), 2);
}

#[test]
fn messages() {
    let m: Message = roundtrip(text_message());
    assert_eq!(m.entities.as_ref().map(Vec::len), Some(2));
    let reply = json!({
        "message_id": 4313,
        "chat": {"id": -1001234567890_i64, "type": "supergroup", "title": "Jazz", "is_forum": true},
        "sender_chat": {"id": -1001234567890_i64, "type": "supergroup", "title": "Jazz"},
        "date": 1732400100,
        "message_thread_id": 17,
        "is_topic_message": true,
        "reply_to_message": text_message(),
        "forward_origin": {"type": "channel", "chat": {"id": -1009, "type": "channel", "title": "News"}, "message_id": 5, "date": 1732300000},
        "audio": audio(),
        "caption": "listen",
        "caption_entities": [{"type": "bold", "offset": 0, "length": 6}],
        "reply_markup": {"inline_keyboard": [[{"text": "Like", "callback_data": "like:4313"}, {"text": "Open", "url": "https://example.org"}]]}
    });
    let m: Message = roundtrip(reply);
    assert!(matches!(
        m.forward_origin.as_deref(),
        Some(MessageOrigin::Channel(_))
    ));
    assert_eq!(
        m.reply_to_message.as_ref().map(|r| r.message_id.get()),
        Some(4312)
    );
}

#[test]
fn update_batch_with_every_kind_in_the_slice() {
    let batch = json!([
        {"update_id": 1, "message": text_message()},
        {"update_id": 2, "edited_message": {"message_id": 9, "date": 1, "edit_date": 2, "chat": {"id": 1, "type": "private"}, "text": "fixed"}},
        {"update_id": 3, "channel_post": {"message_id": 10, "date": 1, "chat": {"id": -100, "type": "channel", "title": "C"}, "author_signature": "Ed", "text": "post"}},
        {"update_id": 4, "edited_channel_post": {"message_id": 10, "date": 1, "edit_date": 3, "chat": {"id": -100, "type": "channel", "title": "C"}, "text": "post!"}}
    ]);
    let updates: Vec<Update> = roundtrip(batch);
    assert!(matches!(updates[0].kind, UpdateKind::Message(_)));
    assert!(matches!(updates[1].kind, UpdateKind::EditedMessage(_)));
    assert!(matches!(updates[2].kind, UpdateKind::ChannelPost(_)));
    assert!(matches!(updates[3].kind, UpdateKind::EditedChannelPost(_)));
}

#[test]
fn unknown_update_kind_keeps_its_raw_json() {
    let raw = json!({"update_id": 99, "hologram_shared": {"chat": {"id": 1, "type": "private"}, "depth": 3}});
    let u: Update = roundtrip(raw.clone());
    match &u.kind {
        UpdateKind::Unknown(rest) => assert_eq!(rest["hologram_shared"], raw["hologram_shared"]),
        other => panic!("expected Unknown, got {other:?}"),
    }
    // A kind this version knows, with a union inside.
    let known = json!({"update_id": 100, "message_reaction": {"chat": {"id": 1, "type": "private"}, "message_id": 3, "date": 5, "old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": "👍"}]}});
    let u: Update = roundtrip(known);
    assert!(matches!(u.kind, UpdateKind::MessageReaction(_)));
}

#[test]
fn unknown_union_variant_and_unknown_fields() {
    let m: Message = serde_json::from_value(json!({
        "message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"},
        "forward_origin": {"type": "robot", "date": 1, "serial": "R2"},
        "brand_new_field": {"nested": true}
    }))
    .expect("parse");
    match m.forward_origin.as_deref() {
        Some(MessageOrigin::Unknown(v)) => assert_eq!(v["serial"], "R2"),
        other => panic!("expected Unknown origin, got {other:?}"),
    }
    // Unknown fields are kept, and written back.
    assert_eq!(m.extra["brand_new_field"], json!({"nested": true}));
    let back = serde_json::to_value(&m).unwrap();
    assert_eq!(back["brand_new_field"], json!({"nested": true}));
    assert_eq!(back["forward_origin"]["serial"], "R2");
}

#[test]
fn a_broken_known_variant_is_an_error_with_context() {
    let err = serde_json::from_value::<Message>(json!({
        "message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"},
        "forward_origin": {"type": "user", "date": 1}
    }))
    .unwrap_err();
    assert!(err.to_string().contains("sender_user"), "{err}");
}

#[test]
fn inaccessible_messages_are_told_apart_by_date_zero() {
    use botapi::types::{CallbackQuery, MaybeInaccessibleMessage};
    let from = json!({"id": 5, "is_bot": false, "first_name": "Ada"});
    let old = json!({"id": "4382bfdwdsb323b2d9", "from": from, "chat_instance": "-123", "data": "like",
        "message": {"chat": {"id": 5, "type": "private"}, "message_id": 77, "date": 0}});
    let q: CallbackQuery = roundtrip(old);
    match q.message.as_deref() {
        Some(MaybeInaccessibleMessage::InaccessibleMessage(m)) => assert_eq!(m.message_id, 77),
        other => panic!("expected an inaccessible message, got {other:?}"),
    }
    let fresh = json!({"id": "4382bfdwdsb323b2da", "from": from, "chat_instance": "-123", "data": "like",
        "message": {"chat": {"id": 5, "type": "private"}, "message_id": 78, "date": 1732400000, "text": "hi"}});
    let q: CallbackQuery = roundtrip(fresh);
    assert!(
        matches!(q.message.as_deref(), Some(MaybeInaccessibleMessage::Message(m)) if m.text.as_deref() == Some("hi"))
    );
}
