//! Deserialization helpers used by generated code: map keys that borrow from
//! the input when they can (walking an object allocates nothing per key),
//! and the one way unions decode a value they held as JSON text.

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

/// Generated code: a wide type decoded straight into its box.
pub use crate::decode::into_box::{field_into_box, new_in_box, InBox, IntoBox};

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
/// by a field's value that is not their first key, untagged unions) holds
/// the value as text and decodes it from there with this one function, so
/// each type's decoder is compiled once, for `serde_json`'s string reader,
/// rather than once per deserializer.
///
/// A failure comes back without a position: the position would be in the
/// held text, and serde_json would carry it over to the error the caller's
/// reader reports (through `custom`, which reads it from the message),
/// where it would point at the wrong place.
pub fn from_raw<T: serde::de::DeserializeOwned>(raw: &str) -> serde_json::Result<T> {
    serde_json::from_str(raw).map_err(without_position)
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
pub fn into_value(raw: &str) -> Value {
    #[cfg(feature = "testing")]
    crate::testing::hooks::note_unknown_kind(raw);
    serde_json::from_str(raw).unwrap_or(Value::Null)
}

/// Generated code: is this held JSON text an object? Only an object can be a
/// variant of a tagged union, or one this version does not know.
pub fn is_object(json: &str) -> bool {
    json.trim_start().starts_with('{')
}

/// Generated code: how a tagged union is read, one per union type.
///
/// Held as text first (see [`from_raw`]), a union costs a scan of its
/// object, a copy, and a look for the tag before it is decoded. When the
/// tag is the object's first key, as Telegram writes most unions, the
/// variant it names can instead go on reading the object straight from the
/// reader. That is done only in [`strict`](crate::compat::strict)
/// decoding, whose failures are decoded again the tolerant way, so errors
/// and what is kept as raw JSON never depend on it; and only while the
/// tag of this union came first the last time (a union whose tag comes
/// later, such as `ChatMember`'s `status` after its `user`, would be read
/// twice for nothing).
#[derive(Debug)]
pub struct TagOrder(AtomicBool);

impl TagOrder {
    /// The tag is expected first until a union shows otherwise.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        TagOrder(AtomicBool::new(true))
    }

    /// Whether to read the next union straight from the reader.
    #[inline]
    pub fn streams(&self) -> bool {
        self.0.load(Ordering::Relaxed) && crate::compat::in_strict()
    }

    /// Record whether the tag came first.
    #[inline]
    pub fn set(&self, first: bool) {
        if self.0.load(Ordering::Relaxed) != first {
            self.0.store(first, Ordering::Relaxed);
        }
    }

    /// Record whether the held object `raw` has the tag `key` first.
    pub fn note(&self, raw: &str, key: &str) {
        let first = raw
            .trim_start()
            .strip_prefix('{')
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('"'))
            .and_then(|r| r.strip_prefix(key))
            .is_some_and(|r| r.starts_with('"'));
        self.set(first);
    }
}

/// How an object read as a tagged union began.
#[derive(Debug)]
pub enum Lead<'de> {
    /// With its tag, a string: the rest of the object is still to be read
    /// (by the variant the tag names, through [`rest`]).
    Tag(Cow<'de, str>),
    /// Otherwise: the whole object, read to its end and held as JSON text.
    Held(String),
}

/// Generated code: read the first key of an object that is a tagged union
/// with tag `key` (see [`TagOrder`]). When the tag comes first, the variant
/// it names decodes the rest of the object straight from the reader;
/// otherwise the object is held as text, to be decoded from there.
pub fn lead<'de, A: MapAccess<'de>>(map: &mut A, key: &str) -> Result<Lead<'de>, A::Error> {
    let Some(first) = next_key(map)? else {
        return Ok(Lead::Held("{}".to_owned()));
    };
    // Nothing is held (or allocated) when the tag comes first as a string.
    let mut text = String::new();
    if first.as_str() == key {
        match map.next_value::<LeadValue<'de>>()? {
            LeadValue::Str(tag) => return Ok(Lead::Tag(tag)),
            LeadValue::Other(v) => {
                text.push('{');
                push_key(&mut text, key).map_err(A::Error::custom)?;
                push_json(&mut text, &v).map_err(A::Error::custom)?;
            }
        }
    } else {
        text.push('{');
        push_key(&mut text, first.as_str()).map_err(A::Error::custom)?;
        text.push_str(map.next_value::<Box<RawValue>>()?.get());
    }
    hold_rest(map, text).map(Lead::Held)
}

/// Generated code: the variant a union's tag named decodes the rest of the
/// object from the same reader.
pub fn rest<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: A) -> Result<T, A::Error> {
    T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
}

/// Generated code: hold an object whose tag `key` came first with the
/// string `tag` as JSON text (its tag names no variant that decodes from
/// the reader: an unknown tag, a fallback, variants to try in turn).
pub fn hold<'de, A: MapAccess<'de>>(map: &mut A, key: &str, tag: &str) -> Result<String, A::Error> {
    let mut text = String::from("{");
    push_key(&mut text, key).map_err(A::Error::custom)?;
    push_json(&mut text, tag).map_err(A::Error::custom)?;
    hold_rest(map, text)
}

