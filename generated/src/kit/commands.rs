//! Bot commands: reading `/command@botname args` from a message, and one
//! definition of the commands for both `setMyCommands` and the parsing.
//!
//! A command is read where Telegram marked it: a `bot_command` entity at
//! the start of the text (or caption). `/start@other_bot` is for another
//! bot and is not read; `/start` and `/start@this_bot` are.
//!
//! ```
//! use botapi::kit::commands::{BotCommands, Command};
//! use botapi::types::{MessageEntity, MessageEntityType};
//!
//! botapi::bot_commands! {
//!     /// What the bot understands.
//!     pub enum Cmd {
//!         Start = "start": "Start the bot",
//!         Remind = "remind": "Remind me: /remind 10m tea",
//!     }
//! }
//!
//! // The list for setMyCommands, checked (names of a-z, 0-9 and _, ...).
//! let list = Cmd::bot_commands()?;
//! assert_eq!((list[1].command.as_str(), list[1].description.as_str()), ("remind", "Remind me: /remind 10m tea"));
//!
//! // A message as Telegram sends it: the entity marks `/remind@tea_bot`.
//! let text = "/remind@tea_bot 10m  tea";
//! let entities = [MessageEntity::new(MessageEntityType::BotCommand, 0, 15)];
//! let cmd = Command::parse(text, &entities, "tea_bot").expect("a command for this bot");
//! assert_eq!((cmd.name.as_str(), cmd.args.as_str()), ("remind", "10m  tea"));
//! assert_eq!(cmd.split_args().collect::<Vec<_>>(), ["10m", "tea"]);
//! assert_eq!(Cmd::of(&cmd), Some(Cmd::Remind));
//! assert!(Command::parse(text, &entities, "other_bot").is_none());
//! # Ok::<(), botapi::kit::commands::CommandError>(())
//! ```
//!
//! In a bot: `client.set_my_commands(Cmd::bot_commands()?).await?` once,
//! then `Cmd::parse(&message, &bot_username)` for each message.

use crate::types::{BotCommand, Message, MessageEntity, MessageEntityType};

/// A command read from a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The command without `/` and without `@botname`, as typed (`start`).
    pub name: String,
    /// The bot named after `@`, if any (always this bot: a command for
    /// another bot is not read).
    pub bot: Option<String>,
    /// Everything after the command, without the spaces around it (the
    /// payload of a deep link's `/start PAYLOAD`).
    pub args: String,
}

impl Command {
    /// The command at the start of `text`, marked by a `bot_command` entity
    /// at offset 0; `None` when there is none or it names another bot than
    /// `bot_username` (with or without `@`, in any case).
    pub fn parse(text: &str, entities: &[MessageEntity], bot_username: &str) -> Option<Command> {
        let marked = entities
            .iter()
            .find(|e| e.type_ == MessageEntityType::BotCommand && e.offset == 0 && e.length > 1)?;
        let end = byte_at_utf16(text, usize::try_from(marked.length).ok()?)?;
        let word = text[..end].strip_prefix('/')?;
        let (name, bot) = match word.split_once('@') {
            Some((name, bot)) => (name, Some(bot)),
            None => (word, None),
        };
        if name.is_empty() {
            return None;
        }
        if let Some(bot) = bot {
            if !bot.eq_ignore_ascii_case(bot_username.trim_start_matches('@')) {
                return None;
            }
        }
        Some(Command {
            name: name.to_string(),
            bot: bot.map(str::to_string),
            args: text[end..].trim().to_string(),
        })
    }

    /// The command of a message: in its text, else in its caption.
    pub fn from_message(message: &Message, bot_username: &str) -> Option<Command> {
        let pairs = [
            (&message.text, &message.entities),
            (&message.caption, &message.caption_entities),
        ];
        pairs.into_iter().find_map(|(text, entities)| {
            Command::parse(text.as_deref()?, entities.as_deref()?, bot_username)
        })
    }

    /// Is this the command `name` (without `/`, in any case)?
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name.trim_start_matches('/'))
    }

    /// The arguments split at whitespace.
    pub fn split_args(&self) -> std::str::SplitWhitespace<'_> {
        self.args.split_whitespace()
    }
}

