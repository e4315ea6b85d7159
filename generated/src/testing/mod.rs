//! A fake Bot API server for a bot's tests (cargo feature `testing`): it
//! listens on 127.0.0.1, checks every request the way Telegram does, answers
//! from scripts or with made-up results of the right type, feeds updates to
//! long polls and to a webhook the bot sets, fails on demand, and records
//! every call. Nothing leaves the machine.
//!
//! ```
//! use botapi::testing::FakeBotApi;
//! use botapi::types::UpdateKind;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let fake = FakeBotApi::start().await;
//! fake.push_text(42, "hello");
//!
//! // The bot under test: it echoes one message.
//! let client = fake.client();
//! let mut updates = client.poller().timeout(5);
//! if let UpdateKind::Message(m) = updates.next().await.unwrap().kind {
//!     let sent = client.send_message(m.chat.id, m.text.unwrap()).await.unwrap();
//!     assert_eq!(sent.chat.id, 42); // a made-up message, in the chat sent to
//! }
//!
//! let call = fake.next_call("sendMessage").await;
//! assert_eq!(call.params["text"], "hello");
//! # }
//! ```
//!
//! # Checked as Telegram would
//!
//! Each request is decoded into the request type of its method (by wire
//! name, without regard to case, from a JSON body, a form, a multipart
//! form or the query string) and validated, and refused with Telegram's
//! status and a `Bad Request: ...` description when:
//!
//! - the method does not exist (404 `Not Found`) or the token is not the
//!   fake's (401 `Unauthorized`);
//! - a required parameter is missing (`parameter "text" is required`), a
//!   value has the wrong type, or an object holds a field its type does
//!   not have or is of a kind the schema does not know (`can't parse
//!   parameter "reply_markup.inline_keyboard[0][0]": unknown field ...`);
//! - a parameter is unknown (`unknown parameter "txet"`). Telegram itself
//!   ignores unknown parameters; a typed client never sends one, so the fake
//!   refuses them to catch hand-built requests (turn that off with
//!   [`FakeBotApiBuilder::allow_unknown_parameters`]);
//! - `validate()` finds a violated limit or rule across fields, with every
//!   violation in the description (uploaded files are measured, so upload
//!   limits are checked too), or a file part is larger than the server
//!   takes (413 `Request Entity Too Large`).
//!
//! What it does not check: what only Telegram knows (whether a chat,
//! message or file_id exists, rights, flood limits it has not been told to
//! apply), the parsing of HTML or Markdown in texts, and values outside a
//! value set that the schema leaves open (`parse_mode: "html5"` passes; a
//! closed set is checked by `validate()`). The descriptions have Telegram's
//! form (`Bad Request: ` and a lower-case reason); the reasons are the
//! fake's own words, except the well-known ones quoted above.
//!
//! # Answers
//!
//! Per method, in this order: a reply queued with [`FakeBotApi::reply_once`]
//! or [`FakeBotApi::fail_next`]; a script from [`FakeBotApi::reply`] or
//! [`FakeBotApi::reply_with`]; else the fake's own. Its own answers:
//! `getUpdates` from the queue filled by [`FakeBotApi::push_update`]
//! (holding the poll open up to its `timeout` until an update arrives);
//! `setWebhook` makes the fake post the queue to that URL instead, with
//! the secret token header, one update at a time, again after a failure
//! (`getWebhookInfo` shows the last error); `getFile` answers files the bot
//! uploaded or [`FakeBotApi::add_file`] added, which then download from the
//! fake; `getMe` describes the fake's bot. Everything else gets a made-up
//! result of the method's result type: the message a send would create
//! (in the chat sent to, from the bot, with the text, caption, keyboard,
//! poll or file sent; a media group gives one per item), `true`, a list of
//! message ids... A result type the fake knows nothing special about gets
//! its required fields filled with plain values (`0`, `"test"`, `false`,
//! `[]`, now for dates).
//!
//! # Local mode
//!
//! [`FakeBotApiBuilder::local_server`] plays a server started with
//! `--local`: uploads may be up to 2000 MB, `file://` URIs name files on
//! disk (a missing file is refused), `getFile` answers an absolute path,
//! and [`FakeBotApi::client`] is built with
//! [`ClientBuilder::local_server`](crate::ClientBuilder::local_server).

mod calls;
mod check;
pub(crate) mod hooks;
mod replies;
mod server;
mod shape;
mod shared;
mod updates;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde::Serialize;
use serde_json::{json, Value};
use tokio::sync::Notify;

