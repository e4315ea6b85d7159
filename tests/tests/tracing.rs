//! Tracing (feature `tracing`): one span per call named after its method,
//! events for retries and failures, and never the token. Its own test
//! binary: tracing caches per-callsite interest process-wide, so a test
//! running beside others that have no subscriber could miss events.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use botapi::Client;
use botapi_tests::{MockBotApi, Reply};

const TOKEN: &str = "123456:SECRET-tracing-token";

/// A writer the tracing subscriber prints into.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn each_call_has_a_span_with_its_method_and_no_token() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockBotApi::start().await;
    server.reply(Reply::error(
        429,
        &format!("Too Many Requests: retry after 0 (bot{TOKEN})"),
        Some(serde_json::json!({"retry_after": 0})),
    ));
    let c = Client::builder(TOKEN)
        .base_url(server.url())
        .retry(botapi::RetryPolicy {
            max_attempts: 2,
            max_total_wait: Duration::from_secs(1),
            base_backoff: Duration::from_millis(1),
        })
        .build()
        .unwrap();
    c.get_me().await.unwrap_err(); // `true` is not a User: a decode error
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("botapi.request"), "{log}");
    assert!(log.contains("method=\"getMe\""), "{log}");
    assert!(log.contains("retrying"), "{log}");
    assert!(log.contains("call failed"), "{log}");
    assert!(!log.contains("SECRET"), "{log}");
}

#[tokio::test]
async fn each_unknown_or_undecodable_part_is_one_event() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockBotApi::start().await;
    let chat = serde_json::json!({"id": 1, "type": "private"});
    // The strict pass fails on the first update, the tolerant one keeps it:
    // still one event per part.
    server.reply(Reply::ok(serde_json::json!([
        {"update_id": 1, "message": {"message_id": 1, "date": "yesterday", "chat": chat}},
        {"update_id": 2, "future_kind": {"x": 1}},
    ])));
    // Decoded by the strict pass alone.
    server.reply(Reply::ok(serde_json::json!([
        {"update_id": 3, "another_future_kind": {}},
    ])));
    let c = Client::builder(TOKEN)
        .base_url(server.url())
        .build()
        .unwrap();
    assert_eq!(c.get_updates().await.unwrap().len(), 2);
    assert_eq!(c.get_updates().await.unwrap().len(), 1);
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines = |needle: &str| log.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(lines("did not decode"), 1, "{log}");
    assert_eq!(lines("does not know"), 2, "{log}");
    let bad = log.lines().find(|l| l.contains("did not decode")).unwrap();
    assert!(
        bad.contains("WARN") && bad.contains("kind=\"message\""),
        "{bad}"
    );
    assert!(bad.contains("path=message.date"), "{bad}");
    assert!(
        log.contains("Update: future_kind") && log.contains("Update: another_future_kind"),
        "{log}"
    );
}
