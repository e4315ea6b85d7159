//! Telegram's MarkdownV2 (`parse_mode` `MarkdownV2`): escaping, and a text
//! with its entities written out in it.
//!
//! The rules, from the Bot API's "Formatting options": outside code a
//! backslash makes any character from 1 to 126 plain, and the characters
//! `_ * [ ] ( ) ~ ` > # + - = | { } . !` (and the backslash itself) must be
//! escaped; inside `code` and `pre` only `` ` `` and `\`; inside the `(...)`
//! of a link or custom emoji only `)` and `\`. Where `_` and `__` would
//! touch, an empty entity goes between them (`__` is always read first).
//! How quotes, line breaks and `pre` openings are read follows TDLib's
//! parser (`parse_markdown_v2` in td/telegram/MessageEntity.cpp).
//!
//! ```
//! use botapi::kit::format::{markdown_v2, Text};
//!
//! assert_eq!(markdown_v2::escape("1+1=2 (really)."), r"1\+1\=2 \(really\)\.");
//! let t = Text::new().bold("Total:").push(" 3.50 €");
//! assert_eq!(t.to_markdown_v2(), r"*Total:* 3\.50 €");
//! ```

use super::spans::{plan, Event, Kind, Target};
use crate::types::MessageEntity;

/// The characters escaped outside code: the 18 the Bot API lists and the
/// backslash.
pub const RESERVED: [char; 19] = [
    '_', '*', '[', ']', '(', ')', '~', '`', '>', '#', '+', '-', '=', '|', '{', '}', '.', '!', '\\',
];

/// Escape `text` to appear as it is outside code spans (in plain text, bold,
/// italic, link texts, quotes, ...).
pub fn escape(text: &str) -> String {
    escape_set(text, &RESERVED)
}

/// Escape `text` to appear as it is inside `code` or `pre` (`` ` `` and `\`).
pub fn escape_code(text: &str) -> String {
    escape_set(text, &['`', '\\'])
}

/// Escape a URL for the `(...)` part of a link or custom emoji (`)` and `\`).
pub fn escape_link_url(url: &str) -> String {
    escape_set(url, &[')', '\\'])
}

fn escape_set(text: &str, set: &[char]) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if set.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Write `text` with its `entities` (as received in a message, or as built
/// by [`Text`](super::Text)) as MarkdownV2.
///
/// Kinds Telegram detects by itself (mentions by username, hashtags, URLs,
/// commands, e-mails, phone numbers) are written as plain text, as are
/// kinds this version does not know. What MarkdownV2 cannot say is fitted:
/// a block quote that does not start a line is left out (its text stays),
/// one that ends inside a line is stretched to the line's end, and an
/// entity forbidden where it stands (say, bold inside code) is left out.
pub fn render(text: &str, entities: &[MessageEntity]) -> String {
    let mut w = Writer {
        out: String::with_capacity(text.len() + text.len() / 4 + entities.len() * 4),
        open: Vec::new(),
        underscore: false,
        pre_start: false,
        quote_newline: false,
        quote_ended_at: None,
    };
    for event in plan(text, entities, Target::MarkdownV2) {
        match event {
            Event::Open(kind) => w.open(kind),
            Event::Close(kind) => w.close(kind),
            Event::Text(s) => w.text(s),
        }
    }
    w.out
}

struct Writer<'a> {
    out: String,
    open: Vec<Kind<'a>>,
    /// The output ends with a `_` or `__` mark.
    underscore: bool,
    /// A `pre` opened and nothing of its content is written yet.
    pre_start: bool,
    /// A quote closed and its line break comes next.
    quote_newline: bool,
    /// Output length right after a quote's line break.
    quote_ended_at: Option<usize>,
}

impl<'a> Writer<'a> {
    /// An empty entity, to keep two marks apart: empty bold, or empty code
    /// inside bold (where `**` would close and reopen it).
    fn separator(&mut self) {
        let sep = if self.open.contains(&Kind::Bold) {
            "``"
        } else {
            "**"
        };
        self.out.push_str(sep);
    }

