//! A worker of the update queue: leases on a fair share of the streams,
//! renewed in the background; reads from its streams in order; claims what
//! a dead worker left; acknowledges an update when the caller asks for the
//! next one.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use redis::Value;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::{Inner, QueueError, RedisQueue};
use crate::redis_link::Link;
use crate::types::Update;

/// The consumer group of every stream.
const GROUP: &str = "workers";
/// Entries read or claimed at once per stream.
const BATCH: usize = 32;

/// Registers the worker (ARGV[1]) as alive now, forgets workers silent for
/// ARGV[2] ms, renews the worker's leases (KEYS[2..]) and returns the number
/// of live workers and the positions (1-based) of the leases it lost.
const HEARTBEAT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - tonumber(ARGV[2])))
local lost = {}
for i = 2, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
  else
    table.insert(lost, i - 1)
  end
end
return {redis.call('ZCARD', KEYS[1]), lost}
";

/// Gives a lease (KEYS[1]) up if the worker (ARGV[1]) holds it.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Acknowledges an entry (ARGV[2]) of a stream (KEYS[1]) for the group
/// (ARGV[1]) and deletes it.
const ACK: &str = r"
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])
";

/// An update handed out by [`Worker::next`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Delivery {
    /// The update.
    pub update: Update,
    /// It was taken over from a worker that stopped without acknowledging
    /// it (or from this worker before a Redis failure): it may have been
    /// handled already.
    pub redelivered: bool,
    /// The stream it came from.
    pub shard: u16,
    /// Its entry id in the stream.
    pub entry: String,
}

/// An entry read from a stream, not handed out yet.
struct Entry {
    shard: u16,
    id: String,
    raw: Option<Vec<u8>>,
    redelivered: bool,
}

/// The streams a worker holds, shared with its heartbeat task.
#[derive(Default)]
struct Held {
    /// Shard -> whether the entries left pending in it were claimed since
    /// the lease was taken.
    shards: BTreeMap<u16, bool>,
    /// Leases the heartbeat found taken by another worker.
    lost: BTreeSet<u16>,
    /// Live workers at the last heartbeat.
    live: usize,
}

/// Takes updates from a [`RedisQueue`]; see the module docs for how streams
/// are shared and taken over. Dropping it stops its heartbeat: its streams
/// pass to other workers after `claim_after`; [`Worker::stop`] hands them
/// over at once.
pub struct Worker {
    queue: RedisQueue,
    name: String,
    /// A connection of its own for blocking reads.
    reader: Link,
    held: Arc<Mutex<Held>>,
    buffer: VecDeque<Entry>,
    current: Option<(u16, String)>,
    next_upkeep: Instant,
    heartbeat: JoinHandle<()>,
    heartbeat_script: redis::Script,
    release: redis::Script,
    ack: redis::Script,
}

