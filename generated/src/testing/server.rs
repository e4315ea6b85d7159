//! The HTTP side of the fake: routes as Telegram's (`/bot<token>/<method>`
//! for calls, `/file/bot<token>/<path>` for downloads), the token checked,
//! parameters read from a JSON body, a form, a multipart form or the query
//! string, every call recorded with its answer.

use std::collections::HashSet;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::calls::{Call, UploadedFile};
use super::check::{self, bad_request, Incoming, Refused, Rules};
use super::hooks::Part;
use super::replies::{self, Kind, Script};
use super::{updates, Shared};
use crate::validate::{LOCAL_SERVER_MAX_UPLOAD, PUBLIC_SERVER_MAX_UPLOAD};

/// Every request comes here; the path decides.
pub(crate) async fn route(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    if let Some(rest) = path.strip_prefix("/file/bot") {
        return serve_file(&shared, rest);
    }
    let Some((token, method)) = path
        .strip_prefix("/bot")
        .and_then(|rest| rest.split_once('/'))
    else {
        return answer(404, &error_body(404, "Not Found"));
    };
    let (token, method) = (token.to_string(), method.to_string());
    call(shared, &token, &method, request).await
}

async fn call(shared: Arc<Shared>, token: &str, method: &str, request: Request) -> Response {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut record = Call {
        method: method.to_string(),
        content_type: content_type.clone(),
        params: json!({}),
        files: Vec::new(),
        status: 0,
        response: Value::Null,
    };
    let (status, body) = match read(&shared, &content_type, request).await {
        Err(refused) => refusal(&refused),
        Ok((incoming, files)) => {
            record.params = Value::Object(incoming.params.clone());
            record.files = files;
            if token != shared.token {
                refusal(&Refused {
                    code: 401,
                    description: "Unauthorized".into(),
                })
            } else {
                match check::canonical(method) {
                    None => refusal(&Refused {
                        code: 404,
                        description: "Not Found".into(),
                    }),
                    Some(method) => {
                        record.method = method.to_string();
                        let rules = Rules {
                            unknown_parameters: shared.strict_parameters,
                            local: shared.local,
                        };
                        match check::check(method, incoming, rules) {
                            Err(refused) => refusal(&refused),
                            Ok(accepted) => {
                                record.params = Value::Object(accepted.params.clone());
                                respond(&shared, accepted).await
                            }
                        }
                    }
                }
            }
        }
    };
    record.status = status;
    record.response = body.clone();
    shared.record(record);
    answer(status, &body)
}

/// The answer to an accepted call: a scripted one if there is one, else
/// the fake's own.
async fn respond(shared: &Arc<Shared>, accepted: check::Accepted) -> (u16, Value) {
    let params = Value::Object(accepted.params.clone());
    let picked = {
        let mut state = shared.lock();
        let once = state
            .once
            .get_mut(accepted.method)
            .and_then(|queue| queue.pop_front());
        once.map(Script::Always)
            .or_else(|| state.scripts.get(accepted.method).cloned())
    };
    // A closure runs outside the lock.
    let scripted = picked.map(|script| match script {
        Script::Always(reply) => reply,
        Script::With(f) => f(&params),
    });
    match scripted.map(|r| r.0) {
        Some(Kind::Ok(result)) => (200, json!({"ok": true, "result": result})),
        Some(Kind::Error {
            code,
            description,
            parameters,
        }) => {
            let mut body = error_body(code, &description);
            if let Some(p) = parameters {
                body["parameters"] = p;
            }
            (code, body)
        }
        Some(Kind::Http {
            status,
            content_type,
            body,
        }) => (
            status,
            json!({ "$raw": body, "$content_type": content_type }),
        ),
        Some(Kind::Auto) | None => own(shared, &accepted).await,
    }
}

/// The fake's own answer: the methods with behaviour (updates, webhooks,
/// files), else a made-up result of the method's result type.
async fn own(shared: &Arc<Shared>, accepted: &check::Accepted) -> (u16, Value) {
    let p = &accepted.params;
    let ok = |result: Value| (200, json!({"ok": true, "result": result}));
    match accepted.method {
        "getUpdates" => updates::get_updates(shared, p).await,
        "setWebhook" => updates::set_webhook(shared, p),
        "deleteWebhook" => updates::delete_webhook(shared, p),
        "getWebhookInfo" => {
            let info = updates::webhook_info(shared);
            ok((accepted.result.complete)(info).unwrap_or(Value::Null))
        }
        "getFile" => {
            let id = p.get("file_id").and_then(Value::as_str).unwrap_or("");
            match shared.file_info(id) {
                Some(file) => ok((accepted.result.complete)(file).unwrap_or(Value::Null)),
                None => refusal(&bad_request("invalid file_id")),
            }
        }
        "logOut" | "close" => ok(json!(true)),
        _ => ok(replies::made_up(shared, accepted)),
    }
}

fn error_body(code: u16, description: &str) -> Value {
    json!({"ok": false, "error_code": code, "description": description})
}

fn refusal(refused: &Refused) -> (u16, Value) {
    (refused.code, error_body(refused.code, &refused.description))
}

