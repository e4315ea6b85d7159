//! Bot API 10.4 and 10.5 through the client against the mock Bot API server
//! on 127.0.0.1: a widget sent, queried and answered (sendWidget, a
//! `widget_query` update read by the poller, answerWidgetQuery; on the fake
//! Bot API of `botapi::testing`, which checks each request too);
//! setMySettings sending exactly the settings given (`false` and `""`
//! included); getMe answered as 10.5 (`BotFullInfo`) and as 10.3 (a `User`
//! with the bot-only flags), both decoding without invented values and
//! writing back their input; the deprecated `StoryAreaPosition` alias; and a
//! 10.3-shaped expandable block quotation (`text`, no `blocks`).

use botapi::testing::{FakeBotApi, Reply as FakeReply};
use botapi::types::{
    AreaPosition, BotFullInfo, RichBlock, StoryArea, StoryAreaTypeLink, Update, UpdateKind,
    WidgetQueryType,
};
use botapi::Client;
use botapi_tests::{MockBotApi, Reply};
use serde_json::{json, Value};

const TOKEN: &str = "105:widget-and-settings";

fn client(server: &MockBotApi) -> Client {
    Client::builder(TOKEN)
        .base_url(server.url())
        .build()
        .expect("client")
}

fn private_chat() -> Value {
    json!({"id": 5, "type": "private", "first_name": "Ada"})
}

fn ada() -> Value {
    json!({"id": 5, "is_bot": false, "first_name": "Ada", "language_code": "en"})
}

const HTML: &str = "<div id=\"board\">Score: <b>0</b> — play ▶</div>";

/// The message Telegram answers sendWidget with.
fn widget_message() -> Value {
    json!({
        "message_id": 77,
        "date": 1764000000,
        "chat": private_chat(),
        "from": {"id": 105, "is_bot": true, "first_name": "Widgets", "username": "widget_bot"},
        "widget": {
            "html": HTML,
            "width": 320,
            "height": 240,
            "public_data": "{\"score\":0}",
            "chat_data": "{\"turn\":\"ada\"}"
        },
        "caption": "Play with me"
    })
}

/// A `widget_query` update for the message above.
fn widget_query_update() -> Value {
    json!({
        "update_id": 9001,
        "widget_query": {
            "id": "wq-4242",
            "from": ada(),
            "chat_instance": "-8712345",
            "type": {"type": "data"},
            "data": "{\"move\":\"e4\"}",
            "chat": private_chat(),
            "message_id": 77
        }
    })
}

#[tokio::test]
async fn a_widget_is_sent_queried_and_answered() {
    // On the fake Bot API: each request is also checked against the schema.
    let server = FakeBotApi::builder().token(TOKEN).start().await.unwrap();
    server.reply_once("sendWidget", FakeReply::ok(widget_message()));
    server.push_update(widget_query_update());
    let c = server.client();

    let sent = c
        .send_widget(5, HTML)
        .public_data("{\"score\":0}")
        .chat_data("{\"turn\":\"ada\"}")
        .width(320)
        .height(240)
        .caption("Play with me")
        .allow_queries(true)
        .protect_content(false)
        .await
        .expect("sendWidget");
    assert_eq!(sent.message_id, 77);
    let widget = sent
        .widget
        .as_ref()
        .expect("the message carries the widget");
    assert_eq!(widget.html, HTML);
    assert_eq!(widget.id, None, "not a shared widget");
    assert_eq!((widget.width, widget.height), (Some(320), Some(240)));
    assert_eq!(widget.public_data.as_deref(), Some("{\"score\":0}"));
    assert_eq!(widget.chat_data.as_deref(), Some("{\"turn\":\"ada\"}"));
    assert!(widget.extra.is_empty() && sent.extra.is_empty());
    assert_eq!(serde_json::to_value(&sent).unwrap(), widget_message());

    let mut poller = c.poller().timeout(0).allowed_updates(["widget_query"]);
    let update = poller.next().await.expect("the widget query");
    assert_eq!(update.update_id, 9001);
    let UpdateKind::WidgetQuery(query) = &update.kind else {
        panic!("expected a widget query, got {:?}", update.kind)
    };
    assert_eq!(query.id, "wq-4242");
    assert_eq!(query.from.id, 5);
    assert_eq!(query.chat_instance, "-8712345");
    assert_eq!(query.data, "{\"move\":\"e4\"}");
    assert_eq!(query.message_id, Some(sent.message_id));
    assert_eq!(query.chat.as_ref().map(|c| c.id.get()), Some(5));
    assert_eq!(
        (query.inline_message_id.as_ref(), query.widget_id.as_ref()),
        (None, None)
    );
    match query.type_.as_ref() {
        WidgetQueryType::Data(d) => assert!(d.wallet_card.is_none() && d.extra.is_empty()),
        other => panic!("expected a data query, got {other:?}"),
    }
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        widget_query_update()
    );

    let answered = c
        .answer_widget_query(query.id.clone())
        .data("{\"ok\":true,\"score\":1}")
        .await
        .expect("answerWidgetQuery");
    assert!(answered);

    let reqs = server.calls();
    let methods: Vec<&str> = reqs.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["sendWidget", "getUpdates", "answerWidgetQuery"]);
    assert!(reqs
        .iter()
        .all(|r| r.content_type.starts_with("application/json") && r.is_ok()));
    assert_eq!(
        reqs[0].params,
        json!({
            "chat_id": 5,
            "html": HTML,
            "width": 320,
            "height": 240,
            "public_data": "{\"score\":0}",
            "chat_data": "{\"turn\":\"ada\"}",
            "caption": "Play with me",
            "allow_queries": true,
            "protect_content": false
        })
    );
    assert_eq!(
        reqs[1].params,
        json!({"timeout": 0, "allowed_updates": ["widget_query"]})
    );
    assert_eq!(
        reqs[2].params,
        json!({"widget_query_id": "wq-4242", "data": "{\"ok\":true,\"score\":1}"})
    );
}

