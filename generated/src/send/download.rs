//! Downloading files: `getFile` gives a server-side path; these helpers
//! stream its bytes from the same Bot API server (the default one or a
//! self-hosted one) into a writer or a file the caller chose. From a local
//! server ([`ClientBuilder::local_server`](crate::ClientBuilder::local_server))
//! an absolute path is read from disk instead.

use std::path::Path;

use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::error::{redact, Error};
use crate::send::client::Client;

const METHOD: &str = "download";

impl Client {
    /// Stream the file at `file_path` (from `getFile`) into `out`; returns
    /// the number of bytes written. Under
    /// [`local_server`](crate::ClientBuilder::local_server) an absolute
    /// `file_path` (what a server started with `--local` gives) is read
    /// from disk, at the path its mounts translate it to.
    pub async fn download<W: AsyncWrite + Unpin>(
        &self,
        file_path: &str,
        out: &mut W,
    ) -> Result<u64, Error> {
        if let Some(path) = self.local().and_then(|l| l.bot_path(file_path)) {
            return copy_from_disk(&path, out, self.token()).await;
        }
        let url = format!(
            "{}/file/bot{}/{}",
            self.base_url(),
            self.token(),
            file_path.trim_start_matches('/')
        );
        let download = self
            .transport()
            .download(url)
            .await
            .map_err(|e| self.transport_error(METHOD, e))?;
        if !(200..300).contains(&download.status) {
            return Err(Error::Decode {
                method: METHOD,
                status: download.status,
                message: format!("the file server answered HTTP {}", download.status),
                body_prefix: String::new(),
            });
        }
        let mut body = download.body;
        let mut buf = vec![0u8; 64 * 1024];
        let mut written = 0u64;
        loop {
            let n = body.read(&mut buf).await.map_err(|e| Error::Transport {
                method: METHOD,
                message: redact(&e.to_string(), self.token()),
                timeout: false,
                connect: false,
            })?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n])
                .await
                .map_err(|source| io(file_path, source, self.token()))?;
            written += n as u64;
        }
        out.flush()
            .await
            .map_err(|source| io(file_path, source, self.token()))?;
        Ok(written)
    }

    /// Stream the file at `file_path` into a new file at `dest` (a path the
    /// caller chose; the server-side path never decides where data lands).
    pub async fn download_to(&self, file_path: &str, dest: impl AsRef<Path>) -> Result<u64, Error> {
        let dest = dest.as_ref();
        let mut file = tokio::fs::File::create(dest)
            .await
            .map_err(|source| io(&dest.display().to_string(), source, ""))?;
        self.download(file_path, &mut file).await
    }
}

/// Copy the file at `path` into `out` (a local server's file). The server
/// keeps a bot's files in a directory named after its token, so errors
/// redact it from the path.
async fn copy_from_disk<W: AsyncWrite + Unpin>(
    path: &Path,
    out: &mut W,
    token: &str,
) -> Result<u64, Error> {
    let shown = path.display().to_string();
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|source| io(&shown, source, token))?;
    let written = tokio::io::copy(&mut file, out)
        .await
        .map_err(|source| io(&shown, source, token))?;
    out.flush()
        .await
        .map_err(|source| io(&shown, source, token))?;
    Ok(written)
}

fn io(path: &str, source: std::io::Error, token: &str) -> Error {
    Error::Io {
        method: METHOD,
        path: redact(path, token),
        source,
    }
}
