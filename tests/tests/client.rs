//! The client over real HTTP against the fake Bot API of `botapi::testing`
//! on 127.0.0.1: JSON bodies, multipart uploads, error mapping, and
//! validation that stops a request before it leaves the process (and what
//! the server says when it is switched off). The low-level faults (broken
//! bodies, dropped connections) stay on the mock server of `tests/src/`.

use botapi::methods::SendAudioErrorKind;
use botapi::testing::{FakeBotApi, Reply};
use botapi::{Client, ErrorKind, InputFile};
use serde_json::json;

const TOKEN: &str = "123456:TEST-token-never-shown";

async fn fake() -> FakeBotApi {
    FakeBotApi::builder().token(TOKEN).start().await.unwrap()
}

fn audio_json() -> serde_json::Value {
    json!({"file_id": "CQACAgIAAxkBAAI", "file_unique_id": "AgADxQ", "duration": 215, "performer": "Band", "title": "Song", "mime_type": "audio/mpeg", "file_size": 3441152})
}

#[tokio::test]
async fn get_user_profile_audios_sends_json_and_parses_result() {
    let server = fake().await;
    server.reply_once(
        "getUserProfileAudios",
        Reply::ok(json!({"total_count": 3, "audios": [audio_json()]})),
    );
    let page = server
        .client()
        .get_user_profile_audios(42)
        .limit(10)
        .await
        .expect("call");
    assert_eq!(page.total_count, 3);
    assert_eq!(page.audios[0].performer.as_deref(), Some("Band"));
    let calls = server.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].method, "getUserProfileAudios");
    assert!(calls[0].is_ok(), "the token was the fake's: {calls:?}");
    assert!(
        calls[0].content_type.starts_with("application/json"),
        "{}",
        calls[0].content_type
    );
    assert_eq!(calls[0].params, json!({"user_id": 42, "limit": 10}));
}

fn message_json() -> serde_json::Value {
    json!({"message_id": 7, "date": 1700000000, "chat": {"id": -100123, "type": "supergroup", "title": "Group"}, "audio": audio_json()})
}

#[tokio::test]
async fn send_audio_from_path_uses_multipart() {
    let server = fake().await;
    server.reply_once("sendAudio", Reply::ok(message_json()));
    let dir = std::env::temp_dir().join(format!("botapi-mp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("song.mp3");
    let bytes: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &bytes).unwrap();

    let msg = server
        .client()
        .send_audio(-100123_i64, InputFile::path(&path))
        .performer("Band")
        .title("Song")
        .caption("listen")
        .await
        .expect("send");
    assert_eq!(msg.message_id, 7);

    let call = server.next_call("sendAudio").await;
    assert!(
        call.content_type.starts_with("multipart/form-data"),
        "{}",
        call.content_type
    );
    // Form text read as the method wants it: the chat id is a number.
    assert_eq!(
        call.params,
        json!({"chat_id": -100123, "audio": "attach://audio", "performer": "Band",
            "title": "Song", "caption": "listen"}),
        "unset options are not sent"
    );
    let file = call.file("audio").expect("audio part");
    assert_eq!(file.file_name.as_deref(), Some("song.mp3"));
    assert_eq!(file.data, bytes);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn send_audio_by_file_id_uses_json() {
    let server = fake().await;
    server
        .client()
        .send_audio("@channel", InputFile::file_id("CQACAgIAAxkBAAI"))
        .await
        .expect("send");
    let call = &server.calls()[0];
    assert!(call.content_type.starts_with("application/json"));
    assert_eq!(
        call.params,
        json!({"chat_id": "@channel", "audio": "CQACAgIAAxkBAAI"})
    );
}

#[tokio::test]
async fn chat_not_found_is_a_known_kind() {
    let server = fake().await;
    server.reply_once(
        "sendAudio",
        Reply::error(400, "Bad Request: chat not found"),
    );
    let err = server
        .client()
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
    let server = fake().await;
    server.fail_next("getMe", 429, 7);
    let err = server.client().get_me().await.unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::TooManyRequests));
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(7)));
}

