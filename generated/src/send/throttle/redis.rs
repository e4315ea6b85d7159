//! Limits shared through Redis (cargo feature `redis`): every process of a
//! bot asks one server-side script before a send, so that all of them
//! together keep the limits one process keeps alone.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use super::{Chat, Target, Throttle};
use crate::redis_link::Link;

/// The shared decision, atomic because Redis runs a script alone: each
/// limit is a sorted set of sends (scored on Redis's own clock, in µs): a
/// send under way is scored at the end of its lease (it takes its place
/// until it finishes, or until the lease runs out if its process died), a
/// finished one at the time it finished ([`DONE`]). A send may go when no
/// pause key is set and every set holds fewer than its count of sends
/// whose place has not lapsed; it is then added to all of them at once.
///
/// KEYS: the pause keys (as many as ARGV[1]), then one sorted set per limit.
/// ARGV: [1] the number of pause keys, [2] a unique id for this send, [3]
/// the lease in µs, [4] how soon to ask again when only sends under way
/// hold the limit (µs), then a count and a span in µs per sorted set.
/// Returns {0, 0} when the send may go, else {µs to wait, index of the key
/// that holds it back}.
const SCRIPT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function s(x) return string.format('%.0f', x) end
local pauses, lease, poll = tonumber(ARGV[1]), tonumber(ARGV[3]), tonumber(ARGV[4])
local wait, which = 0, 0
for i = 1, pauses do
  local ttl = redis.call('PTTL', KEYS[i])
  if ttl > 0 and ttl * 1000 > wait then wait = ttl * 1000; which = i end
end
for i = pauses + 1, #KEYS do
  local j = 5 + (i - pauses - 1) * 2
  local count, span = tonumber(ARGV[j]), tonumber(ARGV[j + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', s(now - span))
  local n = redis.call('ZCARD', KEYS[i])
  if n >= count then
    local first = redis.call('ZRANGE', KEYS[i], n - count, n - count, 'WITHSCORES')
    local at = tonumber(first[2])
    local w = poll
    if at <= now then w = at + span - now end
    if w > wait then wait = w; which = i end
  end
end
if wait > 0 then return {math.ceil(wait), which} end
for i = pauses + 1, #KEYS do
  local j = 5 + (i - pauses - 1) * 2
  redis.call('ZADD', KEYS[i], s(now + lease), ARGV[2])
  redis.call('PEXPIRE', KEYS[i], s(math.ceil((lease + tonumber(ARGV[j + 1])) / 1000) + 1000))
end
return {0, 0}
";

/// A send (ARGV[1]) finished: it keeps its place in each set (KEYS) for
/// one span from now.
const DONE: &str = r"
local t = redis.call('TIME')
local now = string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2]))
for i = 1, #KEYS do
  if redis.call('ZSCORE', KEYS[i], ARGV[1]) then
    redis.call('ZADD', KEYS[i], 'XX', now, ARGV[1])
  end
end
return 1
";

/// How soon to ask again when only sends under way hold a limit.
const POLL: Duration = Duration::from_millis(20);

/// Sets a pause key unless a longer pause is set already.
const PAUSE_SCRIPT: &str = r"
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1
";

/// The throttle's limits kept for every process of a bot through Redis;
/// hand them to [`Throttle::shared`].
///
/// ```no_run
/// use botapi::throttle::{RedisLimits, Throttle};
///
/// # fn run() -> Result<(), botapi::Error> {
/// let client = botapi::Client::builder_from_env()?
///     .throttle(Throttle::default().shared(RedisLimits::new("redis://127.0.0.1:6379")))
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
///
/// Each send first gets its turn from the local throttle (order, fairness,
/// back-pressure and the limits as one process sees them), then asks a
/// script in Redis whether the bot as a whole may send it now: the script
/// keeps a sorted set of sends per limit (per chat, per group, bot-wide,
/// paid broadcasts) on Redis's own clock, so the processes' clocks do not
/// matter, and admits a send into all of them at once or tells how long to
/// wait. As locally, a send takes its place until its reply is back (the
/// process tells Redis so) and keeps it for one span from then; a process
/// that dies mid-send frees its place after
/// [`in_flight_lease`](Self::in_flight_lease). A 429 one process receives pauses the chat (or
/// the bot) for all of them. The keys start with `{botapi:<bot id>}` (one
/// hash slot, for Redis Cluster), or with the [namespace](Self::namespace).
///
/// **When Redis cannot be reached** (no connection or no answer within
/// [`timeout`](Self::timeout)) the send goes on under the local limits
/// alone: the throttle *fails open to the local policy*, never to no limit
/// at all. Each process then keeps the limits by itself, so N processes may
/// send up to N times the bot-wide rate together until Redis is back, and
/// Telegram's 429s, which every throttle learns from, hold back the rest.
/// Failing closed would instead stop every reply of the bot while Redis is
/// down. After a failure Redis is left alone for
/// [`retry_every`](Self::retry_every) and then asked again;
/// [`ThrottleStats::shared_fallbacks`](super::ThrottleStats::shared_fallbacks)
/// counts the sends that went on without it.
#[derive(Clone)]
pub struct RedisLimits {
    url: String,
    namespace: Option<String>,
    timeout: Duration,
    retry_every: Duration,
    lease: Duration,
}

