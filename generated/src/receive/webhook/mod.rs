//! Webhooks (cargo feature `webhook`): an axum endpoint that receives the
//! updates Telegram pushes, checks the secret token header in constant time,
//! bounds and decodes the body, and hands each typed [`Update`] to the
//! application; plus the `setWebhook` request that registers it.
//!
//! An update is acknowledged (HTTP 200) only once the application has taken
//! it with [`Updates::next`]. If nobody takes it in time, or the receiver is
//! gone, the answer is 503 and Telegram delivers it again later, so stopping
//! the bot loses nothing that Telegram was told had arrived.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use botapi::webhook::Webhook;
//!
//! let client = botapi::Client::from_env()?;
//! let webhook = Webhook::builder()
//!     .secret_token("a-long-random-string_0123456789")
//!     .path("/telegram")
//!     .build()?;
//! client
//!     .call(webhook.set_webhook_request("https://bot.example.org/telegram"))
//!     .await?;
//! let mut server = webhook.bind("0.0.0.0:8080").await?;
//! while let Some(update) = server.next().await {
//!     println!("update {}", update.update_id);
//! }
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::methods::SetWebhook;
use crate::types::Update;

/// The header in which Telegram repeats the secret token given to `setWebhook`.
pub const SECRET_TOKEN_HEADER: &str = "x-telegram-bot-api-secret-token";
/// Default limit of a request body. Updates are a few kilobytes at most.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;
/// Default time an update waits for the application before the request is
/// answered with 503 (and Telegram tries again later).
pub const DEFAULT_HANDOFF_TIMEOUT: Duration = Duration::from_secs(30);

/// Updates waiting for [`Updates::next`]; Telegram keeps at most 100
/// connections open, each carrying one update.
const QUEUE: usize = 100;

/// Why a webhook could not be configured or started.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret token breaks Telegram's rules (the token is never shown).
    #[error("the webhook secret token {0}")]
    InvalidSecretToken(&'static str),
    /// The path cannot be routed.
    #[error("the webhook path {path:?} {reason}")]
    InvalidPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The listening socket failed.
    #[error("webhook listener: {0}")]
    Io(#[from] std::io::Error),
}

/// Configures a [`Webhook`]; start with [`Webhook::builder`].
#[derive(Clone)]
pub struct WebhookBuilder {
    secret: Option<String>,
    path: String,
    max_body: usize,
    handoff_timeout: Duration,
}

/// A checked webhook configuration: the secret token, the path it answers
/// on, and the limits. Cheap to clone.
#[derive(Clone)]
pub struct Webhook {
    secret: Option<Arc<str>>,
    path: Arc<str>,
    max_body: usize,
    handoff_timeout: Duration,
}

impl fmt::Debug for WebhookBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookBuilder")
            .field("secret_token", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("path", &self.path)
            .field("max_body", &self.max_body)
            .field("handoff_timeout", &self.handoff_timeout)
            .finish()
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("secret_token", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("path", &self.path)
            .field("max_body", &self.max_body)
            .field("handoff_timeout", &self.handoff_timeout)
            .finish()
    }
}

impl WebhookBuilder {
    /// Require this token in the `X-Telegram-Bot-Api-Secret-Token` header of
    /// every request. Strongly advised: without it anyone who learns the URL
    /// can feed the bot forged updates. Telegram accepts 1 to 256 characters
    /// from `A-Z`, `a-z`, `0-9`, `_` and `-`; [`build`](Self::build) checks.
    pub fn secret_token(mut self, token: impl Into<String>) -> Self {
        self.secret = Some(token.into());
        self
    }

    /// The path requests arrive on, such as `/telegram`. Default `/`.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Largest request body accepted; larger ones get 413. Default 1 MiB.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body = limit;
        self
    }

    /// How long a received update may wait for [`Updates::next`] before the
    /// request is answered with 503 so that Telegram sends it again. Default
    /// 30 s.
    pub fn handoff_timeout(mut self, limit: Duration) -> Self {
        self.handoff_timeout = limit;
        self
    }

    /// Check the settings.
    pub fn build(self) -> Result<Webhook, WebhookError> {
        if let Some(secret) = &self.secret {
            check_secret(secret)?;
        }
        check_path(&self.path)?;
        Ok(Webhook {
            secret: self.secret.map(Into::into),
            path: self.path.into(),
            max_body: self.max_body,
            handoff_timeout: self.handoff_timeout,
        })
    }
}

fn check_secret(secret: &str) -> Result<(), WebhookError> {
    let reason = if secret.is_empty() {
        "is empty"
    } else if secret.len() > 256 {
        "is longer than 256 characters"
    } else if !secret
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        "may only contain A-Z, a-z, 0-9, `_` and `-`"
    } else {
        return Ok(());
    };
    Err(WebhookError::InvalidSecretToken(reason))
}

