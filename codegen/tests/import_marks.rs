//! What the importer marks beyond the bare facts, on a small fixture
//! (`fixtures/marks/`) and on the upstream files in `../shared/upstream/`
//! (skipped with a printed reason where that folder is absent): named value
//! sets and their coverage of the lists in upstream prose, rules across
//! fields, identifier marks, and the import's printed and Markdown report.

use std::path::{Path, PathBuf};
use std::process::Command;

use botapi_codegen::import::{import, import_with_history, read_upstream, to_json, Imported};
use botapi_codegen::schema::{Field, IdKind, Rule, Schema};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn existing() -> Schema {
    botapi_codegen::schema::load::load_file(&fixtures().join("marks/api.json"))
        .expect("marks/api.json loads")
        .schema
}

fn imported() -> Imported {
    let up = read_upstream(&fixtures().join("marks/upstream.json")).expect("upstream");
    import(&existing(), up, None)
}

fn field<'a>(s: &'a Schema, owner: &str, name: &str) -> &'a Field {
    s.type_def(owner)
        .and_then(|t| t.fields.as_ref())
        .or_else(|| {
            s.methods
                .iter()
                .find(|m| m.name == owner)
                .map(|m| &m.params)
        })
        .and_then(|fs| fs.iter().find(|f| f.name == name))
        .unwrap_or_else(|| panic!("{owner}.{name}"))
}

fn set_of<'a>(s: &'a Schema, owner: &str, name: &str) -> Option<&'a str> {
    field(s, owner, name).enum_type.as_deref()
}

fn rules<'a>(s: &'a Schema, owner: &str) -> &'a [Rule] {
    s.type_def(owner)
        .map(|t| t.rules.as_slice())
        .or_else(|| {
            s.methods
                .iter()
                .find(|m| m.name == owner)
                .map(|m| m.rules.as_slice())
        })
        .unwrap_or_else(|| panic!("{owner}"))
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

#[test]
fn value_lists_become_named_sets() {
    let done = imported();
    let s = &done.schema;
    let order: Vec<&str> = s.enums.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        order,
        [
            "ParseMode",
            "UpdateType",
            "Size",
            "RollEmoji",
            "ChatType",
            "PetKind",
            "CrateSize",
            "TagType"
        ],
        "curated sets first, in their order; mined ones named after the first field listing them"
    );
    assert_eq!(set_of(s, "sendNote", "parse_mode"), Some("ParseMode"));
    assert_eq!(
        set_of(s, "sendNote", "text_parse_mode"),
        Some("ParseMode"),
        "the name rule wins over the quoted tags"
    );
    assert_eq!(
        set_of(s, "getUpdates", "allowed_updates"),
        Some("UpdateType")
    );
    assert_eq!(set_of(s, "Chat", "type"), Some("ChatType"));
    assert_eq!(set_of(s, "Pet", "kind"), Some("PetKind"));
    assert_eq!(
        set_of(s, "Litter", "kind"),
        Some("PetKind"),
        "the same values in another order share the set"
    );
    assert_eq!(
        set_of(s, "Kennel", "size"),
        Some("Size"),
        "a curated assignment stays"
    );
    assert_eq!(
        set_of(s, "Crate", "size"),
        Some("CrateSize"),
        "a curated set takes a list only when the values are the same"
    );
    assert_eq!(
        set_of(s, "Roll", "emoji"),
        Some("RollEmoji"),
        "kept where no prose lists values"
    );
    assert_eq!(set_of(s, "Pet", "shelter"), None, "examples make no set");
    let pet_kind = s.enum_def("PetKind").expect("PetKind");
    let values: Vec<&str> = pet_kind.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["dog", "cat", "bird"]);
    assert!(pet_kind.curated.is_none() && pet_kind.summary.is_empty());
    assert!(
        done.missing_summaries
            .iter()
            .any(|m| m == "value set PetKind"),
        "{:?}",
        done.missing_summaries
    );
    assert_eq!(
        field(s, "Chat", "type").allowed,
        None,
        "\"can be either\" is an open list: no closed enum"
    );
}

#[test]
fn coverage_counts_every_listed_field() {
    let c = imported().coverage;
    let e = &c.enums;
    assert_eq!(
        (e.listed, e.covered, e.exceptions.len()),
        (9, 7, 2),
        "{e:#?}"
    );
    assert!(e.uncovered.is_empty(), "{:?}", e.uncovered);
    let excepted: Vec<&str> = e.exceptions.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(excepted, ["sendNote.text_parse_mode", "Pet.shelter"]);
    assert_eq!(
        c.enum_line().split(" (").next(),
        Some("enumerations: 9 fields with listed values in upstream prose, 7 with an enum_type, 2 deliberate exceptions")
    );
    assert!(c
        .enum_line()
        .ends_with("(sendNote.text_parse_mode: the quoted values are the entity kinds the text keeps; the field is a ParseMode; Pet.shelter: the prose gives examples, not the set of values)"));
}

