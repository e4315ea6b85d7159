//! A Mini App's `initData` checked by a third party: the Ed25519
//! `signature`, with a key made here in place of Telegram's.

use botapi::auth::{self, AuthError, PublicKey};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};

use crate::independent::{base64url, check_string, init_data_hash, query};
use crate::init_data::{fields, PYTHON_VECTOR};
use crate::{assert_no_token, fresh, one_character_changes, BOT_ID, TOKEN};

/// The test key: the Ed25519 seed 00 01 02 .. 1f. Its public key, as
/// Python's `cryptography` computes it
/// (`Ed25519PrivateKey.from_private_bytes(bytes(range(32)))`), signed the
/// `signature` of [`PYTHON_VECTOR`]: `base64.urlsafe_b64encode(sk.sign(
/// f"{bot_id}:WebAppData\n{check_string}".encode())).rstrip(b"=")`.
const PYTHON_PUBLIC_KEY: &str = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";

fn signing_key() -> SigningKey {
    let seed: [u8; 32] = std::array::from_fn(|i| i as u8);
    SigningKey::from_bytes(&seed)
}

fn public_key() -> PublicKey {
    PublicKey::from_bytes(signing_key().verifying_key().to_bytes())
}

/// `fields` with a `signature` made here for `bot_id`, then a `hash`.
fn signed(fields: &[(&str, &str)], bot_id: i64) -> String {
    let text = format!(
        "{bot_id}:WebAppData\n{}",
        check_string(fields, &["hash", "signature"])
    );
    let signature = base64url(&signing_key().sign(text.as_bytes()).to_bytes());
    let mut all = fields.to_vec();
    all.push(("signature", &signature));
    let hash = init_data_hash(&all, TOKEN);
    all.push(("hash", &hash));
    query(&all)
}

#[test]
fn the_test_key_is_the_one_python_made() {
    assert_eq!(public_key().to_string(), PYTHON_PUBLIC_KEY);
    assert_eq!(PublicKey::from_hex(PYTHON_PUBLIC_KEY), Ok(public_key()));
    // Ed25519 signatures are deterministic: the vector's signature is the
    // one made here over the same fields.
    assert_eq!(signed(&fields(), BOT_ID), PYTHON_VECTOR);
}

#[test]
fn the_python_vector_validates_with_its_key_only() {
    let data = auth::validate_init_data_signature(PYTHON_VECTOR, BOT_ID, &public_key(), fresh(0))
        .expect("valid");
    assert_eq!(data.user.expect("user").first_name, "Ada");
    for other in [PublicKey::PRODUCTION, PublicKey::TEST_ENVIRONMENT] {
        assert_eq!(
            auth::validate_init_data_signature(PYTHON_VECTOR, BOT_ID, &other, fresh(0)),
            Err(AuthError::BadSignature)
        );
    }
    // Another bot's id.
    assert_eq!(
        auth::validate_init_data_signature(PYTHON_VECTOR, BOT_ID + 1, &public_key(), fresh(0)),
        Err(AuthError::BadSignature)
    );
}

#[test]
fn signed_here_validates_and_one_character_changed_fails() {
    let good = signed(&fields(), BOT_ID);
    let key = public_key();
    assert!(auth::validate_init_data_signature(&good, BOT_ID, &key, fresh(5)).is_ok());
    // The signature covers every field but `hash`: a change in the hash
    // passes this check (the bot-token check catches it), any other fails.
    let hash_at = good.find("&hash=").expect("hash") + "&hash=".len();
    for (at, changed) in one_character_changes(&good) {
        let result = auth::validate_init_data_signature(&changed, BOT_ID, &key, fresh(5));
        if at >= hash_at {
            assert!(result.is_ok(), "hash changed at {at}: {result:?}");
            assert!(auth::validate_init_data(&changed, TOKEN, fresh(5)).is_err());
        } else {
            let e = result.expect_err(&format!("a change at byte {at} passed: {changed}"));
            assert_no_token(&e);
        }
    }
}

#[test]
fn signature_spelling_and_presence() {
    let good = signed(&fields(), BOT_ID);
    let key = public_key();
    let check = |q: &str| auth::validate_init_data_signature(q, BOT_ID, &key, fresh(0));
    let signature = auth::parse_init_data(&good).unwrap().signature.unwrap();
    // With base64 padding, as some encoders write it.
    assert!(check(&good.replace(&signature, &format!("{signature}%3D%3D"))).is_ok());
    // Standard base64 instead of base64url, or cut short.
    let standard = signature.replace('-', "%2B").replace('_', "%2F");
    if standard != signature {
        assert_eq!(
            check(&good.replace(&signature, &standard)),
            Err(AuthError::BadSignature)
        );
    }
    assert_eq!(
        check(&good.replace(&signature, &signature[1..])),
        Err(AuthError::BadSignature)
    );
    let without = good.replace(&format!("signature={signature}&"), "");
    assert_eq!(check(&without), Err(AuthError::MissingSignature));
    let empty = good.replace(&format!("signature={signature}"), "signature=");
    assert_eq!(check(&empty), Err(AuthError::MissingSignature));
}

#[test]
fn age_bad_keys_and_default_key() {
    let good = signed(&fields(), BOT_ID);
    assert!(matches!(
        auth::validate_init_data_signature(&good, BOT_ID, &public_key(), fresh(3601)),
        Err(AuthError::Expired { .. })
    ));
    // A 32-byte value that is not a point on the curve.
    let not_a_point = (0..=255u8)
        .map(|b| [b; 32])
        .find(|bytes| VerifyingKey::from_bytes(bytes).is_err())
        .expect("some byte pattern is not a point");
    assert_eq!(
        auth::validate_init_data_signature(
            &good,
            BOT_ID,
            &PublicKey::from_bytes(not_a_point),
            fresh(0)
        ),
        Err(AuthError::BadPublicKey)
    );
    assert_eq!(PublicKey::default(), PublicKey::PRODUCTION);
}
