//! Updates that survive a worker (cargo feature `redis`): a webhook receiver
//! that stores each update in a Redis Stream before it acknowledges it to
//! Telegram, and workers that take updates from there, in order per chat,
//! and take over what a worker that died had taken.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use botapi::queue::RedisQueue;
//! use botapi::webhook::Webhook;
//!
//! let queue = RedisQueue::new("redis://127.0.0.1:6379", "my-bot")?;
//! // The receiver (one process or several, behind a load balancer):
//! let webhook = Webhook::new("a-long-random-string_0123456789")?;
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
//! let _server = webhook.serve_into(&queue, listener).await?;
//! // A worker (as many processes as wanted):
//! let mut worker = queue.worker("worker-1").await?;
//! loop {
//!     let delivery = worker.next().await?; // acknowledges the previous one
//!     println!("update {}", delivery.update.update_id);
//! }
//! # }
//! ```
//!
//! **Storing.** The receiver answers 200 only once the update is in Redis;
//! when Redis cannot be reached it answers 503 and Telegram delivers the
//! update again later. A script stores the update and remembers its
//! `update_id` in one step, so an update Telegram delivers twice (its
//! first 200 was lost) is recognised and stored once. How durable "stored"
//! is depends on the Redis server: with `appendonly yes` and
//! `appendfsync always` it is on disk before the 200.
//!
//! **Layout.** Keys start with `{<namespace>}` (one hash slot). Updates go
//! to one of [`shards`](RedisQueueBuilder::shards) streams,
//! `{ns}:u:<shard>`, chosen from the update's chat
//! ([`Update::chat`](crate::types::Update::chat), else its sender, else its
//! id), so the updates of a chat are in one stream in the order they
//! arrived; each entry holds the update's JSON (`u`), its chat (`c`) and its
//! id (`id`). Every stream has one consumer group, `workers`.
//! `{ns}:seen:<update_id>` remembers delivered ids for
//! [`remember_updates`](RedisQueueBuilder::remember_updates);
//! `{ns}:lease:<shard>` names the worker that holds a stream;
//! `{ns}:workers` lists live workers by their last heartbeat; `{ns}:shards`
//! holds the number of streams, which every process must agree on.
//!
//! **Workers.** A worker holds a fair share of the streams (their number
//! divided by the live workers), each by a lease it renews in the
//! background, and reads only from those: one stream is read by one worker
//! at a time, which keeps a chat's updates in order. [`Worker::next`]
//! acknowledges the update it handed out before (the caller came back for
//! more, so it is handled) and deletes it from the stream. A worker that
//! stops renewing (it died) loses its leases after
//! [`claim_after`](RedisQueueBuilder::claim_after); the workers that take
//! its streams first claim the entries it had taken and not acknowledged,
//! oldest first, then go on with new ones. An update a worker was handling
//! when it died is thus handled again: [`Delivery::redelivered`] says when
//! that may be the case.

mod worker;

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use redis::Value;

use crate::redis_link::Link;
use crate::types::Update;

pub use worker::{Delivery, Worker};

/// Stores an update unless its id was seen: KEYS[1] the seen key, KEYS[2]
/// the stream; ARGV: how long to remember (ms), the JSON, the chat, the id.
/// Returns the entry id, or nothing for an update seen before.
const STORE: &str = r"
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], '*', 'u', ARGV[2], 'c', ARGV[3], 'id', ARGV[4])
end
return false
";

/// Why the queue failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum QueueError {
    /// The settings cannot work (the message says why).
    Config(String),
    /// Redis could not be reached or refused a command (no URL or password
    /// in the message).
    Redis(String),
    /// The body given to [`RedisQueue::store`] is not an update.
    NotAnUpdate(String),
}

impl std::fmt::Display for QueueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Config(message) | Self::Redis(message) => write!(f, "update queue: {message}"),
            Self::NotAnUpdate(why) => write!(f, "update queue: not an update: {why}"),
        }
    }
}

impl std::error::Error for QueueError {}

/// What [`RedisQueue::store`] did with an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// It is in its stream now.
    New,
    /// Its id was stored before: Telegram delivered it again; not stored twice.
    Repeated,
}

/// Configures a [`RedisQueue`].
#[derive(Clone)]
pub struct RedisQueueBuilder {
    url: String,
    namespace: String,
    shards: u16,
    claim_after: Duration,
    remember: Duration,
    timeout: Duration,
}

impl fmt::Debug for RedisQueueBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisQueueBuilder")
            .field("url", &"<redacted>")
            .field("namespace", &self.namespace)
            .field("shards", &self.shards)
            .field("claim_after", &self.claim_after)
            .finish_non_exhaustive()
    }
}

impl RedisQueueBuilder {
    /// How many streams the updates are spread over (default 16, at most
    /// 1024). More streams let more workers share the load; one stream is
    /// read by one worker at a time. Every process must use the same number.
    pub fn shards(mut self, shards: u16) -> Self {
        self.shards = shards;
        self
    }

