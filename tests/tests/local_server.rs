//! A self-hosted Bot API server started with `--local`
//! (`ClientBuilder::local_server`), against the mock server on 127.0.0.1
//! and temporary files: files sent by path go as `file://` URIs (top level,
//! nested, next to real uploads), absolute `getFile` paths are read from
//! disk, mounts translate paths both ways, and the upload limits are the
//! local server's.

use std::path::{Path, PathBuf};

use botapi::types::{InputMediaDocument, InputMediaPhoto};
use botapi::{Client, InputFile};
use botapi_tests::{MockBotApi, Reply};
use serde_json::json;

const TOKEN: &str = "4242:local-mode-token-never-shown";

fn local(server: &MockBotApi) -> Client {
    Client::builder(TOKEN)
        .base_url(server.url())
        .local_server(true)
        .build()
        .expect("client")
}

/// A fresh directory under the system's temporary one.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("botapi-local-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn message() -> serde_json::Value {
    json!({"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"}})
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[tokio::test]
async fn files_sent_by_path_go_as_file_uris_in_json() {
    let dir = temp_dir("uri");
    let path = dir.join("song.mp3");
    std::fs::write(&path, b"ID3").unwrap();
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(message()));
    let client = local(&server);
    assert!(client.is_local_server());
    client
        .send_audio(5, InputFile::path(&path))
        .await
        .expect("sent");
    let r = &server.requests()[0];
    assert!(r.content_type.starts_with("application/json"), "{r:?}");
    assert_eq!(
        r.json,
        Some(json!({"chat_id": 5, "audio": uri(&path)})),
        "the server reads the file; nothing is streamed"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn paths_next_to_uploads_and_inside_media_groups() {
    let dir = temp_dir("mixed");
    let (a, b) = (dir.join("a b.jpg"), dir.join("b.jpg"));
    std::fs::write(&a, b"a").unwrap();
    std::fs::write(&b, b"b").unwrap();
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(json!([message(), message(), message()])));
    let in_memory = InputFile::bytes("c.jpg", vec![7u8, 7]);
    let media = vec![
        InputMediaPhoto::new(InputFile::path(&a)).into(),
        InputMediaPhoto::new(in_memory).into(),
        InputMediaDocument::new(InputFile::path(&b))
            .thumbnail(InputFile::path(&a))
            .into(),
    ];
    local(&server)
        .send_media_group(5, media)
        .await
        .expect("sent");
    let r = &server.requests()[0];
    assert!(r.content_type.starts_with("multipart/form-data"), "{r:?}");
    let media: serde_json::Value = serde_json::from_str(&r.part("media").unwrap().text()).unwrap();
    let a_uri = format!("file://{}", dir.join("a%20b.jpg").display());
    assert_eq!(media[0]["media"], a_uri.as_str(), "percent-encoded");
    assert_eq!(media[2]["media"], uri(&b).as_str());
    assert_eq!(media[2]["thumbnail"], a_uri.as_str());
    let attach = media[1]["media"].as_str().unwrap();
    let name = attach.strip_prefix("attach://").expect("still an upload");
    assert_eq!(r.part(name).expect("the uploaded part").data, [7u8, 7]);
    assert_eq!(
        r.parts.iter().filter(|p| p.file_name.is_some()).count(),
        1,
        "only the bytes travel: {:?}",
        r.parts
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn without_local_mode_the_same_path_is_uploaded() {
    let dir = temp_dir("public");
    let path = dir.join("song.mp3");
    std::fs::write(&path, b"ID3").unwrap();
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(message()));
    let client = Client::builder(TOKEN)
        .base_url(server.url())
        .build()
        .unwrap();
    assert!(!client.is_local_server());
    client.send_audio(5, InputFile::path(&path)).await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.part("audio").unwrap().data, b"ID3");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn absolute_file_paths_are_read_from_disk() {
    let dir = temp_dir("download");
    // A local server keeps a bot's files under a directory named after its token.
    let stored = dir.join(TOKEN).join("documents").join("file_0.pdf");
    std::fs::create_dir_all(stored.parent().unwrap()).unwrap();
    let bytes: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&stored, &bytes).unwrap();
    let server = MockBotApi::start().await;
    server.file("documents/file_1.pdf", b"over http".to_vec());
    let client = local(&server);

    let mut out = Vec::new();
    let n = client
        .download(&stored.display().to_string(), &mut out)
        .await
        .expect("read from disk");
    assert_eq!((n, out), (bytes.len() as u64, bytes));

    // A relative path still comes over HTTP.
    let mut out = Vec::new();
    client
        .download("documents/file_1.pdf", &mut out)
        .await
        .unwrap();
    assert_eq!(out, b"over http");

    // download_to copies into a path the caller chose.
    let dest = dir.join("copy.pdf");
    client
        .download_to(&stored.display().to_string(), &dest)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap().len(), 100_000);

    // A missing file is an I/O error naming the path, token redacted.
    let missing = dir.join(TOKEN).join("documents").join("gone.pdf");
    let err = client
        .download(&missing.display().to_string(), &mut Vec::new())
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(matches!(err, botapi::Error::Io { .. }), "{shown}");
    assert!(shown.contains("gone.pdf"), "{shown}");
    assert!(!shown.contains("local-mode-token-never-shown"), "{shown}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn mounts_translate_uploads_and_downloads() {
    let dir = temp_dir("mount");
    let here = dir.join("bot-side");
    std::fs::create_dir_all(here.join("in")).unwrap();
    std::fs::write(here.join("in").join("a.ogg"), b"ogg").unwrap();
    std::fs::write(here.join("file_3.ogg"), b"stored by the server").unwrap();
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(message()));
    let client = Client::builder(TOKEN)
        .base_url(server.url())
        .local_server_mount(&here, "/var/lib/telegram-bot-api")
        .build()
        .unwrap();
    assert!(client.is_local_server(), "a mount turns local mode on");
    client
        .send_voice(5, InputFile::path(here.join("in").join("a.ogg")))
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].json.as_ref().unwrap()["voice"],
        "file:///var/lib/telegram-bot-api/in/a.ogg"
    );
    let mut out = Vec::new();
    client
        .download("/var/lib/telegram-bot-api/file_3.ogg", &mut out)
        .await
        .unwrap();
    assert_eq!(out, b"stored by the server");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A sparse file of `len` bytes (nothing is written to disk).
