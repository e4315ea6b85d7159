//! Updates: the queue the test fills, `getUpdates` long polls that wait on
//! it, and a webhook, once the bot sets one, that the fake posts the queue
//! to the way Telegram does (one update per request, in order, again after
//! a failure).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Map, Value};

use super::shape::now;
use super::Shared;
use crate::transport::TransportErrorKind;

/// The longest a `getUpdates` call is held open, whatever its `timeout`.
const MAX_POLL: Duration = Duration::from_secs(50);

/// Updates not yet confirmed, and where they go.
#[derive(Debug, Default)]
pub(crate) struct Queue {
    next_id: i64,
    pub(crate) pending: VecDeque<(i64, Value)>,
    /// The last `allowed_updates` the bot gave (Telegram keeps it).
    allowed: Option<Vec<String>>,
    pub(crate) webhook: Option<Hook>,
    /// Changes with every `setWebhook`/`deleteWebhook`; a delivery task
    /// stops when it is no longer its own.
    generation: u64,
    pub(crate) last_error: Option<(i64, String)>,
}

/// A webhook the bot set.
#[derive(Debug, Clone)]
pub(crate) struct Hook {
    pub(crate) url: String,
    pub(crate) secret_token: Option<String>,
}

impl Queue {
    /// Queue `update`, giving it the next `update_id` unless it has one.
    pub(crate) fn push(&mut self, update: Value) -> i64 {
        let mut update = match update {
            Value::Object(map) => map,
            other => {
                let mut map = Map::new();
                map.insert("value".into(), other);
                map
            }
        };
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => {
                let id = self.next_id.max(1);
                update.insert("update_id".into(), json!(id));
                id
            }
        };
        self.next_id = self.next_id.max(id + 1);
        self.pending.push_back((id, Value::Object(update)));
        id
    }

    /// Forget updates the bot has seen: `offset` confirms those before it; a
    /// negative one keeps only the last `-offset`.
    fn confirm(&mut self, offset: i64) {
        if offset < 0 {
            let keep = offset.unsigned_abs() as usize;
            while self.pending.len() > keep {
                self.pending.pop_front();
            }
        } else {
            self.pending.retain(|(id, _)| *id >= offset);
        }
    }

    /// Drop updates of kinds the bot did not ask for (Telegram does not
    /// keep them) and take up to `limit` of the rest.
    fn batch(&mut self, limit: usize) -> Vec<Value> {
        if let Some(allowed) = &self.allowed {
            self.pending
                .retain(|(_, u)| kind(u).is_none_or(|k| allowed.iter().any(|a| a == k)));
        }
        self.pending
            .iter()
            .take(limit)
            .map(|(_, u)| u.clone())
            .collect()
    }
}

/// The kind of an update: its key besides `update_id`.
fn kind(update: &Value) -> Option<&str> {
    update
        .as_object()?
        .keys()
        .map(String::as_str)
        .find(|k| *k != "update_id")
}

fn int(p: &Map<String, Value>, key: &str) -> Option<i64> {
    p.get(key).and_then(Value::as_i64)
}

