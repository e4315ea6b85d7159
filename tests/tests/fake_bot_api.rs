//! The test kit (`botapi::testing`, feature `testing`) end to end, over
//! loopback only: a bot polled and answered, requests refused as Telegram
//! refuses them (from the client, from raw JSON, forms and query strings),
//! scripted answers and failures, uploads that come back through `getFile`
//! and a download, updates posted to a webhook the bot sets, and local mode.

use std::time::Duration;

use botapi::testing::{post_update, text_update, FakeBotApi, Reply};
use botapi::types::{InputPollOption, MessageOrTrue, UpdateKind, UpdateType};
use botapi::webhook::Webhook;
use botapi::{Client, ErrorKind, InputFile, RetryPolicy};
use serde_json::{json, Value};

/// A raw HTTP client for requests no typed client would send.
fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn raw(fake: &FakeBotApi, method: &str, body: Value) -> (u16, Value) {
    let url = format!("{}/bot{}/{method}", fake.url(), fake.token());
    let response = http()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_str(&response.text().await.unwrap()).unwrap(),
    )
}

#[tokio::test]
async fn an_echo_bot_end_to_end() {
    let fake = FakeBotApi::start().await;
    let client = fake.client();
    let bot = tokio::spawn(async move {
        let mut updates = client.poller().timeout(10);
        loop {
            let update = updates.next().await.unwrap();
            if let UpdateKind::Message(m) = update.kind {
                let text = m.text.unwrap_or_default();
                client.send_message(m.chat.id, text).await.unwrap();
            }
        }
    });
    // The poll is already waiting when the update arrives.
    tokio::time::sleep(Duration::from_millis(100)).await;
    fake.push_text(42, "hello");
    fake.push_text(-100500, "in a group");
    let first = fake.next_call("sendMessage").await;
    assert_eq!(first.params, json!({"chat_id": 42, "text": "hello"}));
    let answer = first.result().unwrap();
    assert_eq!(
        answer["chat"],
        json!({"id": 42, "type": "private", "first_name": "Test"})
    );
    assert_eq!(answer["text"], "hello");
    assert_eq!(answer["from"]["id"], fake.bot_id());
    let second = fake.next_call("sendMessage").await;
    assert_eq!(second.params["chat_id"], -100500);
    assert_eq!(second.result().unwrap()["chat"]["type"], "group");
    // Both updates are confirmed by the bot's next poll.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.pending_updates(), 0);
    bot.abort();
}

#[tokio::test]
async fn made_up_results_have_the_methods_types() {
    let fake = FakeBotApi::builder()
        .bot_name("Echo", "echo_bot")
        .start()
        .await
        .unwrap();
    let client = fake.client();
    let me = client.get_me().await.unwrap();
    assert_eq!(
        (me.id.get(), me.username.as_deref()),
        (123456789, Some("echo_bot"))
    );
    assert!(client.answer_callback_query("q1").await.unwrap());
    let chat = client.get_chat(-1001234567890_i64).await.unwrap();
    assert_eq!(chat.type_, "supergroup");
    let copied = client.copy_message(5, 6, 7).await.unwrap();
    assert!(copied.message_id.get() > 0);
    let edited = client
        .edit_message_text()
        .text("new")
        .chat_id(5)
        .message_id(77)
        .await
        .unwrap();
    let MessageOrTrue::Message(message) = edited else {
        panic!("an edit of a chat message gives the message: {edited:?}")
    };
    assert_eq!(
        (message.message_id.get(), message.text.as_deref()),
        (77, Some("new"))
    );
    assert!(message.edit_date.is_some());
    let inline = client
        .edit_message_text()
        .text("new")
        .inline_message_id("AAAA")
        .await
        .unwrap();
    assert_eq!(
        inline,
        MessageOrTrue::True(true),
        "an inline edit answers true"
    );
    let poll = client
        .send_poll(
            5,
            "Tea?",
            vec![InputPollOption::new("yes"), InputPollOption::new("no")],
        )
        .await
        .unwrap();
    let poll = poll.poll.unwrap();
    assert_eq!(poll.options.len(), 2);
    assert_eq!(poll.options[1].text, "no");
    let link = client.export_chat_invite_link(-100).await.unwrap();
    assert!(link.starts_with("https://t.me/"));
    let calls: Vec<String> = fake.calls().into_iter().map(|c| c.method).collect();
    assert_eq!(
        calls,
        [
            "getMe",
            "answerCallbackQuery",
            "getChat",
            "copyMessage",
            "editMessageText",
            "editMessageText",
            "sendPoll",
            "exportChatInviteLink"
        ]
    );
}

