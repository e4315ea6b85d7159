//! Chat members: is this one an administrator?
//!
//! ```no_run
//! # async fn run(client: botapi::Client, chat: botapi::ids::ChatId, user: botapi::ids::UserId) -> Result<(), botapi::Error> {
//! let member = client.get_chat_member(chat, user).await?;
//! if !member.is_admin() {
//!     client.send_message(chat, "Only administrators may do that.").await?;
//! }
//! # Ok(()) }
//! ```

use crate::types::ChatMember;

impl ChatMember {
    /// The chat's owner or one of its administrators (status `creator` or
    /// `administrator`). What an administrator may do is in
    /// [`ChatMemberAdministrator`](crate::types::ChatMemberAdministrator)'s
    /// `can_*` fields; the owner may do everything.
    pub fn is_admin(&self) -> bool {
        matches!(self, ChatMember::Owner(_) | ChatMember::Administrator(_))
    }

    /// The chat's owner (status `creator`).
    pub fn is_owner(&self) -> bool {
        matches!(self, ChatMember::Owner(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(status: &str) -> ChatMember {
        let json = serde_json::json!({
            "status": status,
            "user": {"id": 7, "is_bot": false, "first_name": "A"},
            "is_anonymous": false, "can_be_edited": false, "can_manage_chat": true,
            "can_delete_messages": true, "can_manage_video_chats": true,
            "can_restrict_members": true, "can_promote_members": false,
            "can_change_info": true, "can_invite_users": true, "can_post_stories": true,
            "can_edit_stories": true, "can_delete_stories": true, "until_date": 0,
        });
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn owners_and_administrators_are_admins() {
        assert!(member("creator").is_admin() && member("creator").is_owner());
        assert!(member("administrator").is_admin() && !member("administrator").is_owner());
        for status in ["member", "left", "kicked", "some_new_status"] {
            let m = member(status);
            assert!(!m.is_admin() && !m.is_owner(), "{status}: {m:?}");
        }
    }
}
