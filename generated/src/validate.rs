//! Client-side validation: the `Validate` trait that generated types
//! implement, the `Validator` that collects every violation with its field
//! path, and the checks the generated code calls.
//!
//! A check never rejects what Telegram accepts: string lengths in characters
//! are counted in Unicode scalar values (never more than Telegram's count),
//! and limits counted after entity parsing are skipped by the generated code
//! while a `parse_mode` is set.

use std::fmt;

use crate::send::input_file::InputFile;

/// A value that can check itself against the schema's constraints.
pub trait Validate {
    /// Report every violation found in `self` to `v` (generated code calls
    /// this; request types also have an inherent `validate()` returning a result).
    fn validate_into(&self, v: &mut Validator);
}

impl<T: Validate> Validate for Option<T> {
    #[inline]
    fn validate_into(&self, v: &mut Validator) {
        if let Some(x) = self {
            x.validate_into(v);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    #[inline]
    fn validate_into(&self, v: &mut Validator) {
        for (i, x) in self.iter().enumerate() {
            v.path.push(Segment::Index(i));
            x.validate_into(v);
            v.path.pop();
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    #[inline]
    fn validate_into(&self, v: &mut Validator) {
        (**self).validate_into(v);
    }
}

/// Which rule a value broke.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Constraint {
    /// A number below `min` or above `max` (inclusive bounds).
    Range {
        /// Smallest allowed value.
        min: Option<f64>,
        /// Largest allowed value.
        max: Option<f64>,
    },
    /// A string whose length is outside the bounds.
    Length {
        /// Shortest allowed length.
        min: Option<u64>,
        /// Longest allowed length.
        max: Option<u64>,
        /// What was counted: `"characters"` or `"bytes"`.
        unit: &'static str,
    },
    /// An array with too few or too many items.
    Items {
        /// Fewest allowed items.
        min: Option<u64>,
        /// Most allowed items.
        max: Option<u64>,
    },
    /// A string that is not one of the allowed values.
    OneOf(&'static [&'static str]),
    /// An upload larger than the method accepts.
    UploadSize {
        /// Largest accepted size in bytes.
        max: u64,
    },
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn bounds(
            f: &mut fmt::Formatter<'_>,
            min: Option<String>,
            max: Option<String>,
        ) -> fmt::Result {
            match (min, max) {
                (Some(a), Some(b)) => write!(f, "between {a} and {b}"),
                (Some(a), None) => write!(f, "at least {a}"),
                (None, Some(b)) => write!(f, "at most {b}"),
                (None, None) => write!(f, "unbounded"),
            }
        }
        match self {
            Constraint::Range { min, max } => {
                f.write_str("must be ")?;
                bounds(f, min.map(num), max.map(num))
            }
            Constraint::Length { min, max, unit } => {
                f.write_str("length must be ")?;
                bounds(f, min.map(|x| x.to_string()), max.map(|x| x.to_string()))?;
                write!(f, " {unit}")
            }
            Constraint::Items { min, max } => {
                f.write_str("must have ")?;
                bounds(f, min.map(|x| x.to_string()), max.map(|x| x.to_string()))?;
                f.write_str(" items")
            }
            Constraint::OneOf(values) => write!(f, "must be one of {}", values.join(", ")),
            Constraint::UploadSize { max } => write!(f, "upload must be at most {max} bytes"),
        }
    }
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

/// One broken constraint: where, which rule, and the offending value.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Field path such as `sendMessage.reply_markup.inline_keyboard[0][1].callback_data`.
    pub path: String,
    /// The rule that was broken.
    pub constraint: Constraint,
    /// The actual value (long strings are shortened) and its measured size.
    pub value: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}, got {}", self.path, self.constraint, self.value)
    }
}

