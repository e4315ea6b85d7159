//! Throttle benchmark (not a test: it prints figures, asserts nothing).
//!
//! 1. Decisions per second: sends through a client whose transport answers
//!    at once, with limits so high that nothing waits, so that the time is
//!    the client's plus the throttle's; without a throttle, with the local
//!    one, and with limits shared in Redis. Sequential and 64 at a time.
//! 2. Added latency per send: sequential sends to the mock Bot API server
//!    over loopback, without a throttle, with the local one and with Redis.
//!
//! `cargo run --release` (in this folder); Redis from `REDIS_URL`, else a
//! private `redis-server` on a free port.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use botapi::throttle::{Rate, RedisLimits, Throttle};
use botapi::transport::{BoxFuture, Download, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};
use botapi::Client;
use botapi_tests::{MockBotApi, Recorded, Reply};

/// Answers every send at once with a message.
struct Instant200;

const REPLY: &str = r#"{"ok":true,"result":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"x"}}"#;

impl Transport for Instant200 {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async {
            Ok(HttpResponse {
                status: 200,
                body: bytes(REPLY),
            })
        })
    }
    fn download(&self, _url: String) -> BoxFuture<'_, Result<Download, TransportError>> {
        Box::pin(async { Err(TransportError::new(TransportErrorKind::Other, "no downloads")) })
    }
}

fn bytes(s: &'static str) -> bytes::Bytes {
    bytes::Bytes::from_static(s.as_bytes())
}

fn roomy() -> Throttle {
    Throttle::default()
        .per_chat(Rate::per_second(1_000_000))
        .per_group(Rate::per_second(1_000_000))
        .global(Rate::per_second(1_000_000))
        .paid_broadcast(Rate::per_second(1_000_000))
        .margin(Duration::ZERO)
}

fn client(throttle: Option<Throttle>, transport: Option<Instant200>, base: &str) -> Client {
    let mut b = Client::builder("1:bench").base_url(base);
    if let Some(t) = transport {
        b = b.transport(t);
    }
    if let Some(t) = throttle {
        b = b.throttle(t);
    }
    b.build().expect("client")
}

/// Sends per second: `n` sends over 1000 chats, `parallel` at a time.
async fn rate(client: &Client, n: usize, parallel: usize) -> f64 {
    let start = Instant::now();
    let per = n / parallel;
    let tasks: Vec<_> = (0..parallel)
        .map(|p| {
            let client = client.clone();
            tokio::spawn(async move {
                for i in 0..per {
                    let chat = ((p * per + i) % 1000) as i64 + 1;
                    client.send_message(chat, "x").await.expect("send");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    (per * parallel) as f64 / start.elapsed().as_secs_f64()
}

/// Latencies of `n` sequential sends (to `n` chats, so none waits).
async fn latencies(client: &Client, n: usize) -> (f64, f64, f64) {
    let mut all = Vec::with_capacity(n);
    for i in 0..n {
        let start = Instant::now();
        client.send_message(10_000 + i as i64, "x").await.expect("send");
        all.push(start.elapsed().as_secs_f64() * 1e6);
    }
    all.sort_by(|a, b| a.total_cmp(b));
    let mean = all.iter().sum::<f64>() / n as f64;
    (all[n / 2], all[n * 99 / 100], mean)
}

fn redis() -> (String, Option<Child>) {
    if let Ok(url) = std::env::var("REDIS_URL") {
        return (url, None);
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server (or set REDIS_URL)");
    let url = format!("redis://127.0.0.1:{port}");
    for _ in 0..200 {
        if botapi_tests::redis::ping(&url) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (url, Some(child))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (redis_url, mut own) = redis();
    let shared = |ns: &str| roomy().shared(RedisLimits::new(&redis_url).namespace(ns));
    println!("## decisions per second (transport answers at once; nothing waits)");
    println!("| client | sequential sends/s | 64 at a time, sends/s |");
    println!("|---|---:|---:|");
    for (name, throttle, n) in [
        ("no throttle", None, 200_000),
        ("local throttle", Some(roomy()), 200_000),
        ("shared in Redis", Some(shared("bench-rate")), 20_000),
    ] {
        let c = client(throttle, Some(Instant200), "http://127.0.0.1:9");
        rate(&c, n / 10, 1).await; // warm-up
        let seq = rate(&c, n, 1).await;
        let par = rate(&c, n, 64).await;
        println!("| {name} | {seq:.0} | {par:.0} |");
    }

    let server = MockBotApi::start().await;
    server.otherwise(|_r: &Recorded| Reply::json(200, serde_json::from_str(REPLY).unwrap()));
    println!();
    println!("## latency of one send to the mock server over loopback (µs; no limit binds)");
    println!("| client | p50 | p99 | mean |");
    println!("|---|---:|---:|---:|");
    for (name, throttle) in [
        ("no throttle", None),
        ("local throttle", Some(roomy())),
        ("shared in Redis", Some(shared("bench-latency"))),
    ] {
        let c = client(throttle, None, &server.url());
        latencies(&c, 500).await; // warm-up (connections, script load)
        let (p50, p99, mean) = latencies(&c, 5_000).await;
        println!("| {name} | {p50:.0} | {p99:.0} | {mean:.0} |");
    }
    if let Some(child) = &mut own {
        let _ = child.kill();
        let _ = child.wait();
    }
}
