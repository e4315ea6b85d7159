//! Rules across fields, mined from upstream prose: what a type's prose says
//! of its optional fields ("exactly one of the fields other than ... must be
//! used", "at most one of the optional fields"), and what a field's prose
//! says of its siblings ("required if X is not specified", "can be specified
//! instead of X": Telegram uses X and ignores it, "can't be used together
//! with X"). Two fields (or groups) each required unless the other is set
//! become one rule: `exactly_one`, or `one_group` when a side has several
//! fields. After the merge, a mined rule that names a field that is now
//! required or gone is dropped, and so are mined rules on a type whose
//! optional fields are an exclusive kind.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex_lite::Regex;

use crate::schema::{Field, Rule, Schema};

struct Patterns {
    unless: Regex,
    with: Regex,
    instead: Regex,
    together: Regex,
    other_than: Regex,
    listed: Regex,
    optional: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("a valid built-in pattern");
        Patterns {
            unless: re(
                r"(?i)required if ([a-z0-9_]+)(?:,? and ([a-z0-9_]+))? (?:is|are) not specified|required if ([a-z0-9_]+)(?:,? and ([a-z0-9_]+))? (?:isn't|aren't) specified",
            ),
            with: re(r"(?i)required if ([a-z0-9_]+) is specified"),
            instead: re(r"(?i)can be specified instead of ([a-z0-9_]+)"),
            together: re(r"(?i)(?:can't|cannot) be used together with ([a-z0-9_]+)"),
            other_than: re(
                r"(?i)(exactly|at most) one of the fields other than ([a-z0-9_, ]+?) must be used",
            ),
            listed: re(
                r"(?i)exactly one of the fields ([a-z0-9_, ]+?) (?:must be used|will be present)",
            ),
            optional: re(
                r"(?i)(exactly|at most) one of the optional fields (?:must be used|can be present)|must use (exactly) one of the optional fields",
            ),
        }
    })
}

/// Field names in a list as prose writes it (`a, b, and c`, `a or b`).
fn names_in(list: &str) -> Vec<String> {
    list.split(',')
        .flat_map(|s| s.split(" and "))
        .flat_map(|s| s.split(" or "))
        .map(|s| {
            s.trim()
                .trim_start_matches("and ")
                .trim_start_matches("or ")
                .trim()
        })
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn optional_names(fields: &[Field]) -> Vec<String> {
    fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| f.name.clone())
        .collect()
}

/// Rules a type's own prose states about its optional `fields`.
pub fn type_rules(prose: &str, fields: &[Field]) -> Vec<Rule> {
    let p = patterns();
    let mut out = Vec::new();
    let kind = |word: &str, fields: Vec<String>| {
        if word.eq_ignore_ascii_case("exactly") {
            Rule::ExactlyOne {
                fields,
                curated: None,
            }
        } else {
            Rule::AtMostOne {
                fields,
                curated: None,
            }
        }
    };
    if let Some(c) = p.other_than.captures(prose) {
        let but = names_in(&c[2]);
        let rest = optional_names(fields)
            .into_iter()
            .filter(|n| !but.contains(n))
            .collect();
        out.push(kind(&c[1], rest));
    } else if let Some(c) = p.listed.captures(prose) {
        out.push(kind("exactly", names_in(&c[1])));
    }
    if let Some(c) = p.optional.captures(prose) {
        let word = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
        out.push(kind(word, optional_names(fields)));
    }
    out
}

/// Rules one field's prose states about it and its siblings.
pub fn field_rules(field: &str, prose: &str) -> Vec<Rule> {
    let p = patterns();
    let mut out = Vec::new();
    if let Some(c) = p.unless.captures(prose) {
        let unless: Vec<String> = [1, 2, 3, 4]
            .iter()
            .filter_map(|i| c.get(*i))
            .map(|m| m.as_str().to_string())
            .collect();
        out.push(Rule::RequiredUnless {
            field: field.to_string(),
            unless,
            curated: None,
        });
    } else if let Some(c) = p.with.captures(prose) {
        out.push(Rule::RequiredWith {
            field: field.to_string(),
            with: c[1].to_string(),
            curated: None,
        });
    }
    // "Can be specified instead of X": Telegram's server takes X (a parse
    // mode) and ignores this field (its entities) when both are given, and
    // refuses neither. "Can't be used together with X" is kept as stated.
    if let Some(c) = p.instead.captures(prose) {
        out.push(Rule::FirstWins {
            fields: vec![c[1].to_string(), field.to_string()],
            curated: None,
        });
    }
    if let Some(c) = p.together.captures(prose) {
        out.push(Rule::AtMostOne {
            fields: vec![c[1].to_string(), field.to_string()],
            curated: None,
        });
    }
    out
}

fn set(names: &[String]) -> BTreeSet<&str> {
    names.iter().map(String::as_str).collect()
}

/// Sort names by their position among `fields`.
fn in_order(names: &mut [String], fields: &[Field]) {
    let pos = |n: &String| {
        fields
            .iter()
            .position(|f| &f.name == n)
            .unwrap_or(usize::MAX)
    };
    names.sort_by_key(pos);
}

