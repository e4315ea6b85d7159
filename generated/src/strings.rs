//! [`Str`], the text of every string field of the Bot API's types and
//! requests: an immutable string that keeps up to 23 bytes in place, so
//! that the short strings of an update (names, usernames, short ids, most
//! texts of a few words) cost no allocation when decoded or dropped.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::str::FromStr;

mod repr;

use repr::Repr;

/// An immutable string: up to 23 bytes (UTF-8) are kept in place, longer
/// ones on the heap, shared by clones.
///
/// It reads like a `&str` (it derefs to one) and compares with `str`,
/// `&str` and `String`:
///
/// ```
/// use botapi::Str;
///
/// let name = Str::from("Ada");
/// assert_eq!(name, "Ada");
/// assert!(name.starts_with('A'));
/// let owned: String = name.to_string();
/// assert_eq!(owned, name);
/// ```
///
/// Setters and constructors take `impl Into<Str>`, so `&str` and `String`
/// both go where a `Str` is expected.
#[derive(Clone)]
pub struct Str(Repr);

impl Str {
    /// Up to this many bytes are kept in place.
    pub const INLINE_CAP: usize = repr::INLINE_CAP;

    /// A `Str` holding `text`.
    #[inline]
    pub fn new(text: impl AsRef<str>) -> Str {
        Str(Repr::new(text.as_ref()))
    }

    /// The text.
    #[inline]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Whether the text is on the heap (longer than [`Str::INLINE_CAP`]).
    #[inline]
    pub fn is_heap_allocated(&self) -> bool {
        self.0.is_heap()
    }
}

impl Default for Str {
    #[inline]
    fn default() -> Str {
        Str(Repr::empty())
    }
}

impl PartialEq for Str {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialOrd for Str {
    #[inline]
    fn partial_cmp(&self, other: &Str) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    #[inline]
    fn cmp(&self, other: &Str) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Deref for Str {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Str {
    #[inline]
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for Str {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsRef<std::ffi::OsStr> for Str {
    #[inline]
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.as_str().as_ref()
    }
}

impl AsRef<std::path::Path> for Str {
    #[inline]
    fn as_ref(&self) -> &std::path::Path {
        self.as_str().as_ref()
    }
}

impl Borrow<str> for Str {
    #[inline]
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl Hash for Str {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        // As `str` hashes: a map keyed by `Str` is looked up by `&str`.
        self.as_str().hash(state)
    }
}

impl fmt::Debug for Str {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl FromStr for Str {
    type Err = std::convert::Infallible;
    #[inline]
    fn from_str(s: &str) -> Result<Str, Self::Err> {
        Ok(Str::from(s))
    }
}

impl From<&str> for Str {
    #[inline]
    fn from(s: &str) -> Str {
        Str(Repr::new(s))
    }
}

impl From<&mut str> for Str {
    #[inline]
    fn from(s: &mut str) -> Str {
        Str(Repr::new(s))
    }
}

impl From<String> for Str {
    #[inline]
    fn from(s: String) -> Str {
        Str(Repr::new(&s))
    }
}

impl From<&String> for Str {
    #[inline]
    fn from(s: &String) -> Str {
        Str(Repr::new(s))
    }
}

impl From<Box<str>> for Str {
    #[inline]
    fn from(s: Box<str>) -> Str {
        Str(Repr::new(&s))
    }
}

impl From<Cow<'_, str>> for Str {
    #[inline]
    fn from(s: Cow<'_, str>) -> Str {
        Str(Repr::new(&s))
    }
}

impl From<char> for Str {
    #[inline]
    fn from(c: char) -> Str {
        Str(Repr::new(c.encode_utf8(&mut [0; 4])))
    }
}

impl From<&Str> for Str {
    #[inline]
    fn from(s: &Str) -> Str {
        s.clone()
    }
}

impl From<Str> for String {
    #[inline]
    fn from(s: Str) -> String {
        s.as_str().to_owned()
    }
}

impl From<&Str> for String {
    #[inline]
    fn from(s: &Str) -> String {
        s.as_str().to_owned()
    }
}

impl PartialEq<str> for Str {
    #[inline]
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    #[inline]
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Str {
    #[inline]
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Str> for str {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Str> for &str {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Str> for String {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

impl serde::Serialize for Str {
    #[inline]
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Str {
    #[inline]
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Str, D::Error> {
        d.deserialize_str(StrVisitor)
    }
}

struct StrVisitor;

impl serde::de::Visitor<'_> for StrVisitor {
    type Value = Str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    #[inline]
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Str, E> {
        Ok(Str(Repr::new(v)))
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Str, E> {
        match std::str::from_utf8(v) {
            Ok(s) => Ok(Str(Repr::new(s))),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_stays_in_place_and_long_text_goes_to_the_heap() {
        assert_eq!(std::mem::size_of::<Str>(), std::mem::size_of::<String>());
        assert_eq!(
            std::mem::size_of::<Option<Str>>(),
            std::mem::size_of::<Str>()
        );
        let at_cap = "a".repeat(Str::INLINE_CAP);
        assert!(!Str::from(at_cap.as_str()).is_heap_allocated());
        let over = "a".repeat(Str::INLINE_CAP + 1);
        assert!(Str::from(over.as_str()).is_heap_allocated());
        // Multi-byte characters: 7 × 3 bytes fit, 8 × 3 do not.
        assert!(!Str::from("€€€€€€€").is_heap_allocated());
        assert!(Str::from("€€€€€€€€").is_heap_allocated());
    }

    #[test]
    fn reads_compares_and_converts_like_a_string() {
        let s = Str::from(String::from("hello, world"));
        assert_eq!(s, "hello, world");
        assert_eq!("hello, world", s);
        assert_eq!(s, String::from("hello, world"));
        assert_eq!(s.len(), 12);
        assert_eq!(format!("{s} {s:?}"), "hello, world \"hello, world\"");
        let back: String = s.clone().into();
        assert_eq!(back, s);
        let mut map = std::collections::HashMap::new();
        map.insert(s.clone(), 1);
        assert_eq!(map.get("hello, world"), Some(&1));
        let (a, b) = (Str::from("a"), Str::from("b"));
        assert!(a < b);
        assert_eq!("x".parse::<Str>().unwrap(), "x");
    }

    #[test]
    fn json_round_trip_with_escapes_and_long_text() {
        for text in [
            "",
            "short",
            "tab\tquote\"",
            "ß€😀 mixed",
            &"long ".repeat(30),
        ] {
            let json = serde_json::to_string(&Str::from(text)).unwrap();
            assert_eq!(json, serde_json::to_string(text).unwrap());
            let back: Str = serde_json::from_str(&json).unwrap();
            assert_eq!(back, text);
            let read: Str = serde_json::from_reader(json.as_bytes()).unwrap();
            assert_eq!(read, text);
        }
        assert!(serde_json::from_str::<Str>("12").is_err());
    }
}
