//! Fault tests over real HTTP on 127.0.0.1: servers that answer with
//! nothing, too much, garbage, half a reply, silence or a reset connection.
//! Every fault must come back as a typed error that never shows the token,
//! and the same client must keep working for the next call.

use std::time::Duration;

use botapi::{Client, Error, RetryPolicy};
use botapi_tests::raw::{head, Behaviour, RawServer};
use botapi_tests::{MockBotApi, Reply};
use serde_json::json;

const TOKEN: &str = "123456:SECRET-abc";
const SECRET: &str = "SECRET-abc";
const BOT_ID: i64 = 123456;

fn me_reply() -> Behaviour {
    Behaviour::json(&json!({
        "ok": true,
        "result": {"id": BOT_ID, "is_bot": true, "first_name": "Bot"}
    }))
}

/// A raw server that answers `getMe` normally unless scripted otherwise.
async fn server() -> RawServer {
    RawServer::start(me_reply()).await.expect("bind 127.0.0.1")
}

fn builder(url: &str) -> botapi::ClientBuilder {
    Client::builder(TOKEN)
        .base_url(url)
        .timeout(Some(Duration::from_secs(5)))
        .connect_timeout(Duration::from_secs(2))
}

fn client(server: &RawServer) -> Client {
    builder(&server.url()).build().expect("client")
}

/// Neither `Display` nor `Debug` may show the secret half of the token.
fn assert_redacted(err: &Error) {
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(SECRET), "the token leaks: {shown}");
}

/// The same client completes a normal call after the fault.
async fn still_works(client: &Client, server: &RawServer) {
    let me = client.get_me().await.expect("getMe after the fault");
    assert_eq!(me.id, BOT_ID);
    assert_eq!(
        server.requests().last().map(|r| r.method().to_string()),
        Some("getMe".to_string())
    );
}

/// One `getMe` against the next scripted behaviour; it must fail.
async fn failing_get_me(client: &Client) -> Error {
    let err = client.get_me().await.expect_err("the fault is reported");
    assert_redacted(&err);
    err
}

