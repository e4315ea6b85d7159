//! Uses the bindings generated at build time: construction, serde, the
//! tagged union's Unknown fallback, exclusive kinds, and validation paths.

use botapi::{Request, Validate};
use botapi_build_time_test::{mini, obstacle};
use mini::methods::{GetPets, UploadPhoto};
use mini::types::{Button, Event, EventKind, OwnerId, Pet};

#[test]
fn build_output_equals_committed_snapshot() {
    for name in [
        "types.rs",
        "methods.rs",
        "client_methods.rs",
        "error_kinds.rs",
    ] {
        let built = std::fs::read_to_string(format!("{}/mini/{name}", env!("OUT_DIR")))
            .expect("built file");
        let snap = std::fs::read_to_string(format!(
            "{}/../../codegen/tests/snapshots/mini/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("snapshot file");
        assert_eq!(built, snap, "{name} differs from its snapshot");
    }
}

#[test]
fn requests_serialize_and_validate() {
    let req = GetPets::new(42).limit(10);
    assert_eq!(GetPets::METHOD, "getPets");
    assert_eq!(
        serde_json::to_value(&req).unwrap(),
        serde_json::json!({"owner_id": 42, "limit": 10})
    );
    assert!(botapi::validate::Validator::run(GetPets::METHOD, &req).is_ok());
    let bad = GetPets::new("@owner").limit(101);
    let err = botapi::validate::Validator::run(GetPets::METHOD, &bad).unwrap_err();
    assert_eq!(err.violations[0].path, "getPets.limit");
    let _ = OwnerId::from("x");
}

#[test]
fn nested_grid_violations_carry_full_paths() {
    let grid = vec![vec![
        Button::new("a").data("ok"),
        Button::new("b").data("too long"),
    ]];
    let req = UploadPhoto::new(1, botapi::InputFile::file_id("abc"))
        .buttons(grid)
        .tags(vec![
            "a".into(),
            "b".into(),
            "c".into(),
            "toolongtag".into(),
        ])
        .caption("x".repeat(17));
    let mut v = botapi::validate::Validator::new(UploadPhoto::METHOD);
    req.validate_into(&mut v);
    let paths: Vec<String> = v.violations().iter().map(|x| x.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "uploadPhoto.caption",
            "uploadPhoto.tags",
            "uploadPhoto.tags[3]",
            "uploadPhoto.buttons[0][1].data"
        ]
    );
    // The caption limit counts after entity parsing: skipped while parse_mode is set.
    let req = UploadPhoto::new(1, botapi::InputFile::file_id("abc"))
        .caption("x".repeat(17))
        .parse_mode("HTML");
    assert!(botapi::validate::Validator::run(UploadPhoto::METHOD, &req).is_ok());
}

#[test]
fn unions_keep_unknown_variants_and_kinds() {
    let pet: Pet = serde_json::from_str(r#"{"kind":"dog","name":"Rex"}"#).unwrap();
    assert!(matches!(&pet, Pet::Dog(d) if d.name == "Rex"));
    assert_eq!(
        serde_json::to_value(&pet).unwrap(),
        serde_json::json!({"kind":"dog","name":"Rex"})
    );
    // A variant serialized on its own still carries its tag.
    let dog = mini::types::PetDog::new("Rex");
    assert_eq!(
        serde_json::to_value(&dog).unwrap(),
        serde_json::json!({"kind":"dog","name":"Rex"})
    );
    let raw = serde_json::json!({"kind":"parrot","words":3});
    let pet: Pet = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(pet, Pet::Unknown(raw.clone()));
    assert_eq!(serde_json::to_value(&pet).unwrap(), raw);

    let ev: Event =
        serde_json::from_str(r#"{"event_id":7,"adopted":{"kind":"cat","lives":9}}"#).unwrap();
    assert!(matches!(ev.kind, EventKind::Adopted(Pet::Cat(_))));
    let raw = serde_json::json!({"event_id":8,"vaccinated":{"at":1}});
    let ev: Event = serde_json::from_value(raw.clone()).unwrap();
    assert!(matches!(&ev.kind, EventKind::Unknown(m) if m.contains_key("vaccinated")));
    assert_eq!(serde_json::to_value(&ev).unwrap(), raw);
}

#[test]
fn obstacle_course_types_are_usable() {
    let o = obstacle::types::Option::new("kind").self_(obstacle::types::Option::new("inner"));
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"type":"kind","self":{"type":"inner"}})
    );
    let back: obstacle::types::Option = serde_json::from_value(json).unwrap();
    assert_eq!(back, o);
    let req = obstacle::methods::Type::new("t")
        .type_2("u")
        .set_new(true)
        .match_(3);
    assert_eq!(
        serde_json::to_value(&req).unwrap(),
        serde_json::json!({"type":"t","type_":"u","new":true,"match":3})
    );
}
