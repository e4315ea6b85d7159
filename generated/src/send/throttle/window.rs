//! A log of recent sends for one limit, "at most `count` in any span":
//! sends under way count as taking a place until they finish, and a
//! finished send keeps its place for one span after its reply came back.
//!
//! Counting from the reply, not from the start, is what makes the limit
//! hold where Telegram counts, whatever the network does: a request has
//! arrived by the time its reply is back, so two sends `count` places apart
//! arrive at least one span apart.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// Sends under way and the replies of the most recent finished ones,
/// oldest first (never more than the limit's count).
#[derive(Debug, Default, Clone)]
pub(crate) struct Window {
    finished: VecDeque<Instant>,
    under_way: usize,
}

impl Window {
    /// The earliest instant at which one more send keeps the limit, or
    /// `None` when it has to wait for a send under way to finish.
    pub(crate) fn ready_at(&self, count: usize, span: Duration, now: Instant) -> Option<Instant> {
        if self.under_way >= count {
            return None;
        }
        // Finished sends whose place has not lapsed yet.
        let lapsed = self.finished.partition_point(|t| *t + span <= now);
        let holding = self.finished.len() - lapsed;
        let taken = self.under_way + holding;
        if taken < count {
            return Some(now);
        }
        // This many of them must lapse, oldest first.
        let must_lapse = taken - count + 1;
        Some(self.finished[lapsed + must_lapse - 1] + span)
    }

    /// A send starts.
    pub(crate) fn start(&mut self) {
        self.under_way += 1;
    }

    /// A send finished at `at` (its reply came back, or it failed).
    pub(crate) fn finish(&mut self, at: Instant, count: usize) {
        self.under_way = self.under_way.saturating_sub(1);
        let i = self.finished.partition_point(|t| *t <= at);
        self.finished.insert(i, at);
        while self.finished.len() > count.max(1) {
            self.finished.pop_front();
        }
    }

    /// When the most recent send finished, if any.
    pub(crate) fn last(&self) -> Option<Instant> {
        self.finished.back().copied()
    }

    /// How many finished sends are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.finished.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_count_in_any_span_counted_from_the_replies() {
        let t0 = Instant::now();
        let w = Duration::from_secs(1);
        let ms = Duration::from_millis;
        let mut log = Window::default();
        // Three per second: three start at once; a fourth waits for a reply.
        for _ in 0..3 {
            assert_eq!(log.ready_at(3, w, t0), Some(t0));
            log.start();
        }
        assert_eq!(log.ready_at(3, w, t0), None, "all three under way");
        log.finish(t0 + ms(30), 3);
        assert_eq!(log.ready_at(3, w, t0 + ms(30)), Some(t0 + ms(1030)));
        log.finish(t0 + ms(20), 3);
        log.finish(t0 + ms(40), 3);
        assert_eq!(log.len(), 3);
        // The oldest reply (20 ms) lapses first.
        assert_eq!(log.ready_at(3, w, t0 + ms(50)), Some(t0 + ms(1020)));
        let later = t0 + ms(1025);
        assert_eq!(log.ready_at(3, w, later), Some(later));
        log.start();
        assert_eq!(log.ready_at(3, w, later), Some(t0 + ms(1030)));
        log.finish(later + ms(5), 3);
        assert_eq!(log.len(), 3, "older replies are dropped");
        assert_eq!(log.last(), Some(later + ms(5)));
    }

    #[test]
    fn one_per_span_waits_for_the_reply() {
        let t0 = Instant::now();
        let mut log = Window::default();
        log.start();
        assert_eq!(log.ready_at(1, Duration::from_secs(2), t0), None);
        log.finish(t0, 1);
        assert_eq!(
            log.ready_at(1, Duration::from_secs(2), t0),
            Some(t0 + Duration::from_secs(2))
        );
    }
}
