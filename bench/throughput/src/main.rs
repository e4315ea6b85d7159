//! Client throughput: one process sends `sendMessage` to the mock Bot API
//! server through one library, with 1, 16 and 64 requests in flight, and
//! prints requests per second and the latency of each request.
//!
//!     throughput --lib botapi|frankenstein|teloxide --url http://127.0.0.1:PORT
//!                [--in-flight 1,16,64] [--requests 20000] [--warmup 2000]
//!                [--threads N]
//!
//! Each library's client is built the way its documentation shows, with
//! its default HTTP settings; only the server URL is changed. `in flight`
//! is that many tokio tasks, each sending its next request as soon as the
//! previous one is answered, until `--requests` have been sent in all. A
//! warm-up of `--warmup` requests at the same concurrency comes first (it
//! also opens the keep-alive connections). Every reply is decoded and its
//! `message_id` checked. The runtime is tokio's multi-thread one with a
//! worker per core, as `#[tokio::main]` gives (`--threads` changes that).
//!
//! Output, one line per level:
//! `lib=botapi in_flight=16 requests=20000 secs=0.812 rps=24630 p50_us=612 p99_us=1410 mean_us=648 cpu_us_per_req=41.0`
//! (`cpu_us_per_req`: this process's CPU time over the timed requests, all
//! threads, from `/proc/self/stat`, so in steps of 10 ms.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The system allocator, counting calls while `COUNTING` is on (one relaxed
/// load per call otherwise).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(
                new_size.saturating_sub(layout.size()) as u64,
                Ordering::Relaxed,
            );
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const TOKEN: &str = "7000000001:AAbenchmark-token-for-the-mock-server";
const CHAT: i64 = 123_456_789;
const SENT_ID: i64 = 4242;

/// Sends one sendMessage (the `n`th) and checks the reply.
trait Sender: Clone + Send + Sync + 'static {
    fn send(&self, n: u64) -> impl Future<Output = Result<(), String>> + Send;
}

fn text(n: u64) -> String {
    format!("broadcast message {n}")
}

#[derive(Clone)]
struct Botapi(botapi::Client);

impl Sender for Botapi {
    async fn send(&self, n: u64) -> Result<(), String> {
        let sent = self
            .0
            .send_message(CHAT, text(n))
            .await
            .map_err(|e| e.to_string())?;
        check(sent.message_id.get())
    }
}

#[derive(Clone)]
struct Frankenstein(frankenstein::client_reqwest::Bot);

impl Sender for Frankenstein {
    async fn send(&self, n: u64) -> Result<(), String> {
        use frankenstein::AsyncTelegramApi;
        let params = frankenstein::methods::SendMessageParams::builder()
            .chat_id(CHAT)
            .text(text(n))
            .build();
        let sent = self
            .0
            .send_message(&params)
            .await
            .map_err(|e| e.to_string())?;
        check(sent.result.message_id.into())
    }
}

#[derive(Clone)]
struct Teloxide(teloxide_core::Bot);

impl Sender for Teloxide {
    async fn send(&self, n: u64) -> Result<(), String> {
        use teloxide_core::prelude::Requester;
        let sent = self
            .0
            .send_message(teloxide_core::types::ChatId(CHAT), text(n))
            .await
            .map_err(|e| e.to_string())?;
        check(sent.id.0.into())
    }
}

fn check(message_id: i64) -> Result<(), String> {
    if message_id == SENT_ID {
        Ok(())
    } else {
        Err(format!("unexpected message_id {message_id}"))
    }
}

/// `total` requests through `sender`, `in_flight` at a time: the wall time
/// and each request's latency in nanoseconds.
async fn run<S: Sender>(sender: &S, in_flight: usize, total: u64) -> (Duration, Vec<u64>) {
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..in_flight)
        .map(|_| {
            let sender = sender.clone();
            let next = next.clone();
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity((total as usize / in_flight) + 16);
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        break;
                    }
                    let t = Instant::now();
                    if let Err(e) = sender.send(n).await {
                        panic!("request {n} failed: {e}");
                    }
                    lat.push(t.elapsed().as_nanos() as u64);
                }
                lat
            })
        })
        .collect();
    let mut all = Vec::with_capacity(total as usize);
    for t in tasks {
        all.extend(t.await.expect("a sending task panicked"));
    }
    (start.elapsed(), all)
}

