//! Updates handled at once across chats, in order within each chat: one
//! task per chat, fed through a channel, ending after a quiet minute.
//!
//! Run with `BOT_TOKEN=... cargo run -p botapi --example ordered_bot`; send
//! several messages quickly from two chats: each chat's answers keep their
//! order while the chats do not wait for each other.

use std::collections::HashMap;
use std::time::Duration;

use botapi::ids::ChatId;
use botapi::kit::format::Text;
use botapi::types::{Update, UpdateKind};
use botapi::Client;
use tokio::sync::mpsc;

/// One update; slow on purpose, to show chats running side by side.
async fn handle(client: &Client, update: Update) -> Result<(), botapi::Error> {
    if let UpdateKind::Message(m) = update.kind {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let text = Text::new()
            .push("Done with ")
            .code(m.text.as_deref().unwrap_or("that"));
        client
            .send_message(m.chat.id, &text)
            .entities(&text)
            .await?;
    }
    Ok(())
}

/// A task handling one chat's updates one after another.
fn chat_worker(client: Client) -> mpsc::Sender<Update> {
    let (tx, mut rx) = mpsc::channel::<Update>(64);
    tokio::spawn(async move {
        while let Ok(Some(update)) = tokio::time::timeout(Duration::from_secs(60), rx.recv()).await
        {
            if let Err(e) = handle(&client, update).await {
                eprintln!("update failed: {e}");
            }
        }
    });
    tx
}

#[tokio::main]
async fn main() -> Result<(), botapi::Error> {
    let client = Client::from_env()?;
    let mut updates = client.poller();
    let mut chats: HashMap<ChatId, mpsc::Sender<Update>> = HashMap::new();
    loop {
        let update = updates.next().await?;
        let Some(chat) = update.chat().map(|c| c.id) else {
            // No chat, no order to keep.
            let client = client.clone();
            tokio::spawn(async move { handle(&client, update).await });
            continue;
        };
        chats.retain(|_, tx| !tx.is_closed());
        let tx = chats
            .entry(chat)
            .or_insert_with(|| chat_worker(client.clone()));
        if let Err(mpsc::error::SendError(update)) = tx.send(update).await {
            // The chat's task ended just now: start another.
            let tx = chat_worker(client.clone());
            let _ = tx.send(update).await;
            chats.insert(chat, tx);
        }
    }
}
