//! Unit tests of the webhook: token and path checks, the constant-time
//! compare, decoding, and the hand-over that acknowledges an update only once
//! the application took it.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use tokio::sync::mpsc;

use super::receiver::{constant_time_eq, decode, hand_over, Shared, Updates};
use super::*;
use crate::types::{Update, UpdateKind};

#[test]
fn constant_time_eq_compares_whole_tokens() {
    assert!(constant_time_eq(b"abc-123", b"abc-123"));
    assert!(!constant_time_eq(b"abc-124", b"abc-123"));
    assert!(!constant_time_eq(b"xbc-123", b"abc-123"));
    assert!(!constant_time_eq(b"abc-12", b"abc-123"));
    assert!(!constant_time_eq(b"abc-1234", b"abc-123"));
    assert!(!constant_time_eq(b"", b"abc-123"));
    assert!(!constant_time_eq(b"abc-123\0", b"abc-123"));
    assert!(constant_time_eq(b"", b""));
}

#[test]
fn secret_tokens_follow_telegram_rules() {
    assert!(Webhook::new("Abc_09-z").is_ok());
    assert!(Webhook::new("a".repeat(256)).is_ok());
    for bad in [
        String::new(),
        "a".repeat(257),
        "has space".into(),
        "ümlaut".into(),
        "a:b".into(),
    ] {
        let err = Webhook::new(bad.clone()).unwrap_err();
        assert!(
            matches!(err, WebhookError::InvalidSecretToken(_)),
            "{bad:?}: {err}"
        );
    }
    let err = Webhook::new("SECRET with space").unwrap_err().to_string();
    assert!(!err.contains("SECRET"), "{err}");
}

#[test]
fn paths_are_checked_before_routing() {
    for good in ["/", "/telegram", "/bot/hook-1_a.b~c"] {
        let hook = Webhook::builder().path(good).build().unwrap();
        assert_eq!(hook.path(), good);
        let _ = hook.router();
    }
    for bad in ["", "telegram", "/{id}", "/:id", "/*rest", "/a b", "/a?b"] {
        let err = Webhook::builder().path(bad).build().unwrap_err();
        assert!(matches!(err, WebhookError::InvalidPath { .. }), "{bad:?}");
    }
}

#[test]
fn debug_never_shows_the_secret() {
    let builder = Webhook::builder().secret_token("TOPSECRET-value");
    let hook = builder.clone().build().unwrap();
    let shown = format!("{builder:?} {hook:?}");
    assert!(!shown.contains("TOPSECRET"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(hook.has_secret_token());
    assert!(!Webhook::builder().build().unwrap().has_secret_token());
}

#[test]
fn set_webhook_request_carries_the_secret() {
    let hook = Webhook::new("s3cret_Token").unwrap();
    let request = hook.set_webhook_request("https://example.org/");
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["url"], "https://example.org/");
    assert_eq!(json["secret_token"], "s3cret_Token");
    let shown = format!("{request:?}");
    assert!(
        !shown.contains("s3cret"),
        "the request's Debug hides it: {shown}"
    );
    assert!(
        shown.contains("secret_token: Some(\"<redacted>\")"),
        "{shown}"
    );
    let plain = Webhook::builder().build().unwrap();
    let json = serde_json::to_value(plain.set_webhook_request("https://e/")).unwrap();
    assert!(json.get("secret_token").is_none(), "{json}");
}

#[test]
fn decode_accepts_updates_and_rejects_the_rest() {
    let u = decode(br#"{"update_id":5,"future_kind":{"x":1}}"#).unwrap();
    assert_eq!(u.update_id, 5);
    assert!(matches!(&u.kind, UpdateKind::Unknown(m) if m.contains_key("future_kind")));
    // A known part that does not fit its type is kept as raw JSON, told
    // apart from an unknown kind.
    let u = decode(br#"{"update_id":6,"message":{"message_id":"not a number"}}"#).unwrap();
    assert!(
        matches!(&u.kind, UpdateKind::Undecodable(p) if p.kind == "message" && p.raw.contains_key("message"))
    );
    for bad in [
        &b"not json"[..],
        b"",
        b"[]",
        b"{}",
        br#"{"update_id":"7"}"#,
        b"{\"update_id\":1",
    ] {
        assert!(decode(bad).is_none(), "{}", String::from_utf8_lossy(bad));
    }
}

fn shared(timeout: Duration) -> (Arc<Shared>, Updates) {
    let (tx, rx) = mpsc::channel(QUEUE);
    let shared = Shared {
        secret: None,
        handoff_timeout: timeout,
        tx,
    };
    (Arc::new(shared), Updates { rx })
}

fn update(id: i64) -> Update {
    Update::new(id, UpdateKind::Unknown(serde_json::Map::new()))
}

#[tokio::test]
async fn an_update_is_acknowledged_only_once_taken() {
    let (shared, mut updates) = shared(Duration::from_secs(10));
    let waiting = tokio::spawn({
        let shared = shared.clone();
        async move { hand_over(&shared, update(1)).await.0 }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!waiting.is_finished(), "answered before it was taken");
    assert_eq!(updates.next().await.map(|u| u.update_id), Some(1));
    assert_eq!(waiting.await.unwrap(), StatusCode::OK);
}

#[tokio::test]
async fn an_update_not_taken_in_time_is_refused_and_skipped() {
    let (shared, mut updates) = shared(Duration::from_millis(30));
    assert_eq!(
        hand_over(&shared, update(1)).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    let later = tokio::spawn({
        let shared = shared.clone();
        async move { hand_over(&shared, update(2)).await.0 }
    });
    // Update 1 was refused, so Telegram resends it: it is not handed out.
    assert_eq!(updates.next().await.map(|u| u.update_id), Some(2));
    assert_eq!(later.await.unwrap(), StatusCode::OK);
}

#[tokio::test]
async fn a_dropped_receiver_refuses_updates() {
    let (shared, updates) = shared(Duration::from_secs(10));
    drop(updates);
    assert_eq!(
        hand_over(&shared, update(1)).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    let (shared2, mut updates) = self::shared(Duration::from_secs(10));
    let waiting = tokio::spawn({
        let shared = shared2.clone();
        async move { hand_over(&shared, update(2)).await.0 }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    updates.close();
    assert_eq!(waiting.await.unwrap(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(updates.next().await.is_none());
}
