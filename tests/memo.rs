//! The advice memo: golden snapshots (Markdown nl/en, HTML nl), escaping of
//! text from the decision files, no output file after an error, every
//! figure in the Advies traced back to the engine's results, and the
//! sensitivity chapters in both languages.

use std::fs;
use std::path::{Path, PathBuf};

use afweging::cli::memo::{run_engine, EnginePlan};
use afweging::engine::sensitivity::SensitivityPlan;
use afweging::engine::simulate::{Plan, Stop};
use afweging::model::{load, Decision};
use afweging::report::memo::format::{eur, num, pct_pm};
use afweging::report::memo::{render, ChartFiles, Lang, MemoFormat, Options, Rendered, Results};
use assert_cmd::Command;

/// Small, fixed simulation for the snapshots (fast, deterministic).
const ITERATIONS: u64 = 4000;
const SEED: u64 = 7;
/// Base rows of the sensitivity analysis (two batches: the minimum).
const SENSITIVITY_ROWS: u64 = 2048;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the shipped decision (afweging.toml, criteria/, initiatives/) to `to`.
fn copy_decision(to: &Path) {
    fs::create_dir_all(to.join("criteria")).unwrap();
    fs::create_dir_all(to.join("initiatives")).unwrap();
    fs::copy(root().join("afweging.toml"), to.join("afweging.toml")).unwrap();
    for sub in ["criteria", "initiatives"] {
        for e in fs::read_dir(root().join(sub)).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), to.join(sub).join(e.file_name())).unwrap();
        }
    }
}

fn results(decision: &Decision) -> Results {
    let plan = EnginePlan {
        chosen: 0,
        simulation: Plan {
            seed: SEED,
            stop: Stop::Iterations(ITERATIONS),
            confidence: true,
        },
        sensitivity: SensitivityPlan {
            seed: SEED,
            rows: SENSITIVITY_ROWS,
        },
    };
    run_engine(decision, &plan, &|_, _, _| {}).unwrap()
}

fn memo(decision: &Decision, results: &Results, lang: Lang, format: MemoFormat) -> Rendered {
    let opts = Options {
        lang,
        format,
        template_dir: None,
        chart_files: ChartFiles::Beside("advies".into()),
        generated: "2000-01-01".into(),
    };
    render(decision, results, &opts).unwrap()
}

/// Replaces the volatile parts (version, input hash, date) by placeholders.
fn normalise(text: &str, decision: &Decision) -> String {
    text.replace(&decision.input_hash, "[INPUT-HASH]")
        .replace(
            &format!("afweging {}", afweging::VERSION),
            "afweging [VERSION]",
        )
        .replace("2000-01-01", "[DATE]")
}

#[test]
fn markdown_memo_dutch() {
    let d = load(&root()).unwrap();
    let r = results(&d);
    let m = memo(&d, &r, Lang::Nl, MemoFormat::Md);
    assert_eq!(m.files.len(), 5);
    assert!(m.text.contains("](advies-bijdragen.svg)"));
    insta::assert_snapshot!("memo_nl_md", normalise(&m.text, &d));
}

#[test]
fn markdown_memo_english() {
    let d = load(&root()).unwrap();
    let r = results(&d);
    let m = memo(&d, &r, Lang::En, MemoFormat::Md);
    insta::assert_snapshot!("memo_en_md", normalise(&m.text, &d));
}

#[test]
fn html_memo_dutch() {
    let d = load(&root()).unwrap();
    let r = results(&d);
    let m = memo(&d, &r, Lang::Nl, MemoFormat::Html);
    assert!(m.files.is_empty());
    // Self-contained: no external requests.
    for needle in [
        "<link",
        "<script",
        "src=\"http",
        "href=\"http",
        "@import",
        "url(",
    ] {
        assert!(!m.text.contains(needle), "found {needle}");
    }
    assert_eq!(m.text.matches("<svg").count(), 5);
    insta::assert_snapshot!("memo_nl_html", normalise(&m.text, &d));
}

