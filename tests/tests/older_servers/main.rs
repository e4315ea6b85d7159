//! Replies from servers older than the schema (down to its `compat_floor`,
//! Bot API 8.1), through the client against the mock Bot API server on
//! 127.0.0.1. A required field that arrived after the floor is `None` in a
//! reply that lacks it, keys the schema no longer knows stay in `extra`, and
//! every reply writes back exactly its input: nothing lost, nothing invented.
//!
//! - Hand-written replies (self-contained): sendPoll, stopPoll, getUpdates
//!   (a poll answer), getChatMember (administrator, restricted member),
//!   getChatAdministrators, getMyDefaultAdministratorRights, getChat and
//!   getStarTransactions, each shaped as a server before 10.1/10.3 sends it.
//! - Generated replies: from the Bot API 8.1 spec in /work/shared/upstream
//!   (skipped with a reason when absent), every method whose result reaches
//!   a type that gained a required field since 8.1 (or whose return type
//!   changed) gets replies shaped as 8.1 sends them, decoded through the
//!   generated request type picked by wire name.

use std::any::Any;
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use botapi::blocking::BlockingClient;
use botapi::methods::dynamic::{with_request, RequestFn};
use botapi::types::{self as t, ChatMember, TransactionPartner, UpdateKind};
use botapi::{Client, Request};
use botapi_codegen::schema::{Schema, TypeExpr};
use botapi_tests::{MockBotApi, Reply};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

const TOKEN: &str = "81:older-servers";

fn client(server: &MockBotApi) -> Client {
    Client::builder(TOKEN)
        .base_url(server.url())
        .build()
        .expect("client")
}

/// Serialize `value` and compare with the reply it was read from.
fn writes_back<T: Serialize>(what: &str, value: &T, input: &Value) {
    let back = serde_json::to_value(value).expect("serialize");
    assert_eq!(&back, input, "{what} changed in a round trip");
}

// ---------------------------------------------------------------------------
// Hand-written replies.

fn group() -> Value {
    json!({"id": -100200, "type": "supergroup", "title": "Team"})
}

fn bot_user() -> Value {
    json!({"id": 81, "is_bot": true, "first_name": "Bot", "username": "the_bot"})
}

fn ada() -> Value {
    json!({"id": 5, "is_bot": false, "first_name": "Ada", "language_code": "en"})
}

/// A poll as Bot API 8.1 to 10.0 sends it: no `persistent_id` on options,
/// no `allows_revoting`/`members_only`; a quiz still has the single
/// `correct_option_id` that 10.1 replaced.
fn old_poll(closed: bool) -> Value {
    let mut poll = json!({
        "id": "5436",
        "question": "Lunch?",
        "options": [
            {"text": "Pizza", "voter_count": if closed { 3 } else { 0 }},
            {"text": "Sushi", "voter_count": if closed { 1 } else { 0 },
             "text_entities": [{"type": "bold", "offset": 0, "length": 5}]}
        ],
        "total_voter_count": if closed { 4 } else { 0 },
        "is_closed": closed,
        "is_anonymous": false,
        "type": "quiz",
        "allows_multiple_answers": false,
        "correct_option_id": 0
    });
    if closed {
        poll["explanation"] = json!("Pizza wins");
        poll["close_date"] = json!(1733300600);
    }
    poll
}

fn check_old_poll(poll: &botapi::types::Poll, input: &Value) {
    assert_eq!(poll.allows_revoting, None);
    assert_eq!(poll.members_only, None);
    assert_eq!(
        poll.correct_option_ids, None,
        "not invented from the old key"
    );
    assert_eq!(poll.extra.get("correct_option_id"), Some(&json!(0)));
    assert_eq!(poll.options.len(), 2);
    for (o, raw) in poll
        .options
        .iter()
        .zip(input["options"].as_array().unwrap())
    {
        assert_eq!(o.persistent_id, None, "{o:?}");
        assert_eq!(o.text, raw["text"]);
        assert!(o.extra.is_empty(), "{:?}", o.extra);
    }
}

