//! Snapshot tests: the code emitted for the fixture schemas must match the
//! committed files under `tests/snapshots/` byte for byte. Those files are
//! compiled by the `botapi-build-time-test` crate, so the snapshots compile.
//! Refresh after an intended change with `UPDATE_SNAPSHOTS=1 cargo test -p botapi-codegen --test snapshots`.

use std::path::{Path, PathBuf};

use botapi_codegen::emit::Options;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .join("api.json")
}

fn options() -> Options {
    Options {
        runtime_path: "::botapi".into(),
        client_methods: false,
        schema_name: "api.json".into(),
    }
}

fn check_snapshot(name: &str) {
    let files = botapi_codegen::generate(&fixture(name), &options())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        botapi_codegen::write::write_files(&dir, &files, false).expect("write snapshots");
        return;
    }
    let mut stale = Vec::new();
    for f in &files {
        let path = dir.join(f.name);
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != f.contents {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots differ (run with UPDATE_SNAPSHOTS=1 to accept): {stale:?}"
    );
}

#[test]
fn mini_fixture_matches_snapshot() {
    check_snapshot("mini");
}

#[test]
fn obstacle_course_matches_snapshot() {
    check_snapshot("obstacle");
}

#[test]
fn generation_is_deterministic() {
    let a = botapi_codegen::generate(&fixture("mini"), &options()).expect("generate");
    let b = botapi_codegen::generate(&fixture("mini"), &options()).expect("generate");
    assert_eq!(a, b);
}

#[test]
fn obstacle_names_are_escaped_and_deduplicated() {
    let files = botapi_codegen::generate(&fixture("obstacle"), &options()).expect("generate");
    let all: String = files.iter().map(|f| f.contents.as_str()).collect();
    for needle in [
        "pub struct Option {",
        "pub struct Result {",
        "pub struct Self_ {",
        "\"type\" => ::botapi::de::field_into(&mut __map, &mut type_)?,",
        "\"map\" => ::botapi::de::field_into(&mut __map, &mut map)?,",
        "\"key\" => ::botapi::de::field_into(&mut __map, &mut key)?,",
        "pub extra_2: ::botapi::Extra,",
        "pub struct HttpUrl {",
        "pub struct HttpUrl2 {",
        "pub type_: ::botapi::Str,",
        "map.serialize_entry(\"type\", &self.type_)?;",
        "map.serialize_entry(\"type_\", x)?;",
        "pub type_2:",
        "pub self_: ::std::option::Option<::std::boxed::Box<super::types::Option>>",
        "pub match_:",
        "pub fn set_new(",
        "pub struct GetUrl {}",
        "pub struct GetUrl2 {}",
    ] {
        assert!(all.contains(needle), "missing `{needle}`");
    }
}
