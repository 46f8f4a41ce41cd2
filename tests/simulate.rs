//! Reference checks of the SMAA-2 engine: closed-form cases, invariants and
//! thread-count reproducibility. Tolerances are multiples of the Monte Carlo
//! standard error, named below.

mod util;

use util::decision;

use std::path::Path;

use afweging::engine::compiled::CompiledDecision;
use afweging::engine::simulate::{simulate, Plan, SimulationResult, Stop, Z95_TWO_SIDED};
use afweging::model::{load, Decision};

/// Accept an estimate within this many standard errors of the exact value
/// (a false alarm about once in 1.7 million checks).
const SE_TOL: f64 = 5.0;

/// Seeds of the confidence-error check.
const CONFIDENCE_SEEDS: u64 = 40;
/// Two-sided 99.9% interval of sd / σ for 40 normal samples:
/// √(χ²₃₉(0.0005) / 39) and √(χ²₃₉(0.9995) / 39) (mpmath).
const SD_RATIO_999: (f64, f64) = (0.646, 1.384);
/// Initiatives of the frozen decision checked against the spread, and
/// those whose confidence factor is 1 in every seed.
const CONFIDENCE_CASES: (usize, usize) = (3, 2);
/// Largest accepted 95% half-width of a confidence factor that is 1 in every
/// run (the estimator's floor at the boundary).
const BOUNDARY_ERROR: f64 = 1e-3;

fn group(ids: &[&str]) -> String {
    let mut s = String::new();
    for g in ids {
        s.push_str(&format!("[[group]]\nid = \"{g}\"\nname = \"{g}\"\n"));
    }
    s
}

fn criterion(id: &str, group: &str, worst: f64, best: f64) -> String {
    format!(
        "[[criterion]]\nid = \"{id}\"\ngroup = \"{group}\"\nname = \"{id}\"\nunit = \"u\"\nbetter = \"higher\"\nscale = {{ worst = {worst:?}, best = {best:?} }}\n"
    )
}

fn run(d: &Decision, iterations: u64, seed: u64) -> SimulationResult {
    let plan = Plan {
        seed,
        stop: Stop::Iterations(iterations),
        confidence: true,
    };
    simulate(
        &CompiledDecision::new(d, &d.profiles[0]).unwrap(),
        &plan,
        &|_, _| {},
    )
    .unwrap()
}

fn se(p: f64, n: u64) -> f64 {
    (p * (1.0 - p) / n as f64).sqrt().max(1e-12)
}

fn standard_normal_cdf(x: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::new(0.0, 1.0).unwrap().cdf(x)
}

#[test]
fn dominant_initiative_is_first_in_every_draw() {
    let dir = tempfile::tempdir().unwrap();
    let mut crit = group(&["g"]);
    for c in ["c1", "c2", "c3"] {
        crit.push_str(&criterion(c, "g", 0.0, 100.0));
    }
    let good = "c1 = { uniform = [60, 90], assumption = \"t\" }\nc2 = { pert = [55, 70, 99], assumption = \"t\" }\nc3 = { normal = { mean = 80, sd = 3 }, assumption = \"t\" }";
    let bad = "c1 = { uniform = [10, 50], assumption = \"t\" }\nc2 = { triangular = [0, 20, 54], assumption = \"t\" }\nc3 = { value = 40, assumption = \"t\" }";
    let d = decision(dir.path(), &crit, &[("good", good), ("bad", bad)]);
    let r = run(&d, 20_000, 1);
    assert_eq!(r.rank_acceptability["good"], vec![1.0, 0.0]);
    assert_eq!(r.rank_acceptability["bad"], vec![0.0, 1.0]);
    assert_eq!(r.confidence["good"], Some(1.0));
    assert_eq!(r.pairwise_winning["good"]["bad"], 1.0);
    assert!(r.central_weights["bad"].is_none());
}

