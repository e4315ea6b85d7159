//! Keeping Telegram's flood limits before Telegram enforces them: an opt-in
//! throttle inside the [`Client`](crate::Client), set with one builder call,
//! [`ClientBuilder::throttle`](crate::ClientBuilder::throttle).
//!
//! ```no_run
//! use botapi::throttle::{Rate, Throttle};
//!
//! # fn run() -> Result<(), botapi::Error> {
//! let client = botapi::Client::builder_from_env()?
//!     .throttle(Throttle::default().per_group(Rate::per_minute(15)))
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! **What it counts.** Only requests that put messages into a chat: the
//! generator marks every method with a required chat parameter whose result
//! is the message sent (or its id, or a list of them), and the request says
//! which chat it names ([`Request::throttle_target`](crate::Request::throttle_target)).
//! Everything else (getters, answers to callback queries, `getUpdates`)
//! passes without waiting.
//!
//! **The limits** ([`Throttle::default`]): one message per second in a
//! chat, 20 per minute in a group, supergroup or channel (a negative chat
//! id or an `@username`), 30 per second for the whole bot, and 1000 per
//! second for sends that ask for paid broadcasting (`allow_paid_broadcast`;
//! only those, and only when the request sets it). Each limit means "at
//! most N in any span of that length" where Telegram counts them, which is
//! when requests arrive, not when they leave: a send under way takes its
//! place until its reply is back, and keeps it for one span from then (a
//! request has arrived by the time its reply is back), so network delays
//! can only space sends further apart, never closer.
//!
//! **Order and fairness.** Sends to one chat leave one at a time, in the
//! order they were made: the next one starts only after the previous one
//! has finished (its retries included). Chats take turns: when the bot-wide
//! limit is what holds sends back, waiting chats are served round-robin,
//! so one busy chat cannot starve the others.
//!
//! **Back-pressure.** At most [`queue_limit`](Throttle::queue_limit) sends
//! wait at once; a further send waits for room, in order, before it even
//! joins the queue, so memory stays bounded however fast sends are made.
//!
//! **429s.** A flood-control reply pauses its chat for Telegram's
//! `retry_after` while other chats go on, and the chat is slowed down
//! (its spans doubled, up to eight times, easing back by a tenth per
//! successful send). When several chats (three by default) are refused
//! within one span of the bot-wide limit, the whole bot is limited: every
//! send pauses and the bot-wide rate is slowed the same way. With a
//! [`RetryPolicy`](crate::RetryPolicy) the retry keeps its place at the
//! head of its chat, so a retried message is still delivered before the
//! ones sent after it.
//!
//! **Several processes** (cargo feature `redis`): [`Throttle::shared`]
//! keeps the same limits for every process of a bot through Redis; see
//! [`RedisLimits`] for the script and for what happens when Redis cannot
//! be reached.

mod gate;
#[cfg(feature = "redis")]
mod redis;
mod window;

use std::time::Duration;

use serde::Serialize;

pub(crate) use gate::{Gate, Turn};
#[cfg(feature = "redis")]
pub use redis::RedisLimits;

/// How many sends a limit allows in any span of a given length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    count: u32,
    window: Duration,
}

impl Rate {
    /// At most `count` sends in any span of `window`.
    pub const fn new(count: u32, window: Duration) -> Rate {
        Rate { count, window }
    }

    /// At most `count` sends in any second.
    pub const fn per_second(count: u32) -> Rate {
        Rate::new(count, Duration::from_secs(1))
    }

    /// At most `count` sends in any minute.
    pub const fn per_minute(count: u32) -> Rate {
        Rate::new(count, Duration::from_secs(60))
    }

    /// The number of sends allowed in one span.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The length of the span.
    pub fn window(&self) -> Duration {
        self.window
    }
}

/// The throttle's settings; hand them to
/// [`ClientBuilder::throttle`](crate::ClientBuilder::throttle). The
/// defaults are Telegram's published limits (see the [module](self) docs).
#[derive(Debug, Clone)]
pub struct Throttle {
    pub(crate) per_chat: Rate,
    pub(crate) per_group: Rate,
    pub(crate) global: Rate,
    pub(crate) paid: Rate,
    pub(crate) queue: usize,
    pub(crate) margin: Duration,
    pub(crate) bot_wide_after: usize,
    #[cfg(feature = "redis")]
    pub(crate) shared: Option<RedisLimits>,
}

