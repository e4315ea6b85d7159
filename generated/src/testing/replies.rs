//! What the fake server answers: [`Reply`], the scripted answers, and the
//! answers it makes up when nothing is scripted, a plausible value of each
//! method's result type built from the request (a message that carries the
//! text and files sent, in the chat sent to; `true`; the file asked for).

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::check::Accepted;
use super::shape::{self, complete_named, now};
use super::{Parts, Shared};

/// An answer of the fake server. Script it for a method with
/// [`FakeBotApi::reply`](super::FakeBotApi::reply) and its siblings.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply(pub(crate) Kind);

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// `{"ok": true, "result": ...}`.
    Ok(Value),
    /// `{"ok": false, ...}` with this status.
    Error {
        code: u16,
        description: String,
        parameters: Option<Value>,
    },
    /// Any status and body (a proxy's HTML error page).
    Http {
        status: u16,
        content_type: String,
        body: String,
    },
    /// What the fake answers unscripted.
    Auto,
}

impl Reply {
    /// A success: `{"ok": true, "result": <result>}`. Sent as given: a
    /// result that is not of the method's result type reaches the bot (to
    /// test how it copes).
    ///
    /// # Panics
    ///
    /// If `result` does not serialize to JSON.
    pub fn ok(result: impl Serialize) -> Reply {
        Reply(Kind::Ok(
            serde_json::to_value(result).expect("a reply's result serializes to JSON"),
        ))
    }

    /// An error reply with Telegram's fields: `error_code` (also the HTTP
    /// status) and `description` (`"Bad Request: chat not found"`).
    pub fn error(code: u16, description: impl Into<String>) -> Reply {
        Reply(Kind::Error {
            code,
            description: description.into(),
            parameters: None,
        })
    }

    /// A flood-control answer: 429, `Too Many Requests: retry after N`,
    /// with `parameters.retry_after`.
    pub fn flood(retry_after: u32) -> Reply {
        Reply(Kind::Error {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            parameters: Some(json!({ "retry_after": retry_after })),
        })
    }

    /// The answer for a group that became a supergroup: 400 with
    /// `parameters.migrate_to_chat_id`.
    pub fn migrated(to_chat_id: i64) -> Reply {
        Reply(Kind::Error {
            code: 400,
            description: "Bad Request: group chat was upgraded to a supergroup chat".into(),
            parameters: Some(json!({ "migrate_to_chat_id": to_chat_id })),
        })
    }

    /// Any status, content type and body, not Telegram's envelope (what a
    /// proxy in front of the Bot API answers when it fails).
    pub fn http(status: u16, content_type: impl Into<String>, body: impl Into<String>) -> Reply {
        Reply(Kind::Http {
            status,
            content_type: content_type.into(),
            body: body.into(),
        })
    }

    /// What the fake answers when nothing is scripted (for a
    /// [`reply_with`](super::FakeBotApi::reply_with) closure that scripts
    /// only some calls).
    pub fn auto() -> Reply {
        Reply(Kind::Auto)
    }

    /// The error reply Telegram gives for `code`, with its usual
    /// description (`fail_next`).
    pub(crate) fn failure(code: u16, retry_after: Option<u32>) -> Reply {
        let description = match code {
            429 => return Reply::flood(retry_after.unwrap_or(1)),
            400 => "Bad Request: the fake server was told to fail this call",
            401 => "Unauthorized",
            403 => "Forbidden: bot was blocked by the user",
            404 => "Not Found",
            409 => {
                "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
            }
            500 => "Internal Server Error",
            502 => {
                return Reply::http(
                    502,
                    "text/html",
                    "<html><head><title>502 Bad Gateway</title></head></html>",
                )
            }
            _ => "Error",
        };
        let mut reply = Reply::error(code, description);
        if let (Kind::Error { parameters, .. }, Some(n)) = (&mut reply.0, retry_after) {
            *parameters = Some(json!({ "retry_after": n }));
        }
        reply
    }
}

/// How a method is scripted.
#[derive(Clone)]
pub(crate) enum Script {
    /// The same answer every time.
    Always(Reply),
    /// An answer made from the parameters.
    With(std::sync::Arc<dyn Fn(&Value) -> Reply + Send + Sync>),
}

/// The bot the fake plays: what `getMe` says and messages come `from`.
#[derive(Debug, Clone)]
pub(crate) struct Bot {
    pub(crate) id: i64,
    pub(crate) first_name: String,
    pub(crate) username: String,
}

impl Bot {
    pub(crate) fn user(&self) -> Value {
        json!({
            "id": self.id,
            "is_bot": true,
            "first_name": self.first_name,
            "username": self.username,
        })
    }
}

