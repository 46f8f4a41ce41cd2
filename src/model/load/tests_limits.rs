//! Unit tests of the loader's limits (README, "Limits"), from in-memory
//! text: each input that once gave NaN, hung, overflowed, cost quadratic
//! time or was misreported is refused at its place (or warned about), and
//! the limits themselves are accepted.

use std::time::{Duration, Instant};

use super::tests::{edit, errors, only_error, with, ALPHA, BETA, CRITERIA, FRAME};
use super::*;

/// Every warning as `location: message`.
fn warnings(sources: &Sources) -> Vec<String> {
    let d = load_from(sources).unwrap_or_else(|e| panic!("refused: {e}"));
    d.warnings
        .iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

#[test]
fn curvature_beyond_the_limit_is_refused_at_the_scale() {
    let at = |c: &str| {
        edit(
            "criteria/c.toml",
            "scale = { worst = 0.0, best = 100.0 }",
            &format!("scale = {{ worst = 0.0, best = 100.0, curvature = {c} }}"),
        )
    };
    only_error(
        at("-1000"),
        "criteria/c.toml:24:9",
        "curvature -1000 is beyond the limit of ±50",
    );
    only_error(at("50.01"), "criteria/c.toml:24:9", "beyond the limit");
    assert!(errors(&at("-50")).is_empty());
    assert!(errors(&at("50")).is_empty());
}

#[test]
fn scale_ends_beyond_1e15_are_refused_without_309_digits() {
    let s = edit(
        "criteria/c.toml",
        "scale = { worst = 0.0, best = 100.0 }",
        "scale = { worst = -1e308, best = 1e308 }",
    );
    only_error(
        s.clone(),
        "criteria/c.toml:24:9",
        "the scale contains -1e308, beyond the limit of ±1e15",
    );
    let ok = edit(
        "criteria/c.toml",
        "scale = { worst = 0.0, best = 100.0 }",
        "scale = { worst = -1e15, best = 1e15 }",
    );
    assert!(errors(&ok).is_empty());
    let narrow = edit(
        "criteria/c.toml",
        "scale = { worst = 0.0, best = 100.0 }",
        "scale = { worst = 1e6, best = 1.0000000001e6 }",
    );
    only_error(narrow, "criteria/c.toml:24:9", "too narrow");
}

#[test]
fn distributions_beyond_the_limits_are_refused_at_their_value() {
    let share = |d: &str| {
        edit(
            "initiatives/alpha.toml",
            "share = { triangular = [10.0, 20.0, 30.0], assumption = \"Estimate\" }",
            &format!("share = {{ {d}, assumption = \"Estimate\" }}"),
        )
    };
    only_error(
        share("pert = [-1e308, 0, 1e308]"),
        "initiatives/alpha.toml:7:18",
        "beyond the limit of ±1e15",
    );
    only_error(
        share("pert = [-4.5e307, 0, 1]"),
        "initiatives/alpha.toml:7:18",
        "pert min is -4.5e307",
    );
    only_error(
        share("beta = { alpha = 1e16, beta = 1e16 }"),
        "initiatives/alpha.toml:7:18",
        "beta shape parameters must lie within the limits 0.01 to 1e6",
    );
    only_error(
        share("lognormal = { median = 1e-300, p95 = 1e15 }"),
        "initiatives/alpha.toml:7:23",
        "beyond the limit of 1e4 times the median",
    );
    only_error(
        share("triangular = [10.0, 20.0, 30.0], clamp = [-1e308, 1e308]"),
        "initiatives/alpha.toml:7:52",
        "`clamp` bound -1e308 is beyond the limit of ±1e15",
    );
    only_error(
        share("uniform = [1e9, 1.0000000000001e9]"),
        "initiatives/alpha.toml:7:21",
        "too narrow",
    );
    // At the limits: accepted (values beyond the scale are only warned about).
    for ok in [
        "pert = [-1e15, 0, 1e15]",
        "beta = { alpha = 1e6, beta = 1e6 }",
        "beta = { alpha = 0.01, beta = 0.01 }",
        "lognormal = { median = 1, p95 = 1e4 }",
        "normal = { mean = 1e15, sd = 1e15 }",
    ] {
        assert!(
            errors(&share(ok)).is_empty(),
            "{ok}: {:?}",
            errors(&share(ok))
        );
    }
}

#[test]
fn a_population_beyond_1e9_is_refused_at_the_municipality() {
    let s = edit(
        "afweging.toml",
        "{ name = \"Bb\", population = 2000 }",
        "{ name = \"Bb\", population = 9223372036854775807 }, { name = \"Cc\", population = 9223372036854775807 }",
    );
    let errs = errors(&s);
    assert!(!errs.is_empty(), "accepted");
    assert!(
        errs[0].starts_with("afweging.toml:8:83: ")
            && errs[0].contains("exceed the limit of 1,000,000,000"),
        "{errs:#?}"
    );
    let just_past = edit(
        "afweging.toml",
        "population = 2000",
        "population = 999999001",
    );
    only_error(just_past, "afweging.toml:8:83", "exceed the limit");
    let at = edit(
        "afweging.toml",
        "population = 2000",
        "population = 999999000",
    );
    assert_eq!(load_from(&at).unwrap().region.population(), 1_000_000_000);
}

#[test]
fn files_and_folders_beyond_the_size_limits_are_refused() {
    let big = format!("{ALPHA}# {}\n", "x".repeat(limits::MAX_FILE_BYTES));
    only_error(
        with("initiatives/alpha.toml", &big),
        "initiatives/alpha.toml",
        "more than the limit of 1048576 bytes",
    );
    let mut s = with("README.txt", "");
    let pad = format!("# {}\n", "x".repeat(limits::MAX_FILE_BYTES - 1000));
    for k in 0..5 {
        s.insert(
            format!("initiatives/x{k}.toml"),
            format!("{pad}{ALPHA}").replace("\"alpha\"", &format!("\"x{k}\"")),
        );
    }
    let errs = errors(&s);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].contains("(4 MiB) for one decision folder"),
        "{errs:#?}"
    );
}