/// `getUpdates`: confirm, then answer at once if anything is waiting, else
/// when something arrives or the poll's `timeout` has passed.
pub(crate) async fn get_updates(shared: &Shared, p: &Map<String, Value>) -> (u16, Value) {
    let limit = int(p, "limit").unwrap_or(100).clamp(1, 100) as usize;
    let timeout = Duration::from_secs(int(p, "timeout").unwrap_or(0).max(0) as u64).min(MAX_POLL);
    {
        let mut state = shared.lock();
        let queue = &mut state.updates;
        if queue.webhook.is_some() {
            return error(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            );
        }
        if let Some(offset) = int(p, "offset") {
            queue.confirm(offset);
        }
        if let Some(Value::Array(kinds)) = p.get("allowed_updates") {
            let kinds: Vec<String> = kinds
                .iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            queue.allowed = (!kinds.is_empty()).then_some(kinds);
        }
    }
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let notified = shared.updates_changed.notified();
        let mut notified = std::pin::pin!(notified);
        notified.as_mut().enable();
        let batch = shared.lock().updates.batch(limit);
        if !batch.is_empty() || shared.closing() || tokio::time::Instant::now() >= deadline {
            return (200, json!({"ok": true, "result": batch}));
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

/// `setWebhook`: updates go to `url` from now on (an empty one removes it).
pub(crate) fn set_webhook(shared: &Arc<Shared>, p: &Map<String, Value>) -> (u16, Value) {
    let url = p.get("url").and_then(Value::as_str).unwrap_or("");
    if url.is_empty() {
        return delete_webhook(shared, p);
    }
    let generation = {
        let mut state = shared.lock();
        let queue = &mut state.updates;
        if p.get("drop_pending_updates") == Some(&json!(true)) {
            queue.pending.clear();
        }
        if let Some(Value::Array(kinds)) = p.get("allowed_updates") {
            let kinds: Vec<String> = kinds
                .iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            queue.allowed = (!kinds.is_empty()).then_some(kinds);
        }
        queue.webhook = Some(Hook {
            url: url.to_string(),
            secret_token: p
                .get("secret_token")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
        queue.last_error = None;
        queue.generation += 1;
        queue.generation
    };
    shared.updates_changed.notify_waiters();
    tokio::spawn(deliver(shared.clone(), generation));
    (
        200,
        json!({"ok": true, "result": true, "description": "Webhook was set"}),
    )
}

/// `deleteWebhook`: back to `getUpdates`.
pub(crate) fn delete_webhook(shared: &Shared, p: &Map<String, Value>) -> (u16, Value) {
    let mut state = shared.lock();
    let queue = &mut state.updates;
    let had = queue.webhook.take().is_some();
    queue.generation += 1;
    if p.get("drop_pending_updates") == Some(&json!(true)) {
        queue.pending.clear();
    }
    drop(state);
    shared.updates_changed.notify_waiters();
    let description = if had {
        "Webhook was deleted"
    } else {
        "Webhook is already deleted"
    };
    (
        200,
        json!({"ok": true, "result": true, "description": description}),
    )
}

/// `getWebhookInfo`'s fields, as far as the fake knows them.
pub(crate) fn webhook_info(shared: &Shared) -> Value {
    let state = shared.lock();
    let queue = &state.updates;
    let mut info = json!({
        "url": queue.webhook.as_ref().map_or("", |h| h.url.as_str()),
        "has_custom_certificate": false,
        "pending_update_count": queue.pending.len(),
    });
    if queue.webhook.is_some() {
        info["max_connections"] = json!(40);
        if let Some(allowed) = &queue.allowed {
            info["allowed_updates"] = json!(allowed);
        }
        if let Some((date, message)) = &queue.last_error {
            info["last_error_date"] = json!(date);
            info["last_error_message"] = json!(message);
        }
    }
    info
}

fn error(code: u16, description: &str) -> (u16, Value) {
    (
        code,
        json!({"ok": false, "error_code": code, "description": description}),
    )
}

/// Post the queue to the webhook of `generation`, one update at a time,
/// until the webhook changes or the fake stops.
async fn deliver(shared: Arc<Shared>, generation: u64) {
    let mut backoff = Duration::from_millis(50);
    loop {
        let notified = shared.updates_changed.notified();
        let mut notified = std::pin::pin!(notified);
        notified.as_mut().enable();
        if shared.closing() {
            return;
        }
        let next = {
            let state = shared.lock();
            let queue = &state.updates;
            if queue.generation != generation {
                return;
            }
            let Some(hook) = queue.webhook.clone() else {
                return;
            };
            queue.pending.front().cloned().map(|u| (hook, u))
        };
        let Some((hook, (id, update))) = next else {
            // Look again now and then: `closing` does not notify.
            let _ = tokio::time::timeout(Duration::from_millis(200), notified).await;
            continue;
        };
        let posted = post(&shared, &hook.url, hook.secret_token.as_deref(), &update).await;
        let delivered = {
            let mut state = shared.lock();
            let queue = &mut state.updates;
            if queue.generation != generation {
                return;
            }
            match posted {
                Ok(status) if (200..300).contains(&status) => {
                    queue.pending.retain(|(i, _)| *i != id);
                    true
                }
                Ok(status) => {
                    let reason = http::StatusCode::from_u16(status)
                        .ok()
                        .and_then(|s| s.canonical_reason())
                        .unwrap_or("");
                    queue.last_error = Some((
                        now(),
                        format!("Wrong response from the webhook: {status} {reason}"),
                    ));
                    false
                }
                Err(e) => {
                    queue.last_error = Some((now(), e));
                    false
                }
            }
        };
        if delivered {
            backoff = Duration::from_millis(50);
        } else {
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(1));
        }
    }
}

/// POST `update` to `url` as Telegram does; the status, or why there was none.
async fn post(
    shared: &Shared,
    url: &str,
    secret_token: Option<&str>,
    update: &Value,
) -> Result<u16, String> {
    let headers: &[(&str, &str)] = match secret_token {
        Some(secret) => &[(crate::testing::SECRET_TOKEN_HEADER, secret)],
        None => &[],
    };
    let body = update.to_string().into_bytes();
    let sent = shared
        .http()?
        .post_json(url, headers, body, Some(Duration::from_secs(10)));
    match sent.await {
        Ok(status) => Ok(status),
        Err(e) => Err(match e.kind {
            TransportErrorKind::Connect => "Connection refused".into(),
            TransportErrorKind::Timeout => "Read timeout expired".into(),
            _ => e.message,
        }),
    }
}
