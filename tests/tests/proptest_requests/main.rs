//! Property tests over every request of the shipped schema, driven by the
//! schema itself (loaded with the codegen library), never by a hand-picked
//! list:
//!
//! - Round trip: for each method, arbitrary JSON that follows the parameter
//!   types (integers, floats, strings, booleans, arrays, nested objects with
//!   their tags, unions, and unknown keys inside nested objects) decodes into
//!   the request type picked by wire name and encodes back to the same JSON.
//! - Validation boundaries: for every constraint `validate()` enforces
//!   (ranges, string lengths in characters or bytes, item counts, allowed
//!   values) on a method parameter or on a field of a type, the value is
//!   placed where a request carries it (or, for types no request carries,
//!   in the type itself). Values at each bound pass; values one step beyond
//!   fail with exactly one violation whose path names the method and the
//!   parameter (`sendMessage.reply_markup.inline_keyboard[0][0].callback_data`).
//!   Lengths are tried with 1- to 4-byte characters; a limit counted after
//!   entity parsing is skipped while its `parse_mode` sibling is set. Then
//!   random values inside and outside each constraint.
//!
//! Not covered here: discriminator fields (`type` of a tagged variant), whose
//! allowed values are enforced by the tag when parsing, not by `validate()`
//! (checked: the tag is among them), and `max_upload` limits, which only
//! apply to uploads, and an upload cannot be written as JSON.
//!
//! Modules: `model` (the schema and its tags and depths), `dispatch`
//! (requests and types picked by wire name), `round_trip`, `valid` (valid
//! values, routes from requests to types), `constraints` (targets and
//! cases), `place` (a case put in its request and judged), `boundaries` and
//! `random` (the validation tests).

mod boundaries;
mod constraints;
mod dispatch;
mod model;
mod place;
mod random;
mod round_trip;
mod valid;

use botapi_codegen::schema::TypeExpr;
use proptest::test_runner::{Config, TestRunner};

/// Random requests per method in the round trip.
const ROUND_TRIP_CASES: u32 = 64;
/// Random values inside and outside each constraint.
const RANDOM_CASES: u32 = 16;
/// Named types nested deeper than this get their required parts only.
const DEPTH: usize = 3;

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

fn expr(src: &str) -> TypeExpr {
    TypeExpr::parse(src).unwrap_or_else(|e| panic!("type `{src}`: {}", e.message))
}
