//! The webhook receiver over real HTTP on 127.0.0.1: secret token checks,
//! body limits, malformed bodies, typed delivery, acknowledgement only after
//! the application took the update, and the `setWebhook` helper against the
//! mock Bot API server.

use std::time::Duration;

use botapi::types::{Update, UpdateKind};
use botapi::webhook::{Webhook, WebhookBuilder, WebhookServer, SECRET_TOKEN_HEADER};
use botapi::Client;
use botapi_tests::MockBotApi;
use serde_json::json;

const SECRET: &str = "test_Secret-0123456789";

fn http() -> reqwest::Client {
    // reqwest is built with rustls but no crypto provider (botapi's default
    // feature); plain HTTP needs none, but building the client does.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("http client")
}

async fn start(builder: WebhookBuilder) -> WebhookServer {
    builder
        .build()
        .expect("webhook config")
        .bind("127.0.0.1:0")
        .await
        .expect("bind")
}

fn url(server: &WebhookServer, path: &str) -> String {
    format!("http://{}{path}", server.local_addr())
}

async fn post(url: &str, secret: Option<&str>, body: impl Into<Vec<u8>>) -> (u16, String) {
    let mut request = http()
        .post(url)
        .header("content-type", "application/json")
        .body(body.into());
    if let Some(s) = secret {
        request = request.header(SECRET_TOKEN_HEADER, s);
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

fn message_update(id: i64, text: &str) -> Vec<u8> {
    json!({
        "update_id": id,
        "message": {
            "message_id": 7,
            "date": 1_700_000_000,
            "chat": {"id": 42, "type": "private", "first_name": "Ann"},
            "from": {"id": 42, "is_bot": false, "first_name": "Ann"},
            "text": text
        }
    })
    .to_string()
    .into_bytes()
}

/// POST in the background (the answer only comes once the update is taken),
/// take the update, then collect the answer.
async fn deliver(server: &mut WebhookServer, path: &str, body: Vec<u8>) -> (Option<Update>, u16) {
    let target = url(server, path);
    let request = tokio::spawn(async move { post(&target, Some(SECRET), body).await });
    let update = tokio::time::timeout(Duration::from_secs(5), server.next())
        .await
        .ok()
        .flatten();
    let (status, _) = request.await.expect("request task");
    (update, status)
}

/// Nothing arrives within a short wait.
async fn assert_nothing_delivered(server: &mut WebhookServer) {
    let next = tokio::time::timeout(Duration::from_millis(150), server.next()).await;
    assert!(next.is_err(), "unexpected delivery: {next:?}");
}

#[tokio::test]
async fn correct_secret_delivers_a_typed_message_then_answers_200() {
    let mut server = start(Webhook::builder().secret_token(SECRET).path("/tg")).await;
    let (update, status) = deliver(&mut server, "/tg", message_update(10, "hello")).await;
    assert_eq!(status, 200);
    let update = update.expect("an update");
    assert_eq!(update.update_id, 10);
    let UpdateKind::Message(message) = update.kind else {
        panic!("not a message: {:?}", update.kind);
    };
    assert_eq!(message.text.as_deref(), Some("hello"));
    assert_eq!(message.chat.id, 42);
}

#[tokio::test]
async fn the_answer_waits_until_the_update_is_taken() {
    let mut server = start(Webhook::builder().secret_token(SECRET)).await;
    let target = url(&server, "/");
    let request =
        tokio::spawn(async move { post(&target, Some(SECRET), message_update(1, "x")).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !request.is_finished(),
        "answered before the update was taken"
    );
    assert_eq!(server.next().await.map(|u| u.update_id), Some(1));
    assert_eq!(request.await.unwrap().0, 200);
}

#[tokio::test]
async fn wrong_secret_is_refused_and_nothing_delivered() {
    let mut server = start(Webhook::builder().secret_token(SECRET)).await;
    let target = url(&server, "/");
    let same_length = "X".repeat(SECRET.len());
    let prefix = &SECRET[..SECRET.len() - 1];
    let longer = format!("{SECRET}x");
    for wrong in [same_length.as_str(), prefix, longer.as_str(), "nope"] {
        let (status, body) = post(&target, Some(wrong), message_update(2, "x")).await;
        assert_eq!(status, 401, "secret {wrong:?}");
        assert!(!body.contains(SECRET) && !body.contains(wrong), "{body}");
    }
    assert_nothing_delivered(&mut server).await;
}

#[tokio::test]
async fn missing_secret_is_refused() {
    let mut server = start(Webhook::builder().secret_token(SECRET)).await;
    let (status, _) = post(&url(&server, "/"), None, message_update(3, "x")).await;
    assert_eq!(status, 401);
    let (status, _) = post(&url(&server, "/"), Some(""), message_update(3, "x")).await;
    assert_eq!(status, 401);
    assert_nothing_delivered(&mut server).await;
}

#[tokio::test]
async fn without_a_secret_any_caller_is_accepted() {
    let mut server = start(Webhook::builder()).await;
    let target = url(&server, "/");
    let request = tokio::spawn(async move { post(&target, None, message_update(4, "x")).await });
    assert_eq!(server.next().await.map(|u| u.update_id), Some(4));
    assert_eq!(request.await.unwrap().0, 200);
}

#[tokio::test]
async fn oversized_body_gets_413() {
    let mut server = start(Webhook::builder().secret_token(SECRET).max_body_bytes(1024)).await;
    let big = message_update(5, &"a".repeat(4096));
    let (status, _) = post(&url(&server, "/"), Some(SECRET), big).await;
    assert_eq!(status, 413);
    assert_nothing_delivered(&mut server).await;
    // A body under the limit still goes through.
    let (update, status) = deliver(&mut server, "/", message_update(6, "small")).await;
    assert_eq!((update.map(|u| u.update_id), status), (Some(6), 200));
}

#[tokio::test]
async fn malformed_bodies_get_400() {
    let mut server = start(Webhook::builder().secret_token(SECRET)).await;
    let target = url(&server, "/");
    for bad in [
        "not json",
        "",
        "{\"update_id\": 1",
        "[]",
        "{}",
        "{\"update_id\": \"eight\"}",
        "{\"message\": {}}",
    ] {
        let (status, _) = post(&target, Some(SECRET), bad).await;
        assert_eq!(status, 400, "body {bad:?}");
    }
    assert_nothing_delivered(&mut server).await;
}

#[tokio::test]
async fn other_methods_get_405_and_other_paths_404() {
    let mut server = start(Webhook::builder().secret_token(SECRET).path("/hook")).await;
    let response = http()
        .get(url(&server, "/hook"))
        .header(SECRET_TOKEN_HEADER, SECRET)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 405);
    let (status, _) = post(
        &url(&server, "/other"),
        Some(SECRET),
        message_update(8, "x"),
    )
    .await;
    assert_eq!(status, 404);
    assert_nothing_delivered(&mut server).await;
}

#[tokio::test]
async fn updates_of_unknown_kinds_are_delivered_raw() {
    let mut server = start(Webhook::builder().secret_token(SECRET)).await;
    let body = json!({"update_id": 9, "kind_from_the_future": {"a": [1, 2]}});
    let (update, status) = deliver(&mut server, "/", body.to_string().into_bytes()).await;
    assert_eq!(status, 200);
    let update = update.expect("an update");
    assert_eq!(update.update_id, 9);
    let UpdateKind::Unknown(raw) = update.kind else {
        panic!("not unknown: {:?}", update.kind);
    };
    assert_eq!(raw["kind_from_the_future"], json!({"a": [1, 2]}));
}

#[tokio::test]
async fn an_update_not_taken_in_time_gets_503_and_is_not_delivered_later() {
    let mut server = start(
        Webhook::builder()
            .secret_token(SECRET)
            .handoff_timeout(Duration::from_millis(100)),
    )
    .await;
    let (status, _) = post(&url(&server, "/"), Some(SECRET), message_update(11, "x")).await;
    assert_eq!(status, 503);
    // Telegram resends it; the refused copy is not handed out.
    let (update, status) = deliver(&mut server, "/", message_update(12, "y")).await;
    assert_eq!((update.map(|u| u.update_id), status), (Some(12), 200));
}

#[tokio::test]
async fn a_mounted_router_answers_503_once_its_updates_are_dropped() {
    let webhook = Webhook::builder()
        .secret_token(SECRET)
        .path("/tg")
        .build()
        .unwrap();
    let (router, updates) = webhook.router();
    let app = axum::Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .merge(router);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let health = http()
        .get(format!("http://{addr}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    drop(updates);
    let (status, _) = post(
        &format!("http://{addr}/tg"),
        Some(SECRET),
        message_update(13, "x"),
    )
    .await;
    assert_eq!(status, 503);
}

#[tokio::test]
async fn shutdown_stops_listening() {
    let server = start(Webhook::builder().secret_token(SECRET)).await;
    let target = url(&server, "/");
    server.shutdown().await.expect("clean shutdown");
    let result = http()
        .post(&target)
        .header(SECRET_TOKEN_HEADER, SECRET)
        .body(message_update(14, "x"))
        .send()
        .await;
    assert!(result.is_err(), "still answering: {result:?}");
}

#[tokio::test]
async fn set_webhook_request_sends_the_secret_token() {
    let api = MockBotApi::start().await;
    let client = Client::builder("123456:TEST-token")
        .base_url(api.url())
        .build()
        .unwrap();
    let webhook = Webhook::builder()
        .secret_token(SECRET)
        .path("/tg")
        .build()
        .unwrap();
    let ok = client
        .call(webhook.set_webhook_request("https://bot.example.org/tg"))
        .map(|r| r.drop_pending_updates(true))
        .await
        .expect("setWebhook");
    assert!(ok);
    let requests = api.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "setWebhook");
    let body = requests[0].json.as_ref().expect("a JSON body");
    assert_eq!(body["url"], "https://bot.example.org/tg");
    assert_eq!(body["secret_token"], SECRET);
    assert_eq!(body["drop_pending_updates"], true);
}
