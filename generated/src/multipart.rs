//! Multipart encoding of requests that upload files. Scalars become text
//! parts, other values compact JSON; a top-level upload travels as the part
//! named after its parameter, nested ones (media groups) as `attach://name`.

use serde_json::Value;

use crate::error::Error;
use crate::input_file::{InputFile, Upload};
use crate::request::Request;

/// The multipart form of `request`, or `None` when it uploads nothing (and
/// goes as JSON).
pub(crate) async fn form<R: Request>(
    request: &R,
) -> Result<Option<reqwest::multipart::Form>, Error> {
    let mut uploads: Vec<&InputFile> = Vec::new();
    request.visit_files(&mut |f| {
        if f.is_upload() {
            uploads.push(f)
        }
    });
    if uploads.is_empty() {
        return Ok(None);
    }
    let method = R::METHOD;
    let value = serde_json::to_value(request).map_err(|e| Error::Decode {
        method,
        status: 0,
        message: format!("cannot serialize the request: {e}"),
        body_prefix: String::new(),
    })?;
    let Value::Object(fields) = value else {
        return Err(Error::Decode {
            method,
            status: 0,
            message: "a request must serialize to an object".into(),
            body_prefix: String::new(),
        });
    };
    let mut form = reqwest::multipart::Form::new();
    let mut sent = vec![false; uploads.len()];
    for (key, value) in fields {
        let text = match value {
            Value::Null => continue,
            Value::String(s) => {
                let top_level = s
                    .strip_prefix("attach://")
                    .and_then(|name| uploads.iter().position(|u| u.attach() == Some(name)));
                if let Some(i) = top_level {
                    form = form.part(key, file_part(method, uploads[i]).await?);
                    sent[i] = true;
                    continue;
                }
                s
            }
            other => other.to_string(),
        };
        form = form.text(key, text);
    }
    for (i, upload) in uploads.iter().enumerate() {
        if !sent[i] {
            let name = upload.attach().unwrap_or_default().to_string();
            form = form.part(name, file_part(method, upload).await?);
        }
    }
    Ok(Some(form))
}

async fn file_part(
    method: &'static str,
    file: &InputFile,
) -> Result<reqwest::multipart::Part, Error> {
    match file.upload() {
        Some(Upload::Bytes(name, data)) => {
            let len = data.len() as u64;
            Ok(
                reqwest::multipart::Part::stream_with_length(
                    reqwest::Body::from(data.clone()),
                    len,
                )
                .file_name(name.to_string()),
            )
        }
        Some(Upload::Path(path)) => {
            let io = |source| Error::Io {
                method,
                path: path.display().to_string(),
                source,
            };
            let file = tokio::fs::File::open(path).await.map_err(io)?;
            let len = file.metadata().await.map_err(io)?.len();
            let name = path
                .file_name()
                .map_or_else(|| "file".to_string(), |n| n.to_string_lossy().into_owned());
            let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(file));
            Ok(reqwest::multipart::Part::stream_with_length(body, len).file_name(name))
        }
        None => Err(Error::Decode {
            method,
            status: 0,
            message: "not an upload".into(),
            body_prefix: String::new(),
        }),
    }
}
