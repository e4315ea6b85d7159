//! The multipart planner on requests built by `arbitrary`: media groups
//! (nested uploads referenced as `attach://name`), `sendVideo` (top-level
//! uploads) and a request mixing both, with uploads, file_ids and URLs, the
//! same upload reused (clones share their attach name), extra keys and raw
//! unknown items.
//!
//! Invariants: every non-null top-level field is exactly one part (a text
//! part with its string or compact JSON, or, for a file field holding an
//! upload, that upload's file part) and nulls are left out; each nested
//! upload goes exactly once, as a file part named after its attach name;
//! no two file parts share a name; nothing else is in the form.
//!
//! Strings the request sends at the top level never start with `attach://`
//! here: the planner tells uploads by that text, so such a caption would be
//! taken for the upload it names (a known limit, see tests/fuzz/README.md).
#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::Arbitrary;
use botapi::fuzz_hooks::{plan_multipart_for_fuzz, PlannedPart};
use botapi::methods::{SendMediaGroup, SendVideo};
use botapi::types::{
    Recipient, InputMediaAudio, InputMediaDocument, InputMediaLivePhoto, InputMediaPhoto,
    InputMediaVideo, MediaGroupItem,
};
use botapi::validate::{Validate, Validator};
use botapi::{Files, InputFile, Request};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

#[derive(Arbitrary, Debug)]
enum FileSpec {
    Upload { name: String, data: Vec<u8> },
    Again(u8),
    FileId(String),
    Url(String),
}

#[derive(Arbitrary, Debug)]
enum Text {
    Plain(String),
    /// `attach://<name of an earlier upload>` (only used nested).
    AttachOf(u8),
}

#[derive(Arbitrary, Debug)]
enum Extra {
    Null,
    Bool(bool),
    Int(i64),
    Text(Text),
    List(Vec<Text>),
}

type Extras = Vec<(String, Extra)>;

#[derive(Arbitrary, Debug)]
enum MediaSpec {
    Photo {
        media: FileSpec,
        caption: Option<Text>,
        extra: Extras,
    },
    Document {
        media: FileSpec,
        thumbnail: Option<FileSpec>,
        caption: Option<Text>,
        extra: Extras,
    },
    Video {
        media: FileSpec,
        thumbnail: Option<FileSpec>,
        cover: Option<FileSpec>,
    },
    Audio {
        media: FileSpec,
        thumbnail: Option<FileSpec>,
    },
    LivePhoto {
        media: FileSpec,
        photo: FileSpec,
    },
    Unknown(Extras),
}

#[derive(Arbitrary, Debug)]
enum Chat {
    Id(i64),
    Name(String),
}

#[derive(Arbitrary, Debug)]
enum Spec {
    Group {
        chat: Chat,
        media: Vec<MediaSpec>,
        effect: Option<String>,
    },
    Video {
        chat: Chat,
        video: FileSpec,
        thumbnail: Option<FileSpec>,
        cover: Option<FileSpec>,
        caption: Option<String>,
    },
    Mixed {
        photo: FileSpec,
        thumbnail: Option<FileSpec>,
        caption: Option<String>,
        media: Vec<MediaSpec>,
        note: Option<Extra>,
    },
}

/// A request with uploads both at the top level and nested.
#[derive(serde::Serialize)]
struct Mixed {
    chat_id: i64,
    photo: InputFile,
    thumbnail: Option<InputFile>,
    caption: Option<String>,
    media: Vec<MediaGroupItem>,
    note: Option<Value>,
}

impl Validate for Mixed {
    fn validate_into(&self, _: &mut Validator) {}
}

impl Request for Mixed {
    const METHOD: &'static str = "sendMixed";
    type Response = bool;
    fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a InputFile)) {
        f(&self.photo);
        self.thumbnail.visit_files(f);
        self.media.visit_files(f);
    }
}

/// The `attach://` name of an upload (`None` for file_ids and URLs).
fn attach_of(file: &InputFile) -> Option<String> {
    if !file.is_upload() {
        return None;
    }
    match serde_json::to_value(file) {
        Ok(Value::String(s)) => s.strip_prefix("attach://").map(str::to_string),
        other => panic!("an upload serializes as {other:?}"),
    }
}

/// Builds the request, remembering every upload: `nested` holds the attach
/// names of uploads placed inside JSON values.
#[derive(Default)]
struct Builder {
    pool: Vec<InputFile>,
    nested: BTreeSet<String>,
}

