//! Turning a reply into a result: the `{ok, result, error_code,
//! description, parameters}` envelope decoded in one pass, Telegram's errors
//! made typed, and every kept text cleared of the token.
//!
//! Only the `result` is typed. Everything else here does not depend on it
//! and is compiled once, so the code compiled per result type stays small.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::de::Key;
use crate::error::{redact, ApiError, Error};
use crate::error_kinds::ErrorKind;

/// Turn a reply body into the method's result or an error. Reply text is
/// Telegram's or a proxy's, and a proxy page may echo the URL: `token` is
/// taken out of every text the error keeps.
pub fn parse_reply<T: DeserializeOwned>(
    method: &'static str,
    status: u16,
    body: &[u8],
    token: &str,
) -> Result<T, Error> {
    let reply = Reply {
        method,
        status,
        body,
        token,
    };
    let decoded = reply
        .text()
        .and_then(crate::compat::from_str::<Envelope<T>>);
    match decoded {
        Ok(Envelope {
            head,
            result: Some(result),
        }) if head.ok == Some(true) => Ok(result),
        Ok(Envelope { head, .. }) => Err(reply.refused(head)),
        Err(e) => Err(reply.undecodable(e)),
    }
}

/// Whether a reply is an error, without decoding its result: the client
/// checks each attempt's reply with this (so that Telegram's errors are
/// retried and learned from) and decodes the result once, after the last
/// attempt. A successful reply from Telegram starts with `{"ok":true,`
/// and is taken as one; anything else is decoded as an envelope.
pub(crate) fn check_reply(
    method: &'static str,
    status: u16,
    body: &[u8],
    token: &str,
) -> Result<(), Error> {
    if (200..300).contains(&status) && body.starts_with(br#"{"ok":true,"#) {
        return Ok(());
    }
    parse_reply::<IgnoredAny>(method, status, body, token).map(|_| ())
}

/// What the untyped part of [`parse_reply`] needs to know.
struct Reply<'a> {
    method: &'static str,
    status: u16,
    body: &'a [u8],
    token: &'a str,
}

impl Reply<'_> {
    fn text(&self) -> serde_json::Result<&str> {
        crate::compat::utf8(self.body)
    }

    /// A reply that decoded but carries no result: Telegram's error, or an
    /// envelope saying `ok` without a `result`.
    fn refused(&self, head: Head) -> Error {
        match head.ok {
            Some(true) => self.decode_error("`ok` is true but there is no `result`".into()),
            _ => self.api_error(head),
        }
    }

    /// A reply that did not decode. A well-formed error reply may still
    /// fail when its `result` has an unexpected shape: Telegram's error
    /// comes first if there is one.
    fn undecodable(&self, e: serde_json::Error) -> Error {
        let head = self
            .text()
            .ok()
            .and_then(|text| serde_json::from_str::<Envelope<IgnoredAny>>(text).ok());
        if let Some(Envelope { head, .. }) = head {
            if head.ok == Some(false) {
                return self.api_error(head);
            }
        }
        self.decode_error(if self.body.is_empty() {
            "empty body".into()
        } else {
            e.to_string()
        })
    }

    fn decode_error(&self, message: String) -> Error {
        Error::Decode {
            method: self.method,
            status: self.status,
            message: redact(&message, self.token),
            body_prefix: redacted_prefix(self.body, self.token),
        }
    }

    fn api_error(&self, head: Head) -> Error {
        let code = head.error_code.unwrap_or(i64::from(self.status));
        let description = head
            .description
            .map(|d| redact(&d, self.token))
            .unwrap_or_default();
        let kind = ErrorKind::classify(code, &description);
        Error::Api(ApiError {
            method: self.method,
            code,
            description,
            retry_after: head.retry_after,
            migrate_to_chat_id: head.migrate_to_chat_id,
            kind,
        })
    }
}

