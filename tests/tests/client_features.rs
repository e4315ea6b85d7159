//! Retries, pagination, long polling and downloads against the mock Bot API
//! server on 127.0.0.1.

use std::time::Duration;

use botapi::{Client, ErrorKind, RetryPolicy};
use botapi_tests::{MockBotApi, Reply};
use serde_json::json;

const TOKEN: &str = "42:feature-test-token";

fn client(server: &MockBotApi, retry: Option<RetryPolicy>) -> Client {
    let mut b = Client::builder(TOKEN).base_url(server.url());
    if let Some(p) = retry {
        b = b.retry(p);
    }
    b.build().expect("client")
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        max_total_wait: Duration::from_secs(3),
        base_backoff: Duration::from_millis(10),
    }
}

fn me() -> serde_json::Value {
    json!({"id": 42, "is_bot": true, "first_name": "Bot"})
}

#[tokio::test]
async fn flood_control_then_success() {
    let server = MockBotApi::start().await;
    server.reply(Reply::error(
        429,
        "Too Many Requests: retry after 1",
        Some(json!({"retry_after": 1})),
    ));
    server.reply(Reply::ok(
        json!({"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}, "text": "hi"}),
    ));
    let started = std::time::Instant::now();
    let msg = client(&server, Some(fast_retry()))
        .send_message(1, "hi")
        .await
        .expect("retried");
    assert_eq!(msg.message_id, 1);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited retry_after"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn flood_control_beyond_the_budget_gives_up() {
    let server = MockBotApi::start().await;
    server.reply(Reply::error(
        429,
        "Too Many Requests: retry after 30",
        Some(json!({"retry_after": 30})),
    ));
    let err = client(&server, Some(fast_retry()))
        .get_me()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::TooManyRequests));
    assert_eq!(
        server.requests().len(),
        1,
        "30 s is over the 3 s budget: no wait, no retry"
    );
}

#[tokio::test]
async fn html_502_is_retried_only_for_idempotent_methods() {
    let server = MockBotApi::start().await;
    server.reply(Reply::raw(
        502,
        "text/html",
        "<html><body>Bad Gateway</body></html>",
    ));
    server.reply(Reply::ok(me()));
    let c = client(&server, Some(fast_retry()));
    assert_eq!(c.get_me().await.expect("retried").id, 42);

    server.reply(Reply::raw(
        502,
        "text/html",
        "<html><body>Bad Gateway</body></html>",
    ));
    let err = c.send_message(1, "hi").await.unwrap_err();
    assert!(
        matches!(err, botapi::Error::Decode { status: 502, .. }),
        "{err}"
    );
    assert_eq!(
        server.requests().len(),
        3,
        "sendMessage is not re-sent after an ambiguous failure"
    );
}

fn audio(i: usize) -> serde_json::Value {
    json!({"file_id": format!("id{i}"), "file_unique_id": format!("u{i}"), "duration": i})
}

#[tokio::test]
async fn pages_walk_every_item() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(
        json!({"total_count": 5, "audios": [audio(0), audio(1)]}),
    ));
    server.reply(Reply::ok(
        json!({"total_count": 5, "audios": [audio(2), audio(3)]}),
    ));
    server.reply(Reply::ok(json!({"total_count": 5, "audios": [audio(4)]})));
    let all = client(&server, None)
        .get_user_profile_audios(7)
        .limit(2)
        .pages()
        .collect_all()
        .await
        .expect("pages");
    let ids: Vec<&str> = all.iter().map(|a| a.file_id.as_str()).collect();
    assert_eq!(ids, ["id0", "id1", "id2", "id3", "id4"]);
    let offsets: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.json.as_ref().unwrap().get("offset").cloned())
        .collect();
    assert_eq!(offsets, [Some(json!(0)), Some(json!(2)), Some(json!(4))]);
}

fn update(id: i64) -> serde_json::Value {
    json!({"update_id": id, "message": {"message_id": id, "date": 1, "chat": {"id": 1, "type": "private"}, "text": format!("m{id}")}})
}

