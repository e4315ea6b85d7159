//! A Mini App's `initData` checked with the bot token.

use std::time::Duration;

use botapi::auth::{self, AuthError, Freshness};
use botapi::ids::{ChatId, UserId};
use botapi::types::ChatType;

use crate::independent::{init_data_hash, query};
use crate::{assert_no_token, fresh, one_character_changes, SIGNED_AT, TOKEN};

const USER: &str = r#"{"id":279000001,"first_name":"Ada","last_name":"Test + /?","username":"ada_test","language_code":"en","is_premium":true,"allows_write_to_pm":true,"photo_url":"https:\/\/t.me\/i\/userpic\/320\/x.svg"}"#;

/// Made with Python 3 from the fields of [`fields`] and a `signature` (see
/// `third_party::PYTHON_VECTOR`): `secret = hmac.new(b"WebAppData",
/// token.encode(), hashlib.sha256).digest()`, `hash = hmac.new(secret,
/// "\n".join(f"{k}={v}" for k, v in sorted(fields)).encode(),
/// hashlib.sha256).hexdigest()`, each value written with
/// `urllib.parse.quote(v, safe="")`.
pub const PYTHON_VECTOR: &str = "query_id=AAF0ZXN0LXF1ZXJ5LWlk&user=%7B%22id%22%3A279000001%2C%22first_name%22%3A%22Ada%22%2C%22last_name%22%3A%22Test%20%2B%20%2F%3F%22%2C%22username%22%3A%22ada_test%22%2C%22language_code%22%3A%22en%22%2C%22is_premium%22%3Atrue%2C%22allows_write_to_pm%22%3Atrue%2C%22photo_url%22%3A%22https%3A%5C%2F%5C%2Ft.me%5C%2Fi%5C%2Fuserpic%5C%2F320%5C%2Fx.svg%22%7D&chat_instance=-3788475317572404878&chat_type=sender&auth_date=1767225600&signature=zlQgb8Gk8JsjmYQEgb6estc81UtlageQXaNZP6OIPlC0loO5r9asamxjLcZbDBeqnrXy8Y_Y4HWaZz-GApSXAw&hash=2a79e25355b729251f2f48e71e3aa40223552ba115f769e6587e06d5564e4368";

/// The fields of a Mini App opened from the user's chat with the bot.
pub fn fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("query_id", "AAF0ZXN0LXF1ZXJ5LWlk"),
        ("user", USER),
        ("chat_instance", "-3788475317572404878"),
        ("chat_type", "sender"),
        ("auth_date", "1767225600"),
    ]
}

/// `fields` signed with `token` by the independent implementation, the
/// hash last, as Telegram sends it.
fn signed(fields: &[(&str, &str)], token: &str) -> String {
    let hash = init_data_hash(fields, token);
    let mut all = fields.to_vec();
    all.push(("hash", &hash));
    query(&all)
}

#[test]
fn signed_here_validates_and_one_character_changed_fails() {
    let good = signed(&fields(), TOKEN);
    let data = auth::validate_init_data(&good, TOKEN, fresh(10)).expect("signed data validates");
    assert_eq!(data.auth_date, SIGNED_AT);
    assert_eq!(data.hash, init_data_hash(&fields(), TOKEN));

    let changes = one_character_changes(&good);
    assert_eq!(changes.len(), good.len());
    for (at, changed) in changes {
        let e = auth::validate_init_data(&changed, TOKEN, fresh(10))
            .expect_err(&format!("a change at byte {at} passed: {changed}"));
        assert_no_token(&e);
    }
}

#[test]
fn the_python_vector_validates_and_is_typed() {
    let data = auth::validate_init_data(PYTHON_VECTOR, TOKEN, fresh(0)).expect("valid");
    let user = data.user.expect("user");
    assert_eq!(user.id, UserId(279_000_001));
    assert_eq!(user.first_name, "Ada");
    assert_eq!(user.last_name.as_deref(), Some("Test + /?"));
    assert_eq!(user.username.as_deref(), Some("ada_test"));
    assert_eq!(user.language_code.as_deref(), Some("en"));
    assert_eq!(user.is_premium, Some(true));
    assert_eq!(user.allows_write_to_pm, Some(true));
    assert_eq!(
        user.photo_url.as_deref(),
        Some("https://t.me/i/userpic/320/x.svg")
    );
    assert!(user.extra.is_empty());
    assert_eq!(data.query_id.as_deref(), Some("AAF0ZXN0LXF1ZXJ5LWlk"));
    assert_eq!(data.chat_type, Some(ChatType::Other("sender".into())));
    assert_eq!(data.chat_instance.as_deref(), Some("-3788475317572404878"));
    assert!(data.signature.is_some());
    assert!(data.receiver.is_none() && data.chat.is_none() && data.start_param.is_none());
    assert!(data.extra.is_empty());
    // The same fields signed here give the same hash (the signature field
    // included, as the hash covers every field but itself).
    let pairs = auth::parse_init_data(PYTHON_VECTOR).expect("parses");
    let mut with_signature = fields();
    let signature = pairs.signature.expect("signature");
    with_signature.push(("signature", &signature));
    assert_eq!(init_data_hash(&with_signature, TOKEN), pairs.hash);
    // Without the signature field the hash no longer matches.
    let cut = PYTHON_VECTOR.replace(&format!("&signature={signature}"), "");
    assert_eq!(
        auth::validate_init_data(&cut, TOKEN, fresh(0)),
        Err(AuthError::HashMismatch)
    );
}