/// The first 200 bytes of a body, for diagnosis, without the token: the cut
/// moves back to the start of a token (or of its secret half) that would
/// cross it, so no piece remains.
fn redacted_prefix(body: &[u8], token: &str) -> String {
    let mut cut = body.len().min(200);
    let secret = token.split_once(':').map(|(_, s)| s);
    for needle in std::iter::once(token).chain(secret) {
        let needle = needle.as_bytes();
        let from = cut.saturating_sub(needle.len().saturating_sub(1));
        if let Some(p) = (from..cut).find(|&p| !needle.is_empty() && body[p..].starts_with(needle))
        {
            cut = p;
        }
    }
    redact(&String::from_utf8_lossy(&body[..cut]), token)
}

/// The envelope: its untyped fields and the typed result.
struct Envelope<T> {
    head: Head,
    result: Option<T>,
}

/// The envelope's fields other than `result` (`parameters` flattened).
#[derive(Default)]
struct Head {
    ok: Option<bool>,
    error_code: Option<i64>,
    description: Option<String>,
    retry_after: Option<u64>,
    migrate_to_chat_id: Option<i64>,
}

impl<'de, T: DeserializeOwned> serde::Deserialize<'de> for Envelope<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
            type Value = Envelope<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Bot API reply object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<T>, A::Error> {
                let mut head = Head::default();
                let mut result = None;
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    if key.as_str() == "result" {
                        if result.is_some() {
                            return Err(serde::de::Error::duplicate_field("result"));
                        }
                        result = Some(map.next_value::<T>()?);
                    } else {
                        head.entry(key.as_str(), &mut map)?;
                    }
                }
                head.finish()?;
                Ok(Envelope { head, result })
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

impl Head {
    /// Read the value of one key other than `result`. Generic over the
    /// reader only, so it is shared by every result type.
    fn entry<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        fn once<T, E: serde::de::Error>(
            slot: &mut Option<T>,
            key: &'static str,
            x: T,
        ) -> Result<(), E> {
            match slot.replace(x) {
                Some(_) => Err(E::duplicate_field(key)),
                None => Ok(()),
            }
        }
        match key {
            "ok" => once(&mut self.ok, "ok", map.next_value()?),
            // `null` counts as absent, as `#[serde(default)]` would have it.
            "error_code" => match map.next_value()? {
                Some(code) => once(&mut self.error_code, "error_code", code),
                None => Ok(()),
            },
            "description" => match map.next_value()? {
                Some(text) => once(&mut self.description, "description", text),
                None => Ok(()),
            },
            "parameters" => {
                let p: Option<Parameters> = map.next_value()?;
                if let Some(p) = p {
                    self.retry_after = self.retry_after.or(p.retry_after);
                    self.migrate_to_chat_id = self.migrate_to_chat_id.or(p.migrate_to_chat_id);
                }
                Ok(())
            }
            _ => map.next_value::<IgnoredAny>().map(drop),
        }
    }

    fn finish<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.ok {
            Some(_) => Ok(()),
            None => Err(E::missing_field("ok")),
        }
    }
}

/// `parameters` of an error reply (the fields the client acts on; others
/// are ignored, `null` counts as absent).
#[derive(Default)]
struct Parameters {
    retry_after: Option<u64>,
    migrate_to_chat_id: Option<i64>,
}

