//! TEMPORARY stub, replaced by the full module.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dist {
    Point { value: f64 },
    Uniform { min: f64, max: f64 },
    Triangular { min: f64, mode: f64, max: f64 },
    Pert { min: f64, mode: f64, max: f64 },
    Normal { mean: f64, sd: f64 },
    LogNormal { median: f64, p95: f64 },
    Beta { alpha: f64, beta: f64 },
    Discrete { points: Vec<(f64, f64)> },
}
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DistError {
    #[error("bad")]
    Bad,
}
impl Dist {
    pub fn point(value: f64) -> Result<Dist, DistError> {
        Ok(Dist::Point { value })
    }
    pub fn uniform(min: f64, max: f64) -> Result<Dist, DistError> {
        if min < max {
            Ok(Dist::Uniform { min, max })
        } else {
            Err(DistError::Bad)
        }
    }
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        if min <= mode && mode <= max && min < max {
            Ok(Dist::Triangular { min, mode, max })
        } else {
            Err(DistError::Bad)
        }
    }
    pub fn pert(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        if min <= mode && mode <= max && min < max {
            Ok(Dist::Pert { min, mode, max })
        } else {
            Err(DistError::Bad)
        }
    }
    pub fn normal(mean: f64, sd: f64) -> Result<Dist, DistError> {
        if sd > 0.0 {
            Ok(Dist::Normal { mean, sd })
        } else {
            Err(DistError::Bad)
        }
    }
    pub fn lognormal(median: f64, p95: f64) -> Result<Dist, DistError> {
        Ok(Dist::LogNormal { median, p95 })
    }
    pub fn beta(alpha: f64, beta: f64) -> Result<Dist, DistError> {
        Ok(Dist::Beta { alpha, beta })
    }
    pub fn discrete(points: Vec<(f64, f64)>) -> Result<Dist, DistError> {
        Ok(Dist::Discrete { points })
    }
    pub fn most_likely(&self) -> f64 {
        match self {
            Dist::Point { value } => *value,
            Dist::Uniform { min, max } => 0.5 * (min + max),
            Dist::Triangular { mode, .. } | Dist::Pert { mode, .. } => *mode,
            Dist::Normal { mean, .. } => *mean,
            Dist::LogNormal { median, .. } => *median,
            Dist::Beta { alpha, beta } => alpha / (alpha + beta),
            Dist::Discrete { points } => points[0].0,
        }
    }
    pub fn quantile(&self, _p: f64) -> f64 {
        self.most_likely()
    }
    pub fn support(&self) -> (f64, f64) {
        (f64::NEG_INFINITY, f64::INFINITY)
    }
    pub fn is_certain(&self) -> bool {
        matches!(self, Dist::Point { .. })
    }
    pub fn kind_name(&self) -> &'static str {
        "x"
    }
    pub fn mean(&self) -> f64 {
        self.most_likely()
    }
}
