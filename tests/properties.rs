//! Property tests of the value model's invariants, through the public API:
//!
//! - values and totals stay in 0..1 (value functions clamp; the additive
//!   total with weights on the simplex is a convex combination);
//! - the ranking (and every total) is unchanged when a criterion's unit is
//!   rescaled together with its scale (the model is unit-free);
//! - weights sum to 1 and are non-negative: every level's representative
//!   weights and draws, and the hierarchical model's global weights.
//!
//! Case counts are modest (64) so the suite stays fast. The generator is
//! seeded with a fixed seed, so every run tests the same cases; a failing
//! case is persisted to `tests/properties.proptest-regressions` (commit it)
//! and replayed first on later runs.

mod util;

use std::fmt::Write as _;
use std::path::Path;

use afweging::engine::compiled::CompiledDecision;
use afweging::engine::rng::Rng;
use afweging::engine::score::score;
use afweging::engine::value_fn::{Better, Scale};
use afweging::engine::weights::{Level, LevelSpec, WeightModel};
use afweging::model::load;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};
use rand::SeedableRng;

/// Rounding slack for sums of weights and for totals.
const SUM_TOL: f64 = 1e-12;

/// The seed of every property test's case generator.
const PROPTEST_SEED: u64 = 0x00af_e6e1_9000_0001;
/// The score's tie tolerance (`score::TIE_TOLERANCE`, documented): totals
/// closer than this share a rank.
const TIE: f64 = 1e-12;

fn config() -> Config {
    Config {
        cases: 64,
        rng_seed: RngSeed::Fixed(PROPTEST_SEED),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}

/// Competition ranks ("1224") of `totals`, highest first, computed
/// independently of the engine: sort, then walk down giving each total the
/// rank of its predecessor when within [`TIE`], else its position.
fn competition_ranks(totals: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| totals[b].total_cmp(&totals[a]));
    let mut rank = vec![0; totals.len()];
    for (pos, &i) in order.iter().enumerate() {
        rank[i] = match pos.checked_sub(1).map(|p| order[p]) {
            Some(prev) if totals[prev] - totals[i] <= TIE => rank[prev],
            _ => pos + 1,
        };
    }
    rank
}

// ------------------------------------------------------------------ scales

/// A random valid scale, as its parts: (better, shape).
#[derive(Debug, Clone)]
enum Shape {
    Linear {
        worst: f64,
        best: f64,
    },
    Exponential {
        worst: f64,
        best: f64,
        curvature: f64,
    },
    Piecewise {
        points: Vec<(f64, f64)>,
    },
}

#[derive(Debug, Clone)]
struct ScaleGen {
    better: Better,
    shape: Shape,
}

impl ScaleGen {
    fn scale(&self) -> Scale {
        match &self.shape {
            Shape::Linear { worst, best } => Scale::linear(*worst, *best, self.better),
            Shape::Exponential {
                worst,
                best,
                curvature,
            } => Scale::exponential(*worst, *best, *curvature, self.better),
            Shape::Piecewise { points } => Scale::piecewise(points.clone(), self.better),
        }
        .expect("generated scales are valid")
    }

    /// The low and high end of the scale's natural values.
    fn span(&self) -> (f64, f64) {
        match &self.shape {
            Shape::Linear { worst, best } | Shape::Exponential { worst, best, .. } => {
                (worst.min(*best), worst.max(*best))
            }
            Shape::Piecewise { points } => (points[0].0, points[points.len() - 1].0),
        }
    }

    /// The same scale with its unit multiplied by `k`, built from the parts
    /// (as a user would write it), not with `Scale::rescaled`.
    fn times(&self, k: f64) -> ScaleGen {
        let shape = match &self.shape {
            Shape::Linear { worst, best } => Shape::Linear {
                worst: worst * k,
                best: best * k,
            },
            Shape::Exponential {
                worst,
                best,
                curvature,
            } => Shape::Exponential {
                worst: worst * k,
                best: best * k,
                curvature: *curvature,
            },
            Shape::Piecewise { points } => Shape::Piecewise {
                points: points.iter().map(|&(x, v)| (x * k, v)).collect(),
            },
        };
        ScaleGen {
            better: self.better,
            shape,
        }
    }

