//! Updates that survive a worker (feature `redis`), with a real Redis: the
//! webhook receiver stores each update before answering 200 (503 when Redis
//! is away), recognises Telegram's repeated deliveries, and worker
//! processes (this test binary started again with
//! `BOTAPI_TEST_ROLE=worker`) hand each update out in order per chat. One
//! worker is killed with SIGKILL halfway through 5,000 updates: every update
//! is still handled, in order per chat, and the double handlings are
//! counted and printed.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use botapi::queue::{RedisQueue, Stored};
use botapi::webhook::{Webhook, SECRET_TOKEN_HEADER};
use botapi_tests::redis::{unreachable_url, TestRedis};
use serde_json::json;

const ROLE: &str = "BOTAPI_TEST_ROLE";
const SECRET: &str = "queue-test-secret_0123456789";
const SHARDS: u16 = 8;
// Long enough that a live worker stalled by a loaded CI machine keeps its
// streams; short enough that the killed worker's are taken over soon.
const CLAIM_AFTER: Duration = Duration::from_secs(3);

/// Entry point of the worker processes; does nothing in a normal test run.
#[test]
fn role() {
    if std::env::var(ROLE).as_deref() == Ok("worker") {
        worker();
    }
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

fn queue(url: &str, ns: &str) -> RedisQueue {
    RedisQueue::builder(url, ns)
        .shards(SHARDS)
        .claim_after(CLAIM_AFTER)
        .build()
        .expect("queue settings")
}

/// Handle updates until killed: each one is logged to a Redis list (the
/// handling whose order and count the test checks), then a short pause.
fn worker() {
    let name = var("WORKER");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let url = var("REDIS_URL");
        let queue = queue(&url, &var("NS"));
        let log_key = var("LOG");
        let client = redis::Client::open(url.as_str()).expect("redis url");
        let mut log = client
            .get_multiplexed_async_connection()
            .await
            .expect("redis for the log");
        let mut worker = queue.worker(name.clone()).await.expect("worker");
        println!("worker {name}: started");
        loop {
            let delivery = match worker.next().await {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("worker {name}: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let chat = match &delivery.update.kind {
                botapi::types::UpdateKind::Message(m) => i64::from(m.chat.id),
                _ => 0,
            };
            let line = format!(
                "{name} {} {chat} {}",
                delivery.update.update_id, delivery.redelivered
            );
            redis::cmd("RPUSH")
                .arg(&log_key)
                .arg(line)
                .query_async::<i64>(&mut log)
                .await
                .expect("log");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    });
}

fn start_worker(name: &str, redis: &TestRedis, log: &str) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "role", "--nocapture", "--test-threads=1"])
        .env(ROLE, "worker")
        .env("WORKER", name)
        .env("REDIS_URL", redis.url())
        .env("NS", redis.namespace())
        .env("LOG", log)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a worker")
}

fn update(id: i64, chat: i64) -> serde_json::Value {
    json!({"update_id": id, "message": {
        "message_id": id, "date": 1,
        "chat": {"id": chat, "type": if chat < 0 { "group" } else { "private" }, "title": "t"},
        "text": format!("update {id}")
    }})
}

