//! Emits doc texts: of types, fields and methods, and the readable form of
//! a field's constraints. Plain strings; `tokens::doc` makes attributes.

use crate::ir::{Constraints, FieldItem, MethodItem, TypeItem};

/// Markdown code span of a wire name.
pub fn code(s: &str) -> String {
    format!("`{s}`")
}

/// What Telegram does with fields of which it uses only the first set: one
/// paragraph per group, each starting with a blank line.
fn first_wins(groups: &[Vec<String>]) -> String {
    let mut s = String::new();
    for g in groups {
        let names: Vec<String> = g.iter().map(|n| code(n)).collect();
        match names.as_slice() {
            [a, b] => s.push_str(&format!(
                "\n\nIf both {a} and {b} are set, Telegram uses {a} and ignores {b}."
            )),
            _ => s.push_str(&format!(
                "\n\nIf more than one of {} is set, Telegram uses the first of them in this order and ignores the rest.",
                names.join(", ")
            )),
        }
    }
    s
}

/// Documentation of a type: summary, what Telegram does when several
/// first-wins fields are set, link to the official entry, and what the
/// schema left out of it.
pub fn type_doc(t: &TypeItem) -> String {
    let mut s = t.summary.trim().to_string();
    s.push_str(&first_wins(&t.first_wins));
    if let Some(link) = &t.doc_link {
        s.push_str(&format!("\n\nTelegram docs: <{link}>"));
    }
    if let Some(trim) = &t.trimmed {
        s.push_str(&format!("\n\nTrimmed in this schema: {}", trim.trim()));
    }
    s
}

/// Documentation of a request struct.
pub fn method_doc(m: &MethodItem) -> String {
    format!(
        "{}{}\n\nRequest for `{}`; send it with `Client::send` or build it through `Client::{}`.\n\nTelegram docs: <{}>",
        m.summary.trim(),
        first_wins(&m.first_wins),
        m.wire,
        m.fn_ident,
        m.doc_link
    )
}

/// Documentation of a field: summary, constraints, default.
pub fn field_doc(f: &FieldItem) -> String {
    let mut out = field_summary(f);
    if let Some(c) = describe_constraints(&f.constraints) {
        out.push_str("\n\n");
        out.push_str(&c);
    }
    if let Some(d) = &f.default {
        out.push_str(&format!("\n\nDefault: `{d}`."));
    }
    if let Some(v) = &f.absent_before {
        out.push_str(&format!(
            "\n\nRequired since Bot API {v} at the latest (the first version read that has it): `None` only in replies from older servers."
        ));
    }
    if f.ident != f.wire {
        out.push_str(&format!("\n\nWire name: `{}`.", f.wire));
    }
    out
}

/// The field's summary, or a plain statement of what it is when the schema
/// has none.
pub fn field_summary(f: &FieldItem) -> String {
    let s = f.summary.trim();
    if !s.is_empty() {
        return s.to_string();
    }
    let presence = if f.required { "Required" } else { "Optional" };
    format!("{presence} `{}` ({}).", f.wire, f.type_expr)
}

fn range<T: std::fmt::Display>(lo: &Option<T>, hi: &Option<T>) -> String {
    match (lo, hi) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any".into(),
    }
}

/// Human-readable constraints, for docs. Built from the IR only.
pub fn describe_constraints(c: &Constraints) -> Option<String> {
    let mut parts = Vec::new();
    if let Some((lo, hi)) = &c.int_range {
        parts.push(format!("Range: {}.", range(lo, hi)));
    }
    if let Some((lo, hi)) = &c.float_range {
        parts.push(format!("Range: {}.", range(lo, hi)));
    }
    if let Some(l) = &c.len {
        let unit = if l.bytes { "UTF-8 bytes" } else { "characters" };
        let mut s = format!("Length: {} {unit}", range(&l.min, &l.max));
        if let Some(sib) = &l.skip_if_set {
            s.push_str(&format!(
                " after entity parsing (checked only while `{sib}` is unset)"
            ));
        }
        s.push('.');
        parts.push(s);
    }
    if let Some((lo, hi)) = &c.items {
        parts.push(format!("Items: {}.", range(lo, hi)));
    }
    if let Some(a) = &c.allowed {
        let vals: Vec<String> = a.iter().map(|v| code(v)).collect();
        parts.push(format!("One of: {}.", vals.join(", ")));
    }
    if let Some(m) = c.max_upload {
        parts.push(format!("Largest upload: {} bytes ({}).", m, human_size(m)));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn human_size(n: u64) -> String {
    const MB: u64 = 1024 * 1024;
    const KB: u64 = 1024;
    if n >= MB && n % MB == 0 {
        format!("{} MB", n / MB)
    } else if n >= KB && n % KB == 0 {
        format!("{} kB", n / KB)
    } else {
        format!("{n} bytes")
    }
}
