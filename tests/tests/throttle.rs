//! The client's throttle against the mock Bot API server, which records when
//! each request arrives: which requests it counts (from the schema), a 429
//! that pauses one chat while the others go on, retries keeping their place,
//! paid broadcasts, and every way of sending (client methods, `send`,
//! `call`, the blocking client). Timing checks allow for scheduling delays
//! only where a request may come later, never earlier, than the limit says.

use std::time::{Duration, Instant};

use botapi::methods::{AnswerCallbackQuery, CopyMessage, EditMessageText, GetMe, SendMessage};
use botapi::throttle::{Chat, Rate, Target, Throttle};
use botapi::{Client, Error, Request, RetryPolicy};
use botapi_tests::{MockBotApi, Recorded, Reply};
use serde_json::json;

/// A mock that answers every send with a message in the chat it names and
/// `getMe` with a bot.
async fn server() -> MockBotApi {
    let server = MockBotApi::start().await;
    server.otherwise(|r: &Recorded| match r.method.as_str() {
        "getMe" => Reply::ok(json!({"id": 1, "is_bot": true, "first_name": "Bot"})),
        "sendMessage" => {
            let body = r.json.clone().unwrap_or_default();
            Reply::ok(json!({
                "message_id": 1, "date": 1,
                "chat": {"id": body["chat_id"], "type": "private"},
                "text": body["text"],
            }))
        }
        _ => Reply::ok(json!(true)),
    });
    server
}

fn client(server: &MockBotApi, throttle: Throttle) -> Client {
    Client::builder("1:x")
        .base_url(server.url())
        .throttle(throttle)
        .build()
        .unwrap()
}

fn chat_of(r: &Recorded) -> i64 {
    r.json
        .as_ref()
        .and_then(|j| j["chat_id"].as_i64())
        .unwrap_or(0)
}

fn text_of(r: &Recorded) -> String {
    r.json
        .as_ref()
        .and_then(|j| j["text"].as_str())
        .unwrap_or("")
        .to_string()
}

/// Arrival times of the sends to `chat`, with their texts.
fn arrivals(server: &MockBotApi, chat: i64) -> Vec<(Instant, String)> {
    server
        .requests()
        .iter()
        .filter(|r| r.method == "sendMessage" && chat_of(r) == chat)
        .map(|r| (r.at, text_of(r)))
        .collect()
}

fn flood(retry_after: u64) -> Reply {
    Reply::error(
        429,
        &format!("Too Many Requests: retry after {retry_after}"),
        Some(json!({"retry_after": retry_after})),
    )
}

#[test]
fn the_schema_says_which_requests_are_sends() {
    let send = SendMessage::new(-1005_i64, "hi").allow_paid_broadcast(true);
    assert_eq!(
        send.throttle_target(),
        Some(Target::new(Chat::Id(-1005), true))
    );
    let send = SendMessage::new("@Channel", "hi");
    assert_eq!(
        send.throttle_target(),
        Some(Target::new(Chat::Username("@channel".into()), false))
    );
    assert!(CopyMessage::new(5, 6, 7).throttle_target().is_some());
    assert_eq!(GetMe::new().throttle_target(), None);
    assert_eq!(AnswerCallbackQuery::new("q").throttle_target(), None);
    // An edit may name no chat at all (inline messages): not counted.
    assert_eq!(EditMessageText::new().throttle_target(), None);
}

#[tokio::test]
async fn bad_settings_are_an_error_not_a_panic() {
    let err = Client::builder("1:x")
        .throttle(Throttle::default().global(Rate::per_second(0)))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    assert!(
        err.to_string().contains("global rate allows no send"),
        "{err}"
    );
}

#[tokio::test]
async fn a_429_pauses_its_chat_while_the_others_go_on() {
    let server = server().await;
    server.reply_when(|r| r.method == "sendMessage" && chat_of(r) == 1, flood(3));
    let client = client(&server, Throttle::default());
    let start = Instant::now();
    let err = client.send_message(1, "1a").await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    let mut sends = Vec::new();
    for chat in 1..=4_i64 {
        for n in ["b", "c"] {
            let client = client.clone();
            sends.push(tokio::spawn(async move {
                client.send_message(chat, format!("{chat}{n}")).await
            }));
            tokio::task::yield_now().await;
        }
    }
    for send in sends {
        send.await.unwrap().unwrap();
    }
    let refused = arrivals(&server, 1)[0].0;
    let chat1 = arrivals(&server, 1);
    let texts: Vec<&str> = chat1.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(texts, ["1a", "1b", "1c"]);
    let paused = chat1[1].0 - refused;
    assert!(
        paused >= Duration::from_secs(3),
        "chat 1 paused only {paused:?}"
    );
    for chat in 2..=4 {
        let other = arrivals(&server, chat);
        assert_eq!(other.len(), 2);
        // The others were not held back by chat 1's pause.
        assert!(other[1].0 < chat1[1].0, "chat {chat} waited for chat 1");
        assert!(other[1].0 - other[0].0 >= Duration::from_secs(1));
    }
    println!(
        "chat 1 paused {:?} after its 429; chat 2 sent its second message after {:?}",
        paused,
        arrivals(&server, 2)[1].0 - start
    );
}

