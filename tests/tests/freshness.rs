//! The committed generated modules must be exactly what the codegen makes
//! from `schema/api.json` today; names every stale file otherwise.

use std::path::Path;

#[test]
fn generated_code_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let schema = root.join("schema/api.json");
    let files = botapi_codegen::generate(&schema, &botapi_codegen::emit::Options::default())
        .unwrap_or_else(|e| panic!("schema/api.json does not generate: {e}"));
    let outcome =
        botapi_codegen::write::write_files(&root.join("generated/src/emitted"), &files, true)
            .expect("compare files");
    assert!(
        outcome.stale.is_empty(),
        "stale generated files (run `cargo run -p botapi-codegen`): {:?}",
        outcome.stale
    );
    assert_eq!(outcome.unchanged.len(), 4);
}

#[test]
fn check_mode_names_every_stale_file_and_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("botapi-fresh-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/api.json");
    let files = botapi_codegen::generate(&schema, &botapi_codegen::emit::Options::default())
        .expect("generate");
    // One file current, one edited by hand, two missing.
    std::fs::write(dir.join(files[0].name), &files[0].contents).expect("write");
    std::fs::write(dir.join(files[1].name), "// edited by hand\n").expect("write");
    let outcome = botapi_codegen::write::write_files(&dir, &files, true).expect("check");
    let stale: Vec<String> = outcome
        .stale
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(stale, ["methods.rs", "client_methods.rs", "error_kinds.rs"]);
    assert_eq!(
        std::fs::read_to_string(dir.join(files[1].name)).unwrap(),
        "// edited by hand\n"
    );
    assert!(!dir.join("error_kinds.rs").exists());
    // Writing makes everything fresh; a second write touches nothing.
    let written = botapi_codegen::write::write_files(&dir, &files, false).expect("write");
    assert_eq!(written.stale.len(), 3);
    let again = botapi_codegen::write::write_files(&dir, &files, false).expect("write");
    assert!(again.stale.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
