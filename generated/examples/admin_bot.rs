//! Commands defined once (menu and parsing), an administrators-only `/ban`
//! with Telegram's refusals told apart by `ErrorKind`, and a deep link that
//! brings a payload back to `/start`.
//!
//! Run with `BOT_TOKEN=... cargo run -p botapi --example admin_bot`, add the
//! bot to a group as an administrator who may ban users, and reply `/ban`
//! to someone's message.

use botapi::kit::commands::BotCommands;
use botapi::kit::deeplink;
use botapi::kit::format::{code, Text};
use botapi::types::{Message, UpdateKind, UpdateType};
use botapi::{Client, ErrorKind};

botapi::bot_commands! {
    /// What the bot understands.
    enum Cmd {
        Start = "start": "Start the bot",
        Help = "help": "What I can do",
        Invite = "invite": "A link that starts me with your user id",
        Ban = "ban": "Ban the author of the message you reply to (administrators only)",
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let me = client.get_me().await?;
    let username = me.username.clone().unwrap_or_default();
    client.set_my_commands(Cmd::bot_commands()?).await?;
    let mut updates = client.poller().allowed_updates([UpdateType::Message]);
    loop {
        let UpdateKind::Message(m) = updates.next().await?.kind else {
            continue;
        };
        let Some((cmd, args)) = Cmd::parse(&m, &username) else {
            continue;
        };
        let reply = match cmd {
            Cmd::Start if args.args.is_empty() => Text::from("Hello! /help lists what I do."),
            Cmd::Start => match deeplink::unpack(&args.args) {
                Ok(bytes) => Text::new()
                    .push("You came from the link of user ")
                    .push(code(
                        &i64::from_be_bytes(bytes.try_into().unwrap_or_default()).to_string(),
                    )),
                Err(e) => Text::from(format!("That link is broken: {e}")),
            },
            Cmd::Help => Text::new()
                .push("/invite gives a link; /ban, in reply to a message, bans its author (")
                .push(code("administrators only"))
                .push(")."),
            Cmd::Invite => {
                let from = m.from.as_ref().map_or(0, |u| u.id.get());
                let link = deeplink::start(&username, &deeplink::pack(&from.to_be_bytes()))?;
                Text::new()
                    .push("Share this: ")
                    .link(link.as_str(), link.as_str())
            }
            Cmd::Ban => Text::from(ban(&client, &m).await?),
        };
        client
            .send_message(m.chat.id, &reply)
            .entities(&reply)
            .await?;
    }
}

/// `/ban`: checks the sender, then tells Telegram's refusals apart.
async fn ban(client: &Client, m: &Message) -> Result<&'static str, botapi::Error> {
    let Some(sender) = &m.from else {
        return Ok("Anonymous administrators cannot be checked; write as yourself.");
    };
    if !client
        .get_chat_member(m.chat.id, sender.id)
        .await?
        .is_admin()
    {
        return Ok("Only administrators may ban.");
    }
    let Some(target) = m.reply_to_message.as_ref().and_then(|r| r.from.as_ref()) else {
        return Ok("Reply to a message of the user to ban.");
    };
    match client.ban_chat_member(m.chat.id, target.id).await {
        Ok(_) => Ok("Banned."),
        Err(e) => match e.kind() {
            Some(ErrorKind::UserIsAdministrator | ErrorKind::CantRemoveChatOwner) => {
                Ok("I cannot ban an administrator.")
            }
            Some(ErrorKind::NotEnoughRightsToRestrict | ErrorKind::ChatAdminRequired) => {
                Ok("Make me an administrator who may ban users first.")
            }
            Some(ErrorKind::CantRestrictSelf) => Ok("I will not ban myself."),
            _ => Err(e),
        },
    }
}
