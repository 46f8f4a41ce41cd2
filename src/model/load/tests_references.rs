//! Unit tests of `sources.toml` and citing by id: valid sources, each error
//! at its `file:line:col`, a resolved citation, and the warnings for an
//! undeclared id and a source dated after the decision date.

use super::tests::{errors, only_error, with, ALPHA, BETA, CRITERIA, FRAME};
use super::*;

const SOURCES: &str = r#"[[source]]
id = "S1"
title = "Jaarverslag"
publisher = "Testbureau"
date = 2019-03-01
address = "https://example.org/s1?a=1&b=<2>"

[[source]]
id = "S2"
title = "Meting"
publisher = "Testbureau"
date = "2018"

[[source]]
id = "S3"
publisher = "Later bureau"
date = "2019-09"
"#;

/// The valid decision with `sources.toml` and alpha citing `cite`.
fn citing(sources: &str, cite: &str) -> Sources {
    let mut s = with("sources.toml", sources);
    s.insert(
        "initiatives/alpha.toml",
        ALPHA.replace("source = \"Test, 2019\"", &format!("source = \"{cite}\"")),
    );
    s
}

fn warnings(d: &Decision) -> Vec<String> {
    d.warnings
        .iter()
        .map(|w| {
            format!(
                "{}: {} ({})",
                w.location(),
                w.message,
                w.help.clone().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn valid_sources_load_in_file_order_with_their_dates() {
    let d = load_from(&with("sources.toml", SOURCES)).unwrap();
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let ids: Vec<&str> = d.references.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["S1", "S2", "S3"]);
    let s1 = &d.references[0];
    assert_eq!(s1.date.as_deref(), Some("2019-03-01"));
    assert_eq!(
        s1.address.as_deref(),
        Some("https://example.org/s1?a=1&b=<2>")
    );
    assert_eq!(d.references[1].date.as_deref(), Some("2018"));
    assert_eq!(d.references[2].title, "");
    // Only S3 (September 2019) is certainly after 2019-07-01.
    let after: Vec<bool> = d.references.iter().map(|r| r.after_decision).collect();
    assert_eq!(after, [false, false, true]);
    // The free-text source stays free text: nothing is cited.
    assert!(d.initiatives[0].values[0].provenance.cites.is_empty());
    // sources.toml is an input: it changes the hash.
    let without = load_from(&with("README.txt", "")).unwrap();
    assert_ne!(without.input_hash, d.input_hash);
    assert!(without.references.is_empty());
}

#[test]
fn an_empty_sources_file_declares_nothing() {
    let d = load_from(&with("sources.toml", "# none yet\n")).unwrap();
    assert!(d.references.is_empty());
}

#[test]
fn duplicate_source_id() {
    only_error(
        with(
            "sources.toml",
            &format!("{SOURCES}\n[[source]]\nid = \"S2\"\ntitle = \"Again\"\n"),
        ),
        "sources.toml:20:6",
        "duplicate source id `S2`",
    );
}

#[test]
fn unknown_source_key_with_suggestion() {
    let s = with(
        "sources.toml",
        &SOURCES.replace("title = \"Meting\"", "titel = \"Meting\""),
    );
    only_error(
        s.clone(),
        "sources.toml:10:1",
        "unknown key `titel` in [[source]]",
    );
    let e = load_from(&s).unwrap_err();
    let help = e.diagnostics().errors().next().unwrap().help.clone();
    assert_eq!(help.as_deref(), Some("did you mean `title`?"));
}

#[test]
fn bad_dates_are_errors_at_the_date() {
    for (date, col) in [
        ("\"2019-02-30\"", 8),
        ("\"nov 2017\"", 8),
        ("2019-07-01T10:00:00", 8),
        ("19", 8),
        ("1.5", 8),
    ] {
        let s = with(
            "sources.toml",
            &SOURCES.replace("date = \"2018\"", &format!("date = {date}")),
        );
        only_error(
            s,
            &format!("sources.toml:12:{col}"),
            "`date` must be a date such as 2019-07-01",
        );
    }
}

#[test]
fn other_source_errors_at_their_place() {
    only_error(
        with("sources.toml", "[[source]]\ntitle = \"No id\"\n"),
        "sources.toml:1:1",
        "[[source]] is missing `id`",
    );
    only_error(
        with("sources.toml", "[[source]]\nid = \"S 1\"\ntitle = \"x\"\n"),
        "sources.toml:2:6",
        "may only contain letters, digits",
    );
    only_error(
        with("sources.toml", "[[source]]\nid = \"14\"\ntitle = \"x\"\n"),
        "sources.toml:2:6",
        "must start with a letter",
    );
    only_error(
        with("sources.toml", "[[source]]\nid = \"S1\"\ndate = 2019\n"),
        "sources.toml:1:1",
        "neither a `title` nor a `publisher`",
    );
    only_error(
        with("sources.toml", "[[source]]\nid = \"S1\"\ntitle = 5\n"),
        "sources.toml:3:9",
        "`title` must be a string",
    );
    only_error(
        with("sources.toml", "source = 3\n"),
        "sources.toml:1:10",
        "`source` must be written as [[source]] tables",
    );
    only_error(
        with("sources.toml", "[[bron]]\nid = \"S1\"\n"),
        "sources.toml:1:3",
        "unknown key `bron` in sources.toml",
    );
    only_error(
        with(
            "sources.toml",
            &format!(
                "[[source]]\nid = \"S1\"\ntitle = \"{}\"\n",
                "x".repeat(limits::MAX_NAME_CHARS + 1)
            ),
        ),
        "sources.toml:3:9",
        "more than the limit",
    );
    only_error(
        with("sources.toml", "[[source]]\nid = \"S1\"\ntitle = \"x\n"),
        "sources.toml:3:11",
        "TOML syntax error",
    );
}

#[test]
fn a_citation_is_resolved_without_warnings() {
    let d = load_from(&citing(SOURCES, "S1, S2")).unwrap();
    assert!(d.warnings.is_empty(), "{:?}", warnings(&d));
    let p = &d.initiatives[0].values[0].provenance;
    assert_eq!(p.cites, ["S1", "S2"]);
    assert_eq!(p.source.as_deref(), Some("S1, S2"));
}

#[test]
fn an_undeclared_id_is_warned_with_a_suggestion() {
    let d = load_from(&citing(SOURCES, "S1, S4")).unwrap();
    let w = warnings(&d);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].starts_with("initiatives/alpha.toml:6:41: source `S4` is cited but not declared in sources.toml (did you mean `S1`?"),
        "{w:#?}"
    );
    assert_eq!(d.initiatives[0].values[0].provenance.cites, ["S1", "S4"]);
}

#[test]
fn a_later_dated_source_is_warned() {
    let d = load_from(&citing(SOURCES, "S3")).unwrap();
    let w = warnings(&d);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].starts_with(
            "initiatives/alpha.toml:6:41: source `S3` is dated 2019-09, after the decision date"
        ),
        "{w:#?}"
    );
    // The same month as the decision is not certainly later.
    let same = SOURCES.replace("\"2019-09\"", "\"2019-07\"");
    assert!(load_from(&citing(&same, "S3")).unwrap().warnings.is_empty());
}

#[test]
fn without_sources_toml_every_source_is_free_text() {
    let mut s = Sources::from_texts([
        ("afweging.toml", FRAME),
        ("criteria/c.toml", CRITERIA),
        ("initiatives/beta.toml", BETA),
    ]);
    s.insert("initiatives/alpha.toml", ALPHA.replace("Test, 2019", "S99"));
    let d = load_from(&s).unwrap();
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert!(d.initiatives[0].values[0].provenance.cites.is_empty());
    assert!(errors(&s).is_empty());
}