impl fmt::Debug for RedisLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimits")
            .field("url", &"<redacted>")
            .field("namespace", &self.namespace)
            .field("timeout", &self.timeout)
            .field("retry_every", &self.retry_every)
            .field("in_flight_lease", &self.lease)
            .finish()
    }
}

impl RedisLimits {
    /// Limits kept in the Redis server at `url`
    /// (`redis://[user:password@]host:port[/db]`), checked when the client
    /// is built; nothing connects before the first send.
    pub fn new(url: impl Into<String>) -> RedisLimits {
        RedisLimits {
            url: url.into(),
            namespace: None,
            timeout: Duration::from_millis(250),
            retry_every: Duration::from_secs(1),
            lease: Duration::from_secs(30),
        }
    }

    /// Prefix of every key, instead of `botapi:<bot id>`: processes that
    /// share limits must use the same one.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// How long to wait for a connection or an answer before going on
    /// under the local limits. Default 250 ms.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = limit;
        self
    }

    /// How long to leave Redis alone after it failed. Default 1 s.
    pub fn retry_every(mut self, pause: Duration) -> Self {
        self.retry_every = pause;
        self
    }

    /// How long a send under way keeps its place if its process never says
    /// it finished (it died mid-send). Default 30 s.
    pub fn in_flight_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// Connect settings checked, keys named for the bot `bot_id`.
    pub(crate) fn start(&self, bot_id: &str, throttle: &Throttle) -> Result<Shared, String> {
        if self.timeout.is_zero() || self.lease.is_zero() || self.lease > super::LONGEST {
            return Err("throttle: the Redis timeout and in-flight lease must be above zero, the lease at most a day".into());
        }
        let link = Link::open(&self.url, self.timeout).map_err(|e| format!("throttle: {e}"))?;
        let namespace = match &self.namespace {
            Some(n) if n.is_empty() || n.contains(['{', '}']) => {
                return Err(format!(
                    "throttle: the Redis namespace {n:?} must be non-empty and without braces"
                ))
            }
            Some(n) => n.clone(),
            None => format!("botapi:{bot_id}"),
        };
        let micros = |d: Duration| (d + throttle.margin).as_micros().to_string();
        let rate = |r: super::Rate| (r.count().to_string(), micros(r.window()));
        Ok(Shared {
            link,
            prefix: format!("{{{namespace}}}"),
            per_chat: rate(throttle.per_chat),
            per_group: rate(throttle.per_group),
            global: rate(throttle.global),
            paid: rate(throttle.paid),
            script: redis::Script::new(SCRIPT),
            done_script: redis::Script::new(DONE),
            lease: self.lease.as_micros().to_string(),
            pause_script: redis::Script::new(PAUSE_SCRIPT),
            retry_every: self.retry_every,
            down_until: Mutex::new(None),
            fallbacks: AtomicU64::new(0),
            sends: AtomicU64::new(0),
            process: format!("{}.{}", std::process::id(), random_suffix()),
        })
    }
}

/// Something unique enough to tell this process's sends from another's.
fn random_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

/// What Redis said about one send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// It may go; it is counted under this id until [`Shared::done`].
    Go(String),
    /// Not yet: ask again after `wait`. `bot_wide` when a bot-wide limit or
    /// pause holds it back (not its chat's).
    Wait { wait: Duration, bot_wide: bool },
    /// Redis could not be asked: go on under the local limits.
    Down,
}

