//! The HTTP layer behind [`Client`](crate::Client), as a trait: the client
//! hands a [`Transport`] finished requests (a URL, a JSON or multipart body,
//! a time limit and a size bound for the reply) and gets back a status and
//! the body bytes. [`ReqwestTransport`] is the default; a test double or
//! another HTTP client plugs in with `ClientBuilder::transport`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::io::AsyncRead;

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

/// The default transport, on a `reqwest::Client` (connection pooling,
/// rustls or native TLS by cargo feature).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    http: reqwest::Client,
    prefix: UrlPrefix,
}

/// The first request's URL up to its method name (`<base>/bot<token>`),
/// already parsed. A request under the same prefix clones it and appends
/// its method instead of handing reqwest the URL as a string, which reqwest
/// would parse whole (host included, through IDNA: about 8 % of the
/// client's user-space work per request on loopback). Only a prefix for which appending gives exactly
/// what parsing gives is kept; any other URL is parsed as before.
#[derive(Clone, Default)]
struct UrlPrefix(std::sync::OnceLock<(String, reqwest::Url)>);

impl fmt::Debug for UrlPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // It holds the token.
        f.write_str("UrlPrefix(<contains the token>)")
    }
}

impl UrlPrefix {
    /// `url` parsed through the kept prefix, or `None` to parse it whole.
    fn parse(&self, url: &str) -> Option<reqwest::Url> {
        let (prefix, method) = url.rsplit_once('/')?;
        // Method names are ASCII identifiers: appended, they need no
        // escaping and are never `.` or `..`.
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let (kept, base) = match self.0.get() {
            Some(kept) => kept,
            None => {
                let base = reqwest::Url::parse(prefix).ok()?;
                if append(&base, method)? != reqwest::Url::parse(url).ok()? {
                    return None;
                }
                self.0.get_or_init(|| (prefix.to_owned(), base))
            }
        };
        if kept != prefix {
            return None;
        }
        append(base, method)
    }
}

/// Before building a `reqwest::Client`: reqwest's `rustls-no-provider`
/// uses the process-wide default provider, so install ring unless the
/// application chose one already (nothing to do with native-tls).
pub(crate) fn install_tls_provider() {
    #[cfg(feature = "rustls")]
    {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

fn append(base: &reqwest::Url, method: &str) -> Option<reqwest::Url> {
    let mut url = base.clone();
    url.path_segments_mut().ok()?.push(method);
    Some(url)
}

impl ReqwestTransport {
    /// Wrap an already configured `reqwest::Client`.
    pub fn new(http: reqwest::Client) -> Self {
        ReqwestTransport {
            http,
            prefix: UrlPrefix::default(),
        }
    }

    /// Build a `reqwest::Client` with a connection time limit.
    pub fn with_connect_timeout(connect_timeout: Duration) -> Result<Self, TransportError> {
        install_tls_provider();
        reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .build()
            .map(ReqwestTransport::new)
            .map_err(|e| from_reqwest(e.without_url()))
    }

    pub(crate) async fn send_inner(
        &self,
        request: HttpRequest,
    ) -> Result<HttpResponse, TransportError> {
        let mut builder = match self.prefix.parse(&request.url) {
            Some(url) => self.http.post(url),
            None => self.http.post(request.url),
        };
        if let Some(t) = request.timeout {
            builder = builder.timeout(t);
        }
        builder = match request.body {
            Body::Json(bytes) => builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes),
            Body::Multipart(parts) => builder.multipart(form(parts)),
        };
        let mut response = builder.send().await.map_err(from_reqwest)?;
        let status = response.status().as_u16();
        let limit = request.max_reply;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large(status, limit));
        }
        // A reply that arrives in one chunk (most do) is kept as it came,
        // without a copy; several chunks are joined.
        let mut body = bytes::Bytes::new();
        let mut joined: Option<Vec<u8>> = None;
        let mut len = 0usize;
        while let Some(chunk) = response.chunk().await.map_err(from_reqwest)? {
            len += chunk.len();
            if len > limit {
                return Err(too_large(status, limit));
            }
            match &mut joined {
                Some(all) => all.extend_from_slice(&chunk),
                None if body.is_empty() => body = chunk,
                None => {
                    let mut all = Vec::with_capacity(len);
                    all.extend_from_slice(&body);
                    all.extend_from_slice(&chunk);
                    joined = Some(all);
                }
            }
        }
        Ok(HttpResponse {
            status,
            body: joined.map_or(body, bytes::Bytes::from),
        })
    }

    async fn download_inner(&self, url: String) -> Result<Download, TransportError> {
        let response = self.http.get(url).send().await.map_err(from_reqwest)?;
        let status = response.status().as_u16();
        let stream = futures_stream(response);
        Ok(Download {
            status,
            body: Box::pin(tokio_util::io::StreamReader::new(stream)),
        })
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.send_inner(request))
    }

    fn download(&self, url: String) -> BoxFuture<'_, Result<Download, TransportError>> {
        Box::pin(self.download_inner(url))
    }
}