#[tokio::test]
async fn a_shared_widget_query_and_the_other_query_types_decode() {
    let wallet = json!({"address": "UQBvW8Z5huBkMJYdnfAEM5JqTNkuWX3diqYENkWsIL0XggGG", "amount": "1000000000"});
    let batch = json!([
        {"update_id": 1, "shared_widget_query": {
            "id": "sq-1", "from": ada(), "type": {"type": "sign_data", "wallet": wallet, "sign_data": "c2lnbg=="},
            "data": "sign", "widget_id": "w-77"
        }},
        {"update_id": 2, "widget_query": {
            "id": "wq-2", "from": ada(), "chat_instance": "1", "data": "paid",
            "type": {"type": "sent_transaction", "wallet": wallet, "msg_hash": "abcd"},
            "inline_message_id": "AAAAAQ", "chat_type": "sender"
        }}
    ]);
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(batch.clone()));
    let updates = client(&server)
        .get_updates()
        .timeout(0)
        .await
        .expect("the batch");
    assert_eq!(serde_json::to_value(&updates).unwrap(), batch);
    let UpdateKind::SharedWidgetQuery(shared) = &updates[0].kind else {
        panic!("expected a shared widget query, got {:?}", updates[0].kind)
    };
    assert_eq!(
        (shared.id.as_str(), shared.widget_id.as_str()),
        ("sq-1", "w-77")
    );
    match shared.type_.as_ref() {
        WidgetQueryType::SignData(s) => {
            assert_eq!(s.sign_data, "c2lnbg==");
            assert_eq!(s.wallet.amount, "1000000000");
            assert_eq!(s.wallet.public_key, None);
        }
        other => panic!("expected sign_data, got {other:?}"),
    }
    let UpdateKind::WidgetQuery(q) = &updates[1].kind else {
        panic!("expected a widget query, got {:?}", updates[1].kind)
    };
    assert!(q.chat.is_none() && q.message_id.is_none());
    assert_eq!(q.inline_message_id.as_deref(), Some("AAAAAQ"));
    assert!(
        matches!(q.type_.as_ref(), WidgetQueryType::SentTransaction(t) if t.msg_hash == "abcd"),
        "{:?}",
        q.type_
    );
}

#[tokio::test]
async fn set_my_settings_sends_exactly_the_settings_given() {
    let server = MockBotApi::start().await;
    let c = client(&server);
    let done = c
        .set_my_settings()
        .supports_inline_queries(true)
        .inline_query_placeholder("")
        .can_join_groups(false)
        .inline_feedback_share_denominator(0)
        .callback_query_mode("inline")
        .await
        .expect("setMySettings");
    assert!(done);
    // Nothing set: an empty object, not a list of nulls.
    assert!(c.set_my_settings().await.expect("no settings"));
    let reqs = server.requests();
    assert_eq!(reqs[0].method, "setMySettings");
    assert_eq!(
        reqs[0].json,
        Some(json!({
            "supports_inline_queries": true,
            "inline_query_placeholder": "",
            "inline_feedback_share_denominator": 0,
            "can_join_groups": false,
            "callback_query_mode": "inline"
        }))
    );
    // Set in any order, the keys are written in the official parameter order.
    let sent = serde_json::to_string(
        &botapi::methods::SetMySettings::new()
            .callback_query_mode("inline")
            .can_join_groups(false)
            .inline_feedback_share_denominator(0)
            .inline_query_placeholder("")
            .supports_inline_queries(true),
    )
    .unwrap();
    assert_eq!(
        sent,
        "{\"supports_inline_queries\":true,\"inline_query_placeholder\":\"\",\"inline_feedback_share_denominator\":0,\"can_join_groups\":false,\"callback_query_mode\":\"inline\"}"
    );
    assert_eq!(reqs[1].json, Some(json!({})));
}