/// Shared limits as a running throttle keeps them.
pub(crate) struct Shared {
    link: Link,
    prefix: String,
    per_chat: (String, String),
    per_group: (String, String),
    global: (String, String),
    paid: (String, String),
    script: redis::Script,
    done_script: redis::Script,
    lease: String,
    pause_script: redis::Script,
    retry_every: Duration,
    down_until: Mutex<Option<Instant>>,
    fallbacks: AtomicU64,
    sends: AtomicU64,
    process: String,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shared")
            .field("redis", &self.link.place())
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// Sends that went on without Redis.
    pub(crate) fn fallbacks(&self) -> u64 {
        self.fallbacks.load(Ordering::Relaxed)
    }

    fn is_down(&self) -> bool {
        let until = *self
            .down_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        until.is_some_and(|u| Instant::now() < u)
    }

    async fn failed(&self, err: &redis::RedisError) {
        let _described = self.link.describe(err);
        #[cfg(feature = "tracing")]
        tracing::warn!(error = %_described, "shared limits unreachable; local limits only");
        self.link.broken().await;
        *self
            .down_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now() + self.retry_every);
    }

    /// Ask whether `target` may be sent now, and count it if so.
    pub(crate) async fn take(&self, target: &Target) -> Answer {
        let answer = self.ask(target).await;
        if matches!(answer, Answer::Down) {
            self.fallbacks.fetch_add(1, Ordering::Relaxed);
        }
        answer
    }

    async fn ask(&self, target: &Target) -> Answer {
        if self.is_down() {
            return Answer::Down;
        }
        let chat = target.chat().key();
        let mut call = self.script.prepare_invoke();
        call.key(format!("{}:pause", self.prefix))
            .key(format!("{}:pause:{chat}", self.prefix));
        let n = self.sends.fetch_add(1, Ordering::Relaxed);
        let member = format!("{}.{n}", self.process);
        call.arg(2)
            .arg(&member)
            .arg(&self.lease)
            .arg(POLL.as_micros().to_string());
        // The bot-wide sets come first: indexes 3 and 4 hold back everyone.
        let bot_wide_keys = if target.paid_broadcast() { 3 } else { 4 };
        for (key, (count, span)) in self.sets(target) {
            call.key(key).arg(count).arg(span);
        }
        let mut conn = match self.link.conn().await {
            Ok(conn) => conn,
            Err(e) => {
                self.failed(&e).await;
                return Answer::Down;
            }
        };
        match call.invoke_async::<(u64, u64)>(&mut conn).await {
            Ok((0, _)) => Answer::Go(member),
            Ok((micros, which)) => Answer::Wait {
                wait: Duration::from_micros(micros),
                bot_wide: which == 1 || (3..=bot_wide_keys).contains(&which),
            },
            Err(e) => {
                self.failed(&e).await;
                Answer::Down
            }
        }
    }

    /// The sorted sets a send to `target` counts in, with their limits.
    fn sets(&self, target: &Target) -> Vec<(String, &(String, String))> {
        let chat = target.chat().key();
        let mut sets = vec![(format!("{}:paid", self.prefix), &self.paid)];
        if !target.paid_broadcast() {
            sets.push((format!("{}:global", self.prefix), &self.global));
        }
        sets.push((format!("{}:chat:{chat}", self.prefix), &self.per_chat));
        if target.chat().is_group() {
            sets.push((format!("{}:group:{chat}", self.prefix), &self.per_group));
        }
        sets
    }

    /// The send counted as `member` finished: its places count from now.
    pub(crate) async fn done(&self, target: &Target, member: &str) {
        if self.is_down() {
            return;
        }
        let mut call = self.done_script.prepare_invoke();
        for (key, _) in self.sets(target) {
            call.key(key);
        }
        call.arg(member);
        let result = match self.link.conn().await {
            Ok(mut conn) => call.invoke_async::<i64>(&mut conn).await.map(drop),
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            self.failed(&e).await;
        }
    }

    /// Pause `chat` (or the whole bot, for `None`) for every process.
    pub(crate) async fn pause(&self, chat: Option<&Chat>, wait: Duration) {
        if self.is_down() || wait.is_zero() {
            return;
        }
        let key = match chat {
            Some(chat) => format!("{}:pause:{}", self.prefix, chat.key()),
            None => format!("{}:pause", self.prefix),
        };
        let result = match self.link.conn().await {
            Ok(mut conn) => self
                .pause_script
                .key(key)
                .arg(wait.as_millis().to_string())
                .invoke_async::<i64>(&mut conn)
                .await
                .map(drop),
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            self.failed(&e).await;
        }
    }
}