fn no_attach(s: String) -> String {
    if s.starts_with("attach://") {
        format!("x{s}")
    } else {
        s
    }
}

impl Builder {
    fn file(&mut self, spec: FileSpec) -> InputFile {
        match spec {
            FileSpec::Upload { name, data } => {
                let f = InputFile::bytes(name, data);
                self.pool.push(f.clone());
                f
            }
            FileSpec::Again(i) if !self.pool.is_empty() => {
                self.pool[usize::from(i) % self.pool.len()].clone()
            }
            FileSpec::Again(_) => self.file(FileSpec::Upload {
                name: "again.bin".into(),
                data: vec![1],
            }),
            FileSpec::FileId(s) => InputFile::file_id(no_attach(s)),
            FileSpec::Url(s) => InputFile::url(no_attach(s)),
        }
    }

    fn nested_file(&mut self, spec: FileSpec) -> InputFile {
        let f = self.file(spec);
        if let Some(a) = attach_of(&f) {
            self.nested.insert(a);
        }
        f
    }

    fn text(&self, t: Text) -> String {
        match t {
            Text::Plain(s) => s,
            Text::AttachOf(_) if self.pool.is_empty() => "attach://nothing".into(),
            Text::AttachOf(i) => format!(
                "attach://{}",
                attach_of(&self.pool[usize::from(i) % self.pool.len()]).unwrap()
            ),
        }
    }

    fn extra(&self, e: Extra) -> Value {
        match e {
            Extra::Null => Value::Null,
            Extra::Bool(b) => Value::Bool(b),
            Extra::Int(i) => Value::from(i),
            Extra::Text(t) => Value::String(self.text(t)),
            Extra::List(ts) => Value::Array(
                ts.into_iter()
                    .map(|t| Value::String(self.text(t)))
                    .collect(),
            ),
        }
    }

    /// Extra keys never collide with known ones (`x_` prefix).
    fn extras(&self, extras: Extras) -> Map<String, Value> {
        extras
            .into_iter()
            .map(|(k, v)| (format!("x_{k}"), self.extra(v)))
            .collect()
    }

    fn media(&mut self, spec: MediaSpec) -> MediaGroupItem {
        match spec {
            MediaSpec::Photo {
                media,
                caption,
                extra,
            } => {
                let mut m = InputMediaPhoto::new(self.nested_file(media));
                m.caption = caption.map(|c| self.text(c).into());
                m.extra = self.extras(extra).into();
                m.into()
            }
            MediaSpec::Document {
                media,
                thumbnail,
                caption,
                extra,
            } => {
                let mut m = InputMediaDocument::new(self.nested_file(media));
                m.thumbnail = thumbnail.map(|t| self.nested_file(t));
                m.caption = caption.map(|c| self.text(c).into());
                m.extra = self.extras(extra).into();
                m.into()
            }
            MediaSpec::Video {
                media,
                thumbnail,
                cover,
            } => {
                let mut m = InputMediaVideo::new(self.nested_file(media));
                m.thumbnail = thumbnail.map(|t| self.nested_file(t));
                m.cover = cover.map(|t| self.nested_file(t));
                m.into()
            }
            MediaSpec::Audio { media, thumbnail } => {
                let mut m = InputMediaAudio::new(self.nested_file(media));
                m.thumbnail = thumbnail.map(|t| self.nested_file(t));
                m.into()
            }
            MediaSpec::LivePhoto { media, photo } => {
                let media = self.nested_file(media);
                InputMediaLivePhoto::new(media, self.nested_file(photo)).into()
            }
            MediaSpec::Unknown(extra) => {
                let mut raw = self.extras(extra);
                raw.insert("type".into(), Value::String("hologram".into()));
                MediaGroupItem::Unknown(Value::Object(raw))
            }
        }
    }
}

fn chat(c: Chat) -> Recipient {
    match c {
        Chat::Id(i) => Recipient::Id(i.into()),
        Chat::Name(s) => Recipient::Username(no_attach(s).into()),
    }
}