/// Every violation found in one request.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    /// Wire name of the method (`sendAudio`).
    pub method: &'static str,
    /// All violations, in field order.
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "{} invalid argument{} for {}",
            n,
            if n == 1 { "" } else { "s" },
            self.method
        )?;
        for v in &self.violations {
            write!(f, "; {v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

#[derive(Debug, Clone, Copy)]
enum Segment {
    Field(&'static str),
    Index(usize),
}

/// Where the walk is: a stack of segments, kept inline up to a depth that
/// real requests do not pass, so that validating allocates nothing.
#[derive(Debug)]
struct Path {
    inline: [Segment; INLINE_DEPTH],
    len: usize,
    deeper: Vec<Segment>,
}

const INLINE_DEPTH: usize = 6;

impl Path {
    fn new() -> Self {
        Path {
            inline: [Segment::Index(0); INLINE_DEPTH],
            len: 0,
            deeper: Vec::new(),
        }
    }

    #[inline]
    fn push(&mut self, seg: Segment) {
        if self.len < INLINE_DEPTH {
            self.inline[self.len] = seg;
        } else {
            self.deeper.push(seg);
        }
        self.len += 1;
    }

    #[inline]
    fn pop(&mut self) {
        if self.len > INLINE_DEPTH {
            self.deeper.pop();
        }
        self.len = self.len.saturating_sub(1);
    }

    fn iter(&self) -> impl Iterator<Item = &Segment> {
        self.inline[..self.len.min(INLINE_DEPTH)]
            .iter()
            .chain(self.deeper.iter())
    }
}

/// Collects violations while generated code walks a request.
#[derive(Debug)]
pub struct Validator {
    root: &'static str,
    path: Path,
    violations: Vec<Violation>,
    upload_limits: bool,
}

const SHOWN_CHARS: usize = 40;

impl Validator {
    /// Start validating a request of method `root` (`sendAudio`).
    pub fn new(root: &'static str) -> Self {
        Validator {
            root,
            path: Path::new(),
            violations: Vec::new(),
            upload_limits: true,
        }
    }

    /// Skip the upload size limits of Telegram's public server (a
    /// self-hosted Bot API server in local mode takes much larger files).
    pub fn without_upload_limits(mut self) -> Self {
        self.upload_limits = false;
        self
    }

    /// Validate a whole value and return all violations, if any.
    pub fn run(root: &'static str, value: &dyn Validate) -> Result<(), ValidationError> {
        let mut v = Validator::new(root);
        value.validate_into(&mut v);
        v.finish()
    }

    /// Turn the collected violations into a result.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                method: self.root,
                violations: self.violations,
            })
        }
    }

    /// Violations collected so far.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    fn render_path(&self, field: &'static str) -> String {
        let mut s = String::from(self.root);
        for seg in self.path.iter() {
            match seg {
                Segment::Field("") => {}
                Segment::Field(name) => {
                    s.push('.');
                    s.push_str(name);
                }
                Segment::Index(i) => {
                    s.push('[');
                    s.push_str(&i.to_string());
                    s.push(']');
                }
            }
        }
        if !field.is_empty() {
            s.push('.');
            s.push_str(field);
        }
        s
    }

    #[cold]
    #[inline(never)]
    fn push(&mut self, field: &'static str, constraint: Constraint, value: String) {
        let path = self.render_path(field);
        self.violations.push(Violation {
            path,
            constraint,
            value,
        });
    }

    /// Validate a nested value found in `field`.
    #[inline]
    pub fn nested<T: Validate + ?Sized>(&mut self, field: &'static str, value: &T) {
        self.path.push(Segment::Field(field));
        value.validate_into(self);
        self.path.pop();
    }

    /// Check every item of an array found in `field`; `f` checks one item
    /// (its checks pass `""` as the field name to address the item itself).
    #[inline]
    pub fn each<T>(
        &mut self,
        field: &'static str,
        items: &[T],
        mut f: impl FnMut(&mut Validator, &T),
    ) {
        self.path.push(Segment::Field(field));
        for (i, x) in items.iter().enumerate() {
            self.path.push(Segment::Index(i));
            f(self, x);
            self.path.pop();
        }
        self.path.pop();
    }

    // The checks below are inlined and only test; what a failure reports is
    // built out of line (`#[cold]`), so a request that passes costs a few
    // comparisons per constrained field.

    /// Check an integer against inclusive bounds.
    #[inline]
    pub fn int_range(
        &mut self,
        field: &'static str,
        value: i64,
        min: Option<i64>,
        max: Option<i64>,
    ) {
        if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
            self.int_range_failed(field, value, min, max);
        }
    }

    #[cold]
    #[inline(never)]
    fn int_range_failed(
        &mut self,
        field: &'static str,
        value: i64,
        min: Option<i64>,
        max: Option<i64>,
    ) {
        let c = Constraint::Range {
            min: min.map(|x| x as f64),
            max: max.map(|x| x as f64),
        };
        self.push(field, c, value.to_string());
    }

    /// Check a float against inclusive bounds.
    #[inline]
    pub fn float_range(
        &mut self,
        field: &'static str,
        value: f64,
        min: Option<f64>,
        max: Option<f64>,
    ) {
        if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) || value.is_nan() {
            self.float_range_failed(field, value, min, max);
        }
    }

    #[cold]
    #[inline(never)]
    fn float_range_failed(
        &mut self,
        field: &'static str,
        value: f64,
        min: Option<f64>,
        max: Option<f64>,
    ) {
        self.push(field, Constraint::Range { min, max }, value.to_string());
    }

    /// Check a string's length in Unicode scalar values.
    #[inline]
    pub fn chars_len(
        &mut self,
        field: &'static str,
        value: &str,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        // Cheap exit first: bytes >= chars, and chars >= bytes / 4.
        let bytes = value.len() as u64;
        if min.is_none_or(|m| bytes / 4 >= m) && max.is_none_or(|m| bytes <= m) {
            return;
        }
        self.chars_len_counted(field, value, min, max);
    }

    #[inline(never)]
    fn chars_len_counted(
        &mut self,
        field: &'static str,
        value: &str,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        let n = value.chars().count() as u64;
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            let c = Constraint::Length {
                min,
                max,
                unit: "characters",
            };
            self.push(field, c, format!("{n} characters ({})", shorten(value)));
        }
    }

    /// Check a string's length in UTF-8 bytes.
    #[inline]
    pub fn bytes_len(
        &mut self,
        field: &'static str,
        value: &str,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        let n = value.len() as u64;
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            self.bytes_len_failed(field, value, min, max);
        }
    }

    #[cold]
    #[inline(never)]
    fn bytes_len_failed(
        &mut self,
        field: &'static str,
        value: &str,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        let c = Constraint::Length {
            min,
            max,
            unit: "bytes",
        };
        self.push(
            field,
            c,
            format!("{} bytes ({})", value.len(), shorten(value)),
        );
    }

    /// Check an array's item count.
    #[inline]
    pub fn items<T>(
        &mut self,
        field: &'static str,
        value: &[T],
        min: Option<u64>,
        max: Option<u64>,
    ) {
        let n = value.len() as u64;
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            self.items_failed(field, n, min, max);
        }
    }

    #[cold]
    #[inline(never)]
    fn items_failed(&mut self, field: &'static str, n: u64, min: Option<u64>, max: Option<u64>) {
        self.push(field, Constraint::Items { min, max }, format!("{n} items"));
    }

    /// Check that a string is one of the allowed values.
    #[inline]
    pub fn one_of(&mut self, field: &'static str, value: &str, allowed: &'static [&'static str]) {
        if !allowed.contains(&value) {
            self.one_of_failed(field, value, allowed);
        }
    }

    #[cold]
    #[inline(never)]
    fn one_of_failed(
        &mut self,
        field: &'static str,
        value: &str,
        allowed: &'static [&'static str],
    ) {
        self.push(field, Constraint::OneOf(allowed), shorten(value));
    }

    /// Check the size of an upload whose size is known without reading it.
    pub fn upload_size(&mut self, field: &'static str, value: &InputFile, max: u64) {
        if !self.upload_limits {
            return;
        }
        if let Some(n) = value.upload_size() {
            if n > max {
                self.push(field, Constraint::UploadSize { max }, format!("{n} bytes"));
            }
        }
    }
}

