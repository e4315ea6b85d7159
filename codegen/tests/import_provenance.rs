//! Provenance marks against later imports (`fixtures/provenance/`): a schema
//! at 1.0 holding marked facts of 1.1 meets an upstream at 1.1 that confirms
//! some (mark dropped, upstream's facts taken) and contradicts others (ours
//! kept as they were, mark and all), for methods, types, fields and union
//! variants; an older upstream or a curation layer compares nothing; marked
//! renames; and how the report shows both lists.

use std::path::PathBuf;

use botapi_codegen::check::check;
use botapi_codegen::import::overlay::Layer;
use botapi_codegen::import::{import, read_upstream, to_json, Overlay, Upstream};
use botapi_codegen::schema::load::{load_file, load_str};
use botapi_codegen::schema::marks::marked;
use botapi_codegen::schema::{Basis, Field, Method, Provenance, Rename, Schema, TypeDef};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/provenance")
}

/// The existing schema; it passes the checks as it is.
fn existing() -> Schema {
    let loaded = load_file(&dir().join("api.json")).unwrap_or_else(|d| panic!("{d}"));
    check(&loaded).unwrap_or_else(|d| panic!("{d}"));
    loaded.schema
}

fn upstream(name: &str) -> Upstream {
    read_upstream(&dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The entry of `list` about `item` (entries start with the item and its mark).
fn entry<'a>(list: &'a [String], item: &str) -> Option<&'a String> {
    list.iter().find(|x| x.starts_with(&format!("{item} (")))
}

fn marked_items(s: &Schema) -> Vec<String> {
    let mut v: Vec<String> = marked(s).into_iter().map(|m| m.item).collect();
    v.sort();
    v
}

fn field<'a>(s: &'a Schema, owner: &str, name: &str) -> &'a Field {
    s.type_def(owner)
        .and_then(|t| t.fields.as_ref())
        .and_then(|fs| fs.iter().find(|f| f.name == name))
        .unwrap_or_else(|| panic!("{owner}.{name}"))
}

/// `t` without the `since` dates an import derives.
fn undated_type(t: &TypeDef) -> TypeDef {
    let mut t = t.clone();
    t.since = None;
    t.fields.iter_mut().flatten().for_each(|f| f.since = None);
    t
}

fn undated_method(m: &Method) -> Method {
    let mut m = m.clone();
    m.since = None;
    m.params.iter_mut().for_each(|f| f.since = None);
    m
}

fn variant_mark<'a>(s: &'a Schema, union: &str, ty: &str) -> Option<&'a Provenance> {
    s.type_def(union)
        .and_then(|t| t.union.as_ref())
        .and_then(|u| u.variants.iter().find(|v| v.ty == ty))
        .unwrap_or_else(|| panic!("{union}.{ty}"))
        .provenance
        .as_ref()
}

#[test]
fn the_fixture_marks_facts_of_the_next_version() {
    let s = existing();
    assert_eq!(s.version, "1.0");
    let all = marked(&s);
    assert!(all.len() >= 2);
    assert!(all.iter().all(|m| m.provenance.version == "1.1"));
    let basis = |item: &str| {
        all.iter()
            .find(|m| m.item == item)
            .map(|m| m.provenance.basis)
    };
    assert_eq!(basis("PetCat.lives"), Some(Basis::Single));
    assert_eq!(basis("Toy"), Some(Basis::Secondary));
}

