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
fn parse_mode_must_be_known() {
    let v = violations(&audio().parse_mode("BBCode"));
    assert_eq!(
        v,
        ["sendAudio.parse_mode: must be one of HTML, MarkdownV2, Markdown, got \"BBCode\""]
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
    let req = SendMessage::new(1, "")
        .parse_mode("bogus")
        .reply_markup(keyboard(""));
    let err = Validator::run(SendMessage::METHOD, &req).unwrap_err();
    let paths: Vec<&str> = err.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "sendMessage.parse_mode",
            "sendMessage.reply_markup.inline_keyboard[0][1].callback_data"
        ]
    );
    // The empty text is not checked: parse_mode is set, so the limit is for
    // the parsed text; without it, the text is reported as well.
    let req = SendMessage::new(1, "").reply_markup(keyboard(""));
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
