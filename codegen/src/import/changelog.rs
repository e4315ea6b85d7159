//! The `CHANGELOG.md` sections an import writes: one per Bot API version it
//! brought in, made from that version's change report, breaking items first,
//! each with a migration note (the curation layer's, or a plain one by the
//! kind of change). A section already in the file is left as it is, so hand
//! edits survive the next import.

use super::overlay::Migration;
use super::report::{Change, ChangeReport};
use crate::schema::version_key;

/// One version an import brought in.
#[derive(Debug, Clone)]
pub struct Step {
    /// Bot API version.
    pub version: String,
    /// Its release date.
    pub release_date: String,
    /// What changed from the version before.
    pub report: ChangeReport,
    /// Curated migration notes of the layer that produced it.
    pub migrations: Vec<Migration>,
    /// How many facts of this version rest on secondary or single sources.
    pub marked: usize,
}

/// The heading of a version's section.
pub fn heading(version: &str, release_date: &str) -> String {
    if release_date.is_empty() {
        format!("## Bot API {version}")
    } else {
        format!("## Bot API {version} ({release_date})")
    }
}

/// A plain migration note for a breaking change without a curated one.
fn default_note(c: &Change) -> String {
    let param =
        c.kind.starts_with("parameter") || c.item.chars().next().is_some_and(char::is_lowercase);
    match c.kind {
        "field removed" => "The field is gone from the struct; a server that still sends it has it kept in `extra`.".into(),
        "parameter removed" => "Remove the setter call; Telegram no longer takes this parameter.".into(),
        "method removed" => "The call is gone; Telegram no longer offers it.".into(),
        "type removed" => "The type is gone; code naming it must change.".into(),
        "variant removed" => "Remove the match arm; values of this kind arrive as `Unknown` if still sent.".into(),
        "return type changed" => format!("The call now returns a different type ({}); update the code that reads its result.", c.detail),
        "type changed" => format!("The Rust type follows the new wire type ({})."
            , c.detail),
        "optional -> required" if param => "The value became an argument of the request's constructor.".into(),
        "optional -> required" => "The field is always present: read it without unwrapping an `Option`.".into(),
        "required -> optional" if param => "The value moved from the constructor to a setter.".into(),
        "required -> optional" => "The field became an `Option`: handle its absence.".into(),
        "parameter added" | "field added" => "A new required value: pass it to the constructor.".into(),
        _ => "Review code that uses it.".into(),
    }
}

fn item_list(items: &[&Change]) -> String {
    items
        .iter()
        .map(|c| format!("`{}`", c.item))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Markdown section of one version.
pub fn section(step: &Step) -> String {
    let r = &step.report;
    let mut s = heading(&step.version, &step.release_date);
    s.push_str(&format!(
        "\n\n<!-- Written by `botapi-codegen import --changelog` from the change report {} -> {}; edit freely, the next import keeps this section. -->\n",
        r.from, r.to
    ));
    let breaking: Vec<&Change> = r.changes.iter().filter(|c| c.breaking).collect();
    if !breaking.is_empty() {
        s.push_str("\n### Breaking\n\n");
        // Items that share a curated note are listed together, in report order.
        let mut done = vec![false; breaking.len()];
        for i in 0..breaking.len() {
            if done[i] {
                continue;
            }
            let note = step
                .migrations
                .iter()
                .find(|m| m.items.contains(&breaking[i].item));
            let group: Vec<usize> = match note {
                Some(n) => (i..breaking.len())
                    .filter(|&j| !done[j] && n.items.contains(&breaking[j].item))
                    .collect(),
                None => vec![i],
            };
            for &j in &group {
                done[j] = true;
            }
            let members: Vec<&Change> = group.iter().map(|&j| breaking[j]).collect();
            let what = describe(&members);
            let migration = note.map_or_else(|| default_note(breaking[i]), |n| n.note.clone());
            s.push_str(&format!("- {what}\n  Migration: {migration}\n"));
        }
    }
    let deprecated: Vec<&Change> = r
        .changes
        .iter()
        .filter(|c| c.kind == "type renamed")
        .collect();
    if !deprecated.is_empty() {
        s.push_str("\n### Deprecated\n\n");
        for c in deprecated {
            let note = step
                .migrations
                .iter()
                .find(|m| m.items.contains(&c.item))
                .map(|m| format!("\n  Migration: {}", m.note))
                .unwrap_or_default();
            s.push_str(&format!("- `{}`: renamed ({}).{note}\n", c.item, c.detail));
        }
    }
    let added: Vec<(&str, &str)> = [
        ("method added", "Methods"),
        ("type added", "Types"),
        ("parameter added", "Parameters"),
        ("field added", "Fields"),
        ("variant added", "Union variants"),
    ]
    .into_iter()
    .filter(|(k, _)| r.changes.iter().any(|c| c.kind == *k && !c.breaking))
    .collect();
    if !added.is_empty() {
        s.push_str("\n### Added\n\n");
        for (kind, title) in added {
            let items: Vec<&Change> = r
                .changes
                .iter()
                .filter(|c| c.kind == kind && !c.breaking)
                .collect();
            s.push_str(&format!("- {title}: {}\n", item_list(&items)));
        }
    }
    if step.marked > 0 {
        s.push_str(&format!(
            "\n### Sources\n\n{} facts of this version rest on secondary or single sources or have parts no source showed; `cargo run -p botapi-codegen -- lint` lists them.\n",
            step.marked
        ));
    }
    s
}

fn describe(members: &[&Change]) -> String {
    let first = members[0];
    if members.len() == 1 {
        if first.detail.is_empty() {
            format!("`{}`: {}.", first.item, first.kind)
        } else {
            format!("`{}`: {} ({}).", first.item, first.kind, first.detail)
        }
    } else {
        let kinds: std::collections::BTreeSet<&str> = members.iter().map(|c| c.kind).collect();
        let kinds: Vec<&str> = kinds.into_iter().collect();
        format!("{}: {}.", item_list(members), kinds.join(", "))
    }
}

/// `text` (a changelog, possibly empty) with a section for every step it
/// lacks. Bot API sections run newest first: each new one goes before the
/// first section of an older version, or after the last Bot API section
/// (at the end) when there is none; anything above the first Bot API
/// section (an introduction, crate releases) stays above. Returns the text
/// and the versions skipped because their section exists.
pub fn update(text: &str, steps: &[Step]) -> (String, Vec<String>) {
    let mut skipped = Vec::new();
    let mut out = if text.trim().is_empty() {
        "# Changelog\n".to_string()
    } else {
        text.to_string()
    };
    for step in steps.iter().rev() {
        let headings = api_headings(&out);
        if headings.iter().any(|(_, v)| *v == step.version) {
            skipped.push(step.version.clone());
            continue;
        }
        let new = version_key(&step.version);
        let at = headings
            .iter()
            .find(|(_, v)| version_key(v) < new)
            .map(|(at, _)| *at);
        let section = section(step);
        match at {
            Some(at) => out.insert_str(at, &format!("{section}\n")),
            None => {
                if !out.ends_with("\n\n") {
                    out.push('\n');
                }
                out.push_str(&section);
            }
        }
    }
    (out, skipped)
}

/// Byte offset and version of every `## Bot API X` heading, in file order.
fn api_headings(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("## Bot API ") {
            let version = rest.split_whitespace().next().unwrap_or_default();
            out.push((offset, version.to_string()));
        }
        offset += line.len();
    }
    out
}
