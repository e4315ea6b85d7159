//! The benchmark harness shared by every contender's `bench` binary
//! (included with `#[path]`, so the minimal bots never compile it).
//!
//! Each contender only says how to build its two requests and how to tell a
//! parse that "succeeded" but lost the update (teloxide's
//! `UpdateKind::Error`, botapi's `UpdateKind::Unknown`); everything that is
//! measured is measured by the same code here.
//!
//! Modes (first argument):
//! - `check CORPUS`: parse every update on its own; one line per update,
//!   `ok` or `fail` with the reason, and whether serializing the parsed value
//!   gives back the input (`lossless` / `lossy`).
//! - `bench CORPUS`: `key=value` lines: parse throughput, allocations and
//!   retained heap per update, serialize and validate times, type sizes.
//! - `rss CORPUS hold|stream N`: parse the corpus N times, keeping every
//!   result (`hold`) or dropping each batch (`stream`), then print VmHWM.
//! - `dump`: the two serialized requests, one per line (run.sh checks that
//!   every contender sends the same JSON).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

// ------------------------------------------------------------------ allocator

/// Counts allocations while `COUNTING` is on; a plain pass-through otherwise
/// (one relaxed load per call), so timed loops pay next to nothing for it.
pub struct CountingAlloc;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicI64 = AtomicI64::new(0);

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCS.fetch_add(1, Relaxed);
            BYTES.fetch_add(layout.size() as u64, Relaxed);
            LIVE.fetch_add(layout.size() as i64, Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCS.fetch_add(1, Relaxed);
            BYTES.fetch_add(layout.size() as u64, Relaxed);
            LIVE.fetch_add(layout.size() as i64, Relaxed);
        }
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Relaxed) {
            LIVE.fetch_sub(layout.size() as i64, Relaxed);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCS.fetch_add(1, Relaxed);
            BYTES.fetch_add(new_size as u64, Relaxed);
            LIVE.fetch_add(new_size as i64 - layout.size() as i64, Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

struct Counts {
    allocs: u64,
    bytes: u64,
    live: i64,
}

fn counted<T>(f: impl FnOnce() -> T) -> (T, Counts) {
    ALLOCS.store(0, Relaxed);
    BYTES.store(0, Relaxed);
    LIVE.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    let out = f();
    COUNTING.store(false, Relaxed);
    let c = Counts { allocs: ALLOCS.load(Relaxed), bytes: BYTES.load(Relaxed), live: LIVE.load(Relaxed) };
    (out, c)
}

// ------------------------------------------------------------------ contender

/// What a contender plugs into the harness.
pub struct Contender<U, M, A> {
    pub name: &'static str,
    pub size_update: usize,
    pub size_message: usize,
    /// Decode a getUpdates `result` array the way the library's own client
    /// decodes replies (plain `serde_json::from_str` unless it does more).
    pub parse: fn(&str) -> serde_json::Result<Vec<U>>,
    /// A parse that returned Ok but did not understand the update.
    pub lost: fn(&U) -> Option<String>,
    /// Why an update was lost, found by parsing its inner object directly.
    pub explain: fn(&str, &Value) -> String,
    /// sendMessage with an inline keyboard, as the contender builds it.
    pub send_message: fn() -> M,
    /// sendAudio by file_id with caption, performer, title and duration.
    pub send_audio: fn() -> A,
    /// Client-side validation of the sendMessage, where the library has it.
    pub validate: Option<fn(&M) -> bool>,
}

pub fn main<U, M, A>(c: Contender<U, M, A>)
where
    U: DeserializeOwned + Serialize,
    M: Serialize,
    A: Serialize,
{
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    match arg(0) {
        "check" => check(&c, &read(arg(1))),
        "bench" => bench(&c, &read(arg(1))),
        "rss" => rss(c.parse, &read(arg(1)), arg(2), arg(3).parse().unwrap_or(200)),
        "dump" => {
            println!("{}", serde_json::to_string(&(c.send_message)()).unwrap());
            println!("{}", serde_json::to_string(&(c.send_audio)()).unwrap());
        }
        _ => {
            eprintln!("usage: bench check|bench CORPUS | rss CORPUS hold|stream N | dump");
            std::process::exit(2);
        }
    }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading corpus {path:?}: {e}"))
}

fn kind_of(v: &Value) -> String {
    v.as_object()
        .and_then(|o| o.keys().find(|k| *k != "update_id").cloned())
        .unwrap_or_else(|| "?".into())
}

// ---------------------------------------------------------------------- check

fn check<U: DeserializeOwned + Serialize, M, A>(c: &Contender<U, M, A>, corpus: &str) {
    let all: Vec<Value> = serde_json::from_str(corpus).expect("corpus is a JSON array");
    let (mut ok, mut lossless) = (0, 0);
    for (i, v) in all.iter().enumerate() {
        let text = serde_json::to_string(v).unwrap();
        let kind = kind_of(v);
        let id = &v["update_id"];
        match (c.parse)(&format!("[{text}]")).map(|mut v| v.remove(0)) {
            Err(e) => println!("fail\t{i}\t{id}\t{kind}\t{e}"),
            Ok(u) => match (c.lost)(&u) {
                Some(why) => println!("fail\t{i}\t{id}\t{kind}\t{why}: {}", (c.explain)(&kind, &v[&kind])),
                None => {
                    ok += 1;
                    let back = serde_json::to_value(&u).unwrap();
                    let same = same_json(v, &back);
                    lossless += same as usize;
                    let diff = if same { String::new() } else { first_diff(v, &back, "") };
                    println!("ok\t{i}\t{id}\t{kind}\t{}{diff}", if same { "lossless" } else { "lossy " });
                }
            },
        }
    }
    // The whole batch must parse too (as the client parses it).
    let whole = (c.parse)(corpus).map(|v| v.len());
    println!("summary\t{}\tparsed={ok}/{}\tlossless={lossless}\twhole_batch={:?}", c.name, all.len(), whole.map_err(|e| e.to_string()));
}

/// JSON equality with numbers compared by value (30 == 30.0).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

fn first_diff(a: &Value, b: &Value, path: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    None => return format!("{path}.{k} dropped"),
                    Some(w) if !same_json(v, w) => return first_diff(v, w, &format!("{path}.{k}")),
                    _ => {}
                }
            }
            for k in y.keys() {
                if !x.contains_key(k) {
                    return format!("{path}.{k} added: {}", y[k]);
                }
            }
            format!("{path} differs")
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if !same_json(v, w) {
                    return first_diff(v, w, &format!("{path}[{i}]"));
                }
            }
            format!("{path} differs")
        }
        _ => format!("{path}: {a} -> {b}"),
    }
}

