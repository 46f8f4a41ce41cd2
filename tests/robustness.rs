//! Robustness of the command line (issue 12): limits on requests, output
//! formats, escaping of control characters and Markdown structure, table
//! widths. Each test failed before its fix.

mod util;

use std::path::Path;

use util::{afweging, repo_root};

/// The frozen decision: small and stable.
fn frozen() -> std::path::PathBuf {
    repo_root().join("tests").join("data").join("twente-v1")
}

/// Runs `afweging <args> --dir <dir>`: (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = afweging()
        .args(args)
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

/// Asserts a refusal with exit code 2 whose message names every `needle`.
fn assert_refused(dir: &Path, args: &[&str], needles: &[&str]) {
    let (code, out, err) = run(dir, args);
    assert_eq!(code, Some(2), "{args:?}: stdout {out:?} stderr {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: {n:?} not in stderr {err}");
    }
}

#[test]
fn iteration_and_row_counts_beyond_the_limits_are_refused() {
    let d = frozen();
    assert_refused(
        &d,
        &["simulate", "-n", "18446744073709551615"],
        &["--iterations", "1000000000"],
    );
    assert_refused(
        &d,
        &["simulate", "-n", "1000000001"],
        &["--iterations", "1000000000"],
    );
    assert_refused(
        &d,
        &["sensitivity", "-n", "10000000000000"],
        &["--iterations", "10000000"],
    );
    assert_refused(
        &d,
        &["memo", "--iterations", "18446744073709551615"],
        &["--iterations", "1000000000"],
    );
    assert_refused(
        &d,
        &["memo", "--sensitivity-rows", "10000001"],
        &["--sensitivity-rows", "10000000"],
    );
    assert_refused(
        &d,
        &["explore", "-n", "1000000000"],
        &["--scenarios", "20000"],
    );
}

#[test]
fn the_help_states_every_limit() {
    for (cmd, needles) in [
        ("simulate", &["1000000000", "50000000"][..]),
        ("sensitivity", &["10000000"][..]),
        ("memo", &["1000000000", "10000000"][..]),
        ("explore", &["20000"][..]),
    ] {
        let out = afweging().args([cmd, "--help"]).output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        for n in needles {
            assert!(help.contains(n), "{cmd} --help lacks {n}: {help}");
        }
    }
}

/// Three groups of one criterion each, unknown weights, on 0..1 scales.
fn three_group_criteria() -> String {
    let mut crit = String::new();
    for (g, c) in [("g1", "c1"), ("g2", "c2"), ("g3", "c3")] {
        crit.push_str(&format!(
            "[[group]]\nid = \"{g}\"\nname = \"{g}\"\n[[criterion]]\nid = \"{c}\"\ngroup = \"{g}\"\nname = \"{c}\"\nunit = \"u\"\nbetter = \"higher\"\nscale = {{ worst = 0.0, best = 1.0 }}\n"
        ));
    }
    crit
}

#[test]
fn an_output_without_variance_gets_no_sobol_indices_from_rounding_noise() {
    // y is 0.7 on every criterion: its overall value is 0.7 under every
    // weighting, and its draws differ only by rounding (about 1e-17).
    let dir = tempfile::tempdir().unwrap();
    util::write_decision(
        dir.path(),
        &three_group_criteria(),
        &[
            (
                "x",
                "c1 = { uniform = [0, 1], assumption = \"t\" }\nc2 = 0\nc3 = 0",
            ),
            ("y", "c1 = 0.7\nc2 = 0.7\nc3 = 0.7"),
        ],
    );
    let (code, out, err) = run(
        dir.path(),
        &["sensitivity", "-n", "4096", "-f", "json", "-q"],
    );
    assert_eq!(code, Some(0), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sobol = json["sobol"].as_object().unwrap();
    assert!(sobol.contains_key("x"), "{sobol:?}");
    assert!(
        !sobol.contains_key("y"),
        "y has no variance, yet indices {}",
        sobol["y"]
    );
    for (output, per) in sobol {
        for (input, s) in per.as_object().unwrap() {
            let t = s["total"].as_f64().unwrap();
            assert!(t <= 1.0 + 0.1, "{output}/{input}: total {t}");
        }
    }
}