#[test]
fn two_normals_on_one_criterion_win_with_probability_phi() {
    // One criterion, scale wide enough (±100 sd) that clamping never happens:
    // P(a > b) = Φ((μa − μb) / sqrt(σa² + σb²)).
    let dir = tempfile::tempdir().unwrap();
    let crit = group(&["g"]) + &criterion("c", "g", -200.0, 200.0);
    let d = decision(
        dir.path(),
        &crit,
        &[
            (
                "a",
                "c = { normal = { mean = 1.0, sd = 1.5 }, assumption = \"t\" }",
            ),
            (
                "b",
                "c = { normal = { mean = 0.0, sd = 2.0 }, assumption = \"t\" }",
            ),
        ],
    );
    let n = 200_000;
    let r = run(&d, n, 3);
    let exact = standard_normal_cdf(1.0 / (1.5f64.powi(2) + 2.0f64.powi(2)).sqrt());
    let got = r.rank_acceptability["a"][0];
    assert!(
        (got - exact).abs() < SE_TOL * se(exact, n),
        "P(a first) = {got}, exact {exact}"
    );
    // The reported half-width is the binomial one (Agresti–Coull, which for
    // n = 200,000 and p near 0.66 differs from Wald by about 1e-5 relative).
    let hw = r.error.rank_acceptability["a"][0];
    assert!((hw - Z95_TWO_SIDED * se(got, n)).abs() < 1e-4 * hw);
    // And the overall value of `a` has the mean and sd of its scaled normal.
    let v = r.value["a"];
    let (mean, sd) = ((1.0 + 200.0) / 400.0, 1.5 / 400.0);
    assert!((v.mean - mean).abs() < SE_TOL * sd / (n as f64).sqrt());
    assert!((v.sd - sd).abs() < 0.01 * sd);
    // Histogram percentiles: within the order-statistic error plus one bin.
    let p95 = mean + 1.644_853_626_951_472_2 * sd;
    assert!((v.p95 - p95).abs() < r.error.value["a"].p95 + 1.0 / 4096.0);
}

#[test]
fn symmetric_initiatives_get_equal_acceptabilities() {
    let dir = tempfile::tempdir().unwrap();
    let mut crit = group(&["g1", "g2"]);
    crit.push_str(&criterion("c1", "g1", 0.0, 10.0));
    crit.push_str(&criterion("c2", "g2", 0.0, 10.0));
    let v = "c1 = { triangular = [2, 5, 9], assumption = \"t\" }\nc2 = { uniform = [1, 8], assumption = \"t\" }";
    let d = decision(dir.path(), &crit, &[("x", v), ("y", v), ("z", v)]);
    let n = 120_000;
    let r = run(&d, n, 11);
    for id in ["x", "y", "z"] {
        for &p in &r.rank_acceptability[id] {
            assert!(
                (p - 1.0 / 3.0).abs() < SE_TOL * se(1.0 / 3.0, n),
                "{id}: {p}"
            );
        }
    }
    // Exactly tied constants share every rank equally.
    let dir2 = tempfile::tempdir().unwrap();
    let c = "c1 = { value = 5, assumption = \"t\" }\nc2 = { value = 5, assumption = \"t\" }";
    let d2 = decision(dir2.path(), &crit, &[("x", c), ("y", c)]);
    let r2 = run(&d2, 1000, 1);
    assert_eq!(r2.rank_acceptability["x"], vec![0.5, 0.5]);
    assert_eq!(r2.pairwise_winning["x"]["y"], 0.5);
}