// ---------------------------------------------------------------------- bench

/// Best and median time per call over `samples` samples of at least
/// `sample_for` each. The best is what the table reports: with other work
/// on the machine it is the figure least disturbed by it.
pub fn time_per_call(mut f: impl FnMut() -> usize, sample_for: Duration, samples: usize) -> (f64, f64) {
    // Warm up and calibrate.
    let mut iters: u64 = 1;
    loop {
        let t = Instant::now();
        for _ in 0..iters {
            black_box(f());
        }
        let e = t.elapsed();
        if e >= sample_for / 4 {
            iters = ((iters as f64) * (sample_for.as_secs_f64() / e.as_secs_f64())).ceil() as u64;
            break;
        }
        iters *= 4;
    }
    let mut per: Vec<f64> = (0..samples)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                black_box(f());
            }
            t.elapsed().as_nanos() as f64 / iters as f64
        })
        .collect();
    per.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (per[0], per[samples / 2])
}

fn bench<U: DeserializeOwned + Serialize, M: Serialize, A: Serialize>(c: &Contender<U, M, A>, corpus: &str) {
    let parse = c.parse;
    let n = parse(corpus).expect("the benchmark corpus parses").len();
    println!("name={}", c.name);
    println!("updates={n}");
    println!("corpus_bytes={}", corpus.len());
    println!("size_update={}", c.size_update);
    println!("size_message={}", c.size_message);

    // Parse: the whole getUpdates result into Vec<Update>, dropped each time.
    let (best, median) = time_per_call(
        || parse(black_box(corpus)).unwrap().len(),
        Duration::from_millis(300),
        7,
    );
    println!("parse_updates_per_s={:.0}", n as f64 * 1e9 / best);
    println!("parse_updates_per_s_median={:.0}", n as f64 * 1e9 / median);
    println!("parse_mib_per_s={:.1}", corpus.len() as f64 * 1e9 / best / 1048576.0);

    let (kept, counts) = counted(|| parse(corpus).unwrap());
    println!("allocs_per_update={:.1}", counts.allocs as f64 / n as f64);
    println!("alloc_bytes_per_update={:.0}", counts.bytes as f64 / n as f64);
    // Heap kept by the parsed updates, less the unused capacity of the
    // outer Vec (untouched, so never resident; it only depends on how
    // serde_json grows the Vec and on size_of::<Update>()).
    let slack = (kept.capacity() - kept.len()) * std::mem::size_of::<U>();
    println!("retained_bytes_per_update={:.0}", (counts.live - slack as i64) as f64 / n as f64);
    drop(kept);

    // Serialize: the request built once, serialized to the body bytes.
    let msg = (c.send_message)();
    let audio = (c.send_audio)();
    println!("send_message_bytes={}", serde_json::to_vec(&msg).unwrap().len());
    println!("send_audio_bytes={}", serde_json::to_vec(&audio).unwrap().len());
    let (best, median) = time_per_call(|| serde_json::to_vec(black_box(&msg)).unwrap().len(), Duration::from_millis(100), 7);
    println!("ser_message_ns={best:.1}");
    println!("ser_message_ns_median={median:.1}");
    let (best, median) = time_per_call(|| serde_json::to_vec(black_box(&audio)).unwrap().len(), Duration::from_millis(100), 7);
    println!("ser_audio_ns={best:.1}");
    println!("ser_audio_ns_median={median:.1}");
    let (_, counts) = counted(|| serde_json::to_vec(&msg).unwrap());
    println!("ser_message_allocs={}", counts.allocs);

    if let Some(validate) = c.validate {
        assert!(validate(&msg), "the benchmark sendMessage is valid");
        let (best, median) = time_per_call(|| validate(black_box(&msg)) as usize, Duration::from_millis(100), 7);
        println!("validate_ns={best:.1}");
        println!("validate_ns_median={median:.1}");
        let (_, counts) = counted(|| validate(&msg));
        println!("validate_allocs={}", counts.allocs);
    }
}

