//! The command line: generate, `--check` (exit 1 naming stale files, writes
//! nothing), and a broken schema (exit 2, every problem listed, no panic).

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_botapi-codegen"))
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("botapi-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn mini() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini/api.json")
}

#[test]
fn generate_then_check() {
    let out = temp("check");
    let run = bin()
        .arg("--schema")
        .arg(mini())
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let check = bin()
        .arg("--schema")
        .arg(mini())
        .arg("--out")
        .arg(&out)
        .arg("--check")
        .output()
        .expect("run");
    assert!(check.status.success());
    assert!(String::from_utf8_lossy(&check.stdout).contains("up to date: 4 generated files"));

    std::fs::write(out.join("types.rs"), "// hand edit\n").expect("edit");
    std::fs::remove_file(out.join("error_kinds.rs")).expect("remove");
    let check = bin()
        .arg("--schema")
        .arg(mini())
        .arg("--out")
        .arg(&out)
        .arg("--check")
        .output()
        .expect("run");
    assert_eq!(check.status.code(), Some(1));
    let err = String::from_utf8_lossy(&check.stderr);
    assert!(
        err.contains("stale:") && err.contains("types.rs") && err.contains("error_kinds.rs"),
        "{err}"
    );
    assert!(!err.contains("methods.rs"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("types.rs")).unwrap(),
        "// hand edit\n"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn broken_schema_lists_every_problem() {
    let dir = temp("broken");
    let schema = dir.join("api.json");
    let src = std::fs::read_to_string(mini())
        .expect("fixture")
        .replace("\"returns\": \"PetPage\"", "\"returns\": \"PetPages\"")
        .replace("\"max\": 9", "\"max\": -1");
    std::fs::write(&schema, src).expect("write");
    let run = bin()
        .arg("--schema")
        .arg(&schema)
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("api.json:16:7: error at methods[0].returns: unknown type `PetPages`"),
        "{err}"
    );
    assert!(err.contains("hint: did you mean `PetPage`?"), "{err}");
    assert!(err.contains("is greater than its maximum"), "{err}");
    assert!(err.contains("2 problems found"), "{err}");
    assert!(!dir.join("out").exists(), "nothing may be written");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_schema_is_a_clear_error() {
    let run = bin()
        .arg("--schema")
        .arg("/nonexistent/api.json")
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot read the schema"));
}
