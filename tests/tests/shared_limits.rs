//! Flood limits shared through a real Redis (feature `redis`), against the
//! mock Bot API server, which records when each request arrives.
//!
//! The acceptance run: three processes (this test binary started again with
//! `BOTAPI_TEST_ROLE=sender`) send 200 messages to 10 chats through one
//! Redis; the server never sees more than 30 in any one-second window nor
//! two in one second in any chat, and each process's messages reach each
//! chat in the order it sent them. A second run makes the bot-wide limit the
//! one that binds. In-process tests cover a 429 paused for every client, and
//! what happens when Redis cannot be reached (the local limits go on).

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use botapi::throttle::{RedisLimits, Throttle};
use botapi::Client;
use botapi_tests::redis::{unreachable_url, TestRedis};
use botapi_tests::{MockBotApi, Recorded, Reply};
use serde_json::json;

const ROLE: &str = "BOTAPI_TEST_ROLE";

/// Entry point of the sender processes; does nothing in a normal test run.
#[test]
fn role() {
    if std::env::var(ROLE).as_deref() == Ok("sender") {
        sender();
    }
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

/// Send the planned messages (`chat:seq,...`), all started at once in plan
/// order on one thread, through a throttle shared in Redis.
fn sender() {
    let me = var("SENDER");
    let plan: Vec<(i64, u32)> = var("PLAN")
        .split(',')
        .map(|p| {
            let (c, k) = p.split_once(':').expect("chat:seq");
            (c.parse().expect("chat"), k.parse().expect("seq"))
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        // A generous timeout: on a loaded CI machine a Redis reply can take
        // longer than the default 250 ms, and a fallback to local limits
        // would make this process keep its own count.
        let limits = RedisLimits::new(var("REDIS_URL"))
            .namespace(var("NS"))
            .timeout(Duration::from_secs(2));
        let client = Client::builder("1:x")
            .base_url(var("MOCK_URL"))
            .throttle(Throttle::default().shared(limits))
            .build()
            .expect("client");
        let tasks: Vec<_> = plan
            .into_iter()
            .map(|(chat, seq)| {
                let client = client.clone();
                let text = format!("{me}:{seq}");
                tokio::spawn(async move { client.send_message(chat, text).await })
            })
            .collect();
        for task in tasks {
            task.await.expect("task").expect("send");
        }
        let stats = client.throttle_stats().expect("a throttle");
        println!(
            "sender {me}: done, {} sends without Redis",
            stats.shared_fallbacks
        );
        assert_eq!(stats.shared_fallbacks, 0, "Redis was there all along");
    });
}

/// A mock that answers each send with a message in its chat.
async fn server() -> MockBotApi {
    let server = MockBotApi::start().await;
    server.otherwise(|r: &Recorded| {
        let body = r.json.clone().unwrap_or_default();
        Reply::ok(json!({
            "message_id": 1, "date": 1,
            "chat": {"id": body["chat_id"], "type": "private"},
            "text": body["text"],
        }))
    });
    server
}

/// Run one sender process per plan and wait for all of them.
async fn run_senders(server: &MockBotApi, redis: &TestRedis, ns: &str, plans: Vec<String>) {
    let exe = std::env::current_exe().expect("test binary");
    let children: Vec<_> = plans
        .into_iter()
        .enumerate()
        .map(|(i, plan)| {
            Command::new(&exe)
                .args(["--exact", "role", "--nocapture", "--test-threads=1"])
                .env(ROLE, "sender")
                .env("SENDER", i.to_string())
                .env("PLAN", plan)
                .env("MOCK_URL", server.url())
                .env("REDIS_URL", redis.url())
                .env("NS", ns)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start a sender")
        })
        .collect();
    for child in children {
        let out = tokio::task::spawn_blocking(move || child.wait_with_output())
            .await
            .expect("join")
            .expect("sender output");
        let text = String::from_utf8_lossy(&out.stdout);
        let errors = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a sender failed:\n{text}\n{errors}");
        for line in text.lines().filter(|l| l.starts_with("sender ")) {
            println!("{line}");
        }
    }
}

struct Arrival {
    at: Instant,
    chat: i64,
    sender: String,
    seq: u32,
}

fn arrivals(server: &MockBotApi) -> Vec<Arrival> {
    let mut all: Vec<Arrival> = server
        .requests()
        .iter()
        .filter(|r| r.method == "sendMessage")
        .map(|r| {
            let body = r.json.clone().unwrap_or_default();
            let text = body["text"].as_str().unwrap_or_default().to_string();
            let (sender, seq) = text.split_once(':').expect("sender:seq");
            Arrival {
                at: r.at,
                chat: body["chat_id"].as_i64().expect("chat id"),
                sender: sender.to_string(),
                seq: seq.parse().expect("seq"),
            }
        })
        .collect();
    all.sort_by_key(|a| a.at);
    all
}

/// The most arrivals in any window of `span` starting at an arrival.
fn busiest(times: &[Instant], span: Duration) -> usize {
    let mut most = 0;
    let mut end = 0;
    for (start, t) in times.iter().enumerate() {
        while end < times.len() && times[end] < *t + span {
            end += 1;
        }
        most = most.max(end - start);
    }
    most
}

/// Arrivals in each chat are a second apart, and each sender's messages
/// arrive in the order it sent them.
fn check_chats(all: &[Arrival]) {
    let mut by_chat: BTreeMap<i64, Vec<&Arrival>> = BTreeMap::new();
    for a in all {
        by_chat.entry(a.chat).or_default().push(a);
    }
    let mut closest = Duration::MAX;
    for (chat, list) in &by_chat {
        for pair in list.windows(2) {
            let gap = pair[1].at - pair[0].at;
            closest = closest.min(gap);
            assert!(
                gap >= Duration::from_secs(1),
                "chat {chat}: two sends {gap:?} apart"
            );
        }
        let mut last: BTreeMap<&str, u32> = BTreeMap::new();
        for a in list {
            if let Some(prev) = last.insert(&a.sender, a.seq) {
                assert!(
                    prev < a.seq,
                    "chat {chat}: sender {} sent {} before {}",
                    a.sender,
                    prev,
                    a.seq
                );
            }
        }
    }
    if closest < Duration::MAX {
        println!("closest two sends in one chat: {closest:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_keep_the_limits_together() {
    let Some(redis) = TestRedis::get("three_processes") else {
        return;
    };
    let server = server().await;
    // 10 chats, 20 messages each; message k of a chat is sent by process k % 3.
    let mut plans = vec![Vec::new(); 3];
    for seq in 0..20u32 {
        for chat in 1..=10 {
            plans[seq as usize % 3].push(format!("{chat}:{seq}"));
        }
    }
    let start = Instant::now();
    run_senders(
        &server,
        &redis,
        redis.namespace(),
        plans.iter().map(|p| p.join(",")).collect(),
    )
    .await;
    let took = start.elapsed();
    let all = arrivals(&server);
    assert_eq!(all.len(), 200);
    let times: Vec<Instant> = all.iter().map(|a| a.at).collect();
    let most = busiest(&times, Duration::from_secs(1));
    assert!(most <= 30, "{most} sends arrived within one second");
    check_chats(&all);
    println!("200 messages to 10 chats from 3 processes in {took:?}; at most {most} in any second");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_share_the_bot_wide_limit() {
    let Some(redis) = TestRedis::get("bot_wide") else {
        return;
    };
    let server = server().await;
    // 150 chats, one message each, 50 per process.
    let plans: Vec<String> = (0..3)
        .map(|p| {
            (0..50)
                .map(|i| format!("{}:0", 1000 + p * 50 + i))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    let start = Instant::now();
    run_senders(&server, &redis, redis.namespace(), plans).await;
    let took = start.elapsed();
    let all = arrivals(&server);
    assert_eq!(all.len(), 150);
    let times: Vec<Instant> = all.iter().map(|a| a.at).collect();
    let most = busiest(&times, Duration::from_secs(1));
    assert!(most <= 30, "{most} sends arrived within one second");
    assert!(
        took >= Duration::from_secs(4),
        "150 at 30 per second took {took:?}"
    );
    println!(
        "150 messages to 150 chats from 3 processes in {took:?}; at most {most} in any second"
    );
}

fn shared_client(server: &MockBotApi, redis_url: &str, ns: &str) -> Client {
    let limits = RedisLimits::new(redis_url)
        .namespace(ns)
        .timeout(Duration::from_secs(2)) // see `sender`
        .retry_every(Duration::from_millis(200));
    Client::builder("1:x")
        .base_url(server.url())
        .throttle(Throttle::default().shared(limits))
        .build()
        .unwrap()
}

#[tokio::test]
async fn two_clients_keep_one_chat_to_one_per_second() {
    let Some(redis) = TestRedis::get("two_clients") else {
        return;
    };
    let server = server().await;
    let a = shared_client(&server, redis.url(), redis.namespace());
    let b = shared_client(&server, redis.url(), redis.namespace());
    for i in 0..3 {
        let (x, y) = tokio::join!(
            a.send_message(77, format!("a:{i}")),
            b.send_message(77, format!("b:{i}"))
        );
        x.unwrap();
        y.unwrap();
    }
    let all = arrivals(&server);
    assert_eq!(all.len(), 6);
    check_chats(&all);
}

#[tokio::test]
async fn a_429_pauses_the_chat_for_every_client() {
    let Some(redis) = TestRedis::get("shared_429") else {
        return;
    };
    let server = server().await;
    server.reply_when(
        |r| r.json.as_ref().is_some_and(|j| j["text"] == "a:0"),
        Reply::error(
            429,
            "Too Many Requests: retry after 3",
            Some(json!({"retry_after": 3})),
        ),
    );
    let a = shared_client(&server, redis.url(), redis.namespace());
    let b = shared_client(&server, redis.url(), redis.namespace());
    a.send_message(5, "a:0").await.unwrap_err();
    b.send_message(5, "b:0").await.unwrap();
    b.send_message(6, "b:1").await.unwrap();
    let all = arrivals(&server);
    let at = |chat: i64, sender: &str| {
        all.iter()
            .find(|x| x.chat == chat && x.sender == sender)
            .map(|x| x.at)
            .unwrap()
    };
    let paused = at(5, "b") - at(5, "a");
    assert!(
        paused >= Duration::from_secs(3),
        "the other client waited only {paused:?}"
    );
    println!("the other client's send to the refused chat waited {paused:?}");
}

#[tokio::test]
async fn without_redis_the_local_limits_go_on() {
    let server = server().await;
    let client = shared_client(&server, &unreachable_url(), "unreachable");
    let start = Instant::now();
    for i in 0..3 {
        client.send_message(8, format!("l:{i}")).await.unwrap();
    }
    // The sends went out, still one per second in the chat.
    let all = arrivals(&server);
    assert_eq!(all.len(), 3);
    check_chats(&all);
    assert!(start.elapsed() < Duration::from_secs(10));
    let stats = client.throttle_stats().unwrap();
    assert_eq!(stats.shared_fallbacks, 3, "{stats:?}");
}

#[tokio::test]
async fn a_redis_that_goes_away_is_fallen_back_from() {
    // Needs a Redis of its own to stop: only where redis-server is installed.
    let Some((url, mut child)) = own_redis() else {
        assert!(std::env::var_os("CI").is_none(), "CI installs redis-server");
        println!("skipped: no redis-server binary to start and stop");
        return;
    };
    let server = server().await;
    let client = shared_client(&server, &url, "goes-away");
    client.send_message(1, "r:0").await.unwrap();
    assert_eq!(client.throttle_stats().unwrap().shared_fallbacks, 0);
    let _ = child.kill();
    let _ = child.wait();
    let start = Instant::now();
    client.send_message(2, "r:1").await.unwrap();
    client.send_message(3, "r:2").await.unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "no long wait for a dead Redis"
    );
    assert!(client.throttle_stats().unwrap().shared_fallbacks >= 1);
}

/// A private redis-server (killed by the caller), if the binary exists.
fn own_redis() -> Option<(String, std::process::Child)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let url = format!("redis://127.0.0.1:{port}");
    for _ in 0..500 {
        if botapi_tests::redis::ping(&url) {
            return Some((url, child));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}
