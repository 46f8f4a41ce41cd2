//! Reference checks of the sensitivity and value-of-information analyses:
//! closed-form Sobol indices (an additive model, where first-order and
//! total indices agree, and a weight × value product, where they differ)
//! with fixed tolerances, an analytic EVPI, EVPPI bounds, EVPPI error bars
//! against the spread over seeds, exact weight stability break points and
//! thread-count reproducibility.

mod util;

use util::decision;

use std::path::Path;

use afweging::engine::compiled::CompiledDecision;
use afweging::engine::sensitivity::{sensitivity, SensitivityPlan, SensitivityResult};
use afweging::engine::simulate::Z95_TWO_SIDED as Z95;
use afweging::model::{load, Decision};

/// Accept an estimate within this many standard errors of the exact value.
const SE_TOL: f64 = 5.0;

fn criteria(ids: &[(&str, f64, f64)], profile: &str) -> String {
    let mut s = String::from("[[group]]\nid = \"g\"\nname = \"g\"\n");
    for (id, worst, best) in ids {
        s.push_str(&format!(
            "[[criterion]]\nid = \"{id}\"\ngroup = \"g\"\nname = \"{id}\"\nunit = \"u\"\nbetter = \"higher\"\nscale = {{ worst = {worst:?}, best = {best:?} }}\n"
        ));
    }
    s.push_str(profile);
    s
}

fn run(d: &Decision, rows: u64, seed: u64) -> SensitivityResult {
    sensitivity(
        &CompiledDecision::new(d, &d.profiles[0]).unwrap(),
        &SensitivityPlan { seed, rows },
    )
    .unwrap()
}

#[test]
fn sobol_indices_of_a_linear_additive_value_are_its_variance_shares() {
    // V = Σ w_c (x_c − worst_c) / (best_c − worst_c) with independent uniform
    // inputs: S_c = ST_c = w_c² Var_c / Σ_j w_j² Var_j.
    let dir = tempfile::tempdir().unwrap();
    let crit = criteria(
        &[("c1", 0.0, 10.0), ("c2", 0.0, 100.0), ("c3", 0.0, 1.0)],
        "[[profile]]\nid = \"p\"\nname = \"p\"\ncriteria.g = { c1 = 5, c2 = 3, c3 = 2 }\n",
    );
    let x = "c1 = { uniform = [2, 8], assumption = \"t\" }\nc2 = { uniform = [10, 90], assumption = \"t\" }\nc3 = { uniform = [0.4, 0.6], assumption = \"t\" }";
    let y = "c1 = 5\nc2 = 50\nc3 = 0.5";
    let d = decision(dir.path(), &crit, &[("x", x), ("y", y)]);
    let r = run(&d, 100_000, 9);
    let w = [0.5, 0.3, 0.2];
    let var = [
        (0.6f64).powi(2) / 12.0,
        (0.8f64).powi(2) / 12.0,
        (0.2f64).powi(2) / 12.0,
    ];
    let parts: Vec<f64> = w.iter().zip(var).map(|(w, v)| w * w * v).collect();
    let sum: f64 = parts.iter().sum();
    for (k, c) in ["c1", "c2", "c3"].iter().enumerate() {
        let exact = parts[k] / sum;
        let s = r.sobol["x"][&format!("x.{c}")];
        println!(
            "{c}: first {:.4} ± {:.4}, total {:.4} ± {:.4}, exact {exact:.4}",
            s.first, s.first_ci, s.total, s.total_ci
        );
        check_index(&format!("x.{c} first"), s.first, s.first_ci, exact);
        check_index(&format!("x.{c} total"), s.total, s.total_ci, exact);
    }
    // The group of all values explains everything.
    let g = r.sobol["x"]["group:g"];
    check_index("group:g first", g.first, g.first_ci, 1.0);
    check_index("group:g total", g.total, g.total_ci, 1.0);
}

