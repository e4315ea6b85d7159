//! The `Transport` trait: a test double stands in for HTTP, sees finished
//! requests (JSON or multipart, readers streamed), and its failures become
//! the client's typed errors.

use std::sync::{Arc, Mutex};

use botapi::transport::{
    Body, BoxFuture, Download, FileData, HttpRequest, HttpResponse, PartContent, Transport,
    TransportError, TransportErrorKind,
};
use botapi::{Client, Error, InputFile};
use tokio::io::AsyncReadExt;

const TOKEN: &str = "123456:SECRET-transport-token";

/// What the double saw of one request.
#[derive(Debug, Clone, PartialEq)]
enum Seen {
    Json(String, serde_json::Value),
    /// Method, then (part name, file name if any, contents).
    Multipart(String, Vec<(String, Option<String>, Vec<u8>)>),
}

/// Answers every request with the next canned outcome and records it.
#[derive(Clone, Default)]
struct Double {
    seen: Arc<Mutex<Vec<Seen>>>,
    replies: Arc<Mutex<Vec<Result<HttpResponse, TransportError>>>>,
}

impl Double {
    fn reply(&self, r: Result<HttpResponse, TransportError>) {
        self.replies.lock().unwrap().push(r);
    }

    fn ok(&self, result: serde_json::Value) {
        let body = serde_json::json!({"ok": true, "result": result}).to_string();
        self.reply(Ok(HttpResponse {
            status: 200,
            body: body.into(),
        }));
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Transport for Double {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            assert!(request
                .url
                .ends_with(&format!("/bot{TOKEN}/{}", request.method)));
            let seen = match request.body {
                Body::Json(bytes) => Seen::Json(
                    request.method.to_string(),
                    serde_json::from_slice(&bytes).unwrap(),
                ),
                Body::Multipart(parts) => {
                    let mut out = Vec::new();
                    for part in parts {
                        match part.content {
                            PartContent::Text(t) => out.push((part.name, None, t.into_bytes())),
                            PartContent::File {
                                file_name, data, ..
                            } => {
                                let bytes = match data {
                                    FileData::Bytes(b) => b.to_vec(),
                                    FileData::Reader(mut r) => {
                                        let mut v = Vec::new();
                                        r.read_to_end(&mut v).await.unwrap();
                                        v
                                    }
                                };
                                out.push((part.name, Some(file_name), bytes));
                            }
                        }
                    }
                    Seen::Multipart(request.method.to_string(), out)
                }
            };
            self.seen.lock().unwrap().push(seen);
            let mut replies = self.replies.lock().unwrap();
            if replies.is_empty() {
                Ok(HttpResponse {
                    status: 200,
                    body: r#"{"ok":true,"result":true}"#.into(),
                })
            } else {
                replies.remove(0)
            }
        })
    }

    fn download(&self, _url: String) -> BoxFuture<'_, Result<Download, TransportError>> {
        Box::pin(async {
            Ok(Download {
                status: 200,
                body: Box::pin(&b"file contents"[..]),
            })
        })
    }
}

fn client(double: &Double) -> Client {
    Client::builder(TOKEN)
        .transport(double.clone())
        .build()
        .unwrap()
}

fn message() -> serde_json::Value {
    serde_json::json!({"message_id": 5, "date": 1, "chat": {"id": 7, "type": "private"}})
}

#[tokio::test]
async fn json_calls_go_through_the_double() {
    let double = Double::default();
    double.ok(serde_json::json!({"id": 1, "is_bot": true, "first_name": "B"}));
    let c = client(&double);
    let me = c.get_me().await.unwrap();
    assert_eq!((me.id.get(), me.first_name.as_str()), (1, "B"));
    c.send_message(7, "hi").await.unwrap_err(); // `true` is not a Message
    assert_eq!(
        double.seen(),
        [
            Seen::Json("getMe".into(), serde_json::json!({})),
            Seen::Json(
                "sendMessage".into(),
                serde_json::json!({"chat_id": 7, "text": "hi"})
            ),
        ]
    );
}

#[tokio::test]
async fn readers_are_streamed_once_as_multipart() {
    let double = Double::default();
    double.ok(message());
    let c = client(&double);
    let song: &[u8] = b"ID3 not really an mp3";
    let audio = InputFile::reader_sized("song.mp3", song, song.len() as u64);
    assert_eq!(audio.upload_size(), Some(song.len() as u64));
    let call = c.send_audio(7, audio).title("T");
    let request = call.into_request();
    c.send(&request).await.unwrap();
    let seen = double.seen();
    let Seen::Multipart(method, parts) = &seen[0] else {
        panic!("{seen:?}")
    };
    assert_eq!(method, "sendAudio");
    let audio_part = parts.iter().find(|p| p.0 == "audio").unwrap();
    assert_eq!(audio_part.1.as_deref(), Some("song.mp3"));
    assert_eq!(audio_part.2, song);
    assert!(parts.iter().any(|p| p.0 == "title" && p.2 == b"T"));
    // A reader cannot be replayed: the second send fails before the wire.
    let err = c.send(&request).await.unwrap_err();
    assert!(
        matches!(&err, Error::Io { path, .. } if path == "song.mp3"),
        "{err}"
    );
    assert!(err.to_string().contains("already sent"), "{err}");
    assert_eq!(double.seen().len(), 1);
}

#[tokio::test]
async fn a_reader_over_the_limit_fails_locally() {
    let double = Double::default();
    let c = client(&double);
    let big = InputFile::reader_sized("big.mp3", tokio::io::empty(), 60 * 1024 * 1024);
    let err = c.send_audio(7, big).await.unwrap_err();
    let v = err.validation().expect("a validation error");
    assert_eq!(v.violations[0].path, "sendAudio.audio");
    assert!(double.seen().is_empty());
}

#[tokio::test]
async fn transport_failures_become_typed_errors() {
    let double = Double::default();
    let c = client(&double);
    let fail = |kind, message: &str| Err(TransportError::new(kind, message));
    double.reply(fail(TransportErrorKind::Timeout, "took too long"));
    double.reply(fail(
        TransportErrorKind::Connect,
        &format!("refused for bot{TOKEN}"),
    ));
    double.reply(fail(
        TransportErrorKind::TooLarge {
            status: 200,
            limit: 10,
        },
        "reply is larger than 10 bytes",
    ));
    double.reply(fail(TransportErrorKind::Other, "reset"));
    let e = c.get_me().await.unwrap_err();
    assert!(e.is_timeout(), "{e}");
    let e = c.get_me().await.unwrap_err();
    assert!(matches!(e, Error::Transport { connect: true, .. }), "{e}");
    assert!(!format!("{e} {e:?}").contains("SECRET"), "{e}");
    let e = c.get_me().await.unwrap_err();
    assert!(matches!(e, Error::Decode { status: 200, .. }), "{e}");
    assert!(e.to_string().contains("larger than 10 bytes"), "{e}");
    let e = c.get_me().await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport {
                connect: false,
                timeout: false,
                ..
            }
        ),
        "{e}"
    );
}

#[tokio::test]
async fn downloads_use_the_transport() {
    let double = Double::default();
    let c = client(&double);
    let mut out = Vec::new();
    let n = c.download("documents/file_1.txt", &mut out).await.unwrap();
    assert_eq!((n, out.as_slice()), (13, &b"file contents"[..]));
}
