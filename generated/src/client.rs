//! The async client: builds HTTP requests (JSON, or multipart when a file is
//! uploaded), validates arguments first, reads replies with a size bound and
//! turns the `{ok, result, error_code, description, parameters}` envelope
//! into a typed result or an [`Error`].

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{redact, ApiError, Error};
use crate::error_kinds::ErrorKind;
use crate::request::Request;
use crate::retry::RetryPolicy;
use crate::validate::Validator;

/// Telegram's public Bot API server.
pub const DEFAULT_BASE_URL: &str = "https://api.telegram.org";
/// Default time limit of one HTTP request (longer than a long poll of 50 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);
/// Largest reply body read before giving up.
pub const DEFAULT_MAX_REPLY: usize = 32 * 1024 * 1024;

/// A Bot API client. Cheap to clone; clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    token: String,
    base_url: String,
    http: reqwest::Client,
    validate: bool,
    timeout: Option<Duration>,
    max_reply: usize,
    retry: Option<RetryPolicy>,
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    token: String,
    base_url: String,
    http: Option<reqwest::Client>,
    validate: bool,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    max_reply: usize,
    retry: Option<RetryPolicy>,
}

/// The part of a token that is safe to show: the bot id before the `:`.
fn bot_id(token: &str) -> &str {
    token.split_once(':').map_or("?", |(id, _)| id)
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("bot_id", &bot_id(&self.inner.token))
            .field("token", &"<redacted>")
            .field("base_url", &self.inner.base_url)
            .field("validate", &self.inner.validate)
            .finish()
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("bot_id", &bot_id(&self.token))
            .field("token", &"<redacted>")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Use another Bot API server (a self-hosted one, or a test double).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_string();
        self
    }

    /// Use this HTTP client instead of building one (its own timeouts apply).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Check arguments before sending (on by default).
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// Time limit of one request; `None` for no limit. Default 100 s.
    pub fn timeout(mut self, limit: impl Into<Option<Duration>>) -> Self {
        self.timeout = limit.into();
        self
    }

    /// Time limit for establishing a connection. Default 10 s.
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.connect_timeout = limit;
        self
    }

    /// Retry flood control, server errors and lost connections (off by
    /// default). Only idempotent methods are re-sent after an ambiguous failure.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Largest reply body to accept. Default 32 MiB.
    pub fn max_reply_bytes(mut self, limit: usize) -> Self {
        self.max_reply = limit;
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<Client, Error> {
        if reqwest::Url::parse(&self.base_url).is_err() {
            return Err(Error::Config(format!(
                "`{}` is not a valid base URL",
                self.base_url
            )));
        }
        let http = match self.http {
            Some(h) => h,
            None => {
                #[cfg(feature = "rustls")]
                {
                    // reqwest's `rustls-no-provider` uses the process default;
                    // install ring unless the application chose one already.
                    let _ = rustls::crypto::ring::default_provider().install_default();
                }
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .build()
                    .map_err(|e| Error::Config(redact(&e.to_string(), &self.token)))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                token: self.token,
                base_url: self.base_url,
                http,
                validate: self.validate,
                timeout: self.timeout,
                max_reply: self.max_reply,
                retry: self.retry,
            }),
        })
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    ok: bool,
    result: Option<T>,
    #[serde(default)]
    error_code: Option<i64>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    parameters: Option<Parameters>,
}

#[derive(Deserialize)]
struct Parameters {
    #[serde(default)]
    retry_after: Option<u64>,
    #[serde(default)]
    migrate_to_chat_id: Option<i64>,
}

impl Client {
    /// A client for `token` with the default settings.
    pub fn new(token: impl Into<String>) -> Client {
        Client::builder(token)
            .build()
            .expect("the default configuration is valid")
    }

