//! `afweging explore` and `score --weights`: the engine's reference numbers
//! for the page, the fixtures the Node tests of the page's logic read
//! (`tests/fixtures/explore/*.json`, regenerated with
//! `AFWEGING_BLESS=1 cargo test --test explore`), and the command line.
//!
//! The Node tests (`node --test tests/js/`) compare the page's JavaScript
//! with these fixtures: totals, first-place shares, half-widths, tipping
//! points and euro figures for several weightings.

mod util;

use std::fs;
use std::path::{Path, PathBuf};

use afweging::engine::compiled::CompiledDecision;
use afweging::engine::explore::{
    self, first_shares, leader, preset, tipping, totals, SliderPoints, Values,
};
use afweging::engine::score::score;
use afweging::engine::sensitivity::{sensitivity, SensitivityPlan};
use afweging::engine::simulate::half_width;
use afweging::model::{self, Decision, Text};
use afweging::report::explore as page;
use predicates::prelude::*;
use serde_json::{json, Value};

use util::{afweging, copy_of_root_decision, repo_root};

/// Totals of the page's reference functions against `score` (they are
/// computed in the same order, so in practice they are equal).
const TOTAL_TOLERANCE: f64 = 1e-12;
/// Scenarios in the fixtures (small files; the page itself embeds more).
const FIXTURE_SCENARIOS_SHIPPED: usize = 1000;
const FIXTURE_SCENARIOS_CLOSED: usize = 2000;

fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures/explore")
}

fn closed_form() -> PathBuf {
    fixtures().join("closed-form")
}

