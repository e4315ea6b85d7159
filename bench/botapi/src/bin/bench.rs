//! botapi in the shared benchmark harness (see ../../../common/harness.rs).

#[path = "../../../common/harness.rs"]
mod harness;

use botapi::methods::{SendAudio, SendMessage};
use botapi::types::{InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters, Update, UpdateKind};
use harness::req::*;

#[global_allocator]
static ALLOC: harness::CountingAlloc = harness::CountingAlloc;

fn send_message() -> SendMessage {
    let kb = InlineKeyboardMarkup::new(vec![
        vec![
            InlineKeyboardButton::new(CONFIRM.0).callback_data(CONFIRM.1),
            InlineKeyboardButton::new(CANCEL.0).callback_data(CANCEL.1),
        ],
        vec![
            InlineKeyboardButton::new(CHANGE.0).callback_data(CHANGE.1),
            InlineKeyboardButton::new(TRACK.0).url(TRACK.1),
        ],
    ]);
    SendMessage::new(CHAT_ID, TEXT)
        .reply_parameters(ReplyParameters::new().message_id(REPLY_TO))
        .reply_markup(kb)
}

fn send_audio() -> SendAudio {
    SendAudio::new(AUDIO_CHAT_ID, botapi::InputFile::file_id(AUDIO_FILE_ID))
        .caption(AUDIO_CAPTION)
        .performer(AUDIO_PERFORMER)
        .title(AUDIO_TITLE)
        .duration(AUDIO_DURATION)
}

fn main() {
    harness::main(harness::Contender {
        name: "botapi",
        size_update: std::mem::size_of::<Update>(),
        size_message: std::mem::size_of::<Message>(),
        // As botapi's client decodes a reply: strictly first (parts read
        // straight into their types), the tolerant way only if that fails.
        parse: |s| botapi::compat::strict(|| serde_json::from_str(s)).or_else(|_| serde_json::from_str(s)),
        lost: |u: &Update| match &u.kind {
            UpdateKind::Unknown(_) => Some("kept as UpdateKind::Unknown".into()),
            UpdateKind::Undecodable(p) => Some(format!("kept as UpdateKind::Undecodable ({p})")),
            _ => None,
        },
        explain: |_, _| String::new(),
        send_message,
        send_audio,
        validate: Some(|m: &SendMessage| m.validate().is_ok()),
    });
}
