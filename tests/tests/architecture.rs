//! `ARCHITECTURE.md` keeps matching the tree: every path its code map names
//! exists, and every source folder of the generator and the runtime is named
//! there.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The code map section of ARCHITECTURE.md.
fn code_map() -> String {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let start = text.find("## Code map").expect("a code map section");
    let rest = &text[start..];
    let end = rest.find("\n## Invariants").unwrap_or(rest.len());
    rest[..end].to_string()
}

/// Text in backticks.
fn spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[test]
fn every_path_in_the_code_map_exists() {
    let map = code_map();
    let mut missing = Vec::new();
    let mut seen = 0;
    for span in spans(&map) {
        // Paths from the root: they name a top folder and hold a slash.
        let top = span.split('/').next().unwrap_or_default();
        let rooted = ["schema", "codegen", "generated", "tests", "bench"].contains(&top);
        if !rooted || !span.contains('/') || span.contains(' ') {
            continue;
        }
        seen += 1;
        if !root().join(span.trim_end_matches('/')).exists() {
            missing.push(span.to_string());
        }
    }
    assert!(seen > 30, "only {seen} paths found in the code map");
    assert!(
        missing.is_empty(),
        "named in ARCHITECTURE.md but absent: {missing:?}"
    );
}

fn dirs(under: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(under).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.push(p.clone());
            dirs(&p, out);
        }
    }
}

#[test]
fn every_source_folder_is_in_the_code_map() {
    let map = code_map();
    let mut folders = Vec::new();
    for top in [
        "codegen/src",
        "generated/src",
        "tests/src",
        "tests/tests",
        "codegen/tests",
    ] {
        folders.push(root().join(top));
        if top.ends_with("src") {
            dirs(&root().join(top), &mut folders);
        }
    }
    let mut unnamed = Vec::new();
    for f in &folders {
        let rel = f
            .strip_prefix(root())
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        let rel = rel
            .trim_start_matches("./")
            .trim_start_matches("../")
            .to_string();
        let last = rel.rsplit('/').next().unwrap_or_default();
        let named = map.contains(&format!("`{rel}/`"))
            || map.contains(&format!("`{rel}`"))
            || map.contains(&format!("`{last}/`"))
            || spans(&map)
                .iter()
                .any(|s| s.starts_with(&format!("{rel}/")));
        if !named {
            unnamed.push(rel);
        }
    }
    assert!(
        unnamed.is_empty(),
        "folders ARCHITECTURE.md does not name: {unnamed:?}"
    );
}