impl<'de> serde::Deserialize<'de> for Parameters {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Parameters;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a ResponseParameters object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parameters, A::Error> {
                let mut p = Parameters::default();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.as_str() {
                        "retry_after" => p.retry_after = map.next_value()?,
                        "migrate_to_chat_id" => p.migrate_to_chat_id = map.next_value()?,
                        _ => map.next_value::<IgnoredAny>().map(drop)?,
                    }
                }
                Ok(p)
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn check_reply_finds_errors_without_decoding_the_result() {
        // Telegram's success: taken as one, the result left for later.
        assert!(check_reply("m", 200, br#"{"ok":true,"result":{"any":1}}"#, "").is_ok());
        // Another key order, or spaces: decoded as an envelope.
        assert!(check_reply("m", 200, br#"{ "result": [1], "ok": true }"#, "").is_ok());
        let err = check_reply("m", 200, br#"{ "ok": true }"#, "").unwrap_err();
        assert!(err.to_string().contains("no `result`"), "{err}");
        // Errors are found whatever the status says.
        let err = check_reply(
            "m",
            200,
            br#"{"ok":false,"error_code":429,"description":"x","parameters":{"retry_after":3}}"#,
            "",
        )
        .unwrap_err();
        assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
        let err = check_reply("m", 429, br#"{"ok":true,"result":1}"#, "");
        assert!(
            err.is_ok(),
            "a body saying ok is decoded, not judged by its status"
        );
        let err = check_reply("m", 502, b"<html>Bad Gateway</html>", "").unwrap_err();
        assert!(matches!(err, Error::Decode { status: 502, .. }), "{err}");
    }

    #[test]
    fn parses_success_and_errors() {
        let ok: bool = parse_reply("m", 200, br#"{"ok":true,"result":true}"#, "").unwrap();
        assert!(ok);
        let err = parse_reply::<bool>("m", 429, br#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}"#, "").unwrap_err();
        assert_eq!(err.retry_after(), Some(Duration::from_secs(5)));
        let err = parse_reply::<bool>("m", 502, b"<html>Bad Gateway</html>", "").unwrap_err();
        assert!(matches!(err, Error::Decode { status: 502, .. }), "{err}");
        let err = parse_reply::<bool>("m", 200, br#"{"ok":true}"#, "").unwrap_err();
        assert!(err.to_string().contains("no `result`"), "{err}");
        let err = parse_reply::<bool>("m", 200, b"", "").unwrap_err();
        assert!(err.to_string().contains("empty body"), "{err}");
        let err = parse_reply::<bool>(
            "m",
            400,
            br#"{"ok":false,"error_code":400,"description":"Bad Request: x","result":{"weird":1}}"#,
            "",
        )
        .unwrap_err();
        assert_eq!(err.api().map(|a| a.code), Some(400));
    }

    #[test]
    fn envelope_edge_cases() {
        // `ok` is required; other keys are ignored; nulls count as absent.
        let err = parse_reply::<bool>("m", 200, br#"{"result":true}"#, "").unwrap_err();
        assert!(err.to_string().contains("missing field `ok`"), "{err}");
        let ok: bool = parse_reply(
            "m",
            200,
            br#"{"new":[1,{"x":2}],"ok":true,"description":null,"result":true}"#,
            "",
        )
        .unwrap();
        assert!(ok);
        let err = parse_reply::<bool>("m", 200, br#"{"ok":true,"ok":true,"result":true}"#, "")
            .unwrap_err();
        assert!(err.to_string().contains("duplicate field `ok`"), "{err}");
        let err =
            parse_reply::<bool>("m", 400, br#"{"ok":false,"error_code":null}"#, "").unwrap_err();
        assert_eq!(err.api().map(|a| a.code), Some(400));
        let err = parse_reply::<bool>(
            "m",
            400,
            br#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001}}"#,
            "",
        )
        .unwrap_err();
        assert_eq!(err.migrate_to_chat_id(), Some(-1001));
        let err =
            parse_reply::<bool>("m", 200, b"{\"ok\":true,\"result\":\"\xff\"}", "").unwrap_err();
        assert!(
            err.to_string().contains("invalid UTF-8 at byte 21"),
            "{err}"
        );
        // The token never survives in what the error keeps.
        let err = parse_reply::<bool>(
            "m",
            400,
            br#"{"ok":false,"error_code":400,"description":"bad 1:SECRET"}"#,
            "1:SECRET",
        )
        .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("SECRET"), "{err:?}");
    }
}