/// Longest span or margin the throttle accepts.
const LONGEST: Duration = Duration::from_secs(24 * 60 * 60);

impl Default for Throttle {
    /// One per second in a chat, 20 per minute in a group, 30 per second
    /// for the bot, 1000 per second for paid broadcasts, 10 000 sends
    /// waiting at most, no margin.
    fn default() -> Self {
        Throttle {
            per_chat: Rate::per_second(1),
            per_group: Rate::per_minute(20),
            global: Rate::per_second(30),
            paid: Rate::per_second(1000),
            queue: 10_000,
            margin: Duration::ZERO,
            bot_wide_after: 3,
            #[cfg(feature = "redis")]
            shared: None,
        }
    }
}

impl Throttle {
    /// The limit for any one chat. Default one per second.
    pub fn per_chat(mut self, rate: Rate) -> Self {
        self.per_chat = rate;
        self
    }

    /// The limit for one group, supergroup or channel, on top of the
    /// per-chat one. Default 20 per minute.
    pub fn per_group(mut self, rate: Rate) -> Self {
        self.per_group = rate;
        self
    }

    /// The limit for the whole bot. Default 30 per second.
    pub fn global(mut self, rate: Rate) -> Self {
        self.global = rate;
        self
    }

    /// The limit for sends that ask for paid broadcasting, which the bot-
    /// wide limit does not hold back (every send, paid or not, counts
    /// against it). Default 1000 per second.
    pub fn paid_broadcast(mut self, rate: Rate) -> Self {
        self.paid = rate;
        self
    }

    /// How many sends may wait at once; further ones wait for room before
    /// joining the queue. Default 10 000.
    pub fn queue_limit(mut self, sends: usize) -> Self {
        self.queue = sends;
        self
    }

    /// How much longer than its rate says each span is kept after a reply,
    /// for a safety distance from Telegram's own counting. Default none:
    /// spans already count from the replies.
    pub fn margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// How many different chats refused with 429 within one span of the
    /// bot-wide limit mean that the whole bot is limited. Default 3.
    pub fn bot_wide_after(mut self, chats: usize) -> Self {
        self.bot_wide_after = chats;
        self
    }

    /// Keep these limits for every process of the bot through Redis
    /// (cargo feature `redis`).
    #[cfg(feature = "redis")]
    pub fn shared(mut self, limits: RedisLimits) -> Self {
        self.shared = Some(limits);
        self
    }

    /// Refuse settings the throttle cannot keep, with the reason.
    pub(crate) fn check(&self) -> Result<(), String> {
        let rates = [
            ("per_chat", self.per_chat),
            ("per_group", self.per_group),
            ("global", self.global),
            ("paid_broadcast", self.paid),
        ];
        for (name, rate) in rates {
            if rate.count == 0 {
                return Err(format!("throttle: the {name} rate allows no send at all"));
            }
            if rate.window.is_zero() || rate.window > LONGEST {
                return Err(format!(
                    "throttle: the {name} span must be longer than zero and at most one day, got {:?}",
                    rate.window
                ));
            }
        }
        if self.queue == 0 {
            return Err("throttle: the queue limit must be at least 1".into());
        }
        if self.margin > LONGEST {
            return Err(format!(
                "throttle: the margin must be at most one day, got {:?}",
                self.margin
            ));
        }
        if self.bot_wide_after == 0 {
            return Err("throttle: bot_wide_after must be at least 1".into());
        }
        Ok(())
    }
}

/// A chat as a send names it: a numeric id, or the `@username` of a public
/// group or channel (kept in lower case; Telegram ignores case in them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Chat {
    /// A numeric chat id: positive for users, negative for groups,
    /// supergroups and channels.
    Id(i64),
    /// `@username` of a public supergroup or channel.
    Username(String),
}

