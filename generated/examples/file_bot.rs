//! Files: a photo sent back unchanged by its `file_id`, and its largest
//! size downloaded in one call and uploaded again as a document.
//!
//! Run with `BOT_TOKEN=... cargo run -p botapi --example file_bot` and send
//! the bot a photo.

use botapi::kit::format::{bold, Text};
use botapi::types::{UpdateKind, UpdateType};
use botapi::{Client, InputFile};

#[tokio::main]
async fn main() -> Result<(), botapi::Error> {
    let client = Client::from_env()?;
    let mut updates = client.poller().allowed_updates([UpdateType::Message]);
    loop {
        let UpdateKind::Message(m) = updates.next().await?.kind else {
            continue;
        };
        let Some(photo) = m.largest_photo() else {
            client.send_message(m.chat.id, "Send me a photo.").await?;
            continue;
        };
        // Unchanged: the file_id is enough, nothing is downloaded.
        client
            .send_photo(m.chat.id, InputFile::file_id(&photo.file_id))
            .await?;
        // Changed: download it (getFile and the download in one call), work
        // on the bytes, upload them as a new file.
        let bytes = client.download_file_bytes(&photo.file_id).await?;
        let caption = Text::new()
            .push("The same photo as a file: ")
            .push(bold(format!("{}×{}", photo.width, photo.height)))
            .push(format!(", {} bytes", bytes.len()));
        client
            .send_document(m.chat.id, InputFile::bytes("photo.jpg", bytes))
            .caption(&caption)
            .caption_entities(&caption)
            .await?;
    }
}
