//! `InputFile`: what a method takes where Telegram accepts a file — an
//! existing file_id, an HTTP URL for Telegram to fetch, or an upload (a path
//! streamed from disk, bytes in memory, or any `AsyncRead`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::transport::BoxReader;
use crate::validate::{Validate, Validator};

static NEXT_ATTACH: AtomicU64 = AtomicU64::new(0);

/// A new multipart name for an upload: a counter plus a per-process random
/// part, so that no other text of a request (a caption reading
/// `attach://file7`, say) can name an upload by guessing.
fn attach_name() -> String {
    static SALT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let salt = *SALT.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
    });
    let n = NEXT_ATTACH.fetch_add(1, Ordering::Relaxed);
    format!("file{n}r{salt:016x}")
}

/// A file argument: by file_id, by URL, or uploaded.
#[derive(Clone)]
pub struct InputFile(Source);

#[derive(Clone)]
enum Source {
    FileId(String),
    Url(String),
    Path {
        path: PathBuf,
        attach: String,
    },
    Bytes {
        name: String,
        data: bytes::Bytes,
        attach: String,
    },
    Reader {
        name: String,
        /// Taken by the first send; a reader cannot be replayed.
        reader: Arc<Mutex<Option<BoxReader>>>,
        len: Option<u64>,
        attach: String,
    },
}

impl InputFile {
    /// A file already on Telegram's servers, by its `file_id`.
    pub fn file_id(id: impl Into<String>) -> Self {
        InputFile(Source::FileId(id.into()))
    }

    /// A file Telegram downloads itself from an HTTP URL.
    pub fn url(url: impl Into<String>) -> Self {
        InputFile(Source::Url(url.into()))
    }

    /// A local file, streamed from disk when the request is sent (never
    /// read whole into memory). Its name on the wire is the path's file name.
    pub fn path(path: impl AsRef<Path>) -> Self {
        InputFile(Source::Path {
            path: path.as_ref().to_path_buf(),
            attach: attach_name(),
        })
    }

    /// In-memory contents uploaded under `name` (e.g. `"song.mp3"`).
    pub fn bytes(name: impl Into<String>, data: impl Into<bytes::Bytes>) -> Self {
        InputFile(Source::Bytes {
            name: name.into(),
            data: data.into(),
            attach: attach_name(),
        })
    }

    /// Contents read from `reader` while the request is sent, uploaded under
    /// `name`. A reader is read once: a request carrying one cannot be sent
    /// twice (nor retried). Give its length with [`InputFile::reader_sized`]
    /// so that upload limits are checked before sending.
    pub fn reader(
        name: impl Into<String>,
        reader: impl tokio::io::AsyncRead + Send + 'static,
    ) -> Self {
        Self::reader_with(name.into(), Box::pin(reader), None)
    }

    /// Like [`InputFile::reader`], for a reader of `len` bytes.
    pub fn reader_sized(
        name: impl Into<String>,
        reader: impl tokio::io::AsyncRead + Send + 'static,
        len: u64,
    ) -> Self {
        Self::reader_with(name.into(), Box::pin(reader), Some(len))
    }

    fn reader_with(name: String, reader: BoxReader, len: Option<u64>) -> Self {
        InputFile(Source::Reader {
            name,
            reader: Arc::new(Mutex::new(Some(reader))),
            len,
            attach: attach_name(),
        })
    }

    /// True when sending this needs a multipart upload.
    pub fn is_upload(&self) -> bool {
        !matches!(self.0, Source::FileId(_) | Source::Url(_))
    }

    /// Size of an upload when it is known without reading it: the length of
    /// in-memory bytes, or the file's size on disk. `None` for file_ids and
    /// URLs (Telegram checks those) and for paths that cannot be read now.
    pub fn upload_size(&self) -> Option<u64> {
        match &self.0 {
            Source::Bytes { data, .. } => Some(data.len() as u64),
            Source::Path { path, .. } => std::fs::metadata(path).ok().map(|m| m.len()),
            Source::Reader { len, .. } => *len,
            Source::FileId(_) | Source::Url(_) => None,
        }
    }

    /// The multipart part name an upload travels under (`attach://<name>`).
    pub(crate) fn attach(&self) -> Option<&str> {
        match &self.0 {
            Source::Path { attach, .. }
            | Source::Bytes { attach, .. }
            | Source::Reader { attach, .. } => Some(attach),
            _ => None,
        }
    }

    /// What to upload, for the multipart encoder.
    pub(crate) fn upload(&self) -> Option<Upload<'_>> {
        match &self.0 {
            Source::Path { path, .. } => Some(Upload::Path(path)),
            Source::Bytes { name, data, .. } => Some(Upload::Bytes(name, data)),
            Source::Reader {
                name, reader, len, ..
            } => Some(Upload::Reader(name, reader, *len)),
            _ => None,
        }
    }
}

