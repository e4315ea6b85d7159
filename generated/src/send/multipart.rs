//! Multipart encoding of requests that upload files. Strings become text
//! parts, other values compact JSON, nulls are left out; a top-level upload
//! travels as the part named after its parameter, nested ones (media groups)
//! as the part its `attach://name` reference points to. Each upload is
//! streamed once per part that is referenced, never read whole from disk.
//! For a local Bot API server, files sent by path are not uploaded: their
//! `attach://` references become `file://` URIs the server reads.

use serde_json::{Map, Value};

use crate::error::Error;
use crate::send::input_file::{InputFile, Upload};
use crate::send::local::LocalServer;
use crate::send::request::Outgoing;
use crate::transport::{Body, FileData, Part, PartContent};

/// The body of `request`: JSON, or a multipart form when it uploads a file.
pub(crate) async fn body(
    request: &dyn Outgoing,
    local: Option<&LocalServer>,
) -> Result<Body, Error> {
    match plan_with(request, local)? {
        Plan::Json(bytes) => Ok(Body::Json(bytes)),
        // Boxed: an upload's future (files opened, read) is large, and
        // most calls go as JSON.
        Plan::Form(items) => Ok(Body::Multipart(Box::pin(parts(request, items)).await?)),
    }
}

/// The multipart form of `request`, or `None` when it uploads nothing (and
/// goes as JSON).
#[cfg(test)]
pub(crate) async fn form(request: &dyn Outgoing) -> Result<Option<Vec<Part>>, Error> {
    let Some(items) = plan(request)? else {
        return Ok(None);
    };
    parts(request, items).await.map(Some)
}

async fn parts(request: &dyn Outgoing, items: Vec<Item<'_>>) -> Result<Vec<Part>, Error> {
    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        parts.push(match item {
            Item::Text(name, text) => Part {
                name,
                content: PartContent::Text(text),
            },
            Item::File(name, file) => Part {
                name,
                content: file_part(request.method(), file).await?,
            },
        });
    }
    Ok(parts)
}

/// One part of the form, before any file is opened.
#[derive(Debug)]
pub(crate) enum Item<'a> {
    /// A text part: name and value.
    Text(String, String),
    /// A file part: name and the upload.
    File(String, &'a InputFile),
}

/// One distinct upload of a request (clones share their attach name).
struct Seen<'a> {
    file: &'a InputFile,
    attach: &'a str,
    /// How many times `visit_files` reached it.
    visits: usize,
    /// How many of those were top-level fields sent as their own part.
    as_field: usize,
}

/// How a request goes: JSON bytes, or the parts of a form.
pub(crate) enum Plan<'a> {
    /// Nothing is uploaded.
    Json(Vec<u8>),
    /// The parts, before any file is opened.
    Form(Vec<Item<'a>>),
}

/// Decide the parts of `request`'s form: `None` when nothing is uploaded.
pub(crate) fn plan(request: &dyn Outgoing) -> Result<Option<Vec<Item<'_>>>, Error> {
    Ok(match plan_with(request, None)? {
        Plan::Json(_) => None,
        Plan::Form(items) => Some(items),
    })
}

/// Decide how `request` goes; with `local`, files sent by path are named by
/// their `file://` URI instead of being uploaded.
pub(crate) fn plan_with<'a>(
    request: &'a dyn Outgoing,
    local: Option<&LocalServer>,
) -> Result<Plan<'a>, Error> {
    let mut seen: Vec<Seen<'_>> = Vec::new();
    // Under a local server: `(attach name, file URI)` of the files sent by path.
    let mut by_uri: Vec<(&str, String)> = Vec::new();
    request.visit_files(&mut |file| {
        let Some(attach) = file.attach() else { return };
        if let (Some(local), Some(Upload::Path(path))) = (local, file.upload()) {
            if !by_uri.iter().any(|(a, _)| *a == attach) {
                by_uri.push((attach, local.file_uri(path)));
            }
            return;
        }
        match seen.iter_mut().find(|s| s.attach == attach) {
            Some(s) => s.visits += 1,
            None => seen.push(Seen {
                file,
                attach,
                visits: 1,
                as_field: 0,
            }),
        }
    });
    let method = request.method();
    let encode = |message: String| Error::Decode {
        method,
        status: 0,
        message,
        body_prefix: String::new(),
    };
    // Through the request's own encoder (compiled once per request type).
    let json = request
        .encode_json()
        .map_err(|e| encode(format!("cannot serialize the request: {e}")))?;
    if seen.is_empty() && by_uri.is_empty() {
        return Ok(Plan::Json(json));
    }
    let Ok(Value::Object(mut fields)) = serde_json::from_slice::<Value>(&json) else {
        return Err(encode("a request must serialize to an object".into()));
    };
    if !by_uri.is_empty() {
        name_by_uri(&mut fields, &by_uri);
        if seen.is_empty() {
            let json = serde_json::to_vec(&fields)
                .map_err(|e| encode(format!("cannot serialize the request: {e}")))?;
            return Ok(Plan::Json(json));
        }
    }
    // Split into its top-level fields.
    let mut items = Vec::with_capacity(fields.len() + seen.len());
    for (key, value) in fields {
        let text = match value {
            Value::Null => continue,
            Value::String(s) => {
                let upload = s
                    .strip_prefix("attach://")
                    .and_then(|name| seen.iter_mut().find(|u| u.attach == name));
                if let Some(u) = upload {
                    u.as_field += 1;
                    items.push(Item::File(key, u.file));
                    continue;
                }
                s
            }
            other => other.to_string(),
        };
        items.push(Item::Text(key, text));
    }
    // Uploads also referenced from inside a JSON value go once under their
    // attach name, however many times they are referenced.
    for u in &seen {
        if u.visits > u.as_field {
            items.push(Item::File(u.attach.to_string(), u.file));
        }
    }
    Ok(Plan::Form(items))
}

