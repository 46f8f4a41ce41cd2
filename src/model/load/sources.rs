//! The files of a decision folder as bytes, read from disk or given in
//! memory.
//!
//! Owns [`Sources`] (relative path → bytes) and reading a folder into it,
//! with the errors only a file system can have (a missing folder, an
//! unreadable file, a FIFO, device, folder or link where a decision file
//! should be, a non-UTF-8 file name, files over the size limits). It does not parse anything: [`super::load_from`] does,
//! so a decision can be loaded from in-memory text.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::model::diag::{Diagnostic, Diagnostics};
use crate::model::limits;

/// The input files of a decision, keyed by their path relative to the
/// decision folder with `/` as separator (`afweging.toml`,
/// `criteria/c.toml`, `initiatives/alpha.toml`).
#[derive(Debug, Clone, Default)]
pub struct Sources {
    root: PathBuf,
    files: BTreeMap<String, Vec<u8>>,
    /// Relative paths (folders or files) that could not be read; their
    /// errors are already reported.
    unreadable: BTreeSet<String>,
}

impl Sources {
    /// No files yet; messages show paths under `root` (an empty path or
    /// `.` shows them relative).
    pub fn new(root: impl Into<PathBuf>) -> Sources {
        Sources {
            root: root.into(),
            ..Sources::default()
        }
    }

    /// Adds (or replaces) the file `rel`.
    pub fn insert(&mut self, rel: impl Into<String>, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.files.insert(rel.into(), bytes.into());
        self
    }

    /// Sources from `(relative path, text)` pairs, shown relative.
    pub fn from_texts<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Sources {
        let mut s = Sources::new("");
        for (rel, text) in files {
            s.insert(rel, text.as_bytes());
        }
        s
    }

    /// The folder the paths are relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The bytes of `rel`, if present.
    pub fn get(&self, rel: &str) -> Option<&[u8]> {
        self.files.get(rel).map(Vec::as_slice)
    }

