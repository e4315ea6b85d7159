//! Layered curation (`fixtures/layers/curation.json`, three layers 1.0 ->
//! 1.1 -> 1.2 -> 1.3) on the fixture upstreams: which layers apply, skip or
//! stop; the patch ops `add_method`, `remove_field`, `set_returns` and
//! `rename_type` (alone and through a merge); the old single-layer file; and
//! byte-identical re-imports with layers and history.

use std::path::PathBuf;

use botapi_codegen::check::check;
use botapi_codegen::import::overlay::{apply, apply_layers};
use botapi_codegen::import::{
    empty_schema, import, import_with_history, read_upstream, to_json, Overlay, Upstream,
};
use botapi_codegen::schema::load::load_str;
use botapi_codegen::schema::{PreviousReturn, Rename, Schema, TypeExpr};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layers")
}

fn upstream(name: &str) -> Upstream {
    read_upstream(&dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn overlay_file(name: &str) -> Overlay {
    let text = std::fs::read_to_string(dir().join(name)).expect("curation fixture");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn overlay() -> Overlay {
    overlay_file("curation.json")
}

fn has_method(up: &Upstream, name: &str) -> bool {
    up.methods.iter().any(|m| m.name == name)
}

fn has_type(up: &Upstream, name: &str) -> bool {
    up.types.iter().any(|t| t.name == name)
}

/// Every type expression of a method list and type list, with where it is.
fn expressions<'a>(
    methods: &'a [botapi_codegen::schema::Method],
    types: &'a [botapi_codegen::schema::TypeDef],
) -> Vec<(String, &'a str)> {
    let mut out = Vec::new();
    for m in methods {
        out.push((format!("{}.returns", m.name), m.returns.as_str()));
        for p in &m.params {
            out.push((format!("{}.{}", m.name, p.name), p.ty.as_str()));
        }
        for r in &m.previous_returns {
            out.push((format!("{}.previous_returns", m.name), r.ty.as_str()));
        }
    }
    for t in types {
        for f in t.fields.iter().flatten() {
            out.push((format!("{}.{}", t.name, f.name), f.ty.as_str()));
        }
        for v in t.union.iter().flat_map(|u| &u.variants) {
            out.push((format!("{}.{}", t.name, v.ty), v.ty.as_str()));
        }
    }
    out
}

/// Where a type expression names `name`.
fn references(
    methods: &[botapi_codegen::schema::Method],
    types: &[botapi_codegen::schema::TypeDef],
    name: &str,
) -> Vec<String> {
    expressions(methods, types)
        .into_iter()
        .filter(|(_, e)| {
            TypeExpr::parse(e)
                .map(|x| x.named().contains(&name))
                .unwrap_or(false)
        })
        .map(|(at, _)| at)
        .collect()
}

#[test]
fn the_chain_starts_at_the_upstream_version() {
    let o = overlay();
    assert_eq!(o.layers.len(), 3);
    assert_eq!(o.notes, ["Test curation for the layered importer."]);
    let (snaps, notes) = apply_layers(&o, upstream("upstream-1.0.json"));
    let versions: Vec<&str> = snaps.iter().map(|s| s.version.as_str()).collect();
    assert_eq!(versions, ["1.0", "1.1", "1.2", "1.3"]);
    let layers: Vec<Option<usize>> = snaps.iter().map(|s| s.layer).collect();
    assert_eq!(layers, [None, Some(0), Some(1), Some(2)]);
    assert!(notes.is_empty(), "every patch applies cleanly: {notes:?}");
    for (s, date) in snaps
        .iter()
        .zip(["2030-03-03", "2030-04-01", "2030-05-01", "2030-06-01"])
    {
        assert_eq!(s.upstream.version, s.version);
        assert_eq!(s.upstream.release_date, date, "{}", s.version);
    }
    // Each layer's facts appear from its snapshot on, and not before.
    let adopt: Vec<bool> = snaps
        .iter()
        .map(|s| has_method(&s.upstream, "adoptPet"))
        .collect();
    assert_eq!(adopt, [false, true, true, true]);
    let owner: Vec<bool> = snaps
        .iter()
        .map(|s| has_type(&s.upstream, "Owner"))
        .collect();
    assert_eq!(owner, [false, false, true, true]);
    let house: Vec<bool> = snaps
        .iter()
        .map(|s| has_type(&s.upstream, "PetHouse") && !has_type(&s.upstream, "Kennel"))
        .collect();
    assert_eq!(house, [false, false, false, true]);
}

#[test]
fn an_upstream_at_a_layer_version_applies_only_the_later_layers() {
    let (snaps, notes) = apply_layers(&overlay(), upstream("upstream-1.2.json"));
    let versions: Vec<&str> = snaps.iter().map(|s| s.version.as_str()).collect();
    assert_eq!(versions, ["1.2", "1.3"]);
    assert_eq!(snaps[1].layer, Some(2), "the third layer");
    assert_eq!(notes.len(), 2, "{notes:?}");
    for (note, (layer, against)) in notes.iter().zip([("1.1", "1.0"), ("1.2", "1.1")]) {
        assert!(
            note.contains(&format!(
                "curation layer {layer} (written against {against}) skipped"
            )) && note.contains("at 1.2 already"),
            "{note}"
        );
    }
    let last = &snaps[1].upstream;
    assert!(has_type(last, "PetHouse") && has_type(last, "PetFish"));
    // Upstream 1.2 returns Owner by itself: no layer recorded an older return.
    let owner = last
        .methods
        .iter()
        .find(|m| m.name == "getOwner")
        .expect("getOwner");
    assert_eq!(owner.returns, "Owner");
    assert!(owner.previous_returns.is_empty());
}

#[test]
fn a_gap_stops_the_chain_with_a_note() {
    // An upstream older than the first layer's base.
    let mut old = upstream("upstream-1.0.json");
    old.version = "0.9".into();
    let (snaps, notes) = apply_layers(&overlay(), old);
    assert_eq!(snaps.len(), 1);
    assert_eq!(snaps[0].version, "0.9");
    assert_eq!(
        notes.len(),
        1,
        "the chain stops at the first gap: {notes:?}"
    );
    assert!(
        notes[0].contains("curation layer 1.1 (written against 1.0) not applied")
            && notes[0].contains("the import is at 0.9"),
        "{}",
        notes[0]
    );

    // A gap in the middle of the chain: layer 2 written against 1.1.5.
    let mut o = overlay();
    o.layers[1].applies_to = "1.1.5".into();
    let (snaps, notes) = apply_layers(&o, upstream("upstream-1.0.json"));
    let versions: Vec<&str> = snaps.iter().map(|s| s.version.as_str()).collect();
    assert_eq!(versions, ["1.0", "1.1"], "layer 3 is not reached either");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("curation layer 1.2 (written against 1.1.5) not applied")
            && notes[0].contains("the import is at 1.1"),
        "{}",
        notes[0]
    );
    // The import ends at the last version reached.
    let done = import(&empty_schema(), upstream("upstream-1.0.json"), Some(&o));
    assert_eq!(done.schema.version, "1.1");
    assert_eq!(done.schema.release_date, "2030-04-01");
    assert!(done.conflicts.iter().any(|c| c.contains("not applied")));
}

#[test]
fn the_single_layer_file_still_parses() {
    let o = overlay_file("single-layer.json");
    assert!(o.notes.is_empty());
    assert_eq!(o.layers.len(), 1);
    let l = &o.layers[0];
    assert_eq!(
        (
            l.applies_to.as_str(),
            l.version.as_str(),
            l.release_date.as_str()
        ),
        ("1.0", "1.1", "2030-04-01")
    );
    assert_eq!(l.patches.len(), 2);
    assert_eq!(l.notes.len(), 1);
    assert!(l.migrations.is_empty());
    let (snaps, notes) = apply_layers(&o, upstream("upstream-1.0.json"));
    assert_eq!(snaps.len(), 2);
    assert!(notes.is_empty(), "{notes:?}");
    let get = snaps[1]
        .upstream
        .methods
        .iter()
        .find(|m| m.name == "getPet")
        .expect("getPet");
    assert!(get.params.iter().any(|p| p.name == "with_toys"));
    // A typo in a layered file is an error, not an empty overlay.
    let typo = r#"{"layers": [{"applies_to": "1.0", "version": "1.1", "release_date": "2030-04-01", "patchez": []}]}"#;
    assert!(serde_json::from_str::<Overlay>(typo).is_err());
}

#[test]
fn add_method_and_remove_field() {
    let o = overlay();
    let mut up = upstream("upstream-1.0.json");
    let notes = apply(&o.layers[0], &mut up);
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(up.version, "1.1");
    let names: Vec<&str> = up.methods.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        &names[..3],
        ["getPet", "adoptPet", "feedPet"],
        "inserted after getPet"
    );
    let adopt = &up.methods[1];
    assert_eq!(adopt.returns, "PetDog");
    assert_eq!(adopt.summary, "Adopts a dog.");
    assert!(adopt.params[0].required);
    let cat = up
        .types
        .iter()
        .find(|t| t.name == "PetCat")
        .and_then(|t| t.fields.as_ref())
        .expect("PetCat fields");
    let cat_fields: Vec<&str> = cat.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(cat_fields, ["kind"]);

    // The same layer again: every patch says upstream has it already.
    let again = apply(&o.layers[0], &mut up);
    assert!(
        again
            .iter()
            .any(|n| n.contains("add_method adoptPet: upstream has it already")),
        "{again:?}"
    );
    assert!(
        again
            .iter()
            .any(|n| n.contains("remove PetCat.lives: upstream does not have it any more")),
        "{again:?}"
    );
    assert!(again.iter().all(|n| n.starts_with("1.1: ")), "{again:?}");
    assert_eq!(
        up.methods.iter().filter(|m| m.name == "adoptPet").count(),
        1
    );
}