/// The HTTP answer for a recorded body (a raw one is kept as
/// `{"$raw": text, "$content_type": type}` until here).
fn answer(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let (Some(raw), Some(content_type)) = (
        body.get("$raw").and_then(Value::as_str),
        body.get("$content_type").and_then(Value::as_str),
    ) {
        return (
            status,
            [(header::CONTENT_TYPE, content_type.to_string())],
            raw.to_string(),
        )
            .into_response();
    }
    (
        status,
        [(header::CONTENT_TYPE, "application/json".to_string())],
        body.to_string(),
    )
        .into_response()
}

/// The parameters of `request` and its files: the query string, then the
/// body (JSON, a form or a multipart form).
async fn read(
    shared: &Shared,
    content_type: &str,
    request: Request,
) -> Result<(Incoming, Vec<UploadedFile>), Refused> {
    let mut incoming = Incoming::default();
    let mut files = Vec::new();
    if let Some(query) = request.uri().query() {
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            incoming.text_fields.insert(k.to_string());
            incoming
                .params
                .insert(k.into_owned(), Value::String(v.into_owned()));
        }
    }
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let too_big = || Refused {
        code: 413,
        description: "Request Entity Too Large".into(),
    };
    let max = if shared.local {
        LOCAL_SERVER_MAX_UPLOAD
    } else {
        PUBLIC_SERVER_MAX_UPLOAD
    };
    match mime.as_str() {
        "multipart/form-data" => {
            let mut form = Multipart::from_request(request, &())
                .await
                .map_err(|e| bad_request(format_args!("can't parse multipart form: {e}")))?;
            loop {
                let field = match form.next_field().await {
                    Ok(Some(field)) => field,
                    Ok(None) => break,
                    Err(e) => {
                        return Err(bad_request(format_args!("can't parse multipart form: {e}")))
                    }
                };
                let mut field = field;
                let name = field.name().unwrap_or("").to_string();
                let file_name = field.file_name().map(str::to_string);
                let mut data = bytes::BytesMut::new();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if (data.len() + chunk.len()) as u64 > max {
                                return Err(too_big());
                            }
                            data.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(e) => {
                            return Err(bad_request(format_args!(
                                "can't read part \"{name}\": {e}"
                            )))
                        }
                    }
                }
                let data = data.freeze();
                match file_name {
                    Some(file_name) => {
                        // A file for a parameter stands in it as a reference.
                        incoming
                            .params
                            .insert(name.clone(), Value::String(format!("attach://{name}")));
                        incoming.parts.insert(
                            name.clone(),
                            Part {
                                file_name: file_name.clone(),
                                data: data.clone(),
                            },
                        );
                        files.push(UploadedFile {
                            name,
                            file_name: Some(file_name),
                            data,
                        });
                    }
                    None => {
                        let text = String::from_utf8_lossy(&data).into_owned();
                        incoming.text_fields.insert(name.clone());
                        incoming.params.insert(name, Value::String(text));
                    }
                }
            }
        }
        "application/x-www-form-urlencoded" => {
            let body = body_bytes(request).await?;
            for (k, v) in form_urlencoded::parse(&body) {
                incoming.text_fields.insert(k.to_string());
                incoming
                    .params
                    .insert(k.into_owned(), Value::String(v.into_owned()));
            }
        }
        _ => {
            let body = body_bytes(request).await?;
            if !body.iter().all(u8::is_ascii_whitespace) {
                match serde_json::from_slice::<Value>(&body) {
                    Ok(Value::Object(map)) => {
                        for (k, v) in map {
                            incoming.text_fields.remove(&k);
                            incoming.params.insert(k, v);
                        }
                    }
                    Ok(Value::Null) => {}
                    _ => return Err(bad_request("can't parse JSON object")),
                }
            }
        }
    }
    // Parts named by `attach://` inside a parameter are not parameters.
    let referenced: HashSet<String> = incoming
        .params
        .iter()
        .filter(|(k, v)| v.as_str() != Some(&format!("attach://{k}")))
        .flat_map(|(_, v)| attach_names(v))
        .collect();
    for name in referenced {
        if incoming.params.get(&name).and_then(Value::as_str) == Some(&format!("attach://{name}")) {
            incoming.params.remove(&name);
            incoming.text_fields.remove(&name);
        }
    }
    Ok((incoming, files))
}

/// The `attach://` names a JSON value (or a form text holding JSON) refers to.
fn attach_names(value: &Value) -> Vec<String> {
    let mut names = Vec::new();
    fn walk(value: &Value, names: &mut Vec<String>) {
        match value {
            Value::String(s) => {
                if let Some(name) = s.strip_prefix("attach://") {
                    names.push(name.to_string());
                } else if s.starts_with(['{', '[']) {
                    if let Ok(inner) = serde_json::from_str::<Value>(s) {
                        walk(&inner, names);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, names)),
            Value::Object(map) => map.values().for_each(|v| walk(v, names)),
            _ => {}
        }
    }
    walk(value, &mut names);
    names
}

async fn body_bytes(request: Request) -> Result<bytes::Bytes, Refused> {
    axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .map_err(|e| bad_request(format_args!("can't read the request: {e}")))
}

/// `GET /file/bot<token>/<file path>`: a file the fake keeps.
fn serve_file(shared: &Shared, rest: &str) -> Response {
    let found = rest.split_once('/').and_then(|(token, file_path)| {
        (token == shared.token)
            .then(|| shared.file_bytes(file_path))
            .flatten()
    });
    match found {
        Some(data) => (StatusCode::OK, Body::from(data)).into_response(),
        None => answer(404, &error_body(404, "Not Found")),
    }
}