/// Accepted distance of a Sobol index from its exact value.
const SOBOL_TOL: f64 = 0.02;
/// Largest accepted reported 95% half-width of a Sobol index at the rows
/// of these tests: a check with `SOBOL_TOL` is then at least ~4 standard
/// errors wide, and a design whose noise exploded would fail here.
const SOBOL_CI_MAX: f64 = 0.01;

fn check_index(what: &str, est: f64, ci: f64, exact: f64) {
    assert!(
        (est - exact).abs() <= SOBOL_TOL,
        "{what}: {est} vs exact {exact} (± {ci})"
    );
    assert!(
        ci <= SOBOL_CI_MAX,
        "{what}: half-width {ci} > {SOBOL_CI_MAX}"
    );
}

#[test]
fn sobol_indices_of_a_weight_value_product_separate_first_order_and_total() {
    // Two groups of one criterion each and unknown weights: the group share
    // w of g1 is U(0, 1) and x's value is Y = w · v with v ~ U(0, 1)
    // (c2 is 0). Var Y = E[w²] E[v²] − (E w E v)² = 1/9 − 1/16 = 7/144;
    // Var E[Y | w] = Var(w / 2) = 1/48, so S_w = S_v = (1/48) / (7/144) =
    // 3/7, and the interaction w × v makes the totals ST = 1 − 3/7 = 4/7.
    let dir = tempfile::tempdir().unwrap();
    let mut crit = String::new();
    for (g, c) in [("g1", "c1"), ("g2", "c2")] {
        crit.push_str(&format!(
            "[[group]]\nid = \"{g}\"\nname = \"{g}\"\n[[criterion]]\nid = \"{c}\"\ngroup = \"{g}\"\nname = \"{c}\"\nunit = \"u\"\nbetter = \"higher\"\nscale = {{ worst = 0.0, best = 1.0 }}\n"
        ));
    }
    let d = decision(
        dir.path(),
        &crit,
        &[
            ("x", "c1 = { uniform = [0, 1], assumption = \"t\" }\nc2 = 0"),
            ("y", "c1 = 0.5\nc2 = 0.5"),
        ],
    );
    let r = run(&d, 100_000, 21);
    let x = &r.sobol["x"];
    for input in ["x.c1", "weights", "group:g1"] {
        let s = x[input];
        println!(
            "{input}: first {:.4} ± {:.4}, total {:.4} ± {:.4}",
            s.first, s.first_ci, s.total, s.total_ci
        );
        check_index(&format!("{input} first"), s.first, s.first_ci, 3.0 / 7.0);
        check_index(&format!("{input} total"), s.total, s.total_ci, 4.0 / 7.0);
    }
    assert_eq!(x.len(), 3, "{:?}", x.keys());
}

#[test]
fn evpi_of_a_certain_option_against_a_uniform_one_is_analytic() {
    // a = 0.5 certain, b ~ U(0.2, 0.9): E[max(a, b)] − max(a, E b)
    // = (0.3 · 0.5 + (0.81 − 0.25) / 2) / 0.7 − 0.55.
    let dir = tempfile::tempdir().unwrap();
    let crit = criteria(&[("c", 0.0, 1.0)], "");
    let d = decision(
        dir.path(),
        &crit,
        &[
            ("a", "c = { value = 0.5, source = \"t\" }"),
            ("b", "c = { uniform = [0.2, 0.9], source = \"t\" }"),
            // Far below both whatever it turns out to be: worth nothing to know.
            ("z", "c = { uniform = [0.0, 0.1], source = \"t\" }"),
        ],
    );
    let r = run(&d, 50_000, 4);
    let exact = (0.3 * 0.5 + (0.81 - 0.25) / 2.0) / 0.7 - 0.55;
    assert!(
        (r.evpi - exact).abs() < SE_TOL * r.error.evpi / Z95,
        "EVPI {} vs {exact} ± {}",
        r.evpi,
        r.error.evpi
    );
    // Learning b is learning everything that matters; learning z is worthless.
    let b = r.evppi["b.c"];
    assert!(
        (b - exact).abs() < SE_TOL * r.error.evppi["b.c"] / Z95 + 1e-4,
        "{b}"
    );
    assert_eq!(r.evppi["z.c"], 0.0);
}

