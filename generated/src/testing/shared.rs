//! The state the fake's handlers share: recorded calls, scripts, queued
//! updates, the files it keeps, and what stops the server with the last
//! handle.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use serde_json::{json, Value};
use tokio::sync::Notify;

use super::calls::Call;
use super::hooks;
use super::replies::{Bot, Reply, Script};
use super::updates::Queue;
use super::{http_client, Parts};
use crate::transport::HyperTransport;

/// Stops the server when the last [`FakeBotApi`] clone goes.
pub(super) struct Stop {
    pub(super) shared: Arc<Shared>,
    pub(super) signal: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    pub(super) task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Stop {
    pub(super) fn stop(&self) {
        self.shared.closing.store(true, Ordering::SeqCst);
        self.shared.updates_changed.notify_waiters();
        if let Some(signal) = self.signal.lock().ok().and_then(|mut s| s.take()) {
            let _ = signal.send(());
        }
    }
}

impl Drop for Stop {
    fn drop(&mut self) {
        self.stop();
        if self.shared.local {
            let _ = std::fs::remove_dir_all(&self.shared.dir);
        }
    }
}

/// What the handlers share.
pub(crate) struct Shared {
    pub(crate) token: String,
    pub(crate) bot: Bot,
    pub(crate) local: bool,
    pub(crate) strict_parameters: bool,
    pub(super) state: Mutex<State>,
    pub(crate) updates_changed: Notify,
    pub(super) calls_changed: Notify,
    pub(super) closing: AtomicBool,
    pub(super) next_id: AtomicI64,
    pub(super) http: OnceLock<Result<HyperTransport, String>>,
    /// Local mode: where the fake keeps the files it answers with absolute
    /// paths (removed when it stops).
    pub(super) dir: PathBuf,
}

/// What changes.
#[derive(Default)]
pub(crate) struct State {
    pub(super) calls: Vec<Call>,
    /// How many calls of a method [`FakeBotApi::next_call`] has returned.
    pub(super) handed: HashMap<&'static str, usize>,
    pub(crate) once: HashMap<&'static str, VecDeque<Reply>>,
    pub(crate) scripts: HashMap<&'static str, Script>,
    pub(crate) updates: Queue,
    /// Files by file_id.
    pub(super) files: HashMap<String, Stored>,
}

pub(super) struct Stored {
    pub(super) file_path: String,
    pub(super) data: Data,
}

pub(super) enum Data {
    Bytes(bytes::Bytes),
    Disk(PathBuf),
}

impl Data {
    pub(super) fn len(&self) -> Option<u64> {
        match self {
            Data::Bytes(b) => Some(b.len() as u64),
            Data::Disk(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        }
    }
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn closing(&self) -> bool {
        self.closing.load(Ordering::SeqCst)
    }

    /// A new number for message ids, file ids and the like.
    pub(crate) fn next_id(&self) -> i64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    pub(super) fn record(&self, call: Call) {
        self.lock().calls.push(call);
        self.calls_changed.notify_waiters();
    }

    /// The client the fake delivers webhook updates with.
    pub(crate) fn http(&self) -> Result<&HyperTransport, String> {
        self.http
            .get_or_init(http_client)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Keep a file (under `file_id`, or a new one); its id and `file_path`.
    pub(super) fn store(
        &self,
        file_id: Option<String>,
        file_name: &str,
        data: Data,
    ) -> (String, String) {
        let n = self.next_id();
        let file_id = file_id.unwrap_or_else(|| format!("FAKE{n:06}"));
        let extension = std::path::Path::new(file_name)
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        let relative = format!("documents/file_{n}{extension}");
        let (file_path, data) = match data {
            Data::Disk(path) => (path.display().to_string(), Data::Disk(path)),
            Data::Bytes(bytes) if self.local => {
                // A local server keeps files under a directory named after
                // the token and answers their absolute path.
                let path = self.dir.join(&self.token).join(&relative);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, &bytes));
                match written {
                    Ok(()) => (path.display().to_string(), Data::Disk(path)),
                    Err(_) => (relative, Data::Bytes(bytes)),
                }
            }
            Data::Bytes(bytes) => (relative, Data::Bytes(bytes)),
        };
        self.lock().files.insert(
            file_id.clone(),
            Stored {
                file_path: file_path.clone(),
                data,
            },
        );
        (file_id, file_path)
    }

    /// The file_id a message gets for a file sent as `reference`, and its
    /// size when known: an upload or a local file is kept under a new id; a
    /// URL gets a new id with nothing behind it; a file_id stays.
    pub(crate) fn file_for(&self, reference: &str, parts: &Parts) -> (String, Option<u64>) {
        if let Some(part) = reference
            .strip_prefix("attach://")
            .and_then(|name| parts.get(name))
        {
            let size = part.data.len() as u64;
            let (id, _) = self.store(None, &part.file_name, Data::Bytes(part.data.clone()));
            return (id, Some(size));
        }
        if let Some(path) = reference
            .starts_with("file:")
            .then(|| hooks::file_uri_path(reference))
            .flatten()
        {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let data = Data::Disk(path);
            let size = data.len();
            let (id, _) = self.store(None, &name, data);
            return (id, size);
        }
        if reference.starts_with("http://") || reference.starts_with("https://") {
            let name = reference.rsplit('/').next().unwrap_or("file");
            let (id, _) = self.store(None, name, Data::Bytes(bytes::Bytes::new()));
            return (id, None);
        }
        let size = self.lock().files.get(reference).and_then(|f| f.data.len());
        (reference.to_string(), size)
    }

    /// `getFile`'s answer for `file_id`, if the fake keeps it.
    pub(crate) fn file_info(&self, file_id: &str) -> Option<Value> {
        let state = self.lock();
        let file = state.files.get(file_id)?;
        let mut info = json!({
            "file_id": file_id,
            "file_unique_id": format!("u{file_id}"),
            "file_path": file.file_path,
        });
        if let Some(size) = file.data.len() {
            info["file_size"] = json!(size);
        }
        Some(info)
    }

    /// The contents of the file at `file_path`, for a download.
    pub(crate) fn file_bytes(&self, file_path: &str) -> Option<bytes::Bytes> {
        let state = self.lock();
        let file = state.files.values().find(|f| f.file_path == file_path)?;
        match &file.data {
            Data::Bytes(b) => Some(b.clone()),
            Data::Disk(p) => std::fs::read(p).ok().map(Into::into),
        }
    }
}
