//! A bare HTTP/1.1 server on 127.0.0.1 for fault tests. It speaks just enough
//! HTTP to read one request per connection, then behaves as scripted: well-
//! or badly-formed replies written byte for byte, huge or trickling bodies,
//! silence, or a reset connection. Every reply asks the client to close the
//! connection, so each call of the client uses a fresh one and the script
//! applies to calls in order.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one connection.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// Read the request, write these bytes unchanged, then close.
    Send(Vec<u8>),
    /// Read the request, write `head`, then `bytes` bytes of filler, then
    /// close. The filler written is counted by [`RawServer::streamed`].
    Stream {
        /// Status line and headers, blank line included.
        head: Vec<u8>,
        /// Body bytes to send.
        bytes: usize,
    },
    /// Like [`Behaviour::Stream`], but after `bytes` bytes the server sends
    /// nothing more and waits for the client to hang up.
    StreamThenHang {
        /// Status line and headers, blank line included.
        head: Vec<u8>,
        /// Body bytes to send before going quiet.
        bytes: usize,
    },
    /// Read the request, write `head`, then the body one byte at a time
    /// with a pause before each byte.
    Trickle {
        /// Status line and headers, blank line included.
        head: Vec<u8>,
        /// The body.
        body: Vec<u8>,
        /// Pause before each byte.
        every: Duration,
    },
    /// Read the request and never answer; wait for the client to hang up.
    Hang,
    /// Read the first bytes of the request, then reset the connection
    /// (`SO_LINGER` 0, so closing sends RST instead of FIN).
    Reset,
}

impl Behaviour {
    /// A complete reply with a correct `Content-Length`.
    pub fn reply(status: u16, content_type: &str, body: impl AsRef<[u8]>) -> Behaviour {
        let body = body.as_ref();
        let mut out = head(status, content_type, body.len());
        out.extend_from_slice(body);
        Behaviour::Send(out)
    }

    /// A 200 reply with a JSON body.
    pub fn json(body: &serde_json::Value) -> Behaviour {
        Behaviour::reply(200, "application/json", body.to_string())
    }
}

/// Status line and headers of a reply whose body is `content_length` bytes
/// long, ending with the blank line. The reply asks to close the connection.
pub fn head(status: u16, content_type: &str, content_length: usize) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Whatever",
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {content_length}\r\nConnection: close\r\n\r\n"
    )
    .into_bytes()
}

/// A request as the raw server read it.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The request line, e.g. `POST /bot<token>/getMe HTTP/1.1`.
    pub line: String,
    /// The body.
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The last segment of the path: the Bot API method.
    pub fn method(&self) -> &str {
        let path = self.line.split(' ').nth(1).unwrap_or("");
        path.rsplit('/').next().unwrap_or("")
    }
}

struct State {
    script: Mutex<VecDeque<Behaviour>>,
    fallback: Behaviour,
    connections: AtomicUsize,
    streamed: AtomicUsize,
    requests: Mutex<Vec<RawRequest>>,
}

/// A running raw server; it stops when the test's runtime ends.
#[derive(Clone)]
pub struct RawServer {
    addr: SocketAddr,
    state: Arc<State>,
}

impl RawServer {
    /// Start on an ephemeral port of 127.0.0.1. Connections take the queued
    /// behaviours in order, then `fallback` once the queue is empty.
    pub async fn start(fallback: Behaviour) -> std::io::Result<RawServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            script: Mutex::new(VecDeque::new()),
            fallback,
            connections: AtomicUsize::new(0),
            streamed: AtomicUsize::new(0),
            requests: Mutex::new(Vec::new()),
        });
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                shared.connections.fetch_add(1, Ordering::SeqCst);
                let behaviour = shared
                    .script
                    .lock()
                    .ok()
                    .and_then(|mut s| s.pop_front())
                    .unwrap_or_else(|| shared.fallback.clone());
                tokio::spawn(serve(stream, behaviour, shared.clone()));
            }
        });
        Ok(RawServer { addr, state })
    }

    /// Base URL to give the client (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queue a behaviour for the next connection.
    pub fn push(&self, behaviour: Behaviour) -> &Self {
        if let Ok(mut s) = self.state.script.lock() {
            s.push_back(behaviour);
        }
        self
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// Filler bytes of [`Behaviour::Stream`] replies that were written.
    pub fn streamed(&self) -> usize {
        self.state.streamed.load(Ordering::SeqCst)
    }

    /// Every request read in full so far.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.state
            .requests
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }
}

async fn serve(mut stream: TcpStream, behaviour: Behaviour, state: Arc<State>) {
    if let Behaviour::Reset = behaviour {
        let mut buf = [0u8; 16];
        let _ = stream.read(&mut buf).await;
        let _ = stream.set_zero_linger();
        drop(stream);
        return;
    }
    match read_request(&mut stream).await {
        Some(request) => {
            if let Ok(mut r) = state.requests.lock() {
                r.push(request);
            }
        }
        None => return,
    }
    match behaviour {
        Behaviour::Send(bytes) => {
            if stream.write_all(&bytes).await.is_ok() {
                let _ = stream.shutdown().await;
            }
        }
        Behaviour::Stream { head, bytes } => {
            if stream_filler(&mut stream, &head, bytes, &state).await {
                let _ = stream.shutdown().await;
            }
        }
        Behaviour::StreamThenHang { head, bytes } => {
            if stream_filler(&mut stream, &head, bytes, &state).await {
                wait_for_hang_up(&mut stream).await;
            }
        }
        Behaviour::Trickle { head, body, every } => {
            if stream.write_all(&head).await.is_err() {
                return;
            }
            for byte in body {
                tokio::time::sleep(every).await;
                if stream.write_all(&[byte]).await.is_err() {
                    return;
                }
            }
            let _ = stream.shutdown().await;
        }
        Behaviour::Hang => wait_for_hang_up(&mut stream).await,
        Behaviour::Reset => {}
    }
}

/// Write `head` and `bytes` bytes of filler; false once a write fails.
async fn stream_filler(stream: &mut TcpStream, head: &[u8], bytes: usize, state: &State) -> bool {
    static CHUNK: [u8; 64 * 1024] = [b'x'; 64 * 1024];
    if stream.write_all(head).await.is_err() {
        return false;
    }
    let mut left = bytes;
    while left > 0 {
        let n = left.min(CHUNK.len());
        if stream.write_all(&CHUNK[..n]).await.is_err() {
            return false;
        }
        state.streamed.fetch_add(n, Ordering::SeqCst);
        left -= n;
    }
    true
}

/// Read and discard until the client closes the connection.
async fn wait_for_hang_up(stream: &mut TcpStream) {
    let mut buf = [0u8; 1024];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
    }
}

/// Read one request: headers up to the blank line, then `Content-Length`
/// bytes of body. `None` if the client goes away first or the request is
/// not something this server understands.
async fn read_request(stream: &mut TcpStream) -> Option<RawRequest> {
    const MAX_HEAD: usize = 64 * 1024;
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if data.len() > MAX_HEAD {
            return None;
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some(RawRequest {
        line: head.lines().next().unwrap_or("").to_string(),
        body: data[head_end..].to_vec(),
    })
}
