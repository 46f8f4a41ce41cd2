//! The full SMAA-2 analysis (confidence factors included) on the benchmark
//! decision `benches/data/bench-5x12` (5 initiatives × 12 uncertain
//! criteria), and the sensitivity analysis on the shipped Twente decision.
//!
//! `cargo bench --bench simulate`.

use std::path::{Path, PathBuf};

use afweging::engine::compiled::CompiledDecision;
use afweging::engine::sensitivity::{sensitivity, SensitivityPlan};
use afweging::engine::simulate::{simulate, Plan, Stop};
use afweging::model::load;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/bench-5x12")
}

fn smaa(c: &mut Criterion) {
    let d = load(&bench_dir()).expect("benchmark decision loads");
    let profile = &d.profiles[0];
    let mut g = c.benchmark_group("smaa2_bench_5x12");
    g.sample_size(10);
    for iterations in [100_000u64, 1_000_000] {
        let plan = Plan {
            seed: 1,
            stop: Stop::Iterations(iterations),
            confidence: true,
        };
        g.throughput(Throughput::Elements(iterations));
        g.bench_function(format!("{iterations}_iterations"), |b| {
            b.iter(|| {
                let cd = CompiledDecision::new(&d, profile).expect("compiles");
                simulate(&cd, &plan, &|_, _| {}).expect("simulates")
            })
        });
    }
    g.finish();
}

fn sens(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let d = load(root).expect("shipped decision loads");
    let mut g = c.benchmark_group("sensitivity_twente");
    g.sample_size(10);
    let plan = SensitivityPlan {
        seed: 1,
        rows: 20_000,
    };
    g.bench_function("20000_rows", |b| {
        b.iter(|| {
            let cd = CompiledDecision::new(&d, &d.profiles[0]).expect("compiles");
            sensitivity(&cd, &plan).expect("analyses")
        })
    });
    g.finish();
}

criterion_group!(benches, smaa, sens);
criterion_main!(benches);