#[test]
fn summaries_and_sets_survive_a_reimport() {
    let first = imported();
    let mut schema = first.schema.clone();
    for e in &mut schema.enums {
        if e.summary.is_empty() {
            e.summary = format!("Ours for {}.", e.name);
        }
    }
    let up = read_upstream(&fixtures().join("marks/upstream.json")).expect("upstream");
    let again = import(&schema, up, None);
    assert_eq!(to_json(&again.schema), to_json(&schema));
    assert!(
        !again
            .missing_summaries
            .iter()
            .any(|m| m.starts_with("value set")),
        "{:?}",
        again.missing_summaries
    );
}

#[test]
fn a_curated_set_learns_listed_values() {
    let text = std::fs::read_to_string(fixtures().join("marks/upstream.json"))
        .expect("read")
        .replace(
            "Size, currently one of “small” or “large”",
            "Size, currently one of “small”, “large” or “huge”",
        );
    let up = botapi_codegen::import::parse_upstream("grown.json", &text).expect("parse");
    let done = import(&existing(), up, None);
    let size = done.schema.enum_def("Size").expect("Size");
    let values: Vec<&str> = size.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["small", "medium", "large", "huge"]);
    assert!(
        done.conflicts
            .iter()
            .any(|c| c == "Kennel.size: value `huge` added to the curated set Size"),
        "{:?}",
        done.conflicts
    );
}

#[test]
fn rules_are_mined_settled_and_kept() {
    let done = imported();
    let s = &done.schema;
    assert_eq!(
        rules(s, "Button"),
        [Rule::ExactlyOne {
            fields: names(&["url", "data"]),
            curated: None
        }]
    );
    assert_eq!(
        rules(s, "editNote"),
        [
            Rule::OneGroup {
                groups: vec![
                    names(&["chat_id", "message_id"]),
                    names(&["inline_message_id"])
                ],
                curated: None
            },
            Rule::ExactlyOne {
                fields: names(&["text", "card"]),
                curated: None
            }
        ]
    );
    assert_eq!(
        rules(s, "sendNote"),
        [
            Rule::FirstWins {
                fields: names(&["parse_mode", "entities"]),
                curated: None
            },
            Rule::FirstWins {
                fields: names(&["user_id", "message_thread_id"]),
                curated: Some("Ours, for the test.".into())
            }
        ],
        "mined first, then the curated rule, which stands in for the mined \
         at_most_one on the same fields (\"can't be used together\")"
    );
    assert!(
        rules(s, "Update").is_empty(),
        "an exclusive kind needs no rule"
    );
    let count = &done.coverage.rules;
    assert_eq!((count.mined(), count.curated()), (4, 1));
}

#[test]
fn a_curated_at_least_one_takes_the_place_of_a_mined_exactly_one() {
    // The docs ask for exactly one action; Telegram takes the first set and
    // refuses none, so the schema relaxes the mined rule, and a re-import
    // keeps the relaxed one.
    let mut schema = imported().schema;
    let relaxed = Rule::AtLeastOne {
        fields: names(&["url", "data"]),
        curated: Some("Ours, for the test.".into()),
    };
    let button = schema
        .types
        .iter_mut()
        .find(|t| t.name == "Button")
        .expect("Button");
    button.rules = vec![relaxed.clone()];
    let up = read_upstream(&fixtures().join("marks/upstream.json")).expect("upstream");
    let again = import(&schema, up, None);
    assert_eq!(rules(&again.schema, "Button"), [relaxed]);
    let count = &again.coverage.rules;
    assert_eq!((count.mined(), count.curated()), (3, 2));
    // An action the curated rule does not name yet (as when a new version
    // adds one) joins it: a button with only that action is not refused.
    let button = schema
        .types
        .iter_mut()
        .find(|t| t.name == "Button")
        .expect("Button");
    button.rules = vec![Rule::AtLeastOne {
        fields: names(&["url"]),
        curated: Some("Ours, for the test.".into()),
    }];
    let up = read_upstream(&fixtures().join("marks/upstream.json")).expect("upstream");
    let grown = import(&schema, up, None);
    assert_eq!(
        rules(&grown.schema, "Button"),
        [Rule::AtLeastOne {
            fields: names(&["url", "data"]),
            curated: Some("Ours, for the test.".into()),
        }]
    );
}