// ------------------------------------------------------------------------ rss

fn status_kb(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix(field)?.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn rss<U>(parse: fn(&str) -> serde_json::Result<Vec<U>>, corpus: &str, how: &str, times: usize) {
    let before = status_kb("VmHWM:");
    let mut held: Vec<Vec<U>> = Vec::new();
    let mut n = 0;
    for _ in 0..times {
        let batch: Vec<U> = parse(black_box(corpus)).unwrap();
        n += batch.len();
        match how {
            "hold" => held.push(batch),
            "stream" => drop(black_box(batch)),
            _ => panic!("rss: hold or stream"),
        }
    }
    let peak = status_kb("VmHWM:");
    println!("rss_mode={how}");
    println!("rss_updates={n}");
    println!("rss_held={}", held.iter().map(Vec::len).sum::<usize>());
    println!("vmhwm_before_kb={before}");
    println!("vmhwm_kb={peak}");
}

// ------------------------------------------------------------------- requests

/// The two requests every contender builds, field for field.
pub mod req {
    pub const CHAT_ID: i64 = -1001893746251;
    pub const TEXT: &str = "Order A-88231: blue kettle, 39.90 €.\nDelivery: Tuesday, 14:00–16:00.\nConfirm it or change it below 👇";
    pub const REPLY_TO: i32 = 52311;
    /// Row 1: two callback buttons; row 2: a callback button and a URL button.
    pub const CONFIRM: (&str, &str) = ("✅ Confirm", "order:A-88231:confirm");
    pub const CANCEL: (&str, &str) = ("❌ Cancel", "order:A-88231:cancel");
    pub const CHANGE: (&str, &str) = ("✏️ Change time", "order:A-88231:reschedule");
    pub const TRACK: (&str, &str) = ("📦 Track", "https://example.com/track/A-88231");

    pub const AUDIO_CHAT_ID: i64 = 384729105;
    pub const AUDIO_FILE_ID: &str = "CQACAgIAAxkBAAIBZ2dPq3xQ1rN4mW8vH0sYbE2pZkTgAAIuUAACqX1gSp9d7vX3y0b3NgQ";
    pub const AUDIO_CAPTION: &str = "Nils Frahm — Says (live at the Funkhaus)";
    pub const AUDIO_PERFORMER: &str = "Nils Frahm";
    pub const AUDIO_TITLE: &str = "Says";
    pub const AUDIO_DURATION: u32 = 614;
}