impl Chat {
    /// True for groups, supergroups and channels, which the per-group limit
    /// covers as well: negative ids and usernames.
    pub fn is_group(&self) -> bool {
        match self {
            Chat::Id(id) => *id < 0,
            Chat::Username(_) => true,
        }
    }

    /// A stable text form, for keys shared between processes.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn key(&self) -> String {
        match self {
            Chat::Id(id) => id.to_string(),
            Chat::Username(name) => name.clone(),
        }
    }
}

/// What a send counts against: its chat, and whether it asked for paid
/// broadcasting. Generated requests make one in
/// [`Request::throttle_target`](crate::Request::throttle_target).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    chat: Chat,
    paid_broadcast: bool,
}

impl Target {
    /// A send to `chat`, paid broadcast or not.
    pub fn new(chat: Chat, paid_broadcast: bool) -> Target {
        Target {
            chat,
            paid_broadcast,
        }
    }

    /// A send to the chat a request parameter names: an integer id or a
    /// `@username` string, whatever Rust type holds it. `None` for a value
    /// that is neither (such a request is not held back).
    pub fn of_chat<T: Serialize + ?Sized>(chat: &T, paid_broadcast: bool) -> Option<Target> {
        let chat = match serde_json::to_value(chat).ok()? {
            serde_json::Value::Number(n) => Chat::Id(n.as_i64()?),
            serde_json::Value::String(s) => {
                let s = s.trim();
                match s.parse::<i64>() {
                    Ok(id) => Chat::Id(id),
                    Err(_) if !s.is_empty() => Chat::Username(s.to_lowercase()),
                    Err(_) => return None,
                }
            }
            _ => return None,
        };
        Some(Target::new(chat, paid_broadcast))
    }

    /// The chat.
    pub fn chat(&self) -> &Chat {
        &self.chat
    }

    /// Whether the send asked for paid broadcasting.
    pub fn paid_broadcast(&self) -> bool {
        self.paid_broadcast
    }
}

/// A snapshot of a throttle, for metrics
/// ([`Client::throttle_stats`](crate::Client::throttle_stats)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ThrottleStats {
    /// Sends waiting for their turn.
    pub waiting: usize,
    /// Sends under way (between their turn and their reply).
    pub sending: usize,
    /// Chats the throttle remembers.
    pub chats: usize,
    /// Chats paused right now (by a 429, or by shared limits asking to wait).
    pub paused_chats: usize,
    /// Every send is paused right now (the bot got 429s in several chats,
    /// or shared limits asked to wait).
    pub paused: bool,
    /// Sends that waited for Redis to answer and went on under the local
    /// limits alone because it could not be reached (feature `redis`).
    pub shared_fallbacks: u64,
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn targets_from_any_chat_value() {
        assert_eq!(
            Target::of_chat(&-100123_i64, true),
            Some(Target::new(Chat::Id(-100123), true))
        );
        assert_eq!(
            Target::of_chat("@SomeChannel", false).map(|t| t.chat().clone()),
            Some(Chat::Username("@somechannel".into()))
        );
        assert_eq!(
            Target::of_chat("42", false).map(|t| t.chat().clone()),
            Some(Chat::Id(42))
        );
        assert_eq!(Target::of_chat("  ", false), None);
        assert_eq!(Target::of_chat(&[1, 2], false), None);
        assert!(Chat::Id(-5).is_group() && !Chat::Id(5).is_group());
        assert!(Chat::Username("@x".into()).is_group());
    }

    #[test]
    fn bad_settings_are_refused_with_a_reason() {
        assert!(Throttle::default().check().is_ok());
        let zero = Throttle::default().per_chat(Rate::per_second(0)).check();
        assert!(zero.unwrap_err().contains("per_chat"));
        let span = Throttle::default()
            .global(Rate::new(1, Duration::ZERO))
            .check();
        assert!(span.unwrap_err().contains("global span"));
        assert!(Throttle::default().queue_limit(0).check().is_err());
        assert!(Throttle::default().bot_wide_after(0).check().is_err());
        assert!(Throttle::default()
            .margin(Duration::from_secs(100_000))
            .check()
            .is_err());
    }
}
