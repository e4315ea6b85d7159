//! Mining facts from upstream prose: numeric ranges, string lengths (and
//! whether they count after entity parsing), item counts, defaults, allowed
//! values (closed lists, and the value lists named sets are made of),
//! discriminator values and upload limits. Only the facts are kept.

use regex_lite::Regex;
use std::sync::OnceLock;

use crate::schema::{Field, LenUnit};

struct Patterns {
    range: Regex,
    semicolon_range: Regex,
    length: Regex,
    items: Regex,
    default: Regex,
    value: Regex,
    italic: Regex,
    passed: Regex,
    always: Regex,
    must_be_word: Regex,
    upload_mb: Regex,
    upload_kb: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("a valid built-in pattern");
        Patterns {
            range: re(r"[Vv]alues? between (-?\d+)\s*[-–]\s*(-?\d+)"),
            semicolon_range: re(r";\s*(-?\d+)\s*[-–]\s*(-?\d+)(?:\s*[.;,]|$)"),
            length: re(r"(\d+)\s*[-–]\s*(\d+)\s+(characters|bytes)"),
            items: re(r"(\d+)\s*[-–]\s*(\d+)\s+(?:items|elements|options|results|users|emoji|stickers|files)"),
            default: re(r"[Dd]efaults? to\s+[“\u{201C}\u{201D}\x22']?(-?[0-9]+(?:\.[0-9]+)?|[A-Za-z_][A-Za-z0-9_/+-]*[A-Za-z0-9_])"),
            value: re(r"['\x22“]([^'\x22“”\s]+)['\x22”]"),
            italic: re(r"(?:^|[^*])\*([a-z0-9_]+)\*(?:[^*]|$)"),
            passed: re(r"[Ii]f \*?([a-z0-9_]+)\*? is passed"),
            always: re(r"always\s+[“\u{201C}\x22'*]([A-Za-z0-9_]+)[”\u{201D}\x22'*]"),
            must_be_word: re(r"must be\s+[“\u{201C}\x22'*]?([a-z0-9_]+)[”\u{201D}\x22'*]?\s*$"),
            upload_mb: re(r"up to (\d+) MB"),
            upload_kb: re(r"less than (\d+) kB"),
        }
    })
}

fn num(s: &str) -> Option<f64> {
    s.parse().ok()
}

/// Add the constraints stated in `prose` to `f`. `siblings` are the names of
/// the other parameters or fields of the same owner.
pub fn mine_field(f: &mut Field, prose: &str, siblings: &[&str]) {
    let p = patterns();
    let leaf = f.ty.trim_start_matches("Array of ");
    let is_array = f.ty.starts_with("Array of ");
    if matches!(leaf, "Integer" | "Float") {
        let cap = p
            .range
            .captures(prose)
            .or_else(|| p.semicolon_range.captures(prose));
        if let Some(c) = cap {
            if let (Some(lo), Some(hi)) = (num(&c[1]), num(&c[2])) {
                f.min = Some(lo);
                f.max = Some(hi);
            }
        }
    }
    if leaf == "String" {
        if let Some(c) = p.length.captures(prose) {
            f.min_len = c[1].parse().ok();
            f.max_len = c[2].parse().ok();
            f.len_unit = Some(if &c[3] == "bytes" {
                LenUnit::Bytes
            } else {
                LenUnit::Chars
            });
            if prose.contains("after entities parsing") || prose.contains("after entity parsing") {
                let own = format!("{}_parse_mode", f.name);
                f.len_parsed_with = [own.as_str(), "parse_mode"]
                    .into_iter()
                    .find(|s| siblings.contains(s))
                    .map(str::to_string);
            }
        }
    }
    if is_array {
        if let Some(c) = p.items.captures(prose) {
            f.min_items = c[1].parse().ok();
            f.max_items = c[2].parse().ok();
        }
    }
    if !f.required {
        if let Some(c) = p.default.captures(prose) {
            f.default = typed_default(leaf, is_array, &c[1]);
        }
    }
    if leaf == "String" && !is_array {
        if let Some(values) = closed_list(prose) {
            f.allowed = Some(values);
        }
    }
    if leaf == "InputFile" || f.ty.contains("InputFile") {
        if let Some(c) = p.upload_kb.captures(prose) {
            f.max_upload = c[1].parse::<u64>().ok().map(|kb| kb * 1024);
        }
    }
}