#[tokio::test]
async fn send_and_stop_poll_replies_without_10_1_fields() {
    let message = json!({
        "message_id": 12,
        "date": 1733300000,
        "chat": group(),
        "from": bot_user(),
        "poll": old_poll(false)
    });
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(message.clone()));
    server.reply(Reply::ok(old_poll(true)));
    let c = client(&server);
    let options: Vec<botapi::types::InputPollOption> = vec![
        botapi::types::InputPollOption::new("Pizza"),
        botapi::types::InputPollOption::new("Sushi"),
    ];
    let sent = c
        .send_poll(-100200_i64, "Lunch?", options)
        .type_("quiz")
        .await
        .expect("sendPoll");
    let poll = sent.poll.as_ref().expect("a poll");
    check_old_poll(poll, &message["poll"]);
    assert!(!poll.is_closed);
    writes_back("sendPoll reply", &sent, &message);

    let stopped = c.stop_poll(-100200_i64, 12).await.expect("stopPoll");
    check_old_poll(&stopped, &old_poll(true));
    assert!(stopped.is_closed);
    assert_eq!(stopped.explanation.as_deref(), Some("Pizza wins"));
    writes_back("stopPoll reply", &stopped, &old_poll(true));

    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["sendPoll", "stopPoll"]);
}

#[tokio::test]
async fn a_poll_answer_without_persistent_ids() {
    let batch = json!([
        {"update_id": 700, "poll_answer": {"poll_id": "5436", "user": ada(), "option_ids": [0, 1]}},
        {"update_id": 701, "poll": old_poll(true)}
    ]);
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(batch.clone()));
    let updates = client(&server)
        .get_updates()
        .timeout(0)
        .await
        .expect("updates");
    match &updates[0].kind {
        UpdateKind::PollAnswer(a) => {
            assert_eq!(a.option_ids, [0, 1]);
            assert_eq!(a.option_persistent_ids, None);
            assert!(a.extra.is_empty());
        }
        other => panic!("expected a poll answer, got {other:?}"),
    }
    match &updates[1].kind {
        UpdateKind::Poll(p) => check_old_poll(p, &batch[1]["poll"]),
        other => panic!("expected a poll, got {other:?}"),
    }
    writes_back("getUpdates reply", &updates, &batch);
}

/// Administrator rights as 8.1 to 10.2 send them: no
/// `can_send_welcome_messages` (10.3).
fn old_rights() -> Map<String, Value> {
    let v = json!({
        "is_anonymous": false,
        "can_manage_chat": true,
        "can_delete_messages": true,
        "can_manage_video_chats": false,
        "can_restrict_members": true,
        "can_promote_members": false,
        "can_change_info": true,
        "can_invite_users": true,
        "can_post_stories": false,
        "can_edit_stories": false,
        "can_delete_stories": false,
        "can_pin_messages": true,
        "can_manage_topics": false
    });
    v.as_object().unwrap().clone()
}

fn old_administrator() -> Value {
    let mut m = Map::new();
    m.insert("status".into(), json!("administrator"));
    m.insert("user".into(), ada());
    m.insert("can_be_edited".into(), json!(false));
    m.extend(old_rights());
    m.insert("custom_title".into(), json!("Chef"));
    Value::Object(m)
}

/// A restricted member as 8.1 to 10.0 send it: no `can_react_to_messages`
/// or `can_edit_tag` (10.1).
fn old_restricted() -> Value {
    json!({
        "status": "restricted",
        "user": {"id": 6, "is_bot": false, "first_name": "Bob"},
        "is_member": true,
        "can_send_messages": true,
        "can_send_audios": false,
        "can_send_documents": false,
        "can_send_photos": true,
        "can_send_videos": false,
        "can_send_video_notes": false,
        "can_send_voice_notes": false,
        "can_send_polls": false,
        "can_send_other_messages": false,
        "can_add_web_page_previews": false,
        "can_change_info": false,
        "can_invite_users": true,
        "can_pin_messages": false,
        "can_manage_topics": false,
        "until_date": 0
    })
}

fn check_administrator(m: &ChatMember) {
    match m {
        ChatMember::Administrator(a) => {
            assert_eq!(a.can_send_welcome_messages, None);
            assert!(a.can_manage_chat && a.can_restrict_members && !a.can_promote_members);
            assert_eq!(a.can_manage_tags, None);
            assert_eq!(a.custom_title.as_deref(), Some("Chef"));
            assert!(a.extra.is_empty(), "{:?}", a.extra);
        }
        other => panic!("expected an administrator, got {other:?}"),
    }
}

fn check_restricted(m: &ChatMember) {
    match m {
        ChatMember::Restricted(r) => {
            assert_eq!(r.can_react_to_messages, None);
            assert_eq!(r.can_edit_tag, None);
            assert!(r.is_member && r.can_send_messages && !r.can_send_polls);
            assert_eq!(r.until_date, 0);
            assert!(r.extra.is_empty(), "{:?}", r.extra);
        }
        other => panic!("expected a restricted member, got {other:?}"),
    }
}

