//! An echo bot that receives updates through a webhook.
//!
//! Environment:
//! - `BOT_TOKEN` (and optionally `BOT_API_URL`), as for `Client::from_env`;
//! - `WEBHOOK_URL`: the public HTTPS address Telegram should call, such as
//!   `https://bot.example.org/telegram` (a reverse proxy in front of this
//!   program terminates TLS); its path is the one served here;
//! - `WEBHOOK_SECRET`: 1 to 256 characters of `A-Z a-z 0-9 _ -`;
//! - `WEBHOOK_BIND`: the local address to listen on, default `0.0.0.0:8080`.
//!
//! Run with `cargo run -p botapi --features webhook --example webhook_bot`.

use botapi::types::{UpdateKind, UpdateType};
use botapi::webhook::Webhook;

fn required(name: &str) -> Result<String, String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("the environment variable {name} is not set"))
}

/// The path part of an absolute URL (`/` when it has none), without query.
fn url_path(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    path.split(['?', '#']).next().unwrap_or("/")
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = botapi::Client::from_env()?;
    let url = required("WEBHOOK_URL")?;
    let secret = required("WEBHOOK_SECRET")?;
    let bind = std::env::var("WEBHOOK_BIND").unwrap_or_else(|_| "0.0.0.0:8080".to_string());

    let webhook = Webhook::builder()
        .secret_token(secret)
        .path(url_path(&url))
        .build()?;
    // Listen first, so that Telegram's first delivery finds the server up.
    let mut server = webhook.bind(bind.as_str()).await?;
    client
        .call(
            webhook
                .set_webhook_request(url.as_str())
                .allowed_updates(vec![UpdateType::Message]),
        )
        .await?;
    println!(
        "listening on {} for {}",
        server.local_addr(),
        webhook.path()
    );

    while let Some(update) = server.next().await {
        let UpdateKind::Message(message) = update.kind else {
            continue;
        };
        let Some(text) = message.text else {
            continue;
        };
        if let Err(e) = client.send_message(message.chat.id, text).await {
            eprintln!("update {}: cannot echo: {e}", update.update_id);
        }
    }
    Ok(())
}
