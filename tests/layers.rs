//! The architecture, checked: the four layers depend one way
//! (model → engine → report → cli), no Rust file grows past 1,000 lines,
//! and the README names no path outside the repository.
//!
//! The layers are folders of one crate, so the compiler alone cannot stop an
//! import running back up; this test does, by reading every `use crate::…`
//! and `crate::…` path in the sources.

mod util;

use std::fs;
use std::path::{Path, PathBuf};

use util::repo_root;

/// Longest allowed Rust file, tests included.
const MAX_LINES: usize = 1000;

/// The layers, lowest first. A layer may use the ones before it.
const LAYERS: [&str; 4] = ["model", "engine", "report", "cli"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The layers that the code in `text` refers to through `crate::<layer>`
/// (comments, doc links included, are not dependencies).
fn layers_used(text: &str) -> Vec<&'static str> {
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let text = code.as_str();
    LAYERS
        .iter()
        .copied()
        .filter(|layer| {
            let needle = format!("crate::{layer}");
            text.match_indices(&needle).any(|(i, _)| {
                // `crate::model` but not `crate::modelling`.
                let after = text[i + needle.len()..].chars().next();
                !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
        .collect()
}

#[test]
fn layers_depend_one_way() {
    let src = repo_root().join("src");
    let mut offences = Vec::new();
    for (rank, layer) in LAYERS.iter().enumerate() {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        assert!(!files.is_empty(), "src/{layer} has Rust files");
        for file in files {
            let text = fs::read_to_string(&file).unwrap();
            for used in layers_used(&text) {
                let used_rank = LAYERS.iter().position(|l| *l == used).unwrap();
                if used_rank > rank {
                    offences.push(format!(
                        "{} uses crate::{used}",
                        file.strip_prefix(repo_root()).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "imports that run back up the layers (model → engine → report → cli):\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_layer_check_sees_an_upward_import() {
    assert_eq!(
        layers_used("use crate::engine::weights::Level;"),
        ["engine"]
    );
    assert_eq!(
        layers_used("crate::cli::Failure and crate::model"),
        ["model", "cli"]
    );
    assert!(layers_used("crate::modelling; crate::engines").is_empty());
    assert!(layers_used("//! see [`crate::engine::value_fn`]").is_empty());
}

#[test]
fn no_rust_file_is_over_the_line_limit() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        rust_files(&repo_root().join(dir), &mut files);
    }
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = fs::read_to_string(f).unwrap().lines().count();
            (n > MAX_LINES).then(|| {
                format!(
                    "{}: {n} lines",
                    f.strip_prefix(repo_root()).unwrap().display()
                )
            })
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_readme_names_no_path_outside_the_repository() {
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    let outside: Vec<&str> = readme
        .lines()
        .filter(|l| l.contains("../") || l.contains("/work/"))
        .collect();
    assert!(outside.is_empty(), "{outside:#?}");
}