#[test]
fn another_token_or_another_field_fails() {
    let good = signed(&fields(), TOKEN);
    assert_eq!(
        auth::validate_init_data(&good, "123456789:another-token", fresh(0)),
        Err(AuthError::HashMismatch)
    );
    // A field added after signing, or one taken out.
    assert_eq!(
        auth::validate_init_data(&format!("{good}&start_param=x"), TOKEN, fresh(0)),
        Err(AuthError::HashMismatch)
    );
    let without_query_id = good.replace("query_id=AAF0ZXN0LXF1ZXJ5LWlk&", "");
    assert_eq!(
        auth::validate_init_data(&without_query_id, TOKEN, fresh(0)),
        Err(AuthError::HashMismatch)
    );
    // The hash in uppercase is not the hash Telegram writes.
    let hash = init_data_hash(&fields(), TOKEN);
    let upper = good.replace(&hash, &hash.to_uppercase());
    assert_eq!(
        auth::validate_init_data(&upper, TOKEN, fresh(0)),
        Err(AuthError::HashMismatch)
    );
    // The fields are signed, not their spelling: the same data written
    // with lowercase escapes, in another order, still validates.
    let respelled = good.replace("%7B", "%7b");
    assert_ne!(respelled, good);
    assert!(auth::validate_init_data(&respelled, TOKEN, fresh(0)).is_ok());
    let mut reordered: Vec<&str> = good.split('&').collect();
    reordered.reverse();
    assert!(auth::validate_init_data(&reordered.join("&"), TOKEN, fresh(0)).is_ok());
}

#[test]
fn age_and_clock() {
    let good = signed(&fields(), TOKEN);
    // At most an hour old: exactly an hour passes, a second more does not.
    assert!(auth::validate_init_data(&good, TOKEN, fresh(3600)).is_ok());
    assert_eq!(
        auth::validate_init_data(&good, TOKEN, fresh(3601)),
        Err(AuthError::Expired {
            age: Duration::from_secs(3601),
            max_age: Duration::from_secs(3600)
        })
    );
    // Dated ahead of the clock: a minute is allowed by default, not more.
    assert!(auth::validate_init_data(&good, TOKEN, fresh(-60)).is_ok());
    assert_eq!(
        auth::validate_init_data(&good, TOKEN, fresh(-61)),
        Err(AuthError::FromTheFuture {
            ahead: Duration::from_secs(61),
            skew: Freshness::DEFAULT_SKEW
        })
    );
    assert!(
        auth::validate_init_data(&good, TOKEN, fresh(-61).skew(Duration::from_secs(120))).is_ok()
    );
    // A Duration is the maximum age, judged by the system clock: the
    // vector's date is long past for a maximum age of one second.
    assert!(matches!(
        auth::validate_init_data(&good, TOKEN, Duration::from_secs(1)),
        Err(AuthError::Expired { .. })
    ));
    assert!(auth::validate_init_data(&good, TOKEN, Duration::MAX).is_ok());
    // Tampered and old: reported as tampered.
    let tampered = good.replace("ada_test", "eve_test");
    assert_eq!(
        auth::validate_init_data(&tampered, TOKEN, fresh(99_999)),
        Err(AuthError::HashMismatch)
    );
    // Signed without auth_date, or with one that is not a number.
    let mut no_date = fields();
    no_date.retain(|(k, _)| *k != "auth_date");
    assert_eq!(
        auth::validate_init_data(&signed(&no_date, TOKEN), TOKEN, fresh(0)),
        Err(AuthError::MissingAuthDate)
    );
    let mut bad_date = no_date.clone();
    bad_date.push(("auth_date", "2026-01-01"));
    assert!(matches!(
        auth::validate_init_data(&signed(&bad_date, TOKEN), TOKEN, fresh(0)),
        Err(AuthError::BadAuthDate(_))
    ));
}

