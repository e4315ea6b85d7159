//! The receiving end of a webhook: the axum route that checks the secret
//! token in constant time, bounds and decodes the body, and hands each update
//! over to [`Updates::next`], answering 200 only once it was taken; and the
//! background server around that route.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use super::serving::Serving;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use crate::types::Update;

use super::{Webhook, WebhookError, QUEUE, SECRET_TOKEN_HEADER};

impl Webhook {
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
        let serving = Serving::spawn(listener, router);
        Ok(WebhookServer {
            updates,
            local_addr,
            serving,
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
pub(super) struct Handoff {
    update: Update,
    taken: oneshot::Sender<()>,
}

/// What the route shares between requests.
pub(super) struct Shared {
    pub(super) secret: Option<Arc<str>>,
    pub(super) handoff_timeout: Duration,
    pub(super) tx: mpsc::Sender<Handoff>,
}

/// The updates a webhook receives, in arrival order.
#[derive(Debug)]
pub struct Updates {
    pub(super) rx: mpsc::Receiver<Handoff>,
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
    pub(super) fn close(&mut self) {
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
    serving: Serving,
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
        self.serving.shutdown().await
    }
}

async fn receive(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let body = match checked_body(shared.secret.as_deref(), request).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let Some(update) = decode(&body) else {
        return (StatusCode::BAD_REQUEST, "not an update").into_response();
    };
    hand_over(&shared, update).await.into_response()
}

/// The body of a request that carries the secret token (when one is set),
/// or the answer refusing it: 401 for a wrong or missing token, 413 for a
/// body over the limit, 400 for one that cannot be read.
pub(super) async fn checked_body(
    secret: Option<&str>,
    request: Request,
) -> Result<Bytes, Response> {
    if let Some(secret) = secret {
        let given = request
            .headers()
            .get(SECRET_TOKEN_HEADER)
            .map_or(&[][..], |v| v.as_bytes());
        // A missing header compares as empty; the secret never is.
        if !constant_time_eq(given, secret.as_bytes()) {
            return Err((StatusCode::UNAUTHORIZED, "wrong or missing secret token").into_response());
        }
    }
    match Bytes::from_request(request, &()).await {
        Ok(body) => Ok(body),
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err((StatusCode::PAYLOAD_TOO_LARGE, "body too large").into_response())
        }
        Err(_) => Err((StatusCode::BAD_REQUEST, "unreadable body").into_response()),
    }
}

/// Read an update the way the client reads replies ([`crate::compat`]): a
/// part of an unknown kind, or one that does not fit its known type, is
/// still delivered (as
/// [`UpdateKind::Unknown`](crate::types::UpdateKind::Unknown) or
/// [`UpdateKind::Undecodable`](crate::types::UpdateKind::Undecodable), with
/// its raw JSON), since refusing it would make Telegram resend it forever and
/// hold back every later update.
pub(super) fn decode(body: &[u8]) -> Option<Update> {
    crate::compat::from_slice(body).ok()
}

/// Queue the update and wait until the application takes it; 200 if it did
/// within the time limit, 503 otherwise.
pub(super) async fn hand_over(shared: &Shared, update: Update) -> (StatusCode, &'static str) {
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
pub(super) fn constant_time_eq(given: &[u8], secret: &[u8]) -> bool {
    let mut diff = usize::from(given.len() != secret.len());
    for (i, &s) in secret.iter().enumerate() {
        let g = given.get(i).copied().unwrap_or(0);
        diff |= usize::from(std::hint::black_box(g ^ s));
    }
    std::hint::black_box(diff) == 0
}