#[tokio::test]
async fn chat_members_without_10_1_and_10_3_rights() {
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(old_administrator()));
    server.reply(Reply::ok(old_restricted()));
    server.reply(Reply::ok(json!([old_administrator(), old_restricted()])));
    server.reply(Reply::ok(Value::Object(old_rights())));
    let c = client(&server);

    let admin = c.get_chat_member(-100200_i64, 5).await.expect("admin");
    check_administrator(&admin);
    writes_back("administrator", &admin, &old_administrator());

    let restricted = c.get_chat_member(-100200_i64, 6).await.expect("restricted");
    check_restricted(&restricted);
    writes_back("restricted member", &restricted, &old_restricted());

    let all = c
        .get_chat_administrators(-100200_i64)
        .await
        .expect("administrators");
    check_administrator(&all[0]);
    check_restricted(&all[1]);
    writes_back(
        "getChatAdministrators reply",
        &all,
        &json!([old_administrator(), old_restricted()]),
    );

    let rights = c
        .get_my_default_administrator_rights()
        .await
        .expect("rights");
    assert_eq!(rights.can_send_welcome_messages, None);
    assert!(rights.can_delete_messages && !rights.is_anonymous);
    assert_eq!(rights.can_manage_direct_messages, None);
    writes_back("default rights", &rights, &Value::Object(old_rights()));
}

#[tokio::test]
async fn get_chat_without_accepted_gift_types() {
    let chat = json!({
        "id": -100200,
        "type": "supergroup",
        "title": "Team",
        "username": "team_chat",
        "accent_color_id": 3,
        "max_reaction_count": 11,
        "description": "Lunch planning",
        "permissions": {"can_send_messages": true, "can_send_polls": false},
        "pinned_message": {"message_id": 12, "date": 1733300000, "chat": group(), "poll": old_poll(false)},
        "has_visible_history": true,
        "can_send_gift": true
    });
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(chat.clone()));
    let info = client(&server)
        .get_chat(-100200_i64)
        .await
        .expect("getChat");
    assert_eq!(info.id, -100200);
    assert_eq!((info.accent_color_id, info.max_reaction_count), (3, 11));
    assert_eq!(info.accepted_gift_types, None);
    // The key 9.0 replaced is kept, not mapped onto the new one.
    assert_eq!(info.extra.get("can_send_gift"), Some(&json!(true)));
    let pinned = info.pinned_message.as_ref().expect("pinned");
    let poll = pinned.poll.as_ref().expect("pinned poll");
    check_old_poll(poll, &chat["pinned_message"]["poll"]);
    writes_back("getChat reply", &info, &chat);
}

#[tokio::test]
async fn star_transactions_without_transaction_type() {
    let reply = json!({"transactions": [
        {"id": "tx1", "amount": 50, "date": 1733300000,
         "source": {"type": "user", "user": ada(), "invoice_payload": "order-1"}},
        {"id": "tx2", "amount": 10, "nanostar_amount": 5, "date": 1733300100,
         "receiver": {"type": "user", "user": ada(), "paid_media_payload": "album"}}
    ]});
    let server = MockBotApi::start().await;
    server.reply(Reply::ok(reply.clone()));
    let got = client(&server)
        .get_star_transactions()
        .await
        .expect("getStarTransactions");
    let partners = [
        got.transactions[0].source.as_deref(),
        got.transactions[1].receiver.as_deref(),
    ];
    for p in partners {
        match p {
            Some(TransactionPartner::User(u)) => {
                assert_eq!(u.transaction_type, None);
                assert_eq!(u.user.id, 5);
                assert!(u.extra.is_empty(), "{:?}", u.extra);
            }
            other => panic!("expected a user partner, got {other:?}"),
        }
    }
    writes_back("getStarTransactions reply", &got, &reply);
}

// ---------------------------------------------------------------------------
// Generated from the Bot API 8.1 spec.

/// Where the older specs are; see its README.md.
fn upstream() -> PathBuf {
    std::env::var_os("BOTAPI_UPSTREAM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/upstream"))
}

fn schema() -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/api.json");
    botapi_codegen::schema::load::load_file(&path)
        .expect("schema/api.json")
        .schema
}

/// Named types one level inside a type expression of the schema.
fn named_in(e: &TypeExpr, out: &mut Vec<String>) {
    match e {
        TypeExpr::Named(n) => out.push(n.clone()),
        TypeExpr::Array(inner) => named_in(inner, out),
        TypeExpr::Or(alts) => alts.iter().for_each(|a| named_in(a, out)),
        _ => {}
    }
}

fn expr(src: &str) -> TypeExpr {
    TypeExpr::parse(src).unwrap_or_else(|e| panic!("type `{src}`: {}", e.message))
}