fn load(dir: &Path) -> Decision {
    model::load(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// The weightings the fixtures check: every profile's preset, then slider
/// moves that reach the edges (a level with one non-zero slider, zeros,
/// points above and below the preset).
fn cases(decision: &Decision) -> Vec<(String, SliderPoints)> {
    let mut out: Vec<(String, SliderPoints)> = decision
        .profiles
        .iter()
        .map(|p| (format!("profile:{}", p.id), preset(p)))
        .collect();
    let base = preset(&decision.profiles[0]);
    let mut moved = base.clone();
    moved.groups[0] = (moved.groups[0] + 37.0).min(100.0);
    let last = moved.criteria.len() - 1;
    moved.criteria[last][0] = 0.0;
    out.push(("moved".into(), moved));
    let mut alone = base.clone();
    for (k, g) in alone.groups.iter_mut().enumerate() {
        *g = if k == 0 { 100.0 } else { 0.0 };
    }
    for level in alone.criteria.iter_mut() {
        for (j, p) in level.iter_mut().enumerate() {
            *p = if j == 0 { 55.0 } else { 0.0 };
        }
    }
    out.push(("one-per-level".into(), alone));
    // Fixed pseudo-random integer points (a linear congruential sequence).
    let mut x: u64 = 20_191_130;
    let mut next = || {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        ((x >> 33) % 101) as f64
    };
    let mut random = base.clone();
    for g in random.groups.iter_mut() {
        *g = next().max(1.0);
    }
    for level in random.criteria.iter_mut() {
        for p in level.iter_mut() {
            *p = next();
        }
        if level.iter().sum::<f64>() == 0.0 {
            level[0] = 1.0;
        }
    }
    out.push(("random".into(), random));
    out
}

/// The engine's numbers for one weighting, in alternative order.
fn expected(decision: &Decision, values: &Values, name: &str, points: &SliderPoints) -> Value {
    let profile = points
        .to_profile(
            decision,
            "case",
            Text {
                nl: "case".into(),
                en: "case".into(),
            },
        )
        .expect("valid points");
    let scored = score(&CompiledDecision::new(decision, &profile).unwrap());
    let by_id = |id: &str| {
        scored
            .initiatives
            .iter()
            .find(|r| r.id == id)
            .expect("every initiative is scored")
    };
    let score_totals: Vec<f64> = decision
        .initiatives
        .iter()
        .map(|i| by_id(&i.id).total)
        .collect();
    let w = explore::weights(decision, &profile).unwrap();
    let own = totals(&values.base, values.m, &w.global);
    for (a, b) in own.iter().zip(&score_totals) {
        assert!((a - b).abs() <= TOTAL_TOLERANCE, "{name}: {a} vs score {b}");
    }
    let shares = first_shares(values, &w.global);
    let sum: f64 = shares.iter().sum();
    assert!((sum - 1.0).abs() < 1e-12, "{name}: shares sum to {sum}");
    json!({
        "name": name,
        "points": points,
        "totals": score_totals,
        "global": w.global,
        "shares": shares,
        "half_widths": shares.iter().map(|&p| half_width(p, values.scenarios as f64)).collect::<Vec<_>>(),
        "tipping": tipping(decision, &values.base, &w),
        "euros": explore::euros(decision, &values.base, &w.global),
    })
}

/// Writes or checks one fixture.
fn check_fixture(name: &str, text: &str) {
    let path = fixtures().join(name);
    if std::env::var_os("AFWEGING_BLESS").is_some() {
        fs::write(&path, text).unwrap();
        return;
    }
    let old = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (bless with AFWEGING_BLESS=1)", path.display()));
    assert!(
        old == text,
        "{} is out of date: regenerate with AFWEGING_BLESS=1 cargo test --test explore",
        path.display()
    );
}

/// The version is normalised so that a release does not touch the fixtures.
fn normalise(json: &str) -> String {
    json.replace(
        &format!("\"version\":\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\":\"[VERSION]\"",
    )
}

fn fixture_pair(stem: &str, dir: &Path, scenarios: usize) {
    let decision = load(dir);
    let values = explore::values(&decision, decision.simulation.seed, scenarios).unwrap();
    let alternatives = explore::alternatives(&decision).unwrap();
    let presets: Vec<_> = decision.profiles.iter().map(preset).collect();
    let inputs = page::Inputs {
        alternatives: &alternatives,
        values: &values,
        presets: &presets,
        initial: 0,
        money: explore::money_criterion(&decision),
    };
    let data = page::data(&decision, &inputs, "en");
    check_fixture(
        &format!("{stem}.data.json"),
        &normalise(&page::data_json(&data)),
    );
    let cases: Vec<Value> = cases(&decision)
        .iter()
        .map(|(name, points)| expected(&decision, &values, name, points))
        .collect();
    let text = serde_json::to_string_pretty(&json!({ "cases": cases })).unwrap() + "\n";
    check_fixture(&format!("{stem}.expected.json"), &text);
}

#[test]
fn fixtures_of_the_shipped_decision_are_current() {
    fixture_pair("shipped", &repo_root(), FIXTURE_SCENARIOS_SHIPPED);
}

#[test]
fn fixtures_of_the_closed_form_decision_are_current() {
    fixture_pair("closed-form", &closed_form(), FIXTURE_SCENARIOS_CLOSED);
}

/// Hand-computed: values A (0.8, 0.7, 0.4), B (0.4, 0.6, 0.9), C (1, 0.2,
/// 0.3), weights (0.5, 0.25, 0.25); see tests/js/explore.test.cjs for the
/// algebra.
#[test]
fn closed_form_totals_tipping_and_euros() {
    let decision = load(&closed_form());
    let values = explore::values(&decision, 7, FIXTURE_SCENARIOS_CLOSED).unwrap();
    let w = explore::weights(&decision, &decision.profiles[0]).unwrap();
    let t = totals(&values.base, values.m, &w.global);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    for (a, b) in t.iter().zip([0.675, 0.575, 0.625]) {
        assert!(close(*a, b), "total {a} vs {b}");
    }
    let tp = tipping(&decision, &values.base, &w);
    // Cost group: B below 1/3, C above 0.6.
    assert!(close(tp[0].lower, 1.0 / 3.0) && close(tp[0].upper, 0.6));
    assert_eq!((tp[0].below, tp[0].above), (Some(1), Some(2)));
    // Price alone in its group: its share cannot move.
    let price = &tp[2];
    assert_eq!(
        (price.lower, price.upper, price.below, price.above),
        (0.0, 1.0, None, None)
    );
    // e1 inside effect: C below 0.25; e2: C above 0.75.
    assert!(close(tp[3].lower, 0.25) && tp[3].below == Some(2) && tp[3].above.is_none());
    assert!(close(tp[4].upper, 0.75) && tp[4].above == Some(2) && tp[4].below.is_none());
    let e = explore::euros(&decision, &values.base, &w.global).unwrap();
    let want = [
        (10.0, 30.0, true),
        (-20.0, 40.0, true),
        (-10.0, -10.0, false),
    ];
    for (got, (worth, be, on)) in e.iter().zip(want) {
        assert!((got.worth - worth).abs() < 1e-9 && (got.break_even - be).abs() < 1e-9);
        assert_eq!(got.on_scale, on);
    }
    // A is first iff its e1 value exceeds 0.5: probability (1 − 0.5) / 0.6.
    let shares = first_shares(&values, &w.global);
    let p = 5.0 / 6.0;
    let sd = (p * (1.0 - p) / values.scenarios as f64).sqrt();
    assert!((shares[0] - p).abs() < 4.0 * sd, "share {}", shares[0]);
    assert_eq!(shares[1], 0.0);
}

/// Every profile's preset gives that profile's representative weights
/// (bit for bit where the swing points already top out at 100).
#[test]
fn presets_reproduce_each_profiles_weights() {
    const PRESET_TOLERANCE: f64 = 1e-15;
    for dir in [closed_form(), repo_root()] {
        let decision = load(&dir);
        for profile in &decision.profiles {
            let points = preset(profile);
            for level in std::iter::once(&points.groups).chain(&points.criteria) {
                let top = level.iter().copied().fold(0.0, f64::max);
                assert_eq!(
                    top, 100.0,
                    "{}: the largest slider of a level is at 100",
                    profile.id
                );
            }
            let own = explore::weights(&decision, profile).unwrap().global;
            let name = Text {
                nl: "p".into(),
                en: "p".into(),
            };
            let from_points =
                explore::weights(&decision, &points.to_profile(&decision, "p", name).unwrap())
                    .unwrap()
                    .global;
            for (a, b) in own.iter().zip(&from_points) {
                assert!(
                    (a - b).abs() <= PRESET_TOLERANCE,
                    "{}: {a} vs {b}",
                    profile.id
                );
            }
        }
    }
    let decision = load(&repo_root());
    let dvo = &decision.profiles[0];
    assert_eq!(preset(dvo).groups, vec![90.0, 70.0, 100.0]);
    let name = Text {
        nl: "p".into(),
        en: "p".into(),
    };
    assert_eq!(
        explore::weights(
            &decision,
            &preset(dvo).to_profile(&decision, "p", name).unwrap()
        )
        .unwrap()
        .groups,
        explore::weights(&decision, dvo).unwrap().groups
    );
}

/// The group sliders' tipping points are the engine's weight stability
/// (`sensitivity`) for every profile, number for number.
#[test]
fn group_tipping_points_equal_the_engines_weight_stability() {
    for dir in [closed_form(), repo_root()] {
        let decision = load(&dir);
        let values = explore::values(&decision, 1, 100).unwrap();
        for profile in &decision.profiles {
            let plan = SensitivityPlan {
                seed: 1,
                rows: 2048,
            };
            let s =
                sensitivity(&CompiledDecision::new(&decision, profile).unwrap(), &plan).unwrap();
            let w = explore::weights(&decision, profile).unwrap();
            let tp = tipping(&decision, &values.base, &w);
            let ids: Vec<&str> = decision.initiatives.iter().map(|i| i.id.as_str()).collect();
            for (k, g) in decision.groups.iter().enumerate() {
                let st = &s.weight_stability[&format!("group:{}", g.id)];
                let t = &tp[k];
                let what = format!("{}/{}", profile.id, g.id);
                assert_eq!(st.current, t.current, "{what}");
                assert_eq!(st.leader, ids[t.leader], "{what}");
                assert_eq!((st.lower, st.upper), (t.lower, t.upper), "{what}");
                assert_eq!(st.taker_below.as_deref(), t.below.map(|j| ids[j]), "{what}");
                assert_eq!(st.taker_above.as_deref(), t.above.map(|j| ids[j]), "{what}");
            }
        }
    }
}

/// The criterion sliders' tipping points, checked by moving the share just
/// past each end and ranking again.
#[test]
fn criterion_tipping_points_are_where_the_leader_changes() {
    const STEP: f64 = 1e-9;
    let decision = load(&repo_root());
    let values = explore::values(&decision, 1, 100).unwrap();
    let m = decision.criteria.len();
    let mut checked = 0;
    for profile in &decision.profiles {
        let w = explore::weights(&decision, profile).unwrap();
        for t in tipping(&decision, &values.base, &w)
            .iter()
            .skip(decision.groups.len())
        {
            let explore::Slider::Criterion(c) = t.slider else {
                panic!("criteria follow groups")
            };
            let k = decision.criteria[c].group;
            let j = decision.groups[k]
                .criteria
                .iter()
                .position(|&x| x == c)
                .unwrap();
            let at = |x: f64| {
                let l = w.local[k][j];
                let mut global = w.global.clone();
                for (jj, &cc) in decision.groups[k].criteria.iter().enumerate() {
                    let share = if jj == j {
                        x
                    } else {
                        w.local[k][jj] * (1.0 - x) / (1.0 - l)
                    };
                    global[cc] = w.groups[k] * share;
                }
                leader(&totals(&values.base, m, &global))
            };
            if let Some(b) = t.below {
                assert_eq!(at(t.lower - STEP), b);
                assert_eq!(at(t.lower + STEP), t.leader);
                checked += 1;
            }
            if let Some(a) = t.above {
                assert_eq!(at(t.upper + STEP), a);
                assert_eq!(at(t.upper - STEP), t.leader);
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "only {checked} tipping points checked");
}

/// The block the page copies (the Node tests check that the page writes
/// exactly `profile-block.toml`) loads as a profile of the decision, with
/// the weights `score --weights` gives it.
#[test]
fn the_copied_profile_block_loads_into_the_decision() {
    let block_path = fixtures().join("profile-block.toml");
    let block = fs::read_to_string(&block_path).unwrap();
    let tmp = copy_of_root_decision();
    let criteria = tmp.path().join("criteria/twente.toml");
    let text = fs::read_to_string(&criteria).unwrap();
    fs::write(&criteria, format!("{text}\n{block}")).unwrap();
    let decision = load(tmp.path());
    let loaded = decision
        .profile(Some("raad_2019"))
        .expect("the pasted profile");
    assert_eq!(loaded.name.en, "Council \"what-if\" 2019");
    let from_block = score(&CompiledDecision::new(&decision, loaded).unwrap());
    let out = afweging()
        .args(["score", "--format", "json", "--weights"])
        .arg(&block_path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: Value = serde_json::from_slice(&out).unwrap();
    for row in &from_block.initiatives {
        let other = json["initiatives"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == row.id.as_str())
            .unwrap();
        assert_eq!(other["total"].as_f64().unwrap(), row.total, "{}", row.id);
    }
}

#[test]
fn score_with_a_weights_file_rejects_bad_files_at_their_place() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("w.toml");
    fs::write(
        &bad,
        "[[profile]]\nid = \"x\"\ngroups = { cost = 1, reach = 1, efect = 1 }\n",
    )
    .unwrap();
    afweging()
        .args(["score", "--weights"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "w.toml:3:33: error: unknown id `efect`",
        ))
        .stderr(predicate::str::contains("did you mean `effect`?"))
        .stderr(predicate::str::contains("gives no points for `effect`"))
        .stderr(predicate::str::contains(
            "the weights give no `criteria.cost`",
        ));
    afweging()
        .args(["--profile", "dvo", "score", "--weights"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give one of them"));
}

#[test]
fn explore_refuses_absurd_scenario_counts() {
    for n in ["0", "99", "20001", "1000000000"] {
        afweging()
            .args(["explore", "--scenarios", n])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("between 100 and 20000 scenarios"));
    }
}

/// The default page of the shipped decision: small enough, no web address,
/// the data block equal to `--data-json`, the stamp recorded.
#[test]
fn the_default_page_is_self_contained_and_under_two_megabytes() {
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("verkenner.html");
    let data = tmp.path().join("data.json");
    afweging()
        .args(["explore", "-q", "-o"])
        .arg(&html)
        .arg("--data-json")
        .arg(&data)
        .assert()
        .success();
    let page = fs::read_to_string(&html).unwrap();
    assert!(page.len() < 2_000_000, "{} bytes", page.len());
    assert!(!page.contains("http:") && !page.contains("https:"));
    let data = fs::read_to_string(&data).unwrap();
    assert!(page.contains(&data));
    let json: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(json["scenarios"], 6000);
    assert_eq!(json["seed"], 20190701);
    assert_eq!(json["alternatives"][0]["members"], json!(["amberalert"]));
    assert!(json["input_hash"].as_str().unwrap().len() == 64);
    // Text from the files stays inside the JSON: the closed-form decision
    // has `</script>` in a criterion name.
    let closed = tmp.path().join("closed.html");
    afweging()
        .arg("--dir")
        .arg(closed_form())
        .args(["explore", "-q", "--lang", "en", "-n", "100", "-o"])
        .arg(&closed)
        .assert()
        .success();
    let page = fs::read_to_string(&closed).unwrap();
    assert_eq!(
        page.matches("</script>").count(),
        3,
        "only the page's own scripts close"
    );
    assert!(
        page.contains("<title>Closed-form test &lt;decision&gt; &amp; &quot;quotes&quot;</title>")
    );
    assert!(page.contains("<html lang=\"en\">"));
}

/// `explore --evaluate` (what the browser test compares the page with) is
/// the engine's numbers over the page's own scenarios.
#[test]
fn evaluate_prints_the_engines_numbers_for_a_weights_file() {
    let block = fixtures().join("profile-block.toml");
    let out = afweging()
        .args(["explore", "-q", "--evaluate"])
        .arg(&block)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: Value = serde_json::from_slice(&out).unwrap();
    let decision = load(&repo_root());
    let values = explore::values(&decision, decision.simulation.seed, 6000).unwrap();
    let file = fs::read_to_string(&block).unwrap();
    let profile_at = |key: &str| -> Vec<f64> {
        let line = file.lines().find(|l| l.starts_with(key)).unwrap();
        line.split('=')
            .skip(2)
            .map(|x| {
                x.trim_matches(|c: char| !c.is_ascii_digit() && c != '.')
                    .parse()
                    .unwrap()
            })
            .collect()
    };
    let points = SliderPoints {
        groups: profile_at("groups"),
        criteria: vec![
            profile_at("criteria.cost"),
            profile_at("criteria.reach"),
            profile_at("criteria.effect"),
        ],
    };
    let name = Text {
        nl: "x".into(),
        en: "x".into(),
    };
    let w = explore::weights(&decision, &points.to_profile(&decision, "x", name).unwrap()).unwrap();
    let shares: Vec<f64> = json["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(shares, first_shares(&values, &w.global));
    assert_eq!(json["alternatives"][3], "nlalert");
}