/// Byte index of UTF-16 position `units` in `text`, if it falls between
/// characters.
fn byte_at_utf16(text: &str, units: usize) -> Option<usize> {
    let mut u = 0;
    for (b, c) in text.char_indices() {
        if u == units {
            return Some(b);
        }
        if u > units {
            return None;
        }
        u += c.len_utf16();
    }
    (u == units).then_some(text.len())
}

/// A command list that cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// A name is not 1 to 32 characters of `a`-`z`, `0`-`9` and `_`.
    Name(String),
    /// A description is not 1 to 256 characters long.
    Description {
        /// The command.
        name: String,
        /// Its description's length in characters.
        chars: usize,
    },
    /// A name is listed twice.
    Duplicate(String),
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Name(value) => write!(
                f,
                "command {value:?}: a command is 1 to 32 characters of a-z, 0-9 and _"
            ),
            Self::Description { name, chars } => write!(
                f,
                "command {name:?}: a description is 1 to 256 characters, got {chars}"
            ),
            Self::Duplicate(value) => write!(f, "command {value:?} is listed twice"),
        }
    }
}

impl std::error::Error for CommandError {}

/// The list for `setMyCommands` from `(name, description)` pairs, checked
/// as Telegram requires: names of 1 to 32 characters of lowercase English
/// letters, digits and underscores (Bot API, `BotCommand`), descriptions of
/// 1 to 256 characters, no name twice.
pub fn bot_commands<'a>(
    commands: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<BotCommand>, CommandError> {
    let mut list: Vec<BotCommand> = Vec::new();
    for (name, description) in commands {
        let name_ok = (1..=32).contains(&name.chars().count())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok {
            return Err(CommandError::Name(name.to_string()));
        }
        let chars = description.chars().count();
        if !(1..=256).contains(&chars) {
            return Err(CommandError::Description {
                name: name.to_string(),
                chars,
            });
        }
        if list.iter().any(|c| c.command == name) {
            return Err(CommandError::Duplicate(name.to_string()));
        }
        list.push(BotCommand::new(name, description));
    }
    Ok(list)
}

/// A set of commands defined once: usually written with
/// [`bot_commands!`](crate::bot_commands), or by hand for any `Copy` type.
pub trait BotCommands: Sized + Copy + PartialEq + 'static {
    /// Every command: its value, its name after `/`, its description.
    const COMMANDS: &'static [(Self, &'static str, &'static str)];

    /// The name after `/`.
    fn name(self) -> &'static str {
        Self::COMMANDS
            .iter()
            .find(|(c, ..)| *c == self)
            .map_or("", |(_, name, _)| name)
    }

    /// The description shown in the menu.
    fn description(self) -> &'static str {
        Self::COMMANDS
            .iter()
            .find(|(c, ..)| *c == self)
            .map_or("", |(.., d)| d)
    }

    /// The list for `setMyCommands`, checked (see [`bot_commands`]).
    fn bot_commands() -> Result<Vec<BotCommand>, CommandError> {
        bot_commands(Self::COMMANDS.iter().map(|(_, n, d)| (*n, *d)))
    }

    /// Which of these commands `command` is (names compared in any case).
    fn of(command: &Command) -> Option<Self> {
        Self::COMMANDS
            .iter()
            .find(|(_, name, _)| command.is(name))
            .map(|(c, ..)| *c)
    }

    /// The command of `message` if it is one of these, with its arguments.
    fn parse(message: &Message, bot_username: &str) -> Option<(Self, Command)> {
        let command = Command::from_message(message, bot_username)?;
        Some((Self::of(&command)?, command))
    }
}

