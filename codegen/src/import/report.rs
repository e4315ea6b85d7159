//! The change report between two schemas: methods, types, parameters and
//! fields added or removed, type and required-flag changes, return types;
//! each marked breaking or not from a bot author's point of view.

use std::fmt;

use crate::schema::{Field, Schema, TypeExpr};

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
    /// Facts marked as resting on secondary or single sources that this
    /// import confirmed (their mark was dropped).
    pub confirmed: Vec<String>,
    /// Marked facts this import contradicted (ours were kept).
    pub contradicted: Vec<String>,
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
        for (title, list) in [
            ("Marked facts confirmed", &self.confirmed),
            ("Marked facts contradicted (ours kept)", &self.contradicted),
        ] {
            if !list.is_empty() {
                s.push_str(&format!("\n## {title}\n\n"));
                for x in list {
                    s.push_str(&format!("- {x}\n"));
                }
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
        for x in &self.confirmed {
            writeln!(f, "  confirmed: {x}")?;
        }
        for x in &self.contradicted {
            writeln!(f, "  CONTRADICTED: {x}")?;
        }
        Ok(())
    }
}

/// Old type names mapped to the names they were renamed to.
struct Renames(Vec<(String, String)>);

impl Renames {
    fn of(old: &Schema, new: &Schema) -> Renames {
        let mut out = Vec::new();
        for t in &new.types {
            for r in &t.renamed_from {
                if old.type_def(&r.name).is_some() && old.type_def(&t.name).is_none() {
                    out.push((r.name.clone(), t.name.clone()));
                }
            }
        }
        Renames(out)
    }

    /// `expr` (of the old schema) with renamed types under their new names.
    fn apply(&self, expr: &str) -> String {
        let Ok(mut e) = TypeExpr::parse(expr) else {
            return expr.to_string();
        };
        for (from, to) in &self.0 {
            e = e.rename(from, to);
        }
        e.to_string()
    }

    fn old_name_of(&self, new: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(_, to)| to == new)
            .map(|(from, _)| from.as_str())
    }

    fn is_renamed(&self, old: &str) -> bool {
        self.0.iter().any(|(from, _)| from == old)
    }
}

/// `True` and `Boolean` are the same Rust type; formats differ in which
/// they write for flags, so that difference is no change.
fn same_type(renames: &Renames, old: &str, new: &str) -> bool {
    same_bool(&renames.apply(old), new) || same_bool(old, new)
}

fn same_bool(a: &str, b: &str) -> bool {
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
fn diff_fields(
    renames: &Renames,
    owner: &str,
    old: &[Field],
    new: &[Field],
    params: bool,
    out: &mut Vec<Change>,
) {
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
                if !same_type(renames, &o.ty, &n.ty) {
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
    let renames = Renames::of(old, new);
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
                if !same_type(&renames, &o.returns, &m.returns) {
                    push(
                        &mut out,
                        true,
                        "return type changed",
                        m.name.clone(),
                        format!("{} -> {}", o.returns, m.returns),
                    );
                }
                diff_fields(&renames, &m.name, &o.params, &m.params, true, &mut out);
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
        let renamed_from = renames.old_name_of(&t.name);
        if let Some(from) = renamed_from {
            push(
                &mut out,
                false,
                "type renamed",
                t.name.clone(),
                format!("from {from}; the old name stays as a deprecated alias"),
            );
        }
        let old_name = renamed_from.unwrap_or(&t.name);
        match old.types.iter().find(|o| o.name == old_name) {
            None => push(&mut out, false, "type added", t.name.clone(), String::new()),
            Some(o) => {
                if let (Some(of), Some(nf)) = (&o.fields, &t.fields) {
                    diff_fields(&renames, &t.name, of, nf, false, &mut out);
                }
                if let (Some(ou), Some(nu)) = (&o.union, &t.union) {
                    for v in nu
                        .variants
                        .iter()
                        .filter(|v| !ou.variants.iter().any(|x| renames.apply(&x.ty) == v.ty))
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
                        .filter(|v| !nu.variants.iter().any(|x| x.ty == renames.apply(&v.ty)))
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
        .filter(|o| !new.types.iter().any(|t| t.name == o.name) && !renames.is_renamed(&o.name))
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
        confirmed: Vec::new(),
        contradicted: Vec::new(),
    }
}
