//! Every Rust name the generator produces comes from here: case conversion
//! (heck), keyword escaping (`type` -> `type_`, the wire name kept for serde)
//! and deterministic collision resolution (`_2`, `_3`... in schema order).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions) that cannot be used as
/// plain identifiers.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Is `s` a Rust keyword that must be escaped?
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// A valid identifier: ASCII letter or `_` first, then ASCII alphanumerics or `_`.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn escape(s: String) -> String {
    if is_keyword(&s) || s == "_" || s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{s}_")
    } else {
        s
    }
}

/// Field or parameter name: snake_case, keywords get a trailing `_`.
pub fn field_ident(wire: &str) -> String {
    escape(wire.to_snake_case())
}

/// Type or variant name: UpperCamelCase, keywords (`Self`) get a trailing `_`.
pub fn type_ident(wire: &str) -> String {
    escape(wire.to_upper_camel_case())
}

/// Client method name for a Bot API method: `getUserProfileAudios` ->
/// `get_user_profile_audios`.
pub fn method_fn_ident(wire: &str) -> String {
    escape(wire.to_snake_case())
}

/// Request struct name for a Bot API method: `sendAudio` -> `SendAudio`.
pub fn method_struct_ident(wire: &str) -> String {
    type_ident(wire)
}

/// Variant name of `variant` inside union `union`: the union's name is
/// stripped from the front when that leaves a valid name
/// (`ChatMemberOwner` in `ChatMember` -> `Owner`).
pub fn variant_ident(union: &str, variant: &str) -> String {
    let full = type_ident(variant);
    let union = type_ident(union);
    match full.strip_prefix(&union) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => {
            escape(rest.to_string())
        }
        _ => full,
    }
}

/// Variant name for an exclusive optional field (`edited_message` -> `EditedMessage`).
pub fn field_variant_ident(wire: &str) -> String {
    type_ident(wire)
}

/// Hands out unique names in one scope, in the order asked: the first
/// claimant keeps the name, later ones get `_2`, `_3`...
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Claim a snake_case `name`, or the first free `name_N` (N from 2).
    pub fn claim(&mut self, name: String) -> String {
        let sep = if name.ends_with('_') { "" } else { "_" };
        self.claim_with(name, sep)
    }

    /// Claim an UpperCamelCase `name`, or the first free `nameN` (N from 2).
    pub fn claim_camel(&mut self, name: String) -> String {
        self.claim_with(name, "")
    }

    fn claim_with(&mut self, name: String, sep: &str) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        (2..)
            .map(|n| format!("{name}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keywords() {
        assert_eq!(field_ident("type"), "type_");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(type_ident("Self"), "Self_");
        assert_eq!(field_ident("from"), "from");
        assert_eq!(type_ident("Option"), "Option");
    }

    #[test]
    fn converts_case() {
        assert_eq!(
            method_fn_ident("getUserProfileAudios"),
            "get_user_profile_audios"
        );
        assert_eq!(method_struct_ident("sendAudio"), "SendAudio");
        assert_eq!(variant_ident("ChatMember", "ChatMemberOwner"), "Owner");
        assert_eq!(variant_ident("MessageOrigin", "MessageOriginUser"), "User");
        assert_eq!(
            variant_ident("ReplyMarkup", "InlineKeyboardMarkup"),
            "InlineKeyboardMarkup"
        );
        assert_eq!(field_variant_ident("edited_message"), "EditedMessage");
    }

    #[test]
    fn resolves_collisions_in_order() {
        let mut s = Scope::with_reserved(&["new"]);
        assert_eq!(s.claim(field_ident("fooBar")), "foo_bar");
        assert_eq!(s.claim(field_ident("foo_bar")), "foo_bar_2");
        assert_eq!(s.claim("new".into()), "new_2");
        assert_eq!(s.claim(field_ident("type")), "type_");
        assert_eq!(s.claim("type_".into()), "type_2");
        let mut t = Scope::default();
        assert_eq!(t.claim_camel(type_ident("HTTPUrl")), "HttpUrl");
        assert_eq!(t.claim_camel(type_ident("HttpUrl")), "HttpUrl2");
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("send_audio"));
        assert!(!is_identifier("x; fn evil() {}"));
        assert!(!is_identifier("9lives"));
    }
}
