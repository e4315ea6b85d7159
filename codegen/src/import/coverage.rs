//! What an import marked beyond the bare facts: the value lists of upstream
//! prose and the named sets covering them, the rules across fields (mined
//! and curated, per kind), and the identifier marks (per kind). Printed by
//! `import` and added to its `--report`.

use std::fmt;

use super::enums::EnumCoverage;
use super::rules::RuleCount;
use crate::schema::{IdKind, Schema};

/// The marks of one imported schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Value lists and named sets.
    pub enums: EnumCoverage,
    /// Rules across fields.
    pub rules: RuleCount,
    /// Identifier marks: (user, chat, message) fields and parameters, and
    /// union variants marked.
    pub ids: (usize, usize, usize, usize),
}

impl Coverage {
    /// Count the marks of `schema`, with the enum coverage already found.
    pub fn of(schema: &Schema, enums: EnumCoverage) -> Coverage {
        let mut ids = (0, 0, 0, 0);
        let fields = schema
            .methods
            .iter()
            .flat_map(|m| &m.params)
            .chain(schema.types.iter().flat_map(|t| t.fields.iter().flatten()));
        for f in fields {
            match f.id_of {
                Some(IdKind::User) => ids.0 += 1,
                Some(IdKind::Chat) => ids.1 += 1,
                Some(IdKind::Message) => ids.2 += 1,
                None => {}
            }
        }
        ids.3 = schema
            .types
            .iter()
            .filter_map(|t| t.union.as_ref())
            .flat_map(|u| &u.variants)
            .filter(|v| v.id_of.is_some())
            .count();
        Coverage {
            enums,
            rules: RuleCount::of(schema),
            ids,
        }
    }

    /// The enumerations line: fields with listed values, how many have a
    /// set, how many are deliberate exceptions (each with its reason).
    pub fn enum_line(&self) -> String {
        let e = &self.enums;
        let mut s = format!(
            "enumerations: {} fields with listed values in upstream prose, {} with an enum_type, {} deliberate exceptions",
            e.listed,
            e.covered,
            e.exceptions.len()
        );
        if !e.exceptions.is_empty() {
            let list: Vec<String> = e
                .exceptions
                .iter()
                .map(|(at, why)| format!("{at}: {why}"))
                .collect();
            s.push_str(&format!(" ({})", list.join("; ")));
        }
        s
    }

    fn lines(&self) -> Vec<String> {
        let e = &self.enums;
        let mut out = vec![self.enum_line()];
        out.push(format!(
            "named sets: {}, used by {} fields and parameters",
            e.sets, e.with_enum_type
        ));
        for u in &e.uncovered {
            out.push(format!("NOT COVERED: {u}"));
        }
        let kinds: Vec<String> = self
            .rules
            .kinds
            .iter()
            .filter(|k| k.1 + k.2 > 0)
            .map(|(k, mined, curated)| format!("{k} {mined}+{curated}"))
            .collect();
        out.push(format!(
            "rules: {} mined, {} curated ({})",
            self.rules.mined(),
            self.rules.curated(),
            kinds.join(", ")
        ));
        out.push(format!(
            "identifiers: {} user, {} chat, {} message; {} union variants",
            self.ids.0, self.ids.1, self.ids.2, self.ids.3
        ));
        out
    }

    /// The marks as a Markdown section; the exceptions one per line.
    pub fn to_markdown(&self) -> String {
        let mut s = String::from("\n## Enumerations, rules and identifiers\n\n");
        for (i, l) in self.lines().into_iter().enumerate() {
            let l = if i == 0 {
                l.split(" (").next().unwrap_or_default().to_string()
            } else {
                l
            };
            s.push_str(&format!("- {l}\n"));
            if i == 0 {
                for (at, why) in &self.enums.exceptions {
                    s.push_str(&format!("  - {at}: {why}\n"));
                }
            }
        }
        s
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for l in self.lines() {
            writeln!(f, "{l}")?;
        }
        Ok(())
    }
}
