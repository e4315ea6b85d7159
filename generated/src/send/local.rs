//! A self-hosted Bot API server started with `--local`
//! ([`ClientBuilder::local_server`](crate::ClientBuilder::local_server)).
//!
//! Such a server shares a file system with the bot, and the client uses
//! that: a file to send by path goes as a `file://` URI naming it (the
//! server reads it from disk; nothing is streamed over HTTP), a file whose
//! `getFile` path is absolute is read from disk rather than downloaded, and
//! the upload limits checked before sending are the server's larger ones
//! (see [`Validator::with_local_server_limits`](crate::validate::Validator::with_local_server_limits)).
//!
//! When the server runs elsewhere (a container) and sees the bot's files
//! under another directory, [`ClientBuilder::local_server_mount`](crate::ClientBuilder::local_server_mount)
//! says where: paths are translated both ways; a path outside every mount
//! is used as it is.

use std::path::{Component, Path, PathBuf};

/// The settings of local mode: directories the bot and the server see
/// under different names.
#[derive(Debug, Clone, Default)]
pub(crate) struct LocalServer {
    /// `(here, on the server)`, the longest `here` first.
    mounts: Vec<(PathBuf, PathBuf)>,
}

impl LocalServer {
    pub(crate) fn mount(&mut self, here: PathBuf, there: PathBuf) {
        self.mounts.push((here, there));
        self.mounts
            .sort_by_key(|(here, _)| std::cmp::Reverse(here.components().count()));
    }

    /// The `file://` URI the server reads `path` (a path of the bot's) at.
    pub(crate) fn file_uri(&self, path: &Path) -> String {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let on_server = translate(&absolute, self.mounts.iter().map(|(h, t)| (h, t)));
        file_uri(&on_server)
    }

    /// Where the bot finds a file the server reports at `file_path`: `Some`
    /// for an absolute path (read it from disk), `None` for a relative one
    /// (download it over HTTP as usual).
    pub(crate) fn bot_path(&self, file_path: &str) -> Option<PathBuf> {
        let path = Path::new(file_path);
        if !path.is_absolute() {
            return None;
        }
        Some(translate(path, self.mounts.iter().map(|(h, t)| (t, h))))
    }
}

/// `path` with the first matching `from` prefix replaced by its `to`.
fn translate<'a>(path: &Path, pairs: impl Iterator<Item = (&'a PathBuf, &'a PathBuf)>) -> PathBuf {
    for (from, to) in pairs {
        if let Ok(rest) = path.strip_prefix(from) {
            // `strip_prefix` compares whole components, so `/data2` is not
            // under `/data`; `..` inside the rest stays as given.
            return to.join(rest);
        }
    }
    path.to_path_buf()
}

/// A `file://` URI for an absolute path (RFC 8089): every byte but the
/// unreserved ones, `/` and `:` percent-encoded (RFC 3986), the way
/// python-telegram-bot's local mode sends paths (`Path.as_uri()`).
pub(crate) fn file_uri(path: &Path) -> String {
    let mut text = String::new();
    for component in path.components() {
        match component {
            Component::RootDir => {}
            // A Windows drive: `file:///C:/...`.
            Component::Prefix(p) => {
                text.push('/');
                text.push_str(&p.as_os_str().to_string_lossy().replace('\\', "/"));
            }
            other => {
                text.push('/');
                text.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    if text.is_empty() {
        text.push('/');
    }
    let mut uri = String::from("file://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b':') {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_encode_what_a_uri_cannot_hold() {
        assert_eq!(
            file_uri(Path::new("/srv/music/a b%c.mp3")),
            "file:///srv/music/a%20b%25c.mp3"
        );
        assert_eq!(
            file_uri(Path::new("/tmp/песня.ogg")),
            "file:///tmp/%D0%BF%D0%B5%D1%81%D0%BD%D1%8F.ogg"
        );
        assert_eq!(file_uri(Path::new("/")), "file:///");
    }

    #[test]
    fn relative_paths_become_absolute() {
        let uri = LocalServer::default().file_uri(Path::new("song.mp3"));
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(uri, file_uri(&cwd.join("song.mp3")));
    }

    #[test]
    fn mounts_translate_both_ways_by_whole_components() {
        let mut local = LocalServer::default();
        local.mount("/home/bot/files".into(), "/var/lib/telegram-bot-api".into());
        local.mount("/home/bot".into(), "/mnt/bot".into());
        assert_eq!(
            local.file_uri(Path::new("/home/bot/files/a.mp3")),
            "file:///var/lib/telegram-bot-api/a.mp3",
            "the longest mount wins"
        );
        assert_eq!(
            local.file_uri(Path::new("/home/bot/x.mp3")),
            "file:///mnt/bot/x.mp3"
        );
        assert_eq!(
            local.file_uri(Path::new("/home/botany/x.mp3")),
            "file:///home/botany/x.mp3",
            "not a prefix by components"
        );
        assert_eq!(
            local.bot_path("/var/lib/telegram-bot-api/123:AA/music/file_1.mp3"),
            Some(PathBuf::from("/home/bot/files/123:AA/music/file_1.mp3"))
        );
        assert_eq!(
            local.bot_path("/elsewhere/a"),
            Some(PathBuf::from("/elsewhere/a"))
        );
        assert_eq!(local.bot_path("music/file_1.mp3"), None);
    }
}
