//! What the fake server records of each request, for a test's assertions.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// One request the fake server received, and how it answered.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Call {
    /// The method's wire name (`sendMessage`); as sent when the method does
    /// not exist.
    pub method: String,
    /// `Content-Type` of the request (`application/json`,
    /// `multipart/form-data; boundary=...`), empty when there was none.
    pub content_type: String,
    /// The parameters, as a JSON object. Form and multipart text is read
    /// as the method wants it (`"42"` for `chat_id` is the number 42); a
    /// file uploaded for a parameter shows as `"attach://<part name>"`.
    pub params: Value,
    /// The files uploaded with the request.
    pub files: Vec<UploadedFile>,
    /// The HTTP status of the answer.
    pub status: u16,
    /// The answer: `{"ok": true, "result": ...}` or an error reply (or the
    /// text of a raw answer, as a JSON string).
    pub response: Value,
}

/// A file part of a multipart request.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UploadedFile {
    /// The part's name: the parameter, or the name an `attach://` reference
    /// points to.
    pub name: String,
    /// The file name sent with the part.
    pub file_name: Option<String>,
    /// The contents.
    pub data: bytes::Bytes,
}

impl Call {
    /// The parameter `name`, if it was sent.
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.params.get(name)
    }

    /// The parameter `name` as text, if it was sent as a string.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.param(name).and_then(Value::as_str)
    }

    /// The parameters decoded as a request type (`SendMessage`); uploads
    /// come back as `attach://` file ids, see [`Call::file`].
    pub fn request<R: DeserializeOwned>(&self) -> Result<R, serde_json::Error> {
        serde_json::from_value(self.params.clone())
    }

    /// The file uploaded for the parameter `name`, or under the part name
    /// an `attach://name` reference gives.
    pub fn file(&self, name: &str) -> Option<&UploadedFile> {
        let part = match self.param(name).and_then(Value::as_str) {
            Some(reference) => reference.strip_prefix("attach://").unwrap_or(name),
            None => name.strip_prefix("attach://").unwrap_or(name),
        };
        self.files.iter().find(|f| f.name == part)
    }

    /// Whether the fake answered `ok: true`.
    pub fn is_ok(&self) -> bool {
        self.response.get("ok") == Some(&Value::Bool(true))
    }

    /// The result the fake answered with, when it was `ok`.
    pub fn result(&self) -> Option<&Value> {
        self.response.get("result").filter(|_| self.is_ok())
    }

    /// The error description the fake answered with, if it refused.
    pub fn error(&self) -> Option<&str> {
        self.response.get("description").and_then(Value::as_str)
    }
}
