//! The HTTP layer behind [`Client`](crate::Client), as a trait: the client
//! hands a [`Transport`] finished requests (a URL, a JSON or multipart body,
//! a time limit and a size bound for the reply) and gets back a status and
//! the body bytes. [`HyperTransport`] is the default; a test double or
//! another HTTP client plugs in with `ClientBuilder::transport`, and
//! `ReqwestTransport` (feature `reqwest`) sends through a `reqwest::Client`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::io::AsyncRead;

mod form;
mod hyper;
#[cfg(feature = "reqwest")]
mod reqwest;

pub use self::hyper::HyperTransport;
#[cfg(feature = "reqwest")]
pub use self::reqwest::ReqwestTransport;

/// A boxed future, as transports return them.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A readable byte source (an upload, or a download's body).
pub type BoxReader = Pin<Box<dyn AsyncRead + Send>>;

/// Sends Bot API requests over HTTP.
pub trait Transport: Send + Sync + 'static {
    /// POST `request` and read the reply, at most `request.max_reply` bytes.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// GET `url` (a file on the Bot API server) and stream its body.
    fn download(&self, url: String) -> BoxFuture<'_, Result<Download, TransportError>>;
}

/// One Bot API call, ready to go on the wire.
pub struct HttpRequest {
    /// Wire name of the method (`sendAudio`), for logs and errors.
    pub method: &'static str,
    /// Full URL. It contains the bot token: never log it.
    pub url: String,
    /// The body.
    pub body: Body,
    /// Time limit of the whole exchange, if any.
    pub timeout: Option<Duration>,
    /// Largest reply body to read; a longer one is a [`TransportErrorKind::TooLarge`].
    pub max_reply: usize,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &"<contains the token>")
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .field("max_reply", &self.max_reply)
            .finish()
    }
}

/// A request body.
#[derive(Debug)]
pub enum Body {
    /// `application/json` bytes.
    Json(Vec<u8>),
    /// `multipart/form-data` parts, in order.
    Multipart(Vec<Part>),
}

/// One part of a multipart body.
#[derive(Debug)]
pub struct Part {
    /// Form field name.
    pub name: String,
    /// Its content.
    pub content: PartContent,
}

/// What a multipart part carries.
pub enum PartContent {
    /// A text value.
    Text(String),
    /// A file, streamed from `data`.
    File {
        /// File name sent with the part.
        file_name: String,
        /// Length in bytes, when known in advance.
        len: Option<u64>,
        /// The contents.
        data: FileData,
    },
}

/// The bytes of an uploaded file.
pub enum FileData {
    /// Already in memory.
    Bytes(bytes::Bytes),
    /// Read as the request is sent.
    Reader(BoxReader),
}

impl fmt::Debug for PartContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartContent::Text(t) => f.debug_tuple("Text").field(t).finish(),
            PartContent::File { file_name, len, .. } => f
                .debug_struct("File")
                .field("file_name", file_name)
                .field("len", len)
                .finish_non_exhaustive(),
        }
    }
}

/// A reply: its status and its body.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The body, at most the request's `max_reply` bytes.
    pub body: bytes::Bytes,
}

/// A file being downloaded: its status and its body as a stream.
pub struct Download {
    /// HTTP status code.
    pub status: u16,
    /// The body, read as it arrives.
    pub body: BoxReader,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// Why a transport could not deliver a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// Details. The client redacts the token from it, but a transport
    /// should not put the URL here in the first place.
    pub message: String,
}

/// The kinds of transport failure the client tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: nothing was sent.
    Connect,
    /// The time limit passed.
    Timeout,
    /// The reply body is longer than allowed.
    TooLarge {
        /// HTTP status of the reply.
        status: u16,
        /// The limit that was passed.
        limit: usize,
    },
    /// Anything else (connection lost mid-way, TLS, HTTP protocol errors).
    Other,
}

impl TransportError {
    /// An error of `kind` with `message`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
        }
    }
}

pub(crate) fn too_large(status: u16, limit: usize) -> TransportError {
    TransportError::new(
        TransportErrorKind::TooLarge { status, limit },
        format!("reply is larger than {limit} bytes"),
    )
}

/// A reply body gathered chunk by chunk under the request's size bound. A
/// reply that arrives in one chunk (most do) is kept as it came, without a
/// copy; several chunks are joined.
pub(crate) struct Gather {
    status: u16,
    limit: usize,
    len: usize,
    body: bytes::Bytes,
    joined: Option<Vec<u8>>,
}

impl Gather {
    /// Start on a reply of `status`; a `Content-Length` over `limit` fails
    /// before any of the body is read.
    pub(crate) fn new(
        status: u16,
        limit: usize,
        content_length: Option<u64>,
    ) -> Result<Self, TransportError> {
        if content_length.is_some_and(|n| n > limit as u64) {
            return Err(too_large(status, limit));
        }
        Ok(Gather {
            status,
            limit,
            len: 0,
            body: bytes::Bytes::new(),
            joined: None,
        })
    }

    /// Add the next chunk.
    pub(crate) fn push(&mut self, chunk: bytes::Bytes) -> Result<(), TransportError> {
        self.len += chunk.len();
        if self.len > self.limit {
            return Err(too_large(self.status, self.limit));
        }
        match &mut self.joined {
            Some(all) => all.extend_from_slice(&chunk),
            None if self.body.is_empty() => self.body = chunk,
            None => {
                let mut all = Vec::with_capacity(self.len);
                all.extend_from_slice(&self.body);
                all.extend_from_slice(&chunk);
                self.joined = Some(all);
            }
        }
        Ok(())
    }

    /// The whole reply.
    pub(crate) fn finish(self) -> HttpResponse {
        HttpResponse {
            status: self.status,
            body: self.joined.map_or(self.body, bytes::Bytes::from),
        }
    }
}

/// `err` and its causes, joined by `: ` (the caller makes sure no URL is
/// among them).
pub(crate) fn with_causes(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}
