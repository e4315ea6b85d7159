//! Downloading files: `getFile` gives a server-side path; these helpers
//! stream its bytes from the same Bot API server (the default one or a
//! self-hosted one) into a writer or a file the caller chose.

use std::path::Path;

use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::client::Client;
use crate::error::{redact, Error};

const METHOD: &str = "download";

impl Client {
    /// Stream the file at `file_path` (from `getFile`) into `out`; returns
    /// the number of bytes written.
    pub async fn download<W: AsyncWrite + Unpin>(
        &self,
        file_path: &str,
        out: &mut W,
    ) -> Result<u64, Error> {
        let url = format!(
            "{}/file/bot{}/{}",
            self.base_url(),
            self.token(),
            file_path.trim_start_matches('/')
        );
        let mut response = self
            .http()
            .get(url)
            .send()
            .await
            .map_err(|e| Error::transport(METHOD, e, self.token()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(Error::Decode {
                method: METHOD,
                status: status.as_u16(),
                message: format!("the file server answered {status}"),
                body_prefix: String::new(),
            });
        }
        let mut written = 0u64;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Error::transport(METHOD, e, self.token()))?
        {
            out.write_all(&chunk)
                .await
                .map_err(|source| io(file_path, source, self.token()))?;
            written += chunk.len() as u64;
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

fn io(path: &str, source: std::io::Error, token: &str) -> Error {
    Error::Io {
        method: METHOD,
        path: redact(path, token),
        source,
    }
}