impl fmt::Debug for Worker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Worker")
            .field("name", &self.name)
            .field("shards", &self.shards())
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Worker {
    pub(super) async fn start(queue: RedisQueue, name: String) -> Result<Worker, QueueError> {
        if name.is_empty() || name.len() > 200 {
            return Err(QueueError::Config(
                "a worker name must have 1 to 200 bytes".into(),
            ));
        }
        let inner = queue.inner().clone();
        inner.agree().await?;
        // A group per stream, reading from the start (entries stored before
        // any worker existed are not skipped).
        let mut conn = inner.conn().await?;
        for shard in 0..inner.shards {
            let created = redis::cmd("XGROUP")
                .arg("CREATE")
                .arg(inner.stream(shard))
                .arg(GROUP)
                .arg("0")
                .arg("MKSTREAM")
                .query_async::<()>(&mut conn)
                .await;
            match created {
                Ok(()) => {}
                Err(e) if e.code() == Some("BUSYGROUP") => {}
                Err(e) => return Err(inner.failed(&e).await),
            }
        }
        let upkeep = upkeep_every(inner.claim_after);
        let reader = Link::open(&inner.url, inner.timeout + upkeep).map_err(QueueError::Config)?;
        let held = Arc::new(Mutex::new(Held::default()));
        let heartbeat_script = redis::Script::new(HEARTBEAT);
        let heartbeat = tokio::spawn(beat(
            inner.clone(),
            name.clone(),
            held.clone(),
            heartbeat_script.clone(),
        ));
        Ok(Worker {
            queue,
            name,
            reader,
            held,
            buffer: VecDeque::new(),
            current: None,
            next_upkeep: Instant::now(),
            heartbeat,
            heartbeat_script,
            release: redis::Script::new(RELEASE),
            ack: redis::Script::new(ACK),
        })
    }

    /// The worker's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The streams it holds now.
    pub fn shards(&self) -> Vec<u16> {
        lock(&self.held).shards.keys().copied().collect()
    }

    fn inner(&self) -> &Arc<Inner> {
        self.queue.inner()
    }

    /// Acknowledge the update handed out last, then wait for the next one.
    /// An error (Redis unreachable) leaves everything not acknowledged in
    /// Redis; calling again picks up where it was, in order.
    pub async fn next(&mut self) -> Result<Delivery, QueueError> {
        let result = self.next_inner().await;
        if result.is_err() {
            // Read again from Redis, in order, once it answers.
            self.buffer.clear();
            lock(&self.held)
                .shards
                .values_mut()
                .for_each(|c| *c = false);
        }
        result
    }

    async fn next_inner(&mut self) -> Result<Delivery, QueueError> {
        self.ack().await?;
        loop {
            if Instant::now() >= self.next_upkeep {
                self.upkeep().await?;
            }
            if let Some(delivery) = self.hand_out().await? {
                return Ok(delivery);
            }
            self.claim_left_over().await?;
            if !self.buffer.is_empty() {
                continue;
            }
            let shards = self.shards();
            if shards.is_empty() {
                tokio::time::sleep_until(self.next_upkeep).await;
                continue;
            }
            self.read_new(&shards).await?;
        }
    }

    /// Acknowledge (and delete) the update handed out last, if any.
    pub async fn ack(&mut self) -> Result<(), QueueError> {
        let Some((shard, id)) = self.current.clone() else {
            return Ok(());
        };
        let inner = self.inner().clone();
        let mut conn = inner.conn().await?;
        let done = self
            .ack
            .key(inner.stream(shard))
            .arg(GROUP)
            .arg(&id)
            .invoke_async::<i64>(&mut conn)
            .await;
        match done {
            Ok(_) => {
                self.current = None;
                Ok(())
            }
            Err(e) => Err(inner.failed(&e).await),
        }
    }

    /// Acknowledge the last update, give every stream up and leave the
    /// list of live workers, so that others take over at once.
    pub async fn stop(mut self) -> Result<(), QueueError> {
        self.ack().await?;
        self.heartbeat.abort();
        let inner = self.inner().clone();
        let mut conn = inner.conn().await?;
        for shard in self.shards() {
            let released = self
                .release
                .key(format!("{}:lease:{shard}", inner.prefix))
                .arg(&self.name)
                .invoke_async::<i64>(&mut conn)
                .await;
            if let Err(e) = released {
                return Err(inner.failed(&e).await);
            }
        }
        let left = redis::cmd("ZREM")
            .arg(format!("{}:workers", inner.prefix))
            .arg(&self.name)
            .query_async::<i64>(&mut conn)
            .await;
        match left {
            Ok(_) => Ok(()),
            Err(e) => Err(inner.failed(&e).await),
        }
    }

    /// The next buffered entry of a stream still held, decoded.
    async fn hand_out(&mut self) -> Result<Option<Delivery>, QueueError> {
        while let Some(entry) = self.buffer.pop_front() {
            if !lock(&self.held).shards.contains_key(&entry.shard) {
                continue;
            }
            let update = entry
                .raw
                .as_deref()
                .and_then(|raw| crate::compat::from_slice::<Update>(raw).ok());
            self.current = Some((entry.shard, entry.id.clone()));
            match update {
                Some(update) => {
                    return Ok(Some(Delivery {
                        update,
                        redelivered: entry.redelivered,
                        shard: entry.shard,
                        entry: entry.id,
                    }))
                }
                None => {
                    // Stored by a receiver that checked it, so this one
                    // cannot read it: drop it rather than block the stream.
                    #[cfg(feature = "tracing")]
                    tracing::warn!(shard = entry.shard, entry = %entry.id, "undecodable update dropped");
                    self.ack().await?;
                }
            }
        }
        Ok(None)
    }

    /// Heartbeat, drop lost streams, and hold a fair share of them.
    async fn upkeep(&mut self) -> Result<(), QueueError> {
        let inner = self.inner().clone();
        self.next_upkeep = Instant::now() + upkeep_every(inner.claim_after);
        let (live, lost) =
            heartbeat(&inner, &self.name, &self.held, &self.heartbeat_script).await?;
        let busy: BTreeSet<u16> = self
            .buffer
            .iter()
            .map(|e| e.shard)
            .chain(self.current.as_ref().map(|c| c.0))
            .collect();
        let mut conn = inner.conn().await?;
        let fair = usize::from(inner.shards).div_ceil(live.max(1));
        let held: Vec<u16> = {
            let mut held = lock(&self.held);
            let mut gone = std::mem::take(&mut held.lost);
            gone.extend(lost);
            for shard in &gone {
                held.shards.remove(shard);
            }
            self.buffer.retain(|e| !gone.contains(&e.shard));
            held.shards.keys().copied().collect()
        };
        if held.len() > fair {
            let extra = held.iter().rev().filter(|s| !busy.contains(s));
            for &shard in extra.take(held.len() - fair) {
                let released = self
                    .release
                    .key(format!("{}:lease:{shard}", inner.prefix))
                    .arg(&self.name)
                    .invoke_async::<i64>(&mut conn)
                    .await;
                if let Err(e) = released {
                    return Err(inner.failed(&e).await);
                }
                lock(&self.held).shards.remove(&shard);
            }
        } else if held.len() < fair {
            let start = super::shard_of(&self.name, inner.shards);
            let mut wanted = fair - held.len();
            for i in 0..inner.shards {
                if wanted == 0 {
                    break;
                }
                let shard = (start + i) % inner.shards;
                if held.contains(&shard) {
                    continue;
                }
                let taken = redis::cmd("SET")
                    .arg(format!("{}:lease:{shard}", inner.prefix))
                    .arg(&self.name)
                    .arg("NX")
                    .arg("PX")
                    .arg(inner.claim_after.as_millis().to_string())
                    .query_async::<Option<String>>(&mut conn)
                    .await;
                match taken {
                    Ok(Some(_)) => {
                        lock(&self.held).shards.insert(shard, false);
                        wanted -= 1;
                    }
                    Ok(None) => {}
                    Err(e) => return Err(inner.failed(&e).await),
                }
            }
        }
        Ok(())
    }

    /// For each stream taken since the last look, claim the entries other
    /// workers (or this one, before a failure) took and did not
    /// acknowledge, oldest first, ahead of anything new.
    async fn claim_left_over(&mut self) -> Result<(), QueueError> {
        let todo: Vec<u16> = lock(&self.held)
            .shards
            .iter()
            .filter(|(_, claimed)| !**claimed)
            .map(|(s, _)| *s)
            .collect();
        if todo.is_empty() {
            return Ok(());
        }
        let inner = self.inner().clone();
        let mut conn = inner.conn().await?;
        for shard in todo {
            let stream = inner.stream(shard);
            let mut cursor = "0-0".to_string();
            loop {
                let reply = redis::cmd("XAUTOCLAIM")
                    .arg(&stream)
                    .arg(GROUP)
                    .arg(&self.name)
                    .arg(0)
                    .arg(&cursor)
                    .arg("COUNT")
                    .arg(BATCH)
                    .query_async::<Value>(&mut conn)
                    .await;
                let reply = match reply {
                    Ok(reply) => reply,
                    Err(e) => return Err(inner.failed(&e).await),
                };
                let parts = items(&reply);
                for (id, raw) in parts.get(1).map(entries).unwrap_or_default() {
                    self.buffer.push_back(Entry {
                        shard,
                        id,
                        raw,
                        redelivered: true,
                    });
                }
                // Entries deleted from the stream while pending: settle them.
                for gone in parts.get(2).map(items).unwrap_or_default() {
                    if let Some(id) = text(&gone) {
                        let _ = redis::cmd("XACK")
                            .arg(&stream)
                            .arg(GROUP)
                            .arg(id)
                            .query_async::<i64>(&mut conn)
                            .await;
                    }
                }
                cursor = parts.first().and_then(text).unwrap_or_else(|| "0-0".into());
                if cursor == "0-0" {
                    break;
                }
            }
            if let Some(claimed) = lock(&self.held).shards.get_mut(&shard) {
                *claimed = true;
            }
        }
        Ok(())
    }

    /// Wait (until the next upkeep at most) for new entries of the streams held.
    async fn read_new(&mut self, shards: &[u16]) -> Result<(), QueueError> {
        let inner = self.inner().clone();
        let wait = self.next_upkeep.saturating_duration_since(Instant::now());
        let mut cmd = redis::cmd("XREADGROUP");
        cmd.arg("GROUP")
            .arg(GROUP)
            .arg(&self.name)
            .arg("COUNT")
            .arg(BATCH)
            .arg("BLOCK")
            .arg(wait.as_millis().max(1) as u64)
            .arg("STREAMS");
        for &shard in shards {
            cmd.arg(inner.stream(shard));
        }
        for _ in shards {
            cmd.arg(">");
        }
        let mut conn = match self.reader.conn().await {
            Ok(conn) => conn,
            Err(e) => return Err(QueueError::Redis(self.reader.failed(&e).await)),
        };
        let reply = match cmd.query_async::<Value>(&mut conn).await {
            Ok(reply) => reply,
            Err(e) => return Err(QueueError::Redis(self.reader.failed(&e).await)),
        };
        for (key, list) in streams(&reply) {
            let Some(shard) = key
                .rsplit_once(":u:")
                .and_then(|(_, s)| s.parse::<u16>().ok())
            else {
                continue;
            };
            for (id, raw) in entries(&list) {
                self.buffer.push_back(Entry {
                    shard,
                    id,
                    raw,
                    redelivered: false,
                });
            }
        }
        Ok(())
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.heartbeat.abort();
    }
}