#[test]
fn refused_before_any_key_is_used() {
    let good = signed(&fields(), TOKEN);
    let check = |q: &str| auth::validate_init_data(q, TOKEN, fresh(0));
    assert_eq!(check(""), Err(AuthError::MissingHash));
    assert_eq!(check("auth_date=1"), Err(AuthError::MissingHash));
    assert_eq!(check("auth_date=1&hash="), Err(AuthError::MissingHash));
    assert!(matches!(
        check(&format!("{good}&query_id=again")),
        Err(AuthError::DuplicateKey(k)) if k == "query_id"
    ));
    assert!(matches!(
        check(&format!("{good}&&")),
        Err(AuthError::Malformed(_))
    ));
    assert!(matches!(
        check(&format!("{good}&flag")),
        Err(AuthError::Malformed(_))
    ));
    assert!(matches!(
        check(&format!("&{good}")),
        Err(AuthError::Malformed(_))
    ));
    assert!(matches!(
        check(&format!("{good}&bad=%G0")),
        Err(AuthError::BadEncoding(_))
    ));
    assert!(matches!(
        check(&format!("{good}&bad=%E2%82")),
        Err(AuthError::BadEncoding(_))
    ));
}

#[test]
fn ambiguous_fields_are_refused_even_when_signed() {
    // Each of these is signed correctly over its decoded fields, but holds
    // what Telegram never sends: bytes that are not UTF-8, a line break in
    // a value (which would let `a=1` + `b=2` pass as `a=1\nb=2`), a key
    // with '='.
    let raw_hash = |text: &[u8]| {
        let secret = crate::independent::hmac_sha256(b"WebAppData", TOKEN.as_bytes());
        crate::independent::hex(&crate::independent::hmac_sha256(&secret, text))
    };
    let latin1 = format!(
        "auth_date=1767225600&start_param=%E9t%E9&hash={}",
        raw_hash(b"auth_date=1767225600\nstart_param=\xe9t\xe9")
    );
    assert!(matches!(
        auth::validate_init_data(&latin1, TOKEN, fresh(0)),
        Err(AuthError::BadEncoding(_))
    ));
    let merged = signed(
        &[("auth_date", "1767225600"), ("query_id", "Q\nuser={}")],
        TOKEN,
    );
    assert!(matches!(
        auth::validate_init_data(&merged, TOKEN, fresh(0)),
        Err(AuthError::Malformed(m)) if m.contains("line break")
    ));
    let key_with_equals = signed(&[("auth_date", "1767225600"), ("a=b", "c")], TOKEN);
    assert!(matches!(
        auth::validate_init_data(&key_with_equals, TOKEN, fresh(0)),
        Err(AuthError::Malformed(_))
    ));
}

#[test]
fn chat_receiver_start_param_and_unknown_fields() {
    let chat = r#"{"id":-1001234567890,"type":"supergroup","title":"Readers","username":"readers","new_key":1}"#;
    let receiver = r#"{"id":42,"is_bot":true,"first_name":"Helper"}"#;
    let f = [
        ("auth_date", "1767225600"),
        ("chat", chat),
        ("receiver", receiver),
        ("start_param", "ref_7"),
        ("can_send_after", "30"),
        ("from_the_future", "x y"),
    ];
    let data = auth::validate_init_data(&signed(&f, TOKEN), TOKEN, fresh(0)).expect("valid");
    let c = data.chat.expect("chat");
    assert_eq!(c.id, ChatId(-1_001_234_567_890));
    assert_eq!(c.type_, ChatType::Supergroup);
    assert_eq!(c.title, "Readers");
    assert_eq!(c.username.as_deref(), Some("readers"));
    assert_eq!(c.extra["new_key"], serde_json::json!(1));
    let r = data.receiver.expect("receiver");
    assert_eq!((r.id, r.is_bot), (UserId(42), Some(true)));
    assert_eq!(data.start_param.as_deref(), Some("ref_7"));
    assert_eq!(data.can_send_after, Some(30));
    assert_eq!(data.extra["from_the_future"], "x y");
    // A signed `user` that is not a user is an error naming the field.
    let bad_user = signed(&[("auth_date", "1767225600"), ("user", "[1]")], TOKEN);
    assert!(matches!(
        auth::validate_init_data(&bad_user, TOKEN, fresh(0)),
        Err(AuthError::BadField { field, .. }) if field == "user"
    ));
}
