//! Inputs the fuzz targets in `tests/fuzz/` found to break the runtime,
//! kept as ordinary tests.

use botapi::types::{Update, UpdateKind};

fn roundtrip(text: &str) {
    let first: Update = serde_json::from_str(text).unwrap();
    let json = serde_json::to_string(&first).unwrap();
    let again: Update = serde_json::from_str(&json).unwrap();
    assert_eq!(again, first, "{json}");
}

/// `update`: a number too long for an i64 in a part that then does not
/// decode (kept as raw JSON) came back one unit in the last place off,
/// because serde_json's default float parser is not exact; the runtime now
/// parses floats with `float_roundtrip`.
#[test]
fn long_numbers_in_raw_parts_survive_a_round_trip() {
    let text = r#"{"update_id":10000,"message":{"message_id":1365,"date":144164552333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333332,"chat":{"id":1111111,"type":"private"},"text":"/start hello"}}"#;
    let u: Update = serde_json::from_str(text).unwrap();
    assert!(matches!(u.kind, UpdateKind::Undecodable(_)), "{u:?}");
    roundtrip(text);
}

/// The same through floats a real update carries (a location).
#[test]
fn float_fields_survive_a_round_trip() {
    for lat in [
        "1.4416455233333335e107",
        "52.520008",
        "0.30000000000000004",
        "-1e-300",
    ] {
        roundtrip(&format!(
            r#"{{"update_id":1,"inline_query":{{"id":"1","from":{{"id":9,"is_bot":false,"first_name":"a"}},"query":"q","offset":"","location":{{"latitude":{lat},"longitude":13.404954}}}}}}"#
        ));
    }
}

/// `update`: an object that repeats a key, first with a value that does not
/// decode (Telegram never sends one). The part is kept as raw JSON, where the
/// last value of a repeated key wins; no panic, no error, `update_id` kept.
/// (So the raw JSON written back may decode where the original did not: the
/// `update` target checks its round trip only without repeated keys.)
#[test]
fn repeated_keys_in_a_part_fall_back_to_raw_json() {
    let text = r#"{"update_id":8,"my_chat_member":{"chat":{"id":-1,"type":"supergroup","title":"s"},"from":{"id":2,"is_bot":false,"first_name":"a"},"date":1,"old_chat_member":{"status":"member","user":{"id":3,"is_bot":true,"first_nama":"b"}},"new_chat_member":{"status":"administrator","user&":{"id":3,"is_bot":true,"first_name":"b"},"can_be_edited":false,"is_anonymous":false,"can_manage_cha":2,"is_bot":false,"first_name":"a"},"date":1,"old_chat_member":{"status":"member","user":{"id":3,"is_bot":true,"first_name":"b"}},"new_chat_member":{"status":"admivistrator","user":{"id":3,"is_bot":true,"first_name":"b"},"cete_stories":true}}}
"#;
    let u: Update = serde_json::from_str(text).unwrap();
    assert_eq!(u.update_id, 8);
    let UpdateKind::Undecodable(part) = &u.kind else {
        panic!("{u:?}");
    };
    assert_eq!(part.raw["my_chat_member"]["date"], 1);
    let json = serde_json::to_string(&u).unwrap();
    let _: Update = serde_json::from_str(&json).unwrap();
}

/// `update`: a union member (a chat member told apart by `status`) missing
/// a field, with the keys in another order than serde_json writes them
/// back. The path of the undecodable part was read off the text as it
/// came, so the part written back and read again named another place (and
/// the union passed on a position inside its own text). Path and error are
/// now read off the value as serde_json writes it.
#[test]
fn an_undecodable_part_names_the_same_place_after_a_round_trip() {
    let text = r#"{"update_id":8,"my_chat_member":{"ch!t":{"id":-0,"type":"supergroup","title":"s"},"from":{"id":2,"is_bot":false,"first_name":"a"},"date":1,"old_chat_member":{"status":"member","user":{"id":3,"is_bot":true,"first_name":"b"}},"new_chat_member":{"status":"administrator","user":{"id":3,"is_bot":true,"first_name":"b"},"can_be_edited":false,"is_anonymous":false,"can_manage_chat":true,"can_invite_usezs":true,"can_post_stories":true,"can_edit_stories":true,"can_delete_stories":true}}}"#;
    let u: Update = serde_json::from_str(text).unwrap();
    let UpdateKind::Undecodable(part) = &u.kind else {
        panic!("{u:?}")
    };
    assert_eq!(part.path, "my_chat_member.new_chat_member");
    assert!(
        part.error
            .starts_with("missing field `can_delete_messages`"),
        "{}",
        part.error
    );
    roundtrip(text);
}
