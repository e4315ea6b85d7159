//! Checks of data Telegram signed (cargo feature `auth`): what a Mini App
//! hands its backend (`Telegram.WebApp.initData`), checked with the bot
//! token or, by a third party without the token, with Telegram's Ed25519
//! key; and what the Telegram Login Widget hands a website.
//!
//! ```
//! use std::time::Duration;
//! use botapi::auth::{self, AuthError};
//!
//! # fn handle(init_data: &str, bot_token: &str) -> Result<(), AuthError> {
//! // At most an hour old; `init_data` is the query string as the Mini App sent it.
//! let data = auth::validate_init_data(init_data, bot_token, Duration::from_secs(3600))?;
//! if let Some(user) = &data.user {
//!     println!("request from {} ({})", user.id, user.first_name);
//! }
//! # Ok(()) }
//! # assert!(matches!(handle("auth_date=1&hash=00", "1:x"), Err(AuthError::HashMismatch)));
//! ```
//!
//! | check | function | key |
//! |---|---|---|
//! | Mini App, by the bot's backend | [`validate_init_data`] | HMAC-SHA-256 keyed with HMAC-SHA-256(`"WebAppData"`, bot token), over every field but `hash` |
//! | Mini App, by a third party | [`validate_init_data_signature`] | Ed25519 over `"{bot_id}:WebAppData\n"` and every field but `hash` and `signature`, with [`PublicKey::PRODUCTION`] or [`PublicKey::TEST_ENVIRONMENT`] |
//! | Login Widget | [`validate_login_widget`], [`validate_login_widget_json`] | HMAC-SHA-256 keyed with SHA-256(bot token), over every field but `hash` |
//!
//! In all three, the signed text (the *data-check-string*) is the received
//! fields, percent-decoded, sorted by key and written `key=value`, one per
//! line (`\n` between them). The hash is compared in constant time.
//!
//! **Strict input.** Telegram's own output always passes; anything it never
//! sends is refused before any key is used: a field without `=`, an empty
//! field (`a=1&&b=2`), a percent escape that is not two hex digits or does
//! not decode to UTF-8, a key given twice, a key with `=` or a line break
//! in it, a value with a line break in it (keys and values holding line
//! breaks would let two different sets of fields give the same signed
//! text), a `hash` other than 64 lowercase hex digits. Nothing panics on
//! any input; no error, `Debug` or log line holds the bot token.
//!
//! **Freshness.** Signed data stays valid forever, so every check takes a
//! [`Freshness`] (a `Duration` converts to one): data whose `auth_date` is
//! older than the maximum age is [`AuthError::Expired`], and data dated
//! more than [`Freshness::skew`] (one minute by default) ahead of this
//! machine's clock is [`AuthError::FromTheFuture`]. The signature is
//! checked first, so tampered data is reported as tampered, never as old.
//!
//! **What is parsed.** Only after the check: the `user`, `receiver` and
//! `chat` JSON become [`WebAppUser`] and [`WebAppChat`] (ids as
//! [`UserId`](crate::ids::UserId) and [`ChatId`](crate::ids::ChatId),
//! unknown JSON keys kept in `extra`), and fields this version does not
//! know are kept, decoded, in [`InitData::extra`].

mod init_data;
mod login_widget;
mod query;
mod third_party;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

pub use init_data::{parse_init_data, validate_init_data, InitData, WebAppChat, WebAppUser};
pub use login_widget::{validate_login_widget, validate_login_widget_json, LoginWidgetUser};
pub use third_party::{validate_init_data_signature, PublicKey};

