//! The files of a decision folder as bytes, read from disk or given in
//! memory.
//!
//! Owns [`Sources`] (relative path → bytes) and reading a folder into it,
//! with the errors only a file system can have (a missing folder, an
//! unreadable file). It does not parse anything: [`super::load_from`] does,
//! so a decision can be loaded from in-memory text.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::model::diag::{Diagnostic, Diagnostics};

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

    /// Reads the decision folder `dir`: `afweging.toml` and the `*.toml`
    /// files of `criteria/` and `initiatives/`. Returns what could be read
    /// and the file-system errors; `None` when `dir` is not a folder.
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
        let mut sources = Sources::new(dir);
        if dir.join("afweging.toml").is_file() {
            sources.read_file("afweging.toml", diags);
        }
        for sub in ["criteria", "initiatives"] {
            let folder = dir.join(sub);
            let entries = match fs::read_dir(&folder) {
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
            let mut names: Vec<String> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect();
            names.sort();
            for name in names {
                sources.read_file(&format!("{sub}/{name}"), diags);
            }
        }
        Some(sources)
    }

    fn read_file(&mut self, rel: &str, diags: &mut Diagnostics) {
        match fs::read(self.display_path(rel)) {
            Ok(bytes) => {
                self.files.insert(rel.to_string(), bytes);
            }
            Err(e) => {
                diags.push(Diagnostic::file_error(
                    self.display_path(rel),
                    format!("cannot read the file: {e}"),
                ));
                self.unreadable.insert(rel.to_string());
            }
        }
    }
}
