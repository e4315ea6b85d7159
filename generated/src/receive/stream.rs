//! Adapting the pull-style walkers ([`Poller`](crate::Poller),
//! [`Pages`](crate::Pages)) into `futures_core::Stream`s, for code that
//! combines streams (`StreamExt` from `futures` or `tokio-stream`).

use std::pin::Pin;
use std::task::{Context, Poll};

use crate::transport::BoxFuture;

/// One step of a walker: the item it produced, and the walker back unless
/// the stream ends there.
type Step<'a, S, T> = BoxFuture<'a, (Option<S>, Option<T>)>;

/// A stream that owns a walker `S` and runs `step` on it for each item.
pub struct WalkStream<'a, S, T> {
    walker: Option<S>,
    pending: Option<Step<'a, S, T>>,
    step: fn(S) -> Step<'a, S, T>,
}

impl<'a, S, T> WalkStream<'a, S, T> {
    pub(crate) fn new(walker: S, step: fn(S) -> Step<'a, S, T>) -> Self {
        WalkStream {
            walker: Some(walker),
            pending: None,
            step,
        }
    }
}

impl<S, T> std::fmt::Debug for WalkStream<'_, S, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalkStream")
            .field("done", &(self.walker.is_none() && self.pending.is_none()))
            .finish_non_exhaustive()
    }
}

// Nothing is pinned in place: the walker moves into a boxed future.
impl<S, T> Unpin for WalkStream<'_, S, T> {}

impl<S, T> futures_core::Stream for WalkStream<'_, S, T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = &mut *self;
        if this.pending.is_none() {
            let Some(walker) = this.walker.take() else {
                return Poll::Ready(None);
            };
            this.pending = Some((this.step)(walker));
        }
        let Some(pending) = this.pending.as_mut() else {
            return Poll::Ready(None);
        };
        match pending.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((walker, item)) => {
                this.pending = None;
                this.walker = if item.is_some() { walker } else { None };
                Poll::Ready(item)
            }
        }
    }
}