#[test]
fn unknown_keys_cost_linear_time_and_long_keys_get_no_suggestion() {
    // 20,000 unknown keys on one 300 kB line, and a 600 kB key, in a file
    // under 1 MiB: each error's column and snippet cost O(1 KiB), not O(line).
    let keys: String = (0..20_000).map(|k| format!("k{k} = 1, ")).collect();
    let long = "q".repeat(600_000);
    let text = ALPHA
        .replace("[values]\n", &format!("[values]\n{long} = 1\n"))
        .replace(
            "share = { triangular = [10.0, 20.0, 30.0],",
            &format!("share = {{ {keys}triangular = [10.0, 20.0, 30.0],"),
        );
    let t = Instant::now();
    let d = load_from(&with("initiatives/alpha.toml", &text)).unwrap_err();
    let took = t.elapsed();
    let errs: Vec<_> = d.diagnostics().errors().collect();
    assert_eq!(errs.len(), 20_001);
    assert!(
        errs[0].message.starts_with("unknown criterion `qqq") && errs[0].message.len() < 100,
        "{}",
        &errs[0].message[..80]
    );
    assert!(!errs[0]
        .help
        .as_deref()
        .unwrap_or("")
        .contains("did you mean"));
    let last = &errs[20_000];
    assert_eq!(last.location(), "initiatives/alpha.toml:8:228889");
    // Snippets are a window, not the 300 kB line.
    assert!(d.to_string().len() < 20_000_000);
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn a_syntax_error_in_one_criteria_file_does_not_shift_the_next_files_places() {
    let mut s = Sources::from_texts([
        ("afweging.toml", FRAME),
        ("criteria/a.toml", "[[group]\n"),
        ("criteria/b.toml", CRITERIA.split("[[profile]]").next().unwrap()),
        (
            "criteria/c.toml",
            "[[profile]]\nid = \"base\"\nname = \"Base\"\ngroups = { cost = [0.2, 0.6], reach = [0.4, 0.8] }\ncriteria.reach = [\"share\", \"sped\"]\n",
        ),
        ("initiatives/alpha.toml", ALPHA),
    ]);
    s.insert("initiatives/beta.toml", BETA);
    let errs = errors(&s);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(errs[0].starts_with("criteria/a.toml:1:"), "{errs:#?}");
    assert!(errs[1].starts_with("criteria/c.toml:5:"), "{errs:#?}");
}

#[test]
fn control_characters_are_refused_in_names_ids_and_texts() {
    only_error(
        edit(
            "initiatives/alpha.toml",
            "name = \"Alpha\"",
            "name = \"Al\\u0007pha\"",
        ),
        "initiatives/alpha.toml:2:8",
        "`name` contains the control character U+0007 at character 3",
    );
    only_error(
        edit(
            "criteria/c.toml",
            "name = \"Share\"",
            "name = { nl = \"Deel\\u001b[31m\", en = \"Share\" }",
        ),
        "criteria/c.toml:21:15",
        "U+001B",
    );
    only_error(
        edit(
            "initiatives/alpha.toml",
            "summary = \"The first.\"",
            "summary = \"x\\u001by\"",
        ),
        "initiatives/alpha.toml:3:11",
        "`summary` contains the control character U+001B",
    );
    only_error(
        edit(
            "initiatives/alpha.toml",
            "name = \"Alpha\"",
            "name = \"A\\nB\"",
        ),
        "initiatives/alpha.toml:2:8",
        "U+000A",
    );
    only_error(
        edit(
            "initiatives/alpha.toml",
            "name = \"Alpha\"",
            "name = \"A\u{202e}B\"",
        ),
        "initiatives/alpha.toml:2:8",
        "U+202E",
    );
    // Line breaks and tabs are fine in a text.
    assert!(errors(&edit(
        "initiatives/alpha.toml",
        "summary = \"The first.\"",
        "summary = \"a\\n\\tb\""
    ))
    .is_empty());
}

#[test]
fn ids_names_and_texts_have_a_length_limit() {
    let id65 = "a".repeat(65);
    only_error(
        edit(
            "initiatives/alpha.toml",
            "id = \"alpha\"",
            &format!("id = \"{id65}\""),
        ),
        "initiatives/alpha.toml:1:6",
        "`id` is 65 characters long, more than the limit of 64",
    );
    let ok = edit(
        "initiatives/alpha.toml",
        "id = \"alpha\"",
        &format!("id = \"{}\"", "a".repeat(64)),
    );
    assert!(errors(&ok).is_empty());
    only_error(
        edit(
            "initiatives/alpha.toml",
            "name = \"Alpha\"",
            &format!("name = \"{}\"", "n".repeat(201)),
        ),
        "initiatives/alpha.toml:2:8",
        "more than the limit of 200",
    );
    only_error(
        edit(
            "initiatives/alpha.toml",
            "summary = \"The first.\"",
            &format!("summary = \"{}\"", "s".repeat(20_001)),
        ),
        "initiatives/alpha.toml:3:11",
        "more than the limit of 20000",
    );
}

#[test]
fn a_decimal_comma_gets_a_hint() {
    let s = edit(
        "initiatives/beta.toml",
        "speed = { value = 15.0,",
        "speed = { value = 3,5,",
    );
    let d = load_from(&s).unwrap_err();
    let e = d.diagnostics().errors().next().unwrap();
    assert!(e.message.contains("TOML syntax error"), "{e}");
    assert_eq!(
        e.help
            .as_deref()
            .map(|h| h.starts_with("use a decimal point: 3.5 (not 3,5)")),
        Some(true),
        "{e}"
    );
}

#[test]
fn an_id_that_differs_from_its_file_name_is_a_warning() {
    let s = Sources::from_texts([
        ("afweging.toml", FRAME),
        ("criteria/c.toml", CRITERIA),
        ("initiatives/first.toml", ALPHA),
        ("initiatives/beta.toml", BETA),
    ]);
    assert_eq!(
        warnings(&s),
        ["initiatives/first.toml:1:6: initiative id `alpha` differs from its file name `first.toml`"]
    );
}

#[test]
fn a_scale_far_wider_than_its_values_is_a_warning() {
    let s = edit(
        "criteria/c.toml",
        "scale = { worst = 1000.0, best = 0.0 }",
        "scale = { worst = 150000.0, best = 0.0 }",
    );
    let w = warnings(&s);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0].starts_with("criteria/c.toml:15:9: every initiative's value of `annual_cost` lies between 300 and 500 EUR/year, within 1% of one end"), "{w:#?}");
    // The valid decision's values spread over the scale: no warning.
    assert!(warnings(&with("README.txt", "")).is_empty());
}

