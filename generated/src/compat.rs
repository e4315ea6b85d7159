//! Forward compatibility: what the decoder does with JSON this version of
//! the bindings does not fully understand, and counters that make it visible.
//!
//! Telegram adds fields, update kinds and union variants without notice, and
//! a server bug can send a known part with a surprising shape. None of that
//! may stop a bot: unknown fields stay in the `extra` map of their object,
//! unknown union variants in `Unknown`, and an update whose part has a kind
//! this version does not know, or a known kind that fails to decode (a field
//! of the wrong type, a required field missing), arrives as
//! [`UpdateKind::Unknown`](crate::types::UpdateKind::Unknown) with its raw
//! JSON. Its `update_id` is kept, so the poller confirms it and the rest of
//! the batch is delivered as usual.
//!
//! The counters here are process-wide and only ever grow; read them to log
//! or export how often that happens ([`counts`], [`last_undecodable`]).
//!
//! Keeping a part that does not decode means holding its JSON text until it
//! has decoded, which costs a copy and a second scan. The client avoids that
//! on the common path: it decodes each reply [`strict`]ly first (parts are
//! read straight into their types) and only when that fails decodes it again
//! the tolerant way. Plain `serde_json` decoding is tolerant.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::de::{Deserialize, DeserializeOwned, Deserializer, MapAccess};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

static UNKNOWN_KINDS: AtomicU64 = AtomicU64::new(0);
static UNDECODABLE: AtomicU64 = AtomicU64::new(0);
static LAST_UNDECODABLE: Mutex<Option<String>> = Mutex::new(None);

thread_local! {
    /// Inside [`strict`]: unknown kinds seen so far, counted only if the
    /// whole value decodes (a failed strict pass is decoded again).
    static STRICT: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Run `decode` with parts read straight into their types: faster, but a
/// part that does not fit fails the whole value instead of being kept as raw
/// JSON. Unknown kinds met on the way are counted only when `decode`
/// succeeds. The client decodes replies this way first, then, if that
/// fails, once more without `strict`.
pub fn strict<T, E>(decode: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    let outer = strict_enter();
    let result = decode();
    strict_leave(outer, result.is_ok());
    result
}

// The bookkeeping of `strict` lives outside the generic function: compiled
// once, not once per decoded type.
fn strict_enter() -> Option<u64> {
    STRICT.with(|s| s.replace(Some(0)))
}

fn strict_leave(outer: Option<u64>, ok: bool) {
    let unknown = STRICT.with(|s| s.replace(outer)).unwrap_or(0);
    if ok && unknown > 0 {
        match outer {
            // Nested: the outer pass decides.
            Some(n) => STRICT.with(|s| s.set(Some(n + unknown))),
            None => {
                UNKNOWN_KINDS.fetch_add(unknown, Ordering::Relaxed);
            }
        }
    }
}

fn in_strict() -> bool {
    STRICT.with(|s| s.get().is_some())
}

/// How often decoding fell back to raw JSON, since the process started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counts {
    /// Updates (and other objects made of exclusive parts) whose part has a
    /// key this version does not know, or no part at all.
    pub unknown_kinds: u64,
    /// Updates whose part has a known key but did not decode as its type;
    /// see [`last_undecodable`] for the latest reason.
    pub undecodable: u64,
}

/// The counters as they are now.
pub fn counts() -> Counts {
    Counts {
        unknown_kinds: UNKNOWN_KINDS.load(Ordering::Relaxed),
        undecodable: UNDECODABLE.load(Ordering::Relaxed),
    }
}

/// Why the latest undecodable part failed, e.g. ``Update.message: invalid
/// type: string "yesterday", expected i64 at line 1 column 42``.
pub fn last_undecodable() -> Option<String> {
    LAST_UNDECODABLE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

/// Decode `bytes` as the client does: [`strict`]ly first, and only if that
/// fails once more keeping what does not fit as raw JSON.
#[cfg(feature = "webhook")]
pub(crate) fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    from_str(utf8(bytes)?)
}

