//! Deserialization helpers used by generated code: map keys that borrow from
//! the input when they can (walking an object allocates nothing per key),
//! and the one way unions decode a value they held as JSON text.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

/// Generated code: a method's reply into its result or an error (what
/// [`Request::decode_reply`](crate::Request::decode_reply) does).
pub use crate::decode::reply::parse_reply;

/// An object key, borrowed from the input unless it had escapes.
#[derive(Debug)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Generated code: read the value of the field whose key was just read.
/// Out of line on purpose: the reading code of each field type then exists
/// once, not inlined into every object with such a field (about a third
/// less machine code for the generated types, for one call per field).
#[inline(never)]
pub fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A) -> Result<T, A::Error> {
    map.next_value()
}

/// Generated code: [`field`] into `slot`, replacing what a repeated key
/// left there (the last one wins). Taking the slot keeps the code that drops
/// the old value here, once per field type, rather than in every decoder.
#[inline(never)]
pub fn field_into<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Generated code: the first required field (by wire name) whose flag says
/// it is missing.
pub fn first_missing(fields: &[(&'static str, bool)]) -> &'static str {
    fields.iter().find(|f| f.1).map_or("", |f| f.0)
}

/// Generated code: the next key of an object. Out of line, like
/// [`field`].
#[inline(never)]
pub fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Key<'de>>, A::Error> {
    map.next_key()
}

/// Generated code: read past a value whose content is already known (a
/// variant's own tag).
#[inline(never)]
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// Generated code: keep the value of a key the object's type does not know.
/// Out of line, so that it exists once rather than in every type's decoder.
/// (While the `testing` fake server checks a request, an unknown key is an
/// error instead, as it is for Telegram.)
#[inline(never)]
pub fn unknown_field<'de, A: MapAccess<'de>>(
    map: &mut A,
    extra: &mut crate::Extra,
    key: &str,
) -> Result<(), A::Error> {
    #[cfg(feature = "testing")]
    if crate::testing::hooks::active() {
        map.next_value::<IgnoredAny>()?;
        return Err(A::Error::custom(format_args!("unknown field `{key}`")));
    }
    let value: Value = map.next_value()?;
    extra.insert(key.to_owned(), value);
    Ok(())
}

/// Generated code: write the unknown fields an object was read with. Out
/// of line: objects rarely have any.
#[inline(never)]
pub fn write_extra<M: serde::ser::SerializeMap>(
    map: &mut M,
    extra: &crate::Extra,
) -> Result<(), M::Error> {
    extra
        .iter()
        .try_for_each(|(k, v)| map.serialize_entry(k, v))
}

/// Generated code: decode a `T` from JSON text. Every generated type that
/// must look at a value before choosing how to decode it (unions told apart
/// by a field's value, untagged unions) holds the value as text and decodes
/// it from there with this one function, so each type's decoder is compiled
/// once, for `serde_json`'s string reader, rather than once per deserializer.
///
/// A failure comes back without a position: the position would be in the
/// held text, and serde_json would carry it over to the error the caller's
/// reader reports (through `custom`, which reads it from the message),
/// where it would point at the wrong place.
pub fn from_raw<T: serde::de::DeserializeOwned>(raw: &RawValue) -> serde_json::Result<T> {
    serde_json::from_str(raw.get()).map_err(without_position)
}

/// `e` with the position it names taken out of it.
#[cold]
fn without_position(e: serde_json::Error) -> serde_json::Error {
    if e.line() == 0 {
        return e;
    }
    let text = e.to_string();
    let place = format!(" at line {} column {}", e.line(), e.column());
    serde_json::Error::custom(text.strip_suffix(&place).unwrap_or(&text))
}

/// Generated code: the held text as a JSON tree, for `Unknown` variants (the
/// text was valid JSON when it was read).
pub fn into_value(raw: &RawValue) -> Value {
    #[cfg(feature = "testing")]
    crate::testing::hooks::note_unknown_kind(raw);
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

/// Generated code: is this held JSON text an object? Only an object can be a
/// variant of a tagged union, or one this version does not know.
pub fn is_object(json: &str) -> bool {
    json.trim_start().starts_with('{')
}

/// Generated code: the value of `key` at the top level of the JSON object
/// `json`, as text (strings as they are, numbers by their JSON text), or
/// `None` when the key is absent or holds another kind of value. Reading
/// stops at the key, so a tag written first costs almost nothing.
pub fn tag<'a>(json: &'a str, key: &str) -> Option<Cow<'a, str>> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(json);
    // The early stop leaves the object unfinished, which serde_json reports
    // as an error; what was found before it stands.
    let _ = de.deserialize_map(TagVisitor {
        key,
        found: &mut found,
    });
    found
}

struct TagVisitor<'k, 'f, 'a> {
    key: &'k str,
    found: &'f mut Option<Cow<'a, str>>,
}

impl<'a> Visitor<'a> for TagVisitor<'_, '_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'a>>()? {
            if key.as_str() == self.key {
                *self.found = map.next_value::<TagValue<'a>>()?.0;
                return Ok(());
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// A tag's value as text; `None` for values that are not strings or numbers.
struct TagValue<'a>(Option<Cow<'a, str>>);

impl<'de> Deserialize<'de> for TagValue<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TagValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a tag value")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(TagValue(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(TagValue(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(TagValue(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(TagValue(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<Self::Value, E> {
                // The text serde_json would write for it, as `Value` gave.
                Ok(TagValue(
                    serde_json::Number::from_f64(v).map(|n| Cow::Owned(n.to_string())),
                ))
            }
            fn visit_bool<E: Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(TagValue(None))
            }
            fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
                Ok(TagValue(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(TagValue(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(TagValue(None))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_reads_strings_and_numbers_at_the_top_level_only() {
        let t = |json: &str, key: &str| tag(json, key).map(Cow::into_owned);
        assert_eq!(
            t(r#"{"type":"emoji","x":1}"#, "type").as_deref(),
            Some("emoji")
        );
        assert_eq!(
            t(r#"{"a":{"type":"no"},"type":"yes"}"#, "type").as_deref(),
            Some("yes")
        );
        assert_eq!(t(r#"{"date":0}"#, "date").as_deref(), Some("0"));
        assert_eq!(t(r#"{"n":-3}"#, "n").as_deref(), Some("-3"));
        assert_eq!(
            t(r#"{"t\u0079pe":"esc\"aped"}"#, "type").as_deref(),
            Some("esc\"aped")
        );
        assert_eq!(t(r#"{"type":null}"#, "type"), None);
        assert_eq!(t(r#"{"type":[1]}"#, "type"), None);
        assert_eq!(t(r#"{"other":1}"#, "type"), None);
        assert_eq!(t(r#"[1,2]"#, "type"), None);
        assert_eq!(t(r#"{"type":"cut"#, "type"), None);
        // Found before the malformed rest: the value read so far stands.
        assert_eq!(t(r#"{"type":"a", oops"#, "type").as_deref(), Some("a"));
    }

    #[test]
    fn raw_text_decodes_and_falls_back_to_a_tree() {
        let raw: Box<RawValue> = serde_json::from_str(r#" {"a": [1, "x"]} "#).unwrap();
        assert!(from_raw::<Vec<i64>>(&raw).is_err());
        assert_eq!(into_value(&raw), serde_json::json!({"a": [1, "x"]}));
    }
}