    /// The `*.toml` files directly in the sub-folder `sub`, sorted by path.
    pub fn toml_files<'a>(&'a self, sub: &'a str) -> impl Iterator<Item = (&'a str, &'a [u8])> {
        self.files.iter().filter_map(move |(rel, bytes)| {
            let name = rel.strip_prefix(sub)?.strip_prefix('/')?;
            (!name.contains('/') && name.ends_with(".toml")).then_some((rel.as_str(), &bytes[..]))
        })
    }

    /// Whether `rel` could not be read (and was reported).
    pub fn is_unreadable(&self, rel: &str) -> bool {
        self.unreadable.contains(rel)
    }

    /// The path of `rel` for messages.
    pub fn display_path(&self, rel: &str) -> PathBuf {
        if self.root == Path::new(".") || self.root.as_os_str().is_empty() {
            PathBuf::from(rel)
        } else {
            self.root.join(rel)
        }
    }

    /// Reads the decision folder `dir`: `afweging.toml`, `sources.toml`
    /// (when present) and the `*.toml` files of `criteria/` and
    /// `initiatives/`. Returns what could be read
    /// and the file-system errors; `None` when `dir` is not a folder or the
    /// folder is over the size limits.
    ///
    /// Hidden files (names starting with `.`) are skipped. Only regular
    /// files are read. A symbolic link is followed when it
    /// resolves to a regular file inside the decision folder; a dangling
    /// link, a loop, a link out of the folder, a folder, FIFO, device or
    /// socket with a `.toml` name is an error naming it. The file type is
    /// checked before a file is opened, so a FIFO never blocks the loader.
    pub fn read(dir: &Path, diags: &mut Diagnostics) -> Option<Sources> {
        if !dir.is_dir() {
            diags.push(
                Diagnostic::file_error(
                    dir,
                    "the decision folder does not exist or is not a folder",
                )
                .with_help("pass the folder that holds afweging.toml with --dir"),
            );
            return None;
        }
        let canonical = match fs::canonicalize(dir) {
            Ok(c) => c,
            Err(e) => {
                diags.push(Diagnostic::file_error(
                    dir,
                    format!("cannot read the decision folder: {e}"),
                ));
                return None;
            }
        };
        let mut sources = Sources::new(dir);
        let mut total = 0usize;
        for file in ["afweging.toml", "sources.toml"] {
            if fs::symlink_metadata(dir.join(file)).is_ok() {
                total += sources.read_file(&canonical, file, diags);
            }
        }
        for sub in ["criteria", "initiatives"] {
            let folder = dir.join(sub);
            let entries = match sources
                .inside(&canonical, sub)
                .map_err(|why| format!("it is {why}"))
                .and_then(|()| fs::read_dir(&folder).map_err(|e| e.to_string()))
            {
                Ok(e) => e,
                Err(e) => {
                    diags.push(
                        Diagnostic::file_error(&folder, format!("cannot read the `{sub}/` folder: {e}"))
                            .with_help(format!(
                                "a decision folder needs a folder `{sub}/` with one or more .toml files"
                            )),
                    );
                    sources.unreadable.insert(sub.to_string());
                    continue;
                }
            };
            let mut names: Vec<String> = Vec::new();
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name();
                // Hidden files are no decision files: editors keep lock
                // files such as `.#alpha.toml` (a dangling link) there.
                let bytes = name.as_encoded_bytes();
                if !bytes.ends_with(b".toml") || bytes.starts_with(b".") {
                    continue;
                }
                match name.to_str() {
                    Some(n) => names.push(n.to_string()),
                    None => {
                        diags.push(
                            Diagnostic::file_error(
                                entry.path(),
                                "the file name is not valid UTF-8",
                            )
                            .with_help("rename the file: decision file names are shown in messages and reports, so use UTF-8 (letters, digits, `-`, `_`)"),
                        );
                        sources.unreadable.insert(sub.to_string());
                    }
                }
            }
            if names.len() > limits::MAX_FILES {
                diags.push(Diagnostic::file_error(
                    &folder,
                    format!(
                        "the `{sub}/` folder has {} .toml files, more than the limit of {}",
                        names.len(),
                        limits::MAX_FILES
                    ),
                ));
                return None;
            }
            names.sort();
            for name in names {
                total += sources.read_file(&canonical, &format!("{sub}/{name}"), diags);
                if total > limits::MAX_TOTAL_BYTES {
                    diags.push(
                        Diagnostic::file_error(
                            dir,
                            format!(
                                "the decision files hold more than {} bytes (4 MiB) together, the limit for one decision folder",
                                limits::MAX_TOTAL_BYTES
                            ),
                        )
                        .with_help("a decision folder holds some tens of kilobytes; check that --dir names the right folder"),
                    );
                    return None;
                }
            }
        }
        Some(sources)
    }

    /// Whether `rel` resolves to a path inside the (canonical) decision
    /// folder; the reason when not.
    fn inside(&self, canonical_root: &Path, rel: &str) -> Result<(), String> {
        let path = self.display_path(rel);
        match fs::canonicalize(&path) {
            Ok(target) if target.starts_with(canonical_root) => Ok(()),
            Ok(target) => Err(format!(
                "a symbolic link to {}, outside the decision folder",
                target.display()
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(match fs::read_link(&path) {
                Ok(to) => format!("a symbolic link to {}, which does not exist", to.display()),
                Err(_) => format!("missing ({e})"),
            }),
            Err(e) => Err(format!("a symbolic link that cannot be followed ({e})")),
        }
    }

    /// Reads the regular file `rel` (following a link inside the folder);
    /// records an error for anything else. Returns the bytes read.
    fn read_file(&mut self, canonical_root: &Path, rel: &str, diags: &mut Diagnostics) -> usize {
        let path = self.display_path(rel);
        match self.read_regular(canonical_root, rel, &path) {
            Ok(bytes) => {
                let n = bytes.len();
                self.files.insert(rel.to_string(), bytes);
                n
            }
            Err((message, help)) => {
                diags.push(Diagnostic::file_error(&path, message).with_help(help));
                self.unreadable.insert(rel.to_string());
                0
            }
        }
    }

    fn read_regular(
        &self,
        canonical_root: &Path,
        rel: &str,
        path: &Path,
    ) -> Result<Vec<u8>, (String, String)> {
        let not_regular = |what: String| {
            (
                format!("`{rel}` is {what}, not a regular file: only regular files are read as decision files"),
                "replace it by the file itself, or remove it (or rename it so it does not end in .toml)"
                    .to_string(),
            )
        };
        let io = |e: std::io::Error| {
            (
                format!("cannot read the file: {e}"),
                "check the file's permissions".to_string(),
            )
        };
        let meta = fs::symlink_metadata(path).map_err(io)?;
        let meta = if meta.file_type().is_symlink() {
            self.inside(canonical_root, rel).map_err(|why| {
                (
                    format!("`{rel}` is {why}: links may only point to regular files inside the decision folder"),
                    "replace the link by the file itself, or remove it".to_string(),
                )
            })?;
            fs::metadata(path).map_err(io)?
        } else {
            meta
        };
        if !meta.is_file() {
            return Err(not_regular(kind_of(&meta).to_string()));
        }
        if meta.len() > limits::MAX_FILE_BYTES as u64 {
            return Err((
                format!(
                    "the file is {} bytes, more than the limit of {} bytes (1 MiB) for one decision file",
                    meta.len(),
                    limits::MAX_FILE_BYTES
                ),
                "a decision file holds a few kilobytes of text; split it, or check that this is the right file".to_string(),
            ));
        }
        let file = fs::File::open(path).map_err(io)?;
        // The type again, on the open file: it may have been swapped.
        if !file.metadata().map_err(io)?.is_file() {
            return Err(not_regular("not a regular file".to_string()));
        }
        let mut bytes = Vec::new();
        file.take(limits::MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        Ok(bytes)
    }
}

/// What a non-regular file is, for messages.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}
