//! Echo bot over long polling: answers every text message with its own
//! text, formatting kept, in a reply built with `kit::format::Text`.
//!
//! Run with `BOT_TOKEN=... cargo run -p botapi --example echo_bot`; set
//! `BOT_API_URL` to use a self-hosted (or mock) Bot API server.

use botapi::kit::format::{bold, italic, Text};
use botapi::types::{ReplyParameters, UpdateKind, UpdateType};
use botapi::Client;

#[tokio::main]
async fn main() -> Result<(), botapi::Error> {
    let client = Client::from_env()?;
    let mut updates = client.poller().allowed_updates([UpdateType::Message]);
    loop {
        let update = updates.next().await?;
        if let UpdateKind::Message(message) = update.kind {
            let Some(text) = message.text else { continue };
            // The sender's text with the sender's own entities (bold, links,
            // ...), inside our formatting: offsets are recounted for us.
            let theirs = Text::from_parts(text, message.entities.unwrap_or_default());
            let name = message.from.map(|u| u.first_name).unwrap_or_default();
            let reply = Text::new()
                .push(bold(name))
                .push(italic(" said:"))
                .push("\n")
                .push(theirs);
            client
                .send_message(message.chat.id, &reply)
                .entities(&reply)
                .reply_parameters(ReplyParameters::new().message_id(message.message_id))
                .await?;
        }
    }
}
