//! A scriptable mock Bot API server on 127.0.0.1 for the end-to-end tests:
//! it records every request (JSON body or multipart parts) and answers with
//! replies queued by the test, or `{"ok":true,"result":true}` by default.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

pub mod raw;
pub mod redis;

/// One part of a multipart request.
#[derive(Debug, Clone)]
pub struct Part {
    /// Form field name.
    pub name: String,
    /// File name, for file parts.
    pub file_name: Option<String>,
    /// The part's bytes; only the first [`KEPT_BYTES`] of a large part are
    /// kept, so that big uploads do not fill the test's memory.
    pub data: Vec<u8>,
    /// The part's full length in bytes.
    pub len: u64,
    /// FNV-1a hash of the full part, to compare large uploads.
    pub checksum: u64,
}

/// How many bytes of a part the mock keeps.
pub const KEPT_BYTES: usize = 1024 * 1024;

/// FNV-1a over `data`, continuing from `hash` (start with [`FNV_START`]).
pub fn fnv1a(mut hash: u64, data: &[u8]) -> u64 {
    for b in data {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Start value of [`fnv1a`].
pub const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

impl Part {
    /// The part as UTF-8 text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The path segment after `/bot<token>/`.
    pub method: String,
    /// The token from the path.
    pub token: String,
    /// `Content-Type` header.
    pub content_type: String,
    /// Parsed JSON body, for JSON requests.
    pub json: Option<Value>,
    /// Parts, for multipart requests.
    pub parts: Vec<Part>,
    /// When the server had read the whole request.
    pub at: std::time::Instant,
}

impl Recorded {
    /// The part named `name`.
    pub fn part(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }
}

/// A canned reply.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Content type.
    pub content_type: &'static str,
    /// Body bytes.
    pub body: String,
}

impl Reply {
    /// `{"ok":true,"result":<result>}` with status 200.
    pub fn ok(result: Value) -> Reply {
        Reply::json(200, serde_json::json!({"ok": true, "result": result}))
    }

    /// A Bot API error reply.
    pub fn error(code: u16, description: &str, parameters: Option<Value>) -> Reply {
        let mut body =
            serde_json::json!({"ok": false, "error_code": code, "description": description});
        if let Some(p) = parameters {
            body["parameters"] = p;
        }
        Reply::json(code, body)
    }

    /// Any JSON body with a status.
    pub fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            body: body.to_string(),
        }
    }

    /// A raw body (HTML error pages, truncated JSON...).
    pub fn raw(status: u16, content_type: &'static str, body: &str) -> Reply {
        Reply {
            status,
            content_type,
            body: body.to_string(),
        }
    }
}

/// How to stop a running server.
struct Stop {
    signal: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

/// Picks the requests a conditional reply is for.
type Matcher = Box<dyn Fn(&Recorded) -> bool + Send + Sync>;

#[derive(Default)]
struct Shared {
    requests: Mutex<Vec<Recorded>>,
    replies: Mutex<VecDeque<Reply>>,
    files: Mutex<Vec<(String, Vec<u8>)>>,
    /// Replies for the first request each matcher picks, tried before the queue.
    when: Mutex<Vec<(Matcher, Reply)>>,
    /// Makes the reply when nothing is queued (else `true`).
    otherwise: Mutex<Option<Responder>>,
}

/// Makes a reply for a request.
type Responder = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

/// A running mock server; stops when the test's runtime ends.
#[derive(Clone)]
pub struct MockBotApi {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<Mutex<Option<Stop>>>,
}

impl MockBotApi {
    /// Start a server on an ephemeral port of 127.0.0.1.
    pub async fn start() -> MockBotApi {
        let localhost = SocketAddr::from(([127, 0, 0, 1], 0));
        MockBotApi::start_on(localhost)
            .await
            .expect("bind 127.0.0.1")
    }