#[test]
fn upstream_at_the_marked_version_confirms_and_contradicts() {
    let old = existing();
    let done = import(&old, upstream("upstream-1.1.json"), None);
    let new = &done.schema;
    let r = &done.report;
    assert_eq!(new.version, "1.1");

    // Confirmed: a field, a method and a union variant; each loses its mark.
    for item in ["PetCat.lives", "getPet", "Pet.PetFish"] {
        let e = entry(&r.confirmed, item).unwrap_or_else(|| panic!("{item}: {r:?}"));
        assert!(e.contains("1.1") && e.contains("mark dropped"), "{e}");
        assert!(entry(&r.contradicted, item).is_none(), "{item}");
    }
    assert!(entry(&r.confirmed, "PetCat.lives")
        .is_some_and(|e| e.starts_with("PetCat.lives (1.1, single)")));
    let lives = field(new, "PetCat", "lives");
    assert!(lives.provenance.is_none());
    assert!(!lives.required);
    assert_eq!(
        lives.summary,
        field(&old, "PetCat", "lives").summary,
        "our words stay"
    );
    let get = new
        .methods
        .iter()
        .find(|m| m.name == "getPet")
        .expect("getPet");
    assert!(get.provenance.is_none());
    assert_eq!(get.summary, "Looks a pet up.");
    assert_eq!(get.params[1].summary, "Also list its toys.");
    assert!(variant_mark(new, "Pet", "PetFish").is_none());

    // Contradicted: a type (fields differ), a method (a parameter's required
    // flag differs), a field (its type differs), a union variant and a type
    // upstream lacks. Ours stay exactly as they were, mark included.
    for item in ["Toy", "feedPet", "PetDog.age", "Pet.PetBird", "PetBird"] {
        let e = entry(&r.contradicted, item).unwrap_or_else(|| panic!("{item}: {r:?}"));
        assert!(e.contains("ours kept"), "{e}");
        assert!(entry(&r.confirmed, item).is_none(), "{item}");
    }
    let toy = entry(&r.contradicted, "Toy").expect("Toy");
    assert!(toy.starts_with("Toy (1.1, secondary)"), "{toy}");
    assert!(
        toy.contains("upstream has no field `label`")
            && toy.contains("upstream has another field `name`"),
        "{toy}"
    );
    let age = entry(&r.contradicted, "PetDog.age").expect("PetDog.age");
    assert!(
        age.starts_with("PetDog.age (1.1, single)")
            && age.contains("upstream type `Float`, ours `Integer`"),
        "{age}"
    );
    let undated_field = |s: &Schema| {
        let mut f = field(s, "PetDog", "age").clone();
        f.since = None;
        f
    };
    assert_eq!(
        undated_field(new),
        undated_field(&old),
        "PetDog.age unchanged"
    );
    assert_eq!(field(new, "PetDog", "age").ty, "Integer");
    assert!(field(new, "PetDog", "age").provenance.is_some());
    let feed = entry(&r.contradicted, "feedPet").expect("feedPet");
    assert!(feed.contains("parameter `food`"), "{feed}");
    assert!(entry(&r.contradicted, "Pet.PetBird").is_some_and(|e| e.contains("absent upstream")));
    // (The import dates what upstream has: `since` is the only change.)
    for name in ["Toy", "PetBird"] {
        assert_eq!(
            new.type_def(name).map(undated_type),
            old.type_def(name).map(undated_type),
            "{name} unchanged"
        );
    }
    let feed = |s: &Schema| {
        s.methods
            .iter()
            .find(|m| m.name == "feedPet")
            .map(undated_method)
    };
    assert_eq!(feed(new), feed(&old), "feedPet unchanged");
    assert!(feed(new).is_some_and(|m| m.params[1].required && m.provenance.is_some()));
    assert_eq!(
        variant_mark(new, "Pet", "PetBird"),
        variant_mark(&old, "Pet", "PetBird")
    );
    assert!(variant_mark(new, "Pet", "PetBird").is_some());

    // The marks left are exactly the contradicted facts.
    let mut left: Vec<String> = r
        .contradicted
        .iter()
        .map(|e| e.split(" (").next().unwrap_or_default().to_string())
        .collect();
    left.sort();
    assert_eq!(marked_items(new), left);
    assert_eq!(r.confirmed.len() + r.contradicted.len(), marked(&old).len());

    // Both lists are shown.
    let md = r.to_markdown();
    let c = md.find("## Marked facts confirmed").expect(&md);
    let x = md
        .find("## Marked facts contradicted (ours kept)")
        .expect(&md);
    assert!(c < x);
    for e in &r.confirmed {
        assert!(md[c..x].contains(&format!("- {e}\n")), "{md}");
    }
    for e in &r.contradicted {
        assert!(md[x..].contains(&format!("- {e}\n")), "{md}");
    }
    let shown = r.to_string();
    for e in &r.confirmed {
        assert!(shown.contains(&format!("  confirmed: {e}\n")), "{shown}");
    }
    for e in &r.contradicted {
        assert!(shown.contains(&format!("  CONTRADICTED: {e}\n")), "{shown}");
    }

    // With summaries for the new items, the result still passes the checks.
    let mut written = new.clone();
    for m in written.methods.iter_mut().filter(|m| m.summary.is_empty()) {
        m.summary = "New.".into();
    }
    for t in written.types.iter_mut().filter(|t| t.summary.is_empty()) {
        t.summary = "New.".into();
    }
    let loaded = load_str("api.json", &to_json(&written)).expect("loads");
    check(&loaded).unwrap_or_else(|d| panic!("{d}"));
}

#[test]
fn contradicted_marks_are_reported_again_until_someone_decides() {
    let first = import(&existing(), upstream("upstream-1.1.json"), None);
    let again = import(&first.schema, upstream("upstream-1.1.json"), None);
    assert!(
        again.report.confirmed.is_empty(),
        "{:?}",
        again.report.confirmed
    );
    assert_eq!(again.report.contradicted, first.report.contradicted);
    assert_eq!(to_json(&again.schema), to_json(&first.schema));
}

#[test]
fn an_older_upstream_compares_nothing() {
    let old = existing();
    let done = import(&old, upstream("upstream-1.0.json"), None);
    let r = &done.report;
    assert!(r.confirmed.is_empty(), "{:?}", r.confirmed);
    assert!(r.contradicted.is_empty(), "{:?}", r.contradicted);
    assert!(!r.to_markdown().contains("Marked facts"));
    assert!(!r.to_string().contains("confirmed:") && !r.to_string().contains("CONTRADICTED"));
    // The marked facts the older description also has keep their marks.
    for item in ["getPet", "feedPet", "PetCat.lives"] {
        assert!(
            marked_items(&done.schema).iter().any(|m| m == item),
            "{item} lost its mark: {:?}",
            marked_items(&done.schema)
        );
    }
    let mark = |s: &Schema| field(s, "PetCat", "lives").provenance.clone();
    assert_eq!(mark(&done.schema), mark(&old));
}