fn check_path(path: &str) -> Result<(), WebhookError> {
    let reason = if !path.starts_with('/') {
        "must start with `/`"
    } else if !path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~'))
    {
        "may only contain A-Z, a-z, 0-9, `/`, `-`, `_`, `.` and `~`"
    } else {
        return Ok(());
    };
    Err(WebhookError::InvalidPath {
        path: path.to_string(),
        reason,
    })
}

impl Webhook {
    /// Configure a webhook: no secret token, path `/`, 1 MiB bodies.
    pub fn builder() -> WebhookBuilder {
        WebhookBuilder {
            secret: None,
            path: "/".to_string(),
            max_body: DEFAULT_MAX_BODY,
            handoff_timeout: DEFAULT_HANDOFF_TIMEOUT,
        }
    }

    /// A webhook on `/` that requires `secret_token` (see
    /// [`WebhookBuilder::secret_token`]).
    pub fn new(secret_token: impl Into<String>) -> Result<Webhook, WebhookError> {
        Webhook::builder().secret_token(secret_token).build()
    }

    /// The path requests arrive on.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether requests must carry a secret token.
    pub fn has_secret_token(&self) -> bool {
        self.secret.is_some()
    }

    /// A `setWebhook` request for `url` (the public HTTPS address that ends
    /// in this webhook's path) carrying this webhook's secret token. Add more
    /// options through the request's setters or, sent with
    /// [`Client::call`](crate::Client::call), on the call.
    pub fn set_webhook_request(&self, url: impl Into<String>) -> SetWebhook {
        let mut request = SetWebhook::new(url);
        request.secret_token = self.secret.as_deref().map(str::to_string);
        request
    }

    /// An axum router serving this webhook's path, to serve or to merge into
    /// an application's own router, and the updates it receives.
    ///
    /// Answers: 405 for methods other than POST, 401 when the secret token is
    /// missing or wrong, 413 for bodies over the limit, 400 for bodies that
    /// are not an update, 503 when the update was not taken in time (or the
    /// [`Updates`] are gone) and 200 once it was.
    pub fn router(&self) -> (Router, Updates) {
        let (tx, rx) = mpsc::channel(QUEUE);
        let shared = Arc::new(Shared {
            secret: self.secret.clone(),
            handoff_timeout: self.handoff_timeout,
            tx,
        });
        let router = Router::new()
            .route(&self.path, post(receive))
            .layer(DefaultBodyLimit::max(self.max_body))
            .with_state(shared);
        (router, Updates { rx })
    }

    /// Serve this webhook on an open listener in a background task. The
    /// server stops when the returned value is dropped.
    pub async fn serve(&self, listener: TcpListener) -> Result<WebhookServer, WebhookError> {
        let local_addr = listener.local_addr()?;
        let (router, updates) = self.router();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(WebhookServer {
            updates,
            local_addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Listen on `addr` (such as `0.0.0.0:8080`) and serve this webhook, like
    /// [`serve`](Self::serve).
    pub async fn bind(&self, addr: impl ToSocketAddrs) -> Result<WebhookServer, WebhookError> {
        let listener = TcpListener::bind(addr).await?;
        self.serve(listener).await
    }
}

/// One received update waiting for the application, and the signal that
/// tells its request it was taken.
struct Handoff {
    update: Update,
    taken: oneshot::Sender<()>,
}

struct Shared {
    secret: Option<Arc<str>>,
    handoff_timeout: Duration,
    tx: mpsc::Sender<Handoff>,
}

/// The updates a webhook receives, in arrival order.
#[derive(Debug)]
pub struct Updates {
    rx: mpsc::Receiver<Handoff>,
}

impl fmt::Debug for Handoff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handoff")
            .field("update_id", &self.update.update_id)
            .finish_non_exhaustive()
    }
}

impl Updates {
    /// The next update; `None` once the router that feeds it is gone. Its
    /// request is answered 200 at this point, not before.
    pub async fn next(&mut self) -> Option<Update> {
        loop {
            let handoff = self.rx.recv().await?;
            if handoff.taken.send(()).is_ok() {
                return Some(handoff.update);
            }
            // Its request gave up waiting (and answered 503) or the sender
            // hung up: Telegram delivers this update again.
        }
    }

