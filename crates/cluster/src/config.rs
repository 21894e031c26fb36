//! The clustering parameters and the errors of a run.
//!
//! [`ClusterConfig`] is at once the library API, the source of the command-line flags and the
//! `parameters` block of `report.json`: every field is serialised, and fields missing from a
//! deserialised record take their documented default.

use serde::{Deserialize, Serialize};

/// Default resolution γ. For modularity, 1 is Newman–Girvan modularity; for CPM it is the density
/// threshold between communities (a CPM user almost always sets it).
pub const DEFAULT_RESOLUTION: f64 = 1.0;
/// Default randomness θ of the Leiden refinement, as in leidenalg and igraph.
pub const DEFAULT_RANDOMNESS: f64 = 0.01;
/// Default seed of every random choice of a run.
pub const DEFAULT_SEED: u64 = 42;
/// Default number of Leiden iterations (`None` would mean "until an iteration changes nothing").
/// Two is the default of igraph and leidenalg.
pub const DEFAULT_MAX_ITERATIONS: Option<u32> = Some(2);
/// Default smallest gain, in edge-weight units, for which the local moving phase moves a node.
/// Protects against moves driven by rounding noise only.
pub const DEFAULT_MOVE_TOLERANCE: f64 = 1e-9;
/// Default smallest relative quality improvement for which another Leiden iteration runs when
/// `max_iterations` is `None`.
pub const DEFAULT_ITERATION_TOLERANCE: f64 = 1e-7;
/// Default [`ClusterConfig::stable_share`]: an iteration after the first whose first pass moves
/// fewer than one node in a thousand ends the run.
pub const DEFAULT_STABLE_SHARE: f64 = 1e-3;
/// Default cap on the number of aggregation levels of one iteration (a guard; real graphs need
/// fewer than ten).
pub const DEFAULT_MAX_LEVELS: u32 = 64;

/// The algorithm that searches for a partition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// Leiden (Traag, Waltman & van Eck 2019): local moving, refinement, aggregation.
    #[default]
    Leiden,
    /// Louvain (Blondel et al. 2008): local moving and aggregation without refinement.
    Louvain,
    /// Label propagation (Raghavan, Albert & Kumara 2007); optimises no objective.
    LabelPropagation,
}

/// The quality function the algorithm optimises.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Modularity with resolution γ (Newman & Girvan 2004; Reichardt & Bornholdt 2006).
    #[default]
    Modularity,
    /// The constant Potts model with resolution γ (Traag, Van Dooren & Nesterov 2011).
    Cpm,
    /// The map equation (Rosvall & Bergstrom 2008); its quality is a codelength in bits.
    Map,
}

/// The parameters of one clustering run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterConfig {
    /// The search algorithm.
    pub algorithm: Algorithm,
    /// The quality function.
    pub objective: Objective,
    /// Resolution γ of modularity or CPM; must be finite and non-negative.
    pub resolution: f64,
    /// Number of Leiden/Louvain iterations, each restarting from the previous partition;
    /// `None` runs until an iteration no longer improves quality.
    pub max_iterations: Option<u32>,
    /// The seed of every random choice; the same seed gives the same partition at any thread
    /// count.
    pub seed: u64,
    /// Randomness θ of the refinement: a node joins a sub-community with probability
    /// proportional to `exp(gain / θ)`, the gain measured in edge-weight units. Must be > 0.
    pub randomness: f64,
    /// Smallest gain (edge-weight units) for which a node moves; must be finite and ≥ 0.
    pub move_tolerance: f64,
    /// Smallest relative quality improvement for which one more iteration runs (used when
    /// `max_iterations` is `None`).
    pub iteration_tolerance: f64,
    /// Leiden/Louvain: an iteration after the first whose first local-moving pass over the
    /// nodes moves fewer than this share of them ends the run, keeping the previous
    /// iteration's partition — the partition is stable node by node, and another refinement
    /// and aggregation of the whole graph would cost as much as the first for almost nothing.
    /// 0 always runs every iteration in full; must be in `[0, 1]`.
    pub stable_share: f64,
    /// Cap on aggregation levels per iteration.
    pub max_levels: u32,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            algorithm: Algorithm::default(),
            objective: Objective::default(),
            resolution: DEFAULT_RESOLUTION,
            max_iterations: DEFAULT_MAX_ITERATIONS,
            seed: DEFAULT_SEED,
            randomness: DEFAULT_RANDOMNESS,
            move_tolerance: DEFAULT_MOVE_TOLERANCE,
            iteration_tolerance: DEFAULT_ITERATION_TOLERANCE,
            stable_share: DEFAULT_STABLE_SHARE,
            max_levels: DEFAULT_MAX_LEVELS,
        }
    }
}

