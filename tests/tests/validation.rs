//! Validator boundaries on the shipped schema: ranges, lengths counted in
//! characters (multi-byte included), limits counted after entity parsing,
//! nested keyboard paths, and all violations reported together.

use botapi::methods::{GetUserProfileAudios, SendAudio, SendMessage};
use botapi::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use botapi::validate::Validator;
use botapi::{InputFile, Request};

fn violations<R: Request>(req: &R) -> Vec<String> {
    match Validator::run(R::METHOD, req) {
        Ok(()) => Vec::new(),
        Err(e) => e.violations.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn limit_boundaries() {
    let at = |n: i64| violations(&GetUserProfileAudios::new(42).limit(n));
    assert_eq!(
        at(0),
        ["getUserProfileAudios.limit: must be between 1 and 100, got 0"]
    );
    assert!(at(1).is_empty());
    assert!(at(100).is_empty());
    assert_eq!(
        at(101),
        ["getUserProfileAudios.limit: must be between 1 and 100, got 101"]
    );
}

fn audio() -> SendAudio {
    SendAudio::new(-100123_i64, InputFile::file_id("CQACAgIAAxkBAAI"))
}

#[test]
fn caption_boundaries_count_characters() {
    for unit in ["a", "é", "🎵", "字"] {
        assert!(
            violations(&audio().caption(unit.repeat(1024))).is_empty(),
            "1024 x {unit}"
        );
        let v = violations(&audio().caption(unit.repeat(1025)));
        assert_eq!(v.len(), 1, "1025 x {unit}");
        assert!(
            v[0].starts_with("sendAudio.caption: length must be between 0 and 1024 characters, got 1025 characters"),
            "{}",
            v[0]
        );
    }
}

#[test]
fn caption_limit_waits_for_entity_parsing_when_parse_mode_is_set() {
    // Markup counts toward the raw length but not the parsed one: not our call.
    let long = format!("<b>{}</b>", "a".repeat(1024));
    assert!(violations(&audio().caption(long.clone()).parse_mode("HTML")).is_empty());
    assert_eq!(violations(&audio().caption(long)).len(), 1);
}

#[test]
fn a_parse_mode_this_version_does_not_know_is_sent_as_written() {
    // Telegram reads the mode without regard to case, and may add modes: the
    // value set is open, so nothing here refuses one.
    let req = audio().parse_mode("markdownv2");
    assert!(violations(&req).is_empty());
    assert_eq!(
        req.parse_mode,
        Some(botapi::types::ParseMode::Other("markdownv2".into()))
    );
}

#[test]
fn message_text_boundaries() {
    assert_eq!(violations(&SendMessage::new(1, "")).len(), 1);
    assert!(violations(&SendMessage::new(1, "x")).is_empty());
    assert!(violations(&SendMessage::new(1, "я".repeat(4096))).is_empty());
    assert_eq!(violations(&SendMessage::new(1, "я".repeat(4097))).len(), 1);
}

fn keyboard(data: &str) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        InlineKeyboardButton::new("ok").callback_data("fine"),
        InlineKeyboardButton::new("bad").callback_data(data),
    ]])
}

#[test]
fn nested_keyboard_violation_has_full_path() {
    assert!(
        violations(&SendMessage::new(1, "hi").reply_markup(keyboard(&"x".repeat(64)))).is_empty()
    );
    let v = violations(&SendMessage::new(1, "hi").reply_markup(keyboard(&"x".repeat(65))));
    assert_eq!(v.len(), 1);
    assert!(
        v[0].starts_with("sendMessage.reply_markup.inline_keyboard[0][1].callback_data: length must be between 1 and 64 bytes, got 65 bytes"),
        "{}",
        v[0]
    );
    // Bytes, not characters: 33 two-byte characters are 66 bytes.
    assert_eq!(
        violations(&SendMessage::new(1, "hi").reply_markup(keyboard(&"é".repeat(33)))).len(),
        1
    );
}

