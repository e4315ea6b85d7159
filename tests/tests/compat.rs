//! Forward and backward compatibility of received updates: a `getUpdates`
//! batch mixing ordinary updates with things this version does not know (a
//! new update kind, a new message field, new union variants, a new field
//! next to a known kind) and things that are plainly broken (a known field
//! of the wrong type, a required field missing). Read directly with
//! serde_json, through the client against the mock server, and through the
//! long-polling `Poller`:
//!
//! - every update is delivered, in order, with its `update_id`;
//! - the intact ones are fully typed; unknown parts stay as raw JSON where a
//!   caller can reach them, and each update writes back exactly its input;
//! - a broken part turns its update into `UpdateKind::Undecodable` naming
//!   the kind, where and why decoding failed, and holding the raw part,
//!   instead of failing the whole batch (which would also make a poller
//!   fetch the same poisoned batch forever); an unknown kind is
//!   `UpdateKind::Unknown`, never confused with it;
//! - `botapi::compat` counts unknown and undecodable parts and keeps the
//!   reason of the last failure.

use botapi::compat::{counts, last_undecodable, Counts};
use botapi::types::{MessageOrigin, ReactionType, Update, UpdateKind};
use botapi::{Client, Error};
use botapi_tests::{MockBotApi, Reply};
use serde_json::{json, Value};
use tokio::sync::Mutex;

const TOKEN: &str = "123456:TEST-compat";

/// The counters are process-wide: tests that read them take turns.
static SERIAL: Mutex<()> = Mutex::const_new(());

fn chat() -> Value {
    json!({"id": 5, "type": "private", "first_name": "Ada"})
}

fn message(id: i64) -> Value {
    json!({"message_id": id, "date": 1732400000, "chat": chat(), "text": "hi"})
}

/// Ids 100 to 108; 105 and 106 are broken, 101 and 103 to 104 and 107
/// carry things newer than this version.
fn batch() -> Value {
    let mut with_new_field = message(2);
    with_new_field["sparkles"] = json!({"count": 3, "colour": "gold"});
    let mut with_alien_origin = message(4);
    with_alien_origin["forward_origin"] = json!({"type": "alien", "date": 1, "planet": "Mars"});
    json!([
        {"update_id": 100, "message": message(1)},
        {"update_id": 101, "hologram_shared": {"chat": chat(), "depth": 3}},
        {"update_id": 102, "message": with_new_field},
        {"update_id": 103, "message_reaction": {
            "chat": chat(), "message_id": 3, "date": 5, "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}, {"type": "future_reaction", "glow": 7}]
        }},
        {"update_id": 104, "message": with_alien_origin},
        {"update_id": 105, "message": {"message_id": 5, "date": "yesterday", "chat": chat()}},
        {"update_id": 106, "edited_message": {"message_id": 6, "date": 1732400000, "text": "no chat"}},
        {"update_id": 107, "message": message(7), "delivered_via": "satellite"},
        {"update_id": 108, "message": message(8)}
    ])
}

/// What one read of `batch()` must give, element by element.
fn check_batch(updates: &[Update]) {
    let input = batch();
    let ids: Vec<i64> = updates.iter().map(|u| u.update_id).collect();
    assert_eq!(ids, (100..=108).collect::<Vec<_>>());
    // Nothing is lost: each update writes back exactly what it was read from.
    for (u, raw) in updates.iter().zip(input.as_array().expect("an array")) {
        assert_eq!(&serde_json::to_value(u).expect("serialize"), raw);
    }
    let message = |u: &Update| match &u.kind {
        UpdateKind::Message(m) => (**m).clone(),
        other => panic!("update {}: expected a message, got {other:?}", u.update_id),
    };
    for u in [&updates[0], &updates[8]] {
        assert_eq!(message(u).text.as_deref(), Some("hi"));
        assert!(message(u).extra.is_empty() && u.extra.is_empty());
    }
    // A new update kind.
    match &updates[1].kind {
        UpdateKind::Unknown(parts) => assert_eq!(parts["hologram_shared"]["depth"], 3),
        other => panic!("expected an unknown kind, got {other:?}"),
    }
    // A new field of a known type.
    let m = message(&updates[2]);
    assert_eq!(m.message_id, 2);
    assert_eq!(m.extra["sparkles"]["colour"], "gold");
    // A new variant of a tagged union, next to a known one.
    let UpdateKind::MessageReaction(r) = &updates[3].kind else {
        panic!("expected a reaction, got {:?}", updates[3].kind)
    };
    assert!(matches!(&r.new_reaction[0], ReactionType::Emoji(e) if e.emoji == "👍"));
    assert!(
        matches!(&r.new_reaction[1], ReactionType::Unknown(raw) if raw["glow"] == 7),
        "{:?}",
        r.new_reaction[1]
    );
    // A message origin of a type nobody knows yet.
    let m = message(&updates[4]);
    assert!(
        matches!(m.forward_origin.as_deref(), Some(MessageOrigin::Unknown(raw)) if raw["planet"] == "Mars")
    );
    // A known field with the wrong type: the update is kept, its part raw,
    // with the kind, the place and the reason.
    match &updates[5].kind {
        UpdateKind::Undecodable(part) => {
            assert_eq!((part.owner, part.kind), ("Update", "message"));
            assert_eq!(part.path, "message.date");
            assert!(
                part.error.starts_with("invalid type: string \"yesterday\""),
                "{}",
                part.error
            );
            assert_eq!(part.raw.len(), 1);
            assert_eq!(part.raw["message"]["date"], "yesterday");
        }
        other => panic!("expected the raw message, got {other:?}"),
    }
    // A required field missing: likewise.
    match &updates[6].kind {
        UpdateKind::Undecodable(part) => {
            assert_eq!(
                (part.kind, part.path.as_str()),
                ("edited_message", "edited_message")
            );
            assert!(
                part.error.starts_with("missing field `chat`"),
                "{}",
                part.error
            );
            assert_eq!(part.raw["edited_message"]["text"], "no chat");
        }
        other => panic!("expected the raw edited message, got {other:?}"),
    }
    // A new field next to a known kind.
    assert_eq!(message(&updates[7]).message_id, 7);
    assert_eq!(updates[7].extra["delivered_via"], "satellite");
}

