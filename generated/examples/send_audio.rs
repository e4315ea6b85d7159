//! Sends an audio file from disk with its performer and title.
//!
//! `BOT_TOKEN=... cargo run -p botapi --example send_audio -- CHAT_ID song.mp3 "Performer" "Title"`
//! (`BOT_API_URL` points it at a self-hosted or mock Bot API server). The
//! file is streamed from disk; one over the 50 MB limit fails before upload.

use botapi::{Client, InputFile};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [chat_id, path, performer, title] = args.as_slice() else {
        return Err("usage: send_audio CHAT_ID PATH PERFORMER TITLE".into());
    };
    let chat_id: i64 = chat_id.parse()?;
    let client = Client::from_env()?;
    let message = client
        .send_audio(chat_id, InputFile::path(path))
        .performer(performer.as_str())
        .title(title.as_str())
        .await?;
    let file_id = message.audio.map(|a| a.file_id).unwrap_or_default();
    println!(
        "sent message {}; audio file_id {file_id}",
        message.message_id
    );
    Ok(())
}
