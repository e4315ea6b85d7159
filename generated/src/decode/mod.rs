//! Decoding what Telegram sends: the reply envelope, forward compatibility
//! with JSON this version does not know ([`compat`](crate::compat)), the
//! deserialization helpers generated code calls, and the [`Extra`](crate::Extra)
//! map of unknown fields.

pub mod compat;
pub mod de;
pub(crate) mod extra;
pub(crate) mod into_box;
mod locate;
pub(crate) mod reply;
