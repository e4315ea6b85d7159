//! The serialize benchmark of the harness for botapi, frankenstein and
//! teloxide-core in one process, taking turns (the order rotates from round
//! to round), so that all three share code layout, serde_json's code and
//! allocator state: `cargo run --release -p bench-ab` from `bench/`.
//!
//! - `serialize-ab [ROUNDS]`: per round, best and median ns per
//!   `serde_json::to_vec` of each request, and of building the sendMessage
//!   then serializing it (the builder's moves count), as `key=value` lines
//!   (`ab_<operation>_ns_<contender>`) after a readable table.
//! - `serialize-ab count CONTENDER OPERATION N`: do the operation N times and
//!   nothing else, for instruction counts under callgrind (run.sh takes the
//!   difference between two values of N, so start-up cancels out); botapi
//!   also has `validate_message`, its `validate()` of the sendMessage.
//! - With `BENCH_AB_CORPUS` set to a getUpdates result (a JSON array of
//!   updates all three read), operation `parse` reads it into a `Vec` of
//!   each library's `Update`, as the harness's parse bench does, in the same
//!   rounds (`ab_parse_ns_<contender>`: ns per batch) and in count mode.

#[allow(dead_code)]
#[path = "../../common/harness.rs"]
mod harness;

use std::hint::black_box;
use std::time::Duration;

use teloxide_core::payloads::{SendAudioSetters as _, SendMessageSetters as _};

use harness::req::*;

fn botapi_message() -> botapi::methods::SendMessage {
    use botapi::types::{InlineKeyboardButton as B, InlineKeyboardMarkup, ReplyParameters};
    let kb = InlineKeyboardMarkup::new(vec![
        vec![B::new(CONFIRM.0).callback_data(CONFIRM.1), B::new(CANCEL.0).callback_data(CANCEL.1)],
        vec![B::new(CHANGE.0).callback_data(CHANGE.1), B::new(TRACK.0).url(TRACK.1)],
    ]);
    botapi::methods::SendMessage::new(CHAT_ID, TEXT)
        .reply_parameters(ReplyParameters::new().message_id(REPLY_TO))
        .reply_markup(kb)
}

fn botapi_audio() -> botapi::methods::SendAudio {
    botapi::methods::SendAudio::new(AUDIO_CHAT_ID, botapi::InputFile::file_id(AUDIO_FILE_ID))
        .caption(AUDIO_CAPTION)
        .performer(AUDIO_PERFORMER)
        .title(AUDIO_TITLE)
        .duration(AUDIO_DURATION)
}

fn frankenstein_message() -> frankenstein::methods::SendMessageParams {
    use frankenstein::types::{InlineKeyboardButton as B, InlineKeyboardMarkup, ReplyMarkup, ReplyParameters};
    let cb = |b: (&str, &str)| B::builder().text(b.0).callback_data(b.1).build();
    let kb = InlineKeyboardMarkup::builder()
        .inline_keyboard(vec![
            vec![cb(CONFIRM), cb(CANCEL)],
            vec![cb(CHANGE), B::builder().text(TRACK.0).url(TRACK.1).build()],
        ])
        .build();
    frankenstein::methods::SendMessageParams::builder()
        .chat_id(CHAT_ID)
        .text(TEXT)
        .reply_parameters(ReplyParameters::builder().message_id(REPLY_TO).build())
        .reply_markup(ReplyMarkup::InlineKeyboardMarkup(kb))
        .build()
}

fn frankenstein_audio() -> frankenstein::methods::SendAudioParams {
    frankenstein::methods::SendAudioParams::builder()
        .chat_id(AUDIO_CHAT_ID)
        .audio(frankenstein::input_file::FileUpload::String(AUDIO_FILE_ID.to_string()))
        .caption(AUDIO_CAPTION)
        .performer(AUDIO_PERFORMER)
        .title(AUDIO_TITLE)
        .duration(AUDIO_DURATION)
        .build()
}

fn teloxide_message() -> teloxide_core::payloads::SendMessage {
    use teloxide_core::types::{ChatId, InlineKeyboardButton as B, InlineKeyboardMarkup, MessageId, ReplyParameters};
    let kb = InlineKeyboardMarkup::new(vec![
        vec![B::callback(CONFIRM.0, CONFIRM.1), B::callback(CANCEL.0, CANCEL.1)],
        vec![B::callback(CHANGE.0, CHANGE.1), B::url(TRACK.0, TRACK.1.parse().unwrap())],
    ]);
    teloxide_core::payloads::SendMessage::new(ChatId(CHAT_ID), TEXT)
        .reply_parameters(ReplyParameters::new(MessageId(REPLY_TO)))
        .reply_markup(kb)
}

fn teloxide_audio() -> teloxide_core::payloads::SendAudio {
    use teloxide_core::types::{ChatId, FileId, InputFile};
    teloxide_core::payloads::SendAudio::new(ChatId(AUDIO_CHAT_ID), InputFile::file_id(FileId(AUDIO_FILE_ID.to_string())))
        .caption(AUDIO_CAPTION)
        .performer(AUDIO_PERFORMER)
        .title(AUDIO_TITLE)
        .duration(AUDIO_DURATION)
}

const CONTENDERS: [&str; 3] = ["botapi", "frankenstein", "teloxide"];
const OPERATIONS: [&str; 3] = ["ser_message", "ser_audio", "build_ser_message"];