#[test]
fn identifiers_are_marked_by_name() {
    let s = imported().schema;
    assert_eq!(field(&s, "sendNote", "user_id").id_of, Some(IdKind::User));
    assert_eq!(field(&s, "Note", "message_id").id_of, Some(IdKind::Message));
    assert_eq!(
        field(&s, "editNote", "message_id").id_of,
        Some(IdKind::Message)
    );
    assert_eq!(field(&s, "Chat", "id").id_of, Some(IdKind::Chat));
    for (owner, name) in [
        ("Pet", "id"),
        ("sendNote", "message_thread_id"),
        ("editNote", "ephemeral_message_id"),
        ("editNote", "inline_message_id"),
        ("Update", "update_id"),
    ] {
        assert_eq!(field(&s, owner, name).id_of, None, "{owner}.{name}");
    }
    let chat_id = s
        .type_def("ChatId")
        .and_then(|t| t.union.as_ref())
        .expect("ChatId");
    let marks: Vec<Option<IdKind>> = chat_id.variants.iter().map(|v| v.id_of).collect();
    assert_eq!(marks, [Some(IdKind::Chat), None]);
}

#[test]
fn import_prints_and_reports_the_marks() {
    let dir = std::env::temp_dir().join(format!("botapi-marks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let schema = dir.join("api.json");
    std::fs::copy(fixtures().join("marks/api.json"), &schema).expect("copy");
    let report = dir.join("report.md");
    let out = Command::new(env!("CARGO_BIN_EXE_botapi-codegen"))
        .arg("--schema")
        .arg(&schema)
        .arg("import")
        .arg(fixtures().join("marks/upstream.json"))
        .arg("--no-curation")
        .arg("--report")
        .arg(&report)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("enumerations: 9 fields with listed values in upstream prose, 7 with an enum_type, 2 deliberate exceptions (sendNote.text_parse_mode: "),
        "{stdout}"
    );
    assert!(stdout.contains("rules: 4 mined, 1 curated"), "{stdout}");
    assert!(
        stdout.contains("identifiers: 1 user, 1 chat, 2 message; 1 union variants"),
        "{stdout}"
    );
    let md = std::fs::read_to_string(&report).expect("report");
    assert!(
        md.contains("## Enumerations, rules and identifiers"),
        "{md}"
    );
    assert!(
        md.contains("\n  - sendNote.text_parse_mode: the quoted"),
        "{md}"
    );
    assert!(md.contains("- enumerations: 9 fields with listed values in upstream prose, 7 with an enum_type, 2 deliberate exceptions\n"), "{md}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn upstream_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/upstream");
    if dir.join("aiogram-butcher-schema.json").exists() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (upstream reference data lives outside the repo)",
            dir.display()
        );
        None
    }
}

/// The shipped schema imported again from aiogram's 10.2 file with the
/// curation layers, as `schema/api.json` is made.
fn shipped() -> Option<Imported> {
    let dir = upstream_dir()?;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let existing = botapi_codegen::schema::load::load_file(&root.join("schema/api.json"))
        .expect("schema/api.json loads")
        .schema;
    let overlay = botapi_codegen::import::Overlay::from_json(
        &std::fs::read_to_string(root.join("schema/curation.json")).expect("curation.json"),
    )
    .expect("curation.json parses");
    let up = read_upstream(&dir.join("aiogram-butcher-schema.json")).expect("aiogram");
    Some(import_with_history(&existing, up, Some(&overlay), &[]))
}

