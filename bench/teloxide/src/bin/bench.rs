//! teloxide-core in the shared benchmark harness (see ../../../common/harness.rs).

#[path = "../../../common/harness.rs"]
mod harness;

use serde_json::Value;
use teloxide_core::payloads::{SendAudio, SendAudioSetters, SendMessage, SendMessageSetters};
use teloxide_core::types::{
    CallbackQuery, ChatBoostUpdated, ChatId, ChatJoinRequest, ChatMemberUpdated, ChosenInlineResult, FileId,
    InlineKeyboardButton, InlineKeyboardMarkup, InlineQuery, InputFile, Message, MessageId,
    MessageReactionCountUpdated, MessageReactionUpdated, Poll, PollAnswer, PreCheckoutQuery, ReplyParameters,
    ShippingQuery, Update, UpdateKind,
};
use harness::req::*;

#[global_allocator]
static ALLOC: harness::CountingAlloc = harness::CountingAlloc;

fn send_message() -> SendMessage {
    let kb = InlineKeyboardMarkup::new(vec![
        vec![
            InlineKeyboardButton::callback(CONFIRM.0, CONFIRM.1),
            InlineKeyboardButton::callback(CANCEL.0, CANCEL.1),
        ],
        vec![
            InlineKeyboardButton::callback(CHANGE.0, CHANGE.1),
            InlineKeyboardButton::url(TRACK.0, TRACK.1.parse().unwrap()),
        ],
    ]);
    SendMessage::new(ChatId(CHAT_ID), TEXT)
        .reply_parameters(ReplyParameters::new(MessageId(REPLY_TO)))
        .reply_markup(kb)
}

fn send_audio() -> SendAudio {
    SendAudio::new(ChatId(AUDIO_CHAT_ID), InputFile::file_id(FileId(AUDIO_FILE_ID.to_string())))
        .caption(AUDIO_CAPTION)
        .performer(AUDIO_PERFORMER)
        .title(AUDIO_TITLE)
        .duration(AUDIO_DURATION)
}

/// teloxide turns an update it cannot parse into `UpdateKind::Error`; parse
/// the inner object as the type teloxide expects to find out why.
fn explain(kind: &str, v: &Value) -> String {
    fn why<T: serde::de::DeserializeOwned>(v: &Value) -> String {
        match serde_json::from_value::<T>(v.clone()) {
            Ok(_) => "inner object parses on its own".into(),
            Err(e) => e.to_string(),
        }
    }
    match kind {
        "message" | "edited_message" | "channel_post" | "edited_channel_post" | "business_message"
        | "edited_business_message" => why::<Message>(v),
        "callback_query" => why::<CallbackQuery>(v),
        "inline_query" => why::<InlineQuery>(v),
        "chosen_inline_result" => why::<ChosenInlineResult>(v),
        "my_chat_member" | "chat_member" => why::<ChatMemberUpdated>(v),
        "chat_join_request" => why::<ChatJoinRequest>(v),
        "message_reaction" => why::<MessageReactionUpdated>(v),
        "message_reaction_count" => why::<MessageReactionCountUpdated>(v),
        "poll" => why::<Poll>(v),
        "poll_answer" => why::<PollAnswer>(v),
        "pre_checkout_query" => why::<PreCheckoutQuery>(v),
        "shipping_query" => why::<ShippingQuery>(v),
        "chat_boost" => why::<ChatBoostUpdated>(v),
        _ => "update kind unknown to teloxide-core".into(),
    }
}

fn main() {
    harness::main(harness::Contender {
        name: "teloxide-core",
        size_update: std::mem::size_of::<Update>(),
        size_message: std::mem::size_of::<Message>(),
        parse: |s| serde_json::from_str(s),
        lost: |u: &Update| match &u.kind {
            UpdateKind::Error(_) => Some("swallowed into UpdateKind::Error".into()),
            _ => None,
        },
        explain,
        send_message,
        send_audio,
        validate: None,
    });
}
