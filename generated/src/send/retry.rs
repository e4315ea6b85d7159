//! Retrying failed calls: flood control (429, honouring `retry_after`),
//! server errors and lost connections, within a bounded number of attempts
//! and total wait. A request that may have reached Telegram is re-sent only
//! when the method is idempotent (`get*`), so nothing is done twice.
//!
//! The same policy drives the long-polling [`Poller`](crate::Poller): one
//! function ([`classify`]) decides which failures are worth another attempt,
//! and [`RetryPolicy::next_wait`] turns that into a wait for calls and polls
//! alike. A poller differs only in its default, [`RetryPolicy::forever`].

use std::time::Duration;

use crate::error::Error;

/// When and how often to retry. Off for calls unless set on the client
/// builder; a [`Poller`](crate::Poller) uses [`RetryPolicy::forever`] unless
/// given another one with [`Poller::retry`](crate::Poller::retry).
///
/// A back-off wait is `base_backoff`, doubled after each failed attempt;
/// after flood control the wait is Telegram's `retry_after` (1 s if absent).
/// The policy gives up when the next attempt would be attempt
/// `max_attempts + 1`, or when the wait would bring the total time waited
/// past `max_total_wait`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included. `u32::MAX` means no limit.
    pub max_attempts: u32,
    /// Longest total time spent waiting between attempts. `Duration::MAX`
    /// means no limit.
    pub max_total_wait: Duration,
    /// First wait after a server error or lost connection; doubles each time.
    pub base_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Four attempts, at most 60 s of waiting, back-off from 0.5 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(60),
            base_backoff: Duration::from_millis(500),
        }
    }
}

/// How long to wait before retrying a failure, as [`classify`] measures it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wait {
    /// Flood control: Telegram asked to wait this long.
    RetryAfter(Duration),
    /// A transient failure: the policy's back-off.
    Backoff,
}

/// Whether a failed attempt is worth repeating, and how to measure the wait;
/// `None` for failures that need the caller (bad arguments, a wrong token, a
/// conflict). `idempotent`: sending the request twice does no harm, so a
/// failure after which it may have run can be retried too.
///
/// The one classification of errors: the client's retries and the poller's
/// both go through it (via [`RetryPolicy::next_wait`]).
pub(crate) fn classify(err: &Error, idempotent: bool) -> Option<Wait> {
    match err {
        // Flood control: Telegram did not process the request.
        Error::Api(api) if api.code == 429 => Some(Wait::RetryAfter(Duration::from_secs(
            api.retry_after.unwrap_or(1),
        ))),
        // Telegram's own servers failed: the call may or may not have run.
        Error::Api(api) if api.code >= 500 && idempotent => Some(Wait::Backoff),
        // No connection was made: nothing was sent.
        Error::Transport { connect: true, .. } => Some(Wait::Backoff),
        // A timeout or a broken connection is ambiguous.
        Error::Transport { .. } if idempotent => Some(Wait::Backoff),
        // A reply that is not the Bot API's JSON (a proxy's 502 page).
        Error::Decode { status, .. } if *status >= 500 && idempotent => Some(Wait::Backoff),
        _ => None,
    }
}

/// The progress of one retry loop: failed attempts in a row and the time
/// waited since the last success. A call keeps one for its attempts; the
/// poller keeps one across polls and starts a new one after a poll succeeds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Retrying {
    /// Failed attempts so far.
    pub(crate) failures: u32,
    /// Time waited between them.
    pub(crate) waited: Duration,
}

impl RetryPolicy {
    /// A policy that never gives up: no limit on attempts or on the time
    /// waited in all, back-off from 0.5 s. The [`Poller`](crate::Poller)'s
    /// default (which also caps each back-off wait, see
    /// [`Poller::max_backoff`](crate::Poller::max_backoff)). On a client it
    /// retries a failing call for as long as the failure lasts.
    pub const fn forever() -> RetryPolicy {
        RetryPolicy {
            max_attempts: u32::MAX,
            max_total_wait: Duration::MAX,
            base_backoff: Duration::from_millis(500),
        }
    }

    /// The back-off after `failures` failed attempts in a row:
    /// `base_backoff` doubled `failures - 1` times (at most 2^16 times), then
    /// capped at `max_backoff`.
    pub(crate) fn backoff(&self, failures: u32, max_backoff: Duration) -> Duration {
        let doublings = failures.saturating_sub(1).min(16);
        self.base_backoff
            .saturating_mul(1 << doublings)
            .min(max_backoff)
    }

    /// How long to wait before attempt `attempt + 1` after `err`, or `None`
    /// to give up. `waited` is the time already spent waiting; a back-off
    /// (never Telegram's `retry_after`) is at most `max_backoff`.
    pub(crate) fn delay(
        &self,
        err: &Error,
        attempt: u32,
        waited: Duration,
        idempotent: bool,
        max_backoff: Duration,
    ) -> Option<Duration> {
        if self.max_attempts != u32::MAX && attempt >= self.max_attempts {
            return None;
        }
        let wait = match classify(err, idempotent)? {
            Wait::RetryAfter(wait) => wait,
            Wait::Backoff => self.backoff(attempt, max_backoff),
        };
        (waited.saturating_add(wait) <= self.max_total_wait).then_some(wait)
    }