/// Define an enum of bot commands, each with its name and description, and
/// implement [`BotCommands`](crate::kit::commands::BotCommands) for it.
///
/// ```
/// botapi::bot_commands! {
///     /// Commands of the bot.
///     #[non_exhaustive]
///     pub enum Cmd {
///         /// Greets.
///         Start = "start": "Start the bot",
///         Help = "help": "What I can do",
///     }
/// }
/// use botapi::kit::commands::BotCommands;
/// assert_eq!(Cmd::Help.name(), "help");
/// ```
#[macro_export]
macro_rules! bot_commands {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $command:literal : $description:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $crate::kit::commands::BotCommands for $name {
            const COMMANDS: &'static [(Self, &'static str, &'static str)] =
                &[ $( ($name::$variant, $command, $description) ),+ ];
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(text: &str, length: i64) -> Option<Command> {
        let e = [MessageEntity::new(MessageEntityType::BotCommand, 0, length)];
        Command::parse(text, &e, "@My_Bot")
    }

    #[test]
    fn reads_the_marked_command_for_this_bot() {
        let c = cmd("/start", 6).unwrap();
        assert_eq!(
            (c.name.as_str(), c.bot, c.args.as_str()),
            ("start", None, "")
        );
        let c = cmd("/Start@my_bot  a  b \n c ", 13).unwrap();
        assert_eq!(
            (c.name.as_str(), c.bot.as_deref(), c.args.as_str()),
            ("Start", Some("my_bot"), "a  b \n c")
        );
        assert!(c.is("start") && c.is("/START"));
        assert_eq!(cmd("/start@other_bot x", 16), None);
        // No entity at the start, or an entity ending inside a character.
        assert_eq!(Command::parse("/start", &[], "my_bot"), None);
        assert_eq!(cmd("say /start", 6), None);
        assert_eq!(cmd("/👍", 2), None);
        let c = cmd("/x 👍 é", 2).unwrap();
        assert_eq!(c.args, "👍 é");
        let e = [MessageEntity::new(MessageEntityType::Bold, 0, 6)];
        assert_eq!(Command::parse("/start", &e, "my_bot"), None);
    }

    #[test]
    fn reads_text_then_caption() {
        let mut m: Message = serde_json::from_value(serde_json::json!({
            "message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"},
            "caption": "/help me",
            "caption_entities": [{"type": "bot_command", "offset": 0, "length": 5}]
        }))
        .unwrap();
        assert_eq!(Command::from_message(&m, "b").unwrap().args, "me");
        m.text = Some("hello".into());
        m.entities = Some(Vec::new());
        assert_eq!(Command::from_message(&m, "b").unwrap().name, "help");
    }

    crate::bot_commands! {
        enum Cmd {
            Start = "start": "Start",
            Stats = "stats_7d": "Numbers of the last 7 days",
        }
    }

    #[test]
    fn one_definition_gives_the_list_and_the_parser() {
        let list = Cmd::bot_commands().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].command, "stats_7d");
        assert_eq!(Cmd::Stats.description(), "Numbers of the last 7 days");
        let c = cmd("/STATS_7D@my_bot", 16).unwrap();
        assert_eq!(Cmd::of(&c), Some(Cmd::Stats));
        assert_eq!(Cmd::of(&cmd("/nope", 5).unwrap()), None);
    }

    #[test]
    fn lists_are_checked() {
        let bad = |pairs: &[(&str, &str)]| bot_commands(pairs.iter().copied()).unwrap_err();
        assert_eq!(bad(&[("Start", "x")]), CommandError::Name("Start".into()));
        assert_eq!(bad(&[("a-b", "x")]), CommandError::Name("a-b".into()));
        assert_eq!(bad(&[("", "x")]), CommandError::Name("".into()));
        assert_eq!(
            bad(&[(&"a".repeat(33), "x")]),
            CommandError::Name("a".repeat(33))
        );
        assert_eq!(
            bad(&[("a", "")]),
            CommandError::Description {
                name: "a".into(),
                chars: 0
            }
        );
        assert_eq!(
            bad(&[("a", &"é".repeat(257))]),
            CommandError::Description {
                name: "a".into(),
                chars: 257
            }
        );
        assert_eq!(
            bad(&[("a", "x"), ("a", "y")]),
            CommandError::Duplicate("a".into())
        );
        assert!(bot_commands([("a".repeat(32).as_str(), "é".repeat(256).as_str())]).is_ok());
    }
}