#[test]
fn text_from_the_decision_files_is_data() {
    let tmp = tempfile::tempdir().unwrap();
    copy_decision(tmp.path());
    let evil = "{{ 7*7 }} <script>alert(1)</script> & {% if true %}x{% endif %}";
    let path = tmp.path().join("initiatives/burgernet.toml");
    let text = fs::read_to_string(&path).unwrap().replacen(
        "name = \"Burgernet\"",
        &format!("name = {evil:?}"),
        1,
    );
    fs::write(&path, text).unwrap();
    let ctx_path = tmp.path().join("afweging.toml");
    let frame = fs::read_to_string(&ctx_path).unwrap().replacen(
        "context = \"\"\"\n",
        "context = \"\"\"\n{{ 6*7 }} <b>vet</b>\n\n",
        1,
    );
    fs::write(&ctx_path, frame).unwrap();
    let d = load(tmp.path()).unwrap();
    let r = results(&d);

    let html = memo(&d, &r, Lang::Nl, MemoFormat::Html).text;
    assert!(html.contains("{{ 7*7 }} &lt;script&gt;alert(1)&lt;"));
    assert!(html.contains("{% if true %}x{% endif %}"));
    assert!(html.contains("{{ 6*7 }} &lt;b&gt;vet&lt;"));
    assert!(!html.contains("<script>"));
    assert!(!html.contains("<b>vet"));
    // (Only the evaluated name would read "49 <script…"; the memo has other 49s.)
    assert!(!html.contains("49 &lt;"));
    assert!(!html.contains(">42 "));

    let md = memo(&d, &r, Lang::Nl, MemoFormat::Md).text;
    assert!(md.contains("{{ 7\\*7 }} &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!md.contains("<script>"));
    assert!(!md.contains("49 &lt;"));
}

/// Numbers in `text` with the `%` or `€ ` around them: "95,8%", "€ 50.122", "200.000".
fn figures(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || ((chars[i] == ',' || chars[i] == '.')
                        && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
            {
                i += 1;
            }
            let mut s: String = chars[start..i].iter().collect();
            if chars.get(i) == Some(&'%') {
                s.push('%');
            }
            if start >= 2 && chars[start - 2] == '€' {
                s = format!("€ {s}");
            }
            out.push(s);
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn every_figure_in_the_advice_comes_from_the_engine() {
    let d = load(&root()).unwrap();
    let r = results(&d);
    let text = memo(&d, &r, Lang::Nl, MemoFormat::Md).text;
    let start = text.find("## Advies").unwrap();
    let end = text.find("## Samenvatting").unwrap();
    // The chapter without its explanatory note (which states the 95% level
    // of the margins and the number of scenarios).
    let advice: String = text[start..end]
        .lines()
        .filter(|l| !l.starts_with('*') || l.starts_with("**"))
        .collect::<Vec<_>>()
        .join("\n");

    let mut known: Vec<String> = Vec::new();
    for sim in &r.simulations {
        for id in &sim.initiatives {
            for (p, e) in sim.rank_acceptability[id]
                .iter()
                .zip(&sim.error.rank_acceptability[id])
            {
                let s = pct_pm(*p, *e, Lang::Nl);
                known.extend(s.split(" ± ").map(str::to_string));
            }
        }
        known.push(num(sim.iterations as f64, 0, Lang::Nl));
    }
    for score in &r.scores {
        for s in &score.initiatives {
            for c in s.criteria.values() {
                known.push(eur(c.raw, Lang::Nl));
            }
        }
    }
    let s = &r.sensitivity;
    if let Some(e) = s.evpi_eur {
        known.push(eur(e, Lang::Nl));
    }
    let found = figures(&advice);
    assert!(found.len() >= 3, "too few figures in {advice}");
    for f in &found {
        assert!(
            known.contains(f),
            "{f} in the Advies is not an engine result:\n{advice}"
        );
    }
    // And the shipped decision's advice is what the engine says.
    assert!(advice.contains("NL-Alert komt het best uit de afweging"));
    // The sentence from the sensitivity analysis.
    assert!(s.tornado.values().all(|b| !b.changes_leader));
    assert!(
        advice.contains("Geen van de onzekere cijfers kan op zichzelf de eerste plaats veranderen")
    );
}

#[test]
fn the_sensitivity_chapters_exist_in_both_languages_with_the_engine_evpi() {
    let d = load(&root()).unwrap();
    let r = results(&d);
    let s = &r.sensitivity;
    let evpi_eur = s
        .evpi_eur
        .expect("the shipped decision has a euro cost criterion");
    for (lang, format) in [
        (Lang::Nl, MemoFormat::Md),
        (Lang::Nl, MemoFormat::Html),
        (Lang::En, MemoFormat::Md),
        (Lang::En, MemoFormat::Html),
    ] {
        let text = memo(&d, &r, lang, format).text;
        let (chapters, evpi_sentence) = match lang {
            Lang::Nl => (
                ["Gevoeligheid", "Wat is het waard om meer te weten?"],
                format!(
                    "Volledige zekerheid over alle onzekere cijfers en gewichten is hooguit {} per jaar waard",
                    eur(evpi_eur, lang)
                ),
            ),
            Lang::En => (
                ["Sensitivity", "What is it worth to know more?"],
                format!(
                    "Full certainty about all uncertain figures and weights is worth at most {} a year",
                    eur(evpi_eur, lang)
                ),
            ),
        };
        for c in chapters {
            let heading = match format {
                MemoFormat::Md => format!("## {c}\n"),
                MemoFormat::Html => format!("<h2>{c}</h2>"),
            };
            assert!(text.contains(&heading), "{lang:?} {format:?}: no {heading}");
        }
        assert!(
            text.contains(&evpi_sentence),
            "{lang:?} {format:?}: no {evpi_sentence}"
        );
        // The weights that can flip the leader, in words.
        let w = &s.weight_stability["group:effect"];
        let flip = match lang {
            Lang::Nl => format!(
                "tussen {} en {} ligt; daarboven wordt Burgernet eerste",
                afweging::report::memo::format::pct(w.lower, 0, lang),
                afweging::report::memo::format::pct(w.upper, 0, lang)
            ),
            Lang::En => format!(
                "between {} and {};",
                afweging::report::memo::format::pct(w.lower, 0, lang),
                afweging::report::memo::format::pct(w.upper, 0, lang)
            ),
        };
        assert!(text.contains(&flip), "{lang:?} {format:?}: no {flip}");
    }
}

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("afweging").unwrap();
    cmd.current_dir(root());
    cmd
}

#[test]
fn no_file_is_left_after_a_template_error() {
    let tmp = tempfile::tempdir().unwrap();
    let templates = tmp.path().join("templates");
    fs::create_dir_all(templates.join("html")).unwrap();
    fs::write(
        templates.join("html/advies.html.j2"),
        "<h2>Advies</h2>{% if %}",
    )
    .unwrap();
    let out = tmp.path().join("out/advies.html");
    fs::create_dir_all(out.parent().unwrap()).unwrap();
    let assert = bin()
        .args(["memo", "-q", "-n", "1000", "--template-dir"])
        .arg(&templates)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("advies.html.j2"), "{stderr}");
    assert!(!out.exists());
    assert_eq!(fs::read_dir(out.parent().unwrap()).unwrap().count(), 0);
}

#[test]
fn no_file_is_left_after_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("advies.md");
    bin()
        .args(["memo", "-q", "--dir"])
        .arg(tmp.path().join("missing"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn a_missing_output_folder_is_an_input_error_before_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("nope/advies.html");
    bin()
        .args(["memo", "-q", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("does not exist"));
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn a_template_can_be_overridden_file_by_file() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("md")).unwrap();
    fs::write(
        tmp.path().join("md/vervolg.md.j2"),
        "## Vervolg\n\nEigen vervolg: {{ advice.first.name|md }}.\n\n",
    )
    .unwrap();
    let out = bin()
        .args(["memo", "-q", "-n", "1000", "-f", "md", "--template-dir"])
        .arg(tmp.path())
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("Eigen vervolg: NL-Alert."));
    assert!(text.contains("## Bijlagen"));
    // On stdout the charts are left out, with a note.
    assert!(text.contains("De figuren zijn weggelaten"));
}

#[test]
fn markdown_to_a_file_writes_the_charts_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("advies.md");
    bin()
        .args(["memo", "-q", "-n", "1000", "--lang", "en", "-o"])
        .arg(&out)
        .assert()
        .success();
    for f in [
        "advies.md",
        "advies-contributions.svg",
        "advies-rank-chances.svg",
        "advies-spread.svg",
        "advies-weights.svg",
        "advies-tornado.svg",
    ] {
        assert!(tmp.path().join(f).is_file(), "{f}");
    }
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("# "));
    assert!(text.contains("## Advice"));
}

