//! Keyboards: inline keyboards under a message and reply keyboards in
//! place of the user's own, built from rows of buttons named by what they
//! do, and checked against the schema's limits when built.
//!
//! ```
//! use botapi::kit::keyboard::{InlineButton, InlineKeyboard, KeyButton, ReplyKeyboard};
//!
//! let markup = InlineKeyboard::new()
//!     .row([InlineButton::callback("Yes", "vote:yes"), InlineButton::callback("No", "vote:no")])
//!     .row([InlineButton::url("Why?", "https://example.com/faq")])
//!     .build()?;
//! assert_eq!(markup.inline_keyboard[0][1].callback_data.as_deref(), Some("vote:no"));
//!
//! // Rows from nested arrays, or from any iterator of iterators.
//! let digits = InlineKeyboard::from_rows((1..=9).collect::<Vec<_>>().chunks(3).map(|row| {
//!     row.iter().map(|d| InlineButton::callback(d.to_string(), format!("digit:{d}")))
//! }));
//! assert_eq!(digits.build()?.inline_keyboard.len(), 3);
//!
//! let keys = ReplyKeyboard::from_rows([[KeyButton::text("Menu"), KeyButton::location("Where am I")]])
//!     .resize()
//!     .one_time()
//!     .build()?;
//! assert_eq!(keys.keyboard[0][1].request_location, Some(true));
//!
//! // Callback data is 1 to 64 bytes: a longer one is refused when built,
//! // with the button's place in the message.
//! let err = InlineKeyboard::new()
//!     .row([InlineButton::callback("ok", "x".repeat(65))])
//!     .build()
//!     .unwrap_err();
//! assert_eq!(
//!     err.violations[0].path,
//!     "InlineKeyboardMarkup.inline_keyboard[0][0].callback_data"
//! );
//! # Ok::<(), botapi::ValidationError>(())
//! ```
//!
//! A built keyboard goes to a send's `reply_markup`:
//! `client.send_message(chat, "Vote").reply_markup(markup)`. The buttons
//! are the generated types, so every option they have (`style`,
//! `icon_custom_emoji_id`, ...) is a setter away:
//! `InlineButton::callback("Delete", "del").style(ButtonStyle::Danger)`.

use crate::types::{
    CallbackGame, CopyTextButton, ForceReply, InlineKeyboardButton, InlineKeyboardMarkup,
    KeyboardButton, KeyboardButtonPollType, KeyboardButtonRequestChat, KeyboardButtonRequestUsers,
    LoginUrl, PollType, ReplyKeyboardMarkup, ReplyKeyboardRemove, SwitchInlineQueryChosenChat,
    WebAppInfo,
};
use crate::validate::{ValidationError, Validator};

/// Inline keyboard buttons, one constructor per action. Each returns the
/// generated [`InlineKeyboardButton`], so its other options are setters.
#[derive(Debug, Clone, Copy)]
pub struct InlineButton;

impl InlineButton {
    /// Sends a callback query with `data` (1 to 64 bytes) to the bot.
    pub fn callback(
        text: impl Into<crate::Str>,
        data: impl Into<crate::Str>,
    ) -> InlineKeyboardButton {
        InlineKeyboardButton::new(text).callback_data(data)
    }

    /// Opens `url` (`http(s)://`, or `tg://user?id=` for a user).
    pub fn url(text: impl Into<crate::Str>, url: impl Into<crate::Str>) -> InlineKeyboardButton {
        InlineKeyboardButton::new(text).url(url)
    }

    /// Opens the Web App at `url`.
    pub fn web_app(
        text: impl Into<crate::Str>,
        url: impl Into<crate::Str>,
    ) -> InlineKeyboardButton {
        InlineKeyboardButton::new(text).web_app(WebAppInfo::new(url))
    }

    /// Signs the user in to the site at `url` (Telegram Login).
    pub fn login(text: impl Into<crate::Str>, url: impl Into<crate::Str>) -> InlineKeyboardButton {
        InlineKeyboardButton::new(text).login_url(LoginUrl::new(url))
    }

    /// Lets the user pick a chat and starts an inline query of this bot
    /// there, with `query` typed in.
    pub fn switch_inline(
        text: impl Into<crate::Str>,
        query: impl Into<crate::Str>,
    ) -> InlineKeyboardButton {
        InlineKeyboardButton::new(text).switch_inline_query(query)
    }

