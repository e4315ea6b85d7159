//! Forward compatibility: what the decoder does with JSON this version of
//! the bindings does not fully understand, and counters that make it visible.
//!
//! Telegram adds fields, update kinds and union variants without notice, and
//! a server bug can send a known part with a surprising shape. None of that
//! may stop a bot: unknown fields stay in the `extra` map of their object,
//! unknown union variants in `Unknown`, and an update whose part has a kind
//! this version does not know arrives as
//! [`UpdateKind::Unknown`](crate::types::UpdateKind::Unknown) with its raw
//! JSON. A part of a known kind that fails to decode (a field of the wrong
//! type, a required field missing) is not the same thing: it arrives as
//! [`UpdateKind::Undecodable`](crate::types::UpdateKind::Undecodable), an
//! [`Undecodable`] naming the kind, where decoding failed and why, with the
//! raw JSON. Either way the `update_id` is kept, so the poller confirms it
//! and the rest of the batch is delivered as usual.
//!
//! The counters here are process-wide and only ever grow; read them to log
//! or export how often that happens ([`counts`], [`last_undecodable`]).
//! With the `tracing` feature each such part is also an event of target
//! `botapi::compat`: a warning for an undecodable part, an info event for
//! an unknown kind.
//!
//! Keeping a part that does not decode means holding its JSON text until it
//! has decoded, which costs a copy and a second scan. The client avoids that
//! on the common path: it decodes each reply [`strict`]ly first (parts are
//! read straight into their types) and only when that fails decodes it again
//! the tolerant way. Plain `serde_json` decoding is tolerant.

use std::cell::{Cell, RefCell};
use std::fmt;
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
    /// Inside [`strict`]: the unknown kinds seen, as `owner: keys`, reported
    /// once the whole value has decoded.
    static PENDING: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
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
    if outer.is_none() {
        let seen = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
        if ok {
            seen.iter().for_each(|what| unknown_event(what));
        }
    }
}

/// Report a part of a kind this version does not know.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
fn unknown_event(what: &str) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        target: "botapi::compat",
        part = what,
        "a part of a kind this version does not know; kept as raw JSON"
    );
}

#[inline]
pub(crate) fn in_strict() -> bool {
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

/// A part of a known kind that did not decode: which kind, where inside it
/// decoding failed and why, and the raw JSON it came with. Held by
/// [`UpdateKind::Undecodable`](crate::types::UpdateKind::Undecodable) (and
/// the like in other objects made of exclusive parts); written back
/// unchanged when serialized.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Undecodable {
    /// The type holding the part (`Update`).
    pub owner: &'static str,
    /// The part's key, which names its kind (`message`).
    pub kind: &'static str,
    /// Where decoding failed, from the owner down: `message.poll.options[0]`.
    /// A tagged union's inside is reported at the union.
    pub path: String,
    /// Why, as the JSON decoder put it (`missing field ...`, `invalid type ...`).
    pub error: String,
    /// Every key of the object besides its required fields (the part among
    /// them), as raw JSON.
    pub raw: Map<String, Value>,
}

impl fmt::Display for Undecodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}: {}", self.owner, self.path, self.error)
    }
}

/// Generated code: the first part of an object that did not decode, held
/// until the object is complete (an object that fails as a whole counts
/// nothing).
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Failed(Option<(&'static str, String, serde_json::Error)>);

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
            if failed.0.is_none() {
                let (path, e) = raw.locate::<T>(key, e);
                failed.0 = Some((key, path, e));
            }
            rest.insert(key.to_owned(), raw.into_value());
            Ok(None)
        }
    }
}

/// Generated code: [`part`] for a part of a type decoded straight into its
/// box (in strict decoding; the tolerant way holds its text as `part` does).
pub fn part_in_box<'de, A, T>(
    map: &mut A,
    key: &'static str,
    rest: &mut Map<String, Value>,
    failed: &mut Failed,
) -> Result<Option<Box<T>>, A::Error>
where
    A: MapAccess<'de>,
    T: crate::de::IntoBox<'de> + DeserializeOwned,
{
    if in_strict() {
        return map.next_value_seed(crate::de::InBox::new()).map(Some);
    }
    part(map, key, rest, failed)
}

/// Generated code: what became of the parts of one complete object.
#[doc(hidden)]
#[derive(Debug)]
pub enum Part<K> {
    /// A known part, and the keys beside it.
    Known(K, Map<String, Value>),
    /// A known part that did not decode.
    Undecodable(Undecodable),
    /// No known part: an unknown kind, or none at all.
    Unknown(Map<String, Value>),
}

