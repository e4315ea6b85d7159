//! The client over real HTTP against the mock Bot API server on 127.0.0.1:
//! JSON bodies, multipart uploads, error mapping, and validation that stops a
//! request before it leaves the process.

use botapi::methods::SendAudioErrorKind;
use botapi::{Client, ErrorKind, InputFile};
use botapi_tests::{MockBotApi, Reply};
use serde_json::json;

const TOKEN: &str = "123456:TEST-token-never-shown";

fn client(server: &MockBotApi) -> Client {
    Client::builder(TOKEN)
        .base_url(server.url())
        .build()
        .expect("client")
}

fn audio_json() -> serde_json::Value {
    json!({"file_id": "CQACAgIAAxkBAAI", "file_unique_id": "AgADxQ", "duration": 215, "performer": "Band", "title": "Song", "mime_type": "audio/mpeg", "file_size": 3441152})
}

#[tokio::test]
async fn get_user_profile_audios_sends_json_and_parses_result() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(
        json!({"total_count": 3, "audios": [audio_json()]}),
    ));
    let page = client(&server)
        .get_user_profile_audios(42)
        .limit(10)
        .await
        .expect("call");
    assert_eq!(page.total_count, 3);
    assert_eq!(page.audios[0].performer.as_deref(), Some("Band"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "getUserProfileAudios");
    assert_eq!(reqs[0].token, format!("bot{TOKEN}"));
    assert!(
        reqs[0].content_type.starts_with("application/json"),
        "{}",
        reqs[0].content_type
    );
    assert_eq!(reqs[0].json, Some(json!({"user_id": 42, "limit": 10})));
}

fn message_json() -> serde_json::Value {
    json!({"message_id": 7, "date": 1700000000, "chat": {"id": -100123, "type": "supergroup", "title": "Group"}, "audio": audio_json()})
}

#[tokio::test]
async fn send_audio_from_path_uses_multipart() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(message_json()));
    let dir = std::env::temp_dir().join(format!("botapi-mp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("song.mp3");
    let bytes: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &bytes).unwrap();

    let msg = client(&server)
        .send_audio(-100123_i64, InputFile::path(&path))
        .performer("Band")
        .title("Song")
        .caption("listen")
        .await
        .expect("send");
    assert_eq!(msg.message_id, 7);

    let reqs = server.requests();
    let r = &reqs[0];
    assert_eq!(r.method, "sendAudio");
    assert!(
        r.content_type.starts_with("multipart/form-data"),
        "{}",
        r.content_type
    );
    assert_eq!(r.part("chat_id").expect("chat_id").text(), "-100123");
    assert_eq!(r.part("performer").expect("performer").text(), "Band");
    assert_eq!(r.part("title").expect("title").text(), "Song");
    assert_eq!(r.part("caption").expect("caption").text(), "listen");
    let file = r.part("audio").expect("audio part");
    assert_eq!(file.file_name.as_deref(), Some("song.mp3"));
    assert_eq!(file.data, bytes);
    assert!(r.part("parse_mode").is_none(), "unset options are not sent");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn send_audio_by_file_id_uses_json() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(message_json()));
    client(&server)
        .send_audio("@channel", InputFile::file_id("CQACAgIAAxkBAAI"))
        .await
        .expect("send");
    let reqs = server.requests();
    assert_eq!(
        reqs[0].json,
        Some(json!({"chat_id": "@channel", "audio": "CQACAgIAAxkBAAI"}))
    );
}

#[tokio::test]
async fn chat_not_found_is_a_known_kind() {
    let server = MockBotApi::start().await;
    server.reply(Reply::error(400, "Bad Request: chat not found", None));
    let err = client(&server)
        .send_audio(1, InputFile::file_id("x"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::ChatNotFound));
    assert_eq!(
        SendAudioErrorKind::from_error(&err),
        Some(SendAudioErrorKind::ChatNotFound)
    );
    let api = err.api().expect("api error");
    assert_eq!(
        (api.code, api.description.as_str()),
        (400, "Bad Request: chat not found")
    );
    assert!(!err.to_string().contains(TOKEN));
    match SendAudioErrorKind::from_error(&err) {
        Some(SendAudioErrorKind::ChatNotFound) => {}
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn too_many_requests_exposes_retry_after() {
    let server = MockBotApi::start().await;
    server.reply(Reply::error(
        429,
        "Too Many Requests: retry after 7",
        Some(json!({"retry_after": 7})),
    ));
    let err = client(&server).get_me().await.unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::TooManyRequests));
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(7)));
}

