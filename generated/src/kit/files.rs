//! Files: download one by its `file_id` in one call, and pick the largest
//! size of a photo.
//!
//! ```no_run
//! # async fn run(client: botapi::Client, message: botapi::types::Message) -> Result<(), botapi::Error> {
//! if let Some(photo) = message.largest_photo() {
//!     // Into memory, or straight to a path of your choosing.
//!     let bytes = client.download_file_bytes(&photo.file_id).await?;
//!     client.download_file_to(&photo.file_id, "photo.jpg").await?;
//!     # let _ = bytes;
//! }
//! # Ok(()) }
//! ```
//!
//! The Bot API serves files of up to 20 MB this way; a self-hosted server
//! has no such limit.

use std::path::Path;

use tokio::io::AsyncWrite;

use crate::error::Error;
use crate::send::client::Client;
use crate::types::{File, Message, PhotoSize};

/// The largest of a photo's sizes (by pixels, then by bytes); `None` for
/// none.
pub fn largest_photo(sizes: &[PhotoSize]) -> Option<&PhotoSize> {
    sizes
        .iter()
        .max_by_key(|p| (p.width.saturating_mul(p.height), p.file_size.unwrap_or(0)))
}

impl Message {
    /// The largest size of the message's photo, if it has one.
    pub fn largest_photo(&self) -> Option<&PhotoSize> {
        largest_photo(self.photo.as_deref()?)
    }
}

/// The server-side path of a file `getFile` described.
fn path_of(file: File) -> Result<String, Error> {
    file.file_path
        .map(String::from)
        .ok_or_else(|| Error::Decode {
            method: "getFile",
            status: 200,
            message: format!(
                "the reply gives no file_path for file {}: it cannot be downloaded",
                file.file_id
            ),
            body_prefix: String::new(),
        })
}

impl Client {
    /// Download the file with `file_id` into `out` (`getFile`, then the
    /// download); returns the number of bytes written.
    pub async fn download_file<W: AsyncWrite + Unpin>(
        &self,
        file_id: impl Into<crate::Str>,
        out: &mut W,
    ) -> Result<u64, Error> {
        let path = path_of(self.get_file(file_id).await?)?;
        self.download(&path, out).await
    }

    /// Download the file with `file_id` into a new file at `dest` (a path
    /// the caller chose); returns the number of bytes written.
    pub async fn download_file_to(
        &self,
        file_id: impl Into<crate::Str>,
        dest: impl AsRef<Path>,
    ) -> Result<u64, Error> {
        let path = path_of(self.get_file(file_id).await?)?;
        self.download_to(&path, dest).await
    }

    /// Download the file with `file_id` into memory.
    pub async fn download_file_bytes(
        &self,
        file_id: impl Into<crate::Str>,
    ) -> Result<Vec<u8>, Error> {
        let file = self.get_file(file_id).await?;
        // What getFile announced, as a first guess (never more than 64 MiB).
        let guess = file
            .file_size
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0);
        let mut bytes = Vec::with_capacity(guess.min(64 << 20));
        let path = path_of(file)?;
        self.download(&path, &mut bytes).await?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_by_pixels_then_bytes() {
        let p = |id: &str, w: i64, h: i64, size: Option<i64>| {
            let mut p = PhotoSize::new(id, id, w, h);
            p.file_size = size;
            p
        };
        let sizes = [
            p("s", 90, 60, Some(1)),
            p("x", 1280, 853, Some(9)),
            p("m", 320, 213, None),
            p("y", 853, 1280, Some(10)),
        ];
        assert_eq!(largest_photo(&sizes).map(|p| p.file_id.as_str()), Some("y"));
        assert_eq!(largest_photo(&[]), None);
    }
}