/// Tidy the rules mined for one owner: names in field order, rules naming
/// what is not a field dropped, two sides each required unless the other is
/// set joined into one rule, repeated rules dropped.
pub fn settle(rules: Vec<Rule>, fields: &[Field]) -> Vec<Rule> {
    let known = |n: &String| fields.iter().any(|f| &f.name == n);
    let mut rules: Vec<Rule> = rules
        .into_iter()
        .filter(|r| r.fields().iter().all(|n| known(&n.to_string())))
        .collect();
    let unless: Vec<(String, Vec<String>)> = rules
        .iter()
        .filter_map(|r| match r {
            Rule::RequiredUnless { field, unless, .. } => Some((field.clone(), unless.clone())),
            _ => None,
        })
        .collect();
    let mut joined: Vec<Rule> = Vec::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (field, other) in &unless {
        if used.contains(field) {
            continue;
        }
        let mut side: Vec<String> = unless
            .iter()
            .filter(|(_, u)| set(u) == set(other))
            .map(|(f, _)| f.clone())
            .collect();
        let answers = other
            .iter()
            .all(|o| unless.iter().any(|(f, u)| f == o && set(u) == set(&side)));
        if !answers || side.iter().any(|s| other.contains(s)) {
            continue;
        }
        let mut other = other.clone();
        in_order(&mut side, fields);
        in_order(&mut other, fields);
        used.extend(side.iter().cloned());
        used.extend(other.iter().cloned());
        let mut groups = vec![side, other];
        groups.sort_by_key(|g| fields.iter().position(|f| f.name == g[0]));
        joined.push(if groups.iter().all(|g| g.len() == 1) {
            Rule::ExactlyOne {
                fields: groups.concat(),
                curated: None,
            }
        } else {
            Rule::OneGroup {
                groups,
                curated: None,
            }
        });
    }
    rules.retain(|r| !matches!(r, Rule::RequiredUnless { field, .. } if used.contains(field)));
    let mut out: Vec<Rule> = Vec::new();
    for mut r in joined.into_iter().chain(rules) {
        if let Rule::ExactlyOne { fields: names, .. } | Rule::AtMostOne { fields: names, .. } =
            &mut r
        {
            in_order(names, fields);
        }
        let same = |a: &Rule, b: &Rule| {
            std::mem::discriminant(a) == std::mem::discriminant(b)
                && a.fields().iter().collect::<BTreeSet<_>>()
                    == b.fields().iter().collect::<BTreeSet<_>>()
        };
        if !out.iter().any(|o| same(o, &r)) {
            out.push(r);
        }
    }
    out
}

/// Drop the mined rules the merged schema no longer allows: one naming a
/// field that is required (curation may have made it so) or absent, or any
/// mined rule on a type whose optional fields are an exclusive kind (the
/// kind enum holds one part already). Returns one note per rule dropped for
/// a required or absent field.
pub fn prune(schema: &mut Schema) -> Vec<String> {
    let mut notes = Vec::new();
    let keep = |owner: &str, r: &Rule, fields: &[Field], notes: &mut Vec<String>| {
        if r.is_curated() {
            return true;
        }
        let bad: Vec<&str> = r
            .fields()
            .into_iter()
            .filter(|n| !fields.iter().any(|f| f.name == *n && !f.required))
            .collect();
        if !bad.is_empty() {
            notes.push(format!(
                "{owner}: mined rule over {} dropped: {} required or absent here",
                r.fields().join(", "),
                bad.join(", ")
            ));
        }
        bad.is_empty()
    };
    for m in &mut schema.methods {
        let params = m.params.clone();
        let name = m.name.clone();
        m.rules.retain(|r| keep(&name, r, &params, &mut notes));
    }
    for t in &mut schema.types {
        let Some(fields) = t.fields.clone() else {
            t.rules.clear();
            continue;
        };
        if t.exclusive_optional.is_some() {
            t.rules.retain(Rule::is_curated);
        }
        let name = t.name.clone();
        t.rules.retain(|r| keep(&name, r, &fields, &mut notes));
    }
    notes
}

/// How many rules of each kind the schema has, mined and curated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleCount {
    /// Per kind (`exactly_one`...): (mined, curated).
    pub kinds: Vec<(&'static str, usize, usize)>,
}