    /// Starts an inline query of this bot in the current chat, with `query`
    /// typed in.
    pub fn switch_inline_here(
        text: impl Into<crate::Str>,
        query: impl Into<crate::Str>,
    ) -> InlineKeyboardButton {
        InlineKeyboardButton::new(text).switch_inline_query_current_chat(query)
    }

    /// Lets the user pick a chat of the kinds `chosen` allows and starts an
    /// inline query there.
    pub fn switch_inline_chosen(
        text: impl Into<crate::Str>,
        chosen: SwitchInlineQueryChosenChat,
    ) -> InlineKeyboardButton {
        InlineKeyboardButton::new(text).switch_inline_query_chosen_chat(chosen)
    }

    /// Copies `copied` (1 to 256 characters) to the clipboard.
    pub fn copy_text(
        text: impl Into<crate::Str>,
        copied: impl Into<crate::Str>,
    ) -> InlineKeyboardButton {
        InlineKeyboardButton::new(text).copy_text(CopyTextButton::new(copied))
    }

    /// Launches the game of the message (first button of a game message).
    pub fn game(text: impl Into<crate::Str>) -> InlineKeyboardButton {
        InlineKeyboardButton::new(text).callback_game(CallbackGame::new())
    }

    /// The Pay button of an invoice (first button of an invoice message).
    pub fn pay(text: impl Into<crate::Str>) -> InlineKeyboardButton {
        InlineKeyboardButton::new(text).pay(true)
    }
}

/// An inline keyboard, row by row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InlineKeyboard {
    rows: Vec<Vec<InlineKeyboardButton>>,
}

impl InlineKeyboard {
    /// No buttons yet.
    pub fn new() -> InlineKeyboard {
        InlineKeyboard::default()
    }

    /// Rows from nested arrays, vectors or iterators of buttons.
    pub fn from_rows<R, B>(rows: R) -> InlineKeyboard
    where
        R: IntoIterator<Item = B>,
        B: IntoIterator<Item = InlineKeyboardButton>,
    {
        InlineKeyboard {
            rows: rows.into_iter().map(|r| r.into_iter().collect()).collect(),
        }
    }

    /// `buttons` laid out `per_row` to a row (the last row may be shorter).
    pub fn grid(
        buttons: impl IntoIterator<Item = InlineKeyboardButton>,
        per_row: usize,
    ) -> InlineKeyboard {
        InlineKeyboard {
            rows: chunk(buttons, per_row),
        }
    }

    /// A row of buttons added below.
    #[must_use]
    pub fn row(
        mut self,
        buttons: impl IntoIterator<Item = InlineKeyboardButton>,
    ) -> InlineKeyboard {
        self.rows.push(buttons.into_iter().collect());
        self
    }

    /// One button added at the end of the last row (a first row if none).
    #[must_use]
    pub fn button(mut self, button: InlineKeyboardButton) -> InlineKeyboard {
        match self.rows.last_mut() {
            Some(row) => row.push(button),
            None => self.rows.push(vec![button]),
        }
        self
    }

    /// The rows so far.
    pub fn rows(&self) -> &[Vec<InlineKeyboardButton>] {
        &self.rows
    }

    /// The markup, once every button passes the schema's checks (one
    /// action per button, callback data of 1 to 64 bytes, copied text of
    /// 1 to 256 characters, ...); every violation is reported at once, at
    /// its button's path.
    pub fn build(self) -> Result<InlineKeyboardMarkup, ValidationError> {
        let markup = InlineKeyboardMarkup::new(self.rows);
        Validator::run("InlineKeyboardMarkup", &markup)?;
        Ok(markup)
    }
}

/// Reply keyboard buttons, one constructor per action. Each returns the
/// generated [`KeyboardButton`], so its other options are setters.
#[derive(Debug, Clone, Copy)]
pub struct KeyButton;

impl KeyButton {
    /// Sends its text as a message.
    pub fn text(text: impl Into<crate::Str>) -> KeyboardButton {
        KeyboardButton::new(text)
    }

    /// Sends the user's phone number (private chats only).
    pub fn contact(text: impl Into<crate::Str>) -> KeyboardButton {
        KeyboardButton::new(text).request_contact(true)
    }

    /// Sends the user's location (private chats only).
    pub fn location(text: impl Into<crate::Str>) -> KeyboardButton {
        KeyboardButton::new(text).request_location(true)
    }

