//! What decoding does differently while the fake server checks a request
//! (or probes a result type) on this thread: an unknown field of an object
//! is an error instead of being kept in `extra`, a union variant of a kind
//! this version does not know is noted, and an `attach://` reference or a
//! `file://` URI in a file parameter is resolved against the request's
//! uploads or the disk. Outside a session decoding is as always; the hooks
//! cost one thread-local read where they sit.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::send::input_file::InputFile;

/// A file part of a multipart request.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) file_name: String,
    pub(crate) data: bytes::Bytes,
}

/// The state of one check.
#[derive(Debug, Default)]
pub(crate) struct Session {
    /// File parts of the request, by part name.
    pub(crate) parts: HashMap<String, Part>,
    /// The fake plays a server started with `--local`: `file://` URIs name
    /// files on disk.
    pub(crate) local: bool,
    /// Union variants of kinds this version does not know, as JSON text.
    pub(crate) unknown_kinds: Vec<String>,
}

thread_local! {
    static ACTIVE: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// Run `f` with `session` active on this thread; the session comes back
/// with what the hooks noted.
pub(crate) fn with_session<T>(session: Session, f: impl FnOnce() -> T) -> (T, Session) {
    let outer = ACTIVE.with(|a| a.borrow_mut().replace(session));
    let result = f();
    let session = ACTIVE
        .with(|a| std::mem::replace(&mut *a.borrow_mut(), outer))
        .unwrap_or_default();
    (result, session)
}

/// Whether a session is active on this thread.
pub(crate) fn active() -> bool {
    ACTIVE.with(|a| a.borrow().is_some())
}

/// Note a union variant of an unknown kind (`crate::de::into_value`).
pub(crate) fn note_unknown_kind(raw: &str) {
    ACTIVE.with(|a| {
        if let Some(session) = a.borrow_mut().as_mut() {
            session.unknown_kinds.push(raw.to_string());
        }
    });
}

/// What a file parameter's text stands for inside a session: `None` outside
/// one (decode as usual), else the file or why the server would refuse it.
pub(crate) fn input_file(text: &str) -> Option<Result<InputFile, String>> {
    ACTIVE.with(|a| {
        let a = a.borrow();
        let session = a.as_ref()?;
        if let Some(name) = text.strip_prefix("attach://") {
            return Some(match session.parts.get(name) {
                Some(part) => Ok(InputFile::bytes(part.file_name.clone(), part.data.clone())),
                None => Err(format!("no file was uploaded in a part named \"{name}\"")),
            });
        }
        if text.starts_with("file:") {
            if !session.local {
                return Some(Err(
                    "wrong file identifier/HTTP URL specified (file URIs need a server started with --local)"
                        .into(),
                ));
            }
            return Some(match file_uri_path(text) {
                Some(path) if path.is_file() => Ok(InputFile::path(path)),
                Some(path) => Err(format!("file {} not found", path.display())),
                None => Err(format!("wrong file URI {text:?}")),
            });
        }
        None
    })
}

/// The path a `file://` URI names, percent-decoded.
pub(crate) fn file_uri_path(uri: &str) -> Option<std::path::PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///p` (empty host) or `file://localhost/p`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    // A Windows drive: `/C:/x` is `C:/x`.
    let text = match text.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() => text[1..].to_string(),
        _ => text,
    };
    Some(std::path::PathBuf::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_decode() {
        assert_eq!(
            file_uri_path("file:///srv/a%20b%25c.mp3"),
            Some("/srv/a b%c.mp3".into())
        );
        assert_eq!(
            file_uri_path("file://localhost/srv/x"),
            Some("/srv/x".into())
        );
        assert_eq!(file_uri_path("file://host/srv/x"), None);
        assert_eq!(file_uri_path("file:///bad%zz"), None);
        assert_eq!(file_uri_path("file:///cut%2"), None);
    }

    #[test]
    fn sessions_nest_and_come_back() {
        assert!(!active());
        let ((), outer) = with_session(Session::default(), || {
            assert!(active());
            let ((), inner) =
                with_session(Session::default(), || note_unknown_kind("{\"type\":\"x\"}"));
            assert_eq!(inner.unknown_kinds.len(), 1);
            assert!(active());
        });
        assert!(outer.unknown_kinds.is_empty());
        assert!(!active());
    }
}
