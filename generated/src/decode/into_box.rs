//! Decoding a wide type straight into its `Box`: its visitor returns the
//! box, so the value is written to the heap once instead of being returned
//! by value through serde's layers (each a copy of several kB) and then
//! moved into a box.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, Visitor};

/// A type whose decoder builds it in a `Box` (generated for the widest
/// received types; their `Deserialize` unboxes the result).
pub trait IntoBox<'de>: Sized {
    /// Decode a boxed value.
    fn deserialize_boxed<D: Deserializer<'de>>(d: D) -> Result<Box<Self>, D::Error>;
}

/// Generated code: a box holding `make()`, allocated first so that the
/// value is built in place rather than on the stack and copied in (for
/// `Message`, 3.8 kB per message).
#[inline(always)]
pub fn new_in_box<T>(make: impl FnOnce() -> T) -> Box<T> {
    let mut b = Box::<T>::new_uninit();
    b.write(make());
    // SAFETY: the value was written just above.
    unsafe { b.assume_init() }
}

/// A seed decoding a `T` into its box.
pub struct InBox<T>(PhantomData<fn() -> T>);

impl<T> InBox<T> {
    /// The seed.
    pub fn new() -> Self {
        InBox(PhantomData)
    }
}

impl<T> Default for InBox<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: IntoBox<'de>> DeserializeSeed<'de> for InBox<T> {
    type Value = Box<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Box<T>, D::Error> {
        T::deserialize_boxed(d)
    }
}

/// A seed decoding an `Option<Box<T>>` as serde decodes an `Option`
/// (`null` is `None`), the value into its box.
struct OptionInBox<T>(PhantomData<fn() -> T>);

impl<'de, T: IntoBox<'de>> DeserializeSeed<'de> for OptionInBox<T> {
    type Value = Option<Box<T>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, T: IntoBox<'de>> Visitor<'de> for OptionInBox<T> {
    type Value = Option<Box<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or null")
    }

    fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        T::deserialize_boxed(d).map(Some)
    }
}

/// Generated code: like [`field_into`](crate::de::field_into), for a field
/// of a type decoded into its box.
#[inline(never)]
pub fn field_into_box<'de, A: MapAccess<'de>, T: IntoBox<'de>>(
    map: &mut A,
    slot: &mut Option<Box<T>>,
) -> Result<(), A::Error> {
    *slot = map.next_value_seed(OptionInBox(PhantomData))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::types::{Message, Update, UpdateKind};

    const MESSAGE: &str =
        r#"{"message_id": 5, "date": 1, "chat": {"id": 1, "type": "private"}, "text": "hi"}"#;

    #[test]
    fn boxed_and_by_value_agree_and_null_is_none() {
        let by_value: Message = serde_json::from_str(MESSAGE).unwrap();
        let boxed: Box<Message> = serde_json::from_str(MESSAGE).unwrap();
        assert_eq!(by_value, *boxed);
        let nested = format!(
            r#"{{"message_id": 6, "date": 1, "chat": {{"id": 1, "type": "private"}}, "reply_to_message": {MESSAGE}}}"#
        );
        let outer: Message = serde_json::from_str(&nested).unwrap();
        assert_eq!(outer.reply_to_message.as_deref(), Some(&by_value));
        let null = r#"{"message_id": 6, "date": 1, "chat": {"id": 1, "type": "private"}, "reply_to_message": null}"#;
        assert!(serde_json::from_str::<Message>(null)
            .unwrap()
            .reply_to_message
            .is_none());
        let update: Update = crate::compat::strict(|| {
            serde_json::from_str(&format!(r#"{{"update_id": 1, "message": {MESSAGE}}}"#))
        })
        .unwrap();
        assert!(matches!(update.kind, UpdateKind::Message(m) if *m == by_value));
        let broken = r#"{"message_id": 6, "date": 1, "chat": {"id": 1, "type": "private"}, "reply_to_message": 3}"#;
        assert!(serde_json::from_str::<Message>(broken).is_err());
    }
}