#[test]
fn curation_layers_do_not_count_as_upstream() {
    // Upstream 1.0 plus a layer to 1.1: the result is at the marks' version,
    // but only upstream's own version decides what is compared.
    let layer: Layer = serde_json::from_str(
        r#"{"applies_to": "1.0", "version": "1.1", "release_date": "2030-04-01", "patches": [
            {"op": "add_param", "method": "getPet", "field": {"name": "with_toys", "type": "Boolean"}}
        ]}"#,
    )
    .expect("layer");
    let overlay = Overlay {
        notes: Vec::new(),
        layers: vec![layer],
    };
    let done = import(&existing(), upstream("upstream-1.0.json"), Some(&overlay));
    assert_eq!(done.schema.version, "1.1");
    assert!(done.report.confirmed.is_empty() && done.report.contradicted.is_empty());
    assert!(marked_items(&done.schema).iter().any(|m| m == "getPet"));
}

fn dog(types: &mut [TypeDef]) -> Option<&mut Vec<Field>> {
    types
        .iter_mut()
        .find(|t| t.name == "PetDog")
        .and_then(|t| t.fields.as_mut())
}

/// The existing schema with `PetTag`, renamed in 1.1 from `Tag` (marked),
/// used by a new field `PetDog.tag`; and the 1.1 upstream with that type
/// under `upstream_name`.
fn with_marked_rename(upstream_name: &str) -> (Schema, Upstream) {
    let code = Field {
        name: "code".into(),
        ty: "String".into(),
        required: true,
        ..Field::default()
    };
    let mut s = existing();
    s.types.push(TypeDef {
        name: "PetTag".into(),
        summary: "A name tag.".into(),
        doc: Some("#pettag".into()),
        fields: Some(vec![Field {
            summary: "What it says.".into(),
            ..code.clone()
        }]),
        renamed_from: vec![Rename {
            name: "Tag".into(),
            version: "1.1".into(),
        }],
        provenance: Some(Provenance {
            version: "1.1".into(),
            basis: Basis::Secondary,
            sources: vec!["petlib 2.0 docs".into(), "pets.invalid blog".into()],
            unverified: Vec::new(),
            note: None,
        }),
        ..TypeDef::default()
    });
    let tag = |ty: &str| Field {
        name: "tag".into(),
        ty: ty.into(),
        ..Field::default()
    };
    dog(&mut s.types).expect("PetDog").push(tag("PetTag"));
    let mut up = upstream("upstream-1.1.json");
    up.types.push(TypeDef {
        name: upstream_name.into(),
        doc: Some(format!("#{}", upstream_name.to_lowercase())),
        fields: Some(vec![code]),
        ..TypeDef::default()
    });
    dog(&mut up.types).expect("PetDog").push(tag(upstream_name));
    (s, up)
}

#[test]
fn a_marked_rename_that_upstream_makes_is_confirmed() {
    let (s, up) = with_marked_rename("PetTag");
    let done = import(&s, up, None);
    let r = &done.report;
    assert!(entry(&r.confirmed, "PetTag").is_some(), "{r:?}");
    assert!(
        !r.contradicted.iter().any(|e| e.starts_with("PetTag ")),
        "{r:?}"
    );
    let t = done.schema.type_def("PetTag").expect("PetTag");
    assert!(t.provenance.is_none());
    assert_eq!(t.renamed_from.len(), 1, "the rename is kept");
    assert_eq!(t.summary, "A name tag.");
}

#[test]
fn a_marked_rename_that_upstream_does_not_make_is_contradicted_and_keeps_its_mark() {
    let (s, up) = with_marked_rename("Tag");
    let done = import(&s, up, None);
    let r = &done.report;
    let e = r
        .contradicted
        .iter()
        .find(|e| e.starts_with("PetTag "))
        .unwrap_or_else(|| panic!("{r:?}"));
    assert!(e.contains("upstream still calls it Tag"), "{e}");
    // Upstream's type takes our name everywhere.
    assert!(done.schema.type_def("Tag").is_none());
    assert_eq!(field(&done.schema, "PetDog", "tag").ty, "PetTag");
    // A contradicted fact is not confirmed in the same breath, and keeps its
    // mark so the next import asks again.
    assert!(
        entry(&r.confirmed, "PetTag").is_none(),
        "PetTag is both contradicted and confirmed: {:?}",
        r.confirmed
    );
    let t = done.schema.type_def("PetTag").expect("PetTag");
    assert_eq!(
        t.provenance,
        s.type_def("PetTag").and_then(|t| t.provenance.clone()),
        "the contradicted rename lost its mark"
    );
}
