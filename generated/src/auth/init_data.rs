//! Mini App `initData`: the check with the bot token, and the typed fields.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::query::Fields;
use super::{auth_date, check_hmac, hmac_sha256, shown, AuthError, Freshness};
use crate::ids::{ChatId, UserId};
use crate::types::ChatType;
use crate::Extra;

/// The fields of a Mini App's `initData`, once checked.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct InitData {
    /// When Telegram signed it, in Unix seconds.
    pub auth_date: i64,
    /// The session's id, which `answerWebAppQuery` takes.
    pub query_id: Option<String>,
    /// Who opened the Mini App.
    pub user: Option<WebAppUser>,
    /// The other party of the private chat the Mini App was opened from
    /// (attachment menu only).
    pub receiver: Option<WebAppUser>,
    /// The group, supergroup or channel the Mini App was opened from
    /// (attachment menu only).
    pub chat: Option<WebAppChat>,
    /// The kind of chat a direct link opened the Mini App from. Besides the
    /// Bot API's chat types it may be `sender` (the user's private chat with
    /// the bot), which arrives as `ChatType::Other("sender")`.
    pub chat_type: Option<ChatType>,
    /// An opaque id of the chat a direct link opened the Mini App from.
    pub chat_instance: Option<String>,
    /// The `startattach` or `startapp` parameter of the link that opened it.
    pub start_param: Option<String>,
    /// Seconds after `auth_date` from which `answerWebAppQuery` may be called.
    pub can_send_after: Option<u64>,
    /// Telegram's Ed25519 signature (base64url), for third parties.
    pub signature: Option<String>,
    /// The HMAC-SHA-256 in hex, as received.
    pub hash: String,
    /// Fields this version does not know, decoded, by key.
    pub extra: BTreeMap<String, String>,
}

/// A user as a Mini App's `initData` describes them (`user`, `receiver`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WebAppUser {
    /// The user's id.
    pub id: UserId,
    /// Whether it is a bot (sent for `receiver` only).
    pub is_bot: Option<bool>,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: Option<String>,
    /// Username, without the `@`.
    pub username: Option<String>,
    /// IETF language tag of the user's app (sent for `user` only).
    pub language_code: Option<String>,
    /// Whether the user has Telegram Premium.
    pub is_premium: Option<bool>,
    /// Whether the user added the bot to their attachment menu.
    pub added_to_attachment_menu: Option<bool>,
    /// Whether the user lets the bot message them.
    pub allows_write_to_pm: Option<bool>,
    /// Link to the profile photo (`.jpeg` or `.svg`).
    pub photo_url: Option<String>,
    /// JSON keys this version does not know.
    pub extra: Extra,
}

/// A chat as a Mini App's `initData` describes it (`chat`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WebAppChat {
    /// The chat's id.
    pub id: ChatId,
    /// Group, supergroup or channel.
    pub type_: ChatType,
    /// Title.
    pub title: String,
    /// Username, without the `@`.
    pub username: Option<String>,
    /// Link to the chat's photo (`.jpeg` or `.svg`).
    pub photo_url: Option<String>,
    /// JSON keys this version does not know.
    pub extra: Extra,
}

/// Checks a Mini App's `initData` with the bot token and returns its fields.
///
/// `init_data` is the query string exactly as the Mini App read it from
/// `Telegram.WebApp.initData`. The hash must be HMAC-SHA-256 of the
/// data-check-string (every field but `hash`; `signature` included) keyed
/// with HMAC-SHA-256 of the bot token keyed with `"WebAppData"`; then
/// `auth_date` must be as fresh as `freshness` asks (a `Duration` is the
/// maximum age).
pub fn validate_init_data(
    init_data: &str,
    bot_token: &str,
    freshness: impl Into<Freshness>,
) -> Result<InitData, AuthError> {
    let fields = Fields::parse(init_data)?;
    let hash = fields.non_empty("hash").ok_or(AuthError::MissingHash)?;
    let secret = hmac_sha256(b"WebAppData", bot_token.as_bytes());
    check_hmac(&secret, &fields.check_string("", &["hash"]), hash)?;
    freshness
        .into()
        .check(auth_date(fields.get("auth_date"))?)?;
    typed(fields)
}

/// Reads `initData` into its fields **without checking anything**: no hash,
/// no signature, no age. For tools and tests; a server must use
/// [`validate_init_data`] or [`validate_init_data_signature`](super::validate_init_data_signature).
/// `hash` may be empty; `auth_date` must still be a number.
pub fn parse_init_data(init_data: &str) -> Result<InitData, AuthError> {
    let fields = Fields::parse(init_data)?;
    auth_date(fields.get("auth_date"))?;
    typed(fields)
}

/// The typed fields of checked data.
pub(super) fn typed(fields: Fields) -> Result<InitData, AuthError> {
    let mut data = InitData {
        auth_date: auth_date(fields.get("auth_date"))?,
        query_id: None,
        user: None,
        receiver: None,
        chat: None,
        chat_type: None,
        chat_instance: None,
        start_param: None,
        can_send_after: None,
        signature: None,
        hash: String::new(),
        extra: BTreeMap::new(),
    };
    for (key, value) in fields.into_pairs() {
        match key.as_str() {
            "auth_date" => {}
            "hash" => data.hash = value,
            "signature" => data.signature = Some(value),
            "query_id" => data.query_id = Some(value),
            "chat_instance" => data.chat_instance = Some(value),
            "start_param" => data.start_param = Some(value),
            "chat_type" => data.chat_type = Some(ChatType::from(value.as_str())),
            "can_send_after" => {
                data.can_send_after = Some(value.parse().map_err(|_| AuthError::BadField {
                    field: key.clone(),
                    message: format!("not a number of seconds: {:?}", shown(&value)),
                })?)
            }
            "user" => data.user = Some(WebAppUser::from_json(&key, &value)?),
            "receiver" => data.receiver = Some(WebAppUser::from_json(&key, &value)?),
            "chat" => data.chat = Some(WebAppChat::from_json(&key, &value)?),
            _ => {
                data.extra.insert(key, value);
            }
        }
    }
    Ok(data)
}