#[test]
fn central_weights_of_a_sure_winner_under_a_ranking_are_roc() {
    // A dominant initiative ranks first in every draw, so its central weights
    // are the mean of the weights: for a ranking, the rank-order centroid.
    let dir = tempfile::tempdir().unwrap();
    let mut crit = group(&["g"]);
    for c in ["c1", "c2", "c3", "c4"] {
        crit.push_str(&criterion(c, "g", 0.0, 1.0));
    }
    crit.push_str(
        "[[profile]]\nid = \"p\"\nname = \"p\"\ncriteria.g = [\"c3\", \"c1\", \"c4\", \"c2\"]\n",
    );
    let hi = "c1 = 0.9\nc2 = 0.9\nc3 = 0.9\nc4 = 0.9";
    let lo = "c1 = { uniform = [0.1, 0.5], assumption = \"t\" }\nc2 = 0.2\nc3 = 0.3\nc4 = 0.4";
    let d = decision(dir.path(), &crit, &[("hi", hi), ("lo", lo)]);
    let n = 100_000;
    let r = run(&d, n, 5);
    let roc = |k: usize| (k..=4).map(|j| 1.0 / j as f64).sum::<f64>() / 4.0;
    let cw = r.central_weights["hi"].as_ref().unwrap();
    let err = r.error.central_weights["hi"].as_ref().unwrap();
    for (c, k) in [("c3", 1), ("c1", 2), ("c4", 3), ("c2", 4)] {
        // err is a 95% half-width: convert to a standard error.
        let tol = SE_TOL * err[c] / Z95_TWO_SIDED;
        assert!(
            (cw[c] - roc(k)).abs() < tol,
            "{c}: {} vs ROC {}",
            cw[c],
            roc(k)
        );
    }
}

#[test]
fn acceptability_rows_and_columns_sum_to_one() {
    let d = load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    for p in &d.profiles {
        let plan = Plan {
            seed: 1,
            stop: Stop::Iterations(20_000),
            confidence: false,
        };
        let r = simulate(&CompiledDecision::new(&d, p).unwrap(), &plan, &|_, _| {}).unwrap();
        let n = r.initiatives.len();
        for id in &r.initiatives {
            let row: f64 = r.rank_acceptability[id].iter().sum();
            assert!(
                (row - 1.0).abs() < 1e-12,
                "{}: row {id} sums to {row}",
                p.id
            );
        }
        for k in 0..n {
            let col: f64 = r
                .initiatives
                .iter()
                .map(|id| r.rank_acceptability[id][k])
                .sum();
            assert!(
                (col - 1.0).abs() < 1e-12,
                "{}: column {k} sums to {col}",
                p.id
            );
        }
        for i in &r.initiatives {
            for j in &r.initiatives {
                if i != j {
                    let s = r.pairwise_winning[i][j] + r.pairwise_winning[j][i];
                    assert!((s - 1.0).abs() < 1e-12);
                }
            }
        }
    }
}

