//! Helpers shared by the integration tests.

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

/// A temporary copy of the shipped decision (afweging.toml, criteria/,
/// initiatives/ of the repository root).
pub fn copy_of_root_decision() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = repo_root();
    fs::copy(root.join("afweging.toml"), tmp.path().join("afweging.toml"))
        .expect("copy afweging.toml");
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
