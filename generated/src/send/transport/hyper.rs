//! [`HyperTransport`], the default transport: hyper's pooled HTTP/1.1
//! client (keep-alive connections, TLS by cargo feature), each exchange
//! timed as a whole, replies read up to their size bound.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::{Method, Uri};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::form::{Form, OutBody};
use super::{
    with_causes, Body, BoxFuture, Download, Gather, HttpRequest, HttpResponse, Transport,
    TransportError, TransportErrorKind,
};

#[cfg(feature = "native-tls")]
type Connector = hyper_tls::HttpsConnector<HttpConnector>;
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
type Connector = hyper_rustls::HttpsConnector<HttpConnector>;
#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
type Connector = HttpConnector;

type HttpClient = hyper_util::client::legacy::Client<Connector, OutBody>;

/// The default transport: a pool of keep-alive HTTP/1.1 connections
/// (hyper), with TLS through native-tls or rustls as the cargo features
/// choose (native-tls when both are on; plain HTTP only with neither).
/// Connects directly: for a proxy, use `ReqwestTransport` (feature
/// `reqwest`). Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct HyperTransport {
    http: HttpClient,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport").finish_non_exhaustive()
    }
}

impl HyperTransport {
    /// A transport whose connections must be made within `connect_timeout`.
    pub fn with_connect_timeout(connect_timeout: Duration) -> Result<Self, TransportError> {
        let mut tcp = HttpConnector::new();
        tcp.set_connect_timeout(Some(connect_timeout));
        // Small requests go out at once, as with other HTTP clients.
        tcp.set_nodelay(true);
        tcp.enforce_http(false);
        let http = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .build(tls(tcp)?);
        Ok(HyperTransport { http })
    }

    async fn send_inner(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let limit = request.max_reply;
        let (body, content_type) = match request.body {
            Body::Json(bytes) => (
                OutBody::Full(Some(bytes.into())),
                HeaderValue::from_static("application/json"),
            ),
            Body::Multipart(parts) => {
                let form = Form::new(parts);
                let content_type = HeaderValue::try_from(form.content_type())
                    .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))?;
                (OutBody::Form(form), content_type)
            }
        };
        let exchange = async {
            let headers = [(CONTENT_TYPE, content_type)];
            let response = self
                .exchange(Method::POST, request.url, headers, body)
                .await?;
            read(response, limit).await
        };
        within(request.timeout, exchange).await
    }

    /// POST `body` as JSON to `url` with `headers`; the reply's status
    /// (its body, up to 1 MiB, is read and dropped). For the fake server's
    /// webhook deliveries.
    #[cfg(feature = "testing")]
    pub(crate) async fn post_json(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
        timeout: Option<Duration>,
    ) -> Result<u16, TransportError> {
        let mut all = vec![(CONTENT_TYPE, HeaderValue::from_static("application/json"))];
        for (name, value) in headers {
            let name = HeaderName::from_bytes(name.as_bytes());
            let value = HeaderValue::from_str(value);
            match (name, value) {
                (Ok(name), Ok(value)) => all.push((name, value)),
                _ => return Err(TransportError::new(TransportErrorKind::Other, "bad header")),
            }
        }
        let exchange = async {
            let response = self
                .exchange(
                    Method::POST,
                    url.to_owned(),
                    all,
                    OutBody::Full(Some(body.into())),
                )
                .await?;
            Ok(read(response, 1 << 20).await?.status)
        };
        within(timeout, exchange).await
    }

    async fn download_inner(&self, url: String) -> Result<Download, TransportError> {
        let response = self
            .exchange(Method::GET, url, [], OutBody::Full(None))
            .await?;
        let status = response.status().as_u16();
        let stream = IoErrors(response.into_body().into_data_stream());
        Ok(Download {
            status,
            body: Box::pin(tokio_util::io::StreamReader::new(stream)),
        })
    }

    /// Send one request and wait for the head of its reply.
    async fn exchange(
        &self,
        method: Method,
        url: String,
        headers: impl IntoIterator<Item = (HeaderName, HeaderValue)>,
        body: OutBody,
    ) -> Result<http::Response<Incoming>, TransportError> {
        // The URL holds the token: the error names neither.
        let uri = Uri::try_from(url).map_err(|_| {
            TransportError::new(TransportErrorKind::Other, "the request URL is not valid")
        })?;
        let mut request = http::Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        request.headers_mut().extend(headers);
        self.http.request(request).await.map_err(from_hyper)
    }
}

