//! The importer on small hand-made files in both upstream formats (no
//! dependency on `../shared`): facts, mining, discriminators, curation that
//! survives re-import, conflicts, patches and the change report.

use std::path::PathBuf;

use botapi_codegen::import::{empty_schema, import, read_upstream, to_json, Overlay, Upstream};

fn fixture(name: &str) -> Upstream {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/upstream")
        .join(name);
    read_upstream(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn reads_facts_from_both_formats() {
    for (file, version) in [("paul.json", "1.0"), ("aiogram.json", "1.1")] {
        let up = fixture(file);
        assert_eq!(up.version, version);
        let get = up
            .methods
            .iter()
            .find(|m| m.name == "getPet")
            .expect("getPet");
        assert_eq!(get.returns, "Pet");
        assert_eq!(get.doc, "#getpet");
        assert_eq!(get.params[0].ty, "Integer or String");
        assert_eq!(get.params[1].default, Some(5.into()));
        let rename = up
            .methods
            .iter()
            .find(|m| m.name == "renamePet")
            .expect("renamePet");
        assert_eq!(rename.returns, "True");
        assert_eq!(
            (rename.params[0].min_len, rename.params[0].max_len),
            (Some(1), Some(32))
        );
        let pet = up
            .types
            .iter()
            .find(|t| t.name == "Pet")
            .and_then(|t| t.union.clone())
            .expect("union");
        assert_eq!(pet.discriminator.as_deref(), Some("kind"));
        let values: Vec<_> = pet
            .variants
            .iter()
            .map(|v| v.value.clone().unwrap_or_default())
            .collect();
        assert_eq!(values, ["dog", "cat"]);
        assert!(
            up.types
                .iter()
                .any(|t| t.synthetic && t.name == "Recipient"),
            "Integer or String gets a name"
        );
        assert!(
            up.methods.iter().all(|m| m.summary.is_empty()),
            "no prose is imported"
        );
    }
}

#[test]
fn curation_survives_and_the_report_tells_what_changed() {
    let first = import(&empty_schema(), fixture("paul.json"), None);
    assert_eq!(
        first.missing_summaries.len(),
        2 + 4,
        "two methods and four types (ChatId included) need summaries"
    );
    // Curate: a summary, an error reference and a corrected constraint.
    let mut curated = first.schema.clone();
    curated.methods[0].summary = "Looks a pet up.".into();
    curated.methods[0].errors = vec!["PetNotFound".into()];
    let limit = &mut curated.methods[0].params[1];
    limit.max = Some(10.0);
    limit.curated = Some("the service caps pages at 10".into());

    let second = import(&curated, fixture("aiogram.json"), None);
    let get = &second.schema.methods[0];
    assert_eq!(get.summary, "Looks a pet up.");
    assert_eq!(get.errors, ["PetNotFound"]);
    assert_eq!(get.params[1].max, Some(10.0), "curated constraint kept");
    assert!(
        second
            .conflicts
            .iter()
            .any(|c| c.contains("getPet.limit") && c.contains("max 10 (upstream: 50)")),
        "{:?}",
        second.conflicts
    );
    let kinds: Vec<(&str, &str, bool)> = second
        .report
        .changes
        .iter()
        .map(|c| (c.kind, c.item.as_str(), c.breaking))
        .collect();
    assert!(
        kinds.contains(&("method added", "adoptPet", false)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("parameter added", "renamePet.reason", true)),
        "a new required parameter breaks callers"
    );
    let md = second.report.to_markdown();
    assert!(md.contains("# Bot API changes: 1.0 -> 1.1"));
    assert!(
        md.contains("| yes | parameter added | `renamePet.reason` |"),
        "{md}"
    );

    let again = import(&second.schema, fixture("aiogram.json"), None);
    assert_eq!(
        to_json(&again.schema),
        to_json(&second.schema),
        "re-import is byte-identical"
    );
    assert!(again.report.changes.is_empty());
}

#[test]
fn patches_apply_to_their_version_only_and_say_when_redundant() {
    let overlay: Overlay = serde_json::from_str(
        r#"{"applies_to": "1.1", "version": "1.2", "release_date": "2030-05-05", "patches": [
            {"op": "add_param", "method": "getPet", "field": {"name": "with_toys", "type": "Boolean"}},
            {"op": "remove_param", "method": "renamePet", "name": "reason"},
            {"op": "add_param", "method": "getPet", "field": {"name": "limit", "type": "Integer"}},
            {"op": "set_required", "owner": "PetCat", "name": "lives", "required": false}
        ]}"#,
    )
    .expect("overlay");
    let done = import(&empty_schema(), fixture("aiogram.json"), Some(&overlay));
    assert_eq!(done.schema.version, "1.2");
    let get = done
        .schema
        .methods
        .iter()
        .find(|m| m.name == "getPet")
        .expect("getPet");
    assert!(get.params.iter().any(|p| p.name == "with_toys"));
    let rename = done
        .schema
        .methods
        .iter()
        .find(|m| m.name == "renamePet")
        .expect("renamePet");
    assert!(!rename.params.iter().any(|p| p.name == "reason"));
    assert!(
        done.conflicts
            .iter()
            .any(|c| c.contains("add getPet.limit: upstream has it already")),
        "{:?}",
        done.conflicts
    );

    let skipped = import(&empty_schema(), fixture("paul.json"), Some(&overlay));
    assert_eq!(skipped.schema.version, "1.0");
    assert!(
        skipped.conflicts[0].contains("not applied"),
        "{:?}",
        skipped.conflicts
    );
}

#[test]
fn malformed_upstream_is_an_error_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("botapi-import-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    for (name, text) in [
        ("a.json", "{not json"),
        ("b.json", "[1,2]"),
        (
            "c.json",
            r#"{"methods": {"x": {}}, "types": {}, "version": "1", "release_date": "x"}"#,
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        let err = read_upstream(&path).expect_err(name);
        assert!(!err.to_string().is_empty());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