#[test]
fn set_returns_records_the_previous_return_type() {
    let o = overlay();
    let mut up = upstream("upstream-1.0.json");
    apply(&o.layers[0], &mut up);
    let notes = apply(&o.layers[1], &mut up);
    assert!(notes.is_empty(), "{notes:?}");
    let owner = up
        .methods
        .iter()
        .find(|m| m.name == "getOwner")
        .expect("getOwner");
    assert_eq!(owner.returns, "Owner");
    assert_eq!(
        owner.previous_returns,
        [PreviousReturn {
            ty: "User".into(),
            until: o.layers[1].applies_to.clone(),
        }],
        "`until` is the version the layer is written against"
    );
    let mark = owner.provenance.as_ref().expect("the patch's mark");
    assert_eq!(mark.version, "1.2");

    // Against an upstream that returns Owner already, nothing is recorded.
    let mut caught_up = upstream("upstream-1.2.json");
    caught_up.version = "1.1".into();
    let notes = apply(&o.layers[1], &mut caught_up);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("set_returns getOwner: upstream agrees already")),
        "{notes:?}"
    );
    let owner = caught_up
        .methods
        .iter()
        .find(|m| m.name == "getOwner")
        .expect("getOwner");
    assert!(owner.previous_returns.is_empty());

    // Through an import, the schema keeps it.
    let done = import(&empty_schema(), upstream("upstream-1.0.json"), Some(&o));
    let owner = done
        .schema
        .methods
        .iter()
        .find(|m| m.name == "getOwner")
        .expect("getOwner");
    assert_eq!(owner.previous_returns.len(), 1);
    assert_eq!(owner.previous_returns[0].until, "1.1");
}