    /// The `scale = …` TOML of the criterion.
    fn toml(&self) -> String {
        match &self.shape {
            Shape::Linear { worst, best } => format!("{{ worst = {worst:?}, best = {best:?} }}"),
            Shape::Exponential {
                worst,
                best,
                curvature,
            } => format!("{{ worst = {worst:?}, best = {best:?}, curvature = {curvature:?} }}"),
            Shape::Piecewise { points } => {
                let pts: Vec<String> = points
                    .iter()
                    .map(|(x, v)| format!("[{x:?}, {v:?}]"))
                    .collect();
                format!("{{ points = [{}] }}", pts.join(", "))
            }
        }
    }
}

fn arb_better() -> impl Strategy<Value = Better> {
    prop_oneof![Just(Better::Higher), Just(Better::Lower)]
}

/// Curvatures away from 0 (which is not allowed), both signs, up to strong.
fn arb_curvature() -> impl Strategy<Value = f64> {
    (0.01f64..12.0, any::<bool>()).prop_map(|(c, neg)| if neg { -c } else { c })
}

fn arb_scale() -> impl Strategy<Value = ScaleGen> {
    let ends = (-1e3f64..1e3, 0.1f64..1e3);
    prop_oneof![
        (arb_better(), ends.clone()).prop_map(|(better, (a, w))| {
            let (worst, best) = oriented(better, a, a + w);
            ScaleGen {
                better,
                shape: Shape::Linear { worst, best },
            }
        }),
        (arb_better(), ends, arb_curvature()).prop_map(|(better, (a, w), curvature)| {
            let (worst, best) = oriented(better, a, a + w);
            ScaleGen {
                better,
                shape: Shape::Exponential {
                    worst,
                    best,
                    curvature,
                },
            }
        }),
        (
            arb_better(),
            -1e3f64..1e3,
            proptest::collection::vec((0.1f64..100.0, 0.0f64..1.0), 2..6),
        )
            .prop_map(|(better, start, steps)| {
                // Strictly increasing x; v sorted (not flat: ends forced apart).
                let mut x = start;
                let mut vs: Vec<f64> = steps.iter().map(|s| s.1).collect();
                vs.sort_by(f64::total_cmp);
                let last = vs.len() - 1;
                vs[0] *= 0.5;
                vs[last] = 0.5 + 0.5 * vs[last];
                if better == Better::Lower {
                    vs.reverse();
                }
                let points = steps
                    .iter()
                    .zip(vs)
                    .map(|(s, v)| {
                        x += s.0;
                        (x, v)
                    })
                    .collect();
                ScaleGen {
                    better,
                    shape: Shape::Piecewise { points },
                }
            }),
    ]
}

fn oriented(better: Better, lo: f64, hi: f64) -> (f64, f64) {
    match better {
        Better::Higher => (lo, hi),
        Better::Lower => (hi, lo),
    }
}

/// A position relative to a scale's span `(lo, hi)`: mostly near it, often
/// beyond it, sometimes very far beyond (±1e8 spans: with spans up to 1e3
/// and a rescaling by up to 1e3 still within the loader's limit of ±1e15,
/// README "Limits").
fn arb_position() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => -0.5f64..1.5,
        2 => -1e6f64..1e6,
        1 => prop_oneof![Just(0.0), Just(1.0), Just(-1e8), Just(1e8)],
    ]
}

fn at(span: (f64, f64), s: f64) -> f64 {
    span.0 + (span.1 - span.0) * s
}

// ------------------------------------------------------------------ weights

