//! Mini App `initData` checked without the bot token: Telegram's Ed25519
//! signature in the `signature` field, with Telegram's public key.

use std::fmt;

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use ed25519_dalek::{Signature, VerifyingKey};

use super::init_data::{typed, InitData};
use super::query::Fields;
use super::{auth_date, AuthError, Freshness};
use crate::ids::UserId;

/// An Ed25519 public key that signs Mini App data: Telegram's
/// ([`PRODUCTION`](Self::PRODUCTION), the default, or
/// [`TEST_ENVIRONMENT`](Self::TEST_ENVIRONMENT)), or one of your own in tests.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey([u8; 32]);

impl PublicKey {
    /// The key Telegram publishes for Mini App data of the production
    /// environment (`e7bf03a2…242d`).
    pub const PRODUCTION: PublicKey = PublicKey::from_hex_const(
        "e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d",
    );

    /// The key Telegram publishes for Mini App data of the test environment
    /// (`40055058…72ec`).
    pub const TEST_ENVIRONMENT: PublicKey = PublicKey::from_hex_const(
        "40055058a4ee38156a06562e52eece92a771bcd8346a8c4615cb7376eddf72ec",
    );

    /// A key from its 32 bytes (the compressed Edwards point).
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        PublicKey(bytes)
    }

    /// A key from 64 hex digits (either case).
    pub fn from_hex(hex: &str) -> Result<Self, AuthError> {
        let hex = hex.as_bytes();
        if hex.len() != 64 {
            return Err(AuthError::BadPublicKey);
        }
        let mut out = [0u8; 32];
        for (o, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
            let (Some(hi), Some(lo)) = (nibble(pair[0]), nibble(pair[1])) else {
                return Err(AuthError::BadPublicKey);
            };
            *o = hi << 4 | lo;
        }
        Ok(PublicKey(out))
    }

    /// The 32 bytes.
    pub const fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// For the constants: a bad literal fails the build.
    const fn from_hex_const(hex: &str) -> Self {
        let hex = hex.as_bytes();
        assert!(hex.len() == 64, "64 hex digits");
        let mut out = [0u8; 32];
        let mut i = 0;
        while i < 32 {
            match (nibble(hex[2 * i]), nibble(hex[2 * i + 1])) {
                (Some(hi), Some(lo)) => out[i] = hi << 4 | lo,
                _ => panic!("not a hex digit"),
            }
            i += 1;
        }
        PublicKey(out)
    }
}

const fn nibble(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// [`PublicKey::PRODUCTION`].
impl Default for PublicKey {
    fn default() -> Self {
        PublicKey::PRODUCTION
    }
}

/// The key in lowercase hex.
impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({self})")
    }
}

/// Checks a Mini App's `initData` without the bot token, as a third party
/// the bot shared it with, and returns its fields.
///
/// The `signature` field must be the base64url Ed25519 signature, under
/// `key` ([`PublicKey::PRODUCTION`] for data from Telegram's production
/// environment), of `"{bot_id}:WebAppData\n"` followed by the
/// data-check-string of every field but `hash` and `signature`. `bot_id` is
/// the id of the bot whose Mini App it is (the number before `:` in its
/// token). Then `auth_date` must be as fresh as `freshness` asks.
pub fn validate_init_data_signature(
    init_data: &str,
    bot_id: impl Into<UserId>,
    key: &PublicKey,
    freshness: impl Into<Freshness>,
) -> Result<InitData, AuthError> {
    let fields = Fields::parse(init_data)?;
    let signature = fields
        .non_empty("signature")
        .ok_or(AuthError::MissingSignature)?;
    let signature = Signature::from_bytes(&signature_bytes(signature)?);
    let key = VerifyingKey::from_bytes(&key.0).map_err(|_| AuthError::BadPublicKey)?;
    let text = fields.check_string(
        &format!("{}:WebAppData\n", bot_id.into()),
        &["hash", "signature"],
    );
    key.verify_strict(text.as_bytes(), &signature)
        .map_err(|_| AuthError::BadSignature)?;
    freshness
        .into()
        .check(auth_date(fields.get("auth_date"))?)?;
    typed(fields)
}

/// The 64 bytes of a base64url signature, written without padding (as
/// Telegram does) or with the full padding; no other spelling.
fn signature_bytes(text: &str) -> Result<[u8; 64], AuthError> {
    let engine = match text.len() {
        86 => &URL_SAFE_NO_PAD,
        88 => &URL_SAFE,
        _ => return Err(AuthError::BadSignature),
    };
    let mut out = [0u8; 64];
    match engine.decode_slice(text, &mut out) {
        Ok(64) => Ok(out),
        _ => Err(AuthError::BadSignature),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_and_print_as_hex() {
        assert_eq!(
            PublicKey::PRODUCTION.to_string(),
            "e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d"
        );
        assert_eq!(
            PublicKey::TEST_ENVIRONMENT.to_string(),
            "40055058a4ee38156a06562e52eece92a771bcd8346a8c4615cb7376eddf72ec"
        );
        assert_eq!(PublicKey::default(), PublicKey::PRODUCTION);
        let upper = PublicKey::PRODUCTION.to_string().to_uppercase();
        assert_eq!(PublicKey::from_hex(&upper), Ok(PublicKey::PRODUCTION));
        assert_eq!(PublicKey::from_hex("00"), Err(AuthError::BadPublicKey));
        assert_eq!(
            PublicKey::from_hex(&"g".repeat(64)),
            Err(AuthError::BadPublicKey)
        );
        // Both published keys are points on the curve.
        for k in [PublicKey::PRODUCTION, PublicKey::TEST_ENVIRONMENT] {
            assert!(VerifyingKey::from_bytes(&k.to_bytes()).is_ok());
        }
    }

    #[test]
    fn signatures_are_86_or_88_base64url_characters() {
        let no_pad = "A".repeat(86);
        assert_eq!(signature_bytes(&no_pad), Ok([0; 64]));
        assert_eq!(signature_bytes(&format!("{no_pad}==")), Ok([0; 64]));
        for bad in [
            "A".repeat(85),
            "A".repeat(87),
            format!("{no_pad}="),
            "A".repeat(88),
            "+".repeat(86),
            // Bits past the 64 bytes must be zero.
            format!("{}B", "A".repeat(85)),
        ] {
            assert_eq!(signature_bytes(&bad), Err(AuthError::BadSignature), "{bad}");
        }
    }
}