/// The sentences of a piece of prose (a full stop and a space, or a line
/// break, ends one).
fn sentences(prose: &str) -> impl Iterator<Item = &str> {
    prose
        .split('\n')
        .flat_map(|line| line.split(". "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The distinct quoted values of a sentence (`'a'`, `"a"`, `“a”`), in order;
/// a quoted URL or placeholder is no value.
fn quoted_values(sentence: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in patterns().value.captures_iter(sentence) {
        let v = &c[1];
        if v.contains("://") || v.contains('<') || v.contains('`') {
            continue;
        }
        if !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    }
    out
}

/// A closed list of allowed values: a sentence that says the value "must be
/// one of" (or "must be either") the quoted ones, and not "currently" (a
/// list Telegram calls current may grow, and a validator must not reject
/// what Telegram accepts).
pub fn closed_list(prose: &str) -> Option<Vec<String>> {
    sentences(prose).find_map(|s| {
        let lower = s.to_lowercase();
        let closed = (lower.contains("must be one of") || lower.contains("must be either"))
            && !lower.contains("currently");
        let values = quoted_values(s);
        (closed && values.len() >= 2).then_some(values)
    })
}

/// The values upstream prose lists for a string field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueList {
    /// The values, in the order the prose gives them.
    pub values: Vec<String>,
    /// The prose offers them as examples ("for example", "e.g."), not as
    /// the whole set.
    pub examples: bool,
}

/// The list of values a field's prose gives: the first sentence that quotes
/// two or more distinct values (`'private', 'group' or 'channel'`), else a
/// sentence that says "choose one" over italic values (`*typing*`), else
/// two or more "if *x* is passed". `markup` is the prose with its markup
/// kept when the format has such a rendering (quotes, italics and emoji
/// survive there), else empty.
pub fn value_list(prose: &str, markup: &str) -> Option<ValueList> {
    let text = if markup.is_empty() { prose } else { markup };
    let p = patterns();
    for s in sentences(text) {
        let values = quoted_values(s);
        if values.len() >= 2 {
            let lower = s.to_lowercase();
            return Some(ValueList {
                values,
                examples: lower.contains("for example") || lower.contains("e.g."),
            });
        }
    }
    let distinct = |found: Vec<String>| -> Option<ValueList> {
        let mut values: Vec<String> = Vec::new();
        for v in found {
            if !values.contains(&v) {
                values.push(v);
            }
        }
        (values.len() >= 2).then_some(ValueList {
            values,
            examples: false,
        })
    };
    for s in sentences(text) {
        if s.to_lowercase().contains("choose one") {
            let found = p
                .italic
                .captures_iter(s)
                .map(|c| c[1].to_string())
                .collect();
            if let Some(list) = distinct(found) {
                return Some(list);
            }
        }
    }
    distinct(
        p.passed
            .captures_iter(text)
            .map(|c| c[1].to_string())
            .collect(),
    )
}

fn typed_default(leaf: &str, is_array: bool, raw: &str) -> Option<serde_json::Value> {
    if is_array {
        return None;
    }
    match leaf {
        "Integer" => raw.parse::<i64>().ok().map(Into::into),
        "Float" => raw.parse::<f64>().ok().map(Into::into),
        "Boolean" | "True" => match raw.to_ascii_lowercase().as_str() {
            "true" => Some(true.into()),
            "false" => Some(false.into()),
            _ => None,
        },
        "String" if !raw.chars().next().is_some_and(|c| c.is_ascii_digit()) => Some(raw.into()),
        _ => None,
    }
}

/// The constant value a field always holds (`always "creator"`, `must be photo`).
pub fn constant_value(prose: &str) -> Option<String> {
    let p = patterns();
    if let Some(c) = p.always.captures(prose) {
        return Some(c[1].to_string());
    }
    let first = prose.split(['.', '\n']).next().unwrap_or("");
    p.must_be_word
        .captures(first.trim())
        .map(|c| c[1].to_string())
}

/// Largest upload stated in a method's prose ("up to 50 MB").
pub fn method_upload_limit(prose: &str) -> Option<u64> {
    patterns()
        .upload_mb
        .captures(prose)
        .and_then(|c| c[1].parse::<u64>().ok())
        .map(|mb| mb * 1024 * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(prose: &str, markup: &str) -> Option<(Vec<String>, bool)> {
        value_list(prose, markup).map(|l| (l.values, l.examples))
    }

    #[test]
    fn value_lists() {
        let v = |xs: &[&str]| xs.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(
            list(
                "Kind of the pen, can be either 'cage', 'barn' or 'field'",
                ""
            ),
            Some((v(&["cage", "barn", "field"]), false))
        );
        assert_eq!(
            list(
                "Which dice. Currently, one of “🎲” or “🎯”. Defaults to “🎲”.",
                ""
            ),
            Some((v(&["🎲", "🎯"]), false)),
            "the first sentence with a list; emoji are values"
        );
        assert_eq!(
            list(
                "Category of the place. (For example, 'food/icecream' or 'arts/default'.)",
                ""
            ),
            Some((v(&["food/icecream", "arts/default"]), true))
        );
        assert_eq!(
            list(
                "What the bot does. Choose one: typing for text.",
                "What the bot does. Choose one: *typing* for text, *upload_photo* for photos."
            ),
            Some((v(&["typing", "upload_photo"]), false)),
            "the markup rendering keeps the italics"
        );
        assert_eq!(
            list(
                "If *quiz* is passed, only quizzes. If *regular* is passed, only regular ones.",
                ""
            ),
            Some((v(&["quiz", "regular"]), false))
        );
        assert_eq!(
            list("Send 'attach://<name>' or 'x' to upload", ""),
            None,
            "a placeholder is no value"
        );
        assert_eq!(list("The user's name, as 'set'", ""), None);
        assert_eq!(
            closed_list("Style. Must be one of 'image/jpeg', 'image/gif' or 'video/mp4'."),
            Some(v(&["image/jpeg", "image/gif", "video/mp4"]))
        );
    }

    fn field(name: &str, ty: &str) -> Field {
        Field {
            name: name.into(),
            ty: ty.into(),
            ..Field::default()
        }
    }

    #[test]
    fn ranges_and_defaults() {
        let mut f = field("limit", "Integer");
        mine_field(
            &mut f,
            "How many to fetch. Values between 1-50 are fine. Defaults to 20.",
            &[],
        );
        assert_eq!(
            (f.min, f.max, f.default),
            (Some(1.0), Some(50.0), Some(20.into()))
        );
        let mut f = field("max_quantity", "Integer");
        mine_field(&mut f, "Upper bound of picks; 1-10. Defaults to 1.", &[]);
        assert_eq!((f.min, f.max), (Some(1.0), Some(10.0)));
        let mut f = field("mime", "String");
        mine_field(&mut f, "Type of the preview, defaults to “image/png”.", &[]);
        assert_eq!(f.default, Some("image/png".into()));
        let mut f = field("flag", "Boolean");
        mine_field(&mut f, "Whether to do it. Defaults to False.", &[]);
        assert_eq!(f.default, Some(false.into()));
    }

    #[test]
    fn lengths_and_entity_parsing() {
        let mut f = field("caption", "String");
        mine_field(
            &mut f,
            "Caption text, 0-200 characters after entities parsing",
            &["parse_mode"],
        );
        assert_eq!(
            (f.min_len, f.max_len, f.len_unit),
            (Some(0), Some(200), Some(LenUnit::Chars))
        );
        assert_eq!(f.len_parsed_with.as_deref(), Some("parse_mode"));
        let mut f = field("quote", "String");
        mine_field(
            &mut f,
            "Quoted part, 0-100 characters after entities parsing",
            &["quote_parse_mode", "parse_mode"],
        );
        assert_eq!(f.len_parsed_with.as_deref(), Some("quote_parse_mode"));
        let mut f = field("data", "String");
        mine_field(&mut f, "Payload of 1-32 bytes", &[]);
        assert_eq!(f.len_unit, Some(LenUnit::Bytes));
    }

    #[test]
    fn items_enums_constants_uploads() {
        let mut f = field("options", "Array of String");
        mine_field(&mut f, "Answers to offer, 2-8 items", &[]);
        assert_eq!((f.min_items, f.max_items), (Some(2), Some(8)));
        let mut f = field("mode", "String");
        mine_field(
            &mut f,
            "Style to use. Must be one of “plain”, “fancy” or “bold”.",
            &[],
        );
        assert_eq!(
            f.allowed,
            Some(vec!["plain".into(), "fancy".into(), "bold".into()])
        );
        assert_eq!(
            constant_value("Status of the member, always “owner”"),
            Some("owner".into())
        );
        assert_eq!(
            constant_value("Kind of the result, must be *gif*"),
            Some("gif".into())
        );
        assert_eq!(constant_value("Some unrelated prose"), None);
        let mut f = field("mode", "String");
        mine_field(
            &mut f,
            "Style to use. Currently, must be one of “plain” or “fancy”.",
            &[],
        );
        assert_eq!(f.allowed, None, "a current list is open");
        let mut f = field("mode", "String");
        mine_field(&mut f, "Style, can be either “plain” or “fancy”.", &[]);
        assert_eq!(f.allowed, None, "only \"must be\" closes a list");
        let mut f = field("thumb", "InputFile or String");
        mine_field(
            &mut f,
            "Preview picture; keep it less than 100 kB please",
            &[],
        );
        assert_eq!(f.max_upload, Some(102_400));
        assert_eq!(
            method_upload_limit("Files go up to 20 MB for now."),
            Some(20 * 1024 * 1024)
        );
    }
}
