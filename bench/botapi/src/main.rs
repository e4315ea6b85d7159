//! Minimal bot on botapi: a client from BOT_TOKEN, getMe, one sendMessage.
//! Only built (cold build time, binary size), never run against Telegram.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), botapi::Error> {
    let token = std::env::var("BOT_TOKEN").unwrap_or_default();
    let chat_id: i64 = std::env::var("CHAT_ID").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let client = botapi::Client::new(token);
    let me = client.get_me().await?;
    let sent = client
        .send_message(chat_id, format!("Hello from {}", me.first_name))
        .await?;
    println!("sent message {}", sent.message_id);
    Ok(())
}