#[tokio::test]
async fn empty_body() {
    let server = server().await;
    server.push(Behaviour::reply(200, "application/json", b""));
    let c = client(&server);
    let err = failing_get_me(&c).await;
    match &err {
        Error::Decode {
            method,
            status,
            message,
            body_prefix,
        } => {
            assert_eq!((*method, *status), ("getMe", 200));
            assert!(message.contains("empty body"), "{err}");
            assert!(body_prefix.is_empty(), "{err}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    still_works(&c, &server).await;
}

#[tokio::test]
async fn body_over_the_default_limit() {
    let server = server().await;
    let total = 50 * 1000 * 1000;
    server.push(Behaviour::Stream {
        head: head(200, "application/json", total),
        bytes: total,
    });
    let c = client(&server);
    let err = failing_get_me(&c).await;
    match &err {
        Error::Decode {
            status, message, ..
        } => {
            assert_eq!(*status, 200);
            assert!(
                message.contains(&botapi::DEFAULT_MAX_REPLY.to_string()),
                "the limit is named: {err}"
            );
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(
        shown.len() < 1000,
        "the error stays short: {} bytes",
        shown.len()
    );
    still_works(&c, &server).await;
}

#[tokio::test]
async fn body_over_a_small_limit_fails_before_the_server_is_done() {
    // The server announces 50 MB, sends 1 MiB and then nothing more: a client
    // that waited for the whole body would time out instead.
    let server = server().await;
    let total = 50 * 1000 * 1000;
    server.push(Behaviour::StreamThenHang {
        head: head(200, "application/json", total),
        bytes: 1024 * 1024,
    });
    let c = builder(&server.url())
        .max_reply_bytes(64 * 1024)
        .build()
        .expect("client");
    let err = failing_get_me(&c).await;
    match &err {
        Error::Decode { message, .. } => {
            assert!(message.contains("65536"), "the limit is named: {err}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(server.streamed() < total);
    still_works(&c, &server).await;
}

#[tokio::test]
async fn invalid_utf8_body() {
    let server = server().await;
    let mut body = br#"{"ok":true,"result":{"id":1,"is_bot":true,"first_name":""#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    body.extend_from_slice(br#""}}"#);
    server.push(Behaviour::reply(200, "application/json", &body));
    let c = client(&server);
    let err = failing_get_me(&c).await;
    match &err {
        Error::Decode {
            status,
            body_prefix,
            ..
        } => {
            assert_eq!(*status, 200);
            assert!(body_prefix.starts_with(r#"{"ok":true"#), "{err}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    still_works(&c, &server).await;
}

#[tokio::test]
async fn ok_true_without_result() {
    let server = server().await;
    server.push(Behaviour::json(&json!({"ok": true})));
    let c = client(&server);
    let err = failing_get_me(&c).await;
    match &err {
        Error::Decode {
            status, message, ..
        } => {
            assert_eq!(*status, 200);
            assert!(message.contains("no `result`"), "{err}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    still_works(&c, &server).await;
}

#[tokio::test]
async fn ok_false_without_description_or_code() {
    let server = server().await;
    server.push(Behaviour::reply(400, "application/json", r#"{"ok":false}"#));
    let c = client(&server);
    let err = failing_get_me(&c).await;
    match &err {
        Error::Api(api) => {
            assert_eq!(api.method, "getMe");
            assert_eq!(api.code, 400, "the HTTP status stands in for error_code");
            assert_eq!(api.description, "");
            assert_eq!((api.retry_after, api.migrate_to_chat_id), (None, None));
        }
        other => panic!("expected Api, got {other:?}"),
    }
    still_works(&c, &server).await;
}

#[tokio::test]
async fn html_with_status_200() {
    let server = server().await;
    let page = "<html><body>Welcome to nginx!</body></html>";
    server.push(Behaviour::reply(200, "text/html", page));
    let c = client(&server);
    let err = failing_get_me(&c).await;
    match &err {
        Error::Decode {
            status,
            body_prefix,
            ..
        } => {
            assert_eq!(*status, 200);
            assert_eq!(body_prefix, page);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    still_works(&c, &server).await;
}

#[tokio::test]
async fn html_502_keeps_status_and_body_prefix() {
    let server = server().await;
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "x".repeat(1000)
    );
    server.push(Behaviour::reply(502, "text/html", &page));
    let c = client(&server);
    let err = failing_get_me(&c).await;
    match &err {
        Error::Decode {
            status,
            body_prefix,
            ..
        } => {
            assert_eq!(*status, 502);
            assert!(body_prefix.starts_with("<html><head><title>502"), "{err}");
            assert!(body_prefix.len() < page.len(), "only a prefix is kept");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    still_works(&c, &server).await;
}

#[tokio::test]
async fn error_page_echoing_the_url_does_not_leak_the_token() {
    // Some servers and proxies repeat the request path in their error pages;
    // the path holds the token. Put it at several offsets, including across
    // the end of the kept prefix (200 bytes): the token starts at `pad + 16`.
    for pad in [0, 150, 170, 178, 183, 184, 200] {
        let server = server().await;
        let page = format!(
            "{}Cannot POST /bot{TOKEN}/getMe (token {TOKEN})",
            " ".repeat(pad)
        );
        server.push(Behaviour::reply(404, "text/html", &page));
        let c = client(&server);
        let err = failing_get_me(&c).await;
        let Error::Decode {
            status: 404,
            body_prefix,
            ..
        } = &err
        else {
            panic!("expected Decode with status 404, got {err:?}");
        };
        // Whatever is kept is the start of the page with the token taken
        // out: not even a piece of it is left at the cut.
        let redacted = page.replace(TOKEN, "<token>");
        assert!(
            !body_prefix.is_empty() && redacted.starts_with(body_prefix.as_str()),
            "pad {pad}: {body_prefix:?}"
        );
        still_works(&c, &server).await;
    }
}

#[tokio::test]
async fn result_echoing_the_token_does_not_leak_it() {
    // A wrong-shaped `result` is quoted by the JSON error message.
    let server = server().await;
    server.push(Behaviour::json(&json!({"ok": true, "result": TOKEN})));
    server.push(Behaviour::reply(
        401,
        "application/json",
        json!({"ok": false, "error_code": 401, "description": format!("Unauthorized: {TOKEN}")})
            .to_string(),
    ));
    let c = client(&server);
    let err = failing_get_me(&c).await;
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    let err = failing_get_me(&c).await;
    assert_eq!(err.api().map(|a| a.code), Some(401), "{err:?}");
    still_works(&c, &server).await;
}

#[tokio::test]
async fn body_shorter_than_its_content_length() {
    let server = server().await;
    let partial = br#"{"ok":true,"result":{"id":1,"#;
    let mut bytes = head(200, "application/json", 200);
    bytes.extend_from_slice(partial);
    // Written, then the connection is closed 170 bytes early.
    server.push(Behaviour::Send(bytes));
    let c = client(&server);
    let err = failing_get_me(&c).await;
    assert!(
        matches!(
            err,
            Error::Transport {
                method: "getMe",
                timeout: false,
                connect: false,
                ..
            }
        ),
        "{err:?}"
    );
    still_works(&c, &server).await;
}

#[tokio::test]
async fn cut_json_with_a_correct_length() {
    let server = server().await;
    server.push(Behaviour::reply(
        200,
        "application/json",
        r#"{"ok":true,"result":{"id":1,"is_bo"#,
    ));
    let c = client(&server);
    let err = failing_get_me(&c).await;
    match &err {
        Error::Decode {
            status,
            message,
            body_prefix,
            ..
        } => {
            assert_eq!(*status, 200);
            assert!(message.contains("EOF"), "{err}");
            assert!(body_prefix.ends_with("is_bo"), "{err}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    still_works(&c, &server).await;
}

#[tokio::test]
async fn server_that_never_answers_times_out() {
    let server = server().await;
    server.push(Behaviour::Hang);
    let c = builder(&server.url())
        .timeout(Some(Duration::from_millis(300)))
        .build()
        .expect("client");
    let err = failing_get_me(&c).await;
    assert!(
        matches!(
            err,
            Error::Transport {
                method: "getMe",
                timeout: true,
                connect: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_timeout());
    still_works(&c, &server).await;
}

#[tokio::test]
async fn connection_reset_mid_request() {
    let server = server().await;
    server.push(Behaviour::Reset);
    let c = client(&server);
    let err = failing_get_me(&c).await;
    assert!(
        matches!(
            err,
            Error::Transport {
                method: "getMe",
                timeout: false,
                connect: false,
                ..
            }
        ),
        "{err:?}"
    );
    still_works(&c, &server).await;
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn body_trickling_past_the_timeout() {
    let server = server().await;
    let body = json!({"ok": true, "result": {"id": BOT_ID, "is_bot": true, "first_name": "Bot"}})
        .to_string()
        .into_bytes();
    server.push(Behaviour::Trickle {
        head: head(200, "application/json", body.len()),
        body,
        every: Duration::from_millis(50),
    });
    let c = builder(&server.url())
        .timeout(Some(Duration::from_millis(300)))
        .build()
        .expect("client");
    let err = failing_get_me(&c).await;
    assert!(
        matches!(
            err,
            Error::Transport {
                method: "getMe",
                timeout: true,
                connect: false,
                ..
            }
        ),
        "{err:?}"
    );
    still_works(&c, &server).await;
}

fn retrying_client(server: &RawServer) -> Client {
    builder(&server.url())
        .retry(RetryPolicy {
            max_attempts: 3,
            max_total_wait: Duration::from_secs(2),
            base_backoff: Duration::from_millis(10),
        })
        .build()
        .expect("client")
}

#[tokio::test]
async fn reset_send_message_is_not_retried() {
    let server = server().await;
    server.push(Behaviour::Reset);
    let c = retrying_client(&server);
    let err = c
        .send_message(1, "hi")
        .await
        .expect_err("the reset is reported");
    assert_redacted(&err);
    assert!(
        matches!(
            err,
            Error::Transport {
                method: "sendMessage",
                connect: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        server.connections(),
        1,
        "the message may have been sent: not sent again"
    );
    still_works(&c, &server).await;
}

#[tokio::test]
async fn reset_get_me_is_retried() {
    let server = server().await;
    server.push(Behaviour::Reset);
    let c = retrying_client(&server);
    let me = c.get_me().await.expect("retried after the reset");
    assert_eq!(me.id, BOT_ID);
    assert_eq!(server.connections(), 2);
    assert_eq!(
        server
            .requests()
            .iter()
            .map(|r| r.method().to_string())
            .collect::<Vec<_>>(),
        ["getMe"],
        "the reset connection never got to a full request"
    );
}

fn update(id: i64) -> serde_json::Value {
    json!({"update_id": id, "message": {"message_id": id, "date": 1, "chat": {"id": 1, "type": "private"}, "text": format!("m{id}")}})
}

/// The `offset` of every `getUpdates` the server received (`None` if absent).
fn offsets(server: &MockBotApi) -> Vec<Option<i64>> {
    server
        .requests()
        .iter()
        .filter(|r| r.method == "getUpdates")
        .map(|r| r.json.as_ref().and_then(|j| j["offset"].as_i64()))
        .collect()
}

#[tokio::test]
async fn poller_survives_a_server_restart() {
    let first = MockBotApi::start().await;
    let addr = first.addr();
    first.reply(Reply::ok(json!([update(1), update(2)])));
    let c = Client::builder(TOKEN)
        .base_url(first.url())
        .connect_timeout(Duration::from_secs(1))
        .build()
        .expect("client");
    let mut poller = c.poller().timeout(0).max_backoff(Duration::from_millis(20));
    let mut seen = Vec::new();
    for _ in 0..2 {
        seen.push(poller.next().await.expect("first batch").update_id);
    }
    first.shutdown().await;

    // The poller keeps trying while the port is closed; the server comes
    // back on the same port a little later with the next updates.
    let restart = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let mut tries = 0;
        loop {
            match MockBotApi::start_on(addr).await {
                Ok(second) => {
                    second.reply(Reply::ok(json!([update(3), update(4)])));
                    second.reply(Reply::ok(json!([update(5)])));
                    return Some(second);
                }
                Err(_) if tries < 50 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(_) => return None,
            }
        }
    });
    let rest = tokio::time::timeout(Duration::from_secs(5), async {
        let mut ids = Vec::new();
        for _ in 0..3 {
            ids.push(poller.next().await.map(|u| u.update_id));
        }
        ids
    })
    .await
    .expect("the poller resumes after the restart");
    for id in rest {
        seen.push(id.expect("no error surfaces to the caller"));
    }
    let second = restart
        .await
        .expect("restart task")
        .expect("the port can be bound again");

    assert_eq!(seen, [1, 2, 3, 4, 5], "each update once, in order");
    assert_eq!(offsets(&first), [None]);
    assert_eq!(
        offsets(&second),
        [Some(3), Some(5)],
        "the restarted server is told what was already delivered"
    );
    assert_eq!(poller.next_offset(), Some(6));
    second.shutdown().await;
}
