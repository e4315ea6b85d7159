//! Checking a request the way Telegram does before doing anything: the
//! parameters are decoded into the method's request type (picked by its
//! wire name), so a parameter the method does not have, a required one
//! missing and a value of the wrong type are each a 400 with Telegram's
//! `Bad Request: ...`; then `validate()` checks every documented limit and
//! rule across fields. Form and multipart values are text, as on the wire,
//! and are read as JSON where the parameter wants a number, a flag, an
//! object or a list, the way the Bot API server reads them.

use std::collections::{HashMap, HashSet};
use std::fmt::Debug;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_json::{Map, Value};

use super::hooks::{self, Part, Session};
use super::shape;
use crate::methods::dynamic::{with_request, RequestFn, METHODS};
use crate::validate::Validator;
use crate::Request;

/// A request the fake accepted.
#[derive(Debug)]
pub(crate) struct Accepted {
    /// Its wire name.
    pub(crate) method: &'static str,
    /// The parameters as understood: form text read as the types the
    /// method wants.
    pub(crate) params: Map<String, Value>,
    /// The method's result type.
    pub(crate) result: ResultType,
    /// File parts of the request, by part name.
    pub(crate) parts: HashMap<String, Part>,
}

/// A method's result type, as functions (its Rust type is not named here).
#[derive(Clone, Copy)]
pub(crate) struct ResultType {
    /// Whether a value is one as it is (no field missing, none unknown).
    pub(crate) fits: fn(&Value) -> bool,
    /// A seed mended into one ([`shape::complete`]).
    pub(crate) complete: fn(Value) -> Option<Value>,
}

impl Debug for ResultType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResultType")
    }
}

/// Why the fake refused a request: the status and description Telegram
/// would answer with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Refused {
    pub(crate) code: u16,
    pub(crate) description: String,
}

/// A 400 with `Bad Request: ` before `what`.
pub(crate) fn bad_request(what: impl std::fmt::Display) -> Refused {
    Refused {
        code: 400,
        description: format!("Bad Request: {what}"),
    }
}

/// The wire name of `method`; Telegram reads method names without regard
/// to case.
pub(crate) fn canonical(method: &str) -> Option<&'static str> {
    METHODS
        .iter()
        .copied()
        .find(|m| m.eq_ignore_ascii_case(method))
}

/// The parameters of one request as they arrived.
#[derive(Debug, Default)]
pub(crate) struct Incoming {
    pub(crate) params: Map<String, Value>,
    /// Parameters that came as form text (everything but a JSON body).
    pub(crate) text_fields: HashSet<String>,
    /// File parts, by part name.
    pub(crate) parts: HashMap<String, Part>,
}

/// How strict the check is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    /// A parameter the method does not have is refused (Telegram itself
    /// ignores it).
    pub(crate) unknown_parameters: bool,
    /// Playing a server started with `--local`.
    pub(crate) local: bool,
}

/// Check `incoming` as a call of `method` (a wire name from [`canonical`]).
pub(crate) fn check(
    method: &'static str,
    incoming: Incoming,
    rules: Rules,
) -> Result<Accepted, Refused> {
    with_request(method, Check { incoming, rules })
        .unwrap_or_else(|| Err(bad_request(format!("no method {method}"))))
}

struct Check {
    incoming: Incoming,
    rules: Rules,
}

impl RequestFn for Check {
    type Output = Result<Accepted, Refused>;

