//! Telegram's HTML (`parse_mode` `HTML`): escaping, and a text with its
//! entities written out as the tags Telegram reads.
//!
//! The Bot API reads `&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric
//! references; every `<`, `>` and `&` that is not markup must be one of
//! them. [`escape`] also writes `"` as `&quot;`, so its output is safe in
//! text and in attribute values alike.
//!
//! ```
//! use botapi::kit::format::{html, Text};
//!
//! assert_eq!(html::escape("a < b && \"c\""), "a &lt; b &amp;&amp; &quot;c&quot;");
//! let t = Text::new().push("see ").link("the docs", "https://example.com/?a=1&b=2");
//! assert_eq!(t.to_html(), "see <a href=\"https://example.com/?a=1&amp;b=2\">the docs</a>");
//! ```

use super::spans::{plan, Event, Kind, Target};
use crate::types::MessageEntity;

/// Escape `text` for HTML text or a quoted attribute value: `&`, `<`, `>`
/// and `"`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// Write `text` with its `entities` (as received in a message, or as built
/// by [`Text`](super::Text)) as Telegram HTML.
///
/// Kinds Telegram detects by itself (mentions by username, hashtags, URLs,
/// commands, e-mails, phone numbers) are written as plain text, as are
/// kinds this version does not know; an entity forbidden where it stands
/// (say, bold inside code) is left out, its text kept.
pub fn render(text: &str, entities: &[MessageEntity]) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4 + entities.len() * 8);
    for event in plan(text, entities, Target::Html) {
        match event {
            Event::Text(s) => push_escaped(&mut out, s),
            Event::Open(kind) => open(&mut out, kind),
            Event::Close(kind) => close(&mut out, kind),
        }
    }
    out
}

fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_escaped(out, value);
    out.push('"');
}

fn open(out: &mut String, kind: Kind<'_>) {
    match kind {
        Kind::Bold => out.push_str("<b>"),
        Kind::Italic => out.push_str("<i>"),
        Kind::Underline => out.push_str("<u>"),
        Kind::Strikethrough => out.push_str("<s>"),
        Kind::Spoiler => out.push_str("<tg-spoiler>"),
        Kind::Code => out.push_str("<code>"),
        Kind::Pre(None) => out.push_str("<pre>"),
        Kind::Pre(Some(language)) => {
            out.push_str("<pre><code");
            attr(out, "class", &format!("language-{language}"));
            out.push('>');
        }
        Kind::Link(url) => {
            out.push_str("<a");
            attr(out, "href", url);
            out.push('>');
        }
        Kind::Mention(id) => {
            out.push_str("<a");
            attr(out, "href", &format!("tg://user?id={id}"));
            out.push('>');
        }
        Kind::Emoji(id) => {
            out.push_str("<tg-emoji");
            attr(out, "emoji-id", id);
            out.push('>');
        }
        Kind::Time(unix, format) => {
            out.push_str("<tg-time");
            attr(out, "unix", &unix.to_string());
            if let Some(f) = format {
                attr(out, "format", f);
            }
            out.push('>');
        }
        Kind::Quote {
            expandable: false, ..
        } => out.push_str("<blockquote>"),
        Kind::Quote {
            expandable: true, ..
        } => out.push_str("<blockquote expandable>"),
    }
}

fn close(out: &mut String, kind: Kind<'_>) {
    out.push_str(match kind {
        Kind::Bold => "</b>",
        Kind::Italic => "</i>",
        Kind::Underline => "</u>",
        Kind::Strikethrough => "</s>",
        Kind::Spoiler => "</tg-spoiler>",
        Kind::Code => "</code>",
        Kind::Pre(None) => "</pre>",
        Kind::Pre(Some(_)) => "</code></pre>",
        Kind::Link(_) | Kind::Mention(_) => "</a>",
        Kind::Emoji(_) => "</tg-emoji>",
        Kind::Time(..) => "</tg-time>",
        Kind::Quote { .. } => "</blockquote>",
    });
}