pub use calls::{Call, UploadedFile};
pub use replies::Reply;

use crate::send::client::{Client, ClientBuilder};
use crate::transport::HyperTransport;
use hooks::Part;
use replies::{Bot, Script};
use shared::{Data, Shared, State, Stop};

/// The header in which Telegram repeats a webhook's secret token.
const SECRET_TOKEN_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The token of a fake started without one: bot id 123456789.
pub const DEFAULT_TOKEN: &str = "123456789:TEST-fake-bot-api-token";

/// How long [`FakeBotApi::next_call`] waits before it fails the test.
const NEXT_CALL_WAIT: Duration = Duration::from_secs(10);

/// File parts of a request, by part name.
pub(crate) type Parts = HashMap<String, Part>;

/// A running fake Bot API server; see the [module docs](self). Cheap to
/// clone; it stops when the last clone is dropped (or on
/// [`shutdown`](Self::shutdown)).
#[derive(Clone)]
pub struct FakeBotApi {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Arc<Stop>,
}

/// Configures a [`FakeBotApi`]; start with [`FakeBotApi::builder`].
#[derive(Debug, Clone)]
pub struct FakeBotApiBuilder {
    token: String,
    first_name: String,
    username: String,
    local: bool,
    strict_parameters: bool,
}

impl std::fmt::Debug for FakeBotApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeBotApi")
            .field("url", &self.url())
            .field("bot_id", &self.shared.bot.id)
            .field("local_server", &self.shared.local)
            .finish_non_exhaustive()
    }
}

impl FakeBotApiBuilder {
    /// The token the fake accepts (others get 401), `<bot id>:<secret>`;
    /// the bot id is what `getMe` answers. Default [`DEFAULT_TOKEN`].
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// The bot's first name and username, for `getMe` and the `from` of
    /// the messages it sends. Default `Test Bot`, `test_bot`.
    pub fn bot_name(mut self, first_name: impl Into<String>, username: impl Into<String>) -> Self {
        self.first_name = first_name.into();
        self.username = username.into();
        self
    }

    /// Play a server started with `--local` (off by default): see the
    /// [module docs](self#local-mode).
    pub fn local_server(mut self, on: bool) -> Self {
        self.local = on;
        self
    }

    /// Accept parameters the method does not have, as Telegram does (off
    /// by default: the fake refuses them with 400).
    pub fn allow_unknown_parameters(mut self, on: bool) -> Self {
        self.strict_parameters = !on;
        self
    }

    /// Start listening on an ephemeral port of 127.0.0.1.
    pub async fn start(self) -> std::io::Result<FakeBotApi> {
        let id = self
            .token
            .split_once(':')
            .and_then(|(id, _)| id.parse::<i64>().ok())
            .unwrap_or(1);
        let dir = std::env::temp_dir().join(format!(
            "botapi-fake-{}-{}",
            std::process::id(),
            NEXT_FAKE.fetch_add(1, Ordering::Relaxed)
        ));
        let shared = Arc::new(Shared {
            token: self.token,
            bot: Bot {
                id,
                first_name: self.first_name,
                username: self.username,
            },
            local: self.local,
            strict_parameters: self.strict_parameters,
            state: Mutex::new(State::default()),
            updates_changed: Notify::new(),
            calls_changed: Notify::new(),
            closing: AtomicBool::new(false),
            next_id: AtomicI64::new(1),
            http: OnceLock::new(),
            dir,
        });
        let app = axum::Router::new()
            .fallback(server::route)
            .layer(axum::extract::DefaultBodyLimit::disable())
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let addr = listener.local_addr()?;
        let (signal, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        let stop = Arc::new(Stop {
            shared: shared.clone(),
            signal: Mutex::new(Some(signal)),
            task: Mutex::new(Some(task)),
        });
        Ok(FakeBotApi { shared, addr, stop })
    }
}

static NEXT_FAKE: AtomicI64 = AtomicI64::new(0);

impl FakeBotApi {
    /// Start a fake with the default settings.
    ///
    /// # Panics
    ///
    /// If no port of 127.0.0.1 can be bound.
    pub async fn start() -> FakeBotApi {
        FakeBotApi::builder()
            .start()
            .await
            .expect("the fake Bot API binds a port of 127.0.0.1")
    }

