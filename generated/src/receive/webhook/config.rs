//! Configuring a webhook: the builder and its checks (Telegram's rules for
//! the secret token, a path axum can route), and the `setWebhook` request
//! that registers the webhook with Telegram.

use std::time::Duration;

use crate::methods::SetWebhook;

use super::{Webhook, WebhookBuilder, WebhookError, DEFAULT_HANDOFF_TIMEOUT, DEFAULT_MAX_BODY};

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

    /// How long a received update may wait for [`Updates::next`](super::Updates::next) before the
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
    pub fn set_webhook_request(&self, url: impl Into<crate::Str>) -> SetWebhook {
        let mut request = SetWebhook::new(url);
        request.secret_token = self.secret.as_deref().map(crate::Str::from);
        request
    }
}