    /// Start a server on `addr` (e.g. the address of one that was shut down,
    /// to simulate a restart), with nothing recorded or queued.
    pub async fn start_on(addr: SocketAddr) -> std::io::Result<MockBotApi> {
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/{token}/{method}", post(handle))
            .fallback(get(serve_file))
            // Uploads of any size (the big-upload test sends 55 MB).
            .layer(axum::extract::DefaultBodyLimit::disable())
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (signal, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        let stop = Stop { signal, task };
        Ok(MockBotApi {
            addr,
            shared,
            stop: Arc::new(Mutex::new(Some(stop))),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stop the server: once this returns, the port is closed and every
    /// connection to it has been closed. Later calls do nothing.
    pub async fn shutdown(&self) {
        let stop = self.stop.lock().ok().and_then(|mut s| s.take());
        if let Some(Stop { signal, task }) = stop {
            let _ = signal.send(());
            let _ = task.await;
        }
    }

    /// Base URL to give the client (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queue a reply for the next request.
    pub fn reply(&self, reply: Reply) -> &Self {
        self.shared.replies.lock().expect("lock").push_back(reply);
        self
    }

    /// Serve `data` as the file at `file_path` (under `/file/bot<token>/`).
    pub fn file(&self, file_path: &str, data: Vec<u8>) -> &Self {
        self.shared
            .files
            .lock()
            .expect("lock")
            .push((file_path.to_string(), data));
        self
    }

    /// Answer the first request that `matches` picks with `reply` (once),
    /// ahead of the replies queued with [`MockBotApi::reply`].
    pub fn reply_when(
        &self,
        matches: impl Fn(&Recorded) -> bool + Send + Sync + 'static,
        reply: Reply,
    ) -> &Self {
        self.shared
            .when
            .lock()
            .expect("lock")
            .push((Box::new(matches), reply));
        self
    }

    /// Answer requests that no queued or conditional reply is for with
    /// what `respond` makes of them, instead of `{"ok":true,"result":true}`.
    pub fn otherwise(&self, respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> &Self {
        *self.shared.otherwise.lock().expect("lock") = Some(Arc::new(respond));
        self
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().expect("lock").clone()
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    Path((token, method)): Path<(String, String)>,
    req: Request,
) -> Response {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut recorded = Recorded {
        method,
        token,
        content_type: content_type.clone(),
        json: None,
        parts: Vec::new(),
        at: std::time::Instant::now(),
    };
    if content_type.starts_with("multipart/form-data") {
        match Multipart::from_request(req, &()).await {
            Ok(mut mp) => {
                while let Ok(Some(mut field)) = mp.next_field().await {
                    let name = field.name().unwrap_or("").to_string();
                    let file_name = field.file_name().map(str::to_string);
                    let (mut data, mut len, mut checksum) = (Vec::new(), 0u64, FNV_START);
                    while let Ok(Some(chunk)) = field.chunk().await {
                        let keep = KEPT_BYTES.saturating_sub(data.len()).min(chunk.len());
                        data.extend_from_slice(&chunk[..keep]);
                        len += chunk.len() as u64;
                        checksum = fnv1a(checksum, &chunk);
                    }
                    recorded.parts.push(Part {
                        name,
                        file_name,
                        data,
                        len,
                        checksum,
                    });
                }
            }
            Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        }
    } else {
        let bytes = axum::body::to_bytes(req.into_body(), usize::MAX)
            .await
            .unwrap_or_else(|_| Bytes::new());
        recorded.json = serde_json::from_slice(&bytes).ok();
    }
    recorded.at = std::time::Instant::now();
    let conditional = {
        let mut when = shared.when.lock().expect("lock");
        when.iter()
            .position(|(matches, _)| matches(&recorded))
            .map(|i| when.remove(i).1)
    };
    let otherwise = shared.otherwise.lock().expect("lock").clone();
    let made = otherwise.map(|respond| respond(&recorded));
    shared.requests.lock().expect("lock").push(recorded);
    let reply = conditional.unwrap_or_else(|| {
        let queued = shared.replies.lock().expect("lock").pop_front();
        queued
            .or(made)
            .unwrap_or_else(|| Reply::ok(Value::Bool(true)))
    });
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, reply.content_type)],
        reply.body,
    )
        .into_response()
}

async fn serve_file(State(shared): State<Arc<Shared>>, uri: axum::http::Uri) -> Response {
    // `/file/bot<token>/<file path>`
    let rest = uri
        .path()
        .strip_prefix("/file/")
        .and_then(|r| r.split_once('/'))
        .map(|(_, p)| p.to_string());
    let files = shared.files.lock().expect("lock");
    match rest.and_then(|path| files.iter().find(|(p, _)| *p == path).cloned()) {
        Some((_, data)) => (StatusCode::OK, data).into_response(),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}