fn shorten(s: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = s.chars();
    out.extend(
        chars
            .by_ref()
            .take(SHOWN_CHARS)
            .flat_map(char::escape_debug),
    );
    if chars.next().is_some() {
        out.push('…');
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_paths_spill_past_the_inline_depth() {
        let mut v = Validator::new("m");
        for i in 0..INLINE_DEPTH + 3 {
            v.path.push(Segment::Index(i));
        }
        v.int_range("x", 5, None, Some(1));
        for _ in 0..INLINE_DEPTH + 3 {
            v.path.pop();
        }
        v.path.pop(); // one too many is harmless
        v.int_range("y", 5, None, Some(1));
        let err = v.finish().unwrap_err();
        let expected: String = (0..INLINE_DEPTH + 3).map(|i| format!("[{i}]")).collect();
        assert_eq!(err.violations[0].path, format!("m{expected}.x"));
        assert_eq!(err.violations[1].path, "m.y");
    }

    #[test]
    fn renders_paths_and_collects_all() {
        let mut v = Validator::new("sendMessage");
        v.path.push(Segment::Field("reply_markup"));
        v.path.push(Segment::Field("inline_keyboard"));
        v.path.push(Segment::Index(0));
        v.path.push(Segment::Index(1));
        v.bytes_len("callback_data", &"x".repeat(65), Some(1), Some(64));
        (0..4).for_each(|_| v.path.pop());
        v.int_range("limit", 101, Some(1), Some(100));
        let err = v.finish().unwrap_err();
        assert_eq!(err.violations.len(), 2);
        assert_eq!(
            err.violations[0].path,
            "sendMessage.reply_markup.inline_keyboard[0][1].callback_data"
        );
        assert_eq!(
            err.violations[1].to_string(),
            "sendMessage.limit: must be between 1 and 100, got 101"
        );
    }

    #[test]
    fn counts_scalar_values_not_bytes() {
        let mut v = Validator::new("m");
        v.chars_len("caption", &"é".repeat(1024), Some(0), Some(1024));
        assert!(v.violations().is_empty());
        v.chars_len("caption", &"é".repeat(1025), Some(0), Some(1024));
        assert_eq!(v.violations().len(), 1);
        assert!(v.violations()[0].value.starts_with("1025 characters"));
    }
}