/// The counters moved by exactly one read of `batch()`.
fn check_counted(before: Counts) {
    let after = counts();
    assert_eq!(
        after.unknown_kinds - before.unknown_kinds,
        1,
        "hologram_shared"
    );
    assert_eq!(
        after.undecodable - before.undecodable,
        2,
        "updates 105 and 106"
    );
    let last = last_undecodable().expect("a reason");
    assert!(
        last.starts_with("Update.edited_message: missing field `chat`"),
        "{last}"
    );
}

fn client(server: &MockBotApi) -> Client {
    Client::builder(TOKEN)
        .base_url(server.url())
        .build()
        .expect("client")
}

#[tokio::test]
async fn serde_json_reads_the_whole_batch() {
    let _turn = SERIAL.lock().await;
    let text = batch().to_string();
    let before = counts();
    let updates: Vec<Update> = serde_json::from_str(&text).expect("the batch parses");
    check_batch(&updates);
    check_counted(before);
    // The wrong type is named in the reason.
    let before = counts();
    let one: Update = serde_json::from_value(batch()[5].clone()).expect("parses");
    assert!(matches!(one.kind, UpdateKind::Undecodable(_)));
    assert_eq!(counts().undecodable - before.undecodable, 1);
    let last = last_undecodable().expect("a reason");
    assert!(
        last.starts_with("Update.message.date: invalid type: string \"yesterday\""),
        "{last}"
    );
}

#[tokio::test]
async fn the_client_delivers_the_whole_batch() {
    let _turn = SERIAL.lock().await;
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(batch()));
    let before = counts();
    let updates = client(&server)
        .get_updates()
        .timeout(0)
        .await
        .expect("the batch is delivered");
    check_batch(&updates);
    check_counted(before);
}

#[tokio::test]
async fn the_poller_hands_out_every_update_and_moves_past_broken_ones() {
    let _turn = SERIAL.lock().await;
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(batch()));
    let before = counts();
    let mut poller = client(&server).poller().timeout(0);
    let mut updates = Vec::new();
    for _ in 0..9 {
        updates.push(poller.next().await.expect("an update"));
    }
    check_batch(&updates);
    check_counted(before);
    // The next poll confirms everything, the broken updates included.
    assert_eq!(poller.next_offset(), Some(109));
    assert_eq!(server.requests().len(), 1);
}

/// Without an integer `update_id` an element is not an update at all: it can
/// be neither told apart nor confirmed. Telegram always sends one, so the
/// batch fails as a whole, with the reason, and nothing is counted.
#[tokio::test]
async fn an_element_without_update_id_fails_the_batch_visibly() {
    let _turn = SERIAL.lock().await;
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(json!([
        {"update_id": 1, "message": message(1)},
        {"hologram_shared": {"depth": 1}}
    ])));
    let before = counts();
    let err = client(&server)
        .get_updates()
        .timeout(0)
        .await
        .expect_err("no update_id");
    assert!(
        matches!(&err, Error::Decode { message, .. } if message.contains("missing field `update_id`")),
        "{err:?}"
    );
    assert_eq!(counts(), before);
}
