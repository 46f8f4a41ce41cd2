//! The documented limits of a decision folder (README, "Limits"), end to
//! end through the binary: a decision at the edge of every numeric limit
//! gives finite output in `score`, `simulate`, `sensitivity` and `memo`;
//! just past each limit it is refused with its place; only regular files
//! inside the folder are read; oversized inputs are refused quickly; `init`
//! marks its template and `check` flags what is still the template's.
//!
//! Defects that fit in a committed folder are in `tests/defects/` (run by
//! `tests/cli.rs`); the ones made here are those git cannot hold (FIFOs,
//! links, non-UTF-8 names) or that are large.

mod util;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value as Json;
use util::{afweging, copy_dir, edit_file, repo_root};

/// Longest a refusal may take: it must never wait on a FIFO or read a
/// device, and limits are checked before anything costly.
const REFUSAL_LIMIT: Duration = Duration::from_secs(20);

/// JSON keys whose `null` is part of the schema (no value by design), not
/// a NaN that serde wrote as `null`.
const OPTIONAL_KEYS: &[&str] = &[
    "target_error",
    "taker_below",
    "taker_above",
    "smallest_change",
    "takes_over",
    "evpi_eur",
    "eur_criterion",
    "eur_per_value_unit",
    "evppi_eur",
];

/// A copy of the control folder `tests/defects/_valid` in a temp folder.
fn valid_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/defects/_valid"), tmp.path()).unwrap();
    tmp
}

/// The control folder with every number at the edge of its limit: scale
/// ends ±1e15, curvature `curvature`, beta shapes 1e6 and 0.01, a lognormal
/// p95 1e4 times its median, a normal of mean and sd 1e15, a pert over
/// ±1e15 and a population of 1e9.
fn edge_decision(curvature: &str) -> tempfile::TempDir {
    let tmp = valid_copy();
    let d = tmp.path();
    let c = d.join("criteria/c.toml");
    edit_file(
        &c,
        "scale = { worst = 0.0, best = 100.0 }",
        &format!("scale = {{ worst = 0.0, best = 100.0, curvature = {curvature} }}"),
    );
    edit_file(
        &c,
        "scale = { worst = 60.0, best = 0.0 }",
        "scale = { worst = 1e15, best = -1e15 }",
    );
    let a = d.join("initiatives/alpha.toml");
    edit_file(
        &a,
        "triangular = [10.0, 20.0, 30.0]",
        "beta = { alpha = 1e6, beta = 1e6 }",
    );
    edit_file(
        &a,
        "normal = { mean = 10.0, sd = 2.0 }",
        "normal = { mean = 1e15, sd = 1e15 }",
    );
    edit_file(
        &a,
        "value = 500.0,",
        "lognormal = { median = 1, p95 = 1e4 },",
    );
    let b = d.join("initiatives/beta.toml");
    edit_file(
        &b,
        "uniform = [30.0, 50.0]",
        "beta = { alpha = 0.01, beta = 0.01 }",
    );
    edit_file(&b, "value = 15.0,", "pert = [-1e15, 0, 1e15],");
    edit_file(
        &d.join("afweging.toml"),
        "population = 2000",
        "population = 999999000",
    );
    tmp
}

/// Runs `afweging --dir dir args…`; returns (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = afweging()
        .arg("--dir")
        .arg(dir)
        .args(args)
        .timeout(Duration::from_secs(300))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every `null` in `v` whose key is not in [`OPTIONAL_KEYS`], as a path.
fn unexpected_nulls(v: &Json, path: &str, parent_optional: bool, out: &mut Vec<String>) {
    match v {
        Json::Null if !parent_optional => out.push(path.to_string()),
        Json::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                unexpected_nulls(x, &format!("{path}[{i}]"), parent_optional, out);
            }
        }
        Json::Object(o) => {
            for (k, x) in o {
                let optional = parent_optional || OPTIONAL_KEYS.contains(&k.as_str());
                unexpected_nulls(x, &format!("{path}.{k}"), optional, out);
            }
        }
        _ => {}
    }
}

#[track_caller]
fn finite_json(text: &str, what: &str) -> Json {
    assert!(
        !text.contains("NaN") && !text.contains("inf"),
        "{what}: {text}"
    );
    let v: Json = serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: {e}\n{text}"));
    let mut nulls = Vec::new();
    unexpected_nulls(&v, "", false, &mut nulls);
    assert!(nulls.is_empty(), "{what}: null (NaN) at {nulls:?}");
    v
}

