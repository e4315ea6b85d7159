//! `since` and `history` from the descriptions an import reads
//! (`import::since::derive` on `fixtures/layers/`): the first version that
//! has an item dates it, an earlier date already written stays, renamed
//! types are dated through their old names, synthetic unions are not dated,
//! and versions sort as numbers (8.1 < 10.1 < 10.10).

use std::path::PathBuf;

use botapi_codegen::import::overlay::apply_layers;
use botapi_codegen::import::since::derive;
use botapi_codegen::import::{
    empty_schema, import, import_with_history, read_upstream, Overlay, Upstream,
};
use botapi_codegen::schema::Schema;

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

/// The 1.3 schema (upstream 1.2 and the last layer) with every date removed.
fn undated() -> Schema {
    let mut s = import(
        &empty_schema(),
        upstream("upstream-1.2.json"),
        Some(&overlay()),
    )
    .schema;
    assert_eq!(s.version, "1.3");
    s.history.clear();
    for m in &mut s.methods {
        m.since = None;
        m.params.iter_mut().for_each(|p| p.since = None);
    }
    for t in &mut s.types {
        t.since = None;
        t.fields.iter_mut().flatten().for_each(|f| f.since = None);
    }
    s
}

fn method_since<'a>(s: &'a Schema, name: &str) -> Option<&'a str> {
    s.methods
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{name}"))
        .since
        .as_deref()
}

fn param_since<'a>(s: &'a Schema, method: &str, name: &str) -> Option<&'a str> {
    s.methods
        .iter()
        .find(|m| m.name == method)
        .and_then(|m| m.params.iter().find(|p| p.name == name))
        .unwrap_or_else(|| panic!("{method}.{name}"))
        .since
        .as_deref()
}

fn type_since<'a>(s: &'a Schema, name: &str) -> Option<&'a str> {
    s.type_def(name)
        .unwrap_or_else(|| panic!("{name}"))
        .since
        .as_deref()
}

fn field_since<'a>(s: &'a Schema, owner: &str, name: &str) -> Option<&'a str> {
    s.type_def(owner)
        .and_then(|t| t.fields.as_ref())
        .and_then(|fs| fs.iter().find(|f| f.name == name))
        .unwrap_or_else(|| panic!("{owner}.{name}"))
        .since
        .as_deref()
}

/// Upstream 1.2 with the 1.3 layer applied.
fn at_1_3() -> Upstream {
    let (snaps, _) = apply_layers(&overlay(), upstream("upstream-1.2.json"));
    snaps.last().expect("a snapshot").upstream.clone()
}

#[test]
fn the_first_version_read_that_has_an_item_dates_it() {
    let mut s = undated();
    let (old, mid, new) = (
        upstream("upstream-1.0.json"),
        upstream("upstream-1.2.json"),
        at_1_3(),
    );
    derive(&mut s, &[&new, &old, &mid]);
    // In 1.0 already.
    assert_eq!(method_since(&s, "getPet"), Some("1.0"));
    assert_eq!(param_since(&s, "feedPet", "food"), Some("1.0"));
    assert_eq!(type_since(&s, "PetDog"), Some("1.0"));
    assert_eq!(field_since(&s, "PetDog", "kennel"), Some("1.0"));
    // New in 1.2 (the versions between were not read).
    assert_eq!(method_since(&s, "adoptPet"), Some("1.2"));
    assert_eq!(param_since(&s, "feedPet", "treat"), Some("1.2"));
    assert_eq!(type_since(&s, "Owner"), Some("1.2"));
    assert_eq!(field_since(&s, "PetDog", "good"), Some("1.2"));
    // New in 1.3.
    assert_eq!(type_since(&s, "PetFish"), Some("1.3"));
    assert_eq!(field_since(&s, "PetFish", "fins"), Some("1.3"));
    // PetHouse is Kennel renamed: dated through the old name, fields too.
    assert_eq!(type_since(&s, "PetHouse"), Some("1.0"));
    assert_eq!(field_since(&s, "PetHouse", "dogs"), Some("1.0"));
    // Synthetic unions name a use, not an API type.
    assert!(s
        .types
        .iter()
        .filter(|t| t.synthetic)
        .all(|t| t.since.is_none()));
    assert!(s.types.iter().any(|t| t.synthetic));
    assert_eq!(s.history, ["1.0", "1.2", "1.3"]);
}

#[test]
fn an_earlier_date_already_written_stays() {
    let mut s = undated();
    s.methods
        .iter_mut()
        .find(|m| m.name == "getPet")
        .expect("getPet")
        .since = Some("0.5".into());
    // A later date than the descriptions show is corrected.
    s.methods
        .iter_mut()
        .find(|m| m.name == "feedPet")
        .expect("feedPet")
        .since = Some("1.2".into());
    s.types
        .iter_mut()
        .find(|t| t.name == "PetHouse")
        .expect("PetHouse")
        .since = Some("0.8".into());
    s.history = vec!["0.5".into()];
    derive(&mut s, &[&upstream("upstream-1.0.json"), &at_1_3()]);
    assert_eq!(method_since(&s, "getPet"), Some("0.5"));
    assert_eq!(method_since(&s, "feedPet"), Some("1.0"));
    assert_eq!(type_since(&s, "PetHouse"), Some("0.8"));
    assert_eq!(s.history, ["0.5", "1.0", "1.3"]);
}

#[test]
fn versions_sort_as_numbers() {
    let relabel = |mut u: Upstream, v: &str| {
        u.version = v.into();
        u
    };
    let old = relabel(upstream("upstream-1.0.json"), "8.1");
    let mid = relabel(upstream("upstream-1.2.json"), "10.1");
    let new = relabel(at_1_3(), "10.10");
    let mut s = undated();
    s.history = vec!["9.0".into()];
    derive(&mut s, &[&new, &mid, &old]);
    assert_eq!(s.history, ["8.1", "9.0", "10.1", "10.10"]);
    assert_eq!(method_since(&s, "getPet"), Some("8.1"));
    assert_eq!(method_since(&s, "adoptPet"), Some("10.1"));
    assert_eq!(type_since(&s, "PetFish"), Some("10.10"));
    assert_eq!(type_since(&s, "PetHouse"), Some("8.1"));
    // Deriving again with the same descriptions changes nothing.
    let before = s.clone();
    derive(&mut s, &[&old, &new, &mid]);
    assert_eq!(s, before);
}

#[test]
fn import_dates_from_history_and_the_layers() {
    let done = import_with_history(
        &empty_schema(),
        upstream("upstream-1.0.json"),
        Some(&overlay()),
        &[],
    );
    let s = &done.schema;
    assert_eq!(s.history, ["1.0", "1.1", "1.2", "1.3"]);
    assert_eq!(
        method_since(s, "adoptPet"),
        Some("1.1"),
        "layer 1.1 adds it"
    );
    assert_eq!(type_since(s, "Owner"), Some("1.2"));
    assert_eq!(type_since(s, "PetHouse"), Some("1.0"));

    let with_history = import_with_history(
        &empty_schema(),
        upstream("upstream-1.2.json"),
        Some(&overlay()),
        &[upstream("upstream-1.0.json")],
    );
    let s = &with_history.schema;
    assert_eq!(s.history, ["1.0", "1.2", "1.3"]);
    assert_eq!(method_since(s, "getPet"), Some("1.0"));
    assert_eq!(method_since(s, "adoptPet"), Some("1.2"));
    assert_eq!(type_since(s, "PetFish"), Some("1.3"));
}
