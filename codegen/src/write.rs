//! Writing generated files: only when the content changed, or (`--check`)
//! comparing without writing and naming every stale file.

use std::io;
use std::path::{Path, PathBuf};

use crate::emit::GeneratedFile;

/// What a write or check found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Files whose content differs from (or is missing in) the output dir.
    pub stale: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: Vec<PathBuf>,
}

/// Write `files` into `dir`, touching only those whose content changed
/// (`check == false`), or only compare (`check == true`). Either way the
/// outcome lists the stale files.
pub fn write_files(dir: &Path, files: &[GeneratedFile], check: bool) -> io::Result<Outcome> {
    let mut out = Outcome::default();
    if !check {
        std::fs::create_dir_all(dir)?;
    }
    for f in files {
        let path = dir.join(f.name);
        let current = match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
        };
        if current.as_deref() == Some(f.contents.as_bytes()) {
            out.unchanged.push(path);
            continue;
        }
        if !check {
            std::fs::write(&path, &f.contents)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        }
        out.stale.push(path);
    }
    Ok(out)
}
