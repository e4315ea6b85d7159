//! Webhooks (cargo feature `webhook`): an axum endpoint that receives the
//! updates Telegram pushes, checks the secret token header in constant time,
//! bounds and decodes the body, and hands each typed
//! [`Update`](crate::types::Update) to the application; plus the `setWebhook`
//! request that registers it.
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

// The settings, their errors and the shared types are here; `config`
// checks them and makes the `setWebhook` request, `receiver` serves them
// (through `serving`, as `stored` does).
mod config;
mod receiver;
mod serving;
#[cfg(feature = "redis")]
mod stored;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub use receiver::{Updates, WebhookServer};
#[cfg(feature = "redis")]
pub use stored::StoringServer;

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
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret token breaks Telegram's rules (the token is never shown).
    InvalidSecretToken(&'static str),
    /// The path cannot be routed.
    InvalidPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The listening socket failed.
    Io(std::io::Error),
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InvalidSecretToken(why) => write!(f, "the webhook secret token {why}"),
            Self::InvalidPath { path, reason } => write!(f, "the webhook path {path:?} {reason}"),
            Self::Io(e) => write!(f, "webhook listener: {e}"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for WebhookError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
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