    /// Asks the user to create a poll, of `kind` if given.
    pub fn poll(text: impl Into<crate::Str>, kind: Option<PollType>) -> KeyboardButton {
        let mut poll = KeyboardButtonPollType::new();
        poll.type_ = kind;
        KeyboardButton::new(text).request_poll(poll)
    }

    /// Opens the Web App at `url`, which may send data back.
    pub fn web_app(text: impl Into<crate::Str>, url: impl Into<crate::Str>) -> KeyboardButton {
        KeyboardButton::new(text).web_app(WebAppInfo::new(url))
    }

    /// Lets the user pick users to share with the bot.
    pub fn request_users(
        text: impl Into<crate::Str>,
        request: KeyboardButtonRequestUsers,
    ) -> KeyboardButton {
        KeyboardButton::new(text).request_users(request)
    }

    /// Lets the user pick a chat to share with the bot.
    pub fn request_chat(
        text: impl Into<crate::Str>,
        request: KeyboardButtonRequestChat,
    ) -> KeyboardButton {
        KeyboardButton::new(text).request_chat(request)
    }
}

/// A reply keyboard, row by row, with its display options.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplyKeyboard {
    markup: ReplyKeyboardMarkup,
}

impl Default for ReplyKeyboard {
    fn default() -> ReplyKeyboard {
        ReplyKeyboard::new()
    }
}

impl ReplyKeyboard {
    /// No buttons yet.
    pub fn new() -> ReplyKeyboard {
        ReplyKeyboard {
            markup: ReplyKeyboardMarkup::new(Vec::<Vec<KeyboardButton>>::new()),
        }
    }

    /// Rows from nested arrays, vectors or iterators of buttons.
    pub fn from_rows<R, B>(rows: R) -> ReplyKeyboard
    where
        R: IntoIterator<Item = B>,
        B: IntoIterator<Item = KeyboardButton>,
    {
        let mut k = ReplyKeyboard::new();
        k.markup.keyboard = rows.into_iter().map(|r| r.into_iter().collect()).collect();
        k
    }

    /// `buttons` laid out `per_row` to a row (the last row may be shorter).
    pub fn grid(
        buttons: impl IntoIterator<Item = KeyboardButton>,
        per_row: usize,
    ) -> ReplyKeyboard {
        let mut k = ReplyKeyboard::new();
        k.markup.keyboard = chunk(buttons, per_row);
        k
    }

    /// A row of buttons added below.
    #[must_use]
    pub fn row(mut self, buttons: impl IntoIterator<Item = KeyboardButton>) -> ReplyKeyboard {
        self.markup.keyboard.push(buttons.into_iter().collect());
        self
    }

    /// One button added at the end of the last row (a first row if none).
    #[must_use]
    pub fn button(mut self, button: KeyboardButton) -> ReplyKeyboard {
        match self.markup.keyboard.last_mut() {
            Some(row) => row.push(button),
            None => self.markup.keyboard.push(vec![button]),
        }
        self
    }

    /// Let clients make the keyboard as small as its buttons.
    #[must_use]
    pub fn resize(mut self) -> ReplyKeyboard {
        self.markup.resize_keyboard = Some(true);
        self
    }

    /// Hide the keyboard once a button is pressed.
    #[must_use]
    pub fn one_time(mut self) -> ReplyKeyboard {
        self.markup.one_time_keyboard = Some(true);
        self
    }

    /// Keep the keyboard shown when the user hides the system one.
    #[must_use]
    pub fn persistent(mut self) -> ReplyKeyboard {
        self.markup.is_persistent = Some(true);
        self
    }

    /// Show only to the users the message mentions or replies to.
    #[must_use]
    pub fn selective(mut self) -> ReplyKeyboard {
        self.markup.selective = Some(true);
        self
    }

    /// Text shown in the empty input field (1 to 64 characters).
    #[must_use]
    pub fn placeholder(mut self, text: impl Into<crate::Str>) -> ReplyKeyboard {
        self.markup.input_field_placeholder = Some(text.into());
        self
    }

    /// The markup, once every button and option passes the schema's checks
    /// (placeholder of 1 to 64 characters, the limits of each request, ...);
    /// every violation is reported at once. A button asking for two things
    /// passes: Telegram uses the first in its own order
    /// ([`KeyboardButton`]'s docs).
    pub fn build(self) -> Result<ReplyKeyboardMarkup, ValidationError> {
        Validator::run("ReplyKeyboardMarkup", &self.markup)?;
        Ok(self.markup)
    }

