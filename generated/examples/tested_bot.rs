//! A bot and its end-to-end test against the fake Bot API of
//! `botapi::testing` (feature `testing`): `/start` answers with a button,
//! a press of the button is acknowledged, any other text is echoed.
//!
//! Run the bot with `BOT_TOKEN=... cargo run -p botapi --features testing
//! --example tested_bot`; run its test, which needs no network beyond
//! 127.0.0.1, with `cargo test -p botapi --features testing --example
//! tested_bot`.

use botapi::types::{InlineKeyboardButton, InlineKeyboardMarkup, Update, UpdateKind};
use botapi::Client;

/// What the bot does with one update.
async fn handle(client: &Client, update: Update) -> Result<(), botapi::Error> {
    match update.kind {
        UpdateKind::Message(m) => {
            let text = m.text.unwrap_or_default();
            if text == "/start" {
                let button = InlineKeyboardButton::new("Press me").callback_data("pressed");
                client
                    .send_message(m.chat.id, "Hello!")
                    .reply_markup(InlineKeyboardMarkup::new(vec![vec![button]]))
                    .await?;
            } else {
                client.send_message(m.chat.id, text).await?;
            }
        }
        UpdateKind::CallbackQuery(q) => {
            client.answer_callback_query(q.id).text("Pressed").await?;
        }
        _ => {}
    }
    Ok(())
}

/// The bot: long polling, one update at a time.
async fn run(client: Client) -> Result<(), botapi::Error> {
    let mut updates = client.poller();
    loop {
        let update = updates.next().await?;
        handle(&client, update).await?;
    }
}

#[tokio::main]
async fn main() -> Result<(), botapi::Error> {
    run(Client::from_env()?).await
}

#[cfg(test)]
mod tests {
    use botapi::testing::FakeBotApi;

    #[tokio::test]
    async fn start_press_and_echo() {
        let fake = FakeBotApi::start().await;
        tokio::spawn(super::run(fake.client()));

        fake.push_text(42, "/start");
        let hello = fake.next_call("sendMessage").await;
        assert_eq!(hello.params["text"], "Hello!");
        assert_eq!(
            hello.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
            "pressed"
        );

        fake.push_callback_query(42, "pressed");
        let answer = fake.next_call("answerCallbackQuery").await;
        assert_eq!(answer.params["text"], "Pressed");

        fake.push_text(42, "echo me");
        let echo = fake.next_call("sendMessage").await;
        assert_eq!(
            echo.params,
            serde_json::json!({"chat_id": 42, "text": "echo me"})
        );
    }
}
