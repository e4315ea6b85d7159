//! CHANGELOG sections from an import's steps (`import::changelog`), on the
//! layered fixtures (`fixtures/layers/`): one section per new version, newest
//! first; breaking items before added ones; curated migration notes grouping
//! their items, plain notes for the rest; renames under Deprecated; sections
//! already in the file kept and reported, never duplicated.

use std::path::PathBuf;

use botapi_codegen::import::changelog::{section, update};
use botapi_codegen::import::{empty_schema, import, read_upstream, Overlay, Step, Upstream};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layers")
}

fn upstream(name: &str) -> Upstream {
    read_upstream(&dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn overlay() -> Overlay {
    let text = std::fs::read_to_string(dir().join("curation.json")).expect("curation");
    serde_json::from_str(&text).expect("overlay")
}

/// The steps of an import from the 1.0 schema through the three layers.
fn steps() -> Vec<Step> {
    let at_1_0 = import(&empty_schema(), upstream("upstream-1.0.json"), None).schema;
    let done = import(&at_1_0, upstream("upstream-1.0.json"), Some(&overlay()));
    let versions: Vec<&str> = done.steps.iter().map(|s| s.version.as_str()).collect();
    assert_eq!(versions, ["1.1", "1.2", "1.3"]);
    done.steps
}

fn step<'a>(steps: &'a [Step], version: &str) -> &'a Step {
    steps
        .iter()
        .find(|s| s.version == version)
        .unwrap_or_else(|| panic!("{version}"))
}

/// The bullet (with its continuation lines) of `text` that mentions `item`.
fn bullet<'a>(text: &'a str, item: &str) -> &'a str {
    let at = text
        .find(&format!("`{item}`"))
        .unwrap_or_else(|| panic!("no `{item}` in {text}"));
    let start = text[..at].rfind("\n- ").map_or(0, |i| i + 1);
    let end = text[at..]
        .find("\n- ")
        .or_else(|| text[at..].find("\n\n"))
        .map_or(text.len(), |i| at + i);
    &text[start..end]
}

fn heading_at(text: &str, version: &str) -> usize {
    let marker = format!("## Bot API {version} (");
    assert_eq!(
        text.matches(&marker).count(),
        1,
        "one {version} section: {text}"
    );
    text.find(&marker).expect("heading")
}

#[test]
fn each_step_carries_its_report_and_layer_migrations() {
    let steps = steps();
    let s = step(&steps, "1.1");
    assert_eq!(s.release_date, "2030-04-01");
    assert_eq!(
        (s.report.from.as_str(), s.report.to.as_str()),
        ("1.0", "1.1")
    );
    assert_eq!(s.migrations.len(), 1);
    let kinds: Vec<(&str, &str)> = s
        .report
        .changes
        .iter()
        .map(|c| (c.kind, c.item.as_str()))
        .collect();
    for k in [
        ("method added", "adoptPet"),
        ("parameter removed", "feedPet.amount"),
        ("type changed", "feedPet.food"),
        ("field removed", "PetCat.lives"),
        ("field added", "PetDog.good"),
    ] {
        assert!(kinds.contains(&k), "{k:?} in {kinds:?}");
    }
    let s2 = step(&steps, "1.2");
    assert_eq!(
        (s2.report.from.as_str(), s2.report.to.as_str()),
        ("1.1", "1.2")
    );
    assert!(s2
        .report
        .of_kind("return type changed")
        .any(|c| c.item == "getOwner"));
    assert_eq!(s2.marked, 1, "the set_returns patch is marked");
    assert_eq!(step(&steps, "1.3").marked, 0);
}

#[test]
fn a_section_lists_breaking_items_first_with_migration_notes() {
    let steps = steps();
    let s = section(step(&steps, "1.1"));
    assert!(s.starts_with("## Bot API 1.1 (2030-04-01)\n"), "{s}");
    let breaking = s.find("### Breaking").expect(&s);
    let added = s.find("### Added").expect(&s);
    assert!(breaking < added, "{s}");
    let breaking_part = &s[breaking..added];
    // The curated note groups its two items in one bullet, once.
    let note = &overlay().layers[0].migrations[0].note;
    assert_eq!(s.matches(note.as_str()).count(), 1, "{s}");
    let grouped = bullet(breaking_part, "feedPet.amount");
    assert!(grouped.contains("`PetCat.lives`"), "{grouped}");
    assert!(grouped.contains(&format!("Migration: {note}")), "{grouped}");
    // An uncurated breaking item has a plain note of its own.
    let plain = bullet(breaking_part, "feedPet.food");
    assert!(!plain.contains("PetCat.lives") && !plain.contains(note.as_str()));
    assert!(plain.contains("String -> Array of String"), "{plain}");
    assert!(plain.contains("\n  Migration: "), "{plain}");
    // Added items are listed by kind, not as breaking.
    let added_part = &s[added..];
    assert!(added_part.contains("- Methods: `adoptPet`"), "{s}");
    assert!(added_part.contains("- Fields: `PetDog.good`"), "{s}");
    assert!(!breaking_part.contains("adoptPet"), "{s}");
    assert!(!s.contains("### Sources"), "no marks of 1.1");

    let s2 = section(step(&steps, "1.2"));
    let owner = bullet(&s2, "getOwner");
    assert!(
        owner.contains("getOwner answers with an Owner"),
        "curated note: {s2}"
    );
    assert!(s2.contains("### Sources\n\n1 facts"), "{s2}");
}

