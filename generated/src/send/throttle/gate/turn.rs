//! A throttle as a client keeps it ([`Gate`]) and a send's place in it:
//! waiting for a turn, the turn itself, and what a reply teaches the
//! throttle ([`Turn::learn`]).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::super::{Chat, Target, Throttle, ThrottleStats};
use super::{lock, Limits, Slot, State};
use crate::error::Error;

/// A throttle as a client keeps it.
#[derive(Debug)]
pub(crate) struct Gate {
    state: Mutex<State>,
    room: Arc<Semaphore>,
    #[cfg(feature = "redis")]
    shared: Option<super::super::redis::Shared>,
}

impl Gate {
    /// A throttle with these settings, checked, for the bot `bot_id` (which
    /// names the keys of shared limits).
    pub(crate) fn new(throttle: &Throttle, _bot_id: &str) -> Result<Arc<Gate>, String> {
        throttle.check()?;
        Ok(Arc::new(Gate {
            state: Mutex::new(State::new(Limits::from(throttle))),
            room: Arc::new(Semaphore::new(throttle.queue.min(Semaphore::MAX_PERMITS))),
            #[cfg(feature = "redis")]
            shared: match &throttle.shared {
                Some(limits) => Some(limits.start(_bot_id, throttle)?),
                None => None,
            },
        }))
    }

    /// Wait for room in the queue, then for this send's turn; the turn is
    /// held until the returned value is dropped.
    pub(crate) async fn acquire(self: &Arc<Self>, target: Target) -> Turn {
        // A closed semaphore is impossible (it is never closed); without a
        // permit the send still queues, it just does not count as waiting.
        let room = self.room.clone().acquire_owned().await.ok();
        let slot = lock(&self.state).enqueue(&target, false, Instant::now());
        Waiting::new(self, &target, slot, room).wait().await;
        let mut turn = Turn {
            gate: self.clone(),
            target,
            holding: true,
            #[cfg(feature = "redis")]
            member: None,
        };
        turn.shared_stage().await;
        turn
    }

    /// A snapshot for metrics.
    pub(crate) fn stats(&self) -> ThrottleStats {
        #[allow(unused_mut)]
        let mut stats = lock(&self.state).stats(Instant::now());
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.shared {
            stats.shared_fallbacks = shared.fallbacks();
        }
        stats
    }

    fn on_timer(&self, slot: &Slot) {
        let mut state = lock(&self.state);
        if state.timer.is_some_and(|(id, _)| id == slot.id) {
            state.timer = None;
        }
        lock(&slot.status).wake_at = None;
        state.dispatch(Instant::now());
    }
}

/// A send in its chat's queue; taken out again if dropped before its turn.
struct Waiting<'g> {
    gate: &'g Arc<Gate>,
    chat: Chat,
    slot: Arc<Slot>,
    done: bool,
    _room: Option<OwnedSemaphorePermit>,
}

impl<'g> Waiting<'g> {
    fn new(
        gate: &'g Arc<Gate>,
        target: &Target,
        slot: Arc<Slot>,
        room: Option<OwnedSemaphorePermit>,
    ) -> Self {
        Waiting {
            gate,
            chat: target.chat().clone(),
            slot,
            done: false,
            _room: room,
        }
    }

    async fn wait(mut self) {
        loop {
            let status = *lock(&self.slot.status);
            if status.granted {
                self.done = true;
                return;
            }
            match status.wake_at {
                None => self.slot.notify.notified().await,
                Some(at) => {
                    let woken = tokio::time::timeout_at(at, self.slot.notify.notified()).await;
                    if woken.is_err() {
                        self.gate.on_timer(&self.slot);
                    }
                }
            }
        }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut state = lock(&self.gate.state);
        let now = Instant::now();
        if lock(&self.slot.status).granted {
            // Its turn came just as it gave up: pass the turn on.
            state.release(&self.chat, self.slot.paid, now);
        } else {
            state.cancel(&self.chat, &self.slot, now);
        }
    }
}

/// A send's turn: while it lives, nothing else goes to its chat.
#[derive(Debug)]
pub(crate) struct Turn {
    gate: Arc<Gate>,
    target: Target,
    /// False while a retry waits for its next turn.
    holding: bool,
    /// The id shared limits count this send under, until it finishes.
    #[cfg(feature = "redis")]
    member: Option<String>,
}

impl Turn {
    /// Learn from the outcome of the attempt made in this turn: a 429
    /// pauses the chat (or, when several chats are refused at once, the
    /// bot); a success eases earlier slowdowns.
    pub(crate) async fn learn(&mut self, outcome: Result<(), &Error>) {
        #[cfg(feature = "redis")]
        if let (Some(shared), Some(member)) = (&self.gate.shared, self.member.take()) {
            shared.done(&self.target, &member).await;
        }
        let chat = self.target.chat();
        match outcome {
            Ok(()) => lock(&self.gate.state).success(chat),
            Err(Error::Api(e)) if e.code == 429 => {
                let wait = Duration::from_secs(e.retry_after.unwrap_or(1));
                let _bot_wide = lock(&self.gate.state).flood(chat, wait, Instant::now());
                #[cfg(feature = "redis")]
                if let Some(shared) = &self.gate.shared {
                    shared.pause((!_bot_wide).then_some(chat), wait).await;
                }
            }
            Err(_) => {}
        }
    }

    /// Give the turn up for a retry and wait for the next one, ahead of
    /// every later send to the chat.
    pub(crate) async fn again(&mut self) {
        let slot = {
            let mut state = lock(&self.gate.state);
            let now = Instant::now();
            self.holding = false;
            state.finish(self.target.chat(), self.target.paid_broadcast(), now);
            if let Some(cs) = state.chats.get_mut(self.target.chat()) {
                cs.busy = false;
            }
            state.enqueue(&self.target, true, now)
        };
        Waiting::new(&self.gate, &self.target, slot, None)
            .wait()
            .await;
        self.holding = true;
        self.shared_stage().await;
    }

    /// With shared limits, wait until Redis agrees too; hints from Redis
    /// hold back the local queue meanwhile.
    async fn shared_stage(&mut self) {
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.gate.shared {
            use super::super::redis::Answer;
            loop {
                match shared.take(&self.target).await {
                    Answer::Go(member) => {
                        self.member = Some(member);
                        return;
                    }
                    Answer::Down => return,
                    Answer::Wait { wait, bot_wide } => {
                        let until = Instant::now() + wait;
                        {
                            let mut state = lock(&self.gate.state);
                            if bot_wide {
                                state.pause_all(until);
                            } else {
                                state.pause_chat(self.target.chat(), until);
                            }
                        }
                        tokio::time::sleep_until(until).await;
                    }
                }
            }
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if self.holding {
            let paid = self.target.paid_broadcast();
            lock(&self.gate.state).release(self.target.chat(), paid, Instant::now());
        }
        // A send dropped before it was learnt from: tell Redis it ended, if
        // a runtime is at hand (else its lease runs out).
        #[cfg(feature = "redis")]
        if let (Some(member), Ok(runtime)) =
            (self.member.take(), tokio::runtime::Handle::try_current())
        {
            let (gate, target) = (self.gate.clone(), self.target.clone());
            runtime.spawn(async move {
                if let Some(shared) = &gate.shared {
                    shared.done(&target, &member).await;
                }
            });
        }
    }
}
