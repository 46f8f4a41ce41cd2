//! End-to-end tests of the `afweging` binary: the defect catalogue in
//! `tests/defects/`, `check` and `score` on the shipped decision, and the
//! command line's handling of bad arguments.

mod util;

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use util::{afweging, copy_dir, copy_of_root_decision, edit_file, repo_root};

/// The last line of a successful `check`.
const CHECK_OK: &str = "ok: the decision folder is valid";

/// The profiles of the shipped decision, default first.
const ROOT_PROFILES: [&str; 4] = ["dvo", "politie", "inwoners", "onbekend"];

fn defects_dir() -> PathBuf {
    repo_root().join("tests").join("defects")
}

/// Every defect folder, sorted by name (`_valid`, the control, is not one).
fn defect_folders() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(defects_dir())
        .expect("tests/defects/ exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    dirs.sort();
    dirs
}

/// The non-empty lines of a file (missing file: none).
fn lines_of(path: &Path) -> Vec<String> {
    match fs::read_to_string(path) {
        Ok(text) => text
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .map(String::from)
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Runs `afweging <extra args> <command> --dir <dir>` and returns (code, stdout, stderr).
fn run_on(dir: &Path, command: &[&str], extra: &[String]) -> (Option<i32>, String, String) {
    let out = afweging()
        .args(extra)
        .args(command)
        .arg("--dir")
        .arg(dir)
        .output()
        .expect("the binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ------------------------------------------------------------------ the defect catalogue

/// Each folder in tests/defects/ is a decision with one defect; `check` (and
/// `score`) must refuse it with exit code 2 and say where and what.
///
/// Per folder: `expect.txt` lists substrings the error output must contain
/// (one per line); optional `args.txt` lists extra arguments (one per line),
/// put before the subcommand.
#[test]
fn every_defect_is_reported_with_its_place() {
    let folders = defect_folders();
    assert!(!folders.is_empty(), "no defect folders found");
    let mut failures = Vec::new();
    for dir in &folders {
        let kind = dir.file_name().unwrap().to_string_lossy().into_owned();
        let rel = PathBuf::from("tests").join("defects").join(&kind);
        let expect = lines_of(&dir.join("expect.txt"));
        if expect.is_empty() {
            failures.push(format!("{kind}: expect.txt is missing or empty"));
            continue;
        }
        let extra = lines_of(&dir.join("args.txt"));
        for command in [&["check"][..], &["score"][..]] {
            let (code, stdout, stderr) = run_on(&rel, command, &extra);
            let mut problems = Vec::new();
            if code != Some(2) {
                problems.push(format!("exit code {code:?}, expected 2"));
            }
            if stderr.contains("panicked") {
                problems.push("the binary panicked".to_string());
            }
            if stdout.contains(CHECK_OK) {
                problems.push("stdout holds a success summary".to_string());
            }
            // `score` must refuse the folder; the exact messages are checked on `check`.
            if command == ["check"] {
                for e in &expect {
                    if !stderr.contains(e.as_str()) {
                        problems.push(format!("stderr lacks {e:?}"));
                    }
                }
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "{kind} ({}):\n  - {}\n  --- stdout:\n{stdout}\n  --- stderr:\n{stderr}",
                    command.join(" "),
                    problems.join("\n  - ")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} defect checks failed:\n\n{}",
        failures.len(),
        folders.len() * 2,
        failures.join("\n\n")
    );
}

/// The control folder every defect folder is derived from is valid, without
/// warnings, and scores with both of its profiles: so each defect folder
/// fails for its own defect only.
#[test]
fn valid_control_folder_passes() {
    let dir = Path::new("tests/defects/_valid");
    afweging()
        .args(["check", "--strict", "--dir"])
        .arg(dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("warnings: 0"))
        .stdout(predicate::str::contains(CHECK_OK));
    for p in ["base", "ranked"] {
        afweging()
            .args(["--profile", p, "score", "--format", "csv", "--dir"])
            .arg(dir)
            .assert()
            .success()
            .stderr(predicate::str::is_empty())
            .stdout(predicate::str::contains("alpha"))
            .stdout(predicate::str::contains("beta"));
    }
}

/// The catalogue covers at least these kinds (guards against a folder being
/// deleted or renamed by accident).
#[test]
fn defect_catalogue_is_complete() {
    let have: Vec<String> = defect_folders()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for kind in [
        "toml_syntax",
        "wrong_type",
        "unknown_key",
        "missing_key",
        "unknown_id",
        "unknown_group",
        "duplicate_id",
        "duplicate_criterion_id",
        "duplicate_source_id",
        "empty_group",
        "missing_value",
        "invalid_distribution",
        "invalid_distribution_sd",
        "nan_value",
        "inf_value",
        "zero_width_scale",
        "wrong_direction_scale",
        "infeasible_bounds",
        "mixed_weight_forms",
        "ranking_incomplete",
        "empty_criteria_folder",
        "missing_initiatives_folder",
        "missing_afweging_toml",
        "not_utf8",
        "empty_file",
        "unknown_profile",
        "nonpositive_population",
    ] {
        assert!(
            have.iter().any(|h| h == kind),
            "tests/defects/{kind} is missing"
        );
    }
}

/// The not_utf8 fixture is committed with a Latin-1 byte (0xE9, "é"); make
/// sure no editor or tool has re-encoded it.
#[test]
fn not_utf8_fixture_holds_a_latin1_byte() {
    let bytes = fs::read(defects_dir().join("not_utf8/initiatives/beta.toml")).unwrap();
    assert!(bytes.contains(&0xE9), "the Latin-1 byte 0xE9 is gone");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture became valid UTF-8"
    );
}

/// A file that is not UTF-8, written at runtime into a copy of the shipped
/// decision: the error names the file, line and column.
#[test]
fn not_utf8_written_at_runtime() {
    let tmp = copy_of_root_decision();
    let path = tmp.path().join("initiatives/nlalert.toml");
    let mut bytes = b"id = \"nlalert\"\nname = \"NL-Alert \xE9\xE9n\"\n".to_vec();
    let rest = fs::read_to_string(&path).unwrap();
    let rest: String = rest
        .lines()
        .filter(|l| !l.starts_with("id = ") && !l.starts_with("name = "))
        .map(|l| format!("{l}\n"))
        .collect();
    bytes.extend_from_slice(rest.as_bytes());
    fs::write(&path, bytes).unwrap();
    afweging()
        .arg("check")
        .arg("--dir")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("initiatives/nlalert.toml:2:18"))
        .stderr(predicate::str::contains("UTF-8"))
        .stderr(predicate::str::contains("panicked").not());
}

// ------------------------------------------------------------------ all errors, not the first

#[test]
fn all_errors_of_a_run_are_reported() {
    let tmp = copy_of_root_decision();
    // Defect 1: an unknown key in the criteria file.
    edit_file(
        &tmp.path().join("criteria/twente.toml"),
        "id = \"annual_cost\"\n",
        "id = \"annual_cost\"\ndescripton = \"typo\"\n",
    );
    // Defect 2: a NaN in an initiative.
    edit_file(
        &tmp.path().join("initiatives/amberalert.toml"),
        "burglary_reduction = { value = 0.0,",
        "burglary_reduction = { value = nan,",
    );
    afweging()
        .arg("check")
        .arg("--dir")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stdout(predicate::str::contains(CHECK_OK).not())
        .stderr(predicate::str::contains("criteria/twente.toml:21:1"))
        .stderr(predicate::str::contains("unknown key `descripton`"))
        .stderr(predicate::str::contains(
            "initiatives/amberalert.toml:21:32",
        ))
        .stderr(predicate::str::contains("NaN"))
        .stderr(predicate::str::contains("has 2 errors"));
}

#[test]
fn a_misspelled_value_key_is_one_error_not_two() {
    let tmp = copy_of_root_decision();
    edit_file(
        &tmp.path().join("initiatives/whatsapp.toml"),
        "\nreach_share = ",
        "\nreach_shar = ",
    );
    afweging()
        .arg("check")
        .arg("--dir")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown criterion `reach_shar`"))
        .stderr(predicate::str::contains("did you mean `reach_share`?"))
        .stderr(predicate::str::contains("missing value").not())
        .stderr(predicate::str::contains("has 1 error"));
}

#[test]
fn init_refuses_the_global_dir_instead_of_ignoring_it() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["--dir", "x", "init", "y"][..],
        &["--dir", "x", "init"][..],
    ] {
        let out = afweging()
            .current_dir(tmp.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn init_copies_the_shipped_decision_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nieuw");
    afweging().arg("init").arg(&dir).assert().success();
    // The same files but for the template marker (and its comment), so
    // without it the same input hash as the repository root.
    let frame = dir.join("afweging.toml");
    let text = std::fs::read_to_string(&frame).unwrap();
    let start = text.find("# Made by `afweging init`").unwrap();
    let end = text.find("template = \"twente-2019\"\n\n").unwrap()
        + "template = \"twente-2019\"\n\n".len();
    std::fs::write(&frame, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let hash = |d: &std::path::Path| {
        let out = afweging()
            .arg("check")
            .arg("--dir")
            .arg(d)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .find(|l| l.starts_with("input hash:"))
            .unwrap()
            .to_string()
    };
    assert_eq!(hash(&dir), hash(&repo_root()));
    afweging()
        .arg("init")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
}

// ------------------------------------------------------------------ check on the shipped decision

#[test]
fn check_root_succeeds_without_warnings() {
    afweging()
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("warnings: 0"))
        .stdout(predicate::str::contains(CHECK_OK));
}

#[test]
fn check_strict_root_succeeds() {
    afweging()
        .args(["check", "--strict"])
        .assert()
        .success()
        .stdout(predicate::str::contains(CHECK_OK));
}

#[test]
fn check_with_every_root_profile_succeeds() {
    for p in ROOT_PROFILES {
        afweging()
            .args(["--profile", p, "check"])
            .assert()
            .success();
    }
}

/// A temp copy of the root decision with one value's provenance removed.
fn copy_without_one_source() -> tempfile::TempDir {
    let tmp = copy_of_root_decision();
    let path = tmp.path().join("initiatives/amberalert.toml");
    let text = fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("annual_cost = "))
        .expect("amberalert.toml has an annual_cost value")
        .to_string();
    assert!(line.contains("assumption") || line.contains("source"));
    edit_file(&path, &line, "annual_cost = { value = 0.0 }");
    tmp
}

#[test]
fn missing_provenance_is_a_warning() {
    let tmp = copy_without_one_source();
    let out = afweging()
        .arg("check")
        .arg("--dir")
        .arg(tmp.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("warnings: 1"))
        .get_output()
        .clone();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("initiatives/amberalert.toml:14:"), "{all}");
    assert!(all.contains("warning"), "{all}");
    assert!(all.contains("annual_cost"), "{all}");
    assert!(all.contains("no source or assumption"), "{all}");
}

#[test]
fn missing_provenance_fails_strict_check() {
    let tmp = copy_without_one_source();
    afweging()
        .args(["check", "--strict"])
        .arg("--dir")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stdout(predicate::str::contains(CHECK_OK).not())
        .stderr(predicate::str::contains("initiatives/amberalert.toml:14:"))
        .stderr(predicate::str::contains("no source or assumption"));
}

#[test]
fn missing_provenance_still_scores_with_a_warning() {
    let tmp = copy_without_one_source();
    afweging()
        .arg("score")
        .arg("--dir")
        .arg(tmp.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("no source or assumption"));
}

#[test]
fn a_copy_of_the_root_decision_checks_like_the_root() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("twente");
    let root = repo_root();
    fs::create_dir(&dest).unwrap();
    fs::copy(root.join("afweging.toml"), dest.join("afweging.toml")).unwrap();
    fs::copy(root.join("sources.toml"), dest.join("sources.toml")).unwrap();
    copy_dir(&root.join("criteria"), &dest.join("criteria")).unwrap();
    copy_dir(&root.join("initiatives"), &dest.join("initiatives")).unwrap();
    let hash = |dir: &Path| -> String {
        let out = afweging()
            .arg("check")
            .arg("--dir")
            .arg(dir)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8_lossy(&out)
            .lines()
            .find_map(|l| l.strip_prefix("input hash: ").map(String::from))
            .expect("check prints the input hash")
    };
    assert_eq!(hash(&root), hash(&dest), "same files, same input hash");
}

