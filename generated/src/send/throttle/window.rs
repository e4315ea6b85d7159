//! A sliding-window log: the times of the last sends, enough of them to
//! say when the next one keeps "at most `count` in any `window`".

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// The times of the most recent sends counted against one limit, oldest
/// first; never more than the limit's count.
#[derive(Debug, Default, Clone)]
pub(crate) struct Window {
    times: VecDeque<Instant>,
}

impl Window {
    /// The earliest instant at which one more send keeps at most `count`
    /// sends in any span of `window`: now if fewer than `count` are
    /// remembered, else when the `count`-th most recent one leaves the span.
    pub(crate) fn ready_at(&self, count: usize, window: Duration, now: Instant) -> Instant {
        if count == 0 {
            // Never reached: `Throttle::check` refuses a zero count.
            return now + window;
        }
        match self.times.len().checked_sub(count) {
            Some(i) => (self.times[i] + window).max(now),
            None => now,
        }
    }

    /// Remember a send at `at`, forgetting what no longer matters to a
    /// limit of `count`.
    pub(crate) fn record(&mut self, at: Instant, count: usize) {
        self.times.push_back(at);
        while self.times.len() > count.max(1) {
            self.times.pop_front();
        }
    }

    /// The most recent send, if any.
    pub(crate) fn last(&self) -> Option<Instant> {
        self.times.back().copied()
    }

    /// How many sends are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.times.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_count_in_any_window() {
        let t0 = Instant::now();
        let w = Duration::from_secs(1);
        let mut log = Window::default();
        // Three per second: three at once, then the fourth waits for the first.
        for i in 0..3 {
            assert_eq!(log.ready_at(3, w, t0), t0, "send {i}");
            log.record(t0 + Duration::from_millis(i * 10), 3);
        }
        assert_eq!(log.ready_at(3, w, t0), t0 + w);
        let later = t0 + Duration::from_millis(1005);
        assert_eq!(log.ready_at(3, w, later), later);
        log.record(later, 3);
        assert_eq!(log.len(), 3, "older entries are dropped");
        assert_eq!(log.ready_at(3, w, later), t0 + Duration::from_millis(1010));
        assert_eq!(log.last(), Some(later));
    }

    #[test]
    fn a_longer_window_delays_more() {
        let t0 = Instant::now();
        let mut log = Window::default();
        log.record(t0, 1);
        assert_eq!(
            log.ready_at(1, Duration::from_secs(2), t0),
            t0 + Duration::from_secs(2)
        );
        assert_eq!(
            log.ready_at(0, Duration::from_secs(2), t0),
            t0 + Duration::from_secs(2)
        );
    }
}