#[tokio::test]
async fn migrate_to_chat_id_is_exposed() {
    let server = MockBotApi::start().await;
    server.reply(Reply::error(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        Some(json!({"migrate_to_chat_id": -1009876})),
    ));
    let err = client(&server).send_message(-42, "hi").await.unwrap_err();
    assert_eq!(err.migrate_to_chat_id(), Some(-1009876));
}

#[tokio::test]
async fn validation_failure_never_reaches_the_server() {
    let server = MockBotApi::start().await;
    let err = client(&server)
        .get_user_profile_audios(42)
        .limit(101)
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert!(
        err.to_string().contains("getUserProfileAudios.limit"),
        "{err}"
    );
    assert!(server.requests().is_empty());
    // Switched off per client, the same call goes out.
    let lax = Client::builder(TOKEN)
        .base_url(server.url())
        .validate(false)
        .build()
        .unwrap();
    server.reply(Reply::ok(json!({"total_count": 0, "audios": []})));
    lax.get_user_profile_audios(42)
        .limit(101)
        .await
        .expect("sent unvalidated");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn get_me_and_updates_parse() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(
        json!({"id": 1, "is_bot": true, "first_name": "Bot", "username": "the_bot"}),
    ));
    server.reply(Reply::ok(json!([
        {"update_id": 10, "message": {"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"}, "text": "hi"}},
        {"update_id": 11, "some_future_kind": {"x": 1}}
    ])));
    let c = client(&server);
    assert_eq!(
        c.get_me().await.unwrap().username.as_deref(),
        Some("the_bot")
    );
    let updates = c.get_updates().timeout(0).await.unwrap();
    assert_eq!(updates.len(), 2);
    assert!(
        matches!(updates[1].kind, botapi::types::UpdateKind::Unknown(ref m) if m.contains_key("some_future_kind"))
    );
    assert_eq!(server.requests()[1].json, Some(json!({"timeout": 0})));
}

#[tokio::test]
async fn media_group_uploads_use_attach_names() {
    use botapi::types::{InputMediaDocument, InputMediaPhoto};
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(json!([message_json(), message_json()])));
    let a = InputFile::bytes("a.jpg", vec![1u8, 2, 3]);
    let b = InputFile::bytes("b.jpg", vec![4u8, 5]);
    let media = vec![
        InputMediaPhoto::new(a).caption("first").into(),
        InputMediaPhoto::new(b).into(),
        InputMediaDocument::new(InputFile::file_id("BQACAgIAAxkBAAI")).into(),
    ];
    let sent = client(&server)
        .send_media_group(-100123_i64, media)
        .await
        .expect("send");
    assert_eq!(sent.len(), 2);

    let r = &server.requests()[0];
    assert!(
        r.content_type.starts_with("multipart/form-data"),
        "{}",
        r.content_type
    );
    assert_eq!(r.part("chat_id").unwrap().text(), "-100123");
    let described: serde_json::Value =
        serde_json::from_str(&r.part("media").expect("media part").text()).unwrap();
    let items = described.as_array().unwrap();
    assert_eq!(items[0]["type"], "photo");
    assert_eq!(items[0]["caption"], "first");
    assert_eq!(
        items[2],
        json!({"type": "document", "media": "BQACAgIAAxkBAAI"})
    );
    for (i, bytes) in [(0usize, vec![1u8, 2, 3]), (1, vec![4u8, 5])] {
        let reference = items[i]["media"].as_str().unwrap();
        let name = reference
            .strip_prefix("attach://")
            .expect("an attach:// reference");
        let part = r
            .part(name)
            .unwrap_or_else(|| panic!("no part named {name}"));
        assert_eq!(part.data, bytes);
    }
}

#[tokio::test]
async fn oversized_upload_fails_locally() {
    let server = MockBotApi::start().await;
    let big = InputFile::bytes("big.mp3", vec![0u8; 50 * 1024 * 1024 + 1]);
    let err = client(&server).send_audio(1, big).await.unwrap_err();
    assert!(err.is_validation());
    assert!(
        err.to_string()
            .contains("sendAudio.audio: upload must be at most 52428800 bytes"),
        "{err}"
    );
    assert!(server.requests().is_empty());
}