// ------------------------------------------------------------------ score on the shipped decision

fn score_json(profile: Option<&str>) -> serde_json::Value {
    let mut cmd = afweging();
    if let Some(p) = profile {
        cmd.args(["--profile", p]);
    }
    let out = cmd
        .args(["score", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("score --format json prints JSON")
}

#[test]
fn score_json_has_the_documented_shape() {
    let v = score_json(None);
    for key in ["version", "profile", "input_hash", "initiatives"] {
        assert!(v.get(key).is_some(), "JSON lacks `{key}`: {v}");
    }
    let inits = v["initiatives"]
        .as_array()
        .expect("initiatives is an array");
    assert_eq!(inits.len(), 5);
    for (i, init) in inits.iter().enumerate() {
        for key in ["rank", "total", "groups", "criteria"] {
            assert!(init.get(key).is_some(), "initiative {i} lacks `{key}`");
        }
        assert_eq!(init["rank"].as_u64(), Some(i as u64 + 1), "ranks run 1..5");
        let total = init["total"].as_f64().expect("total is a number");
        assert!((0.0..=1.0).contains(&total), "total {total} outside [0, 1]");
    }
    let totals: Vec<f64> = inits.iter().map(|i| i["total"].as_f64().unwrap()).collect();
    assert!(
        totals.windows(2).all(|w| w[0] >= w[1]),
        "initiatives are sorted by total: {totals:?}"
    );
    let hash = v["input_hash"].as_str().expect("input_hash is a string");
    assert_eq!(hash.len(), 64, "a SHA-256 in hex");
}

#[test]
fn score_in_every_format() {
    afweging()
        .arg("score")
        .assert()
        .success()
        .stdout(predicate::str::contains("nlalert"));
    afweging()
        .args(["score", "--format", "table"])
        .assert()
        .success()
        .stdout(predicate::str::contains("rank"));
    score_json(None);
    let csv = afweging()
        .args(["score", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let csv = String::from_utf8(csv).expect("csv is UTF-8");
    assert_eq!(csv.lines().count(), 6, "header + 5 initiatives:\n{csv}");
    let width = csv.lines().next().unwrap().split(',').count();
    assert!(
        csv.lines().all(|l| l.split(',').count() == width),
        "every csv row has {width} fields:\n{csv}"
    );
    afweging()
        .args(["score", "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::contains("|---"));
}

#[test]
fn every_root_profile_scores() {
    for p in ROOT_PROFILES {
        let v = score_json(Some(p));
        assert_eq!(v["profile"]["id"].as_str(), Some(p), "{v}");
        assert_eq!(v["initiatives"].as_array().map(Vec::len), Some(5));
        for format in ["table", "csv", "md"] {
            afweging()
                .args(["--profile", p, "score", "--format", format])
                .assert()
                .success();
        }
    }
}

/// Slack for totals worked out by hand (a few roundings of sums of products).
const HAND_TOL: f64 = 1e-12;

/// The deterministic score of a small decision against totals worked out by
/// hand: swing points on both levels, a lower-is-better criterion, a value
/// beyond the worst end (clamped to 0), and the most likely points of a PERT
/// and a triangular value (their modes).
#[test]
fn score_totals_match_hand_computed_values() {
    let dir = tempfile::tempdir().unwrap();
    let criterion = |id: &str, group: &str, better: &str, worst: f64, best: f64| {
        format!(
            "[[criterion]]\nid = \"{id}\"\ngroup = \"{group}\"\nname = \"{id}\"\nunit = \"u\"\nbetter = \"{better}\"\nscale = {{ worst = {worst:?}, best = {best:?} }}\n"
        )
    };
    let crit = [
        "[[group]]\nid = \"g1\"\nname = \"g1\"\n[[group]]\nid = \"g2\"\nname = \"g2\"\n".to_string(),
        criterion("c1", "g1", "higher", 0.0, 10.0),
        criterion("c2", "g1", "lower", 100.0, 0.0),
        criterion("c3", "g2", "higher", 0.0, 1.0),
        "[[profile]]\nid = \"p\"\nname = \"p\"\ngroups = { g1 = 60, g2 = 40 }\ncriteria.g1 = { c1 = 3, c2 = 1 }\n".to_string(),
    ]
    .concat();
    util::write_decision(
        dir.path(),
        &crit,
        &[
            ("x", "c1 = 4\nc2 = 25\nc3 = 0.5"),
            (
                "y",
                "c1 = 8\nc2 = 60\nc3 = { pert = [0, 0.2, 1], assumption = \"t\" }",
            ),
            (
                "z",
                "c1 = { triangular = [0, 10, 10], assumption = \"t\" }\nc2 = 120\nc3 = 0.1",
            ),
        ],
    );
    let out = afweging()
        .arg("--dir")
        .arg(dir.path())
        .args(["score", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    // Global weights: c1 = 0.6 · 3/4 = 0.45, c2 = 0.6 · 1/4 = 0.15, c3 = 0.4.
    // x: 0.45 · 0.4 + 0.15 · 0.75 + 0.4 · 0.5 = 0.4925
    // y: 0.45 · 0.8 + 0.15 · 0.4 + 0.4 · 0.2 = 0.5
    // z: 0.45 · 1 + 0.15 · 0 + 0.4 · 0.1 = 0.49
    let expected = [("y", 1, 0.5), ("x", 2, 0.4925), ("z", 3, 0.49)];
    let inits = v["initiatives"].as_array().expect("initiatives");
    assert_eq!(inits.len(), expected.len(), "{v}");
    for (row, (id, rank, total)) in inits.iter().zip(expected) {
        assert_eq!(row["id"].as_str(), Some(id), "{v}");
        assert_eq!(row["rank"].as_u64(), Some(rank), "{id}");
        let got = row["total"].as_f64().unwrap();
        assert!(
            (got - total).abs() <= HAND_TOL,
            "{id}: total {got}, by hand {total}"
        );
    }
    for (id, w) in [("c1", 0.45), ("c2", 0.15), ("c3", 0.4)] {
        let c = v["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap();
        let got = c["weight"].as_f64().unwrap();
        assert!(
            (got - w).abs() <= HAND_TOL,
            "{id}: weight {got}, by hand {w}"
        );
    }
}

#[test]
fn unknown_profile_on_root_lists_the_profiles() {
    let mut assert = afweging()
        .args(["--profile", "dvoo", "score"])
        .assert()
        .code(2);
    for p in ROOT_PROFILES {
        assert = assert.stderr(predicate::str::contains(format!("`{p}`")));
    }
    assert.stderr(predicate::str::contains("unknown profile `dvoo`"));
}

// ------------------------------------------------------------------ bad arguments

#[test]
fn nonexistent_dir_is_a_clear_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-decision");
    for command in ["check", "score"] {
        afweging()
            .arg(command)
            .arg("--dir")
            .arg(&missing)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("no-such-decision"))
            .stderr(predicate::str::contains("does not exist"))
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn dir_that_is_a_file_is_an_input_error() {
    afweging()
        .args(["check", "--dir", "afweging.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a folder"));
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    afweging()
        .arg("bogus")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bogus"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    afweging()
        .args(["check", "--bogus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--bogus"));
    afweging()
        .args(["score", "--format", "xml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("xml"));
}

#[test]
fn no_subcommand_is_a_usage_error() {
    afweging().assert().code(2);
}

#[test]
fn help_and_version_succeed() {
    afweging()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("check"))
        .stdout(predicate::str::contains("score"));
    afweging()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}
