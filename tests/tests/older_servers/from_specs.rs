//! The test generated from the Bot API 8.1 spec: every method whose result
//! reaches a type that gained a required field since 8.1 (or whose return
//! type changed) gets replies shaped as 8.1 sends them, decoded through the
//! generated request type picked by wire name.

use std::any::Any;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;

use botapi::blocking::BlockingClient;
use botapi::methods::dynamic::{with_request, RequestFn};
use botapi::types as t;
use botapi::{Client, Request};
use botapi_tests::{MockBotApi, Reply};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::model::{expr, named_in, old_named_in, upstream, Model};
use crate::synth::Mode;
use crate::TOKEN;

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
