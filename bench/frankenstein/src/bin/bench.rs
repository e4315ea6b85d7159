//! frankenstein in the shared benchmark harness (see ../../../common/harness.rs).

#[path = "../../../common/harness.rs"]
mod harness;

use frankenstein::input_file::FileUpload;
use frankenstein::methods::{SendAudioParams, SendMessageParams};
use frankenstein::types::{InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyMarkup, ReplyParameters};
use frankenstein::updates::Update;
use harness::req::*;

#[global_allocator]
static ALLOC: harness::CountingAlloc = harness::CountingAlloc;

fn cb(b: (&str, &str)) -> InlineKeyboardButton {
    InlineKeyboardButton::builder().text(b.0).callback_data(b.1).build()
}

fn send_message() -> SendMessageParams {
    let kb = InlineKeyboardMarkup::builder()
        .inline_keyboard(vec![
            vec![cb(CONFIRM), cb(CANCEL)],
            vec![cb(CHANGE), InlineKeyboardButton::builder().text(TRACK.0).url(TRACK.1).build()],
        ])
        .build();
    SendMessageParams::builder()
        .chat_id(CHAT_ID)
        .text(TEXT)
        .reply_parameters(ReplyParameters::builder().message_id(REPLY_TO).build())
        .reply_markup(ReplyMarkup::InlineKeyboardMarkup(kb))
        .build()
}

fn send_audio() -> SendAudioParams {
    SendAudioParams::builder()
        .chat_id(AUDIO_CHAT_ID)
        .audio(FileUpload::String(AUDIO_FILE_ID.to_string()))
        .caption(AUDIO_CAPTION)
        .performer(AUDIO_PERFORMER)
        .title(AUDIO_TITLE)
        .duration(AUDIO_DURATION)
        .build()
}

fn main() {
    harness::main(harness::Contender {
        name: "frankenstein",
        size_update: std::mem::size_of::<Update>(),
        size_message: std::mem::size_of::<Message>(),
        parse: |s| serde_json::from_str(s),
        // An update frankenstein does not understand is a parse error.
        lost: |_: &Update| None,
        explain: |_, _| String::new(),
        send_message,
        send_audio,
        validate: None,
    });
}