/// One timed operation of one contender: the requests are built once, here,
/// except for `build_ser_message`, which builds its request every call.
fn operation(contender: &str, op: &str) -> Box<dyn FnMut() -> usize> {
    fn ser<T: serde::Serialize + 'static>(x: T) -> Box<dyn FnMut() -> usize> {
        Box::new(move || serde_json::to_vec(black_box(&x)).unwrap().len())
    }
    fn build_ser<T: serde::Serialize + 'static>(build: fn() -> T) -> Box<dyn FnMut() -> usize> {
        Box::new(move || serde_json::to_vec(&black_box(build())).unwrap().len())
    }
    fn parse<U: serde::de::DeserializeOwned + 'static>(read: fn(&str) -> serde_json::Result<Vec<U>>) -> Box<dyn FnMut() -> usize> {
        let path = std::env::var("BENCH_AB_CORPUS").expect("operation parse needs BENCH_AB_CORPUS");
        let corpus = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        read(&corpus).unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
        Box::new(move || read(black_box(&corpus)).unwrap().len())
    }
    match (contender, op) {
        // As botapi's client decodes a reply (and the harness): strictly
        // first, the tolerant way only if that fails.
        ("botapi", "parse") => parse::<botapi::types::Update>(|s| {
            botapi::compat::strict(|| serde_json::from_str(s)).or_else(|_| serde_json::from_str(s))
        }),
        ("frankenstein", "parse") => parse::<frankenstein::updates::Update>(|s| serde_json::from_str(s)),
        ("teloxide", "parse") => parse::<teloxide_core::types::Update>(|s| serde_json::from_str(s)),
        ("botapi", "ser_message") => ser(botapi_message()),
        ("botapi", "ser_audio") => ser(botapi_audio()),
        ("botapi", "build_ser_message") => build_ser(botapi_message),
        ("frankenstein", "ser_message") => ser(frankenstein_message()),
        ("frankenstein", "ser_audio") => ser(frankenstein_audio()),
        ("frankenstein", "build_ser_message") => build_ser(frankenstein_message),
        ("teloxide", "ser_message") => ser(teloxide_message()),
        ("teloxide", "ser_audio") => ser(teloxide_audio()),
        ("teloxide", "build_ser_message") => build_ser(teloxide_message),
        // Counted only (run.sh shows it beside the serializing it precedes).
        ("botapi", "validate_message") => {
            let m = botapi_message();
            Box::new(move || black_box(&m).validate().is_ok() as usize)
        }
        _ => panic!("unknown contender or operation: {contender} {op} (contenders: {CONTENDERS:?}, operations: {OPERATIONS:?}, parse)"),
    }
}

/// The three libraries must write the same bytes, or the comparison is moot.
fn same_bytes() {
    let m = serde_json::to_vec(&botapi_message()).unwrap();
    assert_eq!(m, serde_json::to_vec(&frankenstein_message()).unwrap(), "frankenstein's sendMessage differs");
    let a = serde_json::to_vec(&botapi_audio()).unwrap();
    assert_eq!(a, serde_json::to_vec(&frankenstein_audio()).unwrap(), "frankenstein's sendAudio differs");
    // teloxide-core writes the same members in another order: compare values.
    let v = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap();
    assert_eq!(v(&m), v(&serde_json::to_vec(&teloxide_message()).unwrap()), "teloxide-core's sendMessage differs");
    assert_eq!(v(&a), v(&serde_json::to_vec(&teloxide_audio()).unwrap()), "teloxide-core's sendAudio differs");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("count") {
        let [_, contender, op, n] = &args[..] else {
            panic!("usage: serialize-ab count CONTENDER OPERATION N");
        };
        let mut f = operation(contender, op);
        let n: u64 = n.parse().expect("N is a number");
        let mut acc = 0;
        for _ in 0..n {
            acc += f();
        }
        println!("{acc}");
        return;
    }
    let rounds: usize = args.first().map_or(3, |r| r.parse().expect("ROUNDS is a number"));
    same_bytes();
    let mut ops: Vec<(&str, &str, Box<dyn FnMut() -> usize>)> = Vec::new();
    let operations: Vec<&str> = OPERATIONS
        .into_iter()
        .chain(std::env::var_os("BENCH_AB_CORPUS").map(|_| "parse"))
        .collect();
    for &op in &operations {
        for c in CONTENDERS {
            ops.push((c, op, operation(c, op)));
        }
    }
    let mut kv = Vec::new();
    println!("ns per call (parse: per batch), best / median of 7 samples of >= 100 ms");
    println!("round  operation          botapi           frankenstein     teloxide");
    for round in 0..rounds {
        let mut cells = std::collections::BTreeMap::new();
        // Rotate who goes first, so that no contender always follows another.
        for i in 0..ops.len() {
            let k = (i + round) % ops.len();
            let (c, op, f) = &mut ops[k];
            let (best, median) = harness::time_per_call(&mut **f, Duration::from_millis(100), 7);
            cells.insert((*op, *c), (best, median));
            kv.push(format!("ab_{op}_ns_{c}={best:.1}"));
        }
        for &op in &operations {
            let cell = |c: &str| {
                let (b, m) = cells[&(op, c)];
                format!("{b:>7.1} / {m:<7.1}")
            };
            println!("{:<6} {op:<18} {}  {}  {}", round + 1, cell("botapi"), cell("frankenstein"), cell("teloxide"));
        }
    }
    for line in kv {
        println!("{line}");
    }
}
