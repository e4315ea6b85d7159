//! Checks of rules across the fields of one object or request: exactly one
//! of several set, at most one, at least one, one complete group of fields,
//! a field that another makes necessary or unnecessary. A violation is
//! reported at the object's path, naming the fields that were set.

use super::{Constraint, Validator};

/// The names among `fields` whose flag in `set` is true, for a message.
fn which(fields: &[&str], set: &[bool]) -> String {
    let on: Vec<String> = fields
        .iter()
        .zip(set)
        .filter(|(_, s)| **s)
        .map(|(f, _)| format!("`{f}`"))
        .collect();
    if on.is_empty() {
        "none set".into()
    } else {
        format!("set: {}", on.join(", "))
    }
}

impl Validator {
    /// Exactly one of `fields` is set: `count` of them are, and `set` says
    /// which (in the same order), called only to report a violation, so the
    /// passing case is one sum of flags.
    #[inline]
    pub fn exactly_one<const N: usize>(
        &mut self,
        fields: &'static [&'static str; N],
        count: usize,
        set: impl FnOnce() -> [bool; N],
    ) {
        if count != 1 {
            self.rule_failed(Constraint::ExactlyOne(fields), which(fields, &set()));
        }
    }

    /// No two of `fields` are set (arguments as for [`exactly_one`](Self::exactly_one)).
    #[inline]
    pub fn at_most_one<const N: usize>(
        &mut self,
        fields: &'static [&'static str; N],
        count: usize,
        set: impl FnOnce() -> [bool; N],
    ) {
        if count > 1 {
            self.rule_failed(Constraint::AtMostOne(fields), which(fields, &set()));
        }
    }

    /// At least one of `fields` is set: `any` says whether one is (the
    /// generated code tests them in order and stops at the first set).
    #[inline]
    pub fn at_least_one(&mut self, fields: &'static [&'static str], any: bool) {
        if !any {
            self.rule_failed(Constraint::AtLeastOne(fields), "none set".into());
        }
    }

    /// Exactly one of `groups` is set in full and no field of another group
    /// is set (`set` holds one flag per field, group by group).
    #[inline]
    pub fn one_group(&mut self, groups: &'static [&'static [&'static str]], set: &[&[bool]]) {
        let touched = set.iter().filter(|g| g.iter().any(|s| *s)).count();
        let full = set.iter().filter(|g| g.iter().all(|s| *s)).count();
        if !(touched == 1 && full == 1) {
            let names: Vec<&str> = groups.iter().flat_map(|g| g.iter().copied()).collect();
            let flags: Vec<bool> = set.iter().flat_map(|g| g.iter().copied()).collect();
            self.rule_failed(Constraint::OneGroup(groups), which(&names, &flags));
        }
    }

    /// `field` is set unless one of `unless` is.
    #[inline]
    pub fn required_unless(
        &mut self,
        field: &'static str,
        set: bool,
        unless: &'static [&'static str],
        unless_set: &[bool],
    ) {
        if !set && !unless_set.iter().any(|s| *s) {
            self.rule_failed(
                Constraint::RequiredUnless { field, unless },
                "none set".into(),
            );
        }
    }

    /// `field` is set whenever `with` is.
    #[inline]
    pub fn required_with(
        &mut self,
        field: &'static str,
        set: bool,
        with: &'static str,
        with_set: bool,
    ) {
        if with_set && !set {
            self.rule_failed(
                Constraint::RequiredWith { field, with },
                format!("`{with}` set, `{field}` not"),
            );
        }
    }

    #[cold]
    #[inline(never)]
    fn rule_failed(&mut self, rule: Constraint, value: String) {
        self.push("", rule, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_reports_the_object_and_what_was_set() {
        let mut v = Validator::new("editMessageText");
        v.one_group(
            &[&["chat_id", "message_id"], &["inline_message_id"]],
            &[&[false, false], &[false]],
        );
        v.one_group(
            &[&["chat_id", "message_id"], &["inline_message_id"]],
            &[&[true, false], &[false]],
        );
        v.one_group(
            &[&["chat_id", "message_id"], &["inline_message_id"]],
            &[&[true, true], &[true]],
        );
        v.one_group(
            &[&["chat_id", "message_id"], &["inline_message_id"]],
            &[&[true, true], &[false]],
        );
        v.one_group(
            &[&["chat_id", "message_id"], &["inline_message_id"]],
            &[&[false, false], &[true]],
        );
        v.exactly_one(&["url", "callback_data"], 2, || [true, true]);
        v.exactly_one(&["url", "callback_data"], 1, || [false, true]);
        v.at_most_one(&["parse_mode", "entities"], 2, || [true, true]);
        v.at_most_one(&["parse_mode", "entities"], 1, || [true, false]);
        v.at_least_one(&["url", "callback_data", "pay"], false);
        v.at_least_one(&["url", "callback_data", "pay"], true);
        v.required_unless("text", false, &["rich_message"], &[false]);
        v.required_unless("text", false, &["rich_message"], &[true]);
        v.required_with("a", false, "b", true);
        v.required_with("a", false, "b", false);
        let shown: Vec<String> = v.violations().iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "editMessageText: set either `chat_id` and `message_id`, or `inline_message_id`, got none set",
                "editMessageText: set either `chat_id` and `message_id`, or `inline_message_id`, got set: `chat_id`",
                "editMessageText: set either `chat_id` and `message_id`, or `inline_message_id`, got set: `chat_id`, `message_id`, `inline_message_id`",
                "editMessageText: exactly one of `url` and `callback_data` must be set, got set: `url`, `callback_data`",
                "editMessageText: at most one of `parse_mode` and `entities` may be set, got set: `parse_mode`, `entities`",
                "editMessageText: at least one of `url`, `callback_data` or `pay` must be set, got none set",
                "editMessageText: `text` must be set unless `rich_message` is, got none set",
                "editMessageText: `a` must be set when `b` is, got `b` set, `a` not",
            ]
        );
    }
}
