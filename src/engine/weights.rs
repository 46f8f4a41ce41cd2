//! TEMPORARY stub, replaced by the full module.
pub type Rng = rand_xoshiro::Xoshiro256PlusPlus;
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum LevelSpec {
    Swing(Vec<f64>),
    Bounds(Vec<(f64, f64)>),
    Ordinal(Vec<usize>),
    Unknown(usize),
}
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightError {
    #[error("bad weights")]
    Bad,
}
#[derive(Debug, Clone)]
pub struct Level {
    spec: LevelSpec,
    rep: Vec<f64>,
}
pub struct LevelState;
impl Level {
    pub fn new(spec: LevelSpec) -> Result<Level, WeightError> {
        let rep = match &spec {
            LevelSpec::Swing(v) => {
                let s: f64 = v.iter().sum();
                v.iter().map(|x| x / s).collect()
            }
            LevelSpec::Bounds(v) => vec![1.0 / v.len() as f64; v.len()],
            LevelSpec::Ordinal(v) => vec![1.0 / v.len() as f64; v.len()],
            LevelSpec::Unknown(n) => vec![1.0 / *n as f64; *n],
        };
        Ok(Level { spec, rep })
    }
    pub fn len(&self) -> usize {
        self.rep.len()
    }
    pub fn spec(&self) -> &LevelSpec {
        &self.spec
    }
    pub fn is_fixed(&self) -> bool {
        matches!(self.spec, LevelSpec::Swing(_))
    }
    pub fn representative(&self) -> &[f64] {
        &self.rep
    }
}
#[derive(Debug, Clone)]
pub struct WeightModel {
    groups: Level,
    members: Vec<(Level, Vec<usize>)>,
    n: usize,
}
pub struct WeightState;
impl WeightModel {
    pub fn new(
        groups: Level,
        members: Vec<(Level, Vec<usize>)>,
        n_criteria: usize,
    ) -> Result<WeightModel, WeightError> {
        Ok(WeightModel {
            groups,
            members,
            n: n_criteria,
        })
    }
    pub fn n_criteria(&self) -> usize {
        self.n
    }
    pub fn is_fixed(&self) -> bool {
        self.groups.is_fixed()
    }
    pub fn representative_groups(&self) -> Vec<f64> {
        self.groups.representative().to_vec()
    }
    pub fn representative_global(&self) -> Vec<f64> {
        let mut g = vec![0.0; self.n];
        for (k, (lvl, idx)) in self.members.iter().enumerate() {
            for (j, &c) in idx.iter().enumerate() {
                g[c] = self.groups.representative()[k] * lvl.representative()[j];
            }
        }
        g
    }
}
