//! Retrying failed calls: flood control (429, honouring `retry_after`),
//! server errors and lost connections, within a bounded number of attempts
//! and total wait. A request that may have reached Telegram is re-sent only
//! when the method is idempotent (`get*`), so nothing is done twice.

use std::time::Duration;

use crate::error::Error;

/// When and how often to retry. Off unless set on the client builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
    /// Longest total time spent waiting between attempts.
    pub max_total_wait: Duration,
    /// First wait after a server error or lost connection; doubles each time.
    pub base_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(60),
            base_backoff: Duration::from_millis(500),
        }
    }
}

impl RetryPolicy {
    /// How long to wait before attempt `attempt + 1` after `err`, or `None`
    /// to give up. `waited` is the time already spent waiting.
    pub(crate) fn delay(
        &self,
        err: &Error,
        attempt: u32,
        waited: Duration,
        idempotent: bool,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let backoff = self.base_backoff.saturating_mul(1 << (attempt - 1).min(16));
        let wait = match err {
            // Flood control: Telegram did not process the request.
            Error::Api(api) if api.code == 429 => Duration::from_secs(api.retry_after.unwrap_or(1)),
            // Telegram's own servers failed: the call may or may not have run.
            Error::Api(api) if api.code >= 500 && idempotent => backoff,
            // No connection was made: nothing was sent.
            Error::Transport { connect: true, .. } => backoff,
            // A timeout or a broken connection is ambiguous.
            Error::Transport { .. } if idempotent => backoff,
            // A reply that is not the Bot API's JSON (a proxy's 502 page).
            Error::Decode { status, .. } if *status >= 500 && idempotent => backoff,
            _ => return None,
        };
        (waited + wait <= self.max_total_wait).then_some(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    fn api(code: i64, retry_after: Option<u64>) -> Error {
        Error::Api(ApiError {
            method: "m",
            code,
            description: String::new(),
            retry_after,
            migrate_to_chat_id: None,
            kind: None,
        })
    }

    #[test]
    fn decides_per_error_and_budget() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay(&api(429, Some(3)), 1, Duration::ZERO, false),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            p.delay(&api(429, Some(30)), 1, Duration::from_secs(40), false),
            None,
            "over the budget"
        );
        assert_eq!(
            p.delay(&api(429, Some(1)), 4, Duration::ZERO, false),
            None,
            "out of attempts"
        );
        assert_eq!(
            p.delay(&api(502, None), 1, Duration::ZERO, false),
            None,
            "sendMessage may have run"
        );
        assert_eq!(
            p.delay(&api(502, None), 2, Duration::ZERO, true),
            Some(Duration::from_secs(1))
        );
        assert_eq!(p.delay(&api(400, None), 1, Duration::ZERO, true), None);
        let timeout = Error::Transport {
            method: "m",
            message: String::new(),
            timeout: true,
            connect: false,
        };
        assert_eq!(p.delay(&timeout, 1, Duration::ZERO, false), None);
        assert!(p.delay(&timeout, 1, Duration::ZERO, true).is_some());
    }
}