/// Named types inside a type_info of the 8.1 spec.
fn old_named_in(ti: &Value, out: &mut Vec<String>) {
    match ti["type"].as_str() {
        Some("reference") => out.push(ti["reference"].as_str().expect("reference").into()),
        Some("array") => old_named_in(&ti["array"], out),
        Some("any_of") => ti["any_of"]
            .as_array()
            .expect("any_of")
            .iter()
            .for_each(|t| old_named_in(t, out)),
        _ => {}
    }
}

/// The Bot API 8.1 description (ark0f's custom_v2 format).
struct Old {
    objects: HashMap<String, Value>,
    methods: HashMap<String, Value>,
}

impl Old {
    fn load(path: &Path) -> Old {
        let text = std::fs::read_to_string(path).expect("read the 8.1 spec");
        let v: Value = serde_json::from_str(&text).expect("the 8.1 spec is JSON");
        assert_eq!(v["version"]["major"], 8, "expected Bot API 8.x");
        let by_name = |key: &str| -> HashMap<String, Value> {
            v[key]
                .as_array()
                .expect(key)
                .iter()
                .map(|o| (o["name"].as_str().expect("name").to_string(), o.clone()))
                .collect()
        };
        Old {
            objects: by_name("objects"),
            methods: by_name("methods"),
        }
    }

    fn props(&self, name: &str) -> Option<&Vec<Value>> {
        let o = self.objects.get(name)?;
        (o["type"] == "properties").then(|| o["properties"].as_array().expect("properties"))
    }

    fn variants(&self, name: &str) -> Option<Vec<String>> {
        let o = self.objects.get(name)?;
        (o["type"] == "any_of").then(|| {
            let mut out = Vec::new();
            old_named_in(o, &mut out);
            out
        })
    }

    /// Types a value of `name` holds directly (fields or union members).
    fn children(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(props) = self.props(name) {
            props
                .iter()
                .for_each(|p| old_named_in(&p["type_info"], &mut out));
        }
        out.extend(self.variants(name).unwrap_or_default());
        out
    }
}

/// Deepest nesting of objects in a synthesized reply, counted from its root.
const MAX_DEPTH: usize = 7;

struct Model {
    schema: Schema,
    old: Old,
    /// 8.1 type name -> its current name.
    to_new: HashMap<String, String>,
    /// Current types with required fields absent from them in 8.1.
    gained: BTreeMap<String, Vec<String>>,
    /// 8.1 type name -> fewest objects between it and a type of `gained`.
    dist: HashMap<String, usize>,
    /// Current variant type -> its tag (key, value).
    tags: HashMap<String, (String, Value)>,
    /// Objects of a `gained` type synthesized so far.
    emitted: Cell<usize>,
}