/// Why signed data was refused. Values from the input are shortened to
/// [`SHOWN`](Self::SHOWN) characters in messages; the bot token never
/// appears.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthError {
    /// Not a query string of `key=value` fields joined by `&`: an empty
    /// field, a field without `=`, a key with `=` or a line break, a value
    /// with a line break.
    Malformed(String),
    /// A percent escape that is not `%` and two hex digits, or bytes that are
    /// not UTF-8 once decoded.
    BadEncoding(String),
    /// The same key twice.
    DuplicateKey(String),
    /// No `hash` field, or an empty one.
    MissingHash,
    /// The `hash` is not the one the bot token gives for these fields (or is
    /// not 64 lowercase hex digits).
    HashMismatch,
    /// No `signature` field, or an empty one (third-party check).
    MissingSignature,
    /// The `signature` is not base64url of 64 bytes, or is not Telegram's
    /// signature of these fields for this bot.
    BadSignature,
    /// The public key given is not a valid Ed25519 point.
    BadPublicKey,
    /// No `auth_date` field.
    MissingAuthDate,
    /// `auth_date` is not a Unix time in decimal digits.
    BadAuthDate(String),
    /// Signed longer ago than the maximum age allows.
    Expired {
        /// How long ago it was signed.
        age: Duration,
        /// The maximum age in force.
        max_age: Duration,
    },
    /// Dated after this machine's clock by more than the allowed skew.
    FromTheFuture {
        /// How far ahead of the clock.
        ahead: Duration,
        /// The skew allowed.
        skew: Duration,
    },
    /// A signed field whose content does not fit its type (`user` that is
    /// not a user object, an `id` that is not a number...).
    BadField {
        /// The field (`user`, `chat`, `id`...).
        field: String,
        /// What is wrong with it.
        message: String,
    },
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(value) => write!(f, "malformed signed data: {value}"),
            Self::BadEncoding(value) => write!(f, "bad percent-encoding in {value:?}"),
            Self::DuplicateKey(value) => write!(f, "the key {value:?} appears more than once"),
            Self::MissingHash => write!(f, "no hash in the signed data"),
            Self::HashMismatch => write!(f, "the hash does not match the data"),
            Self::MissingSignature => write!(f, "no signature in the signed data"),
            Self::BadSignature => write!(f, "the signature does not match the data"),
            Self::BadPublicKey => write!(f, "the public key is not a valid Ed25519 key"),
            Self::MissingAuthDate => write!(f, "no auth_date in the signed data"),
            Self::BadAuthDate(value) => write!(f, "auth_date is not a Unix time: {value:?}"),
            Self::Expired { age, max_age } => write!(
                f,
                "signed {age:?} ago, more than the maximum age {max_age:?}"
            ),
            Self::FromTheFuture { ahead, skew } => write!(
                f,
                "dated {ahead:?} in the future, more than the allowed skew {skew:?}"
            ),
            Self::BadField { field, message } => write!(f, "field {field}: {message}"),
        }
    }
}

impl std::error::Error for AuthError {}

impl AuthError {
    /// How many characters of a value from the input an error shows.
    pub const SHOWN: usize = 64;
}

/// A value from the input as an error shows it: at most
/// [`AuthError::SHOWN`] characters.
fn shown(s: &str) -> String {
    match s.char_indices().nth(AuthError::SHOWN) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// How fresh signed data must be, and the clock that judges it. A
/// `Duration` converts into the maximum age with the default skew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    max_age: Duration,
    skew: Duration,
    now: Option<SystemTime>,
}

impl Freshness {
    /// How far in the future `auth_date` may be by default: one minute, for
    /// a clock a little behind Telegram's.
    pub const DEFAULT_SKEW: Duration = Duration::from_secs(60);

    /// Data signed at most `max_age` ago (`Duration::MAX`: any age).
    pub const fn max_age(max_age: Duration) -> Self {
        Freshness {
            max_age,
            skew: Self::DEFAULT_SKEW,
            now: None,
        }
    }

    /// How far ahead of this machine's clock `auth_date` may be.
    pub const fn skew(mut self, skew: Duration) -> Self {
        self.skew = skew;
        self
    }

    /// Judge by this time instead of the system clock (tests, replays).
    pub const fn at(mut self, now: SystemTime) -> Self {
        self.now = Some(now);
        self
    }

