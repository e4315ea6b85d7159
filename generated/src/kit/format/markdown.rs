//! Telegram's legacy Markdown (`parse_mode` `Markdown`), kept by Telegram
//! for old bots: prefer [`Text`](super::Text) with entities, or
//! [`markdown_v2`](super::markdown_v2).
//!
//! The rules, from the Bot API's "Formatting options": outside an entity,
//! `_`, `*`, `` ` `` and `[` are escaped with a backslash; inside one
//! nothing can be escaped, so an entity is closed before its own closing
//! character and opened again after it (`_snake_\__case_` for italic
//! `snake_case`); entities do not nest; there is no underline,
//! strikethrough, spoiler, quote or custom emoji. The helpers here do that
//! splitting: the closing character itself ends up unstyled between two
//! styled runs.
//!
//! ```
//! use botapi::kit::format::markdown;
//!
//! assert_eq!(markdown::escape("snake_case *ptr"), r"snake\_case \*ptr");
//! assert_eq!(markdown::italic("snake_case"), r"_snake_\__case_");
//! assert_eq!(markdown::bold("2*2=4"), r"*2*\**2=4*");
//! ```

/// The characters escaped outside entities.
pub const RESERVED: [char; 4] = ['_', '*', '`', '['];

/// Escape `text` to appear as it is outside entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if RESERVED.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Runs of `text` between occurrences of `end`, each wrapped in `open` and
/// `end`, joined by an escaped `end`.
fn split_wrap(text: &str, open: &str, end: char) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, run) in text.split(end).enumerate() {
        if i > 0 {
            out.push('\\');
            out.push(end);
        }
        if !run.is_empty() {
            out.push_str(open);
            out.push_str(run);
            out.push(end);
        }
    }
    out
}

/// `text` in bold.
pub fn bold(text: &str) -> String {
    split_wrap(text, "*", '*')
}

/// `text` in italics.
pub fn italic(text: &str) -> String {
    split_wrap(text, "_", '_')
}

/// `text` as inline code.
pub fn code(text: &str) -> String {
    split_wrap(text, "`", '`')
}

/// `text` as a code block, with a language if given; `None` when legacy
/// Markdown cannot hold `text` (it contains ```` ``` ```` or ends with a
/// backtick), or the language holds a space or a backtick.
pub fn pre(text: &str, language: Option<&str>) -> Option<String> {
    if text.contains("```") || text.ends_with('`') {
        return None;
    }
    let language = language.unwrap_or("");
    if language.contains(|c: char| c.is_whitespace() || c == '`') {
        return None;
    }
    Some(format!("```{language}\n{text}```"))
}

/// A link: `text` opens `url`. A `]` in the text ends one link and starts
/// another; a `)` in the URL is written `%29`.
pub fn link(text: &str, url: &str) -> String {
    let url = url.replace(')', "%29");
    let mut out = String::with_capacity(text.len() + url.len() + 4);
    for (i, run) in text.split(']').enumerate() {
        if i > 0 {
            out.push(']');
        }
        if !run.is_empty() {
            out.push('[');
            out.push_str(run);
            out.push_str("](");
            out.push_str(&url);
            out.push(')');
        }
    }
    out
}

/// A mention of a user by id, showing `text`.
pub fn text_mention(text: &str, user: crate::ids::UserId) -> String {
    link(text, &format!("tg://user?id={}", user.get()))
}