impl Model {
    fn load(old_path: &Path) -> Model {
        let schema = schema();
        let old = Old::load(old_path);
        let (mut to_old, mut to_new) = (HashMap::new(), HashMap::new());
        for t in &schema.types {
            let names = std::iter::once(&t.name).chain(t.renamed_from.iter().map(|r| &r.name));
            if let Some(n) = names.into_iter().find(|n| old.objects.contains_key(*n)) {
                to_old.insert(t.name.clone(), n.clone());
                to_new.insert(n.clone(), t.name.clone());
            }
        }
        let mut gained = BTreeMap::new();
        for t in &schema.types {
            let (Some(fields), Some(props)) =
                (&t.fields, to_old.get(&t.name).and_then(|n| old.props(n)))
            else {
                continue;
            };
            let had: BTreeSet<&str> = props.iter().filter_map(|p| p["name"].as_str()).collect();
            let new: Vec<String> = fields
                .iter()
                .filter(|f| f.required && !had.contains(f.name.as_str()))
                .map(|f| f.name.clone())
                .collect();
            if !new.is_empty() {
                gained.insert(t.name.clone(), new);
            }
        }
        // Distances in the 8.1 graph: objects count one, union members none.
        let mut dist: HashMap<String, usize> = gained
            .keys()
            .filter_map(|n| to_old.get(n))
            .map(|n| (n.clone(), 0))
            .collect();
        loop {
            let mut changed = false;
            for name in old.objects.keys() {
                let step = usize::from(old.props(name).is_some());
                let best = old
                    .children(name)
                    .iter()
                    .filter_map(|c| dist.get(c))
                    .map(|d| d + step)
                    .min();
                if let Some(b) = best {
                    if dist.get(name).is_none_or(|d| b < *d) {
                        dist.insert(name.clone(), b);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let mut tags = HashMap::new();
        for t in &schema.types {
            let Some(u) = &t.union else { continue };
            let Some(key) = &u.discriminator else {
                continue;
            };
            for v in u.variants.iter().filter(|v| !v.fallback) {
                let value = v.value.clone().unwrap_or_default();
                let numeric = schema
                    .type_def(&v.ty)
                    .and_then(|d| d.fields.as_ref())
                    .and_then(|fs| fs.iter().find(|f| &f.name == key))
                    .is_some_and(|f| f.ty == "Integer");
                let value = match (numeric, value.parse::<i64>()) {
                    (true, Ok(n)) => json!(n),
                    _ => json!(value),
                };
                tags.entry(v.ty.clone()).or_insert((key.clone(), value));
            }
        }
        Model {
            schema,
            old,
            to_new,
            gained,
            dist,
            tags,
            emitted: Cell::new(0),
        }
    }

    /// Does a value of this current type expression reach a type of
    /// `gained`, in the current schema?
    fn reaches(&self, e: &TypeExpr, memo: &mut HashMap<String, Option<bool>>) -> bool {
        let mut names = Vec::new();
        named_in(e, &mut names);
        names.iter().any(|n| self.reaches_named(n, memo))
    }

    fn reaches_named(&self, name: &str, memo: &mut HashMap<String, Option<bool>>) -> bool {
        if self.gained.contains_key(name) {
            return true;
        }
        match memo.get(name) {
            Some(Some(r)) => return *r,
            Some(None) => return false, // on the current path
            None => {}
        }
        memo.insert(name.to_string(), None);
        let t = self.schema.type_def(name).expect("a schema type");
        let mut inner: Vec<String> = Vec::new();
        for f in t.fields.iter().flatten() {
            named_in(&expr(&f.ty), &mut inner);
        }
        for v in t.union.iter().flat_map(|u| &u.variants) {
            named_in(&expr(&v.ty), &mut inner);
        }
        let r = inner.iter().any(|n| self.reaches_named(n, memo));
        memo.insert(name.to_string(), Some(r));
        r
    }

    /// Least distance from any named type in `ti` (8.1) to a gained type.
    fn old_dist(&self, ti: &Value) -> Option<usize> {
        let mut names = Vec::new();
        old_named_in(ti, &mut names);
        names.iter().filter_map(|n| self.dist.get(n)).min().copied()
    }
}

/// How to synthesize one 8.1 value.
#[derive(Clone, Copy)]
struct Mode {
    /// Objects above this one.
    depth: usize,
    /// Leave out every optional field.
    required_only: bool,
    /// The root of a reply whose type changed: send its optional scalar
    /// fields too, as that method did.
    root_scalars: bool,
}

impl Mode {
    /// The same place, required fields only.
    fn bare(self) -> Mode {
        Mode {
            required_only: true,
            ..self
        }
    }

    fn inner(self) -> Mode {
        Mode {
            depth: self.depth + 1,
            required_only: self.required_only || self.depth + 1 >= MAX_DEPTH,
            root_scalars: false,
        }
    }
}

impl Model {
    /// Values of a type_info of the 8.1 spec, shaped as 8.1 sends them: one
    /// per relevant union member (arrays hold all of them at once).
    fn old_value(&self, ti: &Value, mode: Mode, path: &mut Vec<String>) -> Vec<Value> {
        match ti["type"].as_str().expect("type") {
            "integer" => vec![ti.get("min").cloned().unwrap_or(json!(7))],
            "float" => vec![json!(1.5)],
            "bool" => vec![json!(true)],
            "string" => {
                let pick = ti["enumeration"]
                    .as_array()
                    .and_then(|e| e.first())
                    .or(ti.get("default"))
                    .cloned();
                vec![pick.unwrap_or(json!("text"))]
            }
            "reference" => self.old_named(ti["reference"].as_str().expect("ref"), mode, path),
            "array" => vec![Value::Array(self.old_value(&ti["array"], mode, path))],
            "any_of" => {
                let alts = ti["any_of"].as_array().expect("any_of");
                let relevant: Vec<&Value> = alts
                    .iter()
                    .filter(|a| !mode.required_only && self.old_dist(a).is_some())
                    .collect();
                match relevant.is_empty() {
                    true => self.old_value(&alts[0], mode.bare(), path),
                    false => relevant
                        .into_iter()
                        .flat_map(|a| self.old_value(a, mode, path))
                        .collect(),
                }
            }
            other => panic!("8.1 type_info {other}"),
        }
    }

    fn old_named(&self, name: &str, mode: Mode, path: &mut Vec<String>) -> Vec<Value> {
        assert!(path.len() < 40, "no end to {path:?}");
        if let Some(variants) = self.old.variants(name) {
            let relevant: Vec<&String> = variants
                .iter()
                .filter(|v| !mode.required_only && self.dist.contains_key(*v) && !path.contains(*v))
                .collect();
            path.push(name.to_string());
            let out = if relevant.is_empty() {
                self.old_named(&variants[0], mode.bare(), path)
            } else {
                relevant
                    .into_iter()
                    .flat_map(|v| self.old_named(v, mode, path))
                    .collect()
            };
            path.pop();
            return out;
        }
        let Some(props) = self.old.props(name) else {
            return vec![json!("AgACAgIAAxkBAAI")]; // InputFile and the like
        };
        let current = self.to_new.get(name);
        let tag = current.and_then(|c| self.tags.get(c));
        let exclusive = current
            .and_then(|c| self.schema.type_def(c))
            .is_some_and(|t| t.exclusive_optional.is_some());
        path.push(name.to_string());
        let mut required: Vec<(String, Vec<Value>)> = Vec::new();
        let mut optional: Vec<(String, Vec<Value>)> = Vec::new();
        for p in props {
            let key = p["name"].as_str().expect("name").to_string();
            let ti = &p["type_info"];
            if p["required"] == true {
                let values = match tag {
                    Some((k, v)) if *k == key => vec![v.clone()],
                    _ => self.old_value(ti, mode.inner(), path),
                };
                required.push((key, values));
                continue;
            }
            let scalar = matches!(
                ti["type"].as_str(),
                Some("integer" | "float" | "bool" | "string")
            );
            let mut inside = Vec::new();
            old_named_in(ti, &mut inside);
            let wanted = !mode.required_only
                && self
                    .old_dist(ti)
                    .is_some_and(|d| mode.depth + 1 + d < MAX_DEPTH)
                && !inside.iter().any(|n| path.contains(n));
            if mode.root_scalars && scalar {
                optional.push((key, self.old_value(ti, mode.inner(), path)));
            } else if wanted {
                // Kept only if it does hold a type that gained fields (the
                // way there may be cut by the depth or a cycle).
                let before = self.emitted.get();
                let values = self.old_value(ti, mode.inner(), path);
                if self.emitted.get() > before {
                    optional.push((key, values));
                }
            }
        }
        path.pop();
        if current.is_some_and(|c| self.gained.contains_key(c)) {
            self.emitted.set(self.emitted.get() + 1);
        }
        let zip = |parts: &[&(String, Vec<Value>)]| -> Vec<Value> {
            let n = parts.iter().map(|(_, v)| v.len()).max().unwrap_or(1);
            (0..n)
                .map(|i| {
                    let obj: Map<String, Value> = parts
                        .iter()
                        .map(|(k, v)| (k.clone(), v[i % v.len()].clone()))
                        .collect();
                    Value::Object(obj)
                })
                .collect()
        };
        if exclusive && !optional.is_empty() {
            // One kind per object (Update).
            optional
                .iter()
                .flat_map(|o| {
                    let parts: Vec<&(String, Vec<Value>)> =
                        required.iter().chain(std::iter::once(o)).collect();
                    zip(&parts)
                })
                .collect()
        } else {
            let parts: Vec<&(String, Vec<Value>)> = required.iter().chain(&optional).collect();
            zip(&parts)
        }
    }

    /// A value of a current type expression with its required parts only,
    /// for the arguments of a request.
    fn arg(&self, e: &TypeExpr, allowed: Option<&Vec<String>>) -> Value {
        match e {
            TypeExpr::Integer => json!(7),
            TypeExpr::Float => json!(1.5),
            TypeExpr::String => json!(allowed.and_then(|a| a.first()).map_or("text", |s| s)),
            TypeExpr::Boolean | TypeExpr::True => json!(true),
            TypeExpr::InputFile => json!("AgACAgIAAxkBAAI"),
            TypeExpr::Array(inner) => json!([self.arg(inner, None)]),
            TypeExpr::Or(alts) => self.arg(&alts[0], allowed),
            TypeExpr::Named(n) => {
                let t = self.schema.type_def(n).expect("type");
                if let Some(u) = &t.union {
                    return self.arg(&expr(&u.variants[0].ty), None);
                }
                let mut obj = Map::new();
                for f in t.fields.iter().flatten().filter(|f| f.required) {
                    obj.insert(f.name.clone(), self.arg(&expr(&f.ty), f.allowed.as_ref()));
                }
                if let Some((k, v)) = self.tags.get(n) {
                    obj.insert(k.clone(), v.clone());
                }
                Value::Object(obj)
            }
        }
    }
}

/// Send one request, decoded from JSON arguments into the request type of a
/// method picked by wire name, and keep its typed result.
struct SendAs<'a> {
    bot: &'a BlockingClient,
    args: Value,
}

impl RequestFn for SendAs<'_> {
    type Output = Result<(Box<dyn Any + Send>, &'static str), String>;
    fn call<R>(self) -> Self::Output
    where
        R: Request + DeserializeOwned + Debug,
    {
        let request: R =
            serde_json::from_value(self.args).map_err(|e| format!("arguments: {e}"))?;
        let result = self.bot.send(&request).map_err(|e| format!("reply: {e}"))?;
        Ok((Box::new(result), std::any::type_name::<R::Response>()))
    }
}

/// The typed result written back as JSON, and its `Debug` text.
type Shown = (Value, String);

macro_rules! results {
    ($($t:ty),* $(,)?) => {
        /// Serialize a typed result of one of the listed types.
        fn show(got: &(dyn Any + Send)) -> Option<Shown> {
            $(
                if let Some(x) = got.downcast_ref::<$t>() {
                    return Some((serde_json::to_value(x).expect("serialize"), format!("{x:?}")));
                }
            )*
            None
        }
    };
}

results!(
    t::Message,
    t::MessageOrTrue,
    Vec<t::Message>,
    t::Poll,
    t::ChatFullInfo,
    t::ChatMember,
    Vec<t::ChatMember>,
    t::ChatAdministratorRights,
    t::StarTransactions,
    Vec<t::Update>,
    t::BotFullInfo,
    t::User,
    t::BusinessConnection,
    t::ChatInviteLink,
    t::ForumTopic,
    t::UserChatBoosts,
);

/// Rust name of a field (keywords get a trailing `_`, as generated).
fn ident(wire: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "type", "for", "in", "as", "if", "match", "ref", "self", "use",
    ];
    if KEYWORDS.contains(&wire) {
        format!("{wire}_")
    } else {
        wire.to_string()
    }
}

/// Occurrences of `Name {` in a Debug text, `Name` not preceded by a letter.
fn count_struct(debug: &str, name: &str) -> usize {
    let needle = format!("{name} {{");
    debug
        .match_indices(&needle)
        .filter(|(i, _)| {
            !debug[..*i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .count()
}

/// The start of a long text, for failure messages.
fn clip(s: &str) -> String {
    match s.char_indices().nth(600) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn count_field(debug: &str, field: &str, value: &str) -> usize {
    let needle = format!("{}: {value}", ident(field));
    debug
        .match_indices(&needle)
        .filter(|(i, _)| {
            !debug[..*i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .count()
}

#[test]
fn generated_8_1_replies_decode_through_every_affected_method() {
    let dir = upstream();
    let old_path = dir.join("ark0f-custom_v2.json");
    if !old_path.is_file() {
        eprintln!(
            "skipped: {} is absent (set BOTAPI_UPSTREAM to the folder holding ark0f-custom_v2.json)",
            old_path.display()
        );
        return;
    }
    let model = Model::load(&old_path);
    eprintln!(
        "types that gained required fields since 8.1: {:?}",
        model.gained
    );
    assert!(
        model.gained.contains_key("PollOption") && model.gained.contains_key("ChatFullInfo"),
        "{:?}",
        model.gained
    );

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = rt.block_on(MockBotApi::start());
    let bot = BlockingClient::new(
        Client::builder(TOKEN)
            .base_url(server.url())
            .validate(false)
            .build()
            .expect("client"),
    )
    .expect("blocking client");

    let mut memo = HashMap::new();
    let mut covered: BTreeMap<String, usize> = BTreeMap::new();
    let mut not_in_8_1 = Vec::new();
    let mut failures = Vec::new();
    let mut sent = 0usize;
    for m in &model.schema.methods {
        let changed = !m.previous_returns.is_empty();
        if !changed && !model.reaches(&expr(&m.returns), &mut memo) {
            continue;
        }
        let Some(old_method) = model.old.methods.get(&m.name) else {
            not_in_8_1.push(m.name.clone());
            continue;
        };
        let old_ret = &old_method["return_type"];
        // A return type 8.1 had must be the current one or recorded as before.
        let mut old_names = Vec::new();
        old_named_in(old_ret, &mut old_names);
        let mut new_names = Vec::new();
        named_in(&expr(&m.returns), &mut new_names);
        let old_as_new: Vec<String> = old_names
            .iter()
            .map(|n| model.to_new.get(n).cloned().unwrap_or_else(|| n.clone()))
            .collect();
        if old_as_new != new_names
            && !m
                .previous_returns
                .iter()
                .any(|p| old_as_new.iter().any(|n| p.ty.contains(n.as_str())))
        {
            failures.push(format!(
                "{}: returned {old_as_new:?} in 8.1, now {} with no previous_returns entry",
                m.name, m.returns
            ));
            continue;
        }
        // Fields of the current result type absent from the 8.1 one: for a
        // changed return type, every such field must decode as None.
        let mut absent_root: Vec<String> = Vec::new();
        if changed {
            let (Some(now), Some(props)) = (
                model.schema.type_def(&m.returns),
                old_names.first().and_then(|n| model.old.props(n)),
            ) else {
                failures.push(format!(
                    "{}: {} is not an object in both",
                    m.name, m.returns
                ));
                continue;
            };
            let had: BTreeSet<&str> = props.iter().filter_map(|p| p["name"].as_str()).collect();
            absent_root = now
                .fields
                .iter()
                .flatten()
                .filter(|f| !had.contains(f.name.as_str()))
                .map(|f| f.name.clone())
                .collect();
        }
        let mode = Mode {
            depth: 0,
            required_only: false,
            root_scalars: changed,
        };
        let replies = model.old_value(old_ret, mode, &mut Vec::new());
        let args: Map<String, Value> = m
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| (p.name.clone(), model.arg(&expr(&p.ty), p.allowed.as_ref())))
            .collect();
        for reply in &replies {
            server.reply(Reply::ok(reply.clone()));
            sent += 1;
            let what = format!("{} <- {}", m.name, clip(&reply.to_string()));
            let send = SendAs {
                bot: &bot,
                args: Value::Object(args.clone()),
            };
            let (got, type_name) = match with_request(&m.name, send).expect("a generated method") {
                Ok(x) => x,
                Err(e) => {
                    failures.push(format!("{what}: {e}"));
                    continue;
                }
            };
            let Some((back, debug)) = show(got.as_ref()) else {
                failures.push(format!(
                    "{}: add its result type {type_name} to the results! list",
                    m.name
                ));
                continue;
            };
            if &back != reply {
                failures.push(format!(
                    "{what}: written back as {}",
                    clip(&back.to_string())
                ));
                continue;
            }
            // Every part decoded as a known type: a part that fails to decode
            // inside an update is kept raw (and written back unchanged), so
            // the round trip alone would not tell.
            for sign in ["Undecodable(", "Unknown("] {
                if debug.contains(sign) {
                    failures.push(format!("{what}: a part is {sign}..): {}", clip(&debug)));
                }
            }
            // The gained fields of every type present are None, never invented.
            let mut present = 0;
            for (ty, fields) in &model.gained {
                let n = count_struct(&debug, ty);
                present += n;
                for f in fields.iter().filter(|_| n > 0) {
                    // Another gained type may share the field name.
                    let expected: usize = model
                        .gained
                        .iter()
                        .filter(|(_, fs)| fs.contains(f))
                        .map(|(t, _)| count_struct(&debug, t))
                        .sum();
                    let none = count_field(&debug, f, "None");
                    if none < expected || count_field(&debug, f, "Some(") > 0 {
                        failures.push(format!(
                            "{}: {ty}.{f} is not None in {expected} place(s): {}",
                            m.name,
                            clip(&debug)
                        ));
                    }
                }
            }
            for f in &absent_root {
                if count_field(&debug, f, "None") == 0 {
                    failures.push(format!(
                        "{}: {}.{f} is not None: {}",
                        m.name,
                        m.returns,
                        clip(&debug)
                    ));
                }
            }
            if present == 0 && !changed {
                failures.push(format!(
                    "{what}: no type with new required fields in the reply"
                ));
            }
        }
        *covered.entry(m.name.clone()).or_default() += replies.len();
    }
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods.len(), sent, "one request per reply");

    eprintln!("methods covered (replies each): {covered:?}");
    eprintln!("affected but absent from 8.1 (no 8.1 reply to send): {not_in_8_1:?}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for must in [
        "sendPoll",
        "stopPoll",
        "getChat",
        "getChatMember",
        "getChatAdministrators",
        "getMyDefaultAdministratorRights",
        "getStarTransactions",
        "getMe",
        "getUpdates",
        "sendMessage",
        "editMessageText",
    ] {
        assert!(
            covered.contains_key(must),
            "{must} not covered: {covered:?}"
        );
    }
    assert!(
        covered["getChatMember"] >= 2,
        "administrator and restricted: {covered:?}"
    );
}
