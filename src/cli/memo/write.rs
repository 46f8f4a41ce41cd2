//! Writing a rendered memo: all files or none.
//!
//! Owns which files a memo is (the memo and, for Markdown, its charts
//! beside it); the transaction itself — temporary files, renames with
//! backups, clean-up on signals — is [`crate::cli::output`]. It renders
//! nothing.

use std::path::{Path, PathBuf};

use crate::cli::output;
use crate::cli::Failure;
use crate::report::memo::Rendered;

/// Writes the memo to `path` and its chart files (if any) beside it, all or
/// none; after a failure every previous file is as it was.
pub fn write_memo(path: &Path, rendered: &Rendered) -> Result<(), Failure> {
    let dir = output::folder_of(path);
    let mut files: Vec<(PathBuf, Vec<u8>)> = rendered
        .files
        .iter()
        .map(|(name, text)| (dir.join(name), text.clone().into_bytes()))
        .collect();
    files.push((path.to_path_buf(), rendered.text.clone().into_bytes()));
    output::write_files(&files)
}
