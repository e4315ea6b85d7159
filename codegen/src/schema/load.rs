//! Loading a schema file: JSON syntax and shape errors with file:line:col and
//! JSON path, plus a span index so later stages can locate any JSON path.

use std::collections::HashMap;
use std::path::Path;

use super::model::Schema;
use crate::diag::{Diagnostic, Diagnostics};

/// A loaded schema with what is needed to point back into its source.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// File name used in diagnostics.
    pub file: String,
    /// The parsed model.
    pub schema: Schema,
    /// Start position (line, column) of every value, by JSON path.
    pub spans: Spans,
}

/// Start positions of JSON values by path (`methods[0].params[1].type`).
#[derive(Debug, Clone, Default)]
pub struct Spans(HashMap<String, (usize, usize)>);

impl Spans {
    /// Index every value of `src`. Invalid JSON yields a partial index.
    pub fn index(src: &str) -> Spans {
        let mut s = Scanner {
            src: src.as_bytes(),
            pos: 0,
            line: 1,
            col: 1,
            out: HashMap::new(),
        };
        let mut path = String::new();
        s.value(&mut path);
        Spans(s.out)
    }

    /// Position of exactly `path`, if it was seen.
    pub fn exact(&self, path: &str) -> Option<(usize, usize)> {
        self.0.get(path).copied()
    }

    /// Position of `path`, or of its closest located ancestor.
    pub fn locate(&self, path: &str) -> (usize, usize) {
        let mut p = path;
        loop {
            if let Some(pos) = self.0.get(p) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return self.0.get("").copied().unwrap_or((1, 1)),
            }
        }
    }
}

impl Loaded {
    /// A diagnostic located at `path` in this file.
    pub fn diag(&self, path: &str, message: impl Into<String>, hint: Option<String>) -> Diagnostic {
        let (line, column) = self.spans.locate(path);
        Diagnostic {
            file: self.file.clone(),
            line,
            column,
            path: path.to_string(),
            message: message.into(),
            hint,
        }
    }
}

/// Read and parse a schema file.
pub fn load_file(path: &Path) -> Result<Loaded, Diagnostics> {
    let file = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(src) => load_str(&file, &src),
        Err(e) => Err(Diagnostics(vec![Diagnostic {
            file,
            line: 0,
            column: 0,
            path: String::new(),
            message: format!("cannot read the schema: {e}"),
            hint: Some("pass the schema file with --schema PATH".into()),
        }])),
    }
}

/// Parse schema text; `file` names it in diagnostics.
pub fn load_str(file: &str, src: &str) -> Result<Loaded, Diagnostics> {
    let mut de = serde_json::Deserializer::from_str(src);
    let result: Result<Schema, _> = serde_path_to_error::deserialize(&mut de);
    let result = result
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|s| match de.end() {
            Ok(()) => Ok(s),
            Err(e) => Err((String::new(), e)),
        });
    match result {
        Ok(schema) => Ok(Loaded {
            file: file.to_string(),
            schema,
            spans: Spans::index(src),
        }),
        Err((path, inner)) => {
            let inner = &inner;
            let path = if path == "." || path == "?" {
                String::new()
            } else {
                path
            };
            let msg = inner.to_string();
            // serde_json appends " at line L column C"; we report those separately.
            let message = match msg.rfind(" at line ") {
                Some(i) => msg[..i].to_string(),
                None => msg,
            };
            let hint = match inner.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => Some(
                    "fix the JSON syntax (a missing comma, quote or bracket is common)".to_string(),
                ),
                serde_json::error::Category::Data if message.starts_with("unknown field") => Some(
                    "remove the key or fix its spelling; schema/README.md lists the keys"
                        .to_string(),
                ),
                serde_json::error::Category::Data if message.starts_with("missing field") => {
                    Some("add the field; schema/README.md says which keys are required".to_string())
                }
                serde_json::error::Category::Data => {
                    Some("see schema/README.md for the expected shape".to_string())
                }
                serde_json::error::Category::Io => None,
            };
            // Point at the offending key when the path is known (serde points
            // just past it); syntax errors keep serde's own position.
            let exact = if path.is_empty() {
                None
            } else {
                Spans::index(src).exact(&path)
            };
            let (line, column) = exact.unwrap_or((inner.line(), inner.column()));
            Err(Diagnostics(vec![Diagnostic {
                file: file.to_string(),
                line,
                column,
                path,
                message,
                hint,
            }]))
        }
    }
}

struct Scanner<'a> {
    src: &'a [u8],
    pos: usize,
    line: usize,
    col: usize,
    out: HashMap<String, (usize, usize)>,
}

impl Scanner<'_> {
    fn bump(&mut self) -> Option<u8> {
        let c = *self.src.get(self.pos)?;
        self.pos += 1;
        if c == b'\n' {
            self.line += 1;
            self.col = 1;
        } else if c & 0xC0 != 0x80 {
            self.col += 1;
        }
        Some(c)
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn string(&mut self) -> String {
        let mut out = Vec::new();
        self.bump(); // opening quote
        while let Some(c) = self.bump() {
            match c {
                b'"' => break,
                b'\\' => {
                    if let Some(e) = self.bump() {
                        out.push(e);
                    }
                }
                _ => out.push(c),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn value(&mut self, path: &mut String) {
        self.ws();
        self.out
            .entry(path.clone())
            .or_insert((self.line, self.col));
        match self.peek() {
            Some(b'{') => {
                self.bump();
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b'"') => {
                            let key_pos = (self.line, self.col);
                            let key = self.string();
                            let len = path.len();
                            if !path.is_empty() {
                                path.push('.');
                            }
                            path.push_str(&key);
                            self.out.entry(path.clone()).or_insert(key_pos);
                            self.ws();
                            if self.peek() == Some(b':') {
                                self.bump();
                            }
                            // The key's position was recorded first and wins:
                            // it points at the whole `"key": value` entry.
                            self.value(path);
                            path.truncate(len);
                        }
                        Some(b',') => {
                            self.bump();
                        }
                        Some(b'}') | None => {
                            self.bump();
                            return;
                        }
                        _ => {
                            self.bump();
                        }
                    }
                }
            }
            Some(b'[') => {
                self.bump();
                let mut i = 0;
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b']') | None => {
                            self.bump();
                            return;
                        }
                        Some(b',') => {
                            self.bump();
                        }
                        _ => {
                            let len = path.len();
                            path.push('[');
                            path.push_str(&i.to_string());
                            path.push(']');
                            let start = self.pos;
                            self.value(path);
                            path.truncate(len);
                            if self.pos == start {
                                // Broken JSON (a `}` where an item should
                                // be): skip it, or this loop never ends.
                                self.bump();
                            }
                            i += 1;
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        break;
                    }
                    self.bump();
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_paths() {
        let src = "{\n  \"methods\": [\n    {\"name\": \"a\",\n     \"params\": [{\"type\": \"X\"}]}\n  ]\n}";
        let s = Spans::index(src);
        assert_eq!(s.locate("methods"), (2, 3));
        assert_eq!(s.locate("methods[0]"), (3, 5));
        assert_eq!(s.locate("methods[0].params[0].type"), (4, 18));
        assert_eq!(s.locate("methods[0].params[0].type.nothing"), (4, 18));
    }
}