    fn call<R>(self) -> Self::Output
    where
        R: Request + DeserializeOwned + Debug,
    {
        let Incoming {
            mut params,
            text_fields,
            parts,
        } = self.incoming;
        if self.rules.unknown_parameters {
            if let Some(known) = fields_of::<R>() {
                let unknown = params
                    .iter()
                    .find(|(k, v)| !v.is_null() && !known.contains(&k.as_str()));
                if let Some((key, _)) = unknown {
                    return Err(bad_request(format_args!("unknown parameter \"{key}\"")));
                }
            }
        }
        // Text that reads as JSON is tried as JSON first; a parameter that
        // then turns out to want a string gets its text back.
        let mut as_text: Vec<&String> = Vec::new();
        for key in &text_fields {
            if let Some(Value::String(text)) = params.get(key) {
                if let Some(parsed) = json_of_text(text) {
                    params.insert(key.clone(), parsed);
                    as_text.push(key);
                }
            }
        }
        let session = || Session {
            parts: parts.clone(),
            local: self.rules.local,
            unknown_kinds: Vec::new(),
        };
        let request = loop {
            let text = Value::Object(params.clone()).to_string();
            let (decoded, noted) = hooks::with_session(session(), || decode::<R>(&text));
            match decoded {
                Ok(request) => {
                    if let Some(kind) = noted.unknown_kinds.first() {
                        return Err(bad_request(format_args!(
                            "an object of a kind this version does not know: {}",
                            shorten(kind)
                        )));
                    }
                    break request;
                }
                Err((path, message)) => {
                    let top = path.split(['.', '[']).next().unwrap_or("");
                    let wanted_text = message.contains("expected a string")
                        || message.contains("expected a borrowed string");
                    match as_text.iter().position(|k| k.as_str() == top) {
                        Some(i) if wanted_text => {
                            let key = as_text.swap_remove(i);
                            let original = text_of(&params[key.as_str()]);
                            params.insert(key.clone(), Value::String(original));
                        }
                        _ => return Err(refusal(&path, &message)),
                    }
                }
            }
        };
        let mut v = Validator::new(R::METHOD);
        if self.rules.local {
            v = v.with_local_server_limits();
        }
        request.validate_into(&mut v);
        if let Err(e) = v.finish() {
            let all: Vec<String> = e.violations.iter().map(ToString::to_string).collect();
            return Err(bad_request(all.join("; ")));
        }
        Ok(Accepted {
            method: R::METHOD,
            params,
            result: ResultType {
                fits: shape::fits::<R::Response>,
                complete: shape::complete::<R::Response>,
            },
            parts,
        })
    }
}

/// Decode `text` as `R`, the strict way; on failure the path and message.
fn decode<R: DeserializeOwned>(text: &str) -> Result<R, (String, String)> {
    crate::compat::strict(|| {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize::<_, R>(&mut de)
    })
    .map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        (path, shape::without_position(&e.inner().to_string()))
    })
}

/// Telegram's answer to a request that did not decode.
fn refusal(path: &str, message: &str) -> Refused {
    if path.is_empty() {
        if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            return bad_request(format_args!("parameter \"{field}\" is required"));
        }
        return bad_request(format_args!("can't parse the parameters: {message}"));
    }
    bad_request(format_args!("can't parse parameter \"{path}\": {message}"))
}

/// Form text as JSON, where it reads as a number, a flag, an object or a
/// list (never `null`: that is text too).
fn json_of_text(text: &str) -> Option<Value> {
    let t = text.trim();
    let looks = t.starts_with(['{', '[', '-'])
        || t.starts_with(|c: char| c.is_ascii_digit())
        || t == "true"
        || t == "false";
    if !looks {
        return None;
    }
    serde_json::from_str(t).ok()
}

/// The text a value came as.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(80).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// The parameter names a request type knows: its `Deserialize` (derived)
/// names them to the deserializer. `None` if it does not.
fn fields_of<R: DeserializeOwned>() -> Option<&'static [&'static str]> {
    let mut found = None;
    let _ = R::deserialize(FieldNames(&mut found));
    found
}