/// An HTTP client (reqwest shares botapi's TLS setup, which needs ring
/// installed, even for plain HTTP).
fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// POST an update like Telegram does: again after a 503, until it is taken.
async fn deliver(http: &reqwest::Client, url: &str, body: &serde_json::Value) -> u32 {
    let mut refused = 0;
    loop {
        let status = http
            .post(url)
            .header(SECRET_TOKEN_HEADER, SECRET)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .map(|r| r.status().as_u16());
        match status {
            Ok(200) => return refused,
            Ok(503) | Err(_) => {
                refused += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Ok(other) => panic!("update refused with {other}"),
        }
    }
}

async fn redis_conn(url: &str) -> redis::aio::MultiplexedConnection {
    redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_updates_survive_a_killed_worker() {
    let Some(redis) = TestRedis::get("killed_worker") else {
        return;
    };
    const UPDATES: i64 = 5000;
    const CHATS: i64 = 50;
    let queue = queue(redis.url(), redis.namespace());
    let webhook = Webhook::new(SECRET).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = webhook.serve_into(&queue, listener).await.unwrap();
    let url = format!("http://{}/", server.local_addr());
    let log = format!("{}:log", redis.namespace());
    let mut workers: Vec<Child> = (0..3)
        .map(|i| start_worker(&format!("w{i}"), &redis, &log))
        .collect();
    // Chats 1..=25 are private, -1..=-25 groups; update i goes to chat i % 50.
    let chat_of = |id: i64| {
        let c = id % CHATS;
        if c < CHATS / 2 {
            c + 1
        } else {
            -(c - CHATS / 2 + 1)
        }
    };
    // Eight connections, like Telegram's; each carries the updates of its
    // chats in order, and every 50th update twice (a repeated delivery).
    let started = Instant::now();
    let feeders: Vec<_> = (0..8)
        .map(|lane| {
            let http = http();
            let url = url.clone();
            tokio::spawn(async move {
                let mut refused = 0;
                for id in 1..=UPDATES {
                    if (id % CHATS) % 8 != lane {
                        continue;
                    }
                    let body = update(id, chat_of(id));
                    refused += deliver(&http, &url, &body).await;
                    if id % 50 == 0 {
                        refused += deliver(&http, &url, &body).await;
                    }
                }
                refused
            })
        })
        .collect();
    // Kill one worker with SIGKILL once a good part is handled.
    let mut conn = redis_conn(redis.url()).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let handled: i64 = redis::cmd("LLEN")
            .arg(&log)
            .query_async(&mut conn)
            .await
            .unwrap();
        if handled >= 1500 {
            break;
        }
        assert!(Instant::now() < deadline, "only {handled} handled");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    workers[0].kill().expect("SIGKILL");
    workers[0].wait().expect("reaped");
    let killed_at = started.elapsed();
    let mut refused = 0;
    for feeder in feeders {
        refused += feeder.await.unwrap();
    }
    // Wait until everything is handled and acknowledged.
    let lines: Vec<String> = loop {
        let lines: Vec<String> = redis::cmd("LRANGE")
            .arg(&log)
            .arg(0)
            .arg(-1)
            .query_async(&mut conn)
            .await
            .unwrap();
        let distinct: BTreeSet<&str> = lines.iter().filter_map(|l| l.split(' ').nth(1)).collect();
        if distinct.len() as i64 == UPDATES && queue.backlog().await.unwrap() == 0 {
            break lines;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {UPDATES} handled, backlog {}",
            distinct.len(),
            queue.backlog().await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    for w in &mut workers[1..] {
        let _ = w.kill();
        let _ = w.wait();
    }
    server.shutdown().await.unwrap();

    // Every update handled; in order in each chat; count double handling.
    let mut per_chat: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut by_worker: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut doubles = 0;
    for line in &lines {
        let mut parts = line.split(' ');
        let worker = parts.next().unwrap().to_string();
        let id: i64 = parts.next().unwrap().parse().unwrap();
        let chat: i64 = parts.next().unwrap().parse().unwrap();
        assert_eq!(chat, chat_of(id), "update {id} in the wrong chat");
        *by_worker.entry(worker).or_default() += 1;
        if !seen.insert(id) {
            doubles += 1;
            continue;
        }
        per_chat.entry(chat).or_default().push(id);
    }
    assert_eq!(seen.len() as i64, UPDATES, "lost updates");
    for (chat, ids) in &per_chat {
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, &sorted, "chat {chat} handled out of order");
    }
    // Only the update the killed worker was handling can be handled twice.
    assert!(doubles <= 1, "{doubles} updates handled twice");
    println!(
        "{UPDATES} updates (+{} repeated deliveries, {refused} answered 503) to {} chats, \
         3 workers, w0 killed with SIGKILL after {killed_at:?}: all handled in order per chat, \
         {doubles} handled twice, in {:?}; handled per worker: {by_worker:?}",
        UPDATES / 50,
        per_chat.len(),
        started.elapsed()
    );
}

#[tokio::test]
async fn repeated_deliveries_are_stored_once() {
    let Some(redis) = TestRedis::get("repeated") else {
        return;
    };
    let queue = queue(redis.url(), redis.namespace());
    let body = update(77, 5).to_string();
    assert_eq!(queue.store(body.as_bytes()).await.unwrap(), Stored::New);
    assert_eq!(
        queue.store(body.as_bytes()).await.unwrap(),
        Stored::Repeated
    );
    assert!(queue.store(b"{\"not\": \"an update\"}").await.is_err());
    assert_eq!(queue.backlog().await.unwrap(), 1);
    let mut worker = queue.worker("solo").await.unwrap();
    let first = worker.next().await.unwrap();
    assert_eq!(first.update.update_id, 77);
    assert!(!first.redelivered);
    worker.ack().await.unwrap();
    assert_eq!(queue.backlog().await.unwrap(), 0);
    worker.stop().await.unwrap();
}

#[tokio::test]
async fn a_worker_that_stops_without_acknowledging_is_taken_over_in_order() {
    let Some(redis) = TestRedis::get("taken_over") else {
        return;
    };
    let queue = queue(redis.url(), redis.namespace());
    for id in 1..=5 {
        queue
            .store(update(id, 42).to_string().as_bytes())
            .await
            .unwrap();
    }
    let mut first = queue.worker("first").await.unwrap();
    assert_eq!(first.next().await.unwrap().update.update_id, 1);
    assert_eq!(first.next().await.unwrap().update.update_id, 2);
    // Dies while handling update 2 (never acknowledged); its heartbeat stops.
    drop(first);
    let started = Instant::now();
    let mut second = queue.worker("second").await.unwrap();
    let again = second.next().await.unwrap();
    assert!(
        started.elapsed() >= CLAIM_AFTER / 2,
        "waited for the lease to lapse"
    );
    assert_eq!(again.update.update_id, 2);
    assert!(again.redelivered);
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(second.next().await.unwrap().update.update_id);
    }
    assert_eq!(ids, [3, 4, 5]);
    second.stop().await.unwrap();
}

#[tokio::test]
async fn the_receiver_answers_503_while_redis_is_away() {
    let queue = queue(&unreachable_url(), "away");
    let webhook = Webhook::new(SECRET).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = webhook.serve_into(&queue, listener).await.unwrap();
    let url = format!("http://{}/", server.local_addr());
    let http = http();
    let post = |secret: &'static str, body: String| {
        http.post(&url)
            .header(SECRET_TOKEN_HEADER, secret)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let status = post(SECRET, update(1, 1).to_string())
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 503);
    let status = post("wrong-secret", update(1, 1).to_string())
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 401);
    let status = post(SECRET, "{\"nope\": 1}".into()).await.unwrap().status();
    assert_eq!(status.as_u16(), 400);
    let err = queue.worker("w").await.unwrap_err();
    assert!(err.to_string().contains("Redis at 127.0.0.1:"), "{err}");
}
