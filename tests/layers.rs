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

/// The layers that the code in `text` refers to: `crate::<layer>`, grouped
/// imports `crate::{<layer>::…}`, and `super::` chains that climb out of the
/// file's own layer (`depth`: how many folders the file sits below `src/`,
/// its own `mod.rs` counted as the folder). Comments, doc links included,
/// are not dependencies.
fn layers_used(text: &str, depth: usize) -> Vec<&'static str> {
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut paths: Vec<String> = Vec::new();
    // `crate::x` and every first segment inside `crate::{ … }`.
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            paths.extend(inner.split(',').map(|p| p.trim().to_string()));
        } else {
            paths.push(rest.to_string());
        }
    }
    // `super::super::…::x` climbing to the crate root names a layer.
    for (i, _) in code.match_indices("super::") {
        if i >= 7 && &code[i - 7..i] == "super::" {
            continue; // counted from the first `super::` of the chain
        }
        let mut rest = &code[i..];
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            rest = r;
            ups += 1;
        }
        if ups >= depth {
            paths.push(rest.to_string());
        }
    }
    LAYERS
        .iter()
        .copied()
        .filter(|layer| {
            paths.iter().any(|p| {
                p.strip_prefix(layer).is_some_and(|after| {
                    !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            })
        })
        .collect()
}

/// How many `super::` reach the crate root from `file` under `src/`.
fn depth(file: &Path) -> usize {
    let rel = file.strip_prefix(repo_root().join("src")).unwrap();
    let folders = rel.components().count() - 1;
    if rel.file_name().is_some_and(|n| n == "mod.rs") {
        folders
    } else {
        folders + 1
    }
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
            for used in layers_used(&text, depth(&file)) {
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
        layers_used("use crate::engine::weights::Level;", 2),
        ["engine"]
    );
    assert_eq!(
        layers_used("crate::cli::Failure and crate::model", 2),
        ["model", "cli"]
    );
    assert_eq!(
        layers_used("use crate::{cli::Failure, model};", 2),
        ["model", "cli"]
    );
    assert!(layers_used("crate::modelling; crate::engines", 2).is_empty());
    assert!(layers_used("//! see [`crate::engine::value_fn`]", 2).is_empty());
    // src/model/load/frame.rs: three `super::` reach the crate root.
    assert_eq!(
        layers_used("use super::super::super::cli::Failure;", 3),
        ["cli"]
    );
    assert!(layers_used("use super::super::diag::Diagnostic;", 3).is_empty());
    let root = repo_root().join("src");
    assert_eq!(depth(&root.join("model/load/frame.rs")), 3);
    assert_eq!(depth(&root.join("model/load/mod.rs")), 2);
    assert_eq!(depth(&root.join("model/mod.rs")), 1);
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