#[test]
fn evppi_never_exceeds_evpi_on_the_shipped_decision() {
    let d = load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    for p in &d.profiles {
        let r = sensitivity(
            &CompiledDecision::new(&d, p).unwrap(),
            &SensitivityPlan {
                seed: 3,
                rows: 4096,
            },
        )
        .unwrap();
        for (k, v) in &r.evppi {
            let slack = SE_TOL * (r.error.evpi + r.error.evppi[k]) / Z95;
            assert!(
                *v <= r.evpi + slack,
                "{}: EVPPI {k} = {v} > EVPI {}",
                p.id,
                r.evpi
            );
            assert!(*v >= 0.0);
        }
        assert!(r.evpi >= 0.0);
    }
}

#[test]
fn weight_stability_break_points_are_exact() {
    // Two criteria at 50/50: a = (1, 0) totals 0.5, b = (0.4, 0.4) totals 0.4.
    // Moving w1 = x (w2 = 1 − x): a = x, b = 0.4, so a stays first for x ≥ 0.4.
    let dir = tempfile::tempdir().unwrap();
    let crit = criteria(
        &[("c1", 0.0, 1.0), ("c2", 0.0, 1.0)],
        "[[profile]]\nid = \"p\"\nname = \"p\"\ncriteria.g = { c1 = 1, c2 = 1 }\n",
    );
    let d = decision(
        dir.path(),
        &crit,
        &[
            ("a", "c1 = { value = 1.0, source = \"t\" }\nc2 = { value = 0.0, source = \"t\" }"),
            ("b", "c1 = { value = 0.4, source = \"t\" }\nc2 = { uniform = [0.3, 0.5], source = \"t\" }"),
        ],
    );
    let r = run(&d, 4096, 1);
    let s = &r.weight_stability["c1"];
    assert_eq!(s.leader, "a");
    assert!((s.current - 0.5).abs() < 1e-12);
    assert!((s.lower - 0.4).abs() < 1e-12, "{s:?}");
    assert_eq!(s.upper, 1.0);
    assert_eq!(s.taker_below.as_deref(), Some("b"));
    assert!((s.smallest_change.unwrap() - 0.1).abs() < 1e-12);
    assert_eq!(s.takes_over.as_deref(), Some("b"));
    // Tornado: b's uncertain c2 at p05 = 0.31 and p95 = 0.49 moves b's total by ½ · Δ.
    let t = &r.tornado["b.c2"];
    assert!((t.low - (0.2 + 0.5 * 0.31)).abs() < 1e-12, "{t:?}");
    assert!((t.high - (0.2 + 0.5 * 0.49)).abs() < 1e-12);
    assert!(!t.changes_leader);
}

#[test]
fn identical_results_on_any_number_of_threads() {
    let d = load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let plan = SensitivityPlan {
        seed: 11,
        rows: 5000,
    };
    let mut outs = Vec::new();
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let r = pool.install(|| {
            sensitivity(&CompiledDecision::new(&d, &d.profiles[2]).unwrap(), &plan).unwrap()
        });
        outs.push(serde_json::to_string(&r).unwrap());
    }
    assert_eq!(outs[0], outs[1]);
    assert_eq!(outs[0], outs[2]);
}