#[test]
fn rename_type_renames_every_reference() {
    let o = overlay();
    let mut up = upstream("upstream-1.2.json");
    assert!(
        !references(&up.methods, &up.types, "Kennel").is_empty(),
        "the fixture uses Kennel"
    );
    let notes = apply(&o.layers[2], &mut up);
    assert!(notes.is_empty(), "{notes:?}");
    assert!(!has_type(&up, "Kennel"));
    let house = up
        .types
        .iter()
        .find(|t| t.name == "PetHouse")
        .expect("PetHouse");
    assert_eq!(
        house.renamed_from,
        [Rename {
            name: "Kennel".into(),
            version: "1.3".into(),
        }]
    );
    assert_eq!(house.doc.as_deref(), Some("#pethouse"));
    let left = references(&up.methods, &up.types, "Kennel");
    assert!(left.is_empty(), "still naming Kennel: {left:?}");
    let now = references(&up.methods, &up.types, "PetHouse");
    for at in [
        "getKennel.returns",
        "listKennels.returns",
        "moveDog.home",
        "PetDog.kennel",
    ] {
        assert!(now.iter().any(|x| x == at), "{at} not renamed: {now:?}");
    }
    // The `X or Y` unions are named after the patches.
    assert!(up
        .types
        .iter()
        .any(|t| t.synthetic && t.name == "PetHouseOrString"));
    assert!(!up
        .types
        .iter()
        .any(|t| t.synthetic && t.name.contains("Kennel")));

    // A rename to a name that exists is refused with a note.
    let mut twice = up.clone();
    twice.version = "1.2".into();
    let notes = apply(&o.layers[2], &mut twice);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("rename_type Kennel -> PetHouse: upstream has PetHouse already")),
        "{notes:?}"
    );
}