    /// Configure a fake.
    pub fn builder() -> FakeBotApiBuilder {
        FakeBotApiBuilder {
            token: DEFAULT_TOKEN.into(),
            first_name: "Test Bot".into(),
            username: "test_bot".into(),
            local: false,
            strict_parameters: true,
        }
    }

    /// The base URL to give a client (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The token it accepts.
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// The id of the bot it plays.
    pub fn bot_id(&self) -> i64 {
        self.shared.bot.id
    }

    /// A client for this fake (its URL and token; in local mode, a local
    /// server's client).
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the fake's URL is a valid base URL")
    }

    /// [`client`](Self::client)'s builder, to adjust (a retry policy, a
    /// throttle) before building.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder(self.shared.token.clone())
            .base_url(self.url())
            .local_server(self.shared.local)
    }

    /// Answer every call of `method` (a wire name, `sendMessage`) with
    /// `reply` from now on.
    ///
    /// # Panics
    ///
    /// If no method is called `method`.
    pub fn reply(&self, method: &str, reply: impl Into<Reply>) -> &Self {
        let method = known(method);
        self.shared
            .lock()
            .scripts
            .insert(method, Script::Always(reply.into()));
        self
    }

    /// Answer the next call of `method` with `reply` (queued after any
    /// reply queued before; ahead of [`reply`](Self::reply) scripts).
    ///
    /// # Panics
    ///
    /// If no method is called `method`.
    pub fn reply_once(&self, method: &str, reply: impl Into<Reply>) -> &Self {
        let method = known(method);
        self.shared
            .lock()
            .once
            .entry(method)
            .or_default()
            .push_back(reply.into());
        self
    }

    /// Answer every call of `method` with what `reply` makes of its
    /// parameters (a JSON object); [`Reply::auto`] leaves a call to the fake.
    ///
    /// # Panics
    ///
    /// If no method is called `method`.
    pub fn reply_with(
        &self,
        method: &str,
        reply: impl Fn(&Value) -> Reply + Send + Sync + 'static,
    ) -> &Self {
        let method = known(method);
        self.shared
            .lock()
            .scripts
            .insert(method, Script::With(Arc::new(reply)));
        self
    }

    /// Fail the next call of `method` the way Telegram fails with `code`:
    /// 429 is flood control (`retry_after` seconds, 1 if `None`), 500
    /// `Internal Server Error`, 502 a proxy's HTML page, 403 a bot blocked
    /// by the user, 409 a conflict of two pollers, 400 a bad request. The
    /// call is checked first: only a valid call takes the failure.
    ///
    /// # Panics
    ///
    /// If no method is called `method`.
    pub fn fail_next(&self, method: &str, code: u16, retry_after: impl Into<Option<u32>>) -> &Self {
        self.reply_once(method, Reply::failure(code, retry_after.into()))
    }

    /// Queue an update for the bot (any JSON object of an `Update`; an
    /// `update_id` is given if it has none) and return its `update_id`. A
    /// long poll waiting gets it at once; with a webhook set, the fake
    /// posts it there.
    ///
    /// # Panics
    ///
    /// If `update` does not serialize to JSON.
    pub fn push_update(&self, update: impl Serialize) -> i64 {
        let update = serde_json::to_value(update).expect("an update serializes to JSON");
        let id = self.shared.lock().updates.push(update);
        self.shared.updates_changed.notify_waiters();
        id
    }

    /// Queue a text message to the bot in the chat `chat_id`: a private chat
    /// with that user when positive, else a group, from user 1000.
    pub fn push_text(&self, chat_id: i64, text: &str) -> i64 {
        self.push_update(text_update(chat_id, text))
    }

    /// Queue a press of an inline button carrying `data` by user `user_id`,
    /// on a message of the bot in their private chat.
    pub fn push_callback_query(&self, user_id: i64, data: &str) -> i64 {
        let message_id = self.shared.next_id();
        self.push_update(callback_query_update(
            user_id,
            data,
            message_id,
            &self.shared.bot,
        ))
    }

    /// How many updates the bot has not confirmed (or, with a webhook, not
    /// taken with a 2xx answer).
    pub fn pending_updates(&self) -> usize {
        self.shared.lock().updates.pending.len()
    }

    /// The webhook URL the bot set, if any.
    pub fn webhook_url(&self) -> Option<String> {
        self.shared
            .lock()
            .updates
            .webhook
            .as_ref()
            .map(|h| h.url.clone())
    }

    /// Keep a file under `file_id`: `getFile` answers it and it downloads
    /// with `contents`. Returns its `file_path` (absolute in local mode).
    pub fn add_file(
        &self,
        file_id: &str,
        file_name: &str,
        contents: impl Into<bytes::Bytes>,
    ) -> String {
        self.shared
            .store(
                Some(file_id.to_string()),
                file_name,
                Data::Bytes(contents.into()),
            )
            .1
    }

    /// Every call so far, in the order they were answered.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }

    /// The calls of `method` so far.
    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        self.shared
            .lock()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// The next call of `method` not yet returned by this function, waiting
    /// for it if need be.
    ///
    /// # Panics
    ///
    /// After 10 seconds without one, naming the calls received.
    pub async fn next_call(&self, method: &str) -> Call {
        let method = known(method);
        let wait = async {
            loop {
                let notified = self.shared.calls_changed.notified();
                let mut notified = std::pin::pin!(notified);
                notified.as_mut().enable();
                {
                    let mut state = self.shared.lock();
                    let seen = state.handed.get(method).copied().unwrap_or(0);
                    let found = state
                        .calls
                        .iter()
                        .filter(|c| c.method == method)
                        .nth(seen)
                        .cloned();
                    if let Some(call) = found {
                        state.handed.insert(method, seen + 1);
                        return call;
                    }
                }
                notified.await;
            }
        };
        match tokio::time::timeout(NEXT_CALL_WAIT, wait).await {
            Ok(call) => call,
            Err(_) => {
                let got: Vec<String> = self.calls().into_iter().map(|c| c.method).collect();
                panic!("no call of {method} came within {NEXT_CALL_WAIT:?}; calls so far: {got:?}")
            }
        }
    }

    /// Stop: the port closes, long polls return, webhook deliveries end.
    pub async fn shutdown(&self) {
        self.stop.stop();
        let task = self.stop.task.lock().ok().and_then(|mut t| t.take());
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

/// The wire name of `method`, or a panic naming the mistake.
fn known(method: &str) -> &'static str {
    check::canonical(method).unwrap_or_else(|| panic!("no Bot API method is called {method:?}"))
}

