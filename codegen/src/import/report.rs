//! The change report between two schemas: methods, types, parameters and
//! fields added or removed, type and required-flag changes, return types;
//! each marked breaking or not from a bot author's point of view.

use std::fmt;

use crate::schema::{Field, Schema};

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Breaks code written against the old generated crate.
    pub breaking: bool,
    /// Kind of change (`method added`, `parameter removed`...).
    pub kind: &'static str,
    /// What changed (`sendAudio`, `sendAudio.caption`).
    pub item: String,
    /// Details (`Integer -> String`).
    pub detail: String,
}

/// All changes from one schema to another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeReport {
    /// Version before.
    pub from: String,
    /// Version after.
    pub to: String,
    /// The changes, methods first, in schema order.
    pub changes: Vec<Change>,
}

impl ChangeReport {
    /// Changes of a kind (`"method added"`).
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Change> + 'a {
        self.changes.iter().filter(move |c| c.kind == kind)
    }

    /// Number of breaking changes.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// The report as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut s = format!("# Bot API changes: {} -> {}\n\n", self.from, self.to);
        s.push_str(&format!(
            "{} changes, {} breaking.\n\n",
            self.changes.len(),
            self.breaking()
        ));
        if !self.changes.is_empty() {
            s.push_str("| breaking | change | item | detail |\n|---|---|---|---|\n");
            for c in &self.changes {
                s.push_str(&format!(
                    "| {} | {} | `{}` | {} |\n",
                    if c.breaking { "yes" } else { "" },
                    c.kind,
                    c.item,
                    c.detail.replace('|', "\\|")
                ));
            }
        }
        s
    }
}

impl fmt::Display for ChangeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Bot API {} -> {}: {} changes, {} breaking",
            self.from,
            self.to,
            self.changes.len(),
            self.breaking()
        )?;
        for c in &self.changes {
            let mark = if c.breaking { "BREAKING " } else { "" };
            if c.detail.is_empty() {
                writeln!(f, "  {mark}{}: {}", c.kind, c.item)?;
            } else {
                writeln!(f, "  {mark}{}: {} ({})", c.kind, c.item, c.detail)?;
            }
        }
        Ok(())
    }
}

/// `True` and `Boolean` are the same Rust type; formats differ in which
/// they write for flags, so that difference is no change.
fn same_type(a: &str, b: &str) -> bool {
    a.replace("True", "Boolean") == b.replace("True", "Boolean")
}

fn push(out: &mut Vec<Change>, breaking: bool, kind: &'static str, item: String, detail: String) {
    out.push(Change {
        breaking,
        kind,
        item,
        detail,
    });
}

/// `params` says whether these are method parameters (sent by the bot) or
/// type fields (mostly received).
fn diff_fields(owner: &str, old: &[Field], new: &[Field], params: bool, out: &mut Vec<Change>) {
    let what = if params { "parameter" } else { "field" };
    for n in new {
        let item = format!("{owner}.{}", n.name);
        match old.iter().find(|o| o.name == n.name) {
            None => {
                let kind = if params {
                    "parameter added"
                } else {
                    "field added"
                };
                push(
                    out,
                    n.required,
                    kind,
                    item,
                    if n.required {
                        format!("required {what} `{}`", n.ty)
                    } else {
                        n.ty.clone()
                    },
                );
            }
            Some(o) => {
                if !same_type(&o.ty, &n.ty) {
                    push(
                        out,
                        true,
                        "type changed",
                        item.clone(),
                        format!("{} -> {}", o.ty, n.ty),
                    );
                }
                if !o.required && n.required {
                    push(out, true, "optional -> required", item, String::new());
                } else if o.required && !n.required {
                    // A required field that becomes optional changes `T` into `Option<T>`.
                    push(out, true, "required -> optional", item, String::new());
                }
            }
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|n| n.name == o.name)) {
        let kind = if params {
            "parameter removed"
        } else {
            "field removed"
        };
        push(
            out,
            true,
            kind,
            format!("{owner}.{}", o.name),
            String::new(),
        );
    }
}

/// Compare two schemas.
pub fn diff(old: &Schema, new: &Schema) -> ChangeReport {
    let mut out = Vec::new();
    for m in &new.methods {
        match old.methods.iter().find(|o| o.name == m.name) {
            None => push(
                &mut out,
                false,
                "method added",
                m.name.clone(),
                format!("returns {}", m.returns),
            ),
            Some(o) => {
                if o.returns != m.returns {
                    push(
                        &mut out,
                        true,
                        "return type changed",
                        m.name.clone(),
                        format!("{} -> {}", o.returns, m.returns),
                    );
                }
                diff_fields(&m.name, &o.params, &m.params, true, &mut out);
            }
        }
    }
    for o in old
        .methods
        .iter()
        .filter(|o| !new.methods.iter().any(|m| m.name == o.name))
    {
        push(
            &mut out,
            true,
            "method removed",
            o.name.clone(),
            String::new(),
        );
    }
    for t in &new.types {
        match old.types.iter().find(|o| o.name == t.name) {
            None => push(&mut out, false, "type added", t.name.clone(), String::new()),
            Some(o) => {
                if let (Some(of), Some(nf)) = (&o.fields, &t.fields) {
                    diff_fields(&t.name, of, nf, false, &mut out);
                }
                if let (Some(ou), Some(nu)) = (&o.union, &t.union) {
                    for v in nu
                        .variants
                        .iter()
                        .filter(|v| !ou.variants.iter().any(|x| x.ty == v.ty))
                    {
                        push(
                            &mut out,
                            false,
                            "variant added",
                            format!("{}.{}", t.name, v.ty),
                            String::new(),
                        );
                    }
                    for v in ou
                        .variants
                        .iter()
                        .filter(|v| !nu.variants.iter().any(|x| x.ty == v.ty))
                    {
                        push(
                            &mut out,
                            true,
                            "variant removed",
                            format!("{}.{}", t.name, v.ty),
                            String::new(),
                        );
                    }
                }
                if o.union.is_some() != t.union.is_some() {
                    push(
                        &mut out,
                        true,
                        "type changed",
                        t.name.clone(),
                        "object <-> union".into(),
                    );
                }
            }
        }
    }
    for o in old
        .types
        .iter()
        .filter(|o| !new.types.iter().any(|t| t.name == o.name))
    {
        push(
            &mut out,
            true,
            "type removed",
            o.name.clone(),
            String::new(),
        );
    }
    ChangeReport {
        from: old.version.clone(),
        to: new.version.clone(),
        changes: out,
    }
}
