//! The blocking client (feature `blocking`) from plain `#[test]`s: calls
//! with setters, typed errors, and long polling as an iterator, against the
//! mock server running on a runtime of its own.

use botapi::blocking::BlockingClient;
use botapi::{Client, ErrorKind};
use botapi_tests::{MockBotApi, Reply};
use serde_json::json;

/// A mock server on its own runtime (kept alive by the returned value).
fn server() -> (tokio::runtime::Runtime, MockBotApi) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockBotApi::start());
    (rt, server)
}

fn bot(server: &MockBotApi) -> BlockingClient {
    let client = Client::builder("1:x")
        .base_url(server.url())
        .build()
        .unwrap();
    BlockingClient::new(client).unwrap()
}

#[test]
fn calls_block_until_answered() {
    let (_rt, server) = server();
    server.reply(Reply::ok(
        json!({"id": 9, "is_bot": true, "first_name": "Bot"}),
    ));
    server.reply(Reply::error(400, "Bad Request: chat not found", None));
    let bot = bot(&server);
    assert_eq!(bot.wait(bot.get_me()).unwrap().first_name, "Bot");
    let err = bot
        .wait(bot.send_message(5, "hi").parse_mode("HTML"))
        .unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::ChatNotFound));
    let sent = &server.requests()[1];
    assert_eq!(sent.method, "sendMessage");
    assert_eq!(sent.json.as_ref().unwrap()["parse_mode"], "HTML");
    // Validation still happens before the wire.
    let err = bot.wait(bot.send_message(5, "")).unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn updates_are_an_iterator() {
    let (_rt, server) = server();
    let update = |id: i64| json!({"update_id": id, "message": {"message_id": id, "date": 1, "chat": {"id": 1, "type": "private"}, "text": "t"}});
    server.reply(Reply::ok(json!([update(1), update(2)])));
    server.reply(Reply::error(401, "Unauthorized", None));
    let bot = bot(&server);
    let mut updates = bot.updates(bot.poller().timeout(0));
    let ids: Vec<i64> = updates
        .by_ref()
        .map_while(Result::ok)
        .map(|u| u.update_id)
        .collect();
    assert_eq!(ids, [1, 2]);
    assert_eq!(updates.next_offset(), Some(3));
    assert!(
        updates.next().is_none(),
        "the iterator ends after the error"
    );
}