    fn mark(&mut self, s: &str) {
        self.out.push_str(s);
        self.underscore = false;
    }

    fn underscore_mark(&mut self, s: &str) {
        if self.underscore {
            self.separator();
        }
        self.out.push_str(s);
        self.underscore = true;
    }

    fn open(&mut self, kind: Kind<'a>) {
        match kind {
            Kind::Bold => self.mark("*"),
            Kind::Italic => self.underscore_mark("_"),
            Kind::Underline => self.underscore_mark("__"),
            Kind::Strikethrough => self.mark("~"),
            Kind::Spoiler => self.mark("||"),
            Kind::Code => self.mark("`"),
            Kind::Pre(language) => {
                self.mark("```");
                // The language runs to the first space or backtick.
                if let Some(l) = language {
                    self.out
                        .extend(l.chars().filter(|c| !c.is_whitespace() && *c != '`'));
                }
                // One line break after the opening is not content.
                self.out.push('\n');
                self.pre_start = true;
            }
            Kind::Link(_) | Kind::Mention(_) => self.mark("["),
            Kind::Emoji(_) | Kind::Time(..) => self.mark("!["),
            Kind::Quote { .. } => {
                // `>` right after the line break that ended a quote would
                // continue that quote.
                if self.quote_ended_at == Some(self.out.len()) {
                    self.separator();
                }
                self.mark(">");
            }
        }
        self.open.push(kind);
    }

    fn close(&mut self, kind: Kind<'a>) {
        if let Some(i) = self.open.iter().rposition(|k| *k == kind) {
            self.open.remove(i);
        }
        match kind {
            Kind::Bold => self.mark("*"),
            Kind::Italic => self.underscore_mark("_"),
            Kind::Underline => self.underscore_mark("__"),
            Kind::Strikethrough => self.mark("~"),
            Kind::Spoiler => self.mark("||"),
            Kind::Code => self.mark("`"),
            Kind::Pre(_) => {
                self.mark("```");
                self.pre_start = false;
            }
            Kind::Link(url) => {
                self.mark("](");
                self.out.push_str(&escape_link_url(url));
                self.out.push(')');
            }
            Kind::Mention(id) => {
                self.mark("](tg://user?id=");
                self.out.push_str(&id.to_string());
                self.out.push(')');
            }
            Kind::Emoji(id) => {
                self.mark("](tg://emoji?id=");
                self.out.push_str(&escape_link_url(id));
                self.out.push(')');
            }
            Kind::Time(unix, format) => {
                self.mark("](tg://time?unix=");
                self.out.push_str(&unix.to_string());
                if let Some(f) = format {
                    self.out.push_str("&format=");
                    self.out.push_str(&escape_link_url(f));
                }
                self.out.push(')');
            }
            Kind::Quote {
                expandable,
                newline,
            } => {
                // `||` right before the quote's end makes it expandable.
                if expandable {
                    self.mark("||");
                }
                self.quote_newline = newline;
            }
        }
    }

    fn text(&mut self, s: &str) {
        let in_code = self.open.last().is_some_and(Kind::is_code);
        let in_quote = self.open.iter().any(Kind::is_quote);
        for c in s.chars() {
            if in_code {
                // A line break or carriage return first in a `pre` would be
                // taken for the one after its opening.
                if c == '`' || c == '\\' || (self.pre_start && c == '\r') {
                    self.out.push('\\');
                }
                self.out.push(c);
            } else {
                if RESERVED.contains(&c) {
                    self.out.push('\\');
                }
                self.out.push(c);
                if c == '\n' {
                    if in_quote {
                        self.out.push('>');
                    } else if self.quote_newline {
                        self.quote_ended_at = Some(self.out.len());
                    }
                }
            }
            self.quote_newline = false;
            self.pre_start = false;
            self.underscore = false;
        }
    }
}
