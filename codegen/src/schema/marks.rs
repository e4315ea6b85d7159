//! The facts of a schema marked with a `provenance`: they rest on secondary
//! or single sources, or some part of them was not seen. `lint` lists them;
//! an import at their version confirms or contradicts them.

use std::fmt::Write;

use super::model::{Basis, Provenance, Schema};

/// One marked fact.
#[derive(Debug, Clone)]
pub struct Marked<'a> {
    /// What is marked (`sendWidget`, `Widget.id`, `InputMessageContent.InputWidgetMessageContent`).
    pub item: String,
    /// The mark.
    pub provenance: &'a Provenance,
}

/// Every marked fact, in schema order (methods, their parameters, types,
/// their fields and variants).
pub fn marked(schema: &Schema) -> Vec<Marked<'_>> {
    let mut out = Vec::new();
    fn push<'a>(out: &mut Vec<Marked<'a>>, item: String, p: &'a Option<Provenance>) {
        if let Some(provenance) = p {
            out.push(Marked { item, provenance });
        }
    }
    for m in &schema.methods {
        push(&mut out, m.name.clone(), &m.provenance);
        for p in &m.params {
            push(&mut out, format!("{}.{}", m.name, p.name), &p.provenance);
        }
    }
    for t in &schema.types {
        push(&mut out, t.name.clone(), &t.provenance);
        for f in t.fields.iter().flatten() {
            push(&mut out, format!("{}.{}", t.name, f.name), &f.provenance);
        }
        for v in t.union.iter().flat_map(|u| &u.variants) {
            push(&mut out, format!("{}.{}", t.name, v.ty), &v.provenance);
        }
    }
    out
}

fn basis_word(b: Basis) -> &'static str {
    match b {
        Basis::Official => "official text, parts unseen",
        Basis::Secondary => "secondary sources",
        Basis::Single => "one source",
    }
}

/// The listing `lint` prints: the facts resting on one source first, then
/// the rest, each with its sources, what no source showed, and the note.
pub fn listing(schema: &Schema) -> String {
    let all = marked(schema);
    let mut s = String::new();
    if all.is_empty() {
        return s;
    }
    let single = all
        .iter()
        .filter(|m| m.provenance.basis == Basis::Single)
        .count();
    let _ = writeln!(
        s,
        "{} marked facts ({} resting on one source); an import of a machine-readable description at their version confirms or contradicts them:",
        all.len(),
        single
    );
    for basis in [Basis::Single, Basis::Secondary, Basis::Official] {
        let group: Vec<&Marked> = all.iter().filter(|m| m.provenance.basis == basis).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{} ({}):", basis_word(basis), group.len());
        for m in group {
            let p = m.provenance;
            let _ = write!(s, "  {} [{}]", m.item, p.version);
            if !p.sources.is_empty() {
                let _ = write!(s, " from {}", p.sources.join(", "));
            }
            if !p.unverified.is_empty() {
                let words: Vec<String> = p
                    .unverified
                    .iter()
                    .map(|u| {
                        serde_json::to_value(u)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default()
                    })
                    .collect();
                let _ = write!(s, "; not seen: {}", words.join(", "));
            }
            if let Some(n) = &p.note {
                let _ = write!(s, "; {n}");
            }
            s.push('\n');
        }
    }
    s
}
