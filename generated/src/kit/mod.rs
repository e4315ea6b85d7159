//! What bot authors reach for beyond the raw API.
//!
//! - [`format`](mod@format): formatted text as text plus entities,
//!   escaping for HTML, MarkdownV2 and legacy Markdown, and rendering
//!   received entities back to HTML or MarkdownV2.
//! - [`keyboard`]: inline and reply keyboards from rows of buttons named by
//!   their action, checked when built.
//! - [`commands`]: `/command@bot args` read from a message, and one
//!   definition of the commands for `setMyCommands` and for reading them
//!   ([`bot_commands!`](crate::bot_commands)).
//! - [`deeplink`]: `t.me` links for `start`, `startgroup`, `startattach`
//!   and `startapp` with their payload rules checked, and bytes packed
//!   into a payload.
//! - [`files`]: `Client::download_file` (by `file_id`, into a writer,
//!   a path or memory) and `Message::largest_photo`.
//! - [`members`]: `ChatMember::is_admin` and `is_owner`.
//! - [`cookbook`]: whole tasks, step by step.

pub mod commands;
pub mod deeplink;
pub mod files;
pub mod format;
pub mod keyboard;
pub mod members;

#[doc = include_str!("cookbook.md")]
pub mod cookbook {}