/// Plan `request` and check the invariants; `file_fields` are the
/// top-level fields of type InputFile.
fn check<R: Request>(request: &R, file_fields: &[&str], b: &Builder) {
    let parts = plan_multipart_for_fuzz(request).expect("planning never fails here");
    let uploads: BTreeSet<String> = b.pool.iter().filter_map(attach_of).collect();
    let Value::Object(fields) = serde_json::to_value(request).unwrap() else {
        panic!("a request serializes to an object");
    };
    let uses_upload = fields.iter().any(|(k, v)| {
        file_fields.contains(&k.as_str())
            && v.as_str()
                .and_then(|s| s.strip_prefix("attach://"))
                .is_some_and(|a| uploads.contains(a))
    }) || !b.nested.is_empty();
    let Some(parts) = parts else {
        assert!(!uses_upload, "uploads but no form");
        return;
    };
    assert!(uses_upload, "a form without uploads: {parts:?}");

    let mut by_name: BTreeMap<&str, Vec<&PlannedPart>> = BTreeMap::new();
    for p in &parts {
        let (PlannedPart::Text { name, .. } | PlannedPart::File { name, .. }) = p;
        by_name.entry(name.as_str()).or_default().push(p);
    }
    for (name, ps) in &by_name {
        assert_eq!(ps.len(), 1, "{} parts named {name}: {parts:?}", ps.len());
    }
    // Top-level fields.
    for (key, value) in &fields {
        let part = by_name.get(key.as_str()).map(|ps| ps[0]);
        match (value, part) {
            (Value::Null, None) => {}
            (Value::Null, Some(p)) => panic!("null {key} sent: {p:?}"),
            (_, None) => panic!("field {key} missing from {parts:?}"),
            (v, Some(PlannedPart::Text { text, .. })) => {
                let want = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                assert_eq!(text, &want, "text of {key}");
                if file_fields.contains(&key.as_str()) {
                    let is_upload = want
                        .strip_prefix("attach://")
                        .is_some_and(|a| uploads.contains(a));
                    assert!(!is_upload, "upload field {key} sent as text");
                }
            }
            (v, Some(PlannedPart::File { attach, .. })) => {
                assert!(
                    file_fields.contains(&key.as_str()),
                    "non-file field {key} sent as a file"
                );
                assert_eq!(v.as_str(), Some(format!("attach://{attach}").as_str()));
            }
        }
    }
    // Nested uploads, once each under their attach name; nothing else.
    for p in &parts {
        let (PlannedPart::Text { name, .. } | PlannedPart::File { name, .. }) = p;
        if fields.contains_key(name.as_str()) {
            continue;
        }
        match p {
            PlannedPart::File { name, attach } => {
                assert_eq!(name, attach, "a nested upload goes under its attach name");
                assert!(b.nested.contains(attach), "unreferenced upload {attach}");
            }
            PlannedPart::Text { .. } => panic!("stray text part {p:?}"),
        }
    }
    for a in &b.nested {
        assert!(
            matches!(by_name.get(a.as_str()), Some(ps) if matches!(ps[0], PlannedPart::File { attach, .. } if attach == a)),
            "nested upload {a} has no file part: {parts:?}"
        );
    }
}

fuzz_target!(|spec: Spec| {
    let mut b = Builder::default();
    match spec {
        Spec::Group {
            chat: c,
            media,
            effect,
        } => {
            let media: Vec<_> = media.into_iter().map(|m| b.media(m)).collect();
            let mut r = SendMediaGroup::new(chat(c), media);
            r.message_effect_id = effect.map(|e| no_attach(e).into());
            check(&r, &[], &b);
        }
        Spec::Video {
            chat: c,
            video,
            thumbnail,
            cover,
            caption,
        } => {
            let mut r = SendVideo::new(chat(c), b.file(video));
            r.thumbnail = thumbnail.map(|t| b.file(t));
            r.cover = cover.map(|t| b.file(t));
            r.caption = caption.map(|c| no_attach(c).into());
            check(&r, &["video", "thumbnail", "cover"], &b);
        }
        Spec::Mixed {
            photo,
            thumbnail,
            caption,
            media,
            note,
        } => {
            let photo = b.file(photo);
            let thumbnail = thumbnail.map(|t| b.file(t));
            let media = media.into_iter().map(|m| b.media(m)).collect();
            let note = note.map(|n| match b.extra(n) {
                Value::String(s) => Value::String(no_attach(s)),
                other => other,
            });
            let r = Mixed {
                chat_id: 1,
                photo,
                thumbnail,
                caption: caption.map(no_attach),
                media,
                note,
            };
            check(&r, &["photo", "thumbnail"], &b);
        }
    }
});
