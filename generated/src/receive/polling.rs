//! Long polling: an update stream over `getUpdates` that tracks the offset,
//! waits on the server (with an HTTP timeout longer than the poll), retries
//! transient failures under a [`RetryPolicy`] (by default one that never
//! gives up), and confirms an update only after the caller has received it,
//! so stopping between two calls loses and repeats nothing.

use std::collections::VecDeque;
use std::time::Duration;

use crate::error::Error;
use crate::methods::GetUpdates;
use crate::receive::stream::WalkStream;
use crate::send::client::Client;
use crate::send::retry::{RetryPolicy, Retrying};
use crate::types::{Update, UpdateType};

/// Reads updates by long polling; build one with [`Client::poller`].
#[derive(Debug)]
pub struct Poller {
    client: Client,
    offset: Option<i64>,
    timeout: u32,
    limit: Option<i64>,
    allowed_updates: Option<Vec<UpdateType>>,
    buffer: VecDeque<Update>,
    retry: RetryPolicy,
    max_backoff: Duration,
    /// Failed polls since the last one that succeeded.
    progress: Retrying,
}

/// The longest back-off between failed polls unless set with
/// [`Poller::max_backoff`].
const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(30);

impl Client {
    /// Long-poll updates with a 30-second server-side wait, retrying failed
    /// polls under [`RetryPolicy::forever`] (see [`Poller::retry`]).
    pub fn poller(&self) -> Poller {
        Poller {
            client: self.clone(),
            offset: None,
            timeout: 30,
            limit: None,
            allowed_updates: None,
            buffer: VecDeque::new(),
            retry: RetryPolicy::forever(),
            max_backoff: DEFAULT_MAX_BACKOFF,
            progress: Retrying::default(),
        }
    }
}

impl Poller {
    /// Seconds the server may hold a poll open waiting for updates.
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = seconds;
        self
    }

    /// Update kinds to receive (`UpdateType::Message`, `UpdateType::CallbackQuery`...;
    /// their wire names as strings convert too).
    pub fn allowed_updates(
        mut self,
        kinds: impl IntoIterator<Item = impl Into<UpdateType>>,
    ) -> Self {
        self.allowed_updates = Some(kinds.into_iter().map(Into::into).collect());
        self
    }

    /// Updates per poll, 1 to 100.
    pub fn limit(mut self, limit: i64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Start after a known update id (e.g. one saved before a restart).
    pub fn offset(mut self, next_update_id: i64) -> Self {
        self.offset = Some(next_update_id);
        self
    }

    /// How failed polls are retried: which failures, how long to back off,
    /// when to give up. Default [`RetryPolicy::forever`]: back-off from 0.5 s,
    /// doubling up to [`max_backoff`](Self::max_backoff), and never giving
    /// up. A policy with limits makes [`next`](Self::next) return the error
    /// once a run of failed polls reaches `max_attempts` or waits
    /// `max_total_wait` in all; a successful poll starts the count again.
    ///
    /// Polls are retried under this policy only: the client's own
    /// ([`ClientBuilder::retry`](crate::ClientBuilder::retry)) does not apply
    /// to them, so the two never multiply. `getUpdates` is idempotent, so
    /// timeouts, lost connections and 5xx replies are all retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Longest back-off between failed polls (default 30 s). Telegram's
    /// `retry_after` after flood control is waited in full.
    pub fn max_backoff(mut self, limit: Duration) -> Self {
        self.max_backoff = limit;
        self
    }

    /// The offset the next poll confirms: every update handed out so far is
    /// below it. Save it to resume after a restart.
    pub fn next_offset(&self) -> Option<i64> {
        self.offset
    }

    /// The next update. Transient failures (network, 5xx, flood control) are
    /// retried with back-off under the [`retry`](Self::retry) policy; errors
    /// that need the caller (a wrong token, a webhook or another poller in
    /// the way, bad arguments) are returned, and so is a transient failure
    /// once the policy gives up.
    pub async fn next(&mut self) -> Result<Update, Error> {
        loop {
            if let Some(update) = self.buffer.pop_front() {
                // Confirmed by the next poll, not before: the caller has it now.
                self.offset = Some(update.update_id + 1);
                return Ok(update);
            }
            match self.poll().await {
                Ok(updates) => {
                    self.progress = Retrying::default();
                    let after = self.offset;
                    self.buffer.extend(
                        updates
                            .into_iter()
                            .filter(|u| after.is_none_or(|o| u.update_id >= o)),
                    );
                }
                Err(e) => {
                    // `getUpdates` may be repeated: it is idempotent.
                    let wait = self
                        .retry
                        .next_wait(&mut self.progress, &e, true, self.max_backoff);
                    match wait {
                        Some(wait) => tokio::time::sleep(wait).await,
                        None => {
                            // The next call starts a new run of attempts.
                            self.progress = Retrying::default();
                            return Err(e);
                        }
                    }
                }
            }
        }
    }

    /// The updates as a `futures_core::Stream`; it ends after the first
    /// error that needs the caller.
    pub fn into_stream(self) -> WalkStream<'static, Self, Result<Update, Error>> {
        WalkStream::new(self, |mut poller| {
            Box::pin(async move {
                match poller.next().await {
                    Ok(update) => (Some(poller), Some(Ok(update))),
                    Err(e) => (None, Some(Err(e))),
                }
            })
        })
    }

    async fn poll(&self) -> Result<Vec<Update>, Error> {
        let mut request = GetUpdates::new().timeout(i64::from(self.timeout));
        if let Some(o) = self.offset {
            request = request.offset(o);
        }
        if let Some(l) = self.limit {
            request = request.limit(l);
        }
        if let Some(kinds) = &self.allowed_updates {
            request = request.allowed_updates(kinds.clone());
        }
        let http_timeout = Duration::from_secs(u64::from(self.timeout) + 15);
        self.client
            .call(request)
            .http_timeout(http_timeout)
            .without_retry()
            .await
    }
}