/// Replace every `attach://<name>` string of `by_uri` in `fields`, however
/// deep, by its file URI. Attach names carry a per-process random part, so
/// no other text of the request matches one by accident.
fn name_by_uri(fields: &mut Map<String, Value>, by_uri: &[(&str, String)]) {
    fn walk(value: &mut Value, by_uri: &[(&str, String)]) {
        match value {
            Value::String(s) => {
                let uri = s
                    .strip_prefix("attach://")
                    .and_then(|name| by_uri.iter().find(|(a, _)| *a == name));
                if let Some((_, uri)) = uri {
                    *s = uri.clone();
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, by_uri)),
            Value::Object(map) => map.values_mut().for_each(|v| walk(v, by_uri)),
            _ => {}
        }
    }
    fields.values_mut().for_each(|v| walk(v, by_uri));
}

async fn file_part(method: &'static str, file: &InputFile) -> Result<PartContent, Error> {
    match file.upload() {
        Some(Upload::Bytes(name, data)) => Ok(PartContent::File {
            file_name: name.to_string(),
            len: Some(data.len() as u64),
            data: FileData::Bytes(data.clone()),
        }),
        Some(Upload::Path(path)) => {
            let io = |source| Error::Io {
                method,
                path: path.display().to_string(),
                source,
            };
            let file = tokio::fs::File::open(path).await.map_err(io)?;
            let len = file.metadata().await.map_err(io)?.len();
            let file_name = path
                .file_name()
                .map_or_else(|| "file".to_string(), |n| n.to_string_lossy().into_owned());
            Ok(PartContent::File {
                file_name,
                len: Some(len),
                data: FileData::Reader(Box::pin(file)),
            })
        }
        Some(Upload::Reader(name, reader, len)) => {
            let taken = reader.lock().ok().and_then(|mut r| r.take());
            let Some(reader) = taken else {
                return Err(Error::Io {
                    method,
                    path: name.to_string(),
                    source: std::io::Error::other(
                        "this reader was already sent once and cannot be read again",
                    ),
                });
            };
            Ok(PartContent::File {
                file_name: name.to_string(),
                len,
                data: FileData::Reader(reader),
            })
        }
        None => Err(Error::Decode {
            method,
            status: 0,
            message: "not an upload".into(),
            body_prefix: String::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::send::request::Request;
    use crate::validate::{Validate, Validator};

    #[derive(serde::Serialize)]
    struct Media {
        #[serde(rename = "type")]
        kind: &'static str,
        media: InputFile,
    }

    #[derive(serde::Serialize)]
    struct Req {
        chat_id: i64,
        audio: InputFile,
        thumbnail: Option<InputFile>,
        caption: Option<String>,
        disable_notification: bool,
        media: Vec<Media>,
    }

    impl Validate for Req {
        fn validate_into(&self, _v: &mut Validator) {}
    }

    impl Request for Req {
        const METHOD: &'static str = "sendTest";
        type Response = bool;
        fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a InputFile)) {
            crate::Files::visit_files(&self.audio, f);
            crate::Files::visit_files(&self.thumbnail, f);
            self.media.iter().for_each(|m| f(&m.media));
        }
    }

    fn req(audio: InputFile, media: Vec<InputFile>) -> Req {
        Req {
            chat_id: -100,
            audio,
            thumbnail: None,
            caption: Some("hi".into()),
            disable_notification: true,
            media: media
                .into_iter()
                .map(|media| Media {
                    kind: "photo",
                    media,
                })
                .collect(),
        }
    }

    /// (part name, text or `file:<attach name>`), in form order.
    fn parts(r: &Req) -> Option<Vec<(String, String)>> {
        let items = plan(r).unwrap()?;
        Some(
            items
                .into_iter()
                .map(|item| match item {
                    Item::Text(n, t) => (n, t),
                    Item::File(n, f) => (n, format!("file:{}", f.attach().unwrap())),
                })
                .collect(),
        )
    }

    fn get<'a>(parts: &'a [(String, String)], name: &str) -> Vec<&'a str> {
        parts
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    #[test]
    fn no_upload_means_json() {
        let r = req(
            InputFile::file_id("CQAD"),
            vec![InputFile::url("https://x/a.jpg")],
        );
        assert!(parts(&r).is_none());
    }

    #[test]
    fn top_level_upload_is_named_after_its_field() {
        let audio = InputFile::bytes("a.mp3", vec![1u8, 2]);
        let attach = audio.attach().unwrap().to_string();
        let p = parts(&req(audio, vec![])).unwrap();
        assert_eq!(get(&p, "audio"), [format!("file:{attach}")]);
        assert!(get(&p, &attach).is_empty(), "no second part: {p:?}");
        assert_eq!(get(&p, "chat_id"), ["-100"]);
        assert_eq!(get(&p, "caption"), ["hi"], "strings are not JSON-quoted");
        assert_eq!(get(&p, "disable_notification"), ["true"]);
        assert_eq!(get(&p, "media"), ["[]"]);
        assert!(get(&p, "thumbnail").is_empty(), "nulls are left out");
    }

    #[test]
    fn a_caption_cannot_name_an_upload_by_guessing() {
        let audio = InputFile::bytes("a.mp3", vec![1u8]);
        let attach = audio.attach().unwrap().to_string();
        let guess = format!("attach://{}", attach.split('r').next().unwrap());
        let mut r = req(audio, vec![]);
        r.caption = Some(guess.clone());
        let p = parts(&r).unwrap();
        assert_eq!(get(&p, "caption"), [guess.as_str()], "sent as text");
        assert_eq!(get(&p, "audio"), [format!("file:{attach}")]);
    }

    #[test]
    fn nested_uploads_go_once_under_their_attach_name() {
        let a = InputFile::bytes("a.jpg", vec![1u8]);
        let b = InputFile::path("/nonexistent/b.jpg");
        let (na, nb) = (
            a.attach().unwrap().to_string(),
            b.attach().unwrap().to_string(),
        );
        let media = vec![a.clone(), b, a, InputFile::file_id("AgAD")];
        let p = parts(&req(InputFile::file_id("CQAD"), media)).unwrap();
        assert_eq!(get(&p, "audio"), ["CQAD"]);
        assert_eq!(get(&p, &na), [format!("file:{na}")], "a clone is sent once");
        assert_eq!(get(&p, &nb), [format!("file:{nb}")]);
        let media: Value = serde_json::from_str(get(&p, "media")[0]).unwrap();
        assert_eq!(media[0]["media"], format!("attach://{na}"));
        assert_eq!(media[1]["media"], format!("attach://{nb}"));
        assert_eq!(media[3]["media"], "AgAD");
        assert_eq!(p.len(), 7, "{p:?}");
    }

    #[test]
    fn upload_used_as_field_and_nested_goes_both_ways() {
        let a = InputFile::bytes("a.jpg", vec![1u8]);
        let na = a.attach().unwrap().to_string();
        let mut r = req(a.clone(), vec![a.clone()]);
        r.thumbnail = Some(a);
        let p = parts(&r).unwrap();
        assert_eq!(get(&p, "audio"), [format!("file:{na}")]);
        assert_eq!(get(&p, "thumbnail"), [format!("file:{na}")]);
        assert_eq!(get(&p, &na), [format!("file:{na}")], "for media[0]");
    }

    #[tokio::test]
    async fn missing_file_is_an_io_error_naming_the_path() {
        let r = req(InputFile::path("/nonexistent/dir/song.mp3"), vec![]);
        let err = form(&r).await.unwrap_err();
        assert!(
            matches!(&err, Error::Io { method: "sendTest", path, source }
                if path == "/nonexistent/dir/song.mp3"
                    && source.kind() == std::io::ErrorKind::NotFound),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("/nonexistent/dir/song.mp3"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn existing_file_builds_a_form() {
        let path = std::env::temp_dir().join(format!("botapi-mp-{}.bin", std::process::id()));
        std::fs::write(&path, b"abc").unwrap();
        let r = req(
            InputFile::path(&path),
            vec![InputFile::bytes("x", vec![0u8])],
        );
        let built = form(&r).await;
        std::fs::remove_file(&path).ok();
        assert!(built.unwrap().is_some());
    }
}
