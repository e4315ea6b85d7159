//! Identifiers that cannot be swapped by mistake: a user, a chat and a
//! message id are all integers on the wire, but each is its own type here,
//! so passing a chat where a user is expected does not compile. Each
//! converts from and into `i64`, compares with it, prints and serializes as
//! the bare number.
//!
//! `ChatId` here is a chat's numeric id; a chat named by id or by
//! `@username`, as methods take it, is `types::Recipient`. `MessageId` here
//! is a message's number within its chat; `types::MessageId` is the object
//! some methods return, which holds one.
//!
//! ```no_run
//! # async fn ban(client: botapi::Client, chat: botapi::types::Chat, user: botapi::types::User)
//! # -> Result<(), botapi::Error> {
//! client.ban_chat_member(chat.id, user.id).await?;
//! # Ok(()) }
//! ```
//!
//! The same arguments swapped do not compile:
//!
//! ```compile_fail
//! # async fn ban(client: botapi::Client, chat: botapi::types::Chat, user: botapi::types::User)
//! # -> Result<(), botapi::Error> {
//! client.ban_chat_member(user.id, chat.id).await?;
//! # Ok(()) }
//! ```

use std::fmt;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub i64);

        impl $name {
            /// The number on the wire.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(n: i64) -> Self {
                $name(n)
            }
        }

        impl From<i32> for $name {
            fn from(n: i32) -> Self {
                $name(n.into())
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl PartialEq<i64> for $name {
            fn eq(&self, other: &i64) -> bool {
                self.0 == *other
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl serde::Serialize for $name {
            #[inline]
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                i64::deserialize(d).map($name)
            }
        }
    };
}

id!(
    /// A user's id (`User.id`, `user_id`).
    UserId
);
id!(
    /// A chat's numeric id (`Chat.id`, the number form of `chat_id`). Negative
    /// for groups and channels.
    ChatId
);
id!(
    /// A message's number within its chat (`Message.message_id`).
    MessageId
);

/// A private chat has its user's id.
impl From<UserId> for ChatId {
    fn from(u: UserId) -> ChatId {
        ChatId(u.0)
    }
}

/// Messages to a user go to the private chat with them, which has the
/// user's id.
impl From<UserId> for crate::types::Recipient {
    fn from(u: UserId) -> Self {
        crate::types::Recipient::Id(u.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_on_the_wire() {
        let u: UserId = serde_json::from_str("42").unwrap();
        assert_eq!(u, UserId(42));
        assert_eq!(serde_json::to_string(&ChatId(-1001)).unwrap(), "-1001");
        assert_eq!(MessageId::from(7).to_string(), "7");
        assert_eq!(ChatId::from(UserId(5)), 5);
        assert!(serde_json::from_str::<UserId>("\"42\"").is_err());
    }
}
