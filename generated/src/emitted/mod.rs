//! Emitted code: the four modules `botapi-codegen` writes from
//! `schema/api.json` (`cargo run -p botapi-codegen`), and nothing else. None
//! of them is edited by hand; `--check` and `tests/tests/freshness.rs` fail
//! when one differs from what the schema generates.

/// Object and union types of the Bot API (generated).
#[rustfmt::skip]
#[allow(clippy::too_many_arguments, clippy::large_enum_variant)]
pub mod types;

/// One request struct per Bot API method, and per-method error kinds (generated).
#[rustfmt::skip]
#[allow(clippy::too_many_arguments)]
pub mod methods;

/// `Client` methods for every Bot API method (generated).
#[rustfmt::skip]
#[allow(clippy::too_many_arguments)]
mod client_methods;

/// The error catalogue (generated).
#[rustfmt::skip]
pub(crate) mod error_kinds;
