//! The checks generated code calls on one value: ranges, lengths, item
//! counts, allowed values, upload sizes.

use super::{
    Constraint, UploadLimits, Validator, LOCAL_SERVER_MAX_UPLOAD, PUBLIC_SERVER_MAX_UPLOAD,
    SHOWN_CHARS,
};
use crate::send::input_file::InputFile;

impl Validator {
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
        let max = match self.upload_limits {
            UploadLimits::Off => return,
            UploadLimits::LocalServer if max >= PUBLIC_SERVER_MAX_UPLOAD => LOCAL_SERVER_MAX_UPLOAD,
            _ => max,
        };
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