#[tokio::test]
async fn bad_requests_are_refused_like_telegram_does() {
    let fake = FakeBotApi::start().await;
    // From the client, with its own checks off.
    let unchecked = fake.client_builder().validate(false).build().unwrap();
    let err = unchecked
        .get_user_profile_audios(42)
        .limit(101)
        .await
        .unwrap_err();
    let api = err.api().expect("an error reply");
    assert_eq!(api.code, 400);
    assert_eq!(
        api.description,
        "Bad Request: getUserProfileAudios.limit: must be between 1 and 100, got 101"
    );
    // Raw requests no typed client sends.
    let (status, body) = raw(&fake, "sendMessage", json!({"chat_id": 1})).await;
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: parameter \"text\" is required"))
    );
    assert_eq!(body["ok"], false);
    assert_eq!(body["error_code"], 400);
    let (_, body) = raw(
        &fake,
        "sendMessage",
        json!({"chat_id": 1, "text": "a", "txet": 1}),
    )
    .await;
    assert_eq!(
        body["description"],
        "Bad Request: unknown parameter \"txet\""
    );
    let (_, body) = raw(&fake, "sendMessage", json!({"chat_id": true, "text": "a"})).await;
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .starts_with("Bad Request: can't parse parameter \"chat_id\""),
        "{body}"
    );
    let (status, body) = raw(&fake, "sendMesage", json!({})).await;
    assert_eq!(
        (status, body["description"].as_str()),
        (404, Some("Not Found"))
    );
    // Method names are read without regard to case.
    let (status, _) = raw(&fake, "GETME", json!({})).await;
    assert_eq!(status, 200);
    // Another token.
    let other = Client::builder("1:other")
        .base_url(fake.url())
        .build()
        .unwrap();
    let err = other.get_me().await.unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::Unauthorized));
    // Every call is recorded with its answer, refused ones included.
    let calls = fake.calls();
    assert_eq!(calls.len(), 7);
    assert_eq!(calls[0].status, 400);
    assert_eq!(calls[4].method, "sendMesage");
    assert_eq!(calls[5].method, "getMe");
    assert!(calls[5].is_ok());
    assert_eq!(
        calls[1].error(),
        Some("Bad Request: parameter \"text\" is required")
    );
}

#[tokio::test]
async fn forms_and_query_strings_are_read_as_telegram_reads_them() {
    let fake = FakeBotApi::start().await;
    let url = format!("{}/bot{}/sendMessage", fake.url(), fake.token());
    let form = http()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("chat_id=-100123&text=42&disable_notification=true")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let query = http()
        .get(format!("{url}?chat_id=7&text=hi%20there"))
        .send()
        .await
        .unwrap();
    assert_eq!(query.status(), 200);
    let calls = fake.calls_to("sendMessage");
    assert_eq!(
        calls[0].params,
        json!({"chat_id": -100123, "text": "42", "disable_notification": true})
    );
    assert_eq!(calls[1].params, json!({"chat_id": 7, "text": "hi there"}));
    let typed: botapi::methods::SendMessage = calls[1].request().unwrap();
    assert_eq!(typed.text, "hi there");
}

#[tokio::test]
async fn scripted_answers_come_first() {
    let fake = FakeBotApi::start().await;
    let client = fake.client();
    fake.reply("getChatMemberCount", Reply::ok(250))
        .reply_once(
            "getChatMemberCount",
            Reply::error(400, "Bad Request: chat not found"),
        )
        .reply_with("getChat", |params| {
            if params["chat_id"] == 1 {
                Reply::ok(json!({"id": 1, "type": "private", "first_name": "Ada",
                "accent_color_id": 3, "max_reaction_count": 11}))
            } else {
                Reply::auto()
            }
        });
    let err = client.get_chat_member_count(5).await.unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::ChatNotFound));
    assert_eq!(client.get_chat_member_count(5).await.unwrap(), 250);
    assert_eq!(client.get_chat_member_count(6).await.unwrap(), 250);
    assert_eq!(
        client.get_chat(1).await.unwrap().first_name.as_deref(),
        Some("Ada")
    );
    assert_eq!(
        client.get_chat(2).await.unwrap().id.get(),
        2,
        "left to the fake"
    );
    // A method that does not exist cannot be scripted.
    let typo = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        fake.reply("sendMesage", Reply::ok(true));
    }));
    assert!(typo.is_err());
}

#[tokio::test]
async fn failures_on_demand() {
    let fake = FakeBotApi::start().await;
    fake.fail_next("sendMessage", 429, 7);
    let err = fake.client().send_message(1, "hi").await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(
        err.to_string(),
        err.to_string().replace(fake.token(), "<token>")
    );

    // A client that retries waits retry_after and gets through.
    let patient = fake
        .client_builder()
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    fake.fail_next("sendMessage", 429, 1);
    let started = std::time::Instant::now();
    patient.send_message(1, "again").await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    let statuses: Vec<u16> = fake
        .calls_to("sendMessage")
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses, [429, 429, 200]);

    fake.fail_next("getMe", 502, None);
    let err = fake.client().get_me().await.unwrap_err();
    assert!(err.to_string().contains("502"), "{err}");
    fake.fail_next("getMe", 403, None);
    let err = fake.client().get_me().await.unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::BotBlocked));
    // An invalid call does not take the queued failure.
    fake.fail_next("sendMessage", 500, None);
    let (status, _) = raw(&fake, "sendMessage", json!({"chat_id": 1})).await;
    assert_eq!(status, 400);
    let err = fake.client().send_message(1, "x").await.unwrap_err();
    assert_eq!(err.api().unwrap().code, 500);
}

