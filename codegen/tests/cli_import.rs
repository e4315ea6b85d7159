//! The command line for the version work: `lint` lists the marked facts
//! after "no problems" (count first, one-source group first), and `import`
//! with `--curation`, `--history`, `--report` and `--changelog` writes the
//! schema, the report and one changelog section per new version, keeping the
//! sections already there on the next run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_botapi-codegen"))
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("botapi-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every `provenance` object in a JSON document.
fn marks(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "provenance" {
                    out.push(x.clone());
                } else {
                    marks(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| marks(x, out)),
        _ => {}
    }
}

#[test]
fn lint_lists_the_marked_facts() {
    let schema = fixtures().join("provenance/api.json");
    let out = ok(&bin()
        .arg("--schema")
        .arg(&schema)
        .arg("lint")
        .output()
        .expect("run"));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&schema).expect("read")).expect("JSON");
    let mut all = Vec::new();
    marks(&doc, &mut all);
    let single = all.iter().filter(|m| m["basis"] == "single").count();
    let secondary = all.iter().filter(|m| m["basis"] == "secondary").count();
    assert!(single > 0 && secondary > 0);

    let mut lines = out.lines();
    assert!(
        lines
            .next()
            .is_some_and(|l| l.ends_with("api.json: no problems")),
        "{out}"
    );
    assert!(
        lines.next().is_some_and(|l| l.starts_with(&format!(
            "{} marked facts ({single} resting on one source)",
            all.len()
        ))),
        "{out}"
    );
    let one = out
        .find(&format!("\none source ({single}):\n"))
        .expect(&out);
    let two = out
        .find(&format!("\nsecondary sources ({secondary}):\n"))
        .expect(&out);
    assert!(one < two, "the one-source group comes first: {out}");
    let group: Vec<&str> = out[one..two]
        .lines()
        .filter(|l| l.starts_with("  "))
        .collect();
    assert_eq!(group.len(), single, "{out}");
    assert!(
        group.contains(&"  feedPet [1.1] from petlib 2.0 source; not seen: required; food read as required from one example"),
        "{group:#?}"
    );
    assert!(
        out.contains("\nofficial text, parts unseen (1):\n  PetBird [1.1]"),
        "{out}"
    );

    // A schema without marks prints no listing.
    let mini = fixtures().join("mini/api.json");
    let out = ok(&bin()
        .arg("--schema")
        .arg(&mini)
        .arg("lint")
        .output()
        .expect("run"));
    assert_eq!(out.lines().count(), 1, "{out}");
}

fn import_cmd(dir: &Path, upstream: &str, extra: &[&str]) -> Command {
    let mut cmd = bin();
    cmd.arg("--schema")
        .arg(dir.join("api.json"))
        .arg("import")
        .arg(fixtures().join("layers").join(upstream))
        .arg("--curation")
        .arg(fixtures().join("layers/curation.json"))
        .arg("--changelog")
        .arg(dir.join("CHANGELOG.md"))
        .arg("--report")
        .arg(dir.join("report.md"))
        .args(extra);
    cmd
}

#[test]
fn import_writes_the_changelog_and_keeps_it_on_the_next_run() {
    let dir = temp("changelog");
    let changelog = dir.join("CHANGELOG.md");
    let hand =
        "# Changelog\n\nHand-written notes.\n\n## Bot API 1.0 (2030-03-03)\n\nWritten by hand.\n";
    std::fs::write(&changelog, hand).expect("write");
    let out = ok(&import_cmd(&dir, "upstream-1.0.json", &[])
        .output()
        .expect("run"));
    assert!(
        out.contains(&format!("wrote {}", changelog.display())),
        "{out}"
    );
    assert!(
        out.contains("the Bot API 1.0 section exists; kept as it is"),
        "{out}"
    );
    let text = std::fs::read_to_string(&changelog).expect("changelog");
    assert!(
        text.starts_with("# Changelog\n\nHand-written notes.\n"),
        "{text}"
    );
    assert!(
        text.ends_with("\n\n## Bot API 1.0 (2030-03-03)\n\nWritten by hand.\n"),
        "{text}"
    );
    let at = |v: &str| {
        let marker = format!("\n## Bot API {v} (");
        assert_eq!(text.matches(&marker).count(), 1, "{v}: {text}");
        text.find(&marker).expect("section")
    };
    assert!(at("1.3") < at("1.2") && at("1.2") < at("1.1") && at("1.1") < at("1.0"));
    assert!(
        text.contains("Migration: Both moved to the pet's card"),
        "{text}"
    );
    let report = std::fs::read_to_string(dir.join("report.md")).expect("report");
    assert!(report.starts_with("# Bot API changes: "), "{report}");
    assert!(report.lines().next().is_some_and(|l| l.ends_with("-> 1.3")));
    let schema = std::fs::read_to_string(dir.join("api.json")).expect("schema");
    let doc: Value = serde_json::from_str(&schema).expect("JSON");
    assert_eq!(doc["version"], "1.3");
    assert_eq!(
        doc["history"],
        serde_json::json!(["1.0", "1.1", "1.2", "1.3"])
    );

    // The next run (nothing newer) changes neither file.
    let out = ok(&import_cmd(&dir, "upstream-1.0.json", &[])
        .output()
        .expect("run"));
    assert!(
        !out.contains(&format!("wrote {}", changelog.display())),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&changelog).expect("changelog"),
        text
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("api.json")).expect("schema"),
        schema
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn import_history_dates_items() {
    let dir = temp("history");
    let older = fixtures().join("layers/upstream-1.0.json");
    let older = older.to_str().expect("utf-8 path");
    let out = ok(
        &import_cmd(&dir, "upstream-1.2.json", &["--history", older])
            .output()
            .expect("run"),
    );
    assert!(
        out.contains("skipped"),
        "layers 1.1 and 1.2 are noted: {out}"
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("api.json")).expect("schema"))
            .expect("JSON");
    assert_eq!(doc["history"], serde_json::json!(["1.0", "1.2", "1.3"]));
    let since = |name: &str| {
        doc["methods"]
            .as_array()
            .and_then(|ms| ms.iter().find(|m| m["name"] == name))
            .map(|m| m["since"].clone())
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(since("getPet"), "1.0");
    assert_eq!(since("adoptPet"), "1.2");
    let text = std::fs::read_to_string(dir.join("CHANGELOG.md")).expect("changelog");
    assert!(text.contains("## Bot API 1.3 (2030-06-01)"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_curation_file_is_a_clear_error() {
    let dir = temp("badcuration");
    let bad = dir.join("curation.json");
    std::fs::write(&bad, "{\"layers\": [").expect("write");
    let out = bin()
        .arg("--schema")
        .arg(dir.join("api.json"))
        .arg("import")
        .arg(fixtures().join("layers/upstream-1.0.json"))
        .arg("--curation")
        .arg(&bad)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("curation.json"), "{err}");
    assert!(!dir.join("api.json").exists(), "nothing written");
    let _ = std::fs::remove_dir_all(&dir);
}
