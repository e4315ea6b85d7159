//! `botapi::kit` against the mock Bot API server on 127.0.0.1: formatted
//! text, keyboards and command lists as they go on the wire, downloads by
//! `file_id`, the admin check, and commands read from polled updates.

use botapi::kit::commands::{BotCommands, Command};
use botapi::kit::format::{bold, Text};
use botapi::kit::keyboard::{InlineButton, InlineKeyboard};
use botapi::types::UpdateKind;
use botapi::Client;
use botapi_tests::{MockBotApi, Reply};
use serde_json::json;

const TOKEN: &str = "42:kit-test-token";

fn client(server: &MockBotApi) -> Client {
    Client::builder(TOKEN)
        .base_url(server.url())
        .build()
        .expect("client")
}

fn message(text: &str) -> serde_json::Value {
    json!({"message_id": 5, "date": 0, "chat": {"id": -100, "type": "group"}, "text": text})
}

#[tokio::test]
async fn formatted_text_and_a_keyboard_go_as_json() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(message("x")));
    let text = Text::new()
        .push("👍 ")
        .push(bold("yes"))
        .link(" docs", "https://e.x/?a=1&b=2");
    let keyboard = InlineKeyboard::new()
        .row([InlineButton::callback("Yes", "vote:yes")])
        .build()
        .expect("valid keyboard");
    client(&server)
        .send_message(-100_i64, &text)
        .entities(&text)
        .reply_markup(keyboard)
        .await
        .expect("sent");
    let body = server.requests()[0].json.clone().expect("a JSON body");
    assert_eq!(body["text"], "👍 yes docs");
    assert_eq!(body.get("parse_mode"), None);
    assert_eq!(
        body["entities"],
        json!([
            {"type": "bold", "offset": 3, "length": 3},
            {"type": "text_link", "offset": 6, "length": 5, "url": "https://e.x/?a=1&b=2"},
        ])
    );
    assert_eq!(
        body["reply_markup"],
        json!({"inline_keyboard": [[{"text": "Yes", "callback_data": "vote:yes"}]]})
    );
}

botapi::bot_commands! {
    enum Cmd {
        Start = "start": "Start",
        Ban = "ban": "Ban (administrators only)",
    }
}

#[tokio::test]
async fn one_command_definition_for_the_menu_and_the_updates() {
    let server = MockBotApi::start().await;
    let c = client(&server);
    c.set_my_commands(Cmd::bot_commands().expect("valid list"))
        .await
        .expect("set");
    assert_eq!(
        server.requests()[0].json.as_ref().expect("json")["commands"],
        json!([
            {"command": "start", "description": "Start"},
            {"command": "ban", "description": "Ban (administrators only)"},
        ])
    );
    let mut update = json!({"update_id": 1, "message": message("/ban@Kit_Bot now please")});
    update["message"]["entities"] = json!([{"type": "bot_command", "offset": 0, "length": 12}]);
    let mut other = json!({"update_id": 2, "message": message("/ban@other_bot")});
    other["message"]["entities"] = json!([{"type": "bot_command", "offset": 0, "length": 14}]);
    server.reply(Reply::ok(json!([update, other])));
    let mut poller = c.poller().timeout(0);
    let mut seen = Vec::new();
    for _ in 0..2 {
        if let UpdateKind::Message(m) = poller.next().await.expect("update").kind {
            seen.push(Cmd::parse(&m, "kit_bot").map(|(cmd, c)| (cmd, c.args)));
        }
    }
    assert_eq!(seen, [Some((Cmd::Ban, "now please".to_string())), None]);
}

#[tokio::test]
async fn downloads_by_file_id_in_one_call() {
    let server = MockBotApi::start().await;
    let data: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    server.file("photos/file_9.jpg", data.clone());
    server.otherwise(|r| {
        if r.method == "getFile" {
            let id = r
                .json
                .as_ref()
                .and_then(|j| j["file_id"].as_str())
                .unwrap_or("");
            let mut file = json!({"file_id": id, "file_unique_id": "u", "file_size": 70_000});
            if id == "AgAD" {
                file["file_path"] = json!("photos/file_9.jpg");
            }
            Reply::ok(file)
        } else {
            Reply::ok(json!(true))
        }
    });
    let c = client(&server);
    assert_eq!(c.download_file_bytes("AgAD").await.expect("bytes"), data);
    let mut out = Vec::new();
    assert_eq!(
        c.download_file("AgAD", &mut out)
            .await
            .expect("to a writer"),
        70_000
    );
    assert_eq!(out, data);
    let dir = std::env::temp_dir().join(format!("botapi-kit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let dest = dir.join("photo.jpg");
    c.download_file_to("AgAD", &dest).await.expect("to a path");
    assert_eq!(std::fs::read(&dest).expect("written"), data);
    let _ = std::fs::remove_dir_all(&dir);
    // getFile without a path: an error naming getFile, never a request for "".
    let err = c.download_file_bytes("nopath").await.unwrap_err();
    assert!(err.to_string().contains("getFile"), "{err}");
    assert!(err.to_string().contains("nopath"), "{err}");
    assert!(!err.to_string().contains("kit-test-token"));
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["getFile"; 4]);
}

#[tokio::test]
async fn the_admin_check_reads_get_chat_member() {
    let server = MockBotApi::start().await;
    let user = json!({"id": 7, "is_bot": false, "first_name": "A"});
    server.reply(Reply::ok(
        json!({"status": "creator", "user": user, "is_anonymous": false}),
    ));
    server.reply(Reply::ok(json!({"status": "member", "user": user})));
    let c = client(&server);
    assert!(c
        .get_chat_member(-100_i64, 7)
        .await
        .expect("owner")
        .is_admin());
    let member = c.get_chat_member(-100_i64, 7).await.expect("member");
    assert!(!member.is_admin() && !member.is_owner());
    let parsed = Command::parse("/start", &[], "kit_bot");
    assert_eq!(parsed, None, "no entity, no command");
}