    /// Refuses an `auth_date` (Unix seconds) that is too old or too far in
    /// the future.
    fn check(&self, auth_date: i64) -> Result<(), AuthError> {
        let now = self.now.unwrap_or_else(SystemTime::now);
        // Both as signed seconds since the epoch; a clock before 1970 is 0.
        let now = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let diff = i128::from(now) - i128::from(auth_date);
        let secs =
            |n: i128| Duration::from_secs(u64::try_from(n.unsigned_abs()).unwrap_or(u64::MAX));
        if diff < 0 {
            let ahead = secs(diff);
            if ahead > self.skew {
                return Err(AuthError::FromTheFuture {
                    ahead,
                    skew: self.skew,
                });
            }
        } else if secs(diff) > self.max_age {
            return Err(AuthError::Expired {
                age: secs(diff),
                max_age: self.max_age,
            });
        }
        Ok(())
    }
}

impl From<Duration> for Freshness {
    fn from(max_age: Duration) -> Self {
        Freshness::max_age(max_age)
    }
}

/// HMAC-SHA-256 of `message` under `key`.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = mac(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Whether `hash` (64 lowercase hex digits) is HMAC-SHA-256 of `text` under
/// `key`, compared in constant time.
fn check_hmac(key: &[u8], text: &str, hash: &str) -> Result<(), AuthError> {
    let expected = query::hash_bytes(hash).ok_or(AuthError::HashMismatch)?;
    let mut mac = mac(key);
    mac.update(text.as_bytes());
    mac.verify_slice(&expected)
        .map_err(|_| AuthError::HashMismatch)
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length (a long one is hashed first).
    <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

/// Reads `auth_date`: decimal digits only (no sign, no spaces).
fn auth_date(value: Option<&str>) -> Result<i64, AuthError> {
    let value = value.ok_or(AuthError::MissingAuthDate)?;
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AuthError::BadAuthDate(shown(value)));
    }
    value
        .parse::<i64>()
        .map_err(|_| AuthError::BadAuthDate(shown(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> Freshness {
        Freshness::max_age(Duration::from_secs(100)).at(UNIX_EPOCH + Duration::from_secs(secs))
    }

    #[test]
    fn freshness_bounds_are_inclusive() {
        assert_eq!(at(1_100).check(1_000), Ok(()));
        assert_eq!(
            at(1_101).check(1_000),
            Err(AuthError::Expired {
                age: Duration::from_secs(101),
                max_age: Duration::from_secs(100)
            })
        );
        assert_eq!(at(1_000).check(1_060), Ok(()));
        assert!(matches!(
            at(1_000).check(1_061),
            Err(AuthError::FromTheFuture { .. })
        ));
        assert_eq!(at(1_000).skew(Duration::ZERO).check(1_000), Ok(()));
        assert!(at(1_000).skew(Duration::ZERO).check(1_001).is_err());
        // Extremes neither overflow nor panic.
        assert!(at(0).check(i64::MAX).is_err());
        assert!(at(1 << 40).check(0).is_err());
        let any = Freshness::max_age(Duration::MAX).at(UNIX_EPOCH + Duration::from_secs(1 << 40));
        assert_eq!(any.check(0), Ok(()));
    }

    #[test]
    fn auth_date_is_digits_only() {
        assert_eq!(auth_date(Some("1700000000")), Ok(1_700_000_000));
        assert_eq!(auth_date(None), Err(AuthError::MissingAuthDate));
        for bad in ["", "-1", "+1", " 1", "1e9", "0x10", "99999999999999999999"] {
            assert!(
                matches!(auth_date(Some(bad)), Err(AuthError::BadAuthDate(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn errors_shorten_values() {
        let long = "é".repeat(200);
        let s = shown(&long);
        assert_eq!(s.chars().count(), AuthError::SHOWN + 1);
        assert!(s.ends_with('…'));
        assert_eq!(shown("short"), "short");
    }
}