/// An upload's source, borrowed.
pub(crate) enum Upload<'a> {
    Path(&'a Path),
    Bytes(&'a str, &'a bytes::Bytes),
    Reader(&'a str, &'a Mutex<Option<BoxReader>>, Option<u64>),
}

impl fmt::Debug for InputFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::FileId(id) => f.debug_tuple("InputFile::FileId").field(id).finish(),
            Source::Url(url) => f.debug_tuple("InputFile::Url").field(url).finish(),
            Source::Path { path, .. } => f.debug_tuple("InputFile::Path").field(path).finish(),
            Source::Bytes { name, data, .. } => {
                write!(f, "InputFile::Bytes({name:?}, {} bytes)", data.len())
            }
            Source::Reader { name, len, .. } => match len {
                Some(n) => write!(f, "InputFile::Reader({name:?}, {n} bytes)"),
                None => write!(f, "InputFile::Reader({name:?})"),
            },
        }
    }
}

impl PartialEq for InputFile {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Source::FileId(a), Source::FileId(b)) | (Source::Url(a), Source::Url(b)) => a == b,
            (Source::Path { path: a, .. }, Source::Path { path: b, .. }) => a == b,
            (
                Source::Bytes {
                    name: a, data: x, ..
                },
                Source::Bytes {
                    name: b, data: y, ..
                },
            ) => a == b && x == y,
            (Source::Reader { reader: a, .. }, Source::Reader { reader: b, .. }) => {
                Arc::ptr_eq(a, b)
            }
            _ => false,
        }
    }
}

impl Serialize for InputFile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Source::FileId(v) | Source::Url(v) => s.serialize_str(v),
            Source::Path { attach, .. }
            | Source::Bytes { attach, .. }
            | Source::Reader { attach, .. } => s.collect_str(&format_args!("attach://{attach}")),
        }
    }
}

/// Reading one back (e.g. a stored `InputMedia*`) gives a URL for
/// `http://`/`https://` strings and a file_id otherwise; uploads do not
/// survive serialization, only their `attach://` reference does.
impl<'de> Deserialize<'de> for InputFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        // The `testing` fake server resolves uploads and file URIs.
        #[cfg(feature = "testing")]
        if let Some(file) = crate::testing::hooks::input_file(&s) {
            return file.map_err(serde::de::Error::custom);
        }
        Ok(if s.starts_with("http://") || s.starts_with("https://") {
            InputFile::url(s)
        } else {
            InputFile::file_id(s)
        })
    }
}

/// Upload limits are checked by the generated code, which knows them.
impl Validate for InputFile {
    fn validate_into(&self, _v: &mut Validator) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_ids_urls_and_attachments() {
        let id = InputFile::file_id("AgAD");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"AgAD\"");
        assert!(!id.is_upload());
        let url = InputFile::url("https://example.org/a.mp3");
        assert_eq!(
            serde_json::to_string(&url).unwrap(),
            "\"https://example.org/a.mp3\""
        );
        let up = InputFile::bytes("a.mp3", vec![1u8, 2, 3]);
        let s = serde_json::to_string(&up).unwrap();
        assert_eq!(s, format!("\"attach://{}\"", up.attach().unwrap()));
        assert_eq!(up.upload_size(), Some(3));
        let back: InputFile = serde_json::from_str("\"https://x.org/a.mp3\"").unwrap();
        assert_eq!(back, InputFile::url("https://x.org/a.mp3"));
        let back: InputFile = serde_json::from_str("\"AgAD\"").unwrap();
        assert_eq!(back, InputFile::file_id("AgAD"));
        let other = InputFile::bytes("b.mp3", vec![]);
        assert_ne!(up.attach(), other.attach(), "attach names are unique");
    }

    #[test]
    fn paths_upload_with_their_size_on_disk() {
        let path = std::env::temp_dir().join(format!("botapi-if-{}.bin", std::process::id()));
        std::fs::write(&path, [7u8; 5]).unwrap();
        let up = InputFile::path(&path);
        let size = up.upload_size();
        std::fs::remove_file(&path).ok();
        assert!(up.is_upload());
        assert_eq!(size, Some(5));
        let name = up.attach().unwrap().to_string();
        assert!(name.starts_with("file"), "{name}");
        assert_eq!(
            serde_json::to_string(&up).unwrap(),
            format!("\"attach://{name}\"")
        );
        let clone = up.clone();
        assert_eq!(clone.attach(), up.attach(), "a clone is the same upload");
        assert_eq!(InputFile::path("/nonexistent/x.mp3").upload_size(), None);
        assert_eq!(InputFile::url("https://x.org/a").upload_size(), None);
        assert_eq!(
            format!("{:?}", InputFile::path("/tmp/a.mp3")),
            "InputFile::Path(\"/tmp/a.mp3\")"
        );
    }

    #[test]
    fn debug_hides_contents() {
        let up = InputFile::bytes("secret.bin", vec![0x41u8; 10]);
        assert_eq!(
            format!("{up:?}"),
            "InputFile::Bytes(\"secret.bin\", 10 bytes)"
        );
    }
}