impl Transport for HyperTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(self.send_inner(request))
    }

    fn download(&self, url: String) -> BoxFuture<'_, Result<Download, TransportError>> {
        Box::pin(self.download_inner(url))
    }
}

#[cfg(feature = "native-tls")]
fn tls(tcp: HttpConnector) -> Result<Connector, TransportError> {
    let tls = native_tls::TlsConnector::new().map_err(|e| {
        TransportError::new(
            TransportErrorKind::Other,
            format!("TLS setup: {}", with_causes(&e)),
        )
    })?;
    Ok(Connector::from((tcp, tls.into())))
}

#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn tls(tcp: HttpConnector) -> Result<Connector, TransportError> {
    let builder = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_platform_verifier(rustls::crypto::ring::default_provider())
        .map_err(|e| {
            TransportError::new(
                TransportErrorKind::Other,
                format!("TLS setup: {}", with_causes(&e)),
            )
        })?;
    Ok(builder.https_or_http().enable_http1().wrap_connector(tcp))
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn tls(tcp: HttpConnector) -> Result<Connector, TransportError> {
    Ok(tcp)
}

/// Run `exchange` within `timeout`, if there is one.
async fn within<T>(
    timeout: Option<Duration>,
    exchange: impl std::future::Future<Output = Result<T, TransportError>>,
) -> Result<T, TransportError> {
    match timeout {
        None => exchange.await,
        Some(limit) => tokio::time::timeout(limit, exchange)
            .await
            .unwrap_or_else(|_| {
                Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no complete reply within {limit:?}"),
                ))
            }),
    }
}

/// Read a reply's body, at most `limit` bytes.
async fn read(
    response: http::Response<Incoming>,
    limit: usize,
) -> Result<HttpResponse, TransportError> {
    let status = response.status().as_u16();
    let mut body = response.into_body();
    let mut reply = Gather::new(status, limit, http_body::Body::size_hint(&body).exact())?;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            TransportError::new(
                TransportErrorKind::Other,
                format!("reading the reply: {}", with_causes(&e)),
            )
        })?;
        if let Ok(data) = frame.into_data() {
            reply.push(data)?;
        }
    }
    Ok(reply.finish())
}

/// Classify a client error: a connect timeout is a timeout, any other
/// failure to connect a connect error (nothing was sent).
fn from_hyper(err: hyper_util::client::legacy::Error) -> TransportError {
    let kind = if timed_out(&err) {
        TransportErrorKind::Timeout
    } else if err.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Other
    };
    let mut message = with_causes(&err);
    if kind == TransportErrorKind::Connect {
        if let Some(var) = proxy_variable() {
            message.push_str(&format!(
                " ({var} is set, but the default transport connects directly: \
                 to go through a proxy, enable feature `reqwest` and pass a \
                 `reqwest::Client` to `ClientBuilder::http_client`)"
            ));
        }
    }
    TransportError::new(kind, message)
}

fn timed_out(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(err);
    while let Some(e) = cause {
        if e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::TimedOut)
        {
            return true;
        }
        cause = e.source();
    }
    false
}

/// The first proxy variable set in the environment, which other HTTP
/// clients would follow.
fn proxy_variable() -> Option<&'static str> {
    [
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ]
    .into_iter()
    .find(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// A download's body as a stream of `io::Result<Bytes>`, for `StreamReader`.
struct IoErrors(http_body_util::BodyDataStream<Incoming>);

impl futures_core::Stream for IoErrors {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.0)
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(|e| io::Error::other(with_causes(&e)))))
    }
}