/// The chat a `chat_id` parameter names, as Telegram would describe it.
pub(crate) fn chat(chat_id: Option<&Value>) -> Value {
    let id = match chat_id {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse::<i64>().ok(),
        _ => None,
    };
    match (id, chat_id) {
        (Some(id), _) if id > 0 => json!({"id": id, "type": "private", "first_name": "Test"}),
        (Some(id), _) if id <= -1_000_000_000_000 => {
            json!({"id": id, "type": "supergroup", "title": "Test"})
        }
        (Some(id), _) => json!({"id": id, "type": "group", "title": "Test"}),
        (None, Some(Value::String(name))) => {
            let username = name.trim_start_matches('@');
            // A stable made-up id for the channel's username.
            let hash = username.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            let id = -1_000_000_000_000 - (hash % 1_000_000_000) as i64;
            json!({"id": id, "type": "channel", "title": username, "username": username})
        }
        _ => json!({"id": 1, "type": "private", "first_name": "Test"}),
    }
}

/// File parameters of the send methods, and the message field and type
/// that hold what was sent.
const SENT_FILES: &[(&str, &str)] = &[
    ("audio", "Audio"),
    ("document", "Document"),
    ("video", "Video"),
    ("animation", "Animation"),
    ("voice", "Voice"),
    ("video_note", "VideoNote"),
    ("sticker", "Sticker"),
    ("photo", "PhotoSize"),
];

/// What the fake answers `accepted` with when nothing is scripted and the
/// method has no behaviour of its own: the result.
pub(crate) fn made_up(shared: &Shared, accepted: &Accepted) -> Value {
    let p = &accepted.params;
    let parts = &accepted.parts;
    let result = accepted.result;
    let fits = |v: &Value| (result.fits)(v);
    // An edit of an inline message answers `true`.
    if p.contains_key("inline_message_id") && fits(&json!(true)) {
        return json!(true);
    }
    // One message per media item, for a media group; else one.
    if let Some(Value::Array(media)) = p.get("media") {
        let group = format!("{}", shared.next_id());
        let messages: Vec<Value> = media
            .iter()
            .filter_map(|item| {
                let mut seed = message_seed(shared, p);
                seed["media_group_id"] = json!(group);
                let kind = item.get("type").and_then(Value::as_str).unwrap_or("");
                let field = if kind == "photo" { "photo" } else { kind };
                if let Some((field, type_name)) = SENT_FILES.iter().find(|(f, _)| *f == field) {
                    seed[*field] = sent_file(shared, parts, item.get("media"), type_name);
                }
                if let Some(caption) = item.get("caption") {
                    seed["caption"] = caption.clone();
                }
                complete_named("Message", seed)
            })
            .collect();
        if fits(&Value::Array(messages.clone())) {
            return Value::Array(messages);
        }
    }
    if let Some(message) = complete_named("Message", message_with_content(shared, parts, p)) {
        if fits(&message) {
            return message;
        }
    }
    // copyMessage, and the lists of ids of copyMessages and forwardMessages.
    let id = json!({"message_id": p.get("message_id").cloned().unwrap_or(json!(shared.next_id()))});
    if fits(&id) {
        return id;
    }
    if let Some(Value::Array(ids)) = p.get("message_ids") {
        let ids: Vec<Value> = ids
            .iter()
            .map(|_| json!({"message_id": shared.next_id()}))
            .collect();
        if fits(&Value::Array(ids.clone())) {
            return Value::Array(ids);
        }
    }
    if fits(&json!(true)) {
        return json!(true);
    }
    let seed = seed_for(shared, accepted.method, p);
    (result.complete)(seed)
        .or_else(|| (result.complete)(shape::object()))
        .unwrap_or(json!(true))
}

/// Plausible fields of the result of methods that have no behaviour of
/// their own in the fake and are not sends.
fn seed_for(shared: &Shared, method: &str, p: &Map<String, Value>) -> Value {
    match method {
        "getMe" => {
            let mut me = shared.bot.user();
            me["can_join_groups"] = json!(true);
            me["can_read_all_group_messages"] = json!(false);
            me["supports_inline_queries"] = json!(false);
            me
        }
        "getChat" => {
            let mut chat = chat(p.get("chat_id"));
            chat["accent_color_id"] = json!(0);
            chat["max_reaction_count"] = json!(11);
            chat
        }
        "getChatMember" => {
            let user_id = p.get("user_id").cloned().unwrap_or(json!(1));
            let is_bot = user_id == json!(shared.bot.id);
            json!({
                "status": "member",
                "user": {"id": user_id, "is_bot": is_bot, "first_name": "Test"}
            })
        }
        "getChatMemberCount" => json!(1),
        "exportChatInviteLink" => json!("https://t.me/+AAAAAAAAAAAAAAAA"),
        _ if method.contains("InviteLink") => json!({
            "invite_link": "https://t.me/+AAAAAAAAAAAAAAAA",
            "creator": shared.bot.user(),
            "creates_join_request": p.get("creates_join_request").cloned().unwrap_or(json!(false)),
            "is_primary": false,
            "is_revoked": method == "revokeChatInviteLink",
            "name": p.get("name").cloned().unwrap_or(Value::Null),
        }),
        _ => shape::object(),
    }
}