/// A JSON object's keys, taken out one by one; what is left is `extra`.
struct Object<'a> {
    field: &'a str,
    map: Map<String, Value>,
}

impl<'a> Object<'a> {
    fn parse(field: &'a str, json: &str) -> Result<Self, AuthError> {
        match serde_json::from_str::<Value>(json) {
            Ok(Value::Object(map)) => Ok(Object { field, map }),
            Ok(_) => Err(bad(field, "not a JSON object".to_string())),
            Err(e) => Err(bad(field, format!("not JSON: {e}"))),
        }
    }

    /// An optional key (`null` counts as absent).
    fn optional<T: DeserializeOwned>(&mut self, key: &str) -> Result<Option<T>, AuthError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| bad(&format!("{}.{key}", self.field), e.to_string())),
        }
    }

    /// A required key.
    fn required<T: DeserializeOwned>(&mut self, key: &str) -> Result<T, AuthError> {
        self.optional(key)?
            .ok_or_else(|| bad(&format!("{}.{key}", self.field), "missing".to_string()))
    }

    fn extra(self) -> Extra {
        Extra::from(self.map)
    }
}

fn bad(field: &str, message: String) -> AuthError {
    AuthError::BadField {
        field: field.to_string(),
        message,
    }
}

impl WebAppUser {
    fn from_json(field: &str, json: &str) -> Result<Self, AuthError> {
        let mut o = Object::parse(field, json)?;
        Ok(WebAppUser {
            id: UserId(o.required("id")?),
            is_bot: o.optional("is_bot")?,
            first_name: o.required("first_name")?,
            last_name: o.optional("last_name")?,
            username: o.optional("username")?,
            language_code: o.optional("language_code")?,
            is_premium: o.optional("is_premium")?,
            added_to_attachment_menu: o.optional("added_to_attachment_menu")?,
            allows_write_to_pm: o.optional("allows_write_to_pm")?,
            photo_url: o.optional("photo_url")?,
            extra: o.extra(),
        })
    }
}

impl WebAppChat {
    fn from_json(field: &str, json: &str) -> Result<Self, AuthError> {
        let mut o = Object::parse(field, json)?;
        Ok(WebAppChat {
            id: ChatId(o.required("id")?),
            type_: ChatType::from(o.required::<String>("type")?.as_str()),
            title: o.required("title")?,
            username: o.optional("username")?,
            photo_url: o.optional("photo_url")?,
            extra: o.extra(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_fields() {
        let q = "auth_date=5&hash=h&query_id=Q&chat_type=sender&chat_instance=-77\
                 &start_param=go&can_send_after=9&signature=s&new_field=%E2%9C%93\
                 &user=%7B%22id%22%3A7%2C%22first_name%22%3A%22A%22%2C%22is_premium%22%3Atrue%2C%22x%22%3A%5B1%5D%7D\
                 &chat=%7B%22id%22%3A-100%2C%22type%22%3A%22supergroup%22%2C%22title%22%3A%22T%22%7D";
        let d = parse_init_data(q).unwrap();
        assert_eq!(d.auth_date, 5);
        assert_eq!(d.hash, "h");
        assert_eq!(d.query_id.as_deref(), Some("Q"));
        assert_eq!(d.chat_type, Some(ChatType::Other("sender".into())));
        assert_eq!(d.chat_instance.as_deref(), Some("-77"));
        assert_eq!(d.start_param.as_deref(), Some("go"));
        assert_eq!(d.can_send_after, Some(9));
        assert_eq!(d.signature.as_deref(), Some("s"));
        assert_eq!(d.extra["new_field"], "✓");
        let u = d.user.unwrap();
        assert_eq!(u.id, UserId(7));
        assert_eq!(u.first_name, "A");
        assert_eq!(u.is_premium, Some(true));
        assert_eq!(u.extra["x"], serde_json::json!([1]));
        let c = d.chat.unwrap();
        assert_eq!(
            (c.id, c.type_, c.title.as_str()),
            (ChatId(-100), ChatType::Supergroup, "T")
        );
        assert!(d.receiver.is_none());
    }

    #[test]
    fn bad_json_names_the_field() {
        let cases = [
            ("user=1", "user"),
            ("user=%7B", "user"),
            ("user=%7B%22first_name%22%3A%22A%22%7D", "user.id"),
            (
                "user=%7B%22id%22%3A%227%22%2C%22first_name%22%3A%22A%22%7D",
                "user.id",
            ),
            ("receiver=%7B%22id%22%3A7%7D", "receiver.first_name"),
            (
                "chat=%7B%22id%22%3A7%2C%22title%22%3A%22T%22%7D",
                "chat.type",
            ),
            ("can_send_after=-1", "can_send_after"),
        ];
        for (q, field) in cases {
            match parse_init_data(&format!("auth_date=1&{q}")) {
                Err(AuthError::BadField { field: f, .. }) => assert_eq!(f, field, "{q}"),
                other => panic!("{q}: {other:?}"),
            }
        }
        assert_eq!(parse_init_data("hash=x"), Err(AuthError::MissingAuthDate));
    }
}