impl ClusterConfig {
    /// Leiden with the given objective and resolution, other fields at their defaults.
    pub fn leiden(objective: Objective, resolution: f64) -> Self {
        ClusterConfig {
            objective,
            resolution,
            ..ClusterConfig::default()
        }
    }

    /// Louvain with the given objective and resolution, other fields at their defaults.
    pub fn louvain(objective: Objective, resolution: f64) -> Self {
        ClusterConfig {
            algorithm: Algorithm::Louvain,
            objective,
            resolution,
            ..ClusterConfig::default()
        }
    }

    /// Checks every numeric parameter and the algorithm/objective combination.
    pub fn validate(&self) -> Result<(), ClusterError> {
        if !self.resolution.is_finite() || self.resolution < 0.0 {
            return Err(ClusterError::InvalidResolution(self.resolution));
        }
        if !self.randomness.is_finite() || self.randomness <= 0.0 {
            return Err(ClusterError::InvalidParameter {
                name: "randomness",
                value: self.randomness,
                expected: "a finite value > 0",
            });
        }
        if !self.move_tolerance.is_finite() || self.move_tolerance < 0.0 {
            return Err(ClusterError::InvalidParameter {
                name: "move_tolerance",
                value: self.move_tolerance,
                expected: "a finite value >= 0",
            });
        }
        if !self.iteration_tolerance.is_finite() || self.iteration_tolerance < 0.0 {
            return Err(ClusterError::InvalidParameter {
                name: "iteration_tolerance",
                value: self.iteration_tolerance,
                expected: "a finite value >= 0",
            });
        }
        if !(0.0..=1.0).contains(&self.stable_share) {
            return Err(ClusterError::InvalidParameter {
                name: "stable_share",
                value: self.stable_share,
                expected: "a share in [0, 1]",
            });
        }
        if self.max_iterations == Some(0) {
            return Err(ClusterError::InvalidParameter {
                name: "max_iterations",
                value: 0.0,
                expected: "at least 1 (or none for 'until stable')",
            });
        }
        if self.max_levels == 0 {
            return Err(ClusterError::InvalidParameter {
                name: "max_levels",
                value: 0.0,
                expected: "at least 1",
            });
        }
        Ok(())
    }
}

/// Why a clustering run could not start or finish.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ClusterError {
    /// The resolution is negative, infinite or NaN.
    #[error("invalid resolution {0}: it must be finite and >= 0")]
    InvalidResolution(f64),
    /// Another numeric parameter is out of range.
    #[error("invalid {name} {value}: expected {expected}")]
    InvalidParameter {
        /// The parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What is accepted.
        expected: &'static str,
    },
    /// An edge weight is negative, infinite or NaN (modularity and CPM need weights ≥ 0).
    #[error("invalid weight {weight} on edge {from} -> {target}: weights must be finite and >= 0")]
    InvalidWeight {
        /// Source node of the entry.
        from: u32,
        /// Target node of the entry.
        target: u32,
        /// The weight found.
        weight: f32,
    },
    /// The algorithm and objective do not go together, or the combination is not built in.
    #[error("unsupported combination: {0}")]
    Unsupported(String),
    /// The graph layer given is unusable (for example a non-square adjacency).
    #[error("invalid graph: {0}")]
    InvalidGraph(String),
}