/// Seeds of the EVPPI error-bar check.
const EVPPI_SEEDS: u64 = 200;
/// Accepted range of sd(estimates over seeds) / mean(reported standard
/// error). With 200 seeds the sample sd has a relative standard error of
/// 1/√398 = 5%; ±25% is five of them, and leaves room for the reported
/// errors' own noise. The old error (draws only) gave 2–5×.
const SPREAD_RATIO: (f64, f64) = (0.75, 1.25);
/// Accepted share of seeds whose estimate lies within its reported 95%
/// half-width of the mean over seeds: 0.95 ± 3.5 binomial standard errors
/// (√(0.95 · 0.05 / 200) = 0.0154), a false alarm about once in 2,000 runs
/// per input.
const COVERAGE: (f64, f64) = (0.95 - 3.5 * 0.0154, 1.0);

/// The reported EVPPI half-widths cover the spread of the estimates over
/// independent seeds, for value, grouped-value and weight inputs, two-sided
/// (an error that is too small and one that is too large both fail), and
/// every input is counted.
#[test]
fn evppi_errors_match_the_spread_between_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let mut crit = String::new();
    for g in ["g1", "g2"] {
        crit.push_str(&format!("[[group]]\nid = \"{g}\"\nname = \"{g}\"\n"));
    }
    for (c, g) in [("c1", "g1"), ("c2", "g1"), ("c3", "g2"), ("c4", "g2")] {
        crit.push_str(&format!(
            "[[criterion]]\nid = \"{c}\"\ngroup = \"{g}\"\nname = \"{c}\"\nunit = \"u\"\nbetter = \"higher\"\nscale = {{ worst = 0.0, best = 1.0 }}\n"
        ));
    }
    // No profile: weights unknown (flat on both levels), so the group
    // shares and the shares inside each group are uncertain inputs.
    let u = |lo: f64, hi: f64| format!("{{ uniform = [{lo:?}, {hi:?}], assumption = \"t\" }}");
    let a = format!("c1 = 0.9\nc2 = 0.8\nc3 = 0.2\nc4 = {}", u(0.0, 0.6));
    let b = format!("c1 = 0.3\nc2 = {}\nc3 = 0.9\nc4 = 0.7", u(0.0, 0.8));
    let c = format!("c1 = 0.6\nc2 = 0.5\nc3 = {}\nc4 = 0.6", u(0.1, 0.9));
    let d = decision(dir.path(), &crit, &[("a", &a), ("b", &b), ("c", &c)]);
    let runs: Vec<SensitivityResult> = (0..EVPPI_SEEDS).map(|s| run(&d, 8192, 1000 + s)).collect();
    let inputs = [
        "a.c4",
        "b.c2",
        "c.c3",
        "weights",
        "weights.g1",
        "weights.g2",
        "group:g1",
        "group:g2",
    ];
    let mut checked = 0;
    for input in inputs {
        let est: Vec<f64> = runs.iter().map(|r| r.evppi[input]).collect();
        let half: Vec<f64> = runs.iter().map(|r| r.error.evppi[input]).collect();
        let k = est.len() as f64;
        let mean = est.iter().sum::<f64>() / k;
        let sd = (est.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
        let se = half.iter().sum::<f64>() / k / Z95;
        let ratio = sd / se;
        let covered = est
            .iter()
            .zip(&half)
            .filter(|(x, h)| (*x - mean).abs() <= **h)
            .count() as f64
            / k;
        println!("{input}: mean {mean:.5}, sd {sd:.2e}, reported se {se:.2e}, ratio {ratio:.3}, coverage {covered:.3}");
        assert!(mean > 0.0, "{input}: EVPPI {mean} should be positive");
        assert!(
            (SPREAD_RATIO.0..=SPREAD_RATIO.1).contains(&ratio),
            "{input}: spread {sd:.3e} is {ratio:.2}× the reported standard error {se:.3e}"
        );
        assert!(
            (COVERAGE.0..=COVERAGE.1).contains(&covered),
            "{input}: {covered} of the seeds within their half-width"
        );
        checked += 1;
    }
    assert_eq!(checked, inputs.len());
    assert_eq!(
        runs[0].evppi.len(),
        inputs.len(),
        "{:?}",
        runs[0].evppi.keys()
    );
}