impl RuleCount {
    /// Count the rules of `schema`.
    pub fn of(schema: &Schema) -> RuleCount {
        let mut kinds: Vec<(&'static str, usize, usize)> =
            Rule::KINDS.iter().map(|k| (*k, 0, 0)).collect();
        let all = schema
            .methods
            .iter()
            .flat_map(|m| &m.rules)
            .chain(schema.types.iter().flat_map(|t| &t.rules));
        for r in all {
            let i = Rule::KINDS
                .iter()
                .position(|k| *k == r.kind())
                .expect("every kind is listed in Rule::KINDS");
            if r.is_curated() {
                kinds[i].2 += 1;
            } else {
                kinds[i].1 += 1;
            }
        }
        RuleCount { kinds }
    }

    /// Mined rules in all.
    pub fn mined(&self) -> usize {
        self.kinds.iter().map(|k| k.1).sum()
    }

    /// Curated rules in all.
    pub fn curated(&self) -> usize {
        self.kinds.iter().map(|k| k.2).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(list: &[(&str, bool)]) -> Vec<Field> {
        list.iter()
            .map(|(n, r)| Field {
                name: (*n).into(),
                ty: "String".into(),
                required: *r,
                ..Field::default()
            })
            .collect()
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn type_prose() {
        let fs = fields(&[
            ("label", true),
            ("icon", false),
            ("url", false),
            ("data", false),
        ]);
        assert_eq!(
            type_rules(
                "A button. Exactly one of the fields other than label, and icon must be used.",
                &fs
            ),
            [Rule::ExactlyOne {
                fields: names(&["url", "data"]),
                curated: None
            }]
        );
        assert_eq!(
            type_rules(
                "At most one of the fields other than icon must be used to pick a kind.",
                &fs
            ),
            [Rule::AtMostOne {
                fields: names(&["url", "data"]),
                curated: None
            }]
        );
        assert_eq!(
            type_rules(
                "Exactly one of the fields url or data will be present.",
                &fs
            ),
            [Rule::ExactlyOne {
                fields: names(&["url", "data"]),
                curated: None
            }]
        );
        assert_eq!(
            type_rules("You must use exactly one of the optional fields.", &fs),
            [Rule::ExactlyOne {
                fields: names(&["icon", "url", "data"]),
                curated: None
            }]
        );
        assert!(type_rules("Nothing of the sort.", &fs).is_empty());
    }

    #[test]
    fn field_prose_and_settling() {
        let fs = fields(&[
            ("chat_id", false),
            ("message_id", false),
            ("inline_message_id", false),
            ("text", false),
            ("rich", false),
            ("parse_mode", false),
            ("entities", false),
            ("pin_id", false),
            ("connection", false),
        ]);
        let mut rules = Vec::new();
        for (f, prose) in [
            (
                "chat_id",
                "Required if inline_message_id is not specified. Target.",
            ),
            (
                "message_id",
                "Required if inline_message_id is not specified.",
            ),
            (
                "inline_message_id",
                "Required if chat_id and message_id are not specified.",
            ),
            ("text", "New text; required if rich isn't specified"),
            ("rich", "New content; required if text isn't specified."),
            (
                "entities",
                "Entities, which can be specified instead of parse_mode",
            ),
            (
                "pin_id",
                "Required if connection is specified. What to unpin.",
            ),
            ("text", "Can't be used together with nowhere."),
        ] {
            rules.extend(field_rules(f, prose));
        }
        assert_eq!(
            settle(rules, &fs),
            [
                Rule::OneGroup {
                    groups: vec![
                        names(&["chat_id", "message_id"]),
                        names(&["inline_message_id"])
                    ],
                    curated: None
                },
                Rule::ExactlyOne {
                    fields: names(&["text", "rich"]),
                    curated: None
                },
                Rule::FirstWins {
                    fields: names(&["parse_mode", "entities"]),
                    curated: None
                },
                Rule::RequiredWith {
                    field: "pin_id".into(),
                    with: "connection".into(),
                    curated: None
                },
            ]
        );
    }

    #[test]
    fn kind_is_the_serialized_tag() {
        let f = || names(&["a", "b"]);
        let all = [
            Rule::ExactlyOne {
                fields: f(),
                curated: None,
            },
            Rule::AtMostOne {
                fields: f(),
                curated: None,
            },
            Rule::AtLeastOne {
                fields: f(),
                curated: None,
            },
            Rule::FirstWins {
                fields: f(),
                curated: None,
            },
            Rule::OneGroup {
                groups: vec![f()],
                curated: None,
            },
            Rule::RequiredUnless {
                field: "a".into(),
                unless: f(),
                curated: None,
            },
            Rule::RequiredWith {
                field: "a".into(),
                with: "b".into(),
                curated: None,
            },
        ];
        let tags: Vec<String> = all
            .iter()
            .map(|r| {
                serde_json::to_value(r).unwrap()["rule"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(tags, Rule::KINDS);
        assert!(all.iter().zip(Rule::KINDS).all(|(r, k)| r.kind() == k));
    }

    #[test]
    fn one_sided_requirement_stays() {
        let fs = fields(&[("a", false), ("b", false)]);
        let rules = field_rules("a", "Required if b is not specified.");
        assert_eq!(
            settle(rules.clone(), &fs),
            rules,
            "b alone may be left out: no exactly_one"
        );
        let twice = [
            field_rules("a", "Can't be used together with b."),
            field_rules("b", "Can't be used together with a."),
        ]
        .concat();
        assert_eq!(settle(twice, &fs).len(), 1, "the same rule stated twice");
        // The field named by "instead of" comes first whatever the order of
        // the fields: it is the one Telegram uses.
        assert_eq!(
            settle(field_rules("a", "It can be specified instead of b."), &fs),
            [Rule::FirstWins {
                fields: names(&["b", "a"]),
                curated: None
            }]
        );
    }
}
