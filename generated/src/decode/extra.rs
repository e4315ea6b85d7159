//! [`Extra`]: the fields of a received object that this version of the
//! bindings does not know, kept as raw JSON so that nothing is lost and the
//! object serializes back as it came.
//!
//! Almost every object arrives without any, so the map lives behind one
//! pointer that stays empty until a key arrives: a generated type pays
//! 8 bytes for it, and dropping an object without unknown fields is a null
//! check rather than a map's worth of code.

use std::fmt;

use serde_json::{Map, Value};

/// Unknown fields of an object, by key, as raw JSON.
#[derive(Clone, Default)]
pub struct Extra(Option<Box<Map<String, Value>>>);

impl Extra {
    /// No fields.
    pub const fn new() -> Self {
        Extra(None)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|m| m.is_empty())
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |m| m.len())
    }

    /// The value of `key`, if the object had it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.as_ref()?.get(key)
    }

    /// Whether the object had `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Add or replace a field; the previous value, if any.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        self.0
            .get_or_insert_with(Default::default)
            .insert(key, value)
    }

    /// Take a field out.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.as_mut()?.remove(key)
    }

    /// The fields (in key order, or in the order they came when
    /// `serde_json`'s `preserve_order` feature is on).
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().flat_map(|m| m.iter())
    }

    /// The fields as a JSON map.
    pub fn into_map(mut self) -> Map<String, Value> {
        self.0.take().map(|m| *m).unwrap_or_default()
    }
}

/// Equal when they hold the same fields (an emptied map equals a new one).
impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl Drop for Extra {
    fn drop(&mut self) {
        if let Some(map) = self.0.take() {
            drop_map(map);
        }
    }
}

/// Out of line, so that the generated types' drop code holds a call here
/// instead of a copy of the map's.
#[inline(never)]
fn drop_map(map: Box<Map<String, Value>>) {
    drop(map);
}

/// `extra["key"]`: the value, or `null` when the object did not have the
/// key (as indexing a `serde_json::Value` does).
impl std::ops::Index<&str> for Extra {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        if map.is_empty() {
            Extra(None)
        } else {
            Extra(Some(Box::new(map)))
        }
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = Box<dyn Iterator<Item = (&'a String, &'a Value)> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl serde::Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for Extra {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::deserialize(d).map(Extra::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn behaves_like_a_map_and_stays_small() {
        assert_eq!(std::mem::size_of::<Extra>(), 8);
        let mut e = Extra::new();
        assert!(e.is_empty());
        assert_eq!(e.get("a"), None);
        assert_eq!(e.insert("b".into(), json!(2)), None);
        assert_eq!(e.insert("a".into(), json!([1])), None);
        assert_eq!(e.len(), 2);
        assert_eq!(e["a"], json!([1]));
        assert_eq!(e["missing"], Value::Null);
        assert!(e.contains_key("a"));
        let mut keys: Vec<&String> = e.iter().map(|(k, _)| k).collect();
        keys.sort();
        assert_eq!(keys, ["a", "b"]);
        let shown = format!("{e:?}");
        assert!(shown.contains(r#""a": Array [Number(1)]"#), "{shown}");
        let back: serde_json::Value = serde_json::to_value(&e).unwrap();
        assert_eq!(back, json!({"a": [1], "b": 2}));
        let mut other = Extra::new();
        other.insert("a".into(), json!([1]));
        other.insert("b".into(), json!(2));
        assert_eq!(other, e);
        assert_eq!(e.remove("a"), Some(json!([1])));
        let back: Extra = serde_json::from_str(r#"{"b":2}"#).unwrap();
        assert_eq!(back, e);
        assert_eq!(
            e.clone().into_map(),
            json!({"b": 2}).as_object().unwrap().clone()
        );
        // An emptied map and a never-filled one compare as they look.
        e.remove("b");
        assert!(e.is_empty());
        assert_eq!(Extra::from(Map::new()), Extra::new());
    }
}
