//! Speed of one draw of global weights for the benchmark weight model:
//! group bounds [(0.2,0.5),(0.2,0.5),(0.2,0.6)], three groups of four
//! criteria each Unknown(4).

use std::hint::black_box;
use std::time::Duration;

use afweging::engine::rng::Rng;
use afweging::engine::weights::{Level, LevelSpec, WeightModel};
use criterion::{criterion_group, criterion_main, Criterion};
use rand::SeedableRng;

fn bench_model() -> WeightModel {
    let groups = Level::new(LevelSpec::Bounds(vec![(0.2, 0.5), (0.2, 0.5), (0.2, 0.6)])).unwrap();
    let members = (0..3)
        .map(|g| {
            (
                Level::new(LevelSpec::Unknown(4)).unwrap(),
                (4 * g..4 * g + 4).collect(),
            )
        })
        .collect();
    WeightModel::new(groups, members, 12).unwrap()
}

fn weights(c: &mut Criterion) {
    let model = bench_model();
    let mut rng = Rng::seed_from_u64(1);
    let mut state = model.new_state();
    let mut global = vec![0.0; 12];
    let mut groups = vec![0.0; 3];
    c.bench_function("weight_model_sample_into", |b| {
        b.iter(|| {
            model.sample_into(&mut rng, &mut state, &mut global, &mut groups);
            black_box(&global);
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = weights
}
criterion_main!(benches);
