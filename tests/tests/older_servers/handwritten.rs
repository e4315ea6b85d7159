//! Hand-written replies, each shaped as a server before 10.1/10.3 sends it:
//! sendPoll, stopPoll, getUpdates (a poll answer), getChatMember
//! (administrator, restricted member), getChatAdministrators,
//! getMyDefaultAdministratorRights, getChat and getStarTransactions.

use botapi::types::{ChatMember, TransactionPartner, UpdateKind};
use botapi_tests::{MockBotApi, Reply};
use serde_json::{json, Map, Value};

use crate::{client, writes_back};

fn group() -> Value {
    json!({"id": -100200, "type": "supergroup", "title": "Team"})
}

fn bot_user() -> Value {
    json!({"id": 81, "is_bot": true, "first_name": "Bot", "username": "the_bot"})
}

fn ada() -> Value {
    json!({"id": 5, "is_bot": false, "first_name": "Ada", "language_code": "en"})
}

/// A poll as Bot API 8.1 to 10.0 sends it: no `persistent_id` on options,
/// no `allows_revoting`/`members_only`; a quiz still has the single
/// `correct_option_id` that 10.1 replaced.
fn old_poll(closed: bool) -> Value {
    let mut poll = json!({
        "id": "5436",
        "question": "Lunch?",
        "options": [
            {"text": "Pizza", "voter_count": if closed { 3 } else { 0 }},
            {"text": "Sushi", "voter_count": if closed { 1 } else { 0 },
             "text_entities": [{"type": "bold", "offset": 0, "length": 5}]}
        ],
        "total_voter_count": if closed { 4 } else { 0 },
        "is_closed": closed,
        "is_anonymous": false,
        "type": "quiz",
        "allows_multiple_answers": false,
        "correct_option_id": 0
    });
    if closed {
        poll["explanation"] = json!("Pizza wins");
        poll["close_date"] = json!(1733300600);
    }
    poll
}

fn check_old_poll(poll: &botapi::types::Poll, input: &Value) {
    assert_eq!(poll.allows_revoting, None);
    assert_eq!(poll.members_only, None);
    assert_eq!(
        poll.correct_option_ids, None,
        "not invented from the old key"
    );
    assert_eq!(poll.extra.get("correct_option_id"), Some(&json!(0)));
    assert_eq!(poll.options.len(), 2);
    for (o, raw) in poll
        .options
        .iter()
        .zip(input["options"].as_array().unwrap())
    {
        assert_eq!(o.persistent_id, None, "{o:?}");
        assert_eq!(o.text, raw["text"].as_str().unwrap());
        assert!(o.extra.is_empty(), "{:?}", o.extra);
    }
}

#[tokio::test]
async fn send_and_stop_poll_replies_without_10_1_fields() {
    let message = json!({
        "message_id": 12,
        "date": 1733300000,
        "chat": group(),
        "from": bot_user(),
        "poll": old_poll(false)
    });
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(message.clone()));
    server.reply(Reply::ok(old_poll(true)));
    let c = client(&server);
    let options: Vec<botapi::types::InputPollOption> = vec![
        botapi::types::InputPollOption::new("Pizza"),
        botapi::types::InputPollOption::new("Sushi"),
    ];
    let sent = c
        .send_poll(-100200_i64, "Lunch?", options)
        .type_("quiz")
        .await
        .expect("sendPoll");
    let poll = sent.poll.as_ref().expect("a poll");
    check_old_poll(poll, &message["poll"]);
    assert!(!poll.is_closed);
    writes_back("sendPoll reply", &sent, &message);

    let stopped = c.stop_poll(-100200_i64, 12).await.expect("stopPoll");
    check_old_poll(&stopped, &old_poll(true));
    assert!(stopped.is_closed);
    assert_eq!(stopped.explanation.as_deref(), Some("Pizza wins"));
    writes_back("stopPoll reply", &stopped, &old_poll(true));

    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["sendPoll", "stopPoll"]);
}

#[tokio::test]
async fn a_poll_answer_without_persistent_ids() {
    let batch = json!([
        {"update_id": 700, "poll_answer": {"poll_id": "5436", "user": ada(), "option_ids": [0, 1]}},
        {"update_id": 701, "poll": old_poll(true)}
    ]);
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(batch.clone()));
    let updates = client(&server)
        .get_updates()
        .timeout(0)
        .await
        .expect("updates");
    match &updates[0].kind {
        UpdateKind::PollAnswer(a) => {
            assert_eq!(a.option_ids, [0, 1]);
            assert_eq!(a.option_persistent_ids, None);
            assert!(a.extra.is_empty());
        }
        other => panic!("expected a poll answer, got {other:?}"),
    }
    match &updates[1].kind {
        UpdateKind::Poll(p) => check_old_poll(p, &batch[1]["poll"]),
        other => panic!("expected a poll, got {other:?}"),
    }
    writes_back("getUpdates reply", &updates, &batch);
}

/// Administrator rights as 8.1 to 10.2 send them: no
/// `can_send_welcome_messages` (10.3).
fn old_rights() -> Map<String, Value> {
    let v = json!({
        "is_anonymous": false,
        "can_manage_chat": true,
        "can_delete_messages": true,
        "can_manage_video_chats": false,
        "can_restrict_members": true,
        "can_promote_members": false,
        "can_change_info": true,
        "can_invite_users": true,
        "can_post_stories": false,
        "can_edit_stories": false,
        "can_delete_stories": false,
        "can_pin_messages": true,
        "can_manage_topics": false
    });
    v.as_object().unwrap().clone()
}

