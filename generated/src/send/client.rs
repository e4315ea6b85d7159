//! The async client: validates arguments first, builds the HTTP request
//! (JSON, or multipart when a file is uploaded), hands it to its
//! [`Transport`] with a size bound for the reply, and turns the
//! `{ok, result, error_code, description, parameters}` envelope into a typed
//! result or an [`Error`].

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{redact, Error};
use crate::send::local::LocalServer;
use crate::send::request::{Outgoing, Request};
use crate::send::retry::{RetryPolicy, Retrying};
use crate::send::throttle::{Gate, Throttle, ThrottleStats, Turn};
use crate::transport::{
    HttpRequest, HttpResponse, HyperTransport, Transport, TransportError, TransportErrorKind,
};
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
    /// The HTTP layer, called through the trait's boxed future even when it
    /// is the default one: hyper's client is then compiled once, in this
    /// crate, instead of again in each bot's crate (about half the code a
    /// minimal bot compiles).
    http: Box<dyn Transport>,
    validate: bool,
    upload_limits: bool,
    local: Option<LocalServer>,
    timeout: Option<Duration>,
    max_reply: usize,
    retry: Option<RetryPolicy>,
    throttle: Option<Arc<Gate>>,
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    token: String,
    base_url: String,
    transport: Option<Box<dyn Transport>>,
    validate: bool,
    upload_limits: bool,
    local: Option<LocalServer>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    max_reply: usize,
    retry: Option<RetryPolicy>,
    throttle: Option<Throttle>,
}

