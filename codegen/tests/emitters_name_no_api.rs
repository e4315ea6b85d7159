//! No emitter names a Bot API method or type: whatever the generated code
//! says about a particular method or type comes from the schema through the
//! IR. Every file under `src/emit/` (code and comments) is searched for each
//! method and type name of `schema/api.json` (synthetic unions and earlier
//! names of renamed types included) as a whole word, a word being a run of
//! ASCII letters, digits and `_`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use botapi_codegen::schema::load::load_file;

/// Every method and type name of the schema.
fn schema_names() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/api.json");
    let loaded = load_file(&path).unwrap_or_else(|d| panic!("{}: {d}", path.display()));
    let schema = loaded.schema;
    let methods = schema.methods.iter().map(|m| m.name.clone());
    let types = schema.types.iter().map(|t| t.name.clone());
    let earlier = schema
        .types
        .iter()
        .flat_map(|t| t.renamed_from.iter().map(|r| r.name.clone()));
    methods.chain(types).chain(earlier).collect()
}

/// Every file under `dir`, recursively, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `(line number, name)` of each whole-word occurrence of a name in `text`.
fn mentions(text: &str, names: &BTreeSet<String>) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let words = line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
        for word in words.filter(|w| names.contains(*w)) {
            out.push((i + 1, word.to_string()));
        }
    }
    out
}

#[test]
fn no_emitter_names_a_bot_api_method_or_type() {
    let names = schema_names();
    assert!(
        names.len() > 100,
        "schema names not read ({} found)",
        names.len()
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = files_under(&root.join("src/emit"));
    assert!(
        files.iter().any(|f| f.ends_with("mod.rs")),
        "no emitter files found"
    );
    let mut found = Vec::new();
    for file in &files {
        let text =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let shown = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        for (line, name) in mentions(&text, &names) {
            found.push(format!("{shown}:{line}: {name}"));
        }
    }
    assert!(
        found.is_empty(),
        "emitters name Bot API methods or types (derive what they need from the IR instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn a_mention_is_a_whole_word() {
    let names: BTreeSet<String> = ["Message", "sendAudio"].map(String::from).into();
    let text = "plain\n// see `Message`, (sendAudio)\nMessageId x_Message Message_ sendAudio2\n";
    assert_eq!(
        mentions(text, &names),
        [(2, "Message".to_string()), (2, "sendAudio".to_string())]
    );
}
