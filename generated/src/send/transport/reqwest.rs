//! [`ReqwestTransport`]: requests through a `reqwest::Client` (feature
//! `reqwest`), for settings the default transport does not have (proxies).

use std::fmt;
use std::pin::Pin;
use std::time::Duration;

use super::{
    with_causes, Body, BoxFuture, Download, FileData, Gather, HttpRequest, HttpResponse, Part,
    PartContent, Transport, TransportError, TransportErrorKind,
};

/// A transport on a `reqwest::Client` of your own (its proxy, TLS and
/// connection settings apply; feature `reqwest`).
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
fn install_tls_provider() {
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

    async fn send_inner(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
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
        let mut reply = Gather::new(
            response.status().as_u16(),
            request.max_reply,
            response.content_length(),
        )?;
        while let Some(chunk) = response.chunk().await.map_err(from_reqwest)? {
            reply.push(chunk)?;
        }
        Ok(reply.finish())
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
    let message = with_causes(&err.without_url());
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