#[test]
fn a_rename_is_deprecated_not_breaking() {
    let steps = steps();
    let s = section(step(&steps, "1.3"));
    let dep = s.find("### Deprecated").expect(&s);
    let rename = bullet(&s[dep..], "PetHouse");
    assert!(
        rename.contains("renamed") && rename.contains("Kennel"),
        "{rename}"
    );
    assert!(
        rename.contains("Migration: Write PetHouse where the code says Kennel"),
        "{rename}"
    );
    if let Some(b) = s.find("### Breaking") {
        assert!(!s[b..dep].contains("PetHouse"), "{s}");
    }
    assert!(
        s[dep..].contains("- Types: ") && s.contains("`PetFish`"),
        "{s}"
    );
    assert!(s.contains("- Union variants: `Pet.PetFish`"), "{s}");
}

#[test]
fn update_writes_every_section_newest_first() {
    let steps = steps();
    let (text, skipped) = update("", &steps);
    assert!(skipped.is_empty());
    assert!(
        text.starts_with("# Changelog\n\n## Bot API 1.3 (2030-06-01)\n"),
        "{text}"
    );
    let (a, b, c) = (
        heading_at(&text, "1.3"),
        heading_at(&text, "1.2"),
        heading_at(&text, "1.1"),
    );
    assert!(a < b && b < c, "{text}");
    for st in &steps {
        assert!(
            text.contains(&section(st)),
            "{} section verbatim",
            st.version
        );
    }
    // Running it again adds nothing.
    let (again, skipped) = update(&text, &steps);
    assert_eq!(again, text);
    assert_eq!(skipped, ["1.3", "1.2", "1.1"]);
}

#[test]
fn an_existing_section_is_kept_and_reported() {
    let steps = steps();
    let before = "# Changelog\n\nWhat changed, newest first.\n\n## botapi 0.2.0 (unreleased)\n\n- A crate change.\n\n## Bot API 1.1 (2030-04-01)\n\nWritten by hand.\n\n## Bot API 1.0\n\nThe start.\n";
    let (text, skipped) = update(before, &steps);
    assert_eq!(skipped, ["1.1"]);
    assert_eq!(text.matches("## Bot API 1.1").count(), 1, "{text}");
    assert_eq!(text.matches("Written by hand.").count(), 1);
    assert!(!text.contains(&section(step(&steps, "1.1"))));
    assert!(text.starts_with("# Changelog\n\nWhat changed, newest first.\n\n## botapi 0.2.0 (unreleased)\n\n- A crate change.\n\n## Bot API 1.3 "), "{text}");
    let (a, b, c) = (
        heading_at(&text, "1.3"),
        heading_at(&text, "1.2"),
        heading_at(&text, "1.1"),
    );
    assert!(a < b && b < c, "{text}");
    assert!(
        text.ends_with(
            "## Bot API 1.1 (2030-04-01)\n\nWritten by hand.\n\n## Bot API 1.0\n\nThe start.\n"
        ),
        "{text}"
    );
}

#[test]
fn sections_stay_newest_first_around_a_kept_middle_section() {
    // The newest-but-one version was written by hand before the import.
    let steps = steps();
    let before = "# Changelog\n\n## Bot API 1.2 (2030-05-01)\n\nWritten by hand.\n";
    let (text, skipped) = update(before, &steps);
    assert_eq!(skipped, ["1.2"]);
    let (a, b, c) = (
        heading_at(&text, "1.3"),
        heading_at(&text, "1.2"),
        heading_at(&text, "1.1"),
    );
    assert!(
        a < b && b < c,
        "sections out of version order (1.3 at {a}, 1.2 at {b}, 1.1 at {c}):\n{text}"
    );
}
