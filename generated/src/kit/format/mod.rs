//! Formatted text: a builder of text plus [`MessageEntity`] list, escaping
//! for the three parse modes, and rendering a text with entities to HTML
//! and MarkdownV2.
//!
//! A [`Text`] holds a string and its entities, with offsets and lengths in
//! UTF-16 units as the Bot API counts them. It goes straight into a send as
//! `text` and `entities` (or `caption` and `caption_entities`), with no
//! parse mode and nothing to escape:
//!
//! ```no_run
//! use botapi::kit::format::{bold, Text};
//!
//! # async fn run(client: botapi::Client, chat: botapi::ids::ChatId) -> Result<(), botapi::Error> {
//! let name = "Ada <the first> *programmer*"; // any text: nothing to escape
//! let text = Text::new()
//!     .push("Hello, ")
//!     .push(bold(name))
//!     .push("! Read ")
//!     .link("the guide", "https://example.com/guide")
//!     .push(" or run ")
//!     .code("/help");
//! client.send_message(chat, &text).entities(&text).await?;
//! # Ok(()) }
//! ```
//!
//! Parts nest: every function taking `impl Into<Text>` takes a plain
//! `&str`/`String` or a `Text` that is already formatted, so
//! `bold(italic("x"))` is bold italic. Telegram's nesting rules apply to
//! what is sent: bold, italic, underline, strikethrough and spoiler go
//! around or inside anything but code and pre; block quotes do not nest;
//! links, mentions, custom emoji, dates and code do not hold one another.
//!
//! A received message renders back to markup with [`html::render`] and
//! [`markdown_v2::render`] (or [`Text::from_parts`] and
//! [`Text::to_html`]):
//!
//! ```
//! use botapi::kit::format::{bold, Text};
//!
//! let t = Text::new().push("x < y ").push(bold("for all 👍"));
//! assert_eq!(t.to_html(), "x &lt; y <b>for all 👍</b>");
//! assert_eq!(t.to_markdown_v2(), "x < y *for all 👍*");
//! // 👍 is two UTF-16 units: the bold run is 10 long.
//! assert_eq!((t.entities()[0].offset, t.entities()[0].length), (6, 10));
//! ```

pub mod html;
pub mod markdown;
pub mod markdown_v2;
#[cfg(test)]
mod parse_back;
mod spans;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::ids::UserId;
use crate::types::{MessageEntity, MessageEntityType, User};

/// A text and its entities, offsets in UTF-16 units; built part by part.
///
/// Entities are kept sorted by offset, outer before inner. Empty parts add
/// no entity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text {
    text: String,
    entities: Vec<MessageEntity>,
    len16: usize,
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

fn as_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Text {
    /// An empty text.
    pub fn new() -> Text {
        Text::default()
    }

    /// A text with entities as received (`message.text` and
    /// `message.entities`, or a caption and its entities), to render or to
    /// build on. The entities are kept as they are.
    pub fn from_parts(text: impl Into<String>, entities: impl Into<Vec<MessageEntity>>) -> Text {
        let text = text.into();
        let len16 = utf16_len(&text);
        Text {
            text,
            entities: entities.into(),
            len16,
        }
    }

    /// The plain text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The entities.
    pub fn entities(&self) -> &[MessageEntity] {
        &self.entities
    }

    /// The text and its entities.
    pub fn into_parts(self) -> (String, Vec<MessageEntity>) {
        (self.text, self.entities)
    }

    /// Length in UTF-16 units, as the Bot API counts offsets and lengths.
    pub fn len_utf16(&self) -> usize {
        self.len16
    }

    /// True when there is no text.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Append `part` (plain text or a formatted `Text`).
    pub fn append(&mut self, part: impl Into<Text>) -> &mut Text {
        let part = part.into();
        let shift = as_i64(self.len16);
        self.text.push_str(&part.text);
        self.entities.extend(part.entities.into_iter().map(|mut e| {
            e.offset = e.offset.saturating_add(shift);
            e
        }));
        self.len16 += part.len16;
        self
    }

    /// This text followed by `part` (plain text or a formatted `Text`).
    #[must_use]
    pub fn push(mut self, part: impl Into<Text>) -> Text {
        self.append(part);
        self
    }

    /// Write it out as Telegram HTML.
    pub fn to_html(&self) -> String {
        html::render(&self.text, &self.entities)
    }

    /// Write it out as MarkdownV2.
    pub fn to_markdown_v2(&self) -> String {
        markdown_v2::render(&self.text, &self.entities)
    }
}