fn me_10_5() -> Value {
    json!({
        "id": 105,
        "first_name": "Widgets",
        "username": "widget_bot",
        "active_usernames": ["widget_bot", "widgets_alias_bot"],
        "can_join_groups": true,
        "can_read_all_group_messages": false,
        "supports_inline_queries": true,
        "inline_query_placeholder": "Search widgets…",
        "needs_inline_query_location": false,
        "has_topics_enabled": true,
        "has_topic_sidebar": true,
        "can_manage_bots": false
    })
}

/// getMe as a 10.3 server answers it: a User with every bot-only flag.
fn me_10_3() -> Value {
    json!({
        "id": 105,
        "is_bot": true,
        "first_name": "Widgets",
        "username": "widget_bot",
        "can_join_groups": true,
        "can_read_all_group_messages": false,
        "supports_inline_queries": true,
        "can_connect_to_business": false,
        "has_main_web_app": true,
        "has_topics_enabled": false,
        "allows_users_to_create_topics": false,
        "can_manage_bots": false,
        "supports_guest_queries": true,
        "supports_join_request_queries": false
    })
}

#[tokio::test]
async fn get_me_decodes_10_5_and_10_3_replies() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(me_10_5()));
    server.reply(Reply::ok(me_10_3()));
    let c = client(&server);

    let now: BotFullInfo = c.get_me().await.expect("10.5 getMe");
    assert_eq!((now.id.get(), now.first_name.as_str()), (105, "Widgets"));
    assert_eq!(now.username.as_deref(), Some("widget_bot"));
    assert_eq!(
        now.active_usernames.as_deref(),
        Some(&["widget_bot".into(), "widgets_alias_bot".into()][..])
    );
    assert_eq!(
        now.inline_query_placeholder.as_deref(),
        Some("Search widgets…")
    );
    assert_eq!(now.needs_inline_query_location, Some(false));
    assert_eq!(now.has_topic_sidebar, Some(true));
    assert_eq!(now.can_join_groups, Some(true));
    assert_eq!(now.supports_guest_queries, None, "not sent, not invented");
    assert!(now.extra.is_empty(), "{:?}", now.extra);
    assert_eq!(serde_json::to_value(&now).unwrap(), me_10_5());

    let old: BotFullInfo = c.get_me().await.expect("10.3 getMe");
    assert_eq!((old.id.get(), old.first_name.as_str()), (105, "Widgets"));
    assert_eq!(old.username.as_deref(), Some("widget_bot"));
    // The flags that moved from User land in their fields...
    assert_eq!(old.can_join_groups, Some(true));
    assert_eq!(old.can_read_all_group_messages, Some(false));
    assert_eq!(old.supports_inline_queries, Some(true));
    assert_eq!(old.can_connect_to_business, Some(false));
    assert_eq!(old.has_main_web_app, Some(true));
    assert_eq!(old.has_topics_enabled, Some(false));
    assert_eq!(old.allows_users_to_create_topics, Some(false));
    assert_eq!(old.can_manage_bots, Some(false));
    assert_eq!(old.supports_guest_queries, Some(true));
    assert_eq!(old.supports_join_request_queries, Some(false));
    // ...the 10.5 ones stay unset...
    assert_eq!(old.active_usernames, None);
    assert_eq!(old.inline_query_placeholder, None);
    assert_eq!(old.needs_inline_query_location, None);
    assert_eq!(old.has_topic_sidebar, None);
    // ...and what BotFullInfo does not know is kept, not dropped.
    let kept: Vec<&String> = old.extra.iter().map(|(k, _)| k).collect();
    assert_eq!(kept, ["is_bot"]);
    assert_eq!(old.extra["is_bot"], json!(true));
    assert_eq!(serde_json::to_value(&old).unwrap(), me_10_3());

    let reqs = server.requests();
    assert!(reqs.iter().all(|r| r.method == "getMe"), "{reqs:?}");
}