/// The remaining entries of an object, appended to `text` (which holds its
/// opening and first entry) as they were written, values byte for byte.
fn hold_rest<'de, A: MapAccess<'de>>(map: &mut A, mut text: String) -> Result<String, A::Error> {
    while let Some(key) = next_key(map)? {
        text.push(',');
        push_key(&mut text, key.as_str()).map_err(A::Error::custom)?;
        text.push_str(map.next_value::<Box<RawValue>>()?.get());
    }
    text.push('}');
    Ok(text)
}

/// `"key":` appended to `text` (a key without characters to escape, as
/// every key Telegram sends, is copied as it is).
fn push_key(text: &mut String, key: &str) -> serde_json::Result<()> {
    if key.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        push_json(text, key)?;
    } else {
        text.push('"');
        text.push_str(key);
        text.push('"');
    }
    text.push(':');
    Ok(())
}

/// `value` written as JSON at the end of `text`.
fn push_json<T: serde::Serialize + ?Sized>(text: &mut String, value: &T) -> serde_json::Result<()> {
    text.push_str(&serde_json::to_string(value)?);
    Ok(())
}

/// The value of a union's tag: a string as it is, anything else as a tree
/// (written back into the held text when the tag came first, read as text
/// when it is a number).
enum LeadValue<'de> {
    Str(Cow<'de, str>),
    Other(Value),
}

impl<'de> Deserialize<'de> for LeadValue<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LeadValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a tag value")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(LeadValue::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LeadValue::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(LeadValue::Str(Cow::Owned(v)))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LeadValue::Other(v.into()))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LeadValue::Other(v.into()))
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(LeadValue::Other(v.into()))
            }
            fn visit_bool<E: Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(LeadValue::Other(v.into()))
            }
            fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
                Ok(LeadValue::Other(Value::Null))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                a: A,
            ) -> Result<Self::Value, A::Error> {
                Value::deserialize(serde::de::value::SeqAccessDeserializer::new(a))
                    .map(LeadValue::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
                Value::deserialize(serde::de::value::MapAccessDeserializer::new(a))
                    .map(LeadValue::Other)
            }
        }
        d.deserialize_any(V)
    }
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
        Ok(TagValue(match LeadValue::deserialize(d)? {
            LeadValue::Str(s) => Some(s),
            // Numbers by the text serde_json writes for them.
            LeadValue::Other(Value::Number(n)) => Some(Cow::Owned(n.to_string())),
            LeadValue::Other(_) => None,
        }))
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

    /// What `lead` makes of an object: the tag, or the object held as text.
    fn lead_of(json: &str, key: &str) -> Result<String, String> {
        struct V<'k>(&'k str);
        impl<'de> Visitor<'de> for V<'_> {
            type Value = Result<String, String>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                Ok(match lead(&mut map, self.0)? {
                    Lead::Tag(tag) => {
                        let rest = hold(&mut map, self.0, &tag)?;
                        Ok(format!("{tag} {rest}"))
                    }
                    Lead::Held(text) => Err(text),
                })
            }
        }
        let mut de = serde_json::Deserializer::from_str(json);
        de.deserialize_map(V(key)).unwrap()
    }

    #[test]
    fn lead_reads_a_first_tag_and_holds_anything_else_as_text() {
        assert_eq!(
            lead_of(r#"{"type":"emoji", "emoji" : "x"}"#, "type"),
            Ok(r#"emoji {"type":"emoji","emoji":"x"}"#.to_owned())
        );
        // Values are kept byte for byte, keys written again (escapes too).
        assert_eq!(
            lead_of(r#"{"user":{"id":1.50},"t\u0079pe":"a\"b"}"#, "type"),
            Err(r#"{"user":{"id":1.50},"type":"a\"b"}"#.to_owned())
        );
        assert_eq!(
            lead_of(r#"{"type":7,"x":[]}"#, "type"),
            Err(r#"{"type":7,"x":[]}"#.to_owned())
        );
        assert_eq!(lead_of("{}", "type"), Err("{}".to_owned()));
    }

    #[test]
    fn tag_order_notes_whether_the_tag_came_first() {
        let order = TagOrder::new();
        order.note(r#"{"user":{},"status":"member"}"#, "status");
        assert!(!order.0.load(Ordering::Relaxed));
        order.note(r#" { "status":"member"}"#, "status");
        assert!(order.0.load(Ordering::Relaxed));
        order.note(r#"{"statuses":1,"status":"member"}"#, "status");
        assert!(!order.0.load(Ordering::Relaxed));
        // Outside strict decoding, never straight from the reader.
        order.set(true);
        assert!(!order.streams());
        assert!(crate::compat::strict(|| Ok::<_, ()>(order.streams())).unwrap());
    }

    #[test]
    fn raw_text_decodes_and_falls_back_to_a_tree() {
        let raw: Box<RawValue> = serde_json::from_str(r#" {"a": [1, "x"]} "#).unwrap();
        assert!(from_raw::<Vec<i64>>(raw.get()).is_err());
        assert_eq!(into_value(raw.get()), serde_json::json!({"a": [1, "x"]}));
    }
}