    /// How long a worker may go without renewing its leases before the
    /// others take its streams and the updates it had not acknowledged.
    /// Default 30 s; handling one update must take less.
    pub fn claim_after(mut self, idle: Duration) -> Self {
        self.claim_after = idle;
        self
    }

    /// How long an `update_id` is remembered to recognise Telegram's
    /// repeated deliveries. Default 24 h (Telegram keeps an update that
    /// long).
    pub fn remember_updates(mut self, period: Duration) -> Self {
        self.remember = period;
        self
    }

    /// How long to wait for a connection or an answer from Redis. Default 2 s.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = limit;
        self
    }

    /// Check the settings; nothing connects yet.
    pub fn build(self) -> Result<RedisQueue, QueueError> {
        let bad = |m: String| Err(QueueError::Config(m));
        if self.namespace.is_empty() || self.namespace.contains(['{', '}']) {
            return bad(format!(
                "the namespace {:?} must be non-empty and without braces",
                self.namespace
            ));
        }
        if self.shards == 0 || self.shards > 1024 {
            return bad(format!("shards must be 1 to 1024, got {}", self.shards));
        }
        if self.claim_after < Duration::from_millis(300) {
            return bad(format!(
                "claim_after must be at least 300 ms, got {:?}",
                self.claim_after
            ));
        }
        if self.remember < Duration::from_secs(1) || self.timeout.is_zero() {
            return bad("remember_updates must be at least 1 s and timeout above zero".into());
        }
        let link = Link::open(&self.url, self.timeout).map_err(QueueError::Config)?;
        Ok(RedisQueue {
            inner: Arc::new(Inner {
                link,
                prefix: format!("{{{}}}", self.namespace),
                shards: self.shards,
                claim_after: self.claim_after,
                remember: self.remember,
                timeout: self.timeout,
                store: redis::Script::new(STORE),
                agreed: AtomicBool::new(false),
                url: self.url,
            }),
        })
    }
}

/// Updates kept in Redis Streams between webhook receivers and workers;
/// cheap to clone. See the [module](self) docs.
#[derive(Clone)]
pub struct RedisQueue {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) link: Link,
    pub(crate) prefix: String,
    pub(crate) shards: u16,
    pub(crate) claim_after: Duration,
    remember: Duration,
    pub(crate) timeout: Duration,
    store: redis::Script,
    /// The shard count was checked against Redis's.
    agreed: AtomicBool,
    /// For the extra connections of workers; never shown.
    pub(crate) url: String,
}

impl fmt::Debug for RedisQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisQueue")
            .field("redis", &self.inner.link.place())
            .field("prefix", &self.inner.prefix)
            .field("shards", &self.inner.shards)
            .field("claim_after", &self.inner.claim_after)
            .finish_non_exhaustive()
    }
}

impl RedisQueue {
    /// A queue in the Redis server at `url`
    /// (`redis://[user:password@]host:port[/db]`) under `namespace` (the
    /// same in every process of the bot), with the default settings.
    pub fn new(url: impl Into<String>, namespace: impl Into<String>) -> Result<Self, QueueError> {
        RedisQueue::builder(url, namespace).build()
    }

    /// Configure a queue (see [`RedisQueue::new`]).
    pub fn builder(url: impl Into<String>, namespace: impl Into<String>) -> RedisQueueBuilder {
        RedisQueueBuilder {
            url: url.into(),
            namespace: namespace.into(),
            shards: 16,
            claim_after: Duration::from_secs(30),
            remember: Duration::from_secs(24 * 60 * 60),
            timeout: Duration::from_secs(2),
        }
    }

    pub(crate) fn inner(&self) -> &Arc<Inner> {
        &self.inner
    }

    /// Store the update in `body` (Telegram's JSON), unless its id was
    /// stored before. A body that is not an update is refused.
    pub async fn store(&self, body: &[u8]) -> Result<Stored, QueueError> {
        let update: Update =
            crate::compat::from_slice(body).map_err(|e| QueueError::NotAnUpdate(e.to_string()))?;
        let raw: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| QueueError::NotAnUpdate(e.to_string()))?;
        // The chat from the schema's accessors; a kind this version does
        // not know is looked into by shape.
        let chat = update
            .chat()
            .map(|c| i64::from(c.id))
            .or_else(|| update.sender().map(|u| i64::from(u.id)))
            .or_else(|| chat_of(&raw));
        let key = chat.map_or_else(|| update.update_id.to_string(), |c| c.to_string());
        let shard = shard_of(&key, self.inner.shards);
        self.inner.agree().await?;
        let inner = &self.inner;
        let mut conn = inner.conn().await?;
        let stored = inner
            .store
            .key(format!("{}:seen:{}", inner.prefix, update.update_id))
            .key(inner.stream(shard))
            .arg(inner.remember.as_millis().to_string())
            .arg(body)
            .arg(chat.map_or_else(String::new, |c| c.to_string()))
            .arg(update.update_id)
            .invoke_async::<Value>(&mut conn)
            .await;
        let stored = match stored {
            Ok(stored) => stored,
            Err(e) => return Err(inner.failed(&e).await),
        };
        Ok(match stored {
            Value::Nil | Value::Boolean(false) => Stored::Repeated,
            _ => Stored::New,
        })
    }

    /// How many stored updates are not acknowledged yet, over all streams.
    pub async fn backlog(&self) -> Result<u64, QueueError> {
        let inner = &self.inner;
        let mut conn = inner.conn().await?;
        let mut pipe = redis::pipe();
        for shard in 0..inner.shards {
            pipe.cmd("XLEN").arg(inner.stream(shard));
        }
        match pipe.query_async::<Vec<u64>>(&mut conn).await {
            Ok(lens) => Ok(lens.iter().sum()),
            Err(e) => Err(inner.failed(&e).await),
        }
    }

    /// A worker named `name` (unique among the bot's live workers), in the
    /// consumer group of every stream; it takes its share of streams on its
    /// first [`Worker::next`].
    pub async fn worker(&self, name: impl Into<String>) -> Result<Worker, QueueError> {
        Worker::start(self.clone(), name.into()).await
    }
}

