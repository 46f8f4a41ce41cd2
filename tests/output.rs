//! Output files as a user meets them: `-o` writes only to a regular file or a
//! new path, a failed write (a file-size limit, SIGXFSZ) leaves the previous
//! output exactly as it was, a signal leaves no temporary file, and printing
//! an error never panics.

mod util;

use std::fs;
use std::path::Path;
use std::process::Stdio;

use util::{afweging, repo_root};

/// Small and fast memo runs.
const FAST: [&str; 6] = [
    "--iterations",
    "2000",
    "--sensitivity-rows",
    "2048",
    "--seed",
    "7",
];

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".afweging-"))
        .collect()
}

#[test]
fn memo_refuses_links_pipes_devices_and_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("real.html");
    fs::write(&target, "previous").unwrap();
    let link = tmp.path().join("link.html");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let fifo = tmp.path().join("pipe.html");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for (out, words) in [
        (link.as_path(), "symbolic link"),
        (fifo.as_path(), "not a regular file"),
        (Path::new("/dev/null"), "not a regular file"),
        (tmp.path(), "folder"),
        (Path::new("."), "folder"),
    ] {
        let run = afweging()
            .args(["memo", "--quiet", "-o"])
            .arg(out)
            .args(FAST)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{}: {stderr}", out.display());
        assert!(stderr.contains(words), "{}: {stderr}", out.display());
    }
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&target).unwrap(), "previous");
    assert!(!fs::symlink_metadata(&fifo).unwrap().file_type().is_file());
    assert!(!fs::metadata("/dev/null").unwrap().file_type().is_file());
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn a_file_size_limit_leaves_the_previous_memo_and_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let memo = tmp.path().join("advies.md");
    let chart = tmp.path().join("advies-tornado.svg");
    fs::write(&memo, "previous memo").unwrap();
    fs::write(&chart, "previous chart").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("afweging");
    // ulimit -f counts 1024-byte blocks: 8 KB is less than one chart.
    let script = format!(
        "ulimit -f 8; exec '{}' --dir '{}' memo --quiet -o '{}' {}",
        bin.display(),
        repo_root().display(),
        memo.display(),
        FAST.join(" ")
    );
    let run = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert_eq!(fs::read_to_string(&memo).unwrap(), "previous memo");
    assert_eq!(fs::read_to_string(&chart).unwrap(), "previous chart");
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
    let mut names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["advies-tornado.svg", "advies.md"]);
}

#[test]
fn sigterm_ends_the_run_as_the_signal_would_and_leaves_nothing() {
    use std::os::unix::process::ExitStatusExt;
    let tmp = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("afweging");
    let mut child = std::process::Command::new(bin)
        .current_dir(repo_root())
        .args(["memo", "--quiet", "--iterations", "100000000", "-o"])
        .arg(tmp.path().join("advies.html"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(15), "{status:?}");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn an_error_printed_to_a_full_or_closed_stderr_keeps_its_exit_code() {
    let bin = assert_cmd::cargo::cargo_bin("afweging");
    let full = std::process::Command::new(&bin)
        .args(["--dir", "/nonexistent-folder", "check"])
        .stderr(
            fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .status()
        .unwrap();
    assert_eq!(full.code(), Some(2));
    let closed = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' --dir /nonexistent-folder check 2>&-",
            bin.display()
        ))
        .status()
        .unwrap();
    assert_eq!(closed.code(), Some(2));
}
