//! Parser for type expressions as written in the schema.
//!
//! Grammar (words are case-sensitive, spaces separate tokens):
//! ```text
//! expr    := single ("or" single)*
//! single  := "Array of" single | "(" expr ")" | NAME
//! ```
//! `NAME` is a primitive (`Integer`, `Float`, `String`, `Boolean`, `True`,
//! `InputFile`) or the name of a type defined in the schema.
//! `or` binds loosest: `Array of A or B` is `(Array of A) or B`.

use std::fmt;

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeExpr {
    /// `Integer`: a 64-bit signed integer on the wire.
    Integer,
    /// `Float`.
    Float,
    /// `String`.
    String,
    /// `Boolean`.
    Boolean,
    /// `True`: a boolean that is only ever `true`.
    True,
    /// `InputFile`: an upload, a file_id or a URL.
    InputFile,
    /// A named type from the schema.
    Named(String),
    /// `Array of X`.
    Array(Box<TypeExpr>),
    /// `X or Y or ...` (two or more alternatives, none of them an `Or`).
    Or(Vec<TypeExpr>),
}

/// A parse failure with the byte offset in the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the offending token.
    pub offset: usize,
    /// What was wrong.
    pub message: String,
}

impl TypeExpr {
    /// Parse an expression such as `"Array of Array of PhotoSize"`.
    pub fn parse(src: &str) -> Result<TypeExpr, ParseError> {
        let tokens = tokenize(src);
        let mut p = Parser {
            tokens,
            pos: 0,
            len: src.len(),
        };
        let e = p.expr()?;
        if let Some((off, tok)) = p.tokens.get(p.pos) {
            return Err(ParseError {
                offset: *off,
                message: format!("unexpected `{tok}` after a complete type"),
            });
        }
        Ok(e)
    }

    /// Named types referenced anywhere in the expression, in order of appearance.
    pub fn named(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |t| {
            if let TypeExpr::Named(n) = t {
                out.push(n.as_str());
            }
        });
        out
    }

    /// Visit this node and every node below it.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a TypeExpr)) {
        f(self);
        match self {
            TypeExpr::Array(inner) => inner.walk(f),
            TypeExpr::Or(alts) => alts.iter().for_each(|a| a.walk(f)),
            _ => {}
        }
    }

    /// The same expression with every `Named(from)` replaced by `Named(to)`.
    pub fn rename(&self, from: &str, to: &str) -> TypeExpr {
        match self {
            TypeExpr::Named(n) if n == from => TypeExpr::Named(to.to_string()),
            TypeExpr::Array(inner) => TypeExpr::Array(Box::new(inner.rename(from, to))),
            TypeExpr::Or(alts) => TypeExpr::Or(alts.iter().map(|a| a.rename(from, to)).collect()),
            other => other.clone(),
        }
    }

    /// True for `Array of ...`.
    pub fn is_array(&self) -> bool {
        matches!(self, TypeExpr::Array(_))
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::Integer => f.write_str("Integer"),
            TypeExpr::Float => f.write_str("Float"),
            TypeExpr::String => f.write_str("String"),
            TypeExpr::Boolean => f.write_str("Boolean"),
            TypeExpr::True => f.write_str("True"),
            TypeExpr::InputFile => f.write_str("InputFile"),
            TypeExpr::Named(n) => f.write_str(n),
            TypeExpr::Array(inner) => match **inner {
                TypeExpr::Or(_) => write!(f, "Array of ({inner})"),
                _ => write!(f, "Array of {inner}"),
            },
            TypeExpr::Or(alts) => {
                for (i, a) in alts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    write!(f, "{a}")?;
                }
                Ok(())
            }
        }
    }
}

fn tokenize(src: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in src.char_indices() {
        if c.is_whitespace() || c == '(' || c == ')' {
            if let Some(s) = start.take() {
                out.push((s, &src[s..i]));
            }
            if c != ' ' && !c.is_whitespace() {
                out.push((i, &src[i..i + 1]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, &src[s..]));
    }
    out
}

struct Parser<'a> {
    tokens: Vec<(usize, &'a str)>,
    pos: usize,
    len: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.tokens.get(self.pos).map(|t| t.1)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.len, |t| t.0)
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            offset: self.offset(),
            message: message.into(),
        })
    }

    fn expr(&mut self) -> Result<TypeExpr, ParseError> {
        let mut alts = vec![self.single()?];
        while self.peek() == Some("or") {
            self.pos += 1;
            match self.single()? {
                TypeExpr::Or(inner) => alts.extend(inner),
                one => alts.push(one),
            }
        }
        Ok(if alts.len() == 1 {
            alts.pop().expect("one element")
        } else {
            TypeExpr::Or(alts)
        })
    }

    fn single(&mut self) -> Result<TypeExpr, ParseError> {
        let Some(tok) = self.peek() else {
            return self.err("expected a type, found the end of the expression");
        };
        self.pos += 1;
        Ok(match tok {
            "Array" => {
                if self.peek() != Some("of") {
                    return self.err("expected `of` after `Array`");
                }
                self.pos += 1;
                TypeExpr::Array(Box::new(self.single()?))
            }
            "(" => {
                let e = self.expr()?;
                if self.peek() != Some(")") {
                    return self.err("expected `)`");
                }
                self.pos += 1;
                e
            }
            "Integer" => TypeExpr::Integer,
            "Float" => TypeExpr::Float,
            "String" => TypeExpr::String,
            "Boolean" => TypeExpr::Boolean,
            "True" => TypeExpr::True,
            "InputFile" => TypeExpr::InputFile,
            "or" | "of" | ")" => {
                self.pos -= 1;
                return self.err(format!("expected a type, found `{tok}`"));
            }
            name => {
                if !name.chars().all(|c| c.is_ascii_alphanumeric())
                    || !name.starts_with(|c: char| c.is_ascii_uppercase())
                {
                    self.pos -= 1;
                    return self.err(format!(
                        "`{name}` is not a type name (UpperCamelCase ASCII letters and digits)"
                    ));
                }
                TypeExpr::Named(name.to_string())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nesting_and_alternatives() {
        let e = TypeExpr::parse("Array of Array of PhotoSize").unwrap();
        assert_eq!(e.to_string(), "Array of Array of PhotoSize");
        let e = TypeExpr::parse("Integer or String").unwrap();
        assert_eq!(e, TypeExpr::Or(vec![TypeExpr::Integer, TypeExpr::String]));
        let e = TypeExpr::parse("Array of (A or B)").unwrap();
        assert_eq!(e.to_string(), "Array of (A or B)");
        assert_eq!(e.named(), vec!["A", "B"]);
    }

    #[test]
    fn reports_offsets() {
        let err = TypeExpr::parse("Array Foo").unwrap_err();
        assert_eq!(err.offset, 6);
        let err = TypeExpr::parse("Integer or").unwrap_err();
        assert_eq!(err.offset, 10);
        let err = TypeExpr::parse("x; fn evil() {}").unwrap_err();
        assert_eq!(err.offset, 0);
    }
}
