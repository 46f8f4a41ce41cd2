//! Helpers shared by the integration tests.
// Each test binary uses some of the helpers.
#![allow(dead_code)]

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root (it holds the shipped Twente decision).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `afweging` binary, run from the repository root.
pub fn afweging() -> Command {
    let mut cmd = Command::cargo_bin("afweging").expect("the afweging binary is built");
    cmd.current_dir(repo_root());
    cmd
}

/// Copies the folder `from` (recursively) to `to`, which is created.
///
/// Skips `target/` and dot-folders (`.git`, `.ci`), so copying the
/// repository root gives just the decision folder.
pub fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        let kind = entry.file_type()?;
        let dest = to.join(&name);
        if kind.is_dir() {
            if name_str == "target" || name_str.starts_with('.') {
                continue;
            }
            copy_dir(&entry.path(), &dest)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}

/// A temporary copy of the shipped decision (afweging.toml, sources.toml,
/// criteria/, initiatives/ of the repository root).
pub fn copy_of_root_decision() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = repo_root();
    fs::copy(root.join("afweging.toml"), tmp.path().join("afweging.toml"))
        .expect("copy afweging.toml");
    fs::copy(root.join("sources.toml"), tmp.path().join("sources.toml"))
        .expect("copy sources.toml");
    for sub in ["criteria", "initiatives"] {
        copy_dir(&root.join(sub), &tmp.path().join(sub)).expect("copy a sub-folder");
    }
    tmp
}

/// Replaces the first occurrence of `old` in the file at `path` by `new`;
/// panics when `old` does not occur (the fixture changed).
pub fn edit_file(path: &Path, old: &str, new: &str) {
    let text = fs::read_to_string(path).expect("read the file to edit");
    assert!(
        text.contains(old),
        "{} no longer contains {old:?}; update the test",
        path.display()
    );
    fs::write(path, text.replacen(old, new, 1)).expect("write the edited file");
}

/// A minimal `afweging.toml` for generated test decisions.
pub const TEST_FRAME: &str = r#"
title = "test"
question = "test"
decided_by = "test"
decision_date = 2019-07-01
[region]
name = "R"
municipalities = [{ name = "A", population = 1000 }]
[simulation]
seed = 7
iterations = 1000
"#;

/// Writes a decision folder in `dir`: [`TEST_FRAME`], `criteria` as
/// `criteria/c.toml`, and per `(id, body)` an initiative file whose
/// `[values]` table is `body`.
pub fn write_decision<I: AsRef<str>, V: AsRef<str>>(
    dir: &Path,
    criteria: &str,
    initiatives: &[(I, V)],
) {
    fs::create_dir_all(dir.join("criteria")).expect("create criteria/");
    fs::create_dir_all(dir.join("initiatives")).expect("create initiatives/");
    fs::write(dir.join("afweging.toml"), TEST_FRAME).expect("write afweging.toml");
    fs::write(dir.join("criteria/c.toml"), criteria).expect("write the criteria");
    for (id, values) in initiatives {
        let (id, values) = (id.as_ref(), values.as_ref());
        fs::write(
            dir.join(format!("initiatives/{id}.toml")),
            format!("id = \"{id}\"\nname = \"{id}\"\nsummary = \"s\"\n[values]\n{values}\n"),
        )
        .expect("write an initiative");
    }
}

/// [`write_decision`], then loads it (panicking with the diagnostics if it is invalid).
pub fn decision(
    dir: &Path,
    criteria: &str,
    initiatives: &[(&str, &str)],
) -> afweging::model::Decision {
    write_decision(dir, criteria, initiatives);
    afweging::model::load(dir).unwrap_or_else(|e| panic!("{e}"))
}
