//! The serialize benchmark of the harness for botapi and frankenstein in one
//! process, alternating between the two, so that code layout and allocator
//! state are shared: `cargo run --release -p bench-ab` from `bench/`.
//! Prints best and median ns per `serde_json::to_vec` for each, per round,
//! and the same for building the sendMessage and then serializing it.

#[allow(dead_code)]
#[path = "../../common/harness.rs"]
mod harness;

use std::hint::black_box;
use std::time::Duration;

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

fn ns<T: serde::Serialize>(x: &T) -> (f64, f64) {
    harness::time_per_call(|| serde_json::to_vec(black_box(x)).unwrap().len(), Duration::from_millis(100), 7)
}

/// Build the request with `build`, then serialize it: the builder's moves
/// count too.
fn build_ns<T: serde::Serialize>(build: fn() -> T) -> (f64, f64) {
    harness::time_per_call(|| serde_json::to_vec(&black_box(build())).unwrap().len(), Duration::from_millis(100), 7)
}

fn main() {
    let (bm, ba) = (botapi_message(), botapi_audio());
    let (fm, fa) = (frankenstein_message(), frankenstein_audio());
    assert_eq!(serde_json::to_vec(&bm).unwrap(), serde_json::to_vec(&fm).unwrap());
    assert_eq!(serde_json::to_vec(&ba).unwrap(), serde_json::to_vec(&fa).unwrap());
    println!("ns per serde_json::to_vec, best / median of 7 samples");
    println!("round  sendMessage: botapi  frankenstein   sendAudio: botapi  frankenstein");
    for round in 1..=3 {
        let (b1, f1) = (ns(&bm), ns(&fm));
        let (b2, f2) = (ns(&ba), ns(&fa));
        println!(
            "{round}      {:.1} / {:.1}  {:.1} / {:.1}      {:.1} / {:.1}  {:.1} / {:.1}",
            b1.0, b1.1, f1.0, f1.1, b2.0, b2.1, f2.0, f2.1
        );
    }
    println!("round  build + serialize sendMessage: botapi  frankenstein");
    for round in 1..=3 {
        let (b, f) = (build_ns(botapi_message), build_ns(frankenstein_message));
        println!("{round}      {:.1} / {:.1}  {:.1} / {:.1}", b.0, b.1, f.0, f.1);
    }
}
