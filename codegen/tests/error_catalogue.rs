//! The shipped error catalogue obeys its matching rule (schema/README.md,
//! "Errors: the catalogue"): a reply matches the first entry with its code
//! whose description is a case-blind prefix of the reply's, so no entry may
//! come after a shorter entry of the same code that is its prefix (it could
//! never match). And every entry is named by at least one method.

use std::path::PathBuf;

fn shipped() -> botapi_codegen::schema::Schema {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schema/api.json");
    botapi_codegen::schema::load::load_file(&path)
        .expect("schema/api.json loads")
        .schema
}

#[test]
fn no_entry_is_shadowed_by_an_earlier_one() {
    let errors = shipped().errors;
    let mut shadowed = Vec::new();
    for (i, a) in errors.iter().enumerate() {
        for b in &errors[i + 1..] {
            if a.code == b.code
                && b.description
                    .to_ascii_lowercase()
                    .starts_with(&a.description.to_ascii_lowercase())
            {
                shadowed.push(format!("{} (after {})", b.name, a.name));
            }
        }
    }
    assert!(shadowed.is_empty(), "never matched: {shadowed:?}");
}

#[test]
fn every_entry_is_produced_by_some_method() {
    let schema = shipped();
    let unused: Vec<&str> = schema
        .errors
        .iter()
        .filter(|e| !schema.methods.iter().any(|m| m.errors.contains(&e.name)))
        .map(|e| e.name.as_str())
        .collect();
    assert!(unused.is_empty(), "no method names {unused:?}");
    assert!(schema.errors.len() >= 60, "{}", schema.errors.len());
}
