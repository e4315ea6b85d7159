//! Where in a JSON text a decoding error happened, as a path (`a.b[2].c`),
//! read off the text and the error's position instead of decoding again.
//!
//! serde_json reports a data error at the position of the reader when the
//! error was raised: just after (or, for a value of the wrong kind, just
//! before) the value that did not fit, or, for a missing field, just after
//! the `}` of the object that lacks it. Walking the text up to there,
//! keeping the open objects' current keys and the open arrays' indices,
//! gives the path in each case. The caller hands in the text as
//! [`canonical`] writes it, so the path depends on the value alone (a
//! missing field of the last member of an object is reported past that
//! object's end, which reads as the object; in another key order it would
//! read as the member). Decoding through a path-tracking deserializer
//! instead would compile every type's decoder a second time.

/// The path inside `text` (valid JSON) where `error`, raised while decoding
/// `text`, happened: empty for the value itself.
pub(crate) fn path_of(text: &str, error: &serde_json::Error) -> String {
    let end = offset(text.as_bytes(), error.line(), error.column());
    path_at(text.as_bytes(), end)
}

/// `text` (valid JSON) written back with the keys of every object in order
/// and numbers in serde_json's form: the same text for the same value,
/// however it was written and whatever map serde_json was built with.
pub(crate) fn canonical(text: &str) -> serde_json::Result<String> {
    fn sorted(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::Object(m) => {
                let mut entries: Vec<(String, Value)> =
                    m.into_iter().map(|(k, v)| (k, sorted(v))).collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Object(entries.into_iter().collect())
            }
            Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
            other => other,
        }
    }
    serde_json::from_str(text).and_then(|v| serde_json::to_string(&sorted(v)))
}

/// The byte offset of serde_json's (1-based line, column = bytes read on
/// that line), clamped to the text.
fn offset(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].iter().position(|&b| b == b'\n') {
            Some(n) => start += n + 1,
            None => return text.len(),
        }
    }
    start.saturating_add(column).min(text.len())
}

/// One open container while walking the text.
enum Open {
    /// An object and the key whose value comes or came last.
    Object(Option<String>),
    /// An array and the index of the element that comes or came last.
    Array(usize),
}

/// The path of the value the reader was in, or had just read, at `end`.
fn path_at(text: &[u8], end: usize) -> String {
    let mut open: Vec<Open> = Vec::new();
    // Inside an object: whether the next string is a key.
    let mut want_key = false;
    let mut i = 0;
    while i < end {
        match text[i] {
            b'{' => {
                open.push(Open::Object(None));
                want_key = true;
            }
            b'[' => {
                open.push(Open::Array(0));
                want_key = false;
            }
            b'}' | b']' => {
                open.pop();
                want_key = false;
            }
            b',' => match open.last_mut() {
                Some(Open::Array(n)) => *n += 1,
                Some(Open::Object(_)) => want_key = true,
                None => {}
            },
            b':' => want_key = false,
            b'"' => {
                let (s, next) = string(text, i + 1, end);
                if want_key {
                    if let Some(Open::Object(key)) = open.last_mut() {
                        *key = Some(s);
                    }
                    want_key = false;
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for o in &open {
        match o {
            Open::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Open::Object(None) => {}
            Open::Array(n) => {
                path.push('[');
                path.push_str(&n.to_string());
                path.push(']');
            }
        }
    }
    path
}

/// The string starting after its opening quote at `from`, unescaped well
/// enough for a path, and the index after its closing quote (or `end`).
fn string(text: &[u8], from: usize, end: usize) -> (String, usize) {
    let mut i = from;
    let mut raw = Vec::new();
    while i < end {
        match text[i] {
            b'"' => return (decode(&raw), i + 1),
            b'\\' if i + 1 < end => {
                raw.extend_from_slice(&text[i..i + 2]);
                i += 2;
            }
            b => {
                raw.push(b);
                i += 1;
            }
        }
    }
    (decode(&raw), end)
}

/// A key's text: JSON's own reading of it where it is complete, else as is.
fn decode(raw: &[u8]) -> String {
    let quoted = [&b"\""[..], raw, &b"\""[..]].concat();
    serde_json::from_slice::<String>(&quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Entity {
        #[serde(rename = "type")]
        kind: String,
        offset: i64,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Msg {
        date: i64,
        chat: Chat,
        #[serde(default)]
        entities: Vec<Entity>,
        #[serde(default)]
        grid: Vec<Vec<Entity>>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Chat {
        id: i64,
    }

    fn path(text: &str) -> String {
        let err = serde_json::from_str::<Msg>(text).expect_err("does not fit");
        path_of(text, &err)
    }

    #[test]
    fn the_value_that_did_not_fit() {
        assert_eq!(path(r#"{"date":"yesterday","chat":{"id":1}}"#), "date");
        assert_eq!(path(r#"{"chat":{"id":1},"date":"yesterday"}"#), "date");
        assert_eq!(path(r#"{"date":1,"chat":{"id":"x"}}"#), "chat.id");
        assert_eq!(path(r#"{"date":1,"chat":{"id":[]}}"#), "chat.id");
        assert_eq!(
            path(
                r#"{"date":1,"chat":{"id":1},"entities":[{"type":"a","offset":0},{"type":"b","offset":1.5}]}"#
            ),
            "entities[1].offset"
        );
        assert_eq!(
            path(r#"{"date":1,"chat":{"id":1},"grid":[[],[{"type":7,"offset":0}]]}"#),
            "grid[1][0].type"
        );
        // Whitespace, line breaks and escaped keys.
        assert_eq!(
            path("{\n  \"date\": 1,\n  \"ch\\u0061t\": {\n    \"id\": true\n  }\n}"),
            "chat.id"
        );
        // Strings holding structure characters do not confuse the walk.
        assert_eq!(
            path(r#"{"date":1,"chat":{"id":1},"entities":[{"type":"{[,\"]}","offset":"x"}]}"#),
            "entities[0].offset"
        );
    }

    #[test]
    fn a_missing_field_is_the_objects() {
        assert_eq!(path(r#"{"date":1}"#), "");
        assert_eq!(path(r#"{"date":1,"chat":{}}"#), "chat");
        assert_eq!(path(r#"{"date":1, "chat":{"di":2} }"#), "chat");
        assert_eq!(
            path(r#"{"date":1,"chat":{"id":1},"entities":[{"type":"a"}]}"#),
            "entities[0]"
        );
    }

    #[test]
    fn never_panics_on_odd_positions() {
        for (line, column) in [(0, 0), (1, 0), (1, 999), (7, 3), (usize::MAX, usize::MAX)] {
            let end = offset(br#"{"a":[1,"#, line, column);
            let _ = path_at(br#"{"a":[1,"#, end);
        }
        assert_eq!(path_at(br#"{"a":"unterminated"#, 17), "a");
    }
}