#[test]
fn unknown_language_or_format_is_a_usage_error() {
    bin().args(["memo", "--lang", "de"]).assert().code(2);
    bin().args(["memo", "--format", "pdf"]).assert().code(2);
}

/// So many iterations that a run that started would never end in time
/// (the most the memo accepts: about half an hour per profile).
const ENDLESS: &str = "1000000000";

/// Runs `afweging memo -q -n ENDLESS <args>` and returns its stderr, after
/// checking that it failed with exit code 2 within seconds, that is before
/// any simulation.
fn refused_before_the_run(args: &[&std::ffi::OsStr]) -> String {
    let out = bin()
        .args(["memo", "-q", "-n", ENDLESS])
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "not refused at once: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn too_few_sensitivity_rows_are_refused_before_the_run_in_the_memo_s_words() {
    let stderr = refused_before_the_run(&[os("--sensitivity-rows"), os("100")]);
    assert!(
        stderr.contains("--sensitivity-rows must be at least 2048"),
        "{stderr}"
    );
    assert!(stderr.contains("got 100"), "{stderr}");
    // In the memo, --iterations sets the simulation size: never the advice.
    assert!(!stderr.contains("--iterations"), "{stderr}");
}

#[test]
fn a_missing_output_folder_is_refused_before_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("nope/advies.html");
    let stderr = refused_before_the_run(&[os("-o"), out.as_os_str()]);
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(stderr.contains("-o"), "{stderr}");
}