#[test]
fn all_violations_are_reported_together() {
    let req = SendMessage::new(1, "").reply_markup(keyboard(""));
    let err = Validator::run(SendMessage::METHOD, &req).unwrap_err();
    let paths: Vec<&str> = err.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "sendMessage.text",
            "sendMessage.reply_markup.inline_keyboard[0][1].callback_data"
        ]
    );
    // With a parse_mode the empty text is not checked: the limit is for the
    // parsed text.
    let parsed = SendMessage::new(1, "")
        .parse_mode("HTML")
        .reply_markup(keyboard(""));
    let err = Validator::run(SendMessage::METHOD, &parsed).unwrap_err();
    assert_eq!(err.violations.len(), 1);
    let err = Validator::run(SendMessage::METHOD, &req).unwrap_err();
    assert_eq!(err.violations.len(), 2);
    assert!(
        err.to_string()
            .starts_with("2 invalid arguments for sendMessage; sendMessage.text:"),
        "{err}"
    );
}

#[test]
fn upload_size_is_checked_before_sending() {
    let dir = std::env::temp_dir().join(format!("botapi-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.mp3");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(50 * 1024 * 1024 + 1).unwrap(); // sparse: no real 50 MB written
    let v = violations(&SendAudio::new(1, InputFile::path(&path)));
    assert_eq!(
        v,
        ["sendAudio.audio: upload must be at most 52428800 bytes, got 52428801 bytes"]
    );
    let ok = std::fs::File::create(dir.join("ok.mp3")).unwrap();
    ok.set_len(1024).unwrap();
    assert!(violations(&SendAudio::new(1, InputFile::path(dir.join("ok.mp3")))).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn requests_have_an_inherent_validate() {
    let err = GetUserProfileAudios::new(42)
        .limit(0)
        .validate()
        .unwrap_err();
    assert_eq!(err.method, "getUserProfileAudios");
    assert_eq!(err.violations.len(), 1);
    assert_eq!(err.violations[0].value, "0");
    assert!(SendMessage::new("@chan", "hello").validate().is_ok());
}

// ---------------------------------------------------------------------------
// Bot API 10.4 widgets: byte-counted lengths and the cache_time range, all
// checked before anything is sent.

mod widgets {
    use super::violations;
    use botapi::methods::{
        AnswerWidgetQuery, EditMessageWidgetData, EditSharedWidgetData, SendWidget,
    };
    use botapi::Client;
    use botapi_tests::MockBotApi;

    /// Exactly `bytes` UTF-8 bytes: as many `unit`s as fit, padded with `a`.
    fn fill(unit: &str, bytes: usize) -> String {
        let mut s = unit.repeat(bytes / unit.len());
        while s.len() < bytes {
            s.push('a');
        }
        assert_eq!(s.len(), bytes, "{unit}");
        s
    }

    const UNITS: [&str; 4] = ["a", "é", "字", "🎵"];

    #[test]
    fn send_widget_html_counts_bytes_from_1_to_32768() {
        let at = |html: String| violations(&SendWidget::new(-100123_i64, html));
        assert_eq!(
            at(String::new()),
            ["sendWidget.html: length must be between 1 and 32768 bytes, got 0 bytes (\"\")"]
        );
        assert!(at("a".into()).is_empty());
        assert!(at("é".into()).is_empty(), "one 2-byte character");
        for unit in UNITS {
            assert!(at(fill(unit, 32768)).is_empty(), "32768 bytes of {unit}");
            let v = at(fill(unit, 32769));
            assert_eq!(v.len(), 1, "32769 bytes of {unit}: {v:?}");
            assert!(
                v[0].starts_with(
                    "sendWidget.html: length must be between 1 and 32768 bytes, got 32769 bytes"
                ),
                "{}",
                v[0]
            );
        }
        // Bytes, not characters: 32768 two-byte characters are 65536 bytes.
        let v = at("é".repeat(32768));
        assert_eq!(v.len(), 1);
        assert!(v[0].contains("got 65536 bytes"), "{}", v[0]);
    }

    #[test]
    fn send_widget_public_data_up_to_1024_bytes() {
        let at = |data: String| violations(&SendWidget::new(1, "<b>hi</b>").public_data(data));
        assert!(at(String::new()).is_empty(), "0 bytes is allowed");
        for unit in UNITS {
            assert!(at(fill(unit, 1024)).is_empty(), "1024 bytes of {unit}");
            let v = at(fill(unit, 1025));
            assert_eq!(v.len(), 1, "1025 bytes of {unit}: {v:?}");
            assert!(
                v[0].starts_with(
                    "sendWidget.public_data: length must be between 0 and 1024 bytes, got 1025 bytes"
                ),
                "{}",
                v[0]
            );
        }
        // 513 two-byte characters: 513 characters, 1026 bytes.
        let v = at("é".repeat(513));
        assert_eq!(v.len(), 1);
        assert!(v[0].contains("got 1026 bytes"), "{}", v[0]);
    }

    #[test]
    fn answer_widget_query_data_up_to_1024_bytes() {
        let at = |data: String| violations(&AnswerWidgetQuery::new("q1").data(data));
        assert!(violations(&AnswerWidgetQuery::new("q1")).is_empty());
        assert!(at(String::new()).is_empty());
        for unit in UNITS {
            assert!(at(fill(unit, 1024)).is_empty(), "1024 bytes of {unit}");
            let v = at(fill(unit, 1025));
            assert_eq!(v.len(), 1, "1025 bytes of {unit}: {v:?}");
            assert!(
                v[0].starts_with(
                    "answerWidgetQuery.data: length must be between 0 and 1024 bytes, got 1025 bytes"
                ),
                "{}",
                v[0]
            );
        }
    }

    #[test]
    fn edit_message_widget_data_both_parts_up_to_1024_bytes() {
        let edit = || EditMessageWidgetData::new().chat_id(5).message_id(7);
        assert!(violations(
            &edit()
                .public_data(fill("字", 1024))
                .chat_data(fill("🎵", 1024))
        )
        .is_empty());
        let v = violations(
            &edit()
                .public_data(fill("字", 1025))
                .chat_data(fill("🎵", 1025)),
        );
        assert_eq!(v.len(), 2, "{v:?}");
        assert!(
            v[0].starts_with("editMessageWidgetData.public_data: length must be between 0 and 1024 bytes, got 1025 bytes"),
            "{}",
            v[0]
        );
        assert!(
            v[1].starts_with("editMessageWidgetData.chat_data: length must be between 0 and 1024 bytes, got 1025 bytes"),
            "{}",
            v[1]
        );
    }

    #[test]
    fn edit_shared_widget_data_limits() {
        let at = |n: i64| violations(&EditSharedWidgetData::new("w1", "{}").cache_time(n));
        assert_eq!(
            at(4),
            ["editSharedWidgetData.cache_time: must be between 5 and 3600, got 4"]
        );
        assert!(at(5).is_empty());
        assert!(at(3600).is_empty());
        assert_eq!(
            at(3601),
            ["editSharedWidgetData.cache_time: must be between 5 and 3600, got 3601"]
        );
        // public_data is required; empty is allowed, 1025 bytes is not.
        assert!(violations(&EditSharedWidgetData::new("w1", "")).is_empty());
        assert!(violations(&EditSharedWidgetData::new("w1", fill("é", 1024))).is_empty());
        let v = violations(&EditSharedWidgetData::new("w1", fill("é", 1025)).cache_time(0));
        assert_eq!(v.len(), 2, "both reported together: {v:?}");
        assert!(
            v[0].starts_with("editSharedWidgetData.public_data: length must be between 0 and 1024 bytes, got 1025 bytes"),
            "{}",
            v[0]
        );
        assert_eq!(
            v[1],
            "editSharedWidgetData.cache_time: must be between 5 and 3600, got 0"
        );
    }

    /// Through the client: a widget call out of bounds fails locally, and
    /// nothing reaches the server.
    #[tokio::test]
    async fn widget_calls_out_of_bounds_never_reach_the_server() {
        let server = MockBotApi::start().await;
        let client = Client::builder("1:widget-validation")
            .base_url(server.url())
            .build()
            .expect("client");
        let err = client.send_widget(1, "").await.unwrap_err();
        assert!(err.is_validation(), "{err}");
        assert!(
            err.to_string()
                .contains("sendWidget.html: length must be between 1 and 32768 bytes, got 0 bytes"),
            "{err}"
        );
        let err = client
            .answer_widget_query("q1")
            .data("x".repeat(1025))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("answerWidgetQuery.data"), "{err}");
        let err = client
            .edit_shared_widget_data("w1", "{}")
            .cache_time(3601)
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("editSharedWidgetData.cache_time: must be between 5 and 3600, got 3601"),
            "{err}"
        );
        assert!(server.requests().is_empty(), "{:?}", server.requests());
    }
}
