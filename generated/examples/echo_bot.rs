//! Echo bot over long polling: answers every text message with its own text.
//!
//! Run with `BOT_TOKEN=... cargo run -p botapi --example echo_bot`; set
//! `BOT_API_URL` to use a self-hosted (or mock) Bot API server.

use botapi::types::UpdateKind;
use botapi::Client;

#[tokio::main]
async fn main() -> Result<(), botapi::Error> {
    let client = Client::from_env()?;
    let mut updates = client.poller().allowed_updates(["message"]);
    loop {
        let update = updates.next().await?;
        if let UpdateKind::Message(message) = update.kind {
            if let Some(text) = message.text {
                client.send_message(message.chat.id, text).await?;
            }
        }
    }
}
