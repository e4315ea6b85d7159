//! The rules a value can break, and how each reads in a message.

use std::fmt;

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
    /// Exactly one of these fields must be set.
    ExactlyOne(&'static [&'static str]),
    /// No two of these fields may be set.
    AtMostOne(&'static [&'static str]),
    /// At least one of these fields must be set.
    AtLeastOne(&'static [&'static str]),
    /// Exactly one group of fields must be set in full, and no field of
    /// another group.
    OneGroup(&'static [&'static [&'static str]]),
    /// `field` must be set unless one of `unless` is.
    RequiredUnless {
        /// The field.
        field: &'static str,
        /// The fields that make it unnecessary.
        unless: &'static [&'static str],
    },
    /// `field` must be set whenever `with` is.
    RequiredWith {
        /// The field.
        field: &'static str,
        /// The field that needs it.
        with: &'static str,
    },
}

/// `a`, `b` and `c` as code spans joined by `last`.
fn listed(names: &[&str], last: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((end, rest)) if !rest.is_empty() => format!("{} {last} {end}", rest.join(", ")),
        Some((end, _)) => end.clone(),
        None => String::new(),
    }
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
            Constraint::ExactlyOne(fields) => {
                write!(f, "exactly one of {} must be set", listed(fields, "and"))
            }
            Constraint::AtMostOne(fields) => {
                write!(f, "at most one of {} may be set", listed(fields, "and"))
            }
            Constraint::AtLeastOne(fields) => {
                write!(f, "at least one of {} must be set", listed(fields, "or"))
            }
            Constraint::OneGroup(groups) => {
                let each: Vec<String> = groups.iter().map(|g| listed(g, "and")).collect();
                write!(f, "set either {}", each.join(", or "))
            }
            Constraint::RequiredUnless { field, unless } => {
                write!(
                    f,
                    "`{field}` must be set unless {} is",
                    listed(unless, "or")
                )
            }
            Constraint::RequiredWith { field, with } => {
                write!(f, "`{field}` must be set when `{with}` is")
            }
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