#[tokio::test]
async fn a_retried_send_is_still_delivered_before_later_ones() {
    let server = server().await;
    server.reply_when(|r| text_of(r) == "first", flood(2));
    let client = Client::builder("1:x")
        .base_url(server.url())
        .throttle(Throttle::default())
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    let first = tokio::spawn({
        let client = client.clone();
        async move { client.send_message(9, "first").await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let second = tokio::spawn({
        let client = client.clone();
        async move { client.send_message(9, "second").await }
    });
    first.await.unwrap().unwrap();
    second.await.unwrap().unwrap();
    let sent: Vec<String> = arrivals(&server, 9).into_iter().map(|a| a.1).collect();
    assert_eq!(sent, ["first", "first", "second"]);
    let at = arrivals(&server, 9);
    assert!(at[1].0 - at[0].0 >= Duration::from_secs(2));
}

#[tokio::test]
async fn requests_that_are_not_sends_never_wait() {
    let server = server().await;
    server.reply_when(|r| r.method == "sendMessage", flood(30));
    let client = client(&server, Throttle::default());
    client.send_message(3, "refused").await.unwrap_err();
    // Chat 3 is paused for 30 s; a send to it waits ...
    let waiting = tokio::spawn({
        let client = client.clone();
        async move { client.send_message(3, "later").await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(client.throttle_stats().unwrap().waiting, 1);
    assert_eq!(client.throttle_stats().unwrap().paused_chats, 1);
    // ... while getters and answers pass at once, as many as asked.
    let start = Instant::now();
    for _ in 0..40 {
        client.get_me().await.unwrap();
        client.send(&AnswerCallbackQuery::new("q")).await.unwrap();
    }
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(client.throttle_stats().unwrap().waiting, 1);
    waiting.abort();
    let _ = waiting.await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(client.throttle_stats().unwrap().waiting, 0, "gave up, left");
}

#[tokio::test]
async fn paid_broadcasts_go_faster_only_when_asked() {
    let server = server().await;
    let client = client(&server, Throttle::default().global(Rate::per_second(5)));
    let sends = |paid: bool, base: i64| {
        let client = client.clone();
        async move {
            let calls = (0..15).map(|i| {
                let client = client.clone();
                tokio::spawn(async move {
                    client
                        .send_message(base + i, "news")
                        .allow_paid_broadcast(paid)
                        .await
                })
            });
            for call in calls.collect::<Vec<_>>() {
                call.await.unwrap().unwrap();
            }
        }
    };
    let start = Instant::now();
    sends(true, 100).await;
    let paid = start.elapsed();
    let start = Instant::now();
    sends(false, 200).await;
    let free = start.elapsed();
    // 15 at 5 per second: the last leaves after two full spans.
    assert!(free >= Duration::from_secs(2), "{free:?}");
    assert!(paid < free, "paid {paid:?}, free {free:?}");
    println!("15 paid broadcasts: {paid:?}; 15 free ones at 5/s: {free:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_way_of_sending_shares_the_throttle() {
    let server = server().await;
    let client = client(&server, Throttle::default());
    // The blocking client, on a thread of its own, sharing the throttle.
    let blocking = std::thread::spawn({
        let client = client.clone();
        move || {
            let bot = botapi::blocking::BlockingClient::new(client).unwrap();
            bot.wait(bot.send_message(4, "blocking wait")).unwrap();
            bot.send(&SendMessage::new(4, "blocking send")).unwrap();
        }
    });
    client.send_message(4, "method").await.unwrap();
    client.send(&SendMessage::new(4, "send")).await.unwrap();
    client.call(SendMessage::new(4, "call")).await.unwrap();
    tokio::task::spawn_blocking(move || blocking.join().unwrap())
        .await
        .unwrap();
    let at = arrivals(&server, 4);
    assert_eq!(at.len(), 5);
    for pair in at.windows(2) {
        let gap = pair[1].0 - pair[0].0;
        assert!(
            gap >= Duration::from_secs(1),
            "{:?} then {:?} after {gap:?}",
            pair[0].1,
            pair[1].1
        );
    }
}
