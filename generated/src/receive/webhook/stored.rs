//! A webhook that stores updates in a [`RedisQueue`] instead of handing
//! them to this process (cargo feature `redis`): 200 once an update is in
//! Redis (or was already), 503 when Redis cannot take it, so that Telegram
//! delivers it again.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use super::serving::Serving;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use tokio::net::{TcpListener, ToSocketAddrs};

use super::receiver::checked_body;
use super::{Webhook, WebhookError};
use crate::queue::{QueueError, RedisQueue};

struct Target {
    secret: Option<Arc<str>>,
    queue: RedisQueue,
}

impl Webhook {
    /// An axum router serving this webhook's path that stores each update
    /// in `queue` before answering: 200 once it is stored (or when Telegram
    /// delivers an update stored before), 503 when Redis cannot be reached,
    /// and the same 401, 413 and 400 answers as [`Webhook::router`].
    pub fn router_into(&self, queue: &RedisQueue) -> Router {
        let target = Arc::new(Target {
            secret: self.secret.clone(),
            queue: queue.clone(),
        });
        Router::new()
            .route(&self.path, post(store))
            .layer(DefaultBodyLimit::max(self.max_body))
            .with_state(target)
    }

    /// Serve [`router_into`](Self::router_into) on an open listener in a
    /// background task; it stops when the returned value is dropped.
    pub async fn serve_into(
        &self,
        queue: &RedisQueue,
        listener: TcpListener,
    ) -> Result<StoringServer, WebhookError> {
        let local_addr = listener.local_addr()?;
        let router = self.router_into(queue);
        let serving = Serving::spawn(listener, router);
        Ok(StoringServer {
            local_addr,
            serving,
        })
    }

    /// Listen on `addr` and [`serve_into`](Self::serve_into) `queue`.
    pub async fn bind_into(
        &self,
        queue: &RedisQueue,
        addr: impl ToSocketAddrs,
    ) -> Result<StoringServer, WebhookError> {
        let listener = TcpListener::bind(addr).await?;
        self.serve_into(queue, listener).await
    }
}

/// A webhook storing into a queue, served in a background task. Dropping it
/// stops the server.
pub struct StoringServer {
    local_addr: SocketAddr,
    serving: Serving,
}

impl fmt::Debug for StoringServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoringServer")
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}

impl StoringServer {
    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stop accepting requests, let those under way finish and wait.
    pub async fn shutdown(self) -> Result<(), WebhookError> {
        self.serving.shutdown().await
    }
}

async fn store(State(target): State<Arc<Target>>, request: Request) -> Response {
    let body = match checked_body(target.secret.as_deref(), request).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    match target.queue.store(&body).await {
        Ok(_) => (StatusCode::OK, "").into_response(),
        Err(QueueError::NotAnUpdate(_)) => {
            (StatusCode::BAD_REQUEST, "not an update").into_response()
        }
        Err(_e) => {
            #[cfg(feature = "tracing")]
            tracing::warn!(error = %_e, "update not stored; answered 503");
            (StatusCode::SERVICE_UNAVAILABLE, "not stored, retry").into_response()
        }
    }
}