#[test]
fn an_output_that_is_a_folder_is_refused_before_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let stderr = refused_before_the_run(&[os("-o"), tmp.path().as_os_str()]);
    assert!(stderr.contains("it is a folder"), "{stderr}");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn an_unknown_profile_is_refused_before_the_run() {
    let stderr = refused_before_the_run(&[os("--profile"), os("politi")]);
    assert!(stderr.contains("unknown profile `politi`"), "{stderr}");
    assert!(stderr.contains("did you mean `politie`?"), "{stderr}");
}

#[test]
fn a_missing_template_folder_is_refused_before_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sjablonen");
    let stderr = refused_before_the_run(&[os("--template-dir"), dir.as_os_str()]);
    assert!(stderr.contains("--template-dir"), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn a_template_that_does_not_compile_is_refused_before_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("md")).unwrap();
    fs::write(tmp.path().join("md/vervolg.md.j2"), "## Vervolg {% if %}\n").unwrap();
    let stderr = refused_before_the_run(&[os("--template-dir"), tmp.path().as_os_str()]);
    assert!(stderr.contains("vervolg.md.j2"), "{stderr}");
}

#[test]
fn zero_iterations_are_refused_in_the_memo_s_words() {
    let out = bin()
        .args(["memo", "-q", "-n", "0"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--iterations must be at least 1"),
        "{stderr}"
    );
}

/// A copy of the shipped decision whose `sources.toml` holds `sources`,
/// whose Burgernet cost cites `cite` and whose NL-Alert reach cites `S1`.
fn citing_decision(dir: &Path, sources: &str, cite: &str) -> Decision {
    copy_decision(dir);
    fs::write(dir.join("sources.toml"), sources).unwrap();
    let path = dir.join("initiatives/burgernet.toml");
    let text = fs::read_to_string(&path).unwrap();
    let start = text.find("source = \"DVO Twente, voorstel C01A").unwrap();
    let end = start + 10 + text[start + 10..].find('"').unwrap();
    let text = format!("{}source = \"{cite}{}", &text[..start], &text[end..]);
    fs::write(&path, text).unwrap();
    // NL-Alert's reach cites S1 alone: a fact not later than the decision.
    let path = dir.join("initiatives/nlalert.toml");
    let text = fs::read_to_string(&path).unwrap();
    let start = text.find("source = \"Bereik van het testbericht").unwrap();
    let end = start + 10 + text[start + 10..].find('"').unwrap();
    let text = format!("{}source = \"S1{}", &text[..start], &text[end..]);
    fs::write(&path, text).unwrap();
    load(dir).unwrap()
}

#[test]
fn every_cited_source_is_listed_last_and_later_ones_are_marked() {
    let tmp = tempfile::tempdir().unwrap();
    let sources = r#"[[source]]
id = "S1"
title = "Deelname Burgernet"
publisher = "DVO Twente"
date = 2017-07-10

[[source]]
id = "S2"
title = "Burgernet wordt vernieuwd <script>alert(1)</script>"
publisher = "raadsledenenveiligheid.nl & co"
date = "2019-09"
address = "https://example.org/<b>?a=1&b=[x](y)"

[[source]]
id = "S3"
publisher = "Nooit geciteerd"
"#;
    let d = citing_decision(tmp.path(), sources, "S1, S2");
    let later: Vec<&str> = d.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(
        later
            .iter()
            .any(|m| m.contains("`S2` is dated 2019-09, after the decision date")),
        "{later:#?}"
    );
    let r = results(&d);
    let cited = &["S1", "S2"];
    for (lang, words) in [
        (Lang::Nl, ("E. Bronnen", "(na de besluitdatum)")),
        (Lang::En, ("E. Sources", "(after the decision date)")),
    ] {
        let (heading, mark) = words;
        let md = memo(&d, &r, lang, MemoFormat::Md).text;
        let last = md.lines().rfind(|l| l.starts_with('#')).unwrap();
        assert_eq!(last, format!("### {heading}"));
        let listed = &md[md.find(last).unwrap()..];
        for id in cited.iter().chain(&["S3"]) {
            assert!(
                listed.contains(&format!("- **{id}** ")),
                "{id} not listed:\n{listed}"
            );
        }
        // The data appendix shows the ids and marks the later fact.
        assert!(md.contains(&format!("S1, S2 *{mark}*")), "{md}");
        assert_eq!(listed.matches(mark).count(), 1, "{listed}");
        // S2's fact (the Burgernet cost) in the data appendix and in the
        // cost basis, and S2 itself.
        assert_eq!(
            md.matches(mark).count(),
            3,
            "only S2's fact and S2 are marked"
        );
        assert!(md.contains(&format!("): S1, S2 *{mark}*")), "cost basis");
        assert!(md.contains("*: S1 |"));
        assert!(
            !md.contains("<script>") && !md.contains("<b>") && !md.contains("[x](y)"),
            "{listed}"
        );
        assert!(
            listed.contains("https://example.org/&lt;b&gt;?a=1&amp;b=\\[x\\](y)"),
            "{listed}"
        );

        let html = memo(&d, &r, lang, MemoFormat::Html).text;
        let last_h = html.rfind("<h2").max(html.rfind("<h3")).unwrap();
        assert!(
            html[last_h..].starts_with(&format!("<h3 id=\"bronnen\">{heading}</h3>")),
            "{}",
            &html[last_h..]
        );
        let listed = &html[last_h..];
        for id in cited.iter().chain(&["S3"]) {
            assert!(
                listed.contains(&format!("<li><strong>{id}</strong> ")),
                "{id}"
            );
        }
        assert!(html.contains(&format!("S1, S2 <em>{mark}</em>")));
        assert_eq!(
            html.matches(mark).count(),
            3,
            "only S2's fact and S2 are marked"
        );
        assert!(html.contains("</span> S1</td>"));
        assert!(!html.contains("<script>") && !html.contains("<b>?"));
        assert!(!listed.contains("<a ") && !listed.contains("href"));
        assert!(
            listed.contains("https:&#x2f;&#x2f;example.org&#x2f;&lt;b&gt;?a=1&amp;b=[x](y)"),
            "{listed}"
        );
    }
}

#[test]
fn without_sources_toml_the_memo_has_no_sources_appendix() {
    let tmp = tempfile::tempdir().unwrap();
    copy_decision(tmp.path());
    let d = load(tmp.path()).unwrap();
    assert!(d.references.is_empty());
    let r = results(&d);
    let md = memo(&d, &r, Lang::Nl, MemoFormat::Md).text;
    assert!(!md.contains("Bronnen"));
    assert!(md
        .lines()
        .rfind(|l| l.starts_with('#'))
        .unwrap()
        .contains("Reproduceerbaarheid"));
}