/// An update holding a text message in `chat_id` (a private chat with that
/// user when positive, else a group, from user 1000), for
/// [`FakeBotApi::push_update`] or [`post_update`].
pub fn text_update(chat_id: i64, text: &str) -> Value {
    let from = if chat_id > 0 { chat_id } else { 1000 };
    json!({
        "message": {
            "message_id": NEXT_MESSAGE.fetch_add(1, Ordering::Relaxed),
            "date": shape::now(),
            "chat": replies::chat(Some(&json!(chat_id))),
            "from": {"id": from, "is_bot": false, "first_name": "Test", "language_code": "en"},
            "text": text,
        }
    })
}

static NEXT_MESSAGE: AtomicI64 = AtomicI64::new(1);

fn callback_query_update(user_id: i64, data: &str, message_id: i64, bot: &Bot) -> Value {
    json!({
        "callback_query": {
            "id": format!("{message_id}"),
            "from": {"id": user_id, "is_bot": false, "first_name": "Test"},
            "chat_instance": format!("{user_id}"),
            "data": data,
            "message": {
                "message_id": message_id,
                "date": shape::now(),
                "chat": {"id": user_id, "type": "private", "first_name": "Test"},
                "from": bot.user(),
                "text": "buttons",
            }
        }
    })
}

/// POST `update` to a webhook receiver at `url` the way Telegram does (JSON,
/// with `secret_token` in its header if given); the HTTP status it answered.
pub async fn post_update(
    url: &str,
    secret_token: Option<&str>,
    update: &impl Serialize,
) -> std::io::Result<u16> {
    let body = serde_json::to_vec(update).map_err(std::io::Error::other)?;
    let headers: &[(&str, &str)] = match secret_token {
        Some(secret) => &[(SECRET_TOKEN_HEADER, secret)],
        None => &[],
    };
    let http = http_client().map_err(std::io::Error::other)?;
    let sent = http.post_json(url, headers, body, None).await;
    sent.map_err(|e| std::io::Error::other(e.message))
}

/// An HTTP client for the fake and its callers (it never goes through a
/// proxy: everything they send stays on this machine).
fn http_client() -> Result<HyperTransport, String> {
    HyperTransport::with_connect_timeout(Duration::from_secs(10)).map_err(|e| e.message)
}