/// How often a worker renews its leases and looks at its share.
fn upkeep_every(claim_after: Duration) -> Duration {
    (claim_after / 3).min(Duration::from_secs(1))
}

/// One heartbeat: the number of live workers and the streams lost.
async fn heartbeat(
    inner: &Inner,
    name: &str,
    held: &Mutex<Held>,
    script: &redis::Script,
) -> Result<(usize, BTreeSet<u16>), QueueError> {
    let shards: Vec<u16> = lock(held).shards.keys().copied().collect();
    let mut call = script.key(format!("{}:workers", inner.prefix));
    for shard in &shards {
        call.key(format!("{}:lease:{shard}", inner.prefix));
    }
    call.arg(name)
        .arg(inner.claim_after.as_millis().to_string());
    let mut conn = inner.conn().await?;
    let (live, lost): (usize, Vec<usize>) = match call.invoke_async(&mut conn).await {
        Ok(reply) => reply,
        Err(e) => return Err(inner.failed(&e).await),
    };
    let lost: BTreeSet<u16> = lost
        .into_iter()
        .filter_map(|i| shards.get(i.checked_sub(1)?).copied())
        .collect();
    let mut held = lock(held);
    held.live = live;
    held.lost.extend(lost.iter().copied());
    Ok((live, lost))
}