/// CPU time (user + system) of this process so far, in seconds, from
/// `/proc/self/stat` (clock ticks, usually 100 per second).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime and
    // stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

async fn measure<S: Sender>(lib: &str, sender: S, levels: &[usize], requests: u64, warmup: u64) {
    // Allocations per request, one at a time, on a warm connection (the
    // whole process: client, runtime, HTTP; the latency bookkeeping above
    // allocates nothing per request once its Vec is sized).
    const COUNTED: u64 = 2000;
    run(&sender, 1, 200).await;
    COUNTING.store(true, Ordering::SeqCst);
    run(&sender, 1, COUNTED).await;
    COUNTING.store(false, Ordering::SeqCst);
    println!(
        "lib={lib} allocs_per_req={:.1} alloc_bytes_per_req={:.0}",
        ALLOCS.load(Ordering::SeqCst) as f64 / COUNTED as f64,
        BYTES.load(Ordering::SeqCst) as f64 / COUNTED as f64,
    );
    for &in_flight in levels {
        if warmup > 0 {
            run(&sender, in_flight, warmup).await;
        }
        let cpu0 = cpu_seconds();
        let (wall, mut lat) = run(&sender, in_flight, requests).await;
        let cpu = cpu_seconds() - cpu0;
        lat.sort_unstable();
        let secs = wall.as_secs_f64();
        let mean = lat.iter().sum::<u64>() as f64 / lat.len() as f64;
        println!(
            "lib={lib} in_flight={in_flight} requests={requests} secs={secs:.3} rps={:.0} p50_us={:.1} p99_us={:.1} mean_us={:.1} cpu_us_per_req={:.1}",
            requests as f64 / secs,
            percentile(&lat, 0.50) as f64 / 1e3,
            percentile(&lat, 0.99) as f64 / 1e3,
            mean / 1e3,
            cpu * 1e6 / requests as f64,
        );
    }
}

fn main() {
    let mut lib = String::new();
    let mut url = String::new();
    let mut levels = vec![1, 16, 64];
    let mut requests = 20_000u64;
    let mut warmup = 2_000u64;
    let mut threads = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--lib" => lib = value(),
            "--url" => url = value().trim_end_matches('/').to_string(),
            "--in-flight" => {
                levels = value()
                    .split(',')
                    .map(|s| s.parse().expect("--in-flight N,N,.."))
                    .collect()
            }
            "--requests" => requests = value().parse().expect("--requests N"),
            "--warmup" => warmup = value().parse().expect("--warmup N"),
            "--threads" => threads = value().parse().expect("--threads N"),
            _ => panic!("unknown argument {a}"),
        }
    }
    assert!(!url.is_empty(), "--url of the mock server is required");
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if threads > 0 {
        rt.worker_threads(threads);
    }
    let rt = rt.enable_all().build().expect("tokio runtime");
    rt.block_on(async {
        match lib.as_str() {
            "botapi" => {
                let client = botapi::Client::builder(TOKEN)
                    .base_url(&url)
                    .build()
                    .expect("botapi client");
                measure(&lib, Botapi(client), &levels, requests, warmup).await
            }
            "frankenstein" => {
                let bot = frankenstein::client_reqwest::Bot::new_url(format!("{url}/bot{TOKEN}"));
                measure(&lib, Frankenstein(bot), &levels, requests, warmup).await
            }
            "teloxide" => {
                let api = url::Url::parse(&url).expect("--url");
                let bot = teloxide_core::Bot::new(TOKEN).set_api_url(api);
                measure(&lib, Teloxide(bot), &levels, requests, warmup).await
            }
            _ => panic!("--lib botapi|frankenstein|teloxide"),
        }
    });
}
