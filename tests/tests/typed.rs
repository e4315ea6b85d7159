//! The typed surface of issue 13: open enums of value sets (an unknown value
//! decodes and writes back unchanged), rules across fields caught by
//! `validate()` before anything is sent, tagged unions that refuse values
//! that are not objects, union accessors, typed update kinds, and the ids.

use botapi::ids::{ChatId, UserId};
use botapi::types::{
    Chat, ChatMember, ChatType, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton,
    MaybeInaccessibleMessage, MessageEntity, MessageEntityType, ParseMode, ReplyKeyboardMarkup,
    Update, UpdateType,
};
use botapi::{Client, Error};
use botapi_tests::{MockBotApi, Reply};
use serde_json::json;

#[test]
fn an_unknown_entity_type_decodes_and_writes_back_unchanged() {
    let raw = json!({"type": "hologram", "offset": 0, "length": 3});
    let e: MessageEntity = serde_json::from_value(raw.clone()).expect("decodes");
    assert_eq!(e.type_, MessageEntityType::Other("hologram".into()));
    assert_eq!(e.type_.as_str(), "hologram");
    assert_eq!(serde_json::to_value(&e).expect("encodes"), raw);
    let known: MessageEntity =
        serde_json::from_value(json!({"type": "bold", "offset": 0, "length": 3})).unwrap();
    assert_eq!(known.type_, MessageEntityType::Bold);
    assert!(known.type_ == "bold");
}

#[test]
fn value_sets_read_write_and_compare_as_their_strings() {
    assert_eq!(ParseMode::from("HTML"), ParseMode::Html);
    assert_eq!(ParseMode::MarkdownV2.to_string(), "MarkdownV2");
    assert_eq!(
        "Markdown".parse::<ParseMode>().unwrap(),
        ParseMode::Markdown
    );
    let chat: Chat = serde_json::from_value(json!({"id": 5, "type": "private"})).unwrap();
    assert_eq!(chat.type_, ChatType::Private);
    assert!(chat.type_ == "private");
    assert_eq!(chat.id, ChatId(5));
    assert_eq!(
        serde_json::to_value(&chat).unwrap(),
        json!({"id": 5, "type": "private"})
    );
}

#[test]
fn a_tagged_union_accepts_only_objects() {
    assert!(serde_json::from_str::<ChatMember>("true").is_err());
    assert!(serde_json::from_str::<ChatMember>("42").is_err());
    assert!(serde_json::from_str::<ChatMember>("[]").is_err());
    let unknown: ChatMember = serde_json::from_value(
        json!({"status": "ghost", "user": {"id": 1, "is_bot": false, "first_name": "A"}}),
    )
    .expect("an object with an unknown tag is kept");
    assert!(matches!(unknown, ChatMember::Unknown(_)));
    assert_eq!(unknown.status(), Some("ghost"));
}

#[test]
fn union_accessors_read_the_field_every_variant_has() {
    let member: ChatMember = serde_json::from_value(json!({
        "status": "member", "user": {"id": 7, "is_bot": false, "first_name": "Ada"}
    }))
    .unwrap();
    assert_eq!(member.status(), Some("member"));
    assert_eq!(member.user().map(|u| u.id), Some(UserId(7)));
    let gone: MaybeInaccessibleMessage = serde_json::from_value(json!({
        "chat": {"id": -100, "type": "supergroup", "title": "T"}, "message_id": 3, "date": 0
    }))
    .unwrap();
    assert_eq!(gone.chat().map(|c| c.id), Some(ChatId(-100)));
    assert!(gone.message_id().is_some());
}

#[test]
fn update_kinds_are_typed() {
    let u: Update = serde_json::from_value(json!({
        "update_id": 1,
        "message": {"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"}, "text": "hi"}
    }))
    .unwrap();
    assert_eq!(u.kind.update_type(), Some(UpdateType::Message));
    assert_eq!(UpdateType::CallbackQuery.as_str(), "callback_query");
}