/// The schema at 1.2 (layers 1 and 2 on upstream 1.0) with summaries written.
fn curated_at_1_2() -> Schema {
    let mut o = overlay();
    o.layers.truncate(2);
    let mut s = import(&empty_schema(), upstream("upstream-1.0.json"), Some(&o)).schema;
    assert_eq!(s.version, "1.2");
    for m in &mut s.methods {
        m.summary = format!("Calls {}.", m.name);
    }
    for t in &mut s.types {
        t.summary = format!("About {}.", t.name);
    }
    let kennel = s
        .types
        .iter_mut()
        .find(|t| t.name == "Kennel")
        .expect("Kennel");
    kennel.summary = "Where dogs sleep.".into();
    kennel.fields.as_mut().expect("fields")[0].summary = "Its number.".into();
    s
}

#[test]
fn a_rename_through_merge_keeps_our_words_and_reports_a_rename() {
    let existing = curated_at_1_2();
    let done = import(&existing, upstream("upstream-1.0.json"), Some(&overlay()));
    assert_eq!(done.schema.version, "1.3");
    let house = done
        .schema
        .type_def("PetHouse")
        .expect("PetHouse in the new schema");
    assert_eq!(
        house.summary, "Where dogs sleep.",
        "carried over from Kennel"
    );
    assert_eq!(
        house.fields.as_ref().expect("fields")[0].summary,
        "Its number."
    );
    assert_eq!(house.renamed_from.len(), 1);
    assert!(done.schema.type_def("Kennel").is_none());

    let r = &done.report;
    let renamed: Vec<_> = r.of_kind("type renamed").collect();
    assert_eq!(renamed.len(), 1, "{r}");
    assert_eq!(renamed[0].item, "PetHouse");
    assert!(!renamed[0].breaking);
    assert!(renamed[0].detail.contains("from Kennel"), "{r}");
    assert!(
        !r.changes
            .iter()
            .any(|c| c.item == "Kennel" || (c.item == "PetHouse" && c.kind != "type renamed")),
        "neither removed nor added: {r}"
    );
    for item in ["getKennel", "listKennels", "moveDog.home", "PetDog.kennel"] {
        assert!(
            !r.changes.iter().any(|c| c.item == item),
            "{item}: a rename changes no type: {r}"
        );
    }
    assert!(r.to_markdown().contains("|  | type renamed | `PetHouse` |"));
}