macro_rules! wrapped {
    ($($(#[$doc:meta])* $name:ident => $kind:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(part: impl Into<Text>) -> Text {
                with_entity(part, MessageEntity::new(MessageEntityType::$kind, 0, 0))
            }
        )*
        impl Text {
            $(
                $(#[$doc])*
                ///
                /// Appended to this text.
                #[must_use]
                pub fn $name(self, part: impl Into<Text>) -> Text {
                    self.push($name(part))
                }
            )*
        }
    };
}

wrapped! {
    /// `part` in bold.
    bold => Bold;
    /// `part` in italics.
    italic => Italic;
    /// `part` underlined.
    underline => Underline;
    /// `part` struck through.
    strikethrough => Strikethrough;
    /// `part` hidden under a spoiler.
    spoiler => Spoiler;
    /// `part` as a block quote.
    blockquote => Blockquote;
    /// `part` as a block quote shown collapsed.
    expandable_blockquote => ExpandableBlockquote;
    /// `part` marked as a mention by username (`@name`); Telegram finds
    /// these by itself in sent text.
    mention => Mention;
    /// `part` marked as a hashtag (`#tag`); Telegram finds these by itself.
    hashtag => Hashtag;
    /// `part` marked as a cashtag (`$USD`); Telegram finds these by itself.
    cashtag => Cashtag;
    /// `part` marked as a bot command (`/start`); Telegram finds these by itself.
    bot_command => BotCommand;
    /// `part` marked as a URL; Telegram finds these by itself.
    url => Url;
    /// `part` marked as an e-mail address; Telegram finds these by itself.
    email => Email;
    /// `part` marked as a phone number; Telegram finds these by itself.
    phone_number => PhoneNumber;
}

/// `part` covered by `entity` (its offset and length are set here): for
/// kinds without a helper, or new ones (`MessageEntityType::Other`).
pub fn with_entity(part: impl Into<Text>, mut entity: MessageEntity) -> Text {
    let mut t = part.into();
    if t.len16 == 0 {
        return t;
    }
    entity.offset = 0;
    entity.length = as_i64(t.len16);
    t.entities.insert(0, entity);
    t
}

/// Plain text, as a `Text` (same as `Text::from(s)`).
pub fn plain(s: impl Into<String>) -> Text {
    Text::from(s.into())
}

/// `code` as inline code (plain text only: code holds no other entity).
pub fn code(code: &str) -> Text {
    with_entity(code, MessageEntity::new(MessageEntityType::Code, 0, 0))
}

/// `code` as a code block, highlighted as `language` if given (`"rust"`).
pub fn pre(code: &str, language: Option<&str>) -> Text {
    let mut e = MessageEntity::new(MessageEntityType::Pre, 0, 0);
    e.language = language.filter(|l| !l.is_empty()).map(crate::Str::from);
    with_entity(code, e)
}

/// `part` as a link to `url`.
pub fn link(part: impl Into<Text>, url: impl Into<crate::Str>) -> Text {
    with_entity(
        part,
        MessageEntity::new(MessageEntityType::TextLink, 0, 0).url(url),
    )
}

/// `part` as a mention of `user` (works for users without a username).
pub fn text_mention(part: impl Into<Text>, user: &User) -> Text {
    with_entity(
        part,
        MessageEntity::new(MessageEntityType::TextMention, 0, 0).user(user.clone()),
    )
}

/// `part` as a mention of the user with id `user`. Telegram reads only the
/// id of the `user` object sent, which is all this one holds; the mention
/// works when the user can be seen by the bot (the Bot API's note on
/// `tg://user?id=` links).
pub fn text_mention_id(part: impl Into<Text>, user: UserId) -> Text {
    with_entity(
        part,
        MessageEntity::new(MessageEntityType::TextMention, 0, 0).user(User::new(user, false, "")),
    )
}

/// A custom emoji: `emoji` is the ordinary emoji shown where the custom one
/// cannot be (notifications, ...), `custom_emoji_id` the custom one.
pub fn custom_emoji(emoji: &str, custom_emoji_id: impl Into<crate::Str>) -> Text {
    with_entity(
        emoji,
        MessageEntity::new(MessageEntityType::CustomEmoji, 0, 0).custom_emoji_id(custom_emoji_id),
    )
}

/// A date and time (`unix_time`), shown as `label` and, on clients that
/// can, in the reader's own format: `format` follows the Bot API's
/// "date-time entity formatting" (`r` relative, or `w`, `d`/`D`, `t`/`T`
/// for weekday, short/long date, short/long time); `None` shows `label`.
pub fn date_time(label: impl Into<Text>, unix_time: i64, format: Option<&str>) -> Text {
    let mut e = MessageEntity::new(MessageEntityType::DateTime, 0, 0).unix_time(unix_time);
    e.date_time_format = format.filter(|f| !f.is_empty()).map(crate::Str::from);
    with_entity(label, e)
}

impl Text {
    /// Plain text appended (same as [`Text::push`] with a string).
    #[must_use]
    pub fn plain(self, s: impl Into<String>) -> Text {
        self.push(plain(s))
    }

    /// Inline code appended; see [`code`].
    #[must_use]
    pub fn code(self, code_text: &str) -> Text {
        self.push(code(code_text))
    }

    /// A code block appended; see [`pre`].
    #[must_use]
    pub fn pre(self, code_text: &str, language: Option<&str>) -> Text {
        self.push(pre(code_text, language))
    }

    /// A link appended; see [`link`].
    #[must_use]
    pub fn link(self, part: impl Into<Text>, url: impl Into<crate::Str>) -> Text {
        self.push(link(part, url))
    }

    /// A mention of `user` appended; see [`text_mention`].
    #[must_use]
    pub fn text_mention(self, part: impl Into<Text>, user: &User) -> Text {
        self.push(text_mention(part, user))
    }

    /// A mention by user id appended; see [`text_mention_id`].
    #[must_use]
    pub fn text_mention_id(self, part: impl Into<Text>, user: UserId) -> Text {
        self.push(text_mention_id(part, user))
    }

    /// A custom emoji appended; see [`custom_emoji`].
    #[must_use]
    pub fn custom_emoji(self, emoji: &str, custom_emoji_id: impl Into<crate::Str>) -> Text {
        self.push(custom_emoji(emoji, custom_emoji_id))
    }

    /// A date and time appended; see [`date_time`].
    #[must_use]
    pub fn date_time(self, label: impl Into<Text>, unix_time: i64, format: Option<&str>) -> Text {
        self.push(date_time(label, unix_time, format))
    }

    /// `part` covered by `entity` appended; see [`with_entity`].
    #[must_use]
    pub fn with_entity(self, part: impl Into<Text>, entity: MessageEntity) -> Text {
        self.push(with_entity(part, entity))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::from(s.to_string())
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text::from(s.clone())
    }
}

impl From<crate::Str> for Text {
    fn from(s: crate::Str) -> Text {
        Text::from(String::from(s))
    }
}

impl From<&crate::Str> for Text {
    fn from(s: &crate::Str) -> Text {
        Text::from(s.as_str())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        let len16 = utf16_len(&text);
        Text {
            text,
            entities: Vec::new(),
            len16,
        }
    }
}

impl From<&Text> for Text {
    fn from(t: &Text) -> Text {
        t.clone()
    }
}

/// The plain text, for a send's `text` or `caption`.
impl From<&Text> for String {
    fn from(t: &Text) -> String {
        t.text.clone()
    }
}

/// The plain text, for a send's `text` or `caption`.
impl From<&Text> for crate::Str {
    fn from(t: &Text) -> crate::Str {
        crate::Str::from(t.text.as_str())
    }
}

/// The entities, for a send's `entities` or `caption_entities`.
impl From<&Text> for Vec<MessageEntity> {
    fn from(t: &Text) -> Vec<MessageEntity> {
        t.entities.clone()
    }
}

impl<T: Into<Text>> Extend<T> for Text {
    fn extend<I: IntoIterator<Item = T>>(&mut self, parts: I) {
        for p in parts {
            self.append(p);
        }
    }
}

impl<T: Into<Text>> FromIterator<T> for Text {
    fn from_iter<I: IntoIterator<Item = T>>(parts: I) -> Text {
        let mut t = Text::new();
        t.extend(parts);
        t
    }
}

/// The plain text, without formatting.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
