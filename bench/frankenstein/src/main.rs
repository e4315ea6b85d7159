//! Minimal bot on frankenstein: a client from BOT_TOKEN, getMe, one sendMessage.
//! Only built (cold build time, binary size), never run against Telegram.

use frankenstein::client_reqwest::Bot;
use frankenstein::methods::SendMessageParams;
use frankenstein::AsyncTelegramApi;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), frankenstein::Error> {
    let token = std::env::var("BOT_TOKEN").unwrap_or_default();
    let chat_id: i64 = std::env::var("CHAT_ID").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let bot = Bot::new(&token);
    let me = bot.get_me().await?.result;
    let params = SendMessageParams::builder()
        .chat_id(chat_id)
        .text(format!("Hello from {}", me.first_name))
        .build();
    let sent = bot.send_message(&params).await?.result;
    println!("sent message {}", sent.message_id);
    Ok(())
}