#[test]
fn identical_results_on_any_number_of_threads() {
    let d = load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let plan = Plan {
        seed: 42,
        stop: Stop::Iterations(3 * 8192 + 123),
        confidence: true,
    };
    let mut outputs = Vec::new();
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let r = pool.install(|| {
            simulate(
                &CompiledDecision::new(&d, &d.profiles[2]).unwrap(),
                &plan,
                &|_, _| {},
            )
            .unwrap()
        });
        outputs.push(serde_json::to_string(&r).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
    // A different seed gives different draws.
    let other = Plan { seed: 43, ..plan };
    let r = simulate(
        &CompiledDecision::new(&d, &d.profiles[2]).unwrap(),
        &other,
        &|_, _| {},
    )
    .unwrap();
    assert_ne!(outputs[0], serde_json::to_string(&r).unwrap());
}

#[test]
fn target_error_stops_when_reached() {
    let d = load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let plan = Plan {
        seed: 1,
        stop: Stop::TargetError {
            target: 0.01,
            max_iterations: 5_000_000,
        },
        confidence: false,
    };
    let r = simulate(
        &CompiledDecision::new(&d, &d.profiles[0]).unwrap(),
        &plan,
        &|_, _| {},
    )
    .unwrap();
    assert!(r.target_reached);
    let worst = r
        .error
        .rank_acceptability
        .values()
        .flatten()
        .fold(0.0f64, |a, &b| a.max(b));
    assert!(worst <= 0.01, "{worst}");
    // It stops after the first round that reaches it: 0.01 needs at most
    // 1.96² · 0.25 / 0.01² ≈ 9604 draws.
    assert!(r.iterations <= 16 * 8192, "{}", r.iterations);
}

#[test]
fn confidence_errors_cover_the_spread_between_seeds() {
    // The confidence factor depends on estimated central weights; its
    // reported error must include that noise, not only the second pass's,
    // and must not overstate it either. Over CONFIDENCE_SEEDS independent
    // seeds on the frozen decision, the estimates' spread over the mean
    // reported standard error must lie in the two-sided 99.9% interval of
    // sd / σ for that many samples, for every initiative.
    let d = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/twente-v1")).unwrap();
    let profile = d.profiles.iter().find(|p| p.id == "onbekend").unwrap();
    let runs: Vec<SimulationResult> = (0..CONFIDENCE_SEEDS)
        .map(|seed| {
            let plan = Plan {
                seed: 100 + seed,
                stop: Stop::Iterations(2 * 8192),
                confidence: true,
            };
            simulate(
                &CompiledDecision::new(&d, profile).unwrap(),
                &plan,
                &|_, _| {},
            )
            .unwrap()
        })
        .collect();
    let (mut checked, mut boundary) = (0, 0);
    for id in &runs[0].initiatives {
        let xs: Vec<f64> = runs.iter().filter_map(|r| r.confidence[id]).collect();
        let errs: Vec<f64> = runs.iter().filter_map(|r| r.error.confidence[id]).collect();
        // An initiative that is never first has no confidence factor; it
        // must then have none in every run (and is not counted).
        if xs.is_empty() {
            assert!(
                errs.is_empty(),
                "{id}: an error without a confidence factor"
            );
            continue;
        }
        assert_eq!(
            xs.len(),
            runs.len(),
            "{id}: confidence factor in some runs only"
        );
        assert_eq!(errs.len(), runs.len(), "{id}: error in some runs only");
        let k = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / k;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
        let reported_se = errs.iter().sum::<f64>() / k / Z95_TWO_SIDED;
        let ratio = sd / reported_se;
        println!(
            "{id}: mean {mean:.4}, sd {sd:.3e}, reported se {reported_se:.3e}, ratio {ratio:.3}"
        );
        if xs.iter().all(|&x| x == 1.0) {
            // First under its own central weights in every draw of every
            // seed: no spread to compare, and the reported error is the
            // small floor of an estimate at the boundary.
            assert!(
                errs.iter().all(|&e| e > 0.0 && e < BOUNDARY_ERROR),
                "{id}: {errs:?}"
            );
            boundary += 1;
            continue;
        }
        assert!(
            (SD_RATIO_999.0..=SD_RATIO_999.1).contains(&ratio),
            "{id}: spread {sd:.3e} is {ratio:.2}× the reported standard error {reported_se:.3e}"
        );
        checked += 1;
    }
    // Every initiative of the frozen decision is first in some draws.
    assert_eq!(
        (checked, boundary),
        CONFIDENCE_CASES,
        "initiatives checked against the spread, and at the boundary"
    );
}

/// More initiatives than the register kernels take (8) use the column form
/// of the weighted sums and the confidence pass: symmetric initiatives still
/// get equal acceptabilities and equal confidence factors.
#[test]
fn many_symmetric_initiatives_use_the_column_form_correctly() {
    let dir = tempfile::tempdir().unwrap();
    let mut crit = group(&["g1", "g2"]);
    crit.push_str(&criterion("c1", "g1", 0.0, 10.0));
    crit.push_str(&criterion("c2", "g2", 0.0, 10.0));
    let v = "c1 = { pert = [2, 5, 9], assumption = \"t\" }\nc2 = { normal = { mean = 5, sd = 1 }, assumption = \"t\" }";
    let ids: Vec<String> = (0..10).map(|k| format!("i{k}")).collect();
    let inits: Vec<(&str, &str)> = ids.iter().map(|id| (id.as_str(), v)).collect();
    let d = decision(dir.path(), &crit, &inits);
    let n = 100_000;
    let r = run(&d, n, 5);
    let conf: Vec<f64> = ids
        .iter()
        .map(|id| r.confidence[id].expect("every initiative is sometimes first"))
        .collect();
    let mean_conf = conf.iter().sum::<f64>() / conf.len() as f64;
    for (id, c) in ids.iter().zip(&conf) {
        for &p in &r.rank_acceptability[id] {
            assert!((p - 0.1).abs() < SE_TOL * se(0.1, n), "{id}: {p}");
        }
        let row: f64 = r.rank_acceptability[id].iter().sum();
        assert!((row - 1.0).abs() < 1e-12);
        // By symmetry, under any one weight vector each initiative is first
        // in 1/10 of the draws.
        assert!(
            (c - 0.1).abs() < SE_TOL * r.error.confidence[id].unwrap().max(se(0.1, n)),
            "{id}: {c} (mean over initiatives {mean_conf})"
        );
    }
}

/// Forty alternatives, far more than the register kernels take (8), give
/// exactly the numbers of the register path: eight uncertain initiatives
/// alone, and the same eight beside 32 certain ones that score 0 on every
/// criterion (they draw nothing, so the eight see the same draws, and never
/// reach the top eight). The 32 tie for ranks 9–40 and share them exactly.
#[test]
fn forty_alternatives_agree_exactly_with_the_register_path() {
    let mut crit = group(&["g1", "g2"]);
    crit.push_str(&criterion("c1", "g1", 0.0, 10.0));
    crit.push_str(&criterion("c2", "g1", 0.0, 10.0));
    crit.push_str(&criterion("c3", "g2", 0.0, 10.0));
    let uncertain: Vec<(String, String)> = (0..8)
        .map(|k| {
            let lo = 1.0 + 0.5 * k as f64;
            (
                format!("a{k}"),
                format!(
                    "c1 = {{ uniform = [{lo:?}, 9.0], assumption = \"t\" }}\nc2 = {{ pert = [1, {:?}, 9.5], assumption = \"t\" }}\nc3 = {{ triangular = [1, 5, {:?}], assumption = \"t\" }}",
                    2.0 + 0.7 * k as f64,
                    6.0 + 0.4 * k as f64
                ),
            )
        })
        .collect();
    let zero = "c1 = { value = 0, assumption = \"t\" }\nc2 = { value = 0, assumption = \"t\" }\nc3 = { value = 0, assumption = \"t\" }";
    let mut all = uncertain.clone();
    all.extend((0..32).map(|k| (format!("z{k:02}"), zero.to_string())));
    let (small_dir, big_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let small_refs: Vec<(&str, &str)> = uncertain
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let big_refs: Vec<(&str, &str)> = all.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let small = decision(small_dir.path(), &crit, &small_refs);
    let big = decision(big_dir.path(), &crit, &big_refs);
    assert_eq!(big.initiatives.len(), 40);
    let n = 20_000;
    let (s, b) = (run(&small, n, 11), run(&big, n, 11));
    let ids: Vec<&str> = small_refs.iter().map(|(id, _)| *id).collect();
    for id in &ids {
        let (rs, rb) = (&s.rank_acceptability[*id], &b.rank_acceptability[*id]);
        assert_eq!(rs[..], rb[..8], "{id}: ranks");
        assert!(rb[8..].iter().all(|&p| p == 0.0), "{id}: below the eight");
        for other in &ids {
            if other != id {
                assert_eq!(
                    s.pairwise_winning[*id][*other],
                    b.pairwise_winning[*id][*other]
                );
            }
        }
        assert_eq!(b.pairwise_winning[*id]["z00"], 1.0);
        assert_eq!(s.central_weights[*id], b.central_weights[*id], "{id}");
        assert_eq!(s.confidence[*id], b.confidence[*id], "{id}: confidence");
        assert_eq!(s.value[*id], b.value[*id], "{id}: value");
    }
    for k in 0..32 {
        let row = &b.rank_acceptability[&format!("z{k:02}")];
        assert!(row[..8].iter().all(|&p| p == 0.0));
        assert!(
            row[8..].iter().all(|&p| p == 1.0 / 32.0),
            "z{k:02}: {row:?}"
        );
        assert_eq!(b.confidence[&format!("z{k:02}")], None);
    }
}