/// The bytes of a reply or request body as text, checked once. Decoding
/// reads `str`s only: generated types decode the parts they hold as text
/// too, so each type's decoder is compiled once, for one reader.
pub(crate) fn utf8(bytes: &[u8]) -> serde_json::Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| {
        <serde_json::Error as serde::de::Error>::custom(format_args!(
            "invalid UTF-8 at byte {}",
            e.valid_up_to()
        ))
    })
}

/// Decode `text` [`strict`]ly first, and only if that fails once more
/// keeping what does not fit as raw JSON.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    strict(|| serde_json::from_str(text)).or_else(|_| serde_json::from_str(text))
}

/// Generated code: the first part of an object that did not decode, held
/// until the object is complete (an object that fails as a whole counts
/// nothing).
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Failed(Option<(&'static str, serde_json::Error)>);

/// Generated code: read the value of the part `key` as a `T`. A value that
/// does not fit `T` is kept as raw JSON in `rest` under its key and noted in
/// `failed` (`Ok(None)`); only malformed JSON is an error.
#[doc(hidden)]
pub fn part<'de, A, T>(
    map: &mut A,
    key: &'static str,
    rest: &mut Map<String, Value>,
    failed: &mut Failed,
) -> Result<Option<T>, A::Error>
where
    A: MapAccess<'de>,
    T: DeserializeOwned,
{
    if in_strict() {
        return map.next_value().map(Some);
    }
    let raw: Buffered = map.next_value()?;
    match raw.decode() {
        Ok(x) => Ok(Some(x)),
        Err(e) => {
            rest.insert(key.to_owned(), raw.into_value());
            if failed.0.is_none() {
                failed.0 = Some((key, e));
            }
            Ok(None)
        }
    }
}

/// Generated code: count a complete object of type `owner` whose part was
/// `known` (decoded as a variant) or not.
#[doc(hidden)]
pub fn record(owner: &'static str, known: bool, failed: Failed) {
    match failed.0 {
        Some((key, error)) => {
            UNDECODABLE.fetch_add(1, Ordering::Relaxed);
            *LAST_UNDECODABLE
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) =
                Some(format!("{owner}.{key}: {error}"));
        }
        None if !known => {
            let pending = STRICT.with(|s| s.get().map(|n| s.set(Some(n + 1))));
            if pending.is_none() {
                UNKNOWN_KINDS.fetch_add(1, Ordering::Relaxed);
            }
        }
        None => {}
    }
}

/// One value held as JSON text until it is decoded, so that a value that
/// does not fit its type can still be kept as raw JSON.
#[derive(Debug)]
struct Buffered(Box<RawValue>);

impl<'de> Deserialize<'de> for Buffered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(d).map(Buffered)
    }
}

impl Buffered {
    /// Decode as `T`.
    fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        crate::de::from_raw(&self.0)
    }

    /// The value as a JSON tree (the text was valid JSON when it was read).
    fn into_value(self) -> Value {
        crate::de::into_value(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffered_decodes_or_keeps_what_does_not_fit() {
        let fits: Buffered = serde_json::from_str("[1, 2]").unwrap();
        assert_eq!(fits.decode::<Vec<i64>>().unwrap(), [1, 2]);
        let odd: Buffered = serde_json::from_str(r#"{"a": [1, "x"]}"#).unwrap();
        assert!(odd.decode::<Vec<i64>>().is_err());
        assert_eq!(odd.into_value(), serde_json::json!({"a": [1, "x"]}));
    }

    #[test]
    fn counts_only_what_fell_back_to_raw_json() {
        let before = counts();
        record("Update", true, Failed::default());
        let err = serde_json::from_str::<i64>("\"x\"").unwrap_err();
        record("Update", false, Failed(Some(("message", err))));
        record("Update", false, Failed::default());
        let after = counts();
        assert!(after.undecodable > before.undecodable);
        assert!(after.unknown_kinds > before.unknown_kinds);
        let last = last_undecodable().unwrap();
        assert!(last.starts_with("Update.message: invalid type"), "{last}");
    }
}