/// A random valid level spec of `n` elements, of any of the four kinds.
/// Swing points include zeros and magnitudes whose sum overflows; bounds
/// surround a random feasible point and are sometimes tight (hit-and-run).
fn arb_spec(n: usize) -> impl Strategy<Value = LevelSpec> {
    prop_oneof![
        (
            proptest::collection::vec(prop_oneof![3 => 0.0f64..1.0, 1 => Just(0.0)], n),
            0..n,
            prop_oneof![Just(1.0), Just(1e3), Just(1e-300), Just(f64::MAX / 2.0)],
        )
            .prop_map(|(mut p, k, mag)| {
                p[k] = p[k].max(0.5); // at least one positive point
                LevelSpec::Swing(p.iter().map(|x| x * mag).collect())
            }),
        Just(LevelSpec::Unknown(n)),
        Just((0..n).collect::<Vec<_>>())
            .prop_shuffle()
            .prop_map(LevelSpec::Ordinal),
        (
            proptest::collection::vec(0.01f64..1.0, n),
            proptest::collection::vec((0.0f64..1.0, 0.0f64..1.0), n),
            prop_oneof![Just(1.0), Just(0.05), Just(0.002)],
        )
            .prop_map(|(p, d, tight)| {
                let s: f64 = p.iter().sum();
                LevelSpec::Bounds(
                    p.iter()
                        .zip(d)
                        .map(|(x, (a, b))| {
                            let x = x / s;
                            (
                                (x - tight * a * x).max(0.0),
                                (x + tight * b * (1.0 - x)).min(1.0),
                            )
                        })
                        .collect(),
                )
            }),
    ]
}

/// Checks that `w` is on the simplex and within what `spec` allows.
fn check_weights(spec: &LevelSpec, w: &[f64]) -> Result<(), TestCaseError> {
    let sum: f64 = w.iter().sum();
    prop_assert!((sum - 1.0).abs() <= SUM_TOL, "sum {sum} of {w:?}");
    prop_assert!(w.iter().all(|x| *x >= 0.0 && x.is_finite()), "{w:?}");
    match spec {
        LevelSpec::Bounds(b) => {
            for (x, (lo, hi)) in w.iter().zip(b) {
                prop_assert!(
                    *x >= lo - 1e-9 && *x <= hi + 1e-9,
                    "{x} outside [{lo}, {hi}] in {w:?}"
                );
            }
        }
        LevelSpec::Ordinal(order) => {
            for pair in order.windows(2) {
                prop_assert!(
                    w[pair[0]] >= w[pair[1]],
                    "{w:?} breaks the ranking {order:?}"
                );
            }
        }
        LevelSpec::Swing(p) => {
            let max = p.iter().copied().fold(0.0, f64::max);
            for (x, pi) in w.iter().zip(p) {
                // Shares proportional to the points.
                let expected = (pi / max) / p.iter().map(|q| q / max).sum::<f64>();
                prop_assert!((x - expected).abs() <= 1e-12, "{w:?} vs points {p:?}");
            }
        }
        LevelSpec::Unknown(_) => {}
    }
    Ok(())
}

// ------------------------------------------------------------ decision folders

/// A random decision: groups of criteria (with scales), point values as
/// positions relative to each scale, and a profile.
#[derive(Debug, Clone)]
struct Case {
    /// Per group: its criteria's scales.
    groups: Vec<Vec<ScaleGen>>,
    /// `positions[i][c]`: initiative i on criterion c (flattened in group order).
    positions: Vec<Vec<f64>>,
    group_spec: LevelSpec,
    local_specs: Vec<LevelSpec>,
}

impl Case {
    fn criteria(&self) -> Vec<&ScaleGen> {
        self.groups.iter().flatten().collect()
    }

    /// The natural values, `values[i][c]`.
    fn values(&self) -> Vec<Vec<f64>> {
        let crit = self.criteria();
        self.positions
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&crit)
                    .map(|(&s, sc)| at(sc.span(), s))
                    .collect()
            })
            .collect()
    }
}

fn arb_case() -> impl Strategy<Value = Case> {
    (proptest::collection::vec(1usize..4, 1..4), 2usize..6).prop_flat_map(|(sizes, n)| {
        let m: usize = sizes.iter().sum();
        let groups: Vec<_> = sizes
            .iter()
            .map(|&s| proptest::collection::vec(arb_scale(), s))
            .collect();
        let locals: Vec<_> = sizes.iter().map(|&s| arb_spec(s)).collect();
        (
            groups,
            proptest::collection::vec(proptest::collection::vec(arb_position(), m), n),
            arb_spec(sizes.len()),
            locals,
        )
            .prop_map(|(groups, positions, group_spec, local_specs)| Case {
                groups,
                positions,
                group_spec,
                local_specs,
            })
    })
}

