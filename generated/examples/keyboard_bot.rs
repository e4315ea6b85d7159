//! A counter under a message: inline buttons, callback queries answered at
//! once, then the message edited.
//!
//! Run with `BOT_TOKEN=... cargo run -p botapi --example keyboard_bot`, send
//! the bot anything and press the buttons.

use botapi::kit::format::Text;
use botapi::kit::keyboard::{InlineButton, InlineKeyboard};
use botapi::types::{InlineKeyboardMarkup, MaybeInaccessibleMessage, UpdateKind, UpdateType};
use botapi::{Client, ErrorKind};

fn buttons() -> InlineKeyboardMarkup {
    InlineKeyboard::new()
        .row([
            InlineButton::callback("−1", "add:-1"),
            InlineButton::callback("+1", "add:1"),
            InlineButton::callback("+10", "add:10"),
        ])
        .row([InlineButton::callback("Reset", "reset")])
        .build()
        .expect("callback data of 1 to 64 bytes")
}

/// The count shown in a message text (`Count: 12`).
fn count_in(text: Option<&str>) -> i64 {
    text.and_then(|t| t.strip_prefix("Count: "))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> Result<(), botapi::Error> {
    let client = Client::from_env()?;
    let mut updates = client
        .poller()
        .allowed_updates([UpdateType::Message, UpdateType::CallbackQuery]);
    loop {
        match updates.next().await?.kind {
            UpdateKind::Message(m) => {
                client
                    .send_message(m.chat.id, "Count: 0")
                    .reply_markup(buttons())
                    .await?;
            }
            UpdateKind::CallbackQuery(q) => {
                // The count lives in the message itself, so any number of
                // counters work at once and survive a restart.
                let Some(MaybeInaccessibleMessage::Message(message)) = q.message.as_deref() else {
                    client
                        .answer_callback_query(&q.id)
                        .text("This message is too old to change.")
                        .await?;
                    continue;
                };
                let old = count_in(message.text.as_deref());
                let new = match q.data.as_deref() {
                    Some("reset") => 0,
                    Some(d) => {
                        old + d
                            .strip_prefix("add:")
                            .and_then(|n| n.parse().ok())
                            .unwrap_or(0)
                    }
                    None => old,
                };
                // 1. Answer at once: the button stops spinning.
                client
                    .answer_callback_query(&q.id)
                    .text(format!("{old} → {new}"))
                    .await?;
                // 2. Then edit the message the buttons are under.
                let text = Text::new().push("Count: ").bold(new.to_string());
                let edited = client
                    .edit_message_text()
                    .chat_id(message.chat.id)
                    .message_id(message.message_id)
                    .text(&text)
                    .entities(&text)
                    .reply_markup(buttons())
                    .await;
                match edited {
                    // "Reset" at 0, or two quick presses: nothing to change.
                    Err(e) if e.kind() == Some(ErrorKind::MessageNotModified) => {}
                    other => {
                        other?;
                    }
                }
            }
            _ => {}
        }
    }
}
