//! Long polling: an update stream over `getUpdates` that tracks the offset,
//! waits on the server (with an HTTP timeout longer than the poll), backs off
//! on transient failures, and confirms an update only after the caller has
//! received it, so stopping between two calls loses and repeats nothing.

use std::collections::VecDeque;
use std::time::Duration;

use crate::error::Error;
use crate::methods::GetUpdates;
use crate::receive::stream::WalkStream;
use crate::send::client::Client;
use crate::types::Update;

/// Reads updates by long polling; build one with [`Client::poller`].
#[derive(Debug)]
pub struct Poller {
    client: Client,
    offset: Option<i64>,
    timeout: u32,
    limit: Option<i64>,
    allowed_updates: Option<Vec<String>>,
    buffer: VecDeque<Update>,
    max_backoff: Duration,
    failures: u32,
}

impl Client {
    /// Long-poll updates with a 30-second server-side wait.
    pub fn poller(&self) -> Poller {
        Poller {
            client: self.clone(),
            offset: None,
            timeout: 30,
            limit: None,
            allowed_updates: None,
            buffer: VecDeque::new(),
            max_backoff: Duration::from_secs(30),
            failures: 0,
        }
    }
}

impl Poller {
    /// Seconds the server may hold a poll open waiting for updates.
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = seconds;
        self
    }

    /// Update kinds to receive (`"message"`, `"callback_query"`...).
    pub fn allowed_updates(mut self, kinds: impl IntoIterator<Item = impl Into<String>>) -> Self {
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

    /// Longest wait between retries after transient failures.
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
    /// retried with back-off; errors that need the caller (a wrong token, a
    /// webhook or another poller in the way, bad arguments) are returned.
    pub async fn next(&mut self) -> Result<Update, Error> {
        loop {
            if let Some(update) = self.buffer.pop_front() {
                // Confirmed by the next poll, not before: the caller has it now.
                self.offset = Some(update.update_id + 1);
                return Ok(update);
            }
            match self.poll().await {
                Ok(updates) => {
                    self.failures = 0;
                    let after = self.offset;
                    self.buffer.extend(
                        updates
                            .into_iter()
                            .filter(|u| after.is_none_or(|o| u.update_id >= o)),
                    );
                }
                Err(e) if transient(&e) => {
                    self.failures += 1;
                    tokio::time::sleep(self.backoff(&e)).await;
                }
                Err(e) => return Err(e),
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
        self.client.call(request).http_timeout(http_timeout).await
    }

    fn backoff(&self, err: &Error) -> Duration {
        if let Some(wait) = err.retry_after() {
            return wait;
        }
        let exp = Duration::from_millis(250).saturating_mul(1 << self.failures.min(10));
        exp.min(self.max_backoff)
    }
}

fn transient(err: &Error) -> bool {
    match err {
        Error::Transport { .. } => true,
        Error::Api(api) => api.code == 429 || api.code >= 500,
        Error::Decode { status, .. } => *status >= 500 || *status == 0,
        _ => false,
    }
}