/// Every key of the output names a typed input whose one serialised form
/// is that key, and every weight of the decision has its stability interval.
#[test]
fn every_key_names_its_typed_input() {
    use afweging::engine::sensitivity::{Input, Weight};
    let d = load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    // The profile with unknown weights: every kind of input is uncertain.
    let profile = d.profiles.iter().find(|p| p.id == "onbekend").unwrap();
    let plan = SensitivityPlan {
        seed: 5,
        rows: 2048,
    };
    let r = sensitivity(&CompiledDecision::new(&d, profile).unwrap(), &plan).unwrap();
    let keys = r.sobol["difference"]
        .keys()
        .chain(r.evppi.keys())
        .chain(r.tornado.keys());
    let mut kinds = [0usize; 4];
    for key in keys {
        let input = r.input(key).unwrap_or_else(|| panic!("{key}: no input"));
        assert_eq!(&input.key(), key);
        kinds[match input {
            Input::Value { .. } => 0,
            Input::GroupShares => 1,
            Input::LocalShares { .. } => 2,
            Input::GroupValues { .. } => 3,
        }] += 1;
    }
    assert!(kinds.iter().all(|&k| k > 0), "every kind occurs: {kinds:?}");
    for t in r.tornado.values() {
        let value = Input::Value {
            initiative: t.initiative.clone(),
            criterion: t.criterion.clone(),
        };
        assert!(r.tornado.contains_key(&value.key()));
    }
    for g in &d.groups {
        let w = Weight::Group {
            group: g.id.clone(),
        };
        assert_eq!(r.stability(&w).unwrap().kind, "group");
    }
    for c in &d.criteria {
        let w = Weight::Criterion {
            criterion: c.id.clone(),
        };
        assert_eq!(r.stability(&w).unwrap().kind, "criterion");
    }
}

/// An initiative `weights` and a group `reach` with a criterion `reach`
/// would both be `weights.reach`: refused (by the loader, or else by the
/// analysis), never listed as one input.
#[test]
fn colliding_inputs_are_refused() {
    use afweging::engine::sensitivity::SensitivityError;
    let dir = tempfile::tempdir().unwrap();
    let mut crit = String::from("[[group]]\nid = \"reach\"\nname = \"reach\"\n");
    for id in ["reach", "r2"] {
        crit.push_str(&format!(
            "[[criterion]]\nid = \"{id}\"\ngroup = \"reach\"\nname = \"{id}\"\nunit = \"u\"\nbetter = \"higher\"\nscale = {{ worst = 0.0, best = 1.0 }}\n"
        ));
    }
    crit.push_str("[[profile]]\nid = \"p\"\nname = \"p\"\ncriteria.reach = [\"reach\", \"r2\"]\n");
    let v = "reach = { uniform = [0.2, 0.8], assumption = \"t\" }\nr2 = 0.5";
    util::write_decision(dir.path(), &crit, &[("weights", v), ("other", v)]);
    // The loader refuses the ids, at the initiative's place.
    let refused = load(dir.path()).unwrap_err().to_string();
    assert!(
        refused.contains("initiative id `weights` collides"),
        "{refused}"
    );
    // A decision built in memory past the loader: the analysis refuses too.
    let dir = tempfile::tempdir().unwrap();
    util::write_decision(dir.path(), &crit, &[("weightz", v), ("other", v)]);
    let mut d = load(dir.path()).unwrap();
    let i = d
        .initiatives
        .iter()
        .position(|x| x.id == "weightz")
        .unwrap();
    d.initiatives[i].id = "weights".into();
    let got = sensitivity(
        &CompiledDecision::new(&d, &d.profiles[0]).unwrap(),
        &SensitivityPlan {
            seed: 1,
            rows: 2048,
        },
    );
    assert_eq!(
        got,
        Err(SensitivityError::AmbiguousInput {
            key: "weights.reach".into()
        })
    );
}