/// Generated code: settle the parts of a complete object of type `owner`,
/// counting (and, with `tracing`, reporting) what did not decode or was
/// not known.
#[doc(hidden)]
pub fn settle<K>(
    owner: &'static str,
    known: Option<K>,
    failed: Failed,
    rest: Map<String, Value>,
) -> Part<K> {
    let undecodable = failed.0.map(|(kind, path, error)| Undecodable {
        owner,
        kind,
        path,
        error: without_position(&error),
        raw: Map::new(),
    });
    if let Some(u) = &undecodable {
        record_undecodable(u);
    }
    match (known, undecodable) {
        (Some(k), _) => Part::Known(k, rest),
        (None, Some(mut u)) => {
            u.raw = rest;
            Part::Undecodable(u)
        }
        (None, None) => {
            record_unknown(owner, &rest);
            Part::Unknown(rest)
        }
    }
}

/// The decoder's message without its "at line L column C" (a place in the
/// part's text, which `path` says better and which would make two equal
/// parts compare unequal).
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) if e.line() > 0 => text[..i].to_string(),
        _ => text,
    }
}

fn record_undecodable(u: &Undecodable) {
    UNDECODABLE.fetch_add(1, Ordering::Relaxed);
    *LAST_UNDECODABLE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(u.to_string());
    #[cfg(feature = "tracing")]
    tracing::warn!(
        target: "botapi::compat",
        owner = u.owner,
        kind = u.kind,
        path = %u.path,
        error = %u.error,
        "a part of a known kind did not decode; kept as raw JSON"
    );
}

fn record_unknown(owner: &'static str, rest: &Map<String, Value>) {
    let what = format!(
        "{owner}: {}",
        rest.keys()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let pending = STRICT.with(|s| s.get().map(|n| s.set(Some(n + 1))));
    match pending {
        Some(()) => PENDING.with(|p| p.borrow_mut().push(what)),
        None => {
            UNKNOWN_KINDS.fetch_add(1, Ordering::Relaxed);
            unknown_event(&what);
        }
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
    /// Decode as `T`. Not through `de::from_raw`: that drops the error's
    /// position, which [`locate`](Self::locate) reads.
    fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }

    /// The value as a JSON tree (the text was valid JSON when it was read).
    fn into_value(self) -> Value {
        crate::de::into_value(self.0.get())
    }

    /// Where inside the value decoding as `T` fails, as a path starting at
    /// `key`, with the error found there. Both are read off the value as
    /// serde_json writes it back (keys sorted, numbers in one form), so they
    /// depend on the value and not on how the sender wrote it; the path
    /// comes from the error's position in that text. Only values that
    /// failed pay for this.
    fn locate<T: DeserializeOwned>(
        &self,
        key: &str,
        first: serde_json::Error,
    ) -> (String, serde_json::Error) {
        let Ok(text) = super::locate::canonical(self.0.get()) else {
            return (key.to_owned(), first);
        };
        let error = match serde_json::from_str::<T>(&text) {
            Err(error) => error,
            // Only a value with repeated keys reads differently as a tree.
            Ok(_) => return (key.to_owned(), first),
        };
        let path = super::locate::path_of(&text, &error);
        let path = if path.is_empty() {
            key.to_owned()
        } else if path.starts_with('[') {
            format!("{key}{path}")
        } else {
            format!("{key}.{path}")
        };
        (path, error)
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
        let one = |k: &str| {
            let mut m = Map::new();
            m.insert(k.into(), Value::from(1));
            m
        };
        assert!(matches!(
            settle("Update", Some(1), Failed::default(), Map::new()),
            Part::Known(1, _)
        ));
        let err = serde_json::from_str::<i64>("\"x\"").unwrap_err();
        let failed = Failed(Some(("message", "message.date".into(), err)));
        let Part::<u8>::Undecodable(u) = settle("Update", None, failed, one("message")) else {
            panic!("expected an undecodable part");
        };
        assert_eq!((u.kind, u.path.as_str()), ("message", "message.date"));
        assert_eq!(u.raw, one("message"));
        assert!(matches!(
            settle::<u8>("Update", None, Failed::default(), one("hologram")),
            Part::Unknown(_)
        ));
        let after = counts();
        assert!(after.undecodable > before.undecodable);
        assert!(after.unknown_kinds > before.unknown_kinds);
        let last = last_undecodable().unwrap();
        assert!(
            last.starts_with("Update.message.date: invalid type"),
            "{last}"
        );
    }

    #[test]
    fn a_failed_part_is_located() {
        #[derive(Debug, serde::Deserialize)]
        struct Inner {
            #[allow(dead_code)]
            n: i64,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Outer {
            #[allow(dead_code)]
            items: Vec<Inner>,
        }
        let raw: Buffered = serde_json::from_str(r#"{"items": [{"n": 1}, {"m": 2}]}"#).unwrap();
        let first = raw.decode::<Outer>().unwrap_err();
        let (path, e) = raw.locate::<Outer>("part", first);
        assert_eq!(path, "part.items[1]");
        assert!(e.to_string().contains("missing field `n`"), "{e}");
    }
}