#[test]
fn every_list_in_the_aiogram_prose_is_covered_or_excepted() {
    let Some(done) = shipped() else { return };
    let e = &done.coverage.enums;
    println!("{}", done.coverage);
    assert!(e.uncovered.is_empty(), "not covered: {:#?}", e.uncovered);
    assert_eq!(e.listed, e.covered + e.exceptions.len());
    let excepted: Vec<&str> = e.exceptions.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(
        excepted,
        [
            "sendVenue.foursquare_type",
            "sendGift.text_parse_mode",
            "giftPremiumSubscription.text_parse_mode",
            "VideoQuality.codec",
            "Venue.foursquare_type",
            "InputMediaVenue.foursquare_type",
            "InputSticker.keywords",
            "InlineQueryResultVenue.foursquare_type",
            "InputVenueMessageContent.foursquare_type",
            "EncryptedPassportElement.data",
        ]
    );
    let s = &done.schema;
    let all = s
        .methods
        .iter()
        .flat_map(|m| m.params.iter().map(move |p| (m.name.as_str(), p)))
        .chain(
            s.types
                .iter()
                .flat_map(|t| t.fields.iter().flatten().map(move |f| (t.name.as_str(), f))),
        );
    let mut parse_modes = 0;
    for (owner, f) in all {
        if f.name == "parse_mode" || f.name.ends_with("_parse_mode") {
            parse_modes += 1;
            assert_eq!(
                f.enum_type.as_deref(),
                Some("ParseMode"),
                "{owner}.{}",
                f.name
            );
            assert_eq!(
                f.allowed, None,
                "{owner}.{}: Telegram reads it case-blind",
                f.name
            );
        }
        if f.name == "allowed_updates" {
            assert_eq!(f.enum_type.as_deref(), Some("UpdateType"), "{owner}");
        }
    }
    assert!(parse_modes >= 48, "{parse_modes}");
    for (owner, name, set) in [
        ("Chat", "type", "ChatType"),
        ("ChatFullInfo", "type", "ChatType"),
        ("MessageEntity", "type", "MessageEntityType"),
        ("sendChatAction", "action", "ChatAction"),
        ("Sticker", "type", "StickerType"),
        ("createNewStickerSet", "sticker_type", "StickerType"),
        ("Poll", "type", "PollType"),
        ("sendPoll", "type", "PollType"),
        ("KeyboardButtonPollType", "type", "PollType"),
        ("sendDice", "emoji", "DiceEmoji"),
        ("Dice", "emoji", "DiceEmoji"),
        ("MaskPosition", "point", "MaskPoint"),
        ("InlineQuery", "chat_type", "InlineQueryChatType"),
        ("ReactionTypeEmoji", "emoji", "ReactionEmoji"),
        ("RichMessageButton", "style", "ButtonStyle"),
        (
            "PassportElementErrorUnspecified",
            "type",
            "PassportElementType",
        ),
    ] {
        assert_eq!(set_of(s, owner, name), Some(set), "{owner}.{name}");
    }
    let entity = s.enum_def("MessageEntityType").expect("MessageEntityType");
    for v in [
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
        "date_time",
    ] {
        assert!(entity.values.iter().any(|x| x.value == v), "{v}");
    }
    let dice = s.enum_def("DiceEmoji").expect("DiceEmoji");
    assert!(
        dice.values.iter().all(|v| v.name.is_some()),
        "emoji values need variant names"
    );
}

#[test]
fn the_shipped_rules_never_demand_an_action_of_a_plain_button() {
    let Some(done) = shipped() else { return };
    let s = &done.schema;
    // Telegram's server takes the first request of a reply keyboard button
    // and refuses none: nothing is asked of it, and nothing refused.
    assert!(
        matches!(
            rules(s, "KeyboardButton"),
            [Rule::FirstWins {
                curated: Some(_),
                ..
            }]
        ),
        "{:?}",
        rules(s, "KeyboardButton")
    );
    // Parse mode and entities: the mined rule says the parse mode wins.
    assert!(rules(s, "sendMessage").contains(&Rule::FirstWins {
        fields: names(&["parse_mode", "entities"]),
        curated: None
    }));
    // The docs ask for exactly one action; Telegram's server takes the first
    // set, so the schema's curated rule asks for at least one (the rich
    // message button by analogy: its notes say the same).
    for t in [
        "InlineKeyboardButton",
        "InlineQueryResultsButton",
        "RichMessageButton",
    ] {
        assert!(
            matches!(
                rules(s, t),
                [Rule::AtLeastOne {
                    curated: Some(_),
                    ..
                }]
            ),
            "{t}: {:?}",
            rules(s, t)
        );
    }
    let target = Rule::OneGroup {
        groups: vec![
            names(&["chat_id", "message_id"]),
            names(&["inline_message_id"]),
        ],
        curated: None,
    };
    for m in [
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageLiveLocation",
        "stopMessageLiveLocation",
        "editMessageReplyMarkup",
        "setGameScore",
        "getGameHighScores",
    ] {
        assert!(rules(s, m).contains(&target), "{m}: {:?}", rules(s, m));
    }
    assert!(matches!(
        rules(s, "editMessageWidgetData"),
        [Rule::OneGroup {
            curated: Some(_),
            ..
        }]
    ));
    assert!(rules(s, "ReplyParameters").contains(&Rule::ExactlyOne {
        fields: names(&["message_id", "ephemeral_message_id"]),
        curated: None
    }));
    let ids = done.coverage.ids;
    assert!(
        ids.0 >= 45 && ids.1 >= 20 && ids.2 >= 35 && ids.3 == 1,
        "{ids:?}"
    );
    assert_eq!(
        field(s, "ReplyParameters", "ephemeral_message_id").id_of,
        None,
        "an ephemeral message id counts in a space of its own"
    );
}
