//! `Update` and `Vec<Update>` from arbitrary bytes (as `getUpdates` and the
//! webhook read them): never a panic, and whatever parses serializes to JSON
//! that parses back to an equal value, from bytes and from a `Value`.
//!
//! The round trip is only checked for JSON without duplicate keys in an
//! object: a part that fails to decode is kept as a `serde_json::Value`,
//! where the last of several equal keys wins, so what is written back may
//! decode where the original did not (Telegram never repeats a key).
#![no_main]

use std::collections::HashSet;
use std::fmt::{self, Debug};

use botapi::types::Update;
use libfuzzer_sys::fuzz_target;
use serde::de::{DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// Any JSON value; fails on an object with a repeated key.
struct NoDuplicateKeys;

impl<'de> Deserialize<'de> for NoDuplicateKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoDuplicateKeys)
    }
}

impl<'de> Visitor<'de> for NoDuplicateKeys {
    type Value = NoDuplicateKeys;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_unit<E>(self) -> Result<Self, E> {
        Ok(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<NoDuplicateKeys>()?.is_some() {}
        Ok(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key) {
                return Err(serde::de::Error::custom("duplicate key"));
            }
            map.next_value::<NoDuplicateKeys>()?;
        }
        Ok(self)
    }
}

fn roundtrip<T: Serialize + DeserializeOwned + PartialEq + Debug>(v: &T) {
    let text = serde_json::to_vec(v).expect("a parsed update serializes");
    let again: T = serde_json::from_slice(&text).unwrap_or_else(|e| {
        panic!(
            "a serialized update does not parse: {e}\n{}",
            String::from_utf8_lossy(&text)
        )
    });
    assert_eq!(&again, v, "bytes round trip changed the update");
    let value = serde_json::to_value(v).expect("a parsed update becomes a Value");
    let from_value: T = serde_json::from_value(value)
        .unwrap_or_else(|e| panic!("an update does not parse from its Value: {e}"));
    assert_eq!(&from_value, v, "Value round trip changed the update");
}

fuzz_target!(|data: &[u8]| {
    let unique_keys = serde_json::from_slice::<NoDuplicateKeys>(data).is_ok();
    if let Ok(u) = serde_json::from_slice::<Update>(data) {
        if unique_keys {
            roundtrip(&u);
        }
    }
    if let Ok(us) = serde_json::from_slice::<Vec<Update>>(data) {
        if unique_keys {
            roundtrip(&us);
        }
    }
});