#[tokio::test]
async fn uploads_come_back_through_get_file() {
    let fake = FakeBotApi::start().await;
    let client = fake.client();
    let song: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    let sent = client
        .send_audio(-100123_i64, InputFile::bytes("song.mp3", song.clone()))
        .title("Song")
        .await
        .unwrap();
    let audio = sent.audio.expect("the message holds the audio");
    assert_eq!(audio.file_size, Some(70_000));
    assert_eq!(
        audio.title.as_deref(),
        None,
        "not echoed: Telegram reads tags"
    );
    let call = fake.next_call("sendAudio").await;
    assert!(call.content_type.starts_with("multipart/form-data"));
    assert_eq!(call.params["audio"], "attach://audio");
    assert_eq!(call.params["title"], "Song");
    assert_eq!(call.file("audio").unwrap().data, song);
    assert_eq!(
        call.file("audio").unwrap().file_name.as_deref(),
        Some("song.mp3")
    );

    let file = client.get_file(audio.file_id.clone()).await.unwrap();
    let path = file.file_path.unwrap();
    assert!(path.ends_with(".mp3"), "{path}");
    let mut downloaded = Vec::new();
    client.download(&path, &mut downloaded).await.unwrap();
    assert_eq!(downloaded, song);

    // A file the test adds, and one nobody has.
    fake.add_file("BQADfromTest", "notes.txt", b"some notes".to_vec());
    let notes = client.get_file("BQADfromTest").await.unwrap();
    let mut text = Vec::new();
    client
        .download(&notes.file_path.unwrap(), &mut text)
        .await
        .unwrap();
    assert_eq!(text, b"some notes");
    let err = client.get_file("nope").await.unwrap_err();
    assert_eq!(
        err.api().unwrap().description,
        "Bad Request: invalid file_id"
    );
}

#[tokio::test]
async fn media_groups_and_upload_limits() {
    use botapi::types::{InputMediaDocument, InputMediaPhoto};
    let fake = FakeBotApi::start().await;
    let client = fake.client();
    let media = vec![
        InputMediaPhoto::new(InputFile::bytes("a.jpg", vec![1u8, 2, 3]))
            .caption("first")
            .into(),
        InputMediaDocument::new(InputFile::file_id("BQACAgIAAxkBAAI")).into(),
    ];
    let sent = client.send_media_group(5, media).await.unwrap();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].caption.as_deref(), Some("first"));
    assert_eq!(sent[0].media_group_id, sent[1].media_group_id);
    assert_eq!(
        sent[1].document.as_ref().unwrap().file_id,
        "BQACAgIAAxkBAAI"
    );
    let call = fake.next_call("sendMediaGroup").await;
    let reference = call.params["media"][0]["media"].as_str().unwrap();
    assert_eq!(call.file(reference).unwrap().data, &[1u8, 2, 3][..]);

    // The client refuses an oversized upload; unchecked, the fake does.
    let big = || InputFile::bytes("big.mp3", vec![0u8; 50 * 1024 * 1024 + 1]);
    let err = client.send_audio(1, big()).await.unwrap_err();
    assert!(err.is_validation(), "{err}");
    let unchecked = fake.client_builder().validate(false).build().unwrap();
    let err = unchecked.send_audio(1, big()).await.unwrap_err();
    assert_eq!(
        (
            err.api().unwrap().code,
            err.api().unwrap().description.as_str()
        ),
        (413, "Request Entity Too Large")
    );
    let thumb = InputFile::bytes("t.jpg", vec![0u8; 300 * 1024]);
    let err = unchecked
        .send_audio(1, InputFile::file_id("CQAD"))
        .thumbnail(thumb)
        .await
        .unwrap_err();
    assert_eq!(
        err.api().unwrap().description,
        "Bad Request: sendAudio.thumbnail: upload must be at most 204800 bytes, got 307200 bytes"
    );
}