#[test]
fn decisions_at_the_limits_give_finite_results_in_every_command() {
    for curvature in ["-50", "50"] {
        let tmp = edge_decision(curvature);
        let d = tmp.path();
        let what = |c: &str| format!("curvature {curvature}, {c}");
        let (code, out, err) = run(d, &["score", "--format", "json"]);
        assert_eq!(code, Some(0), "{err}");
        finite_json(&out, &what("score"));
        let (code, out, err) = run(d, &["simulate", "-n", "2000", "--format", "json"]);
        assert_eq!(code, Some(0), "{err}");
        let sim = finite_json(&out, &what("simulate"));
        for (id, row) in sim["rank_acceptability"].as_object().unwrap() {
            let sum: f64 = row
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .sum();
            assert!(
                (sum - 1.0).abs() < 1e-9,
                "{}: {id} sums to {sum}",
                what("simulate")
            );
        }
        let (code, out, err) = run(d, &["sensitivity", "-n", "2048", "--format", "json"]);
        assert_eq!(code, Some(0), "{err}");
        finite_json(&out, &what("sensitivity"));
        let memo = d.join("advies.md");
        let (code, _, err) = run(d, &["memo", "-n", "2048", "-o", memo.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{err}");
        let text = fs::read_to_string(&memo).unwrap();
        for bad in ["NaN", "€ –", "null"] {
            assert!(
                !text.contains(bad),
                "{}: the memo shows {bad:?}",
                what("memo")
            );
        }
    }
}

/// The money criterion at its edges: scale ±1e15, weight ~1e-9 of the
/// largest, a per-inhabitant normal of mean and sd 1e15 times 1e9
/// inhabitants. The euro rate (width / weight) and `evpi_eur` stay finite.
#[test]
fn the_euro_conversion_at_the_limits_is_finite() {
    let tmp = valid_copy();
    let d = tmp.path();
    let c = d.join("criteria/c.toml");
    let text = fs::read_to_string(&c)
        .unwrap()
        .replace("\"main\"", "\"cost\"")
        .replace("criteria.main", "criteria.cost");
    fs::write(&c, text).unwrap();
    edit_file(
        &c,
        "scale = { worst = 1000.0, best = 0.0 }",
        "scale = { worst = 1e15, best = -1e15 }",
    );
    edit_file(&c, "annual_cost = 100,", "annual_cost = 51e-9,");
    edit_file(
        &d.join("initiatives/beta.toml"),
        "per_inhabitant = { value = 0.1 }",
        "per_inhabitant = { normal = { mean = 1e15, sd = 1e15 } }",
    );
    edit_file(
        &d.join("afweging.toml"),
        "population = 2000",
        "population = 999999000",
    );
    let (code, out, err) = run(d, &["sensitivity", "-n", "2048", "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let v = finite_json(&out, "sensitivity");
    assert_eq!(v["eur_criterion"], "annual_cost", "{out}");
    for key in ["evpi_eur", "eur_per_value_unit"] {
        assert!(
            v[key].as_f64().is_some_and(f64::is_finite),
            "{key}: {}",
            v[key]
        );
    }
    let memo = d.join("advies.md");
    let (code, _, err) = run(d, &["memo", "-n", "2048", "-o", memo.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let text = fs::read_to_string(&memo).unwrap();
    assert!(!text.contains("NaN") && !text.contains("€ –"), "{text}");
}

#[test]
fn just_past_each_limit_the_input_is_refused_at_its_place() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "criteria/c.toml",
            "scale = { worst = 0.0, best = 100.0 }",
            "scale = { worst = 0.0, best = 100.0, curvature = -50.001 }",
            "criteria/c.toml:20:9",
        ),
        (
            "criteria/c.toml",
            "scale = { worst = 60.0, best = 0.0 }",
            "scale = { worst = 1.000001e15, best = 0.0 }",
            "criteria/c.toml:28:9",
        ),
        (
            "initiatives/alpha.toml",
            "triangular = [10.0, 20.0, 30.0]",
            "beta = { alpha = 1.000001e6, beta = 1 }",
            "initiatives/alpha.toml:7:24",
        ),
        (
            "initiatives/alpha.toml",
            "triangular = [10.0, 20.0, 30.0]",
            "beta = { alpha = 0.0099, beta = 1 }",
            "initiatives/alpha.toml:7:24",
        ),
        (
            "initiatives/alpha.toml",
            "triangular = [10.0, 20.0, 30.0]",
            "lognormal = { median = 1, p95 = 10001 }",
            "initiatives/alpha.toml:7:29",
        ),
        (
            "initiatives/alpha.toml",
            "triangular = [10.0, 20.0, 30.0]",
            "pert = [-1.000001e15, 0, 1]",
            "initiatives/alpha.toml:7:24",
        ),
        (
            "afweging.toml",
            "population = 2000",
            "population = 999999001",
            "afweging.toml:10:31",
        ),
    ];
    for (file, old, new, place) in cases {
        let tmp = valid_copy();
        edit_file(&tmp.path().join(file), old, new);
        let (code, _, err) = run(tmp.path(), &["check"]);
        assert_eq!(code, Some(2), "{new}: {err}");
        assert!(
            err.contains(place) && err.contains("limit"),
            "{new}: expected {place}: {err}"
        );
    }
}

#[test]
fn quantile_tables_at_the_shape_limits_build_in_bounded_time() {
    for dist in [
        "beta = { alpha = 1e6, beta = 1e6 }",
        "beta = { alpha = 0.01, beta = 0.01 }",
        "beta = { alpha = 1e6, beta = 0.01 }",
        "pert = [-1e15, 0, 1]",
        "pert = [1e14, 1e14, 1.0000001e14]",
    ] {
        let tmp = valid_copy();
        edit_file(
            &tmp.path().join("initiatives/alpha.toml"),
            "triangular = [10.0, 20.0, 30.0]",
            dist,
        );
        let t = Instant::now();
        let (code, out, err) = run(tmp.path(), &["simulate", "-n", "1", "--format", "json"]);
        let took = t.elapsed();
        println!("simulate -n 1 with {dist}: {took:?}");
        assert_eq!(code, Some(0), "{dist}: {err}");
        // One draw: an initiative that never ranks first has no central
        // weights (null by design); the values must still be finite.
        let v: Json = serde_json::from_str(&out).unwrap();
        let mut nulls = Vec::new();
        unexpected_nulls(&v["value"], "value", false, &mut nulls);
        assert!(nulls.is_empty(), "{dist}: {nulls:?}");
        assert!(took < Duration::from_secs(60), "{dist}: {took:?}");
    }
}

/// Runs `check` on a copy of the control folder with `make(initiatives/)`
/// applied; requires a refusal naming `initiatives/x.toml` with `reason`.
#[cfg(unix)]
fn refused_with(make: impl FnOnce(&Path, &Path), reason: &str) {
    let tmp = valid_copy();
    let outside = tempfile::tempdir().unwrap();
    make(&tmp.path().join("initiatives"), outside.path());
    let t = Instant::now();
    let (code, out, err) = run(tmp.path(), &["check"]);
    assert!(t.elapsed() < REFUSAL_LIMIT, "{reason}: {:?}", t.elapsed());
    assert_eq!(code, Some(2), "{reason}: {out}{err}");
    assert!(
        err.contains("initiatives/x.toml") && err.contains(reason),
        "expected {reason}: {err}"
    );
}

#[cfg(unix)]
#[test]
fn only_regular_files_inside_the_folder_are_read() {
    use std::os::unix::fs::symlink;
    refused_with(
        |i, _| symlink(i.join("nowhere.toml"), i.join("x.toml")).unwrap(),
        "which does not exist",
    );
    refused_with(
        |i, _| symlink(i.join("x.toml"), i.join("x.toml")).unwrap(),
        "cannot be followed",
    );
    refused_with(
        |i, _| symlink("/dev/zero", i.join("x.toml")).unwrap(),
        "outside the decision folder",
    );
    refused_with(
        |i, outside| {
            fs::copy(i.join("alpha.toml"), outside.join("gamma.toml")).unwrap();
            symlink(outside.join("gamma.toml"), i.join("x.toml")).unwrap();
        },
        "outside the decision folder",
    );
    refused_with(
        |i, _| fs::create_dir(i.join("x.toml")).unwrap(),
        "is a folder, not a regular file",
    );
    refused_with(
        |i, _| {
            let ok = std::process::Command::new("mkfifo")
                .arg(i.join("x.toml"))
                .status()
                .unwrap();
            assert!(ok.success());
        },
        "is a FIFO (named pipe), not a regular file",
    );
}

#[cfg(unix)]
#[test]
fn a_link_to_a_regular_file_inside_the_folder_is_followed() {
    let tmp = valid_copy();
    let d = tmp.path();
    fs::create_dir(d.join("shared")).unwrap();
    fs::write(
        d.join("shared/gamma.toml"),
        fs::read_to_string(d.join("initiatives/alpha.toml"))
            .unwrap()
            .replace("\"alpha\"", "\"gamma\""),
    )
    .unwrap();
    std::os::unix::fs::symlink("../shared/gamma.toml", d.join("initiatives/gamma.toml")).unwrap();
    // An editor's lock file is a dangling link with a hidden name: skipped.
    std::os::unix::fs::symlink("user@host.1234", d.join("initiatives/.#alpha.toml")).unwrap();
    let (code, out, err) = run(d, &["check"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("initiatives (3;"), "{out}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_named() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = valid_copy();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.toml");
    fs::copy(
        tmp.path().join("initiatives/alpha.toml"),
        tmp.path().join("initiatives").join(name),
    )
    .unwrap();
    let (code, _, err) = run(tmp.path(), &["check"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("caf\u{fffd}.toml: error: the file name is not valid UTF-8"),
        "{err}"
    );
    assert!(!err.contains("No such file"), "{err}");
}

#[test]
fn oversized_files_and_ids_are_refused_quickly() {
    // A 13 MB initiative file used 920 MB to parse: now refused unread.
    let tmp = valid_copy();
    let big = tmp.path().join("initiatives/alpha.toml");
    let text = fs::read_to_string(&big).unwrap();
    fs::write(&big, format!("{text}# {}\n", "x".repeat(13 << 20))).unwrap();
    let t = Instant::now();
    let (code, _, err) = run(tmp.path(), &["check"]);
    assert!(t.elapsed() < REFUSAL_LIMIT, "{:?}", t.elapsed());
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("initiatives/alpha.toml: error: the file is 13631"),
        "{err}"
    );
    // A 1 MB id fits in a file but not in an id.
    let tmp = valid_copy();
    edit_file(
        &tmp.path().join("initiatives/alpha.toml"),
        "id = \"alpha\"",
        &format!("id = \"{}\"", "a".repeat(1_000_000)),
    );
    let (code, out, err) = run(
        tmp.path(),
        &["sensitivity", "-n", "2048", "--format", "json"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        out.is_empty() && err.len() < 10_000,
        "{} bytes of stderr",
        err.len()
    );
    assert!(err.contains("more than the limit of 64 for an id"), "{err}");
}

#[test]
fn forty_thousand_unknown_keys_are_reported_in_linear_time() {
    let tmp = valid_copy();
    let keys: String = (0..40_000).map(|k| format!("k{k} = 1\n")).collect();
    edit_file(
        &tmp.path().join("initiatives/alpha.toml"),
        "[values]\n",
        &format!("[values]\n{keys}"),
    );
    let t = Instant::now();
    let (code, _, err) = run(tmp.path(), &["check"]);
    let took = t.elapsed();
    println!("check with 40,000 unknown keys: {took:?}");
    assert_eq!(code, Some(2));
    assert!(err.contains("initiatives/alpha.toml:40005:1: error: unknown criterion `k39999`"));
    // Measured in a debug build: 21 s before the line index, about 1 s after.
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn init_refuses_a_profile_and_check_flags_the_template_until_its_marker_goes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("regio");
    afweging()
        .args(["--profile", "x", "init"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`init` does not use --profile"));
    assert!(!dir.exists());
    afweging().arg("init").arg(&dir).assert().success();
    let (code, out, err) = run(&dir, &["check"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("still mentions Twente, the region of the template `twente-2019`"));
    assert!(out.contains("the scale of `annual_cost` (0 to 150000 EUR/jaar) was sized for Twente"));
    // Once the folder is the user's own, the marker goes and so do the warnings.
    edit_file(
        &dir.join("afweging.toml"),
        "template = \"twente-2019\"\n",
        "",
    );
    let (code, out, _) = run(&dir, &["check"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("warnings: 0"), "{out}");
}

#[test]
fn a_cost_scale_far_wider_than_the_costs_is_flagged() {
    let tmp = valid_copy();
    edit_file(
        &tmp.path().join("criteria/c.toml"),
        "scale = { worst = 1000.0, best = 0.0 }",
        "scale = { worst = 150000.0, best = 0.0 }",
    );
    let (code, out, _) = run(tmp.path(), &["check"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("criteria/c.toml:11:9: warning: every initiative's value of `annual_cost` lies between 300 and 500 EUR/year, within 1% of one end of its scale (0 to 150000)"),
        "{out}"
    );
}

/// `sources.toml` meets the same file checks as every decision file.
#[cfg(unix)]
#[test]
fn sources_toml_is_read_only_as_a_regular_file() {
    for (make, reason) in [
        (
            (|d: &Path| fs::create_dir(d.join("sources.toml")).unwrap()) as fn(&Path),
            "is a folder, not a regular file",
        ),
        (
            |d: &Path| std::os::unix::fs::symlink("/dev/zero", d.join("sources.toml")).unwrap(),
            "outside the decision folder",
        ),
    ] {
        let tmp = valid_copy();
        make(tmp.path());
        let (code, out, err) = run(tmp.path(), &["check"]);
        assert_eq!(code, Some(2), "{reason}: {out}{err}");
        assert!(
            err.contains("sources.toml") && err.contains(reason),
            "{err}"
        );
    }
}