#[test]
fn a_rename_leaves_no_reference_to_the_old_name_in_the_schema() {
    // The schema at 1.2 has the `Kennel or String` union under a name of its
    // own; after the rename nothing may name Kennel any more.
    let existing = curated_at_1_2();
    assert!(existing.types.iter().any(|t| t.synthetic
        && t.union
            .as_ref()
            .is_some_and(|u| u.variants.iter().any(|v| v.ty == "Kennel"))));
    let done = import(&existing, upstream("upstream-1.0.json"), Some(&overlay()));
    // The new schema passes the checks once the new items have summaries.
    let mut written = done.schema.clone();
    for m in written.methods.iter_mut().filter(|m| m.summary.is_empty()) {
        m.summary = format!("Calls {}.", m.name);
    }
    for t in written.types.iter_mut().filter(|t| t.summary.is_empty()) {
        t.summary = format!("About {}.", t.name);
    }
    let loaded = load_str("api.json", &to_json(&written)).expect("loads");
    let problems = check(&loaded).err().map(|d| d.to_string());
    let left = references(&done.schema.methods, &done.schema.types, "Kennel");
    assert!(
        left.is_empty() && problems.is_none(),
        "the new schema still names the old type at {left:?}; check says: {problems:?}"
    );
    // Every named type a reference uses exists.
    for (at, e) in expressions(&done.schema.methods, &done.schema.types) {
        for n in TypeExpr::parse(e).expect("parses").named() {
            assert!(done.schema.type_def(n).is_some(), "{at}: unknown `{n}`");
        }
    }
}

#[test]
fn reimport_with_layers_and_history_is_byte_identical() {
    let o = overlay();
    let history = [upstream("upstream-1.0.json")];
    for (file, hist) in [
        ("upstream-1.0.json", &history[..0]),
        ("upstream-1.2.json", &history[..]),
    ] {
        let first = import_with_history(&empty_schema(), upstream(file), Some(&o), hist);
        assert_eq!(first.schema.version, "1.3", "{file}");
        let again = import_with_history(&first.schema, upstream(file), Some(&o), hist);
        assert_eq!(
            to_json(&again.schema),
            to_json(&first.schema),
            "{file}: re-import is byte-identical"
        );
        assert!(again.report.changes.is_empty(), "{file}: {}", again.report);
        assert!(again.report.confirmed.is_empty() && again.report.contradicted.is_empty());
        assert!(again.steps.is_empty(), "nothing newer than 1.3");
        // A third run from the second result changes nothing either.
        let third = import_with_history(&again.schema, upstream(file), Some(&o), hist);
        assert_eq!(to_json(&third.schema), to_json(&again.schema));
    }

    // From a curated 1.2 schema to 1.3 and again: our words survive twice.
    let existing = curated_at_1_2();
    let up = || upstream("upstream-1.0.json");
    let first = import_with_history(&existing, up(), Some(&o), &history);
    let again = import_with_history(&first.schema, up(), Some(&o), &history);
    assert_eq!(to_json(&again.schema), to_json(&first.schema));
    assert!(again.report.changes.is_empty(), "{}", again.report);
}

#[test]
fn a_typo_in_a_layered_file_names_the_problem() {
    // A misspelt op deep inside the second layer: the error must say what is
    // wrong (as the single-layer file's errors did), not only that the file
    // matches neither shape.
    let text = std::fs::read_to_string(dir().join("curation.json"))
        .expect("curation")
        .replacen(r#""op": "add_type""#, r#""op": "add_tpye""#, 1);
    let err = serde_json::from_str::<Overlay>(&text)
        .expect_err("an unknown op")
        .to_string();
    assert!(
        err.contains("add_tpye"),
        "the error does not name the typo: {err}"
    );
    // The single-layer shape names it.
    let single = std::fs::read_to_string(dir().join("single-layer.json"))
        .expect("single layer")
        .replacen(r#""op": "add_param""#, r#""op": "add_parm""#, 1);
    let layer_err = serde_json::from_str::<botapi_codegen::import::Layer>(&single)
        .expect_err("an unknown op")
        .to_string();
    assert!(layer_err.contains("add_parm"), "{layer_err}");
}
