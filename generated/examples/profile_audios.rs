//! Lists every audio on a user's profile, fetching page after page.
//!
//! `BOT_TOKEN=... cargo run -p botapi --example profile_audios -- USER_ID`
//! (`BOT_API_URL` points it at a self-hosted or mock Bot API server).

use botapi::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let user_id: i64 = std::env::args()
        .nth(1)
        .ok_or("usage: profile_audios USER_ID")?
        .parse()?;
    let client = Client::from_env()?;
    let mut audios = client.get_user_profile_audios(user_id).limit(50).pages();
    let mut count = 0;
    while let Some(audio) = audios.next().await {
        let audio = audio?;
        count += 1;
        println!(
            "{count}. {} - {} ({} s)",
            audio.performer.as_deref().unwrap_or("?"),
            audio.title.as_deref().unwrap_or("?"),
            audio.duration
        );
    }
    println!("{count} of {} audios", audios.total().unwrap_or(0));
    Ok(())
}
