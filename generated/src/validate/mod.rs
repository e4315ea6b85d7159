//! Client-side validation: the `Validate` trait that generated types
//! implement, the `Validator` that collects every violation with its field
//! path, and the checks the generated code calls.
//!
//! A check never rejects what Telegram accepts: string lengths in characters
//! are counted in Unicode scalar values (never more than Telegram's count),
//! and limits counted after entity parsing are skipped by the generated code
//! while a `parse_mode` is set.

mod checks;
mod constraint;
mod rules;

use std::fmt;

pub use constraint::Constraint;

/// A value that can check itself against the schema's constraints.
pub trait Validate {
    /// Report every violation found in `self` to `v` (generated code calls
    /// this; request types also have an inherent `validate()` returning a result).
    fn validate_into(&self, v: &mut Validator);
}

// The wrappers below are always inlined: a keyboard (a list of lists of
// buttons in a box in an option) is then one loop in its owner's check
// rather than a call per layer.
impl<T: Validate> Validate for Option<T> {
    #[inline(always)]
    fn validate_into(&self, v: &mut Validator) {
        if let Some(x) = self {
            x.validate_into(v);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    #[inline(always)]
    fn validate_into(&self, v: &mut Validator) {
        if !v.tracking {
            return self.iter().for_each(|x| x.validate_into(v));
        }
        v.items_tracked(self);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    #[inline(always)]
    fn validate_into(&self, v: &mut Validator) {
        (**self).validate_into(v);
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

/// Collects violations while generated code walks a request.
#[derive(Debug)]
pub struct Validator {
    root: &'static str,
    /// Where the walk is (kept only while tracking: a request that passes
    /// never needs it, and allocates nothing).
    path: Vec<Segment>,
    violations: Vec<Violation>,
    upload_limits: UploadLimits,
    /// Whether the walk keeps its path. [`Validator::check`] walks first
    /// without it (only testing) and again with it only if something failed.
    tracking: bool,
    /// Something failed while not tracking.
    failed: bool,
}

/// Which upload size limits a [`Validator`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UploadLimits {
    /// Those of Telegram's public server (the schema's `max_upload`).
    Public,
    /// Those of a self-hosted server started with `--local`.
    LocalServer,
    /// None.
    Off,
}

/// The largest file Telegram's public Bot API server takes in an upload,
/// 50 MB (the schema's `max_upload` of the file parameters).
pub const PUBLIC_SERVER_MAX_UPLOAD: u64 = 50 * 1024 * 1024;

/// The largest file a self-hosted Bot API server started with `--local`
/// takes, 2000 MB ("Upload files up to 2000 MB", the `telegram-bot-api`
/// README; megabytes counted like the public server's 50 MB).
pub const LOCAL_SERVER_MAX_UPLOAD: u64 = 2000 * 1024 * 1024;

/// How much of a long string a violation shows.
const SHOWN_CHARS: usize = 40;

impl Validator {
    /// Start validating a request of method `root` (`sendAudio`).
    pub fn new(root: &'static str) -> Self {
        Validator {
            root,
            path: Vec::new(),
            violations: Vec::new(),
            upload_limits: UploadLimits::Public,
            tracking: true,
            failed: false,
        }
    }

    /// Skip the upload size limits altogether.
    pub fn without_upload_limits(mut self) -> Self {
        self.upload_limits = UploadLimits::Off;
        self
    }

    /// Check uploads against the limits of a self-hosted Bot API server
    /// started with `--local`: a limit of the public server's 50 MB for
    /// whole files ([`PUBLIC_SERVER_MAX_UPLOAD`]) becomes
    /// [`LOCAL_SERVER_MAX_UPLOAD`]; smaller limits that Telegram sets for a
    /// kind of file (200 kB for a thumbnail) stay.
    pub fn with_local_server_limits(mut self) -> Self {
        self.upload_limits = UploadLimits::LocalServer;
        self
    }

    /// Validate a whole value and return all violations, if any.
    #[inline]
    pub fn run<T: Validate + ?Sized>(root: &'static str, value: &T) -> Result<(), ValidationError> {
        Validator::new(root).check(value)
    }

    /// Validate a whole value with these settings and return all
    /// violations, if any. A value that passes is walked once, testing only;
    /// the path to each field is kept only in a second walk, made when
    /// something failed, which reports every violation with its path.
    #[inline]
    pub fn check<T: Validate + ?Sized>(mut self, value: &T) -> Result<(), ValidationError> {
        if !self.violations.is_empty() {
            return self.report(value);
        }
        self.tracking = false;
        value.validate_into(&mut self);
        if self.failed {
            self.tracking = true;
            self.path.clear();
            return self.report(value);
        }
        // A walk that does not track records nothing, so a validator that
        // owned no memory before owns none now: it needs no drop.
        if self.path.capacity() == 0 && self.violations.capacity() == 0 {
            std::mem::forget(self);
        }
        Ok(())
    }

    /// Walk keeping the path, and report every violation.
    #[cold]
    #[inline(never)]
    fn report<T: Validate + ?Sized>(mut self, value: &T) -> Result<(), ValidationError> {
        value.validate_into(&mut self);
        self.finish()
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
        for seg in &self.path {
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
    pub(crate) fn push(&mut self, field: &'static str, constraint: Constraint, value: String) {
        if !self.tracking {
            self.failed = true;
            return;
        }
        let path = self.render_path(field);
        self.violations.push(Violation {
            path,
            constraint,
            value,
        });
    }

    /// Validate a nested value found in `field`.
    #[inline(always)]
    pub fn nested<T: Validate + ?Sized>(&mut self, field: &'static str, value: &T) {
        if !self.tracking {
            return value.validate_into(self);
        }
        self.nested_tracked(field, value);
    }

    // The walks that keep the path are out of line: only a request that
    // failed takes them, and the passing walk stays small.
    #[cold]
    #[inline(never)]
    fn nested_tracked<T: Validate + ?Sized>(&mut self, field: &'static str, value: &T) {
        self.path.push(Segment::Field(field));
        value.validate_into(self);
        self.path.pop();
    }

    #[cold]
    #[inline(never)]
    fn items_tracked<T: Validate>(&mut self, items: &[T]) {
        for (i, x) in items.iter().enumerate() {
            self.path.push(Segment::Index(i));
            x.validate_into(self);
            self.path.pop();
        }
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
        if !self.tracking {
            return items.iter().for_each(|x| f(self, x));
        }
        self.path.push(Segment::Field(field));
        for (i, x) in items.iter().enumerate() {
            self.path.push(Segment::Index(i));
            f(self, x);
            self.path.pop();
        }
        self.path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_paths_render_every_segment() {
        let mut v = Validator::new("m");
        for i in 0..9 {
            v.path.push(Segment::Index(i));
        }
        v.int_range("x", 5, None, Some(1));
        for _ in 0..9 {
            v.path.pop();
        }
        v.path.pop(); // one too many is harmless (an empty path stays empty)
        v.int_range("y", 5, None, Some(1));
        let err = v.finish().unwrap_err();
        let expected: String = (0..9).map(|i| format!("[{i}]")).collect();
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
        v.path.truncate(0);
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

    /// A value with a list of items, each with a bounded field.
    struct Items(Vec<i64>);

    impl Validate for Items {
        fn validate_into(&self, v: &mut Validator) {
            v.each("items", &self.0, |v, x| {
                v.int_range("n", *x, Some(0), Some(9))
            });
        }
    }

    #[test]
    fn check_walks_again_only_to_report_with_paths() {
        assert_eq!(Validator::new("m").check(&Items(vec![1, 2, 3])), Ok(()));
        let bad = Items(vec![1, 20, 3, -4]);
        let mut tracked = Validator::new("m");
        bad.validate_into(&mut tracked);
        let expected = tracked.finish().unwrap_err();
        assert_eq!(expected.violations.len(), 2);
        assert_eq!(expected.violations[1].path, "m.items[3].n");
        assert_eq!(Validator::new("m").check(&bad), Err(expected.clone()));
        // What a validator had already found is kept.
        let mut v = Validator::new("m");
        v.int_range("limit", 101, Some(1), Some(100));
        let err = v.check(&Items(vec![1])).unwrap_err();
        assert_eq!(err.violations.len(), 1);
        assert_eq!(err.violations[0].path, "m.limit");
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
