//! The local throttle: a queue per chat, a ring of chats taking turns, the
//! logs of recent sends per limit, and the pauses learnt from 429 replies.
//!
//! No task runs in the background. Every change (a send joins, a send
//! finishes, a send gives up waiting) runs [`State::dispatch`] under one
//! lock, which hands turns to the chats that may send now. When a chat can
//! only send later, one waiting send is told to sleep until then and to run
//! the dispatch again when it wakes: the "timer holder". The lock is never
//! held across an `.await`, so nothing can deadlock on it; a send that is
//! dropped while it waits takes itself out of the queue (or passes on the
//! turn it was just given).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use super::window::Window;
use super::{Chat, Target, Throttle, ThrottleStats};

mod turn;
pub(crate) use turn::{Gate, Turn};

/// The most a 429 slows a chat or the bot down (spans times this).
const MAX_SLOW: f64 = 8.0;
/// A successful send to a slowed chat eases its slowdown by this factor.
const CHAT_EASE: f64 = 0.9;
/// A successful send eases the bot-wide slowdown by this factor.
const GLOBAL_EASE: f64 = 0.98;
/// Releases between two sweeps of chats that no longer matter.
pub(super) const SWEEP_EVERY: u64 = 1024;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The later of two readiness times; `None` (wait for a send under way to
/// finish) wins.
fn later(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    Some(a?.max(b?))
}

/// The earlier of a known next time and another, if any.
fn earliest(next: Option<Instant>, at: Option<Instant>) -> Option<Instant> {
    match (next, at) {
        (Some(n), Some(a)) => Some(n.min(a)),
        (n, a) => n.or(a),
    }
}

/// The limits as the dispatch uses them.
#[derive(Debug, Clone)]
struct Limits {
    per_chat: (usize, Duration),
    per_group: (usize, Duration),
    global: (usize, Duration),
    paid: (usize, Duration),
    margin: Duration,
    bot_wide_after: usize,
}

impl Limits {
    fn from(t: &Throttle) -> Limits {
        let pair = |r: super::Rate| (r.count() as usize, r.window());
        Limits {
            per_chat: pair(t.per_chat),
            per_group: pair(t.per_group),
            global: pair(t.global),
            paid: pair(t.paid),
            margin: t.margin,
            bot_wide_after: t.bot_wide_after,
        }
    }

    /// A span slowed down by `slow`, plus the margin.
    fn span(&self, window: Duration, slow: f64) -> Duration {
        window.mul_f64(slow) + self.margin
    }

    /// How long a chat is worth remembering after its last send.
    fn memory(&self) -> Duration {
        let longest = self.per_chat.1.max(self.per_group.1);
        longest.mul_f64(MAX_SLOW) + self.margin
    }
}

/// One send waiting for its turn.
#[derive(Debug)]
struct Slot {
    id: u64,
    paid: bool,
    notify: Notify,
    status: Mutex<SlotStatus>,
}

#[derive(Debug, Clone, Copy, Default)]
struct SlotStatus {
    /// Its turn came.
    granted: bool,
    /// It holds the timer: sleep until then, then dispatch.
    wake_at: Option<Instant>,
}

impl Slot {
    fn set(&self, f: impl FnOnce(&mut SlotStatus)) {
        f(&mut lock(&self.status));
        self.notify.notify_one();
    }
}

/// What the throttle knows of one chat.
#[derive(Debug)]
struct ChatState {
    waiting: VecDeque<Arc<Slot>>,
    /// A send to it is under way.
    busy: bool,
    /// It is in the ring.
    in_ring: bool,
    sent: Window,
    /// Groups only.
    group: Option<Window>,
    paused_until: Option<Instant>,
    slow: f64,
}

impl ChatState {
    fn new(chat: &Chat) -> ChatState {
        ChatState {
            waiting: VecDeque::new(),
            busy: false,
            in_ring: false,
            sent: Window::default(),
            group: chat.is_group().then(Window::default),
            paused_until: None,
            slow: 1.0,
        }
    }

    /// When this chat's own limits and pause let it send again (`None`:
    /// not before a send under way finishes).
    fn ready_at(&self, limits: &Limits, now: Instant) -> Option<Instant> {
        let (count, window) = limits.per_chat;
        let mut at = self
            .sent
            .ready_at(count, limits.span(window, self.slow), now);
        if let Some(group) = &self.group {
            let (count, window) = limits.per_group;
            at = later(
                at,
                group.ready_at(count, limits.span(window, self.slow), now),
            );
        }
        later(at, Some(self.paused_until.unwrap_or(now)))
    }

    fn start(&mut self) {
        self.sent.start();
        if let Some(group) = &mut self.group {
            group.start();
        }
    }

    fn finish(&mut self, limits: &Limits, now: Instant) {
        self.sent.finish(now, limits.per_chat.0);
        if let Some(group) = &mut self.group {
            group.finish(now, limits.per_group.0);
        }
    }

    /// Nothing waits, nothing is under way, and its limits forgot it.
    fn forgettable(&self, limits: &Limits, now: Instant) -> bool {
        let last = self.sent.last().into_iter().chain(self.paused_until).max();
        !self.busy
            && self.waiting.is_empty()
            && last.is_none_or(|t| now.saturating_duration_since(t) > limits.memory())
    }
}

/// Everything behind the lock.
#[derive(Debug)]
struct State {
    limits: Limits,
    chats: HashMap<Chat, ChatState>,
    /// Chats with a send waiting and none under way, in the order they are
    /// served; may hold stale entries (see `in_ring`), skipped when met.
    ring: VecDeque<Chat>,
    /// Sends that did not ask for paid broadcasting.
    global: Window,
    /// Every send.
    paid: Window,
    global_slow: f64,
    paused_until: Option<Instant>,
    /// The slot holding the timer, and when it wakes.
    timer: Option<(u64, Instant)>,
    /// Recent 429s by chat, to tell a limited chat from a limited bot.
    floods: VecDeque<(Instant, Chat)>,
    next_id: u64,
    waiting: usize,
    sending: usize,
    releases: u64,
}

impl State {
    fn new(limits: Limits) -> State {
        State {
            limits,
            chats: HashMap::new(),
            ring: VecDeque::new(),
            global: Window::default(),
            paid: Window::default(),
            global_slow: 1.0,
            paused_until: None,
            timer: None,
            floods: VecDeque::new(),
            next_id: 0,
            waiting: 0,
            sending: 0,
            releases: 0,
        }
    }

    /// When the bot-wide limits let a send of this kind go (`None`: not
    /// before a send under way finishes).
    fn global_ready(&self, paid: bool, now: Instant) -> Option<Instant> {
        let l = &self.limits;
        let mut at = self.paid.ready_at(l.paid.0, l.span(l.paid.1, 1.0), now);
        if !paid {
            let span = l.span(l.global.1, self.global_slow);
            at = later(at, self.global.ready_at(l.global.0, span, now));
        }
        later(at, Some(self.paused_until.unwrap_or(now)))
    }

    /// Put a send for `target` in its chat's queue (at the front for a
    /// retry, which keeps its place) and dispatch if that changed anything.
    fn enqueue(&mut self, target: &Target, front: bool, now: Instant) -> Arc<Slot> {
        let slot = Arc::new(Slot {
            id: self.next_id,
            paid: target.paid_broadcast(),
            notify: Notify::new(),
            status: Mutex::new(SlotStatus::default()),
        });
        self.next_id += 1;
        self.waiting += 1;
        let chat = target.chat();
        let cs = match self.chats.get_mut(chat) {
            Some(cs) => cs,
            None => self
                .chats
                .entry(chat.clone())
                .or_insert_with(|| ChatState::new(chat)),
        };
        if front {
            cs.waiting.push_front(slot.clone());
        } else {
            cs.waiting.push_back(slot.clone());
        }
        let head = cs.waiting.len() == 1 || front;
        if !cs.busy && !cs.in_ring {
            cs.in_ring = true;
            if front {
                self.ring.push_front(chat.clone());
            } else {
                self.ring.push_back(chat.clone());
            }
        }
        if head && !cs.busy {
            self.dispatch(now);
        }
        slot
    }

    /// Hand turns to every chat that may send now, in ring order, and make
    /// sure someone wakes up when the next one may.
    fn dispatch(&mut self, now: Instant) {
        let mut next: Option<Instant> = None;
        let mut skipped = Vec::new();
        let rounds = self.ring.len();
        for _ in 0..rounds {
            let free_at = self.global_ready(false, now);
            let paid_at = self.global_ready(true, now);
            let blocked = |at: Option<Instant>| at.is_none_or(|t| t > now);
            if blocked(free_at) && blocked(paid_at) {
                // Nobody can go before the bot-wide limit allows it.
                next = earliest(next, paid_at);
                break;
            }
            let Some(chat) = self.ring.pop_front() else {
                break;
            };
            // A chat forgotten or served since it was put in the ring.
            let Some(cs) = self.chats.get_mut(&chat).filter(|cs| cs.in_ring) else {
                continue;
            };
            let head = match cs.waiting.front() {
                Some(head) if !cs.busy => head.clone(),
                _ => {
                    cs.in_ring = false;
                    continue;
                }
            };
            let global_at = if head.paid { paid_at } else { free_at };
            let at = later(cs.ready_at(&self.limits, now), global_at);
            if at.is_none_or(|at| at > now) {
                // A chat waiting for a send under way needs no timer: the
                // send's end dispatches again.
                next = earliest(next, at);
                skipped.push(chat);
                continue;
            }
            cs.waiting.pop_front();
            cs.busy = true;
            cs.in_ring = false;
            cs.start();
            self.paid.start();
            if !head.paid {
                self.global.start();
            }
            self.waiting -= 1;
            self.sending += 1;
            if self.timer.is_some_and(|(id, _)| id == head.id) {
                self.timer = None;
            }
            head.set(|s| s.granted = true);
        }
        // Chats passed over keep their place ahead of the others.
        for chat in skipped.into_iter().rev() {
            self.ring.push_front(chat);
        }
        let Some(at) = next else { return };
        if self.timer.is_some_and(|(_, t)| t <= at) {
            return;
        }
        let holder = self.ring.iter().find_map(|chat| {
            let cs = self.chats.get(chat)?;
            cs.waiting.front().filter(|_| !cs.busy).cloned()
        });
        if let Some(holder) = holder {
            self.timer = Some((holder.id, at));
            holder.set(|s| s.wake_at = Some(at));
        }
    }

    /// A send to `chat` (paid broadcast or not) finished at `now`: its
    /// places in the limits count from now.
    fn finish(&mut self, chat: &Chat, paid: bool, now: Instant) {
        self.sending = self.sending.saturating_sub(1);
        self.paid.finish(now, self.limits.paid.0);
        if !paid {
            self.global.finish(now, self.limits.global.0);
        }
        if let Some(cs) = self.chats.get_mut(chat) {
            cs.finish(&self.limits, now);
        }
    }

    /// The send under way to `chat` finished: the next one may go.
    fn release(&mut self, chat: &Chat, paid: bool, now: Instant) {
        self.finish(chat, paid, now);
        if let Some(cs) = self.chats.get_mut(chat) {
            cs.busy = false;
            if !cs.waiting.is_empty() && !cs.in_ring {
                cs.in_ring = true;
                self.ring.push_back(chat.clone());
            }
        }
        self.releases += 1;
        if self.releases % SWEEP_EVERY == 0 {
            let limits = self.limits.clone();
            self.chats.retain(|_, cs| !cs.forgettable(&limits, now));
        }
        self.dispatch(now);
    }

    /// A waiting send gave up: take it out of its queue.
    fn cancel(&mut self, chat: &Chat, slot: &Slot, now: Instant) {
        if let Some(cs) = self.chats.get_mut(chat) {
            if let Some(i) = cs.waiting.iter().position(|s| s.id == slot.id) {
                cs.waiting.remove(i);
                self.waiting -= 1;
            }
            if cs.forgettable(&self.limits, now) {
                self.chats.remove(chat);
            }
        }
        if self.timer.is_some_and(|(id, _)| id == slot.id) {
            self.timer = None;
        }
        self.dispatch(now);
    }

    /// Telegram refused a send to `chat` with 429 and asked to wait `wait`.
    /// Returns true when this makes the whole bot limited.
    fn flood(&mut self, chat: &Chat, wait: Duration, now: Instant) -> bool {
        let until = now + wait;
        if let Some(cs) = self.chats.get_mut(chat) {
            cs.paused_until = Some(cs.paused_until.map_or(until, |p| p.max(until)));
            cs.slow = (cs.slow * 2.0).min(MAX_SLOW);
        }
        let span = self.limits.span(self.limits.global.1, 1.0);
        while self
            .floods
            .front()
            .is_some_and(|(t, _)| now.saturating_duration_since(*t) > span)
        {
            self.floods.pop_front();
        }
        if !self.floods.iter().any(|(_, c)| c == chat) {
            self.floods.push_back((now, chat.clone()));
        }
        let bot_wide = self.floods.len() >= self.limits.bot_wide_after;
        if bot_wide {
            self.pause_all(until);
            self.global_slow = (self.global_slow * 2.0).min(MAX_SLOW);
        }
        bot_wide
    }

    /// Hold every send until `until`.
    fn pause_all(&mut self, until: Instant) {
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
    }

    /// Hold sends to `chat` until `until`.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    fn pause_chat(&mut self, chat: &Chat, until: Instant) {
        if let Some(cs) = self.chats.get_mut(chat) {
            cs.paused_until = Some(cs.paused_until.map_or(until, |p| p.max(until)));
        }
    }

    /// A send to `chat` succeeded: ease any slowdown.
    fn success(&mut self, chat: &Chat) {
        if let Some(cs) = self.chats.get_mut(chat) {
            cs.slow = (cs.slow * CHAT_EASE).max(1.0);
        }
        self.global_slow = (self.global_slow * GLOBAL_EASE).max(1.0);
    }

    fn stats(&self, now: Instant) -> ThrottleStats {
        ThrottleStats {
            waiting: self.waiting,
            sending: self.sending,
            chats: self.chats.len(),
            paused_chats: self
                .chats
                .values()
                .filter(|c| c.paused_until.is_some_and(|p| p > now))
                .count(),
            paused: self.paused_until.is_some_and(|p| p > now),
            shared_fallbacks: 0,
        }
    }
}