    /// Refuse further updates and release the waiting ones unanswered (their
    /// requests get 503).
    fn close(&mut self) {
        self.rx.close();
        while self.rx.try_recv().is_ok() {}
    }
}

/// A webhook served in a background task; yields the received updates.
/// Dropping it stops the server.
#[derive(Debug)]
pub struct WebhookServer {
    updates: Updates,
    local_addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl WebhookServer {
    /// The address the server listens on (useful after binding port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The next update; see [`Updates::next`]. `None` if the server stopped.
    pub async fn next(&mut self) -> Option<Update> {
        self.updates.next().await
    }

    /// Stop accepting requests, answer 503 to those still waiting and wait
    /// for the server to finish.
    pub async fn shutdown(mut self) -> Result<(), WebhookError> {
        self.updates.close();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => match task.await {
                Ok(result) => result.map_err(WebhookError::Io),
                Err(join) => Err(WebhookError::Io(std::io::Error::other(join))),
            },
            None => Ok(()),
        }
    }
}

impl Drop for WebhookServer {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

async fn receive(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    if let Some(secret) = &shared.secret {
        let given = request
            .headers()
            .get(SECRET_TOKEN_HEADER)
            .map_or(&[][..], |v| v.as_bytes());
        // A missing header compares as empty; the secret never is.
        if !constant_time_eq(given, secret.as_bytes()) {
            return (StatusCode::UNAUTHORIZED, "wrong or missing secret token").into_response();
        }
    }
    let body = match Bytes::from_request(request, &()).await {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return (StatusCode::PAYLOAD_TOO_LARGE, "body too large").into_response();
        }
        Err(_) => return (StatusCode::BAD_REQUEST, "unreadable body").into_response(),
    };
    let Some(update) = decode(&body) else {
        return (StatusCode::BAD_REQUEST, "not an update").into_response();
    };
    hand_over(&shared, update).await.into_response()
}

/// Read an update the way the client reads replies ([`crate::compat`]): a
/// part of an unknown kind, or one that does not fit its known type, is
/// still delivered (as
/// [`UpdateKind::Unknown`](crate::types::UpdateKind::Unknown) or
/// [`UpdateKind::Undecodable`](crate::types::UpdateKind::Undecodable), with
/// its raw JSON), since refusing it would make Telegram resend it forever and
/// hold back every later update.
fn decode(body: &[u8]) -> Option<Update> {
    crate::compat::from_slice(body).ok()
}

/// Queue the update and wait until the application takes it; 200 if it did
/// within the time limit, 503 otherwise.
async fn hand_over(shared: &Shared, update: Update) -> (StatusCode, &'static str) {
    const UNAVAILABLE: (StatusCode, &str) = (StatusCode::SERVICE_UNAVAILABLE, "not taken, retry");
    let deadline = Instant::now() + shared.handoff_timeout;
    let (taken, mut was_taken) = oneshot::channel();
    let queued = tokio::time::timeout_at(deadline, shared.tx.send(Handoff { update, taken }));
    if !matches!(queued.await, Ok(Ok(()))) {
        return UNAVAILABLE;
    }
    match tokio::time::timeout_at(deadline, &mut was_taken).await {
        Ok(Ok(())) => (StatusCode::OK, ""),
        Ok(Err(_)) => UNAVAILABLE,
        Err(_) => {
            // Too late from now on; but it may have been taken just now.
            was_taken.close();
            if was_taken.try_recv().is_ok() {
                (StatusCode::OK, "")
            } else {
                UNAVAILABLE
            }
        }
    }
}

/// Compare a given token with the secret in time that depends only on the
/// secret's length, not on where the two first differ.
fn constant_time_eq(given: &[u8], secret: &[u8]) -> bool {
    let mut diff = usize::from(given.len() != secret.len());
    for (i, &s) in secret.iter().enumerate() {
        let g = given.get(i).copied().unwrap_or(0);
        diff |= usize::from(std::hint::black_box(g ^ s));
    }
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::UpdateKind;

    #[test]
    fn constant_time_eq_compares_whole_tokens() {
        assert!(constant_time_eq(b"abc-123", b"abc-123"));
        assert!(!constant_time_eq(b"abc-124", b"abc-123"));
        assert!(!constant_time_eq(b"xbc-123", b"abc-123"));
        assert!(!constant_time_eq(b"abc-12", b"abc-123"));
        assert!(!constant_time_eq(b"abc-1234", b"abc-123"));
        assert!(!constant_time_eq(b"", b"abc-123"));
        assert!(!constant_time_eq(b"abc-123\0", b"abc-123"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn secret_tokens_follow_telegram_rules() {
        assert!(Webhook::new("Abc_09-z").is_ok());
        assert!(Webhook::new("a".repeat(256)).is_ok());
        for bad in [
            String::new(),
            "a".repeat(257),
            "has space".into(),
            "ümlaut".into(),
            "a:b".into(),
        ] {
            let err = Webhook::new(bad.clone()).unwrap_err();
            assert!(
                matches!(err, WebhookError::InvalidSecretToken(_)),
                "{bad:?}: {err}"
            );
        }
        let err = Webhook::new("SECRET with space").unwrap_err().to_string();
        assert!(!err.contains("SECRET"), "{err}");
    }

    #[test]
    fn paths_are_checked_before_routing() {
        for good in ["/", "/telegram", "/bot/hook-1_a.b~c"] {
            let hook = Webhook::builder().path(good).build().unwrap();
            assert_eq!(hook.path(), good);
            let _ = hook.router();
        }
        for bad in ["", "telegram", "/{id}", "/:id", "/*rest", "/a b", "/a?b"] {
            let err = Webhook::builder().path(bad).build().unwrap_err();
            assert!(matches!(err, WebhookError::InvalidPath { .. }), "{bad:?}");
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let builder = Webhook::builder().secret_token("TOPSECRET-value");
        let hook = builder.clone().build().unwrap();
        let shown = format!("{builder:?} {hook:?}");
        assert!(!shown.contains("TOPSECRET"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        assert!(hook.has_secret_token());
        assert!(!Webhook::builder().build().unwrap().has_secret_token());
    }

    #[test]
    fn set_webhook_request_carries_the_secret() {
        let hook = Webhook::new("s3cret_Token").unwrap();
        let request = hook.set_webhook_request("https://example.org/");
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["url"], "https://example.org/");
        assert_eq!(json["secret_token"], "s3cret_Token");
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("s3cret"),
            "the request's Debug hides it: {shown}"
        );
        assert!(
            shown.contains("secret_token: Some(\"<redacted>\")"),
            "{shown}"
        );
        let plain = Webhook::builder().build().unwrap();
        let json = serde_json::to_value(plain.set_webhook_request("https://e/")).unwrap();
        assert!(json.get("secret_token").is_none(), "{json}");
    }

    #[test]
    fn decode_accepts_updates_and_rejects_the_rest() {
        let u = decode(br#"{"update_id":5,"future_kind":{"x":1}}"#).unwrap();
        assert_eq!(u.update_id, 5);
        assert!(matches!(&u.kind, UpdateKind::Unknown(m) if m.contains_key("future_kind")));
        // A known part that does not fit its type is kept as raw JSON, told
        // apart from an unknown kind.
        let u = decode(br#"{"update_id":6,"message":{"message_id":"not a number"}}"#).unwrap();
        assert!(
            matches!(&u.kind, UpdateKind::Undecodable(p) if p.kind == "message" && p.raw.contains_key("message"))
        );
        for bad in [
            &b"not json"[..],
            b"",
            b"[]",
            b"{}",
            br#"{"update_id":"7"}"#,
            b"{\"update_id\":1",
        ] {
            assert!(decode(bad).is_none(), "{}", String::from_utf8_lossy(bad));
        }
    }

    fn shared(timeout: Duration) -> (Arc<Shared>, Updates) {
        let (tx, rx) = mpsc::channel(QUEUE);
        let shared = Shared {
            secret: None,
            handoff_timeout: timeout,
            tx,
        };
        (Arc::new(shared), Updates { rx })
    }

    fn update(id: i64) -> Update {
        Update::new(id, UpdateKind::Unknown(serde_json::Map::new()))
    }

    #[tokio::test]
    async fn an_update_is_acknowledged_only_once_taken() {
        let (shared, mut updates) = shared(Duration::from_secs(10));
        let waiting = tokio::spawn({
            let shared = shared.clone();
            async move { hand_over(&shared, update(1)).await.0 }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "answered before it was taken");
        assert_eq!(updates.next().await.map(|u| u.update_id), Some(1));
        assert_eq!(waiting.await.unwrap(), StatusCode::OK);
    }

    #[tokio::test]
    async fn an_update_not_taken_in_time_is_refused_and_skipped() {
        let (shared, mut updates) = shared(Duration::from_millis(30));
        assert_eq!(
            hand_over(&shared, update(1)).await.0,
            StatusCode::SERVICE_UNAVAILABLE
        );
        let later = tokio::spawn({
            let shared = shared.clone();
            async move { hand_over(&shared, update(2)).await.0 }
        });
        // Update 1 was refused, so Telegram resends it: it is not handed out.
        assert_eq!(updates.next().await.map(|u| u.update_id), Some(2));
        assert_eq!(later.await.unwrap(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_dropped_receiver_refuses_updates() {
        let (shared, updates) = shared(Duration::from_secs(10));
        drop(updates);
        assert_eq!(
            hand_over(&shared, update(1)).await.0,
            StatusCode::SERVICE_UNAVAILABLE
        );
        let (shared2, mut updates) = self::shared(Duration::from_secs(10));
        let waiting = tokio::spawn({
            let shared = shared2.clone();
            async move { hand_over(&shared, update(2)).await.0 }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        updates.close();
        assert_eq!(waiting.await.unwrap(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(updates.next().await.is_none());
    }
}
