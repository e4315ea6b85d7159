//! Entry points for the fuzz targets in `tests/fuzz/` and their regression
//! tests: thin wrappers that expose crate-private parsers and planners. Not
//! part of the API; hidden from the docs and free to change.

use serde::de::DeserializeOwned;

use crate::send::multipart::{plan, Item};
use crate::{Error, Request};

/// The reply envelope parser (`{"ok":..,"result":..}` or an error reply),
/// as the client runs it on every response body.
pub fn parse_reply_for_fuzz<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    crate::decode::reply::parse_reply("fuzz", status, body, "")
}

/// One part of a planned multipart form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlannedPart {
    /// A text part.
    Text {
        /// Part name.
        name: String,
        /// Part value.
        text: String,
    },
    /// A file part.
    File {
        /// Part name.
        name: String,
        /// The upload's `attach://` name (identifies the upload).
        attach: String,
    },
}

/// The multipart plan of `request` (`None`: it uploads nothing and goes as
/// JSON), without opening any file.
pub fn plan_multipart_for_fuzz<R: Request>(request: &R) -> Result<Option<Vec<PlannedPart>>, Error> {
    Ok(plan(request)?.map(|items| {
        items
            .into_iter()
            .map(|item| match item {
                Item::Text(name, text) => PlannedPart::Text { name, text },
                Item::File(name, file) => PlannedPart::File {
                    name,
                    attach: file.attach().unwrap_or_default().to_string(),
                },
            })
            .collect()
    }))
}
