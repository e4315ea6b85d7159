//! `compat::strict`, the client's fast first pass: it fails where plain
//! (tolerant) decoding keeps a broken part as raw JSON, and unknown kinds are
//! counted once whichever pass succeeds. Its own test binary, because the
//! counters are process-wide and other tests would move them meanwhile.

use botapi::compat::{counts, strict};
use botapi::types::{Update, UpdateKind};
use botapi_tests::{MockBotApi, Reply};

#[tokio::test]
async fn strict_fails_where_tolerant_keeps_and_counts_once() {
    let broken = r#"[{"update_id":1,"message":{"message_id":1,"date":"yesterday","chat":{"id":1,"type":"private"}}},
                    {"update_id":2,"future_kind":{"x":1}}]"#;
    let before = counts();
    let strict_result = strict(|| serde_json::from_str::<Vec<Update>>(broken));
    assert!(
        strict_result.is_err(),
        "strict does not keep the broken part"
    );
    assert_eq!(counts(), before, "a failed strict pass counts nothing");
    let kept: Vec<Update> = serde_json::from_str(broken).unwrap();
    assert!(matches!(kept[0].kind, UpdateKind::Undecodable(_)));
    assert!(matches!(kept[1].kind, UpdateKind::Unknown(_)));
    let after = counts();
    assert_eq!(after.undecodable, before.undecodable + 1);
    assert_eq!(after.unknown_kinds, before.unknown_kinds + 1);
    let fine = r#"[{"update_id":3,"future_kind":{}}]"#;
    let ok = strict(|| serde_json::from_str::<Vec<Update>>(fine)).unwrap();
    assert!(matches!(ok[0].kind, UpdateKind::Unknown(_)));
    let after_fine = counts();
    assert_eq!(
        after_fine.unknown_kinds,
        after.unknown_kinds + 1,
        "counted once"
    );

    // Through the client: the strict pass fails, the second keeps and counts
    // each event exactly once.
    let server = MockBotApi::start().await;
    let batch: serde_json::Value = serde_json::from_str(broken).unwrap();
    server.reply(Reply::ok(batch));
    let client = botapi::Client::builder("1:x")
        .base_url(server.url())
        .build()
        .unwrap();
    let updates = client.get_updates().await.unwrap();
    assert_eq!(updates.len(), 2);
    let end = counts();
    assert_eq!(end.undecodable, after_fine.undecodable + 1);
    assert_eq!(end.unknown_kinds, after_fine.unknown_kinds + 1);
}
