//! Golden outputs of every command on a frozen copy of the shipped Twente
//! decision (`tests/data/twente-v1/`, the decision as it was in November
//! 2026), so that refactoring cannot change a number unnoticed.
//!
//! The expected files live in `tests/data/twente-v1-expected/`. Only the
//! version is normalised and the generation date pinned (`SOURCE_DATE_EPOCH`); everything else must match
//! byte for byte. A change that moves results on purpose regenerates them with
//! `AFWEGING_BLESS=1 cargo test --test frozen` and says why in its commit.

mod util;

use std::fs;
use std::path::{Path, PathBuf};

use util::{afweging, repo_root};

fn frozen() -> PathBuf {
    repo_root().join("tests/data/twente-v1")
}

fn expected_dir() -> PathBuf {
    repo_root().join("tests/data/twente-v1-expected")
}

/// Replaces the version by a placeholder.
fn normalise(text: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    text.replace(
        &format!("\"version\": \"{version}\""),
        "\"version\": \"[VERSION]\"",
    )
    .replace(&format!("afweging {version}"), "afweging [VERSION]")
    .replace(&format!("afweging v{version}"), "afweging v[VERSION]")
}

/// Compares `actual` (normalised) with the expected file `name`, or writes
/// it when `AFWEGING_BLESS` is set.
fn check(name: &str, actual: &str) {
    let actual = normalise(actual);
    let path = expected_dir().join(name);
    if std::env::var_os("AFWEGING_BLESS").is_some() {
        fs::create_dir_all(expected_dir()).unwrap();
        fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (bless with AFWEGING_BLESS=1)", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map(|i| i + 1)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()) + 1);
        panic!(
            "{name} differs from {} from line {line}:\n  expected: {:?}\n  actual:   {:?}",
            path.display(),
            expected.lines().nth(line - 1).unwrap_or(""),
            actual.lines().nth(line - 1).unwrap_or("")
        );
    }
}

fn stdout_of(args: &[&str]) -> String {
    let out = afweging()
        .env("SOURCE_DATE_EPOCH", "0")
        .arg("--dir")
        .arg(frozen())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "afweging {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn score_is_unchanged_for_every_profile_and_format() {
    for profile in ["dvo", "politie", "inwoners", "onbekend"] {
        let json = stdout_of(&["--profile", profile, "score", "--format", "json"]);
        check(&format!("score-{profile}.json"), &json);
    }
    for format in ["table", "csv", "md"] {
        let text = stdout_of(&["score", "--format", format]);
        check(&format!("score-dvo.{format}"), &text);
    }
}

#[test]
fn simulate_is_unchanged() {
    for profile in ["dvo", "politie"] {
        let json = stdout_of(&[
            "--profile",
            profile,
            "simulate",
            "--iterations",
            "20000",
            "--seed",
            "7",
            "--quiet",
            "--format",
            "json",
        ]);
        check(&format!("simulate-{profile}.json"), &json);
    }
    let csv = stdout_of(&[
        "simulate",
        "--iterations",
        "20000",
        "--seed",
        "7",
        "--quiet",
        "--format",
        "csv",
    ]);
    check("simulate-dvo.csv", &csv);
}

#[test]
fn sensitivity_is_unchanged() {
    let json = stdout_of(&[
        "sensitivity",
        "--iterations",
        "4096",
        "--seed",
        "7",
        "--format",
        "json",
    ]);
    check("sensitivity-dvo.json", &json);
    let md = stdout_of(&[
        "sensitivity",
        "--iterations",
        "4096",
        "--seed",
        "7",
        "--format",
        "md",
    ]);
    check("sensitivity-dvo.md", &md);
}

fn memo(dir: &Path, lang: &str, file: &str) -> String {
    let out = dir.join(file);
    let run = afweging()
        .env("SOURCE_DATE_EPOCH", "0")
        .arg("--dir")
        .arg(frozen())
        .args([
            "memo",
            "--lang",
            lang,
            "--iterations",
            "4000",
            "--sensitivity-rows",
            "2048",
            "--seed",
            "7",
            "--quiet",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "memo failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    fs::read_to_string(out).unwrap()
}

#[test]
fn memo_is_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    check("memo-nl.md", &memo(tmp.path(), "nl", "advies.md"));
    check("memo-en.md", &memo(tmp.path(), "en", "advice.md"));
    check("memo-nl.html", &memo(tmp.path(), "nl", "advies.html"));
    let mut charts: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("advies-") && n.ends_with(".svg"))
        .collect();
    charts.sort();
    for name in charts {
        let svg = fs::read_to_string(tmp.path().join(&name)).unwrap();
        check(&format!("memo-nl-{name}"), &svg);
    }
}