/// A message the bot sent into the chat of `p` now.
fn message_seed(shared: &Shared, p: &Map<String, Value>) -> Value {
    let mut m = json!({
        "message_id": shared.next_id(),
        "date": now(),
        "chat": chat(p.get("chat_id")),
        "from": shared.bot.user(),
    });
    for key in ["message_thread_id", "business_connection_id"] {
        if let Some(v) = p.get(key) {
            m[key] = v.clone();
        }
    }
    m
}

/// [`message_seed`] with what the request put in it: text, caption and
/// their entities, a sent file, a poll, dice, a location, a contact, an
/// inline keyboard; an edit keeps its message id.
fn message_with_content(shared: &Shared, parts: &Parts, p: &Map<String, Value>) -> Value {
    let mut m = message_seed(shared, p);
    if let (Some(id), false) = (p.get("message_id"), p.contains_key("from_chat_id")) {
        // An edit: the same message, edited now.
        m["message_id"] = id.clone();
        m["edit_date"] = json!(now());
    }
    for key in ["text", "entities", "caption", "caption_entities"] {
        if let Some(v) = p.get(key) {
            m[key] = v.clone();
        }
    }
    if let Some(markup) = p
        .get("reply_markup")
        .filter(|r| r.get("inline_keyboard").is_some())
    {
        m["reply_markup"] = markup.clone();
    }
    for (field, type_name) in SENT_FILES {
        if let Some(file) = p.get(*field) {
            m[*field] = sent_file(shared, parts, Some(file), type_name);
        }
    }
    if let Some(Value::String(question)) = p.get("question") {
        let options: Vec<Value> = match p.get("options") {
            Some(Value::Array(o)) => o
                .iter()
                .map(|o| json!({"text": o.get("text").cloned().unwrap_or(json!("")), "voter_count": 0}))
                .collect(),
            _ => Vec::new(),
        };
        let poll = json!({
            "id": format!("{}", shared.next_id()),
            "question": question,
            "options": options,
            "total_voter_count": 0,
            "is_closed": false,
            "is_anonymous": p.get("is_anonymous").cloned().unwrap_or(json!(true)),
            "type": p.get("type").cloned().unwrap_or(json!("regular")),
            "allows_multiple_answers": p.get("allows_multiple_answers").cloned().unwrap_or(json!(false)),
        });
        if let Some(poll) = complete_named("Poll", poll) {
            m["poll"] = poll;
        }
    }
    if let Some(emoji) = p.get("emoji").filter(|_| !p.contains_key("sticker")) {
        m["dice"] = json!({"emoji": emoji, "value": 1});
    }
    if let (Some(lat), Some(lon)) = (p.get("latitude"), p.get("longitude")) {
        m["location"] = json!({"latitude": lat, "longitude": lon});
    }
    if let (Some(phone), Some(name)) = (p.get("phone_number"), p.get("first_name")) {
        m["contact"] = json!({"phone_number": phone, "first_name": name});
    }
    m
}

/// What a message holds for a file sent as `value` (a file_id, a URL, an
/// upload's `attach://` name, a local `file://` URI): a new file the fake
/// keeps (so `getFile` and a download give its contents back), or the
/// file_id sent.
fn sent_file(shared: &Shared, parts: &Parts, value: Option<&Value>, type_name: &str) -> Value {
    let reference = value.and_then(Value::as_str).unwrap_or("");
    let (file_id, size) = shared.file_for(reference, parts);
    let mut seed = json!({"file_id": file_id, "file_unique_id": format!("u{file_id}")});
    if let Some(size) = size {
        seed["file_size"] = json!(size);
    }
    if type_name == "PhotoSize" {
        seed["width"] = json!(800);
        seed["height"] = json!(600);
        return json!([complete_named(type_name, seed).unwrap_or(Value::Null)]);
    }
    complete_named(type_name, seed).unwrap_or(Value::Null)
}