impl Inner {
    pub(crate) fn stream(&self, shard: u16) -> String {
        format!("{}:u:{shard}", self.prefix)
    }

    pub(crate) async fn conn(&self) -> Result<redis::aio::MultiplexedConnection, QueueError> {
        match self.link.conn().await {
            Ok(conn) => Ok(conn),
            Err(e) => Err(self.failed(&e).await),
        }
    }

    /// A Redis failure as an error; a lost connection is opened again next time.
    pub(crate) async fn failed(&self, err: &redis::RedisError) -> QueueError {
        QueueError::Redis(self.link.failed(err).await)
    }

    /// Check once that Redis holds the same shard count as this process.
    pub(crate) async fn agree(&self) -> Result<(), QueueError> {
        if self.agreed.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut conn = self.conn().await?;
        let key = format!("{}:shards", self.prefix);
        let reply = redis::pipe()
            .cmd("SET")
            .arg(&key)
            .arg(self.shards)
            .arg("NX")
            .ignore()
            .cmd("GET")
            .arg(&key)
            .query_async::<(u16,)>(&mut conn)
            .await;
        let held = match reply {
            Ok((held,)) => held,
            Err(e) => return Err(self.failed(&e).await),
        };
        if held != self.shards {
            return Err(QueueError::Config(format!(
                "this process uses {} shards, but the queue in Redis has {held}",
                self.shards
            )));
        }
        self.agreed.store(true, Ordering::Relaxed);
        Ok(())
    }
}

/// The chat of an update whose kind this version does not know, found by
/// shape: the `chat` of its part, else the chat of the message inside it,
/// else the user it comes from.
pub(crate) fn chat_of(update: &serde_json::Value) -> Option<i64> {
    let part = update
        .as_object()?
        .iter()
        .find(|(k, v)| *k != "update_id" && v.is_object())?
        .1;
    let id = |v: Option<&serde_json::Value>| v.and_then(|v| v.get("id")).and_then(|v| v.as_i64());
    id(part.get("chat"))
        .or_else(|| id(part.get("message").and_then(|m| m.get("chat"))))
        .or_else(|| id(part.get("from")))
        .or_else(|| id(part.get("user")))
}

/// The stream of a chat (or update) key: FNV-1a, the same in every process.
pub(crate) fn shard_of(key: &str, shards: u16) -> u16 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash % u64::from(shards.max(1))) as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chats_are_found_by_shape() {
        let msg = json!({"update_id": 1, "message": {"chat": {"id": -5}, "from": {"id": 9}}});
        assert_eq!(chat_of(&msg), Some(-5));
        let cb = json!({"update_id": 2, "callback_query": {"from": {"id": 9}, "message": {"chat": {"id": 7}}}});
        assert_eq!(chat_of(&cb), Some(7));
        let inline = json!({"update_id": 3, "inline_query": {"from": {"id": 9}}});
        assert_eq!(chat_of(&inline), Some(9));
        let bare = json!({"update_id": 4, "poll": {"id": "x"}});
        assert_eq!(chat_of(&bare), None);
    }

    #[test]
    fn shards_are_stable_and_in_range() {
        assert_eq!(shard_of("12345", 16), shard_of("12345", 16));
        for n in [1u16, 2, 16, 1024] {
            assert!((0..1000).all(|i| shard_of(&i.to_string(), n) < n));
        }
    }

    #[test]
    fn bad_settings_are_refused() {
        let url = "redis://127.0.0.1:1";
        assert!(RedisQueue::new(url, "").is_err());
        assert!(RedisQueue::new(url, "a{b}").is_err());
        assert!(RedisQueue::builder(url, "n").shards(0).build().is_err());
        assert!(RedisQueue::builder(url, "n")
            .claim_after(Duration::from_millis(10))
            .build()
            .is_err());
        let err = RedisQueue::new("redis://user:hunter2@[bad", "n").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(RedisQueue::new(url, "n").is_ok());
    }
}
