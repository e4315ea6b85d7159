//! Rules across fields, by their Rust field names; the first-wins ones
//! apart, by wire name (they are documented, not checked).

use crate::ir::{FieldItem, FieldRef, RuleItem, RustType};
use crate::schema::Rule;

/// The rules of `rules` that `validate()` checks, over `fields` (already
/// lowered). A rule naming a field that is not among them cannot pass the
/// checker; such a name is kept as its own Rust name, which then fails to
/// compile rather than being dropped.
pub fn lower(rules: &[Rule], fields: &[FieldItem]) -> Vec<RuleItem> {
    let r = |wire: &String| {
        let f = fields.iter().find(|f| &f.wire == wire);
        FieldRef {
            wire: wire.clone(),
            ident: f.map_or_else(|| wire.clone(), |f| f.ident.clone()),
            flag: f.is_some_and(|f| f.ty == RustType::Bool),
        }
    };
    let all = |names: &[String]| names.iter().map(r).collect::<Vec<_>>();
    rules
        .iter()
        .filter_map(|rule| match rule {
            Rule::ExactlyOne { fields, .. } => Some(RuleItem::ExactlyOne(all(fields))),
            Rule::AtMostOne { fields, .. } => Some(RuleItem::AtMostOne(all(fields))),
            Rule::AtLeastOne { fields, .. } => Some(RuleItem::AtLeastOne(all(fields))),
            Rule::FirstWins { .. } => None,
            Rule::OneGroup { groups, .. } => {
                Some(RuleItem::OneGroup(groups.iter().map(|g| all(g)).collect()))
            }
            Rule::RequiredUnless { field, unless, .. } => Some(RuleItem::RequiredUnless {
                field: r(field),
                unless: all(unless),
            }),
            Rule::RequiredWith { field, with, .. } => Some(RuleItem::RequiredWith {
                field: r(field),
                with: r(with),
            }),
        })
        .collect()
}

/// The first-wins rules of `rules`: each one's fields by wire name, in the
/// order Telegram prefers them.
pub fn first_wins(rules: &[Rule]) -> Vec<Vec<String>> {
    rules
        .iter()
        .filter_map(|rule| match rule {
            Rule::FirstWins { fields, .. } => Some(fields.clone()),
            _ => None,
        })
        .collect()
}