fn sparse(dir: &Path, name: &str, len: u64) -> PathBuf {
    let path = dir.join(name);
    std::fs::File::create(&path).unwrap().set_len(len).unwrap();
    path
}

#[tokio::test]
async fn upload_limits_are_the_local_servers() {
    let dir = temp_dir("limits");
    let big = sparse(&dir, "big.mp4", 60 * 1024 * 1024);
    let huge = sparse(&dir, "huge.mp4", 2000 * 1024 * 1024 + 1);
    let thumb = sparse(&dir, "thumb.jpg", 300 * 1024);
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(message()));
    let public = Client::builder(TOKEN)
        .base_url(server.url())
        .build()
        .unwrap();
    let err = public
        .send_video(5, InputFile::path(&big))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("sendVideo.video: upload must be at most 52428800 bytes"),
        "{err}"
    );

    let client = local(&server);
    client
        .send_video(5, InputFile::path(&big))
        .await
        .expect("60 MB is fine locally");
    let err = client
        .send_video(5, InputFile::path(&huge))
        .thumbnail(InputFile::path(&thumb))
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("sendVideo.video: upload must be at most 2097152000 bytes"),
        "{text}"
    );
    assert!(
        text.contains("sendVideo.thumbnail: upload must be at most 204800 bytes"),
        "a thumbnail keeps its limit: {text}"
    );
    assert_eq!(server.requests().len(), 1, "only the 60 MB video went out");

    // upload_limits(false) still turns every limit off.
    let unchecked = Client::builder(TOKEN)
        .base_url(server.url())
        .local_server(true)
        .upload_limits(false)
        .build()
        .unwrap();
    server.reply(Reply::ok(message()));
    unchecked
        .send_video(5, InputFile::path(&huge))
        .await
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