/// The TOML of a weight level over `ids`; `None` for unknown (left out).
fn level_toml(spec: &LevelSpec, ids: &[String]) -> Option<String> {
    let table = |items: Vec<String>| Some(format!("{{ {} }}", items.join(", ")));
    match spec {
        LevelSpec::Unknown(_) => None,
        LevelSpec::Swing(p) => table(
            ids.iter()
                .zip(p)
                .map(|(id, x)| format!("{id} = {x:?}"))
                .collect(),
        ),
        LevelSpec::Bounds(b) => table(
            ids.iter()
                .zip(b)
                .map(|(id, (lo, hi))| format!("{id} = [{lo:?}, {hi:?}]"))
                .collect(),
        ),
        LevelSpec::Ordinal(order) => Some(format!(
            "[{}]",
            order
                .iter()
                .map(|&k| format!("\"{}\"", ids[k]))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Writes `case` (with criterion `rescale.0`'s unit multiplied by
/// `rescale.1`) as a decision folder in `dir`.
fn write_folder(dir: &Path, case: &Case, rescale: (usize, f64)) {
    let (target, k) = rescale;
    let group_ids: Vec<String> = (0..case.groups.len()).map(|g| format!("g{g}")).collect();
    let mut crit = String::new();
    for g in &group_ids {
        writeln!(crit, "[[group]]\nid = \"{g}\"\nname = \"{g}\"").unwrap();
    }
    let mut c = 0;
    let mut member_ids = Vec::new();
    for (g, scales) in case.groups.iter().enumerate() {
        let mut ids = Vec::new();
        for sc in scales {
            let sc = if c == target { sc.times(k) } else { sc.clone() };
            writeln!(
                crit,
                "[[criterion]]\nid = \"c{c}\"\ngroup = \"g{g}\"\nname = \"c{c}\"\nunit = \"u\"\nbetter = \"{}\"\nscale = {}",
                sc.better.as_str(),
                sc.toml()
            )
            .unwrap();
            ids.push(format!("c{c}"));
            c += 1;
        }
        member_ids.push(ids);
    }
    writeln!(crit, "[[profile]]\nid = \"p\"\nname = \"p\"").unwrap();
    if let Some(t) = level_toml(&case.group_spec, &group_ids) {
        writeln!(crit, "groups = {t}").unwrap();
    }
    let locals: Vec<String> = case
        .local_specs
        .iter()
        .zip(&member_ids)
        .zip(&group_ids)
        .filter_map(|((spec, ids), g)| level_toml(spec, ids).map(|t| format!("{g} = {t}")))
        .collect();
    if !locals.is_empty() {
        writeln!(crit, "criteria = {{ {} }}", locals.join(", ")).unwrap();
    }

    let initiatives: Vec<(String, String)> = case
        .values()
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut values = String::new();
            for (c, x) in row.iter().enumerate() {
                let x = if c == target { x * k } else { *x };
                writeln!(values, "c{c} = {{ value = {x:?}, assumption = \"t\" }}").unwrap();
            }
            (format!("i{i}"), values)
        })
        .collect();
    util::write_decision(dir, &crit, &initiatives);
}

/// Loads and scores a folder: per initiative (in file order), its rank and total.
fn scored(dir: &Path) -> Result<Vec<(usize, f64)>, TestCaseError> {
    let d = match load(dir) {
        Ok(d) => d,
        Err(e) => {
            return Err(TestCaseError::fail(format!(
                "the folder does not load: {e}"
            )))
        }
    };
    let r = score(&CompiledDecision::new(&d, &d.profiles[0]).expect("compiles"));
    for row in &r.initiatives {
        for (c, cs) in &row.criteria {
            prop_assert!(
                (0.0..=1.0).contains(&cs.value),
                "value {} of {c} (raw {}) outside 0..1",
                cs.value,
                cs.raw
            );
        }
        prop_assert!(
            (-SUM_TOL..=1.0 + SUM_TOL).contains(&row.total),
            "total {} of {} outside 0..1",
            row.total,
            row.id
        );
    }
    let weight_sum: f64 = r.criteria.iter().map(|c| c.weight).sum();
    prop_assert!(
        (weight_sum - 1.0).abs() <= SUM_TOL,
        "weights sum to {weight_sum}"
    );
    Ok(d.initiatives
        .iter()
        .map(|init| {
            let row = r.initiatives.iter().find(|x| x.id == init.id).unwrap();
            (row.rank, row.total)
        })
        .collect())
}

#[test]
fn the_rank_oracle_gives_competition_ranks() {
    assert_eq!(competition_ranks(&[0.5, 0.7, 0.5, 0.1]), vec![2, 1, 2, 4]);
    assert_eq!(competition_ranks(&[0.3, 0.3 + 1e-13, 0.2]), vec![1, 1, 3]);
    assert_eq!(competition_ranks(&[0.3, 0.3 + 1e-9, 0.2]), vec![2, 1, 3]);
}

// ----------------------------------------------------------------- properties

proptest! {
    #![proptest_config(config())]

    /// Every value function maps every number, however far beyond the
    /// scale, into 0..1, monotonically in the declared direction, with the
    /// vectorised `apply` equal to `value`. Catches a missing clamp, a
    /// wrong exponential normalisation, piecewise extrapolation beyond the
    /// end points, and a direction mix-up.
    #[test]
    fn values_stay_in_unit_interval(
        sg in arb_scale(),
        positions in proptest::collection::vec(arb_position(), 1..12),
    ) {
        let scale = sg.scale();
        let mut xs: Vec<f64> = positions.iter().map(|&s| at(sg.span(), s)).collect();
        xs.sort_by(f64::total_cmp);
        let vs: Vec<f64> = xs.iter().map(|&x| scale.value(x)).collect();
        for (x, v) in xs.iter().zip(&vs) {
            prop_assert!((0.0..=1.0).contains(v), "{scale:?}: value({x}) = {v}");
        }
        for (w, x) in vs.windows(2).zip(xs.windows(2)) {
            let ok = match sg.better {
                Better::Higher => w[1] >= w[0] - 1e-15,
                Better::Lower => w[1] <= w[0] + 1e-15,
            };
            prop_assert!(ok, "{scale:?} not monotone between {} -> {} and {} -> {}", x[0], w[0], x[1], w[1]);
        }
        let mut applied = xs.clone();
        scale.apply(&mut applied);
        for ((x, a), v) in xs.iter().zip(&applied).zip(&vs) {
            prop_assert!((a - v).abs() <= 1e-15, "{scale:?}: apply({x}) = {a}, value = {v}");
        }
        // The ends of linear and exponential scales score exactly 0 and 1.
        if let Shape::Linear { worst, best } | Shape::Exponential { worst, best, .. } = sg.shape {
            prop_assert!(scale.value(worst).abs() <= 1e-12);
            prop_assert!((scale.value(best) - 1.0).abs() <= 1e-12);
        }
    }

    /// Every level spec of every kind gives representative weights and
    /// draws on the simplex (sum 1 within 1e-12, none negative), within the
    /// bounds, in the ranking's order, and proportional to swing points.
    /// Catches a missing normalisation, a wrong ROC formula, a bounds
    /// sampler that leaves the polytope (rejection or hit-and-run drift),
    /// and overflow of swing sums.
    #[test]
    fn level_weights_sum_to_one(
        spec in (1usize..7).prop_flat_map(arb_spec),
        seed in any::<u64>(),
    ) {
        let level = Level::new(spec.clone()).expect("generated specs are valid");
        prop_assert_eq!(level.representative().len(), level.len());
        check_weights(&spec, level.representative())?;
        let mut rng = Rng::seed_from_u64(seed);
        let mut state = level.new_state();
        let mut w = vec![0.0; level.len()];
        for _ in 0..20 {
            level.sample_into(&mut rng, &mut state, &mut w);
            check_weights(&spec, &w)?;
        }
    }

    /// The hierarchical model: representative and sampled global weights
    /// sum to 1, and each group's criteria carry exactly the group's share,
    /// with the criteria of the groups scattered over the criterion indices.
    /// Catches mixing up local and global indices, forgetting the group
    /// share, or normalising the wrong level.
    #[test]
    fn global_weights_sum_to_one(
        (gspec, mspecs, perm, seed) in proptest::collection::vec(1usize..5, 1..5)
            .prop_flat_map(|sizes| {
                let m: usize = sizes.iter().sum();
                (
                    arb_spec(sizes.len()),
                    sizes.iter().map(|&s| arb_spec(s)).collect::<Vec<_>>(),
                    Just((0..m).collect::<Vec<usize>>()).prop_shuffle(),
                    any::<u64>(),
                )
            }),
    ) {
        let groups = Level::new(gspec).unwrap();
        let mut next = 0;
        let members: Vec<(Level, Vec<usize>)> = mspecs
            .into_iter()
            .map(|s| {
                let level = Level::new(s).unwrap();
                let idx = perm[next..next + level.len()].to_vec();
                next += level.len();
                (level, idx)
            })
            .collect();
        let indices: Vec<Vec<usize>> = members.iter().map(|m| m.1.clone()).collect();
        let model = WeightModel::new(groups, members, perm.len()).unwrap();

        let check = |w: &[f64], g: &[f64]| -> Result<(), TestCaseError> {
            let sum: f64 = w.iter().sum();
            prop_assert!((sum - 1.0).abs() <= SUM_TOL, "global {w:?} sums to {sum}");
            prop_assert!(w.iter().all(|x| *x >= 0.0), "{w:?}");
            let gsum: f64 = g.iter().sum();
            prop_assert!((gsum - 1.0).abs() <= SUM_TOL, "groups {g:?} sum to {gsum}");
            for (share, idx) in g.iter().zip(&indices) {
                let s: f64 = idx.iter().map(|&c| w[c]).sum();
                prop_assert!((s - share).abs() <= SUM_TOL, "group share {share}, criteria {idx:?} carry {s}");
            }
            Ok(())
        };
        check(&model.representative_global(), &model.representative_groups())?;
        let mut rng = Rng::seed_from_u64(seed);
        let mut state = model.new_state();
        let mut w = vec![0.0; model.n_criteria()];
        let mut g = vec![0.0; model.n_groups()];
        for _ in 0..20 {
            model.sample_into(&mut rng, &mut state, &mut w, &mut g);
            check(&w, &g)?;
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// Scores a random decision (random linear, exponential and piecewise
    /// scales, point values often beyond the scales, random profiles of all
    /// four kinds), then multiplies one criterion's values and scale points
    /// by k in (1e-3, 1e3) and scores again: every value and total stays in
    /// 0..1, the weights sum to 1, and the ranking and the totals (within
    /// 1e-9) are unchanged. Catches value functions that depend on the unit
    /// (an absolute epsilon, a curvature applied to the raw number instead
    /// of the position on the scale), totals outside 0..1 and rank errors.
    #[test]
    fn ranking_is_unchanged_when_a_unit_is_rescaled(
        case in arb_case(),
        pick in any::<prop::sample::Index>(),
        log_k in -3.0f64..3.0,
    ) {
        let m = case.criteria().len();
        let target = pick.index(m);
        let k = 10f64.powf(log_k);
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        write_folder(a.path(), &case, (usize::MAX, 1.0));
        write_folder(b.path(), &case, (target, k));
        let before = scored(a.path())?;
        let after = scored(b.path())?;
        for (i, ((_, t0), (_, t1))) in before.iter().zip(&after).enumerate() {
            prop_assert!((t0 - t1).abs() <= 1e-9, "total of i{i}: {t0} -> {t1} (criterion c{target} × {k})");
        }
        // Ranks must agree, except across near-ties that rounding may
        // legitimately move over the score's tie tolerance (1e-12).
        let totals: Vec<f64> = before.iter().map(|x| x.1).collect();
        let near_tie = totals.iter().enumerate().any(|(i, x)| {
            totals[i + 1..].iter().any(|y| {
                let d = (x - y).abs();
                d > 1e-13 && d < 1e-9
            })
        });
        if !near_tie {
            let r0: Vec<usize> = before.iter().map(|x| x.0).collect();
            let r1: Vec<usize> = after.iter().map(|x| x.0).collect();
            prop_assert_eq!(&r0, &r1, "ranking changed with criterion c{} × {}", target, k);
            // The score's ranks are the competition ranks of its totals.
            prop_assert_eq!(r0, competition_ranks(&totals));
        }
    }
}