#[tokio::test]
async fn polling_confirms_only_what_was_received_and_survives_failures() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(json!([update(10), update(11)])));
    server.reply(Reply::raw(502, "text/html", "<html>down</html>"));
    server.reply(Reply::ok(json!([update(12)])));
    let c = client(&server, None);
    let mut poller = c
        .poller()
        .timeout(0)
        .allowed_updates(["message"])
        .max_backoff(Duration::from_millis(50));
    assert_eq!(poller.next().await.unwrap().update_id, 10);
    assert_eq!(
        poller.next_offset(),
        Some(11),
        "11 is not confirmed before the caller has it"
    );
    assert_eq!(poller.next().await.unwrap().update_id, 11);
    assert_eq!(poller.next().await.unwrap().update_id, 12);
    let polls: Vec<serde_json::Value> = server
        .requests()
        .iter()
        .map(|r| r.json.clone().unwrap())
        .collect();
    assert_eq!(
        polls[0],
        json!({"timeout": 0, "allowed_updates": ["message"]})
    );
    assert_eq!(polls[1]["offset"], 12, "the second poll confirms 10 and 11");
    assert_eq!(
        polls[2]["offset"], 12,
        "a failed poll is repeated with the same offset"
    );

    // A restart resumes from the saved offset.
    let resumed = c.poller().timeout(0).offset(poller.next_offset().unwrap());
    server.reply(Reply::ok(json!([update(13)])));
    let mut resumed = resumed;
    assert_eq!(resumed.next().await.unwrap().update_id, 13);
    assert_eq!(
        server.requests().last().unwrap().json.as_ref().unwrap()["offset"],
        13
    );
}

#[tokio::test]
async fn polling_stops_on_errors_that_need_the_caller() {
    let server = MockBotApi::start().await;
    server.reply(Reply::error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", None));
    let err = client(&server, None)
        .poller()
        .timeout(0)
        .next()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::Conflict));
}

#[tokio::test]
async fn downloads_stream_to_a_chosen_path() {
    let server = MockBotApi::start().await;
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
    server.file("music/file_7.mp3", data.clone());
    let c = client(&server, None);
    let dir = std::env::temp_dir().join(format!("botapi-dl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dest = dir.join("song.mp3");
    let n = c
        .download_to("music/file_7.mp3", &dest)
        .await
        .expect("download");
    assert_eq!(n, data.len() as u64);
    assert_eq!(std::fs::read(&dest).unwrap(), data);
    let mut buf = Vec::new();
    c.download("music/file_7.mp3", &mut buf)
        .await
        .expect("to a writer");
    assert_eq!(buf, data);
    let err = c
        .download("missing.bin", &mut Vec::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("404"), "{err}");
    assert!(!err.to_string().contains("feature-test-token"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The next item of a stream, without a `StreamExt` crate.
async fn next_of<S: futures_core::Stream + Unpin>(s: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *s).poll_next(cx)).await
}

#[tokio::test]
async fn pages_and_updates_are_streams() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(
        json!({"total_count": 3, "audios": [audio(0), audio(1)]}),
    ));
    server.reply(Reply::ok(json!({"total_count": 3, "audios": [audio(2)]})));
    server.reply(Reply::ok(json!([update(20), update(21)])));
    server.reply(Reply::error(
        409,
        "Conflict: terminated by other getUpdates request",
        None,
    ));
    let c = client(&server, None);
    let mut pages = c.get_user_profile_audios(7).limit(2).pages().into_stream();
    let mut ids = Vec::new();
    while let Some(audio) = next_of(&mut pages).await {
        ids.push(audio.unwrap().file_id);
    }
    assert_eq!(ids, ["id0", "id1", "id2"]);
    assert!(
        next_of(&mut pages).await.is_none(),
        "a finished stream stays finished"
    );

    let mut updates = c.poller().timeout(0).into_stream();
    assert_eq!(next_of(&mut updates).await.unwrap().unwrap().update_id, 20);
    assert_eq!(next_of(&mut updates).await.unwrap().unwrap().update_id, 21);
    let err = next_of(&mut updates).await.unwrap().unwrap_err();
    assert_eq!(err.api().map(|a| a.code), Some(409));
    assert!(
        next_of(&mut updates).await.is_none(),
        "the stream ends after such an error"
    );
    assert_eq!(server.requests().len(), 4);
}
