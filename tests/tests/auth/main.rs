//! `botapi::auth` (feature `auth`) against data signed here, by an
//! implementation of its own (`independent`), and against fixed vectors
//! made with Python's `hmac`, `hashlib` and `cryptography`: signed data
//! validates; a change of one character anywhere fails; stale, future,
//! duplicated, malformed and badly encoded data is refused; nothing panics.
//!
//! Modules: `independent` (SHA-256, HMAC, encodings, the signers), `init_data`
//! (the check with the bot token), `third_party` (the Ed25519 check),
//! `login_widget`, `never_panics` (property tests on arbitrary input).

mod independent;
mod init_data;
mod login_widget;
mod never_panics;
mod third_party;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use botapi::auth::Freshness;

/// A made-up token; its bot id is the number before `:`.
pub const TOKEN: &str = "123456789:TEST-token_for-botapi-auth-vectors";
pub const BOT_ID: i64 = 123_456_789;
/// 2026-01-01T00:00:00Z, the `auth_date` of the vectors.
pub const SIGNED_AT: i64 = 1_767_225_600;

/// An hour at most, judged `after` seconds past [`SIGNED_AT`].
pub fn fresh(after: i64) -> Freshness {
    Freshness::max_age(Duration::from_secs(3600)).at(time(SIGNED_AT + after))
}

pub fn time(unix: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(unix as u64)
}

/// Every string that differs from `s` in exactly one character, with the
/// byte offset changed: letters and digits move to the next one of their
/// kind (so a hex digit stays a different hex digit or stops being one),
/// anything else becomes `x`.
pub fn one_character_changes(s: &str) -> Vec<(usize, String)> {
    s.char_indices()
        .map(|(at, c)| {
            let to = match c {
                '9' => '0',
                'z' => 'a',
                'Z' => 'A',
                '0'..='8' | 'a'..='y' | 'A'..='Y' => char::from(c as u8 + 1),
                _ => 'x',
            };
            let mut changed = String::with_capacity(s.len());
            changed.push_str(&s[..at]);
            changed.push(to);
            changed.push_str(&s[at + c.len_utf8()..]);
            (at, changed)
        })
        .collect()
}

/// No error message shows the token.
pub fn assert_no_token(e: &botapi::auth::AuthError) {
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(!shown.contains("TEST-token"), "{shown}");
}