    /// Markup that removes a reply keyboard shown before.
    pub fn remove() -> ReplyKeyboardRemove {
        ReplyKeyboardRemove::new(true)
    }

    /// Markup that opens a reply to the bot's message in the user's client.
    pub fn force_reply() -> ForceReply {
        ForceReply::new(true)
    }
}

fn chunk<T>(items: impl IntoIterator<Item = T>, per_row: usize) -> Vec<Vec<T>> {
    let per_row = per_row.max(1);
    let mut rows: Vec<Vec<T>> = Vec::new();
    for item in items {
        match rows.last_mut() {
            Some(row) if row.len() < per_row => row.push(item),
            _ => rows.push(vec![item]),
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::ButtonStyle;

    #[test]
    fn every_action_builds_a_valid_button() {
        let markup = InlineKeyboard::new()
            .row([
                InlineButton::callback("a", "a"),
                InlineButton::url("b", "https://e.x"),
                InlineButton::web_app("c", "https://e.x/app"),
                InlineButton::login("d", "https://e.x/login"),
            ])
            .row([
                InlineButton::switch_inline("e", "q"),
                InlineButton::switch_inline_here("f", ""),
                InlineButton::switch_inline_chosen(
                    "g",
                    SwitchInlineQueryChosenChat::new().allow_user_chats(true),
                ),
                InlineButton::copy_text("h", "copied"),
            ])
            .button(InlineButton::game("i"))
            .button(InlineButton::pay("j").style(ButtonStyle::Success))
            .build()
            .expect("valid");
        assert_eq!(markup.inline_keyboard.len(), 2);
        assert_eq!(markup.inline_keyboard[1].len(), 6);
        let json = serde_json::to_value(&markup).unwrap();
        assert_eq!(
            json["inline_keyboard"][1][5],
            serde_json::json!({"text": "j", "style": "success", "pay": true})
        );
    }

    #[test]
    fn limits_are_checked_when_built() {
        let err = InlineKeyboard::from_rows(vec![
            vec![InlineButton::callback("ok", "x")],
            vec![
                InlineButton::callback("empty", ""),
                InlineButton::callback("long", "é".repeat(33)),
                InlineButton::copy_text("c", "x".repeat(257)),
                InlineKeyboardButton::new("no action"),
            ],
        ])
        .build()
        .unwrap_err();
        let paths: Vec<&str> = err.violations.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "InlineKeyboardMarkup.inline_keyboard[1][0].callback_data",
                "InlineKeyboardMarkup.inline_keyboard[1][1].callback_data",
                "InlineKeyboardMarkup.inline_keyboard[1][2].copy_text.text",
                "InlineKeyboardMarkup.inline_keyboard[1][3]",
            ]
        );
        // 64 bytes exactly pass, whatever the characters.
        assert!(InlineKeyboard::new()
            .button(InlineButton::callback("ok", "é".repeat(32)))
            .build()
            .is_ok());
        // Two requests on one button pass (Telegram takes the first); the
        // empty placeholder does not.
        let err = ReplyKeyboard::new()
            .button(KeyButton::contact("c").request_location(true))
            .placeholder("")
            .build()
            .unwrap_err();
        let paths: Vec<&str> = err.violations.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(
            paths,
            ["ReplyKeyboardMarkup.input_field_placeholder"],
            "{err}"
        );
    }

    #[test]
    fn rows_and_grids() {
        let k = InlineKeyboard::grid(
            (0..7).map(|i| InlineButton::callback(i.to_string(), i.to_string())),
            3,
        );
        let lens: Vec<usize> = k.rows().iter().map(Vec::len).collect();
        assert_eq!(lens, [3, 3, 1]);
        let r = ReplyKeyboard::grid(["a", "b", "c"].map(KeyButton::text), 2)
            .row([
                KeyButton::poll("p", Some(PollType::Quiz)),
                KeyButton::web_app("w", "https://e.x"),
            ])
            .persistent()
            .selective()
            .build()
            .unwrap();
        assert_eq!(r.keyboard.len(), 3);
        assert_eq!(r.is_persistent, Some(true));
        assert!(ReplyKeyboard::remove().remove_keyboard);
        assert!(ReplyKeyboard::force_reply().force_reply);
    }
}