/// Renew the leases while the application handles an update.
async fn beat(inner: Arc<Inner>, name: String, held: Arc<Mutex<Held>>, script: redis::Script) {
    let every = upkeep_every(inner.claim_after);
    loop {
        tokio::time::sleep(every).await;
        // A failure here is seen (and reported) by the next `next()`.
        let _ = heartbeat(&inner, &name, &held, &script).await;
    }
}

/// The elements of an array (or set) reply.
fn items(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(items) | Value::Set(items) => items.clone(),
        _ => Vec::new(),
    }
}

/// A string reply as text.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::SimpleString(s) => Some(s.clone()),
        _ => None,
    }
}

/// Stream entries `[id, [field, value, ...]]` as (id, the `u` field).
fn entries(v: &Value) -> Vec<(String, Option<Vec<u8>>)> {
    items(v)
        .iter()
        .filter_map(|entry| {
            let parts = items(entry);
            let id = text(parts.first()?)?;
            let fields = parts.get(1).map(items).unwrap_or_default();
            let raw = fields
                .chunks(2)
                .find(|kv| text(&kv[0]).as_deref() == Some("u"))
                .and_then(|kv| match kv.get(1) {
                    Some(Value::BulkString(b)) => Some(b.clone()),
                    _ => None,
                });
            Some((id, raw))
        })
        .collect()
}

/// An `XREADGROUP` reply as (stream key, its entries), for either protocol.
fn streams(v: &Value) -> Vec<(String, Value)> {
    match v {
        Value::Map(pairs) => pairs
            .iter()
            .filter_map(|(k, v)| Some((text(k)?, v.clone())))
            .collect(),
        Value::Array(list) => list
            .iter()
            .filter_map(|s| {
                let parts = items(s);
                Some((text(parts.first()?)?, parts.get(1)?.clone()))
            })
            .collect(),
        _ => Vec::new(),
    }
}
