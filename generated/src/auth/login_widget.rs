//! The Telegram Login Widget (the JavaScript widget Telegram now calls its
//! legacy login): the hash it adds to the user it hands a website.

use std::collections::BTreeMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::query::Fields;
use super::{auth_date, check_hmac, shown, AuthError, Freshness};
use crate::ids::UserId;

/// The user the Login Widget vouches for, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoginWidgetUser {
    /// The user's id.
    pub id: UserId,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: Option<String>,
    /// Username, without the `@`.
    pub username: Option<String>,
    /// Link to the profile photo.
    pub photo_url: Option<String>,
    /// When the user logged in, in Unix seconds.
    pub auth_date: i64,
    /// Fields this version does not know, by key.
    pub extra: BTreeMap<String, String>,
}

/// Checks the query string the Login Widget sends to its `data-auth-url`
/// (`id=..&first_name=..&auth_date=..&hash=..`) and returns the user.
///
/// The hash must be HMAC-SHA-256 of the data-check-string (every field but
/// `hash`) keyed with SHA-256 of the bot token; then `auth_date` must be as
/// fresh as `freshness` asks (a `Duration` is the maximum age).
pub fn validate_login_widget(
    query: &str,
    bot_token: &str,
    freshness: impl Into<Freshness>,
) -> Result<LoginWidgetUser, AuthError> {
    check(Fields::parse(query)?, bot_token, freshness.into())
}

/// Checks the JSON object the Login Widget hands its `data-onauth`
/// callback, as a browser would post it (`{"id":1,"first_name":"A",
/// "auth_date":1700000000,"hash":"..."}`), and returns the user. Numbers
/// count as their decimal text, as in the query string; other values than
/// strings and integers are refused.
pub fn validate_login_widget_json(
    json: &str,
    bot_token: &str,
    freshness: impl Into<Freshness>,
) -> Result<LoginWidgetUser, AuthError> {
    let map = match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err(AuthError::Malformed("not a JSON object".to_string())),
        Err(e) => return Err(AuthError::Malformed(format!("not JSON: {e}"))),
    };
    let mut pairs = Vec::with_capacity(map.len());
    for (key, value) in map {
        let text = match value {
            Value::String(s) => s,
            Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
            other => {
                return Err(AuthError::BadField {
                    field: shown(&key),
                    message: format!(
                        "neither a string nor an integer: {}",
                        shown(&other.to_string())
                    ),
                })
            }
        };
        pairs.push((key, text));
    }
    check(Fields::new(pairs)?, bot_token, freshness.into())
}

fn check(
    fields: Fields,
    bot_token: &str,
    freshness: Freshness,
) -> Result<LoginWidgetUser, AuthError> {
    let hash = fields.non_empty("hash").ok_or(AuthError::MissingHash)?;
    let secret = Sha256::digest(bot_token.as_bytes());
    check_hmac(&secret, &fields.check_string("", &["hash"]), hash)?;
    let auth_date = auth_date(fields.get("auth_date"))?;
    freshness.check(auth_date)?;
    let mut user = LoginWidgetUser {
        id: UserId(0),
        first_name: String::new(),
        last_name: None,
        username: None,
        photo_url: None,
        auth_date,
        extra: BTreeMap::new(),
    };
    let (mut id, mut first_name) = (None, None);
    for (key, value) in fields.into_pairs() {
        match key.as_str() {
            "hash" | "auth_date" => {}
            "id" => id = Some(value),
            "first_name" => first_name = Some(value),
            "last_name" => user.last_name = Some(value),
            "username" => user.username = Some(value),
            "photo_url" => user.photo_url = Some(value),
            _ => {
                user.extra.insert(key, value);
            }
        }
    }
    let missing = |field: &str| AuthError::BadField {
        field: field.to_string(),
        message: "missing".to_string(),
    };
    let id = id.ok_or_else(|| missing("id"))?;
    user.id = UserId(id.parse().map_err(|_| AuthError::BadField {
        field: "id".to_string(),
        message: format!("not an integer: {:?}", shown(&id)),
    })?);
    user.first_name = first_name.ok_or_else(|| missing("first_name"))?;
    Ok(user)
}