#[tokio::test]
async fn long_polls_wait_and_filter() {
    let fake = FakeBotApi::start().await;
    let client = fake.client();
    let pusher = fake.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        pusher.push_callback_query(42, "button-1");
        pusher.push_text(42, "ignored");
    });
    let started = std::time::Instant::now();
    let mut poller = client
        .poller()
        .timeout(10)
        .allowed_updates([UpdateType::CallbackQuery]);
    let update = poller.next().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "held only until it came"
    );
    let UpdateKind::CallbackQuery(query) = update.kind else {
        panic!("{:?}", update.kind)
    };
    assert_eq!(query.data.as_deref(), Some("button-1"));
    assert_eq!(query.from.id, 42);
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The text message is not an allowed kind: dropped, as Telegram would.
    let empty = client
        .get_updates()
        .offset(update.update_id + 1)
        .timeout(0)
        .await
        .unwrap();
    assert!(empty.is_empty(), "{empty:?}");
    assert_eq!(fake.pending_updates(), 0);
}

#[tokio::test]
async fn updates_go_to_a_webhook_the_bot_sets() {
    let fake = FakeBotApi::start().await;
    let client = fake.client();
    let webhook = Webhook::builder()
        .secret_token("fake-secret_0123456789")
        .path("/hook")
        .build()
        .unwrap();
    let mut receiver = webhook.bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", receiver.local_addr());
    client
        .call(webhook.set_webhook_request(url.clone()))
        .await
        .unwrap();
    assert_eq!(fake.webhook_url(), Some(url.clone()));
    let id = fake.push_text(7, "via webhook");
    let update = tokio::time::timeout(Duration::from_secs(5), receiver.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(update.update_id, id);
    let err = client.get_updates().await.unwrap_err();
    assert_eq!(err.api().unwrap().code, 409);
    let info = client.get_webhook_info().await.unwrap();
    assert_eq!(info.url, url);

    // A receiver that is gone: the fake keeps the update and says why.
    receiver.shutdown().await.unwrap();
    fake.push_text(7, "kept");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let info = client.get_webhook_info().await.unwrap();
    assert_eq!(info.pending_update_count, 1);
    assert!(info.last_error_message.is_some(), "{info:?}");

    // Back to polling: the kept update is there.
    client.delete_webhook().await.unwrap();
    let updates = client.get_updates().timeout(0).await.unwrap();
    assert_eq!(updates.len(), 1);
}

#[tokio::test]
async fn post_update_feeds_a_receiver_directly() {
    let webhook = Webhook::new("direct-secret_0123456789").unwrap();
    let mut receiver = webhook.bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}{}", receiver.local_addr(), webhook.path());
    let mut update = text_update(5, "hi");
    update["update_id"] = json!(1);
    let posting =
        tokio::spawn(
            async move { post_update(&url, Some("direct-secret_0123456789"), &update).await },
        );
    let got = receiver.next().await.unwrap();
    assert_eq!(got.update_id, 1);
    assert_eq!(posting.await.unwrap().unwrap(), 200);
    let url = format!("http://{}{}", receiver.local_addr(), webhook.path());
    let status = post_update(&url, Some("wrong"), &json!({"update_id": 2}))
        .await
        .unwrap();
    assert_eq!(status, 401);
}

#[tokio::test]
async fn local_mode_names_files_on_disk() {
    let fake = FakeBotApi::builder()
        .local_server(true)
        .start()
        .await
        .unwrap();
    let client = fake.client();
    assert!(client.is_local_server());
    let dir = std::env::temp_dir().join(format!("botapi-fake-local-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.pdf");
    std::fs::write(&path, b"%PDF-1.7").unwrap();
    let sent = client
        .send_document(5, InputFile::path(&path))
        .await
        .unwrap();
    let call = fake.next_call("sendDocument").await;
    assert!(call.content_type.starts_with("application/json"));
    assert!(call.params["document"]
        .as_str()
        .unwrap()
        .starts_with("file:///"));
    let document = sent.document.unwrap();
    assert_eq!(document.file_size, Some(8));
    let file = client.get_file(document.file_id).await.unwrap();
    let file_path = file.file_path.unwrap();
    assert!(
        std::path::Path::new(&file_path).is_absolute(),
        "{file_path}"
    );
    let mut read = Vec::new();
    client.download(&file_path, &mut read).await.unwrap();
    assert_eq!(read, b"%PDF-1.7");
    // Uploads in memory land on the fake's disk and come back by path.
    let sent = client
        .send_voice(5, InputFile::bytes("v.ogg", b"OggS".to_vec()))
        .await
        .unwrap();
    let file = client.get_file(sent.voice.unwrap().file_id).await.unwrap();
    let on_disk = file.file_path.unwrap();
    assert!(
        on_disk.contains(fake.token()),
        "under the token's directory: {on_disk}"
    );
    assert_eq!(std::fs::read(&on_disk).unwrap(), b"OggS");
    // A file that is not there is refused.
    let err = client
        .send_document(5, InputFile::path(dir.join("missing.pdf")))
        .await
        .unwrap_err();
    assert!(
        err.api().unwrap().description.contains("not found"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