    /// Count one more failure (`err`) in `progress` and return the wait
    /// before the next attempt, or `None` to give up with `err`.
    pub(crate) fn next_wait(
        &self,
        progress: &mut Retrying,
        err: &Error,
        idempotent: bool,
        max_backoff: Duration,
    ) -> Option<Duration> {
        progress.failures = progress.failures.saturating_add(1);
        let wait = self.delay(
            err,
            progress.failures,
            progress.waited,
            idempotent,
            max_backoff,
        )?;
        progress.waited = progress.waited.saturating_add(wait);
        Some(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    const NO_CAP: Duration = Duration::MAX;

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

    fn transport(timeout: bool, connect: bool) -> Error {
        Error::Transport {
            method: "m",
            message: String::new(),
            timeout,
            connect,
        }
    }

    fn decode(status: u16) -> Error {
        Error::Decode {
            method: "m",
            status,
            message: String::new(),
            body_prefix: String::new(),
        }
    }

    #[test]
    fn decides_per_error_and_budget() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay(&api(429, Some(3)), 1, Duration::ZERO, false, NO_CAP),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            p.delay(
                &api(429, Some(30)),
                1,
                Duration::from_secs(40),
                false,
                NO_CAP
            ),
            None,
            "over the budget"
        );
        assert_eq!(
            p.delay(&api(429, Some(1)), 4, Duration::ZERO, false, NO_CAP),
            None,
            "out of attempts"
        );
        assert_eq!(
            p.delay(&api(502, None), 1, Duration::ZERO, false, NO_CAP),
            None,
            "sendMessage may have run"
        );
        assert_eq!(
            p.delay(&api(502, None), 2, Duration::ZERO, true, NO_CAP),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            p.delay(&api(400, None), 1, Duration::ZERO, true, NO_CAP),
            None
        );
        let timeout = transport(true, false);
        assert_eq!(p.delay(&timeout, 1, Duration::ZERO, false, NO_CAP), None);
        assert!(p.delay(&timeout, 1, Duration::ZERO, true, NO_CAP).is_some());
    }

    #[test]
    fn one_classification_of_errors() {
        for idempotent in [false, true] {
            assert_eq!(
                classify(&api(429, Some(7)), idempotent),
                Some(Wait::RetryAfter(Duration::from_secs(7)))
            );
            assert_eq!(
                classify(&api(429, None), idempotent),
                Some(Wait::RetryAfter(Duration::from_secs(1)))
            );
            assert_eq!(
                classify(&transport(false, true), idempotent),
                Some(Wait::Backoff),
                "nothing was sent"
            );
            // Errors that need the caller.
            for code in [400, 401, 403, 404, 409] {
                assert_eq!(classify(&api(code, None), idempotent), None, "{code}");
            }
            // A request that could not be encoded fails the same way again.
            assert_eq!(classify(&decode(0), idempotent), None);
            assert_eq!(classify(&decode(200), idempotent), None);
        }
        // Only a request that may run twice is repeated after an ambiguous failure.
        for ambiguous in [
            api(500, None),
            api(502, None),
            transport(true, false),
            transport(false, false),
            decode(502),
        ] {
            assert_eq!(
                classify(&ambiguous, true),
                Some(Wait::Backoff),
                "{ambiguous}"
            );
            assert_eq!(classify(&ambiguous, false), None, "{ambiguous}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy {
            base_backoff: Duration::from_millis(100),
            ..RetryPolicy::default()
        };
        let waits: Vec<u128> = (1..=6)
            .map(|n| p.backoff(n, Duration::from_millis(1000)).as_millis())
            .collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(
            p.backoff(u32::MAX, NO_CAP),
            Duration::from_millis(100 << 16),
            "the doubling stops"
        );
        // The cap is for back-off only: Telegram's own wait is honoured.
        assert_eq!(
            p.delay(
                &api(429, Some(5)),
                1,
                Duration::ZERO,
                true,
                Duration::from_secs(1)
            ),
            Some(Duration::from_secs(5))
        );
    }

    #[test]
    fn forever_never_gives_up_and_counts_progress() {
        let p = RetryPolicy::forever();
        let mut progress = Retrying {
            failures: u32::MAX - 1,
            waited: Duration::MAX - Duration::from_secs(1),
        };
        let cap = Duration::from_secs(30);
        for _ in 0..3 {
            assert_eq!(
                p.next_wait(&mut progress, &api(502, None), true, cap),
                Some(cap)
            );
        }
        assert_eq!(progress.failures, u32::MAX, "saturates");
        assert_eq!(progress.waited, Duration::MAX, "saturates");
        // It still returns failures that need the caller.
        assert_eq!(p.next_wait(&mut progress, &api(401, None), true, cap), None);

        let bounded = RetryPolicy {
            max_attempts: 3,
            max_total_wait: Duration::from_secs(60),
            base_backoff: Duration::from_millis(10),
        };
        let mut progress = Retrying::default();
        let err = transport(false, true);
        assert_eq!(
            bounded.next_wait(&mut progress, &err, false, NO_CAP),
            Some(Duration::from_millis(10))
        );
        assert_eq!(
            bounded.next_wait(&mut progress, &err, false, NO_CAP),
            Some(Duration::from_millis(20))
        );
        assert_eq!(bounded.next_wait(&mut progress, &err, false, NO_CAP), None);
        assert_eq!(
            progress,
            Retrying {
                failures: 3,
                waited: Duration::from_millis(30)
            }
        );
    }
}
