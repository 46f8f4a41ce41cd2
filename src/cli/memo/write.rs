//! Writing a rendered memo: all files or none.
//!
//! Owns the atomic writing of the memo and its chart files: each goes to a
//! temporary file in the target folder first and is renamed into place only
//! when all are written. It renders nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::Failure;
use crate::report::memo::Rendered;

/// Writes the memo to `path` and its chart files (if any) beside it, all or
/// none.
pub fn write_memo(path: &Path, rendered: &Rendered) -> Result<(), Failure> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut files: Vec<(PathBuf, &str)> = rendered
        .files
        .iter()
        .map(|(name, text)| (dir.join(name), text.as_str()))
        .collect();
    files.push((path.to_path_buf(), rendered.text.as_str()));
    write_all_atomically(&dir, &files)
}

/// Writes every file to a temporary file in `dir` first and renames them
/// into place only when all are written; if a rename fails, the files
/// already renamed are removed again.
fn write_all_atomically(dir: &Path, files: &[(PathBuf, &str)]) -> Result<(), Failure> {
    let fail = |path: &Path, e: std::io::Error| {
        Failure::other(format!("cannot write {}: {e}", path.display()))
    };
    let mut temps = Vec::new();
    for (path, text) in files {
        let mut tmp = tempfile::Builder::new()
            .prefix(".afweging-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| fail(path, e))?;
        // Temporary files are private (0600); the memo is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(|e| fail(path, e))?;
        }
        tmp.write_all(text.as_bytes())
            .and_then(|_| tmp.flush())
            .map_err(|e| fail(path, e))?;
        temps.push((tmp, path));
    }
    let mut done: Vec<&Path> = Vec::new();
    for (tmp, path) in temps {
        if let Err(e) = tmp.persist(path) {
            for p in done {
                let _ = std::fs::remove_file(p);
            }
            return Err(fail(path, e.error));
        }
        done.push(path);
    }
    Ok(())
}