/// An `http` or `https` URL with a host, and neither query nor fragment
/// (the method's path is appended to it).
fn valid_base_url(url: &str) -> bool {
    url.parse::<http::Uri>().is_ok_and(|uri| {
        matches!(uri.scheme_str(), Some("http" | "https"))
            && uri.authority().is_some_and(|a| !a.host().is_empty())
            && uri.query().is_none()
    }) && !url.contains('#')
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
            .field("local_server", &self.inner.local.is_some())
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

    /// Send through this `reqwest` client instead of the default transport
    /// (its own proxy and connection settings apply; the request time limit
    /// still does). Feature `reqwest`. With feature `rustls`, reqwest is
    /// built without a crypto provider: install one (say
    /// `rustls::crypto::ring::default_provider().install_default()`) before
    /// building the `reqwest::Client`.
    #[cfg(feature = "reqwest")]
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.transport = Some(Box::new(crate::transport::ReqwestTransport::new(http)));
        self
    }

    /// Send requests through another HTTP layer (another client library,
    /// or a test double).
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Box::new(transport));
        self
    }

    /// Check arguments before sending (on by default).
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// Check the size of uploads before sending (on by default): against
    /// the limits of Telegram's public server, or of a local one under
    /// [`local_server`](Self::local_server). Off, nothing is checked.
    pub fn upload_limits(mut self, on: bool) -> Self {
        self.upload_limits = on;
        self
    }

    /// The server is a self-hosted Bot API server started with `--local`
    /// (off by default; set its address with [`base_url`](Self::base_url)).
    /// Such a server reads and writes files on its own disk, and the client
    /// uses that:
    ///
    /// - a file sent with [`InputFile::path`](crate::InputFile::path) goes
    ///   as a `file://` URI naming its absolute path, and the server reads
    ///   it (nothing is streamed; bytes and readers are still uploaded);
    /// - [`Client::download`] reads a file whose `getFile` path is absolute
    ///   from disk (a relative one is downloaded as usual);
    /// - the upload limits checked before sending are the local server's:
    ///   2000 MB instead of 50 MB for a file (a thumbnail keeps its 200 kB).
    ///
    /// The bot must then see the server's files at the same paths; where it
    /// does not (the server runs in a container), name the directories with
    /// [`local_server_mount`](Self::local_server_mount).
    pub fn local_server(mut self, on: bool) -> Self {
        self.local = if on {
            self.local.or_else(|| Some(LocalServer::default()))
        } else {
            None
        };
        self
    }

    /// Under [`local_server`](Self::local_server) (which this turns on):
    /// the directory `here` of the bot's file system is `on_server` on the
    /// server's (a volume mounted into the server's container). Paths of
    /// files sent and downloaded are translated between the two, by whole
    /// path components; the longest matching directory wins, and a path
    /// under none is used as it is. Call once per directory.
    pub fn local_server_mount(
        mut self,
        here: impl Into<std::path::PathBuf>,
        on_server: impl Into<std::path::PathBuf>,
    ) -> Self {
        self.local
            .get_or_insert_with(LocalServer::default)
            .mount(here.into(), on_server.into());
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

    /// Keep Telegram's flood limits before Telegram enforces them (off by
    /// default): sends into a chat wait for their turn under the limits of
    /// `throttle`, which every clone of the client shares; other requests
    /// never wait. See [`crate::throttle`]. Works with [`retry`](Self::retry):
    /// a retried send keeps its place in its chat.
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// Largest reply body to accept. Default 32 MiB.
    pub fn max_reply_bytes(mut self, limit: usize) -> Self {
        self.max_reply = limit;
        self
    }

    /// Build the client.
    pub fn build(self) -> Result<Client, Error> {
        if !valid_base_url(&self.base_url) {
            return Err(Error::Config(format!(
                "`{}` is not a valid base URL",
                self.base_url
            )));
        }
        let throttle = match &self.throttle {
            Some(t) => Some(Gate::new(t, bot_id(&self.token)).map_err(Error::Config)?),
            None => None,
        };
        let http = match self.transport {
            Some(t) => t,
            None => Box::new(
                HyperTransport::with_connect_timeout(self.connect_timeout)
                    .map_err(|e| Error::Config(redact(&e.message, &self.token)))?,
            ),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                token: self.token,
                base_url: self.base_url,
                http,
                validate: self.validate,
                upload_limits: self.upload_limits,
                local: self.local,
                timeout: self.timeout,
                max_reply: self.max_reply,
                retry: self.retry,
                throttle,
            }),
        })
    }
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
            transport: None,
            validate: true,
            upload_limits: true,
            local: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Duration::from_secs(10),
            max_reply: DEFAULT_MAX_REPLY,
            retry: None,
            throttle: None,
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

    /// Whether the server is a local one ([`ClientBuilder::local_server`]).
    pub fn is_local_server(&self) -> bool {
        self.inner.local.is_some()
    }

    pub(crate) fn local(&self) -> Option<&LocalServer> {
        self.inner.local.as_ref()
    }

    /// What the throttle is doing right now, if the client has one.
    pub fn throttle_stats(&self) -> Option<ThrottleStats> {
        self.inner.throttle.as_ref().map(|gate| gate.stats())
    }

    pub(crate) fn token(&self) -> &str {
        &self.inner.token
    }

    pub(crate) fn transport(&self) -> &dyn Transport {
        &*self.inner.http
    }

    /// Wrap a request so that `.await` sends it; generated client methods
    /// (`client.send_audio(..)`) return this.
    pub fn call<R: Request>(&self, request: R) -> Call<'_, R> {
        Call {
            client: self,
            request,
            timeout: None,
            retry: true,
        }
    }

    /// Send a request and return its typed result.
    pub async fn send<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_with_timeout(request, self.inner.timeout, self.inner.retry.as_ref())
            .await
    }

    /// The typed shell around [`Client::send_outgoing`]: all it adds is the
    /// decoding of the result, which each request type does with a function
    /// compiled in this crate ([`Request::decode_reply`]). The generic code
    /// instantiated in a bot's crate for each method it calls stays this
    /// small. The result is decoded after the last attempt, so the future
    /// never holds it across an `.await` (a `Message` is several kB; a
    /// smaller future is cheaper to allocate and to move between threads).
    async fn send_with_timeout<R: Request>(
        &self,
        request: &R,
        timeout: Option<Duration>,
        retry: Option<&RetryPolicy>,
    ) -> Result<R::Response, Error> {
        let reply = self.send_outgoing(request, timeout, retry).await?;
        self.decode::<R>(&reply)
    }

    /// The typed result of a reply `send_outgoing` returned.
    #[inline]
    fn decode<R: Request>(&self, reply: &HttpResponse) -> Result<R::Response, Error> {
        let result = R::decode_reply(reply.status, &reply.body, &self.inner.token);
        #[cfg(feature = "tracing")]
        if let Err(e) = &result {
            tracing::debug!(method = R::METHOD, error = %e, "call failed");
        }
        result
    }

    /// Validate and send (with retries under `retry`, if any), and return
    /// the first reply that is not an error; its result is left to the
    /// caller to decode. Without the `tracing` feature this is
    /// [`Client::send_attempts`] itself: no future of its own around it.
    fn send_outgoing<'a>(
        &'a self,
        request: &'a dyn Outgoing,
        timeout: Option<Duration>,
        retry: Option<&'a RetryPolicy>,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send + 'a {
        let attempts = self.send_attempts(request, timeout, retry);
        // One span per call, named after the method; never the token.
        #[cfg(feature = "tracing")]
        let attempts = async move {
            let result = tracing::Instrument::instrument(
                attempts,
                tracing::debug_span!("botapi.request", method = request.method()),
            )
            .await;
            if let Err(e) = &result {
                tracing::debug!(method = request.method(), error = %e, "call failed");
            }
            result
        };
        attempts
    }

    async fn send_attempts(
        &self,
        request: &dyn Outgoing,
        timeout: Option<Duration>,
        retry: Option<&RetryPolicy>,
    ) -> Result<HttpResponse, Error> {
        if self.inner.validate {
            let mut v = Validator::new(request.method());
            if !self.inner.upload_limits {
                v = v.without_upload_limits();
            } else if self.inner.local.is_some() {
                v = v.with_local_server_limits();
            }
            v.check(request)?;
        }
        // A send into a chat waits for its turn under the throttle, and
        // keeps it through its retries. The throttle's futures are boxed:
        // most clients have none, and their calls' futures stay small.
        let mut turn: Option<Turn> = match (&self.inner.throttle, request.throttle_target()) {
            (Some(gate), Some(target)) => Some(Box::pin(gate.acquire(target)).await),
            _ => None,
        };
        let Some(policy) = retry else {
            let result = self.send_once(request, timeout).await;
            if let Some(turn) = &mut turn {
                Box::pin(turn.learn(result.as_ref().map(|_| ()))).await;
            }
            return result;
        };
        let mut progress = Retrying::default();
        loop {
            let result = self.send_once(request, timeout).await;
            if let Some(turn) = &mut turn {
                Box::pin(turn.learn(result.as_ref().map(|_| ()))).await;
            }
            match result {
                Ok(reply) => return Ok(reply),
                // A call's back-off has no cap of its own: the policy's
                // attempts and total wait bound it.
                Err(e) => {
                    match policy.next_wait(&mut progress, &e, request.idempotent(), Duration::MAX) {
                        None => return Err(e),
                        Some(wait) => {
                            #[cfg(feature = "tracing")]
                            tracing::info!(
                                method = request.method(),
                                attempt = progress.failures,
                                wait_ms = wait.as_millis() as u64,
                                error = %e,
                                "retrying"
                            );
                            Box::pin(tokio::time::sleep(wait)).await;
                            if let Some(turn) = &mut turn {
                                Box::pin(turn.again()).await;
                            }
                        }
                    }
                }
            }
        }
    }

    /// One attempt: the reply if it is not an error (its result not yet
    /// decoded), or the error, Telegram's included.
    async fn send_once(
        &self,
        request: &dyn Outgoing,
        timeout: Option<Duration>,
    ) -> Result<HttpResponse, Error> {
        let method = request.method();
        let body = crate::send::multipart::body(request, self.inner.local.as_ref()).await?;
        let http = HttpRequest {
            method,
            url: format!("{}/bot{}/{}", self.inner.base_url, self.inner.token, method),
            body,
            timeout,
            max_reply: self.inner.max_reply,
        };
        let response = self
            .transport()
            .send(http)
            .await
            .map_err(|e| self.transport_error(method, e))?;
        crate::decode::reply::check_reply(
            method,
            response.status,
            &response.body,
            &self.inner.token,
        )?;
        Ok(response)
    }

    /// Turn a transport failure into an [`Error`], token redacted.
    pub(crate) fn transport_error(&self, method: &'static str, err: TransportError) -> Error {
        let message = redact(&err.message, &self.inner.token);
        match err.kind {
            TransportErrorKind::TooLarge { status, .. } => Error::Decode {
                method,
                status,
                message,
                body_prefix: String::new(),
            },
            kind => Error::Transport {
                method,
                message,
                timeout: kind == TransportErrorKind::Timeout,
                connect: kind == TransportErrorKind::Connect,
            },
        }
    }
}

/// A request bound to a client; `.await` sends it. Optional parameters are
/// set with the generated setters (`.limit(10)`).
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, R: Request> {
    client: &'a Client,
    request: R,
    timeout: Option<Duration>,
    /// Whether the client's retry policy applies (the poller has its own).
    retry: bool,
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

    /// Send once, leaving the client's retry policy out: for a caller that
    /// retries under its own policy (the poller).
    pub(crate) fn without_retry(mut self) -> Self {
        self.retry = false;
        self
    }
}

impl<'a, R: Request + 'a> IntoFuture for Call<'a, R> {
    type Output = Result<R::Response, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        // What `Client::send_with_timeout` does, written out here so that
        // the boxed future has one level fewer (each level keeps its own
        // arguments).
        Box::pin(async move {
            let client = self.client;
            let timeout = self.timeout.or(client.inner.timeout);
            let retry = client.inner.retry.as_ref().filter(|_| self.retry);
            let reply = client.send_outgoing(&self.request, timeout, retry).await?;
            client.decode::<R>(&reply)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
