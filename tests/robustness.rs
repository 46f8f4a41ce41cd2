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
    run_within(dir, args, 600)
}

/// [`run`], killed after `secs` seconds (exit code `None`).
fn run_within(dir: &Path, args: &[&str], secs: u64) -> (Option<i32>, String, String) {
    let out = afweging()
        .args(args)
        .arg("--dir")
        .arg(dir)
        .timeout(std::time::Duration::from_secs(secs))
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
    // A refusal comes at once, before any long run.
    let (code, out, err) = run_within(dir, args, 60);
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

/// Quick memo arguments: a small simulation and the fewest sensitivity rows.
const QUICK_MEMO: [&str; 5] = ["memo", "-n", "2000", "--sensitivity-rows", "2048"];

/// Characters XML 1.0 forbids (even as references) and that a terminal
/// interprets: C0 controls other than tab and line feed, DEL and C1.
fn is_forbidden(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Asserts that `svg` is well-formed XML without forbidden characters.
fn assert_valid_svg(name: &str, svg: &str) {
    if let Some(c) = svg.chars().find(|&c| is_forbidden(c)) {
        panic!("{name}: forbidden character {c:?}");
    }
    let mut reader = quick_xml::Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                t.unescape()
                    .unwrap_or_else(|e| panic!("{name}: bad text: {e}"));
            }
            Ok(_) => {}
            Err(e) => panic!("{name}: not XML at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "{name}: unbalanced elements");
}

/// Every regular file in `dir` whose name ends in `ext`: (name, text).
fn files_ending(dir: &Path, ext: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// A copy of the shipped decision with a bell and an escape sequence in
/// long texts (context, a summary) and, if `in_names`, in an initiative's
/// and a group's name.
fn decision_with_controls(in_names: bool) -> tempfile::TempDir {
    let d = util::copy_of_root_decision();
    let p = d.path();
    util::edit_file(
        &p.join("afweging.toml"),
        "context = \"\"\"",
        "context = \"\"\"Let op\\u0007 \\u001b[31mrood\\u001b[0m.\n\n",
    );
    util::edit_file(
        &p.join("initiatives/burgernet.toml"),
        "summary = \"",
        "summary = \"Bel\\u0007 \\u009b ",
    );
    if in_names {
        util::edit_file(
            &p.join("initiatives/burgernet.toml"),
            "name = \"Burgernet\"",
            "name = \"Burger\\u0007net\\u001b[2J\"",
        );
        util::edit_file(
            &p.join("criteria/twente.toml"),
            "name = { nl = \"Kosten\"",
            "name = { nl = \"Kos\\u0007ten\"",
        );
    }
    d
}

#[test]
fn control_characters_never_reach_the_memo_its_charts_or_the_terminal() {
    for in_names in [false, true] {
        let d = decision_with_controls(in_names);
        let out_dir = tempfile::tempdir().unwrap();
        let mut written = 0;
        for (file, lang) in [("m.md", "nl"), ("m-en.md", "en"), ("m.html", "nl")] {
            let target = out_dir.path().join(file);
            let mut args = QUICK_MEMO.to_vec();
            args.extend(["-q", "--lang", lang, "-o", target.to_str().unwrap()]);
            let (code, _, err) = run(d.path(), &args);
            if code == Some(2) {
                // The loader refuses control characters in ids, names and
                // texts, with their place: fine, as long as it says so.
                assert!(err.contains("control character"), "{file}: {err}");
                assert!(!err.contains('\u{7}'), "the refusal itself echoes no BEL");
                continue;
            }
            assert_eq!(code, Some(0), "{file} (names: {in_names}): {err}");
            written += 1;
        }
        // Either every memo was written (and is checked below) or the
        // loader refused the decision.
        assert!(written == 0 || written == 3, "{written}");
        for (name, text) in files_ending(out_dir.path(), ".svg") {
            assert_valid_svg(&name, &text);
        }
        for ext in [".md", ".html"] {
            for (name, text) in files_ending(out_dir.path(), ext) {
                if let Some(c) = text.chars().find(|&c| is_forbidden(c)) {
                    panic!("{name}: control character {c:?}");
                }
            }
        }
        for cmd in [
            &["score"][..],
            &["score", "-f", "md"],
            &["score", "-f", "csv"],
        ] {
            let (code, out, err) = run(d.path(), cmd);
            if code == Some(2) {
                assert!(err.contains("control character"), "{cmd:?}: {err}");
                if let Some(c) = err.chars().find(|&c| is_forbidden(c)) {
                    panic!("{cmd:?}: the refusal echoes {c:?}");
                }
                continue;
            }
            assert_eq!(code, Some(0), "{cmd:?}: {err}");
            if let Some(c) = out.chars().chain(err.chars()).find(|&c| is_forbidden(c)) {
                panic!("{cmd:?}: control character {c:?} in {out}");
            }
        }
    }
}

#[test]
fn text_that_looks_like_markdown_structure_stays_text_in_the_markdown_memo() {
    let d = util::copy_of_root_decision();
    let p = d.path();
    util::edit_file(
        &p.join("afweging.toml"),
        "context = \"\"\"",
        "context = \"\"\"1. Eerst dit\n\n2) dan dat\n\n> geciteerd\n\n    inspringing\n\n=== lijn\n\n",
    );
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("m.md");
    let mut args = QUICK_MEMO.to_vec();
    args.extend(["-q", "-o", target.to_str().unwrap()]);
    let (code, _, err) = run(p, &args);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(&target).unwrap();
    for line in md.lines() {
        let plain = line.trim_start_matches(|c: char| c.is_ascii_digit());
        let digits = line.len() - plain.len();
        assert!(
            !(digits > 0
                && (plain.starts_with(". ") || plain.starts_with(") "))
                && line.contains("Eerst")
                || line.starts_with("2) dan")
                || line.starts_with("> geciteerd")
                || line.starts_with("    inspringing")
                || line.starts_with("=== lijn")),
            "structure from data: {line:?}"
        );
    }
    assert!(md.contains("1\\. Eerst dit"), "{md}");
}

#[test]
fn chart_links_of_a_memo_with_a_space_in_its_name_are_valid_markdown() {
    let d = frozen();
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("advies 2019.md");
    let mut args = QUICK_MEMO.to_vec();
    args.extend(["-q", "-o", target.to_str().unwrap()]);
    let (code, _, err) = run(&d, &args);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(&target).unwrap();
    let mut links = 0;
    for part in md.split("](").skip(1) {
        let dest = &part[..part.find(')').unwrap()];
        if !dest.ends_with(".svg") && !dest.ends_with(".svg>") {
            continue;
        }
        links += 1;
        // CommonMark: a destination with spaces must be in angle brackets;
        // else it must be percent-encoded.
        let file = if let Some(inner) = dest.strip_prefix('<') {
            inner.strip_suffix('>').unwrap().to_string()
        } else {
            assert!(!dest.contains(' '), "unencoded space in {dest:?}");
            dest.replace("%20", " ")
        };
        assert!(
            out_dir.path().join(&file).is_file(),
            "{file} is not written"
        );
    }
    assert_eq!(links, 5, "{md}");
}

#[test]
fn the_memo_format_follows_the_extension_and_refuses_what_it_cannot_write() {
    let d = frozen();
    let out_dir = tempfile::tempdir().unwrap();
    let o = |name: &str| out_dir.path().join(name).to_string_lossy().into_owned();
    // Refused before any run (the iterations would take hours).
    let refused = |extra: &[&str], needles: &[&str]| {
        let mut args = vec!["memo", "-q", "-n", "1000000000"];
        args.extend(extra);
        assert_refused(&d, &args, needles);
    };
    refused(
        &["-o", &o("advies.pdf")],
        &["advies.pdf", ".html", ".md", "print"],
    );
    refused(&["-o", &o("advies.docx")], &["advies.docx", ".html", ".md"]);
    refused(&["-o", &o("advies")], &["advies", "--format"]);
    refused(
        &["-o", &o("x.md"), "--format", "html"],
        &["x.md", "--format html"],
    );
    refused(
        &["-o", &o("x.HTML"), "--format", "md"],
        &["x.HTML", "--format md"],
    );
    assert_eq!(std::fs::read_dir(out_dir.path()).unwrap().count(), 0);
    // Accepted, case-insensitively; no extension with --format.
    for (name, extra, html) in [
        ("a.HTML", &[][..], true),
        ("b.htm", &[][..], true),
        ("c.Markdown", &[][..], false),
        ("d.MD", &[][..], false),
        ("e", &["--format", "md"][..], false),
        ("f.md", &["--format", "md"][..], false),
    ] {
        let mut args = QUICK_MEMO.to_vec();
        let target = o(name);
        args.extend(["-q", "-o", &target]);
        args.extend(extra);
        let (code, _, err) = run(&d, &args);
        assert_eq!(code, Some(0), "{name}: {err}");
        let text = std::fs::read_to_string(&target).unwrap();
        assert_eq!(text.starts_with("<!DOCTYPE html>"), html, "{name}");
    }
}

#[test]
fn the_memo_reports_progress_for_every_profile_and_for_the_sensitivity_analysis() {
    use afweging::cli::memo::{run_engine, EnginePlan, Phase};
    use afweging::engine::sensitivity::SensitivityPlan;
    use afweging::engine::simulate::{Plan, Stop};
    use std::sync::Mutex;

    let d = afweging::model::load(&frozen()).unwrap();
    let plan = EnginePlan {
        chosen: 0,
        simulation: Plan {
            seed: 1,
            stop: Stop::Iterations(20_000),
            confidence: true,
        },
        sensitivity: SensitivityPlan {
            seed: 1,
            rows: 4096,
        },
    };
    let calls: Mutex<Vec<(Phase, u64, u64)>> = Mutex::new(Vec::new());
    run_engine(&d, &plan, &|phase, done, total| {
        calls.lock().unwrap().push((phase.clone(), done, total));
    })
    .unwrap();
    let calls = calls.into_inner().unwrap();
    let mut phases: Vec<String> = calls.iter().map(|(p, _, _)| p.to_string()).collect();
    phases.dedup();
    let mut expected: Vec<String> = d
        .profiles
        .iter()
        .enumerate()
        .map(|(k, p)| format!("simulating {} ({}/{})", p.id, k + 1, d.profiles.len()))
        .collect();
    expected.push("sensitivity".into());
    assert_eq!(phases, expected);
    let (last, done, total) = calls.last().unwrap();
    assert_eq!((last, done), (&Phase::Sensitivity, total));
    let sensitivity_calls = calls
        .iter()
        .filter(|(p, _, _)| *p == Phase::Sensitivity)
        .count();
    assert!(sensitivity_calls > 2, "{sensitivity_calls} calls");
}

#[test]
fn tables_fit_100_columns_unless_wide() {
    let d = frozen();
    for cmd in [
        &["score"][..],
        &["simulate", "-n", "20000", "-q"],
        &["sensitivity", "-n", "2048", "-q"],
    ] {
        let (code, out, err) = run(&d, cmd);
        assert_eq!(code, Some(0), "{cmd:?}: {err}");
        for line in out.lines() {
            let w = line.chars().count();
            assert!(w <= 100, "{cmd:?}: a line of {w} columns: {line}");
        }
        let mut wide = cmd.to_vec();
        wide.push("--wide");
        let (code, out_wide, err) = run(&d, &wide);
        assert_eq!(code, Some(0), "{wide:?}: {err}");
        // --wide keeps the long lines, and every number is in both.
        let numbers = |s: &str| {
            let mut v: Vec<String> = s
                .split_whitespace()
                .filter(|w| w.parse::<f64>().is_ok())
                .map(String::from)
                .collect();
            v.sort();
            v
        };
        let fit: Vec<String> = numbers(&out);
        let mut all = numbers(&out_wide);
        all.dedup();
        for n in &all {
            assert!(fit.contains(n), "{cmd:?}: {n} lost in the fitted table");
        }
        assert!(
            out_wide.lines().any(|l| l.chars().count() > 100),
            "{wide:?}: nothing is wider than 100"
        );
    }
}

#[test]
fn the_csv_of_a_simulation_names_its_measures_as_the_json_keys() {
    let d = frozen();
    let (_, csv, _) = run(&d, &["simulate", "-n", "20000", "-q", "-f", "csv"]);
    let (_, json, _) = run(&d, &["simulate", "-n", "20000", "-q", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut measures: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    measures.dedup();
    assert!(measures.contains(&"central_weights"), "{measures:?}");
    for m in measures {
        assert!(json.get(m).is_some(), "CSV measure {m} is no JSON key");
    }
}

#[test]
fn every_command_prints_the_whole_input_hash() {
    let d = frozen();
    let (_, json, _) = run(&d, &["score", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hash = json["input_hash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 64);
    for cmd in [
        &["score"][..],
        &["score", "-f", "md"],
        &["simulate", "-n", "20000", "-q"],
        &["sensitivity", "-n", "2048", "-q"],
    ] {
        let (_, out, _) = run(&d, cmd);
        let joined = out.replace("\n  ", " ");
        assert!(joined.contains(&hash), "{cmd:?}: {out}");
    }
}

#[test]
fn a_template_override_that_replaces_nothing_is_refused() {
    let d = frozen();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("html")).unwrap();
    std::fs::write(tmp.path().join("html/advise.html.j2"), "<p>x</p>\n").unwrap();
    std::fs::write(tmp.path().join("README.txt"), "notes\n").unwrap();
    let dir = tmp.path().to_str().unwrap();
    assert_refused(
        &d,
        &["memo", "-q", "-n", "1000000000", "--template-dir", dir],
        &[
            "--template-dir",
            "html/advise.html.j2",
            "html/advies.html.j2",
        ],
    );
    // A correct override (and files that are no templates) are accepted.
    std::fs::remove_file(tmp.path().join("html/advise.html.j2")).unwrap();
    std::fs::write(
        tmp.path().join("html/advies.html.j2"),
        "<p>eigen advies</p>\n",
    )
    .unwrap();
    let mut args = QUICK_MEMO.to_vec();
    args.extend(["-q", "--template-dir", dir]);
    let (code, out, err) = run(&d, &args);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("eigen advies"));
}

#[test]
fn a_file_with_raw_control_bytes_is_quoted_without_them() {
    let d = util::copy_of_root_decision();
    let path = d.path().join("afweging.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // A raw BEL and an escape sequence after a value: a TOML syntax error
    // whose snippet quotes the line.
    let text = text.replacen("decided_by = ", "\u{7}\u{1b}[2J decided_by = ", 1);
    std::fs::write(&path, text).unwrap();
    let (code, _, err) = run(d.path(), &["check"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("afweging.toml:"), "{err}");
    if let Some(c) = err.chars().find(|&c| is_forbidden(c)) {
        panic!("the diagnostic sends {c:?} to the terminal: {err:?}");
    }
    assert!(err.contains('␇'), "{err}");
}
