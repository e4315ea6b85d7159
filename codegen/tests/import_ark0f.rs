//! The reader for ark0f's `custom_v2.json` (`fixtures/ark0f/custom_v2.json`):
//! version and date from their objects, methods with arguments and return
//! types, objects and `any_of` unions, `bool` with default true as `True`,
//! arrays of alternatives, and errors for shapes it does not know.

use std::path::PathBuf;

use botapi_codegen::import::{
    empty_schema, import, parse_upstream, read_upstream, to_json, Upstream,
};
use botapi_codegen::schema::Field;

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ark0f/custom_v2.json")
}

fn text() -> String {
    std::fs::read_to_string(path()).expect("fixture")
}

fn fixture() -> Upstream {
    read_upstream(&path()).unwrap_or_else(|e| panic!("{e}"))
}

fn fields<'a>(up: &'a Upstream, owner: &str) -> &'a [Field] {
    up.types
        .iter()
        .find(|t| t.name == owner)
        .and_then(|t| t.fields.as_deref())
        .unwrap_or_else(|| panic!("{owner}"))
}

fn ty<'a>(list: &'a [Field], name: &str) -> (&'a str, bool) {
    let f = list
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{name}"));
    (f.ty.as_str(), f.required)
}

#[test]
fn reads_version_and_date() {
    let up = fixture();
    assert_eq!(up.format, "ark0f custom_v2.json");
    assert_eq!(up.version, "8.1");
    assert_eq!(up.release_date, "2024-12-04");
    let patched = parse_upstream(
        "patched.json",
        &text().replace(r#""patch": 0"#, r#""patch": 2"#),
    )
    .expect("parses");
    assert_eq!(patched.version, "8.1.2");
}

#[test]
fn reads_methods() {
    let up = fixture();
    let names: Vec<&str> = up.methods.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["getPet", "renamePet", "listFriends"]);
    let get = &up.methods[0];
    assert_eq!(get.returns, "Pet");
    assert_eq!(get.doc, "#getpet");
    assert_eq!(ty(&get.params, "pet_id"), ("Integer or String", true));
    assert_eq!(ty(&get.params, "limit"), ("Integer", false));
    assert_eq!(ty(&get.params, "with_toys"), ("Boolean", false));
    let limit = &get.params[1];
    assert_eq!(limit.default, Some(5.into()), "mined from the prose");
    assert_eq!((limit.min, limit.max), (Some(1.0), Some(20.0)));
    let rename = &up.methods[1];
    assert_eq!(rename.returns, "True", "bool with default true");
    assert_eq!(
        (rename.params[0].min_len, rename.params[0].max_len),
        (Some(1), Some(32))
    );
    assert_eq!(up.methods[2].returns, "Array of (PetDog or PetCat)");
    assert!(up.methods[2].params.is_empty());
    assert!(up.methods.iter().all(|m| m.summary.is_empty()), "no prose");
}

#[test]
fn reads_objects_and_unions() {
    let up = fixture();
    let pet = up.types.iter().find(|t| t.name == "Pet").expect("Pet");
    assert!(pet.fields.is_none());
    assert_eq!(pet.doc.as_deref(), Some("#pet"));
    let u = pet.union.as_ref().expect("a union from any_of");
    let variants: Vec<&str> = u.variants.iter().map(|v| v.ty.as_str()).collect();
    assert_eq!(variants, ["PetDog", "PetCat"]);
    assert_eq!(u.discriminator.as_deref(), Some("kind"));
    let values: Vec<&str> = u
        .variants
        .iter()
        .map(|v| v.value.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(values, ["dog", "cat"]);

    let dog = fields(&up, "PetDog");
    assert_eq!(ty(dog, "kind"), ("String", true));
    assert_eq!(
        ty(dog, "is_good"),
        ("True", false),
        "bool with default true"
    );
    assert_eq!(ty(dog, "tags"), ("Array of String", false));
    let cat = fields(&up, "PetCat");
    assert_eq!(ty(cat, "lives"), ("Integer", true));
    assert_eq!(ty(cat, "weight"), ("Float", false));
    assert_eq!(ty(cat, "indoor"), ("Boolean", false), "a plain bool");

    assert!(
        !up.types.iter().any(|t| t.name == "InputFile"),
        "InputFile is built in"
    );
    assert!(up
        .types
        .iter()
        .any(|t| t.synthetic && t.name == "Recipient"));
}

#[test]
fn imports_like_the_other_formats() {
    let first = import(&empty_schema(), fixture(), None);
    assert_eq!(first.schema.version, "8.1");
    assert_eq!(first.schema.release_date, "2024-12-04");
    let again = import(&first.schema, fixture(), None);
    assert_eq!(to_json(&again.schema), to_json(&first.schema));
    assert!(again.report.changes.is_empty());
}

#[test]
fn unknown_shapes_are_errors() {
    let err = parse_upstream(
        "bad.json",
        &text().replace(r#""type": "float""#, r#""type": "decimal""#),
    )
    .expect_err("unknown kind");
    assert!(
        err.to_string().contains("unknown type kind `decimal`"),
        "{err}"
    );
    assert!(err.to_string().contains("PetCat"), "names where: {err}");
    let err = parse_upstream(
        "bad.json",
        &text().replace(r#""name": "renamePet","#, r#""title": "renamePet","#),
    )
    .expect_err("a method without a name");
    assert!(err.to_string().contains("missing string `name`"), "{err}");
}