#[tokio::test]
async fn migrate_to_chat_id_is_exposed() {
    let server = fake().await;
    server.reply_once("sendMessage", Reply::migrated(-1009876));
    let err = server.client().send_message(-42, "hi").await.unwrap_err();
    assert_eq!(err.migrate_to_chat_id(), Some(-1009876));
}

#[tokio::test]
async fn validation_failure_never_reaches_the_server() {
    let server = fake().await;
    let err = server
        .client()
        .get_user_profile_audios(42)
        .limit(101)
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert!(
        err.to_string().contains("getUserProfileAudios.limit"),
        "{err}"
    );
    assert!(server.calls().is_empty());
    // Switched off per client, the same call goes out, and the server
    // refuses it.
    let lax = Client::builder(TOKEN)
        .base_url(server.url())
        .validate(false)
        .build()
        .unwrap();
    let err = lax
        .get_user_profile_audios(42)
        .limit(101)
        .await
        .unwrap_err();
    assert_eq!(err.api().expect("refused by the server").code, 400);
    assert_eq!(server.calls().len(), 1);
}

#[tokio::test]
async fn get_me_and_updates_parse() {
    let server = fake().await;
    server.reply_once(
        "getMe",
        Reply::ok(json!({"id": 1, "is_bot": true, "first_name": "Bot", "username": "the_bot"})),
    );
    server.push_update(json!(
        {"update_id": 10, "message": {"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"}, "text": "hi"}}
    ));
    server.push_update(json!({"update_id": 11, "some_future_kind": {"x": 1}}));
    let c = server.client();
    assert_eq!(
        c.get_me().await.unwrap().username.as_deref(),
        Some("the_bot")
    );
    let updates = c.get_updates().timeout(0).await.unwrap();
    assert_eq!(updates.len(), 2);
    assert!(
        matches!(updates[1].kind, botapi::types::UpdateKind::Unknown(ref m) if m.contains_key("some_future_kind"))
    );
    assert_eq!(server.calls()[1].params, json!({"timeout": 0}));
}

#[tokio::test]
async fn media_group_uploads_use_attach_names() {
    use botapi::types::{InputMediaDocument, InputMediaPhoto};
    let server = fake().await;
    server.reply_once(
        "sendMediaGroup",
        Reply::ok(json!([message_json(), message_json()])),
    );
    let a = InputFile::bytes("a.jpg", vec![1u8, 2, 3]);
    let b = InputFile::bytes("b.jpg", vec![4u8, 5]);
    let media = vec![
        InputMediaPhoto::new(a).caption("first").into(),
        InputMediaPhoto::new(b).into(),
        InputMediaDocument::new(InputFile::file_id("BQACAgIAAxkBAAI")).into(),
    ];
    let sent = server
        .client()
        .send_media_group(-100123_i64, media)
        .await
        .expect("send");
    assert_eq!(sent.len(), 2);

    let call = &server.calls()[0];
    assert!(
        call.content_type.starts_with("multipart/form-data"),
        "{}",
        call.content_type
    );
    assert_eq!(call.params["chat_id"], -100123);
    let items = call.params["media"].as_array().unwrap();
    assert_eq!(items[0]["type"], "photo");
    assert_eq!(items[0]["caption"], "first");
    assert_eq!(
        items[2],
        json!({"type": "document", "media": "BQACAgIAAxkBAAI"})
    );
    for (i, bytes) in [(0usize, vec![1u8, 2, 3]), (1, vec![4u8, 5])] {
        let reference = items[i]["media"].as_str().unwrap();
        assert!(reference.starts_with("attach://"), "{reference}");
        let part = call
            .file(reference)
            .unwrap_or_else(|| panic!("no part for {reference}"));
        assert_eq!(part.data, bytes);
    }
    assert_eq!(call.files.len(), 2, "{:?}", call.files);
}

#[tokio::test]
async fn oversized_upload_fails_locally() {
    let server = fake().await;
    let big = InputFile::bytes("big.mp3", vec![0u8; 50 * 1024 * 1024 + 1]);
    let err = server.client().send_audio(1, big).await.unwrap_err();
    assert!(err.is_validation());
    assert!(
        err.to_string()
            .contains("sendAudio.audio: upload must be at most 52428800 bytes"),
        "{err}"
    );
    assert!(server.calls().is_empty());
}
