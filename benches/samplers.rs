//! Benchmarks: nanoseconds per draw for each sampler kind, words per
//! nanosecond of the generators, and the build time of the tabulated
//! samplers (a PERT, and a beta with a shape below 1, whose knots near the
//! end need the full quantile solve).

use afweging::engine::lanes::LaneRng;
use afweging::engine::rng::stream;
use afweging::engine::sampler::Sampler;
use afweging::model::dist::Dist;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

/// Draws per measured iteration (so per-call overhead is amortised).
const DRAWS: u64 = 1000;

fn samplers(c: &mut Criterion) {
    let cases = [
        ("point", Dist::point(3.0).unwrap()),
        ("uniform", Dist::uniform(1.0, 4.0).unwrap()),
        ("triangular", Dist::triangular(1.0, 2.0, 7.0).unwrap()),
        ("pert", Dist::pert(1.0, 2.0, 7.0).unwrap()),
        ("normal", Dist::normal(3.0, 2.0).unwrap()),
        ("lognormal", Dist::lognormal(2.0, 10.0).unwrap()),
        ("beta", Dist::beta(0.5, 2.0).unwrap()),
        (
            "discrete4",
            Dist::discrete(vec![(1.0, 0.1), (2.0, 0.2), (3.0, 0.3), (4.0, 0.4)]).unwrap(),
        ),
    ];
    let mut group = c.benchmark_group("draw");
    group.throughput(Throughput::Elements(DRAWS));
    for (name, dist) in &cases {
        let sampler = Sampler::new(dist, Some((f64::MIN, f64::MAX)), 1.0);
        let mut rng = stream(1, 0);
        group.bench_function(*name, |b| {
            b.iter(|| {
                let mut acc = 0.0;
                for _ in 0..DRAWS {
                    acc += sampler.sample(&mut rng);
                }
                black_box(acc)
            })
        });
    }
    group.finish();
    // The hot loop's form: a column of BLOCK draws at a time.
    let mut group = c.benchmark_group("fill");
    let mut col = vec![0.0; 256];
    group.throughput(Throughput::Elements(col.len() as u64));
    for (name, dist) in &cases {
        let sampler = Sampler::new(dist, None, 1.0);
        let mut rng = stream(1, 0);
        let mut lanes = LaneRng::from_key(1);
        group.bench_function(*name, |b| {
            b.iter(|| {
                sampler.fill(&mut lanes, &mut rng, &mut col);
                black_box(col[17])
            })
        });
    }
    group.finish();
    let mut words = vec![0u64; 256];
    let mut group = c.benchmark_group("words");
    group.throughput(Throughput::Elements(words.len() as u64));
    let mut lanes = LaneRng::from_key(1);
    group.bench_function("lanes", |b| {
        b.iter(|| {
            lanes.fill(&mut words);
            black_box(words[17])
        })
    });
    let mut rng = stream(1, 0);
    group.bench_function("scalar", |b| {
        b.iter(|| {
            for w in words.iter_mut() {
                *w = rand::RngCore::next_u64(&mut rng);
            }
            black_box(words[17])
        })
    });
    group.finish();
    c.bench_function("build/pert", |b| {
        b.iter(|| Sampler::new(black_box(&Dist::pert(1.0, 2.0, 7.0).unwrap()), None, 1.0))
    });
    c.bench_function("build/beta-0.2-3", |b| {
        b.iter(|| Sampler::new(black_box(&Dist::beta(0.2, 3.0).unwrap()), None, 1.0))
    });
}

criterion_group!(benches, samplers);
criterion_main!(benches);
