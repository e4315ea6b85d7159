//! Minimal bot on teloxide-core: a client from BOT_TOKEN, getMe, one sendMessage.
//! Only built (cold build time, binary size), never run against Telegram.

use teloxide_core::prelude::*;
use teloxide_core::types::ChatId;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), teloxide_core::RequestError> {
    let token = std::env::var("BOT_TOKEN").unwrap_or_default();
    let chat_id: i64 = std::env::var("CHAT_ID").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let bot = Bot::new(token);
    let me = bot.get_me().await?;
    let sent = bot
        .send_message(ChatId(chat_id), format!("Hello from {}", me.first_name))
        .await?;
    println!("sent message {}", sent.id);
    Ok(())
}
