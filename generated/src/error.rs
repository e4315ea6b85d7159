//! The one error type of the client: Telegram's own error replies (with code,
//! description, `retry_after`, `migrate_to_chat_id` and the known kind),
//! client-side validation failures, transport and decoding failures. No
//! variant ever shows the bot token.

use std::fmt;
use std::time::Duration;

use crate::error_kinds::ErrorKind;
use crate::validate::ValidationError;

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Telegram answered `ok: false`.
    Api(ApiError),
    /// The arguments break the schema's constraints; nothing was sent.
    Validation(ValidationError),
    /// The request did not complete (connection, timeout, TLS, HTTP layer).
    Transport {
        /// Method being called.
        method: &'static str,
        /// What went wrong, with the token redacted.
        message: String,
        /// True when the request timed out.
        timeout: bool,
        /// True when no connection could be made (nothing was sent).
        connect: bool,
    },
    /// The reply could not be understood (not JSON, wrong shape, `ok: true`
    /// without `result`, an HTML error page...).
    Decode {
        /// Method being called.
        method: &'static str,
        /// HTTP status of the reply.
        status: u16,
        /// What did not fit.
        message: String,
        /// The first bytes of the body, for diagnosis.
        body_prefix: String,
    },
    /// Reading a file to upload failed.
    Io {
        /// Method being called.
        method: &'static str,
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The client could not be built (bad base URL, TLS setup).
    Config(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(e) => fmt::Display::fmt(e, f),
            Self::Validation(e) => fmt::Display::fmt(e, f),
            Self::Transport { method, message, .. } => write!(f, "{method}: transport error: {message}"),
            Self::Decode { method, status, message, body_prefix } => write!(f, "{method}: cannot decode the reply (HTTP {status}): {message}; body starts with {body_prefix:?}"),
            Self::Io { method, path, source } => write!(f, "{method}: cannot read {path}: {source}"),
            Self::Config(message) => write!(f, "cannot build the client: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Api(e) => std::error::Error::source(e),
            Self::Validation(e) => std::error::Error::source(e),
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Self {
        Self::Validation(e)
    }
}

/// An error reply of the Bot API (`ok: false`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Method that failed.
    pub method: &'static str,
    /// Telegram's `error_code` (400, 403, 429...).
    pub code: i64,
    /// Telegram's `description`.
    pub description: String,
    /// Seconds to wait before retrying (flood control).
    pub retry_after: Option<u64>,
    /// The group moved to this supergroup id; retry there.
    pub migrate_to_chat_id: Option<i64>,
    /// The catalogued kind, when the reply is a known one.
    pub kind: Option<ErrorKind>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: {} {}",
            self.method, self.code, self.description
        )
    }
}

impl std::error::Error for ApiError {}

impl Error {
    /// Telegram's error reply, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The catalogued kind of Telegram's error reply, if known.
    pub fn kind(&self) -> Option<ErrorKind> {
        self.api().and_then(|e| e.kind)
    }

    /// How long Telegram asks to wait before retrying (429 replies).
    pub fn retry_after(&self) -> Option<Duration> {
        self.api()
            .and_then(|e| e.retry_after)
            .map(Duration::from_secs)
    }

    /// The supergroup a group chat migrated to.
    pub fn migrate_to_chat_id(&self) -> Option<i64> {
        self.api().and_then(|e| e.migrate_to_chat_id)
    }

    /// True for client-side validation failures (nothing was sent).
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation(_))
    }

    /// The validation failure, if this is one.
    pub fn validation(&self) -> Option<&ValidationError> {
        match self {
            Error::Validation(v) => Some(v),
            _ => None,
        }
    }

    /// True when the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { timeout: true, .. })
    }
}

/// Replace every occurrence of the token (and of its secret half) with a marker.
pub(crate) fn redact(text: &str, token: &str) -> String {
    if token.is_empty() {
        return text.to_string();
    }
    let mut out = text.replace(token, "<token>");
    if let Some((_, secret)) = token.split_once(':') {
        if secret.len() >= 8 {
            out = out.replace(secret, "<token>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_token_and_secret() {
        let t = "123:ABCDEFGHIJ";
        assert_eq!(
            redact("https://x/bot123:ABCDEFGHIJ/getMe", t),
            "https://x/bot<token>/getMe"
        );
        assert_eq!(redact("oops ABCDEFGHIJ", t), "oops <token>");
    }

    #[test]
    fn chat_not_found_display_and_kind() {
        let e = Error::Api(ApiError {
            method: "sendAudio",
            code: 400,
            description: "Bad Request: chat not found".into(),
            retry_after: None,
            migrate_to_chat_id: None,
            kind: ErrorKind::classify(400, "Bad Request: chat not found"),
        });
        assert_eq!(
            e.to_string(),
            "sendAudio failed: 400 Bad Request: chat not found"
        );
        assert_eq!(e.kind(), Some(ErrorKind::ChatNotFound));
        assert_eq!(e.api().map(|a| a.code), Some(400));
        assert_eq!(e.migrate_to_chat_id(), None);
    }

    #[test]
    fn api_error_display_and_accessors() {
        let e = Error::Api(ApiError {
            method: "sendAudio",
            code: 429,
            description: "Too Many Requests: retry after 3".into(),
            retry_after: Some(3),
            migrate_to_chat_id: None,
            kind: None,
        });
        assert_eq!(
            e.to_string(),
            "sendAudio failed: 429 Too Many Requests: retry after 3"
        );
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        assert!(!e.is_validation());
    }
}