    /// Configure a client for `token`.
    pub fn builder(token: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            token: token.into(),
            base_url: DEFAULT_BASE_URL.to_string(),
            http: None,
            validate: true,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Duration::from_secs(10),
            max_reply: DEFAULT_MAX_REPLY,
            retry: None,
        }
    }

    /// A client configured from the environment: `BOT_TOKEN` (required) and
    /// `BOT_API_URL` (optional, for a self-hosted Bot API server).
    pub fn from_env() -> Result<Client, Error> {
        Client::builder_from_env()?.build()
    }

    /// Like [`Client::from_env`], but returns the builder to adjust further.
    pub fn builder_from_env() -> Result<ClientBuilder, Error> {
        let token = std::env::var("BOT_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| Error::Config("the environment variable BOT_TOKEN is not set".into()))?;
        let mut builder = Client::builder(token);
        if let Some(url) = std::env::var("BOT_API_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
        {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// The Bot API server this client talks to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn token(&self) -> &str {
        &self.inner.token
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Wrap a request so that `.await` sends it; generated client methods
    /// (`client.send_audio(..)`) return this.
    pub fn call<R: Request>(&self, request: R) -> Call<'_, R> {
        Call {
            client: self,
            request,
            timeout: None,
        }
    }

    /// Send a request and return its typed result.
    pub async fn send<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_with_timeout(request, self.inner.timeout).await
    }

    async fn send_with_timeout<R: Request>(
        &self,
        request: &R,
        timeout: Option<Duration>,
    ) -> Result<R::Response, Error> {
        if self.inner.validate {
            Validator::run(R::METHOD, request)?;
        }
        let Some(policy) = &self.inner.retry else {
            return self.send_once(request, timeout).await;
        };
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        loop {
            match self.send_once(request, timeout).await {
                Ok(r) => return Ok(r),
                Err(e) => match policy.delay(&e, attempt, waited, R::IDEMPOTENT) {
                    None => return Err(e),
                    Some(wait) => {
                        tokio::time::sleep(wait).await;
                        waited += wait;
                        attempt += 1;
                    }
                },
            }
        }
    }

    async fn send_once<R: Request>(
        &self,
        request: &R,
        timeout: Option<Duration>,
    ) -> Result<R::Response, Error> {
        let method = R::METHOD;
        let url = format!("{}/bot{}/{}", self.inner.base_url, self.inner.token, method);
        let mut builder = self.inner.http.post(url);
        if let Some(t) = timeout {
            builder = builder.timeout(t);
        }
        let builder = match crate::multipart::form(request).await? {
            Some(form) => builder.multipart(form),
            None => {
                let body = serde_json::to_vec(request).map_err(|e| Error::Decode {
                    method,
                    status: 0,
                    message: format!("cannot serialize the request: {e}"),
                    body_prefix: String::new(),
                })?;
                builder
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body)
            }
        };
        let response = builder
            .send()
            .await
            .map_err(|e| Error::transport(method, e, &self.inner.token))?;
        let status = response.status().as_u16();
        let body = self.read_body(method, response).await?;
        parse_reply::<R::Response>(method, status, &body)
    }

    async fn read_body(
        &self,
        method: &'static str,
        mut response: reqwest::Response,
    ) -> Result<Vec<u8>, Error> {
        let status = response.status().as_u16();
        let limit = self.inner.max_reply;
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Error::transport(method, e, &self.inner.token))?
        {
            if body.len() + chunk.len() > limit {
                return Err(Error::Decode {
                    method,
                    status,
                    message: format!("reply is larger than {limit} bytes"),
                    body_prefix: prefix(&body),
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

fn prefix(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    text.into_owned()
}

/// Turn a reply body into the method's result or an error.
pub(crate) fn parse_reply<T: DeserializeOwned>(
    method: &'static str,
    status: u16,
    body: &[u8],
) -> Result<T, Error> {
    let decode = |message: String| Error::Decode {
        method,
        status,
        message,
        body_prefix: prefix(body),
    };
    let envelope: Envelope<T> = match serde_json::from_slice(body) {
        Ok(e) => e,
        Err(e) => {
            // A well-formed error reply may still fail here when `result` has
            // an unexpected shape; report Telegram's error first if present.
            if let Ok(env) = serde_json::from_slice::<Envelope<serde::de::IgnoredAny>>(body) {
                if !env.ok {
                    return Err(api_error(
                        method,
                        status,
                        env.error_code,
                        env.description,
                        env.parameters,
                    ));
                }
            }
            return Err(decode(if body.is_empty() {
                "empty body".into()
            } else {
                e.to_string()
            }));
        }
    };
    if !envelope.ok {
        return Err(api_error(
            method,
            status,
            envelope.error_code,
            envelope.description,
            envelope.parameters,
        ));
    }
    envelope
        .result
        .ok_or_else(|| decode("`ok` is true but there is no `result`".into()))
}

fn api_error(
    method: &'static str,
    status: u16,
    code: Option<i64>,
    description: Option<String>,
    params: Option<Parameters>,
) -> Error {
    let code = code.unwrap_or(i64::from(status));
    let description = description.unwrap_or_default();
    let (retry_after, migrate_to_chat_id) =
        params.map_or((None, None), |p| (p.retry_after, p.migrate_to_chat_id));
    let kind = ErrorKind::classify(code, &description);
    Error::Api(ApiError {
        method,
        code,
        description,
        retry_after,
        migrate_to_chat_id,
        kind,
    })
}

/// A request bound to a client; `.await` sends it. Optional parameters are
/// set with the generated setters (`.limit(10)`).
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, R: Request> {
    client: &'a Client,
    request: R,
    timeout: Option<Duration>,
}

impl<'a, R: Request> Call<'a, R> {
    /// Change the request (generated setters use this).
    pub fn map(mut self, f: impl FnOnce(R) -> R) -> Self {
        self.request = f(self.request);
        self
    }

    /// The request as built so far.
    pub fn request(&self) -> &R {
        &self.request
    }

    /// The client and the request.
    pub(crate) fn into_parts(self) -> (&'a Client, R) {
        (self.client, self.request)
    }

    /// Take the request out, to send later with [`Client::send`].
    pub fn into_request(self) -> R {
        self.request
    }

    /// Time limit of this HTTP request, instead of the client's.
    pub fn http_timeout(mut self, limit: Duration) -> Self {
        self.timeout = Some(limit);
        self
    }
}

impl<'a, R: Request + 'a> IntoFuture for Call<'a, R> {
    type Output = Result<R::Response, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let timeout = self.timeout.or(self.client.inner.timeout);
            self.client.send_with_timeout(&self.request, timeout).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_success_and_errors() {
        let ok: bool = parse_reply("m", 200, br#"{"ok":true,"result":true}"#).unwrap();
        assert!(ok);
        let err = parse_reply::<bool>("m", 429, br#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}"#).unwrap_err();
        assert_eq!(err.retry_after(), Some(Duration::from_secs(5)));
        let err = parse_reply::<bool>("m", 502, b"<html>Bad Gateway</html>").unwrap_err();
        assert!(matches!(err, Error::Decode { status: 502, .. }), "{err}");
        let err = parse_reply::<bool>("m", 200, br#"{"ok":true}"#).unwrap_err();
        assert!(err.to_string().contains("no `result`"), "{err}");
        let err = parse_reply::<bool>("m", 200, b"").unwrap_err();
        assert!(err.to_string().contains("empty body"), "{err}");
        let err = parse_reply::<bool>(
            "m",
            400,
            br#"{"ok":false,"error_code":400,"description":"Bad Request: x","result":{"weird":1}}"#,
        )
        .unwrap_err();
        assert_eq!(err.api().map(|a| a.code), Some(400));
    }

    #[test]
    fn debug_never_shows_the_token() {
        let c = Client::builder("123456:SECRET-PART-xyz").build().unwrap();
        let shown = format!("{c:?} {:?}", Client::builder("123456:SECRET-PART-xyz"));
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("123456"));
    }

    #[tokio::test]
    async fn transport_errors_are_redacted() {
        // Nothing listens on port 9 of 127.0.0.1 here: the connection fails.
        let c = Client::builder("123456:SECRET-PART-xyz")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        #[derive(serde::Serialize)]
        struct Ping;
        impl crate::validate::Validate for Ping {
            fn validate_into(&self, _v: &mut Validator) {}
        }
        impl Request for Ping {
            const METHOD: &'static str = "ping";
            type Response = bool;
        }
        let err = c.send(&Ping).await.unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(
            matches!(err, Error::Transport { connect: true, .. }),
            "{shown}"
        );
        assert!(!shown.contains("SECRET"), "{shown}");
    }
}