fn too_large(status: u16, limit: usize) -> TransportError {
    TransportError::new(
        TransportErrorKind::TooLarge { status, limit },
        format!("reply is larger than {limit} bytes"),
    )
}

/// A response body as a stream of `io::Result<Bytes>`, for `StreamReader`.
fn futures_stream(
    response: reqwest::Response,
) -> impl futures_core::Stream<Item = std::io::Result<bytes::Bytes>> + Send {
    IoErrors(Box::pin(response.bytes_stream()))
}

/// Turns a body stream's errors into `io::Error`s (token-free messages).
struct IoErrors<S>(Pin<Box<S>>);

impl<S> futures_core::Stream for IoErrors<S>
where
    S: futures_core::Stream<Item = reqwest::Result<bytes::Bytes>>,
{
    type Item = std::io::Result<bytes::Bytes>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(|e| std::io::Error::other(from_reqwest(e).message))))
    }
}

fn form(parts: Vec<Part>) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        form = match part.content {
            PartContent::Text(text) => form.text(part.name, text),
            PartContent::File {
                file_name,
                len,
                data,
            } => {
                let body = match data {
                    FileData::Bytes(b) => reqwest::Body::from(b),
                    FileData::Reader(r) => {
                        reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(r))
                    }
                };
                let p = match len {
                    Some(len) => reqwest::multipart::Part::stream_with_length(body, len),
                    None => reqwest::multipart::Part::stream(body),
                };
                form.part(part.name, p.file_name(file_name))
            }
        };
    }
    form
}

/// Classify a reqwest error; its URL (which holds the token) is dropped and
/// the causes are spelled out.
fn from_reqwest(err: reqwest::Error) -> TransportError {
    let kind = if err.is_timeout() {
        TransportErrorKind::Timeout
    } else if err.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Other
    };
    let err = err.without_url();
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    TransportError { kind, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_parse_matches_a_full_parse() {
        let kept = UrlPrefix::default();
        for url in [
            "https://api.telegram.org/bot123:ABC-def_ghi/sendMessage",
            "https://api.telegram.org/bot123:ABC-def_ghi/getMe",
            "https://api.telegram.org/bot123:ABC-def_ghi/sendMessage",
        ] {
            let fast = kept.parse(url).expect("same prefix, identifier method");
            assert_eq!(fast, reqwest::Url::parse(url).unwrap());
            assert_eq!(fast.as_str(), url);
        }
        // Another prefix, or a method that is not an identifier: parsed whole.
        assert!(kept
            .parse("https://api.telegram.org/bot9:X/getMe")
            .is_none());
        assert!(kept
            .parse("https://api.telegram.org/bot123:ABC-def_ghi/..")
            .is_none());
        assert!(kept
            .parse("https://api.telegram.org/bot123:ABC-def_ghi/")
            .is_none());
        // A prefix that appending would not reproduce is never kept.
        for url in [
            "http://127.0.0.1:8081/x?q=1/bot1:A/getMe",
            "http://127.0.0.1:8081/x#f/bot1:A/getMe",
            "http://127.0.0.1:8081/bot1:A?b/getMe",
        ] {
            assert!(UrlPrefix::default().parse(url).is_none(), "{url}");
        }
        assert!(!format!("{kept:?}").contains("ABC"));
    }
}