/// A deserializer that only notes the field names a struct asks for.
struct FieldNames<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("only field names are read"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        Err(de::Error::custom("only field names are read"))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(&[]);
        Err(de::Error::custom("only field names are read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit newtype_struct seq tuple tuple_struct map
        enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn incoming(params: Value) -> Incoming {
        Incoming {
            params: params.as_object().unwrap().clone(),
            ..Incoming::default()
        }
    }

    fn form(params: &[(&str, &str)]) -> Incoming {
        Incoming {
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect(),
            text_fields: params.iter().map(|(k, _)| k.to_string()).collect(),
            parts: HashMap::new(),
        }
    }

    const RULES: Rules = Rules {
        unknown_parameters: true,
        local: false,
    };

    fn refused(method: &'static str, params: Incoming) -> String {
        check(method, params, RULES).unwrap_err().description
    }

    #[test]
    fn names_are_read_without_regard_to_case() {
        assert_eq!(canonical("SENDMESSAGE"), Some("sendMessage"));
        assert_eq!(canonical("sendmessage"), Some("sendMessage"));
        assert_eq!(canonical("sendMessages"), None);
    }

    #[test]
    fn field_names_come_from_the_request_type() {
        let known = fields_of::<crate::methods::SendMessage>().unwrap();
        assert!(known.contains(&"chat_id") && known.contains(&"text"));
        assert_eq!(fields_of::<crate::methods::GetMe>(), Some(&[][..]));
    }

    #[test]
    fn what_telegram_refuses() {
        assert_eq!(
            refused("sendMessage", incoming(json!({"chat_id": 1}))),
            "Bad Request: parameter \"text\" is required"
        );
        assert_eq!(
            refused(
                "sendMessage",
                incoming(json!({"chat_id": 1, "text": "a", "txet": "b"}))
            ),
            "Bad Request: unknown parameter \"txet\""
        );
        assert_eq!(
            refused("sendMessage", incoming(json!({"chat_id": 1, "text": 5}))),
            "Bad Request: can't parse parameter \"text\": invalid type: integer `5`, expected a string"
        );
        let nested = refused(
            "sendMessage",
            incoming(json!({"chat_id": 1, "text": "a",
                "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_dat": "y"}]]}})),
        );
        // The keyboard is one of several markups: the decoder names the
        // union, not the button.
        assert!(
            nested.starts_with("Bad Request: can't parse parameter \"reply_markup\""),
            "{nested}"
        );
        let button = refused(
            "sendMessage",
            incoming(json!({"chat_id": 1, "text": "a",
                "link_preview_options": {"is_disabled": true, "url_": "x"}})),
        );
        assert_eq!(
            button,
            "Bad Request: can't parse parameter \"link_preview_options\": unknown field `url_`"
        );
        assert_eq!(
            refused(
                "getUserProfileAudios",
                incoming(json!({"user_id": 1, "limit": 101}))
            ),
            "Bad Request: getUserProfileAudios.limit: must be between 1 and 100, got 101"
        );
        let unknown_kind = refused(
            "sendMediaGroup",
            incoming(json!({"chat_id": 1, "media": [
                {"type": "photo", "media": "AgAD"}, {"type": "hologram", "media": "AgAD"}]})),
        );
        assert!(
            unknown_kind.contains("a kind this version does not know"),
            "{unknown_kind}"
        );
    }

    #[test]
    fn unknown_parameters_may_be_allowed() {
        let lax = Rules {
            unknown_parameters: false,
            ..RULES
        };
        let ok = check(
            "sendMessage",
            incoming(json!({"chat_id": 1, "text": "a", "extra": true})),
            lax,
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn form_text_is_read_as_the_parameter_wants() {
        let accepted = check(
            "sendMessage",
            form(&[
                ("chat_id", "-100123"),
                ("text", "42"),
                ("disable_notification", "true"),
                (
                    "reply_markup",
                    r#"{"inline_keyboard":[[{"text":"1","callback_data":"2"}]]}"#,
                ),
            ]),
            RULES,
        )
        .unwrap();
        assert_eq!(accepted.method, "sendMessage");
        let p = &accepted.params;
        assert_eq!(p["chat_id"], json!(-100123));
        assert_eq!(p["text"], json!("42"), "a string parameter keeps its text");
        assert_eq!(p["disable_notification"], json!(true));
        assert_eq!(p["reply_markup"]["inline_keyboard"][0][0]["text"], "1");
        assert!((accepted.result.fits)(&json!({"message_id": 1, "date": 1,
            "chat": {"id": 1, "type": "private"}})));
        assert!(!(accepted.result.fits)(&json!(true)));
    }

    #[test]
    fn uploads_are_checked_against_their_limits() {
        let mut parts = HashMap::new();
        parts.insert(
            "thumbnail".to_string(),
            Part {
                file_name: "t.jpg".into(),
                data: vec![0u8; 300 * 1024].into(),
            },
        );
        let upload = Incoming {
            params: json!({"chat_id": 1, "audio": "AgAD", "thumbnail": "attach://thumbnail"})
                .as_object()
                .unwrap()
                .clone(),
            text_fields: HashSet::new(),
            parts,
        };
        assert_eq!(
            check("sendAudio", upload, RULES).unwrap_err().description,
            "Bad Request: sendAudio.thumbnail: upload must be at most 204800 bytes, got 307200 bytes"
        );
        let missing = incoming(json!({"chat_id": 1, "audio": "attach://nothing"}));
        let text = refused("sendAudio", missing);
        assert!(text.contains("no file was uploaded"), "{text}");
        let uri = incoming(json!({"chat_id": 1, "audio": "file:///tmp/a.mp3"}));
        let text = refused("sendAudio", uri);
        assert!(text.contains("--local"), "{text}");
    }
}