fn client(server: &MockBotApi) -> Client {
    Client::builder("1:x")
        .base_url(server.url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_button_without_an_action_fails_before_sending() {
    let server = MockBotApi::start().await;
    let markup = InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::new("Go")]]);
    let err = client(&server)
        .send_message(5, "hi")
        .reply_markup(markup)
        .await
        .unwrap_err();
    let Error::Validation(v) = &err else {
        panic!("expected a validation error, got {err}");
    };
    let shown = v.to_string();
    assert!(
        shown.contains(
            "sendMessage.reply_markup.inline_keyboard[0][0]: at least one of `url`, `callback_data`,"
        ),
        "{shown}"
    );
    assert!(shown.ends_with("must be set, got none set"), "{shown}");
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_button_with_two_actions_goes_out_as_telegram_takes_the_first() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(json!({
        "message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "hi"
    })));
    let button = InlineKeyboardButton::new("Go")
        .url("https://example.org")
        .callback_data("go");
    let markup = InlineKeyboardMarkup::new(vec![vec![button]]);
    client(&server)
        .send_message(5, "hi")
        .reply_markup(markup)
        .await
        .expect("sent");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_edit_without_its_target_fails_before_sending() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(json!(true)));
    let err = client(&server)
        .edit_message_text()
        .text("new text")
        .await
        .unwrap_err();
    let Error::Validation(v) = &err else {
        panic!("expected a validation error, got {err}");
    };
    assert_eq!(
        v.violations[0].to_string(),
        "editMessageText: set either `chat_id` and `message_id`, or `inline_message_id`, got none set"
    );
    assert!(server.requests().is_empty(), "nothing was sent");
    // With a target it goes out.
    let ok = client(&server)
        .edit_message_text()
        .text("new text")
        .inline_message_id("abc")
        .await;
    assert!(ok.is_ok(), "{ok:?}");
}

#[tokio::test]
async fn parse_mode_with_entities_goes_out_as_telegram_takes_the_parse_mode() {
    // Telegram's server uses the parse mode and ignores the entities, and
    // refuses neither: validate() may not reject the pair.
    let m = botapi::methods::SendMessage::new(5, "hi")
        .parse_mode(ParseMode::Html)
        .entities(vec![MessageEntity::new(MessageEntityType::Bold, 0, 2)]);
    assert!(m.validate().is_ok(), "{:?}", m.validate());
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(json!({
        "message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "hi"
    })));
    client(&server).send(&m).await.expect("sent");
    let sent = server.requests()[0].json.clone().expect("a JSON body");
    assert_eq!(sent["parse_mode"], "HTML");
    assert_eq!(sent["entities"][0]["type"], "bold");
    // The rule is in the request's docs instead: a plain string still converts.
    assert!(botapi::methods::SendMessage::new(5, "hi")
        .parse_mode("HTML")
        .validate()
        .is_ok());
}

#[test]
fn a_reply_keyboard_button_may_ask_for_two_things() {
    // Telegram's server takes the first request in its own order.
    let b = KeyboardButton::new("Share")
        .request_contact(true)
        .request_location(true);
    let markup = ReplyKeyboardMarkup::new(vec![vec![b]]);
    let m = botapi::methods::SendMessage::new(5, "hi").reply_markup(markup);
    assert!(m.validate().is_ok(), "{:?}", m.validate());
}

#[test]
fn an_update_names_its_chat_and_sender_whatever_its_kind() {
    let user = json!({"id": 9, "is_bot": false, "first_name": "Bo"});
    let chat = json!({"id": -5, "type": "group", "title": "G"});
    let message = json!({"message_id": 1, "date": 1, "chat": chat, "from": user, "text": "hi"});
    let read = |v: serde_json::Value| -> Update { serde_json::from_value(v).expect("an update") };
    let m = read(json!({"update_id": 1, "message": message}));
    assert_eq!(m.chat().map(|c| c.id), Some(ChatId(-5)));
    assert_eq!(m.sender().map(|u| u.id), Some(UserId(9)));
    let cb = read(json!({"update_id": 2, "callback_query": {
        "id": "q", "from": user, "chat_instance": "i", "message": message, "data": "d"}}));
    assert_eq!(
        cb.chat().map(|c| c.id),
        Some(ChatId(-5)),
        "through the message"
    );
    assert_eq!(cb.sender().map(|u| u.id), Some(UserId(9)));
    let iq = read(json!({"update_id": 3, "inline_query": {
        "id": "q", "from": user, "query": "", "offset": ""}}));
    assert!(iq.chat().is_none());
    assert_eq!(iq.sender().map(|u| u.id), Some(UserId(9)));
    let unknown = read(json!({"update_id": 4, "hologram": {}}));
    assert!(unknown.chat().is_none() && unknown.sender().is_none());
}