fn old_administrator() -> Value {
    let mut m = Map::new();
    m.insert("status".into(), json!("administrator"));
    m.insert("user".into(), ada());
    m.insert("can_be_edited".into(), json!(false));
    m.extend(old_rights());
    m.insert("custom_title".into(), json!("Chef"));
    Value::Object(m)
}

/// A restricted member as 8.1 to 10.0 send it: no `can_react_to_messages`
/// or `can_edit_tag` (10.1).
fn old_restricted() -> Value {
    json!({
        "status": "restricted",
        "user": {"id": 6, "is_bot": false, "first_name": "Bob"},
        "is_member": true,
        "can_send_messages": true,
        "can_send_audios": false,
        "can_send_documents": false,
        "can_send_photos": true,
        "can_send_videos": false,
        "can_send_video_notes": false,
        "can_send_voice_notes": false,
        "can_send_polls": false,
        "can_send_other_messages": false,
        "can_add_web_page_previews": false,
        "can_change_info": false,
        "can_invite_users": true,
        "can_pin_messages": false,
        "can_manage_topics": false,
        "until_date": 0
    })
}

fn check_administrator(m: &ChatMember) {
    match m {
        ChatMember::Administrator(a) => {
            assert_eq!(a.can_send_welcome_messages, None);
            assert!(a.can_manage_chat && a.can_restrict_members && !a.can_promote_members);
            assert_eq!(a.can_manage_tags, None);
            assert_eq!(a.custom_title.as_deref(), Some("Chef"));
            assert!(a.extra.is_empty(), "{:?}", a.extra);
        }
        other => panic!("expected an administrator, got {other:?}"),
    }
}

fn check_restricted(m: &ChatMember) {
    match m {
        ChatMember::Restricted(r) => {
            assert_eq!(r.can_react_to_messages, None);
            assert_eq!(r.can_edit_tag, None);
            assert!(r.is_member && r.can_send_messages && !r.can_send_polls);
            assert_eq!(r.until_date, 0);
            assert!(r.extra.is_empty(), "{:?}", r.extra);
        }
        other => panic!("expected a restricted member, got {other:?}"),
    }
}

#[tokio::test]
async fn chat_members_without_10_1_and_10_3_rights() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(old_administrator()));
    server.reply(Reply::ok(old_restricted()));
    server.reply(Reply::ok(json!([old_administrator(), old_restricted()])));
    server.reply(Reply::ok(Value::Object(old_rights())));
    let c = client(&server);

    let admin = c.get_chat_member(-100200_i64, 5).await.expect("admin");
    check_administrator(&admin);
    writes_back("administrator", &admin, &old_administrator());

    let restricted = c.get_chat_member(-100200_i64, 6).await.expect("restricted");
    check_restricted(&restricted);
    writes_back("restricted member", &restricted, &old_restricted());

    let all = c
        .get_chat_administrators(-100200_i64)
        .await
        .expect("administrators");
    check_administrator(&all[0]);
    check_restricted(&all[1]);
    writes_back(
        "getChatAdministrators reply",
        &all,
        &json!([old_administrator(), old_restricted()]),
    );

    let rights = c
        .get_my_default_administrator_rights()
        .await
        .expect("rights");
    assert_eq!(rights.can_send_welcome_messages, None);
    assert!(rights.can_delete_messages && !rights.is_anonymous);
    assert_eq!(rights.can_manage_direct_messages, None);
    writes_back("default rights", &rights, &Value::Object(old_rights()));
}

#[tokio::test]
async fn get_chat_without_accepted_gift_types() {
    let chat = json!({
        "id": -100200,
        "type": "supergroup",
        "title": "Team",
        "username": "team_chat",
        "accent_color_id": 3,
        "max_reaction_count": 11,
        "description": "Lunch planning",
        "permissions": {"can_send_messages": true, "can_send_polls": false},
        "pinned_message": {"message_id": 12, "date": 1733300000, "chat": group(), "poll": old_poll(false)},
        "has_visible_history": true,
        "can_send_gift": true
    });
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(chat.clone()));
    let info = client(&server)
        .get_chat(-100200_i64)
        .await
        .expect("getChat");
    assert_eq!(info.id, -100200);
    assert_eq!((info.accent_color_id, info.max_reaction_count), (3, 11));
    assert_eq!(info.accepted_gift_types, None);
    // The key 9.0 replaced is kept, not mapped onto the new one.
    assert_eq!(info.extra.get("can_send_gift"), Some(&json!(true)));
    let pinned = info.pinned_message.as_ref().expect("pinned");
    let poll = pinned.poll.as_ref().expect("pinned poll");
    check_old_poll(poll, &chat["pinned_message"]["poll"]);
    writes_back("getChat reply", &info, &chat);
}

#[tokio::test]
async fn star_transactions_without_transaction_type() {
    let reply = json!({"transactions": [
        {"id": "tx1", "amount": 50, "date": 1733300000,
         "source": {"type": "user", "user": ada(), "invoice_payload": "order-1"}},
        {"id": "tx2", "amount": 10, "nanostar_amount": 5, "date": 1733300100,
         "receiver": {"type": "user", "user": ada(), "paid_media_payload": "album"}}
    ]});
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(reply.clone()));
    let got = client(&server)
        .get_star_transactions()
        .await
        .expect("getStarTransactions");
    let partners = [
        got.transactions[0].source.as_deref(),
        got.transactions[1].receiver.as_deref(),
    ];
    for p in partners {
        match p {
            Some(TransactionPartner::User(u)) => {
                assert_eq!(u.transaction_type, None);
                assert_eq!(u.user.id, 5);
                assert!(u.extra.is_empty(), "{:?}", u.extra);
            }
            other => panic!("expected a user partner, got {other:?}"),
        }
    }
    writes_back("getStarTransactions reply", &got, &reply);
}