#[test]
fn a_template_marker_flags_the_template_region_and_its_sized_scales() {
    let frame = FRAME.replace("title = ", "template = \"twente-2019\"\ntitle = ");
    let mut s = with("afweging.toml", &frame);
    s.insert(
        "initiatives/alpha.toml",
        ALPHA.replace("The first.", "Eerste in Twente."),
    );
    let w = warnings(&s);
    assert_eq!(w.len(), 2, "{w:#?}");
    assert!(
        w[0].starts_with("initiatives/alpha.toml:3:22: this file still mentions Twente"),
        "{w:#?}"
    );
    assert!(w[1].starts_with("criteria/c.toml:15:9: the scale of `annual_cost` (0 to 1000 EUR/year) was sized for Twente"), "{w:#?}");
    let unknown = with(
        "afweging.toml",
        &FRAME.replace("title = ", "template = \"elsewhere\"\ntitle = "),
    );
    assert_eq!(warnings(&unknown).len(), 1);
}

#[test]
fn warnings_print_large_numbers_compactly() {
    let s = edit(
        "initiatives/alpha.toml",
        "annual_cost = { value = 500.0,",
        "annual_cost = { value = 1e15,",
    );
    let w = warnings(&s).join("\n");
    assert!(w.contains("ranges from 1e15 to 1e15"), "{w}");
}

#[test]
fn errors_print_large_numbers_compactly() {
    let s = edit(
        "afweging.toml",
        "iterations = 1000",
        "iterations = 1000\ntarget_error = 1e308",
    );
    only_error(
        s,
        "afweging.toml:13:16",
        "`target_error` must be between 0 and 0.5, found 1e308",
    );
}