#[test]
#[allow(deprecated)]
fn story_area_position_is_the_same_type_as_area_position() {
    use botapi::types::StoryAreaPosition;
    use std::any::TypeId;

    assert_eq!(
        TypeId::of::<StoryAreaPosition>(),
        TypeId::of::<AreaPosition>()
    );
    // Built through the old name, used where the new one is expected.
    let old: StoryAreaPosition = StoryAreaPosition::new(50.0, 50.0, 20.0, 10.0, 0.0, 2.5);
    let new: AreaPosition = old.clone();
    let area = StoryArea::new(old, StoryAreaTypeLink::new("https://example.org"));
    assert_eq!(area.position, new);
    let wire = json!({
        "position": {
            "x_percentage": 50.0, "y_percentage": 50.0, "width_percentage": 20.0,
            "height_percentage": 10.0, "rotation_angle": 0.0, "corner_radius_percentage": 2.5
        },
        "type": {"type": "link", "url": "https://example.org"}
    });
    assert_eq!(serde_json::to_value(&area).unwrap(), wire);
    let read: StoryAreaPosition = serde_json::from_value(wire["position"].clone()).unwrap();
    assert_eq!(read, new);

    // The old name is marked deprecated where it is declared (wherever the
    // generated crate keeps its types).
    let alias = "pub type StoryAreaPosition = AreaPosition;";
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src");
    let src = rust_files(&root)
        .into_iter()
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .find(|text| text.contains(alias))
        .expect("the alias in generated/src");
    let before = &src[..src.find(alias).expect("alias")];
    let attr = before
        .rfind("#[deprecated")
        .expect("a #[deprecated] attribute");
    assert!(
        !before[attr..].contains("\npub "),
        "#[deprecated] belongs to another item"
    );
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// A 10.3 rich message: the expandable quotation holds one RichText in
/// `text`, where 10.5 has a list of blocks.
fn rich_update(quotation: Value) -> Value {
    json!({
        "update_id": 310,
        "message": {
            "message_id": 31,
            "date": 1760000000,
            "chat": private_chat(),
            "rich_message": {"blocks": [
                {"type": "paragraph", "text": {"type": "bold", "text": {"type": "mathematical_expression", "expression": "E=mc^2"}}},
                quotation
            ]}
        }
    })
}

fn quoted_text() -> Value {
    json!({"type": "italic", "text": {"type": "custom_emoji", "custom_emoji_id": "5368324170671202286", "alternative_text": "👍"}})
}

fn credit() -> Value {
    json!({"type": "mathematical_expression", "expression": "Einstein"})
}

fn quotation_of(update: &Update) -> botapi::types::RichBlockExpandableBlockQuotation {
    let UpdateKind::Message(m) = &update.kind else {
        panic!("expected a message, got {:?}", update.kind)
    };
    let rich = m.rich_message.as_ref().expect("a rich message");
    assert_eq!(rich.blocks.len(), 2);
    assert!(
        matches!(rich.blocks[0], RichBlock::Paragraph(_)),
        "{:?}",
        rich.blocks[0]
    );
    match &rich.blocks[1] {
        RichBlock::ExpandableBlockQuotation(q) => q.clone(),
        other => panic!("expected an expandable quotation, got {other:?}"),
    }
}

#[tokio::test]
async fn a_10_3_expandable_quotation_keeps_its_text() {
    let old = rich_update(
        json!({"type": "expandable_blockquote", "text": quoted_text(), "credit": credit()}),
    );
    let new = rich_update(json!({
        "type": "expandable_blockquote",
        "blocks": [{"type": "paragraph", "text": quoted_text()}],
        "credit": credit()
    }));
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(json!([old.clone(), new.clone()])));
    let updates = client(&server)
        .get_updates()
        .timeout(0)
        .await
        .expect("both updates");
    assert_eq!(updates.len(), 2);

    let q = quotation_of(&updates[0]);
    assert!(
        !matches!(updates[0].kind, UpdateKind::Undecodable(_)),
        "a 10.3 reply is not broken"
    );
    assert_eq!(q.blocks, None, "no blocks were sent");
    assert!(q.credit.is_some());
    let kept: Vec<&String> = q.extra.iter().map(|(k, _)| k).collect();
    assert_eq!(kept, ["text"]);
    assert_eq!(q.extra["text"], quoted_text());
    assert_eq!(serde_json::to_value(&updates[0]).unwrap(), old);

    let q = quotation_of(&updates[1]);
    let blocks = q.blocks.as_ref().expect("10.5 blocks");
    assert!(
        matches!(blocks[..], [RichBlock::Paragraph(_)]),
        "{blocks:?}"
    );
    assert!(q.extra.is_empty(), "{:?}", q.extra);
    assert_eq!(serde_json::to_value(&updates[1]).unwrap(), new);

    // Read without the client, the same.
    let direct: Update = serde_json::from_value(old.clone()).expect("serde_json");
    assert_eq!(direct, updates[0]);
}
