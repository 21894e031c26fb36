//! The parameters of an LFR graph, their defaults, and the checks that turn them into a plan.
//!
//! [`LfrParams`] is at once the library API, the serde record written into reports, and (through
//! the binary) the command-line flags. [`crate::generate`] validates it before any work starts
//! and resolves what the parameters leave open: the lower degree cut-off that gives the requested
//! mean, and the community-size bounds, which default to the degree bounds as in the reference
//! implementation of Lancichinetti, Fortunato & Radicchi (PRE 78, 046110, 2008).

use serde::{Deserialize, Serialize};

use crate::error::LfrError;
use crate::powerlaw::DiscretePowerLaw;

/// Default number of nodes.
pub const DEFAULT_NODES: usize = 1000;
/// Default average degree ⟨k⟩.
pub const DEFAULT_AVG_DEGREE: f64 = 20.0;
/// Default maximum degree.
pub const DEFAULT_MAX_DEGREE: usize = 50;
/// Default mixing parameter μ.
pub const DEFAULT_MIXING: f64 = 0.3;
/// Default degree exponent τ1 (`P(k) ∝ k^-τ1`), as in the LFR paper and the peer benchmarks.
pub const DEFAULT_DEGREE_EXPONENT: f64 = 2.0;
/// Default community-size exponent τ2 (`P(s) ∝ s^-τ2`), as in the LFR paper and the peer
/// benchmarks.
pub const DEFAULT_COMMUNITY_EXPONENT: f64 = 1.0;
/// Default seed.
pub const DEFAULT_SEED: u64 = 42;

/// Tolerance under which a fractional internal degree counts as an integer (guards against
/// `(1 − 0.4) · 100 = 60.000000000000007`).
pub(crate) const INTEGER_TOLERANCE: f64 = 1e-9;

/// Parameters of an LFR benchmark graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LfrParams {
    /// Number of nodes N (default [`DEFAULT_NODES`]).
    pub nodes: usize,
    /// Average degree ⟨k⟩; the degree law's lower cut-off is solved so the expected mean is
    /// exactly this (default [`DEFAULT_AVG_DEGREE`]).
    pub avg_degree: f64,
    /// Maximum degree k_max (default [`DEFAULT_MAX_DEGREE`]).
    pub max_degree: usize,
    /// Mixing parameter μ: the fraction of each node's links that leave its community
    /// (default [`DEFAULT_MIXING`]).
    pub mixing: f64,
    /// Degree exponent τ1 (default [`DEFAULT_DEGREE_EXPONENT`]).
    pub degree_exponent: f64,
    /// Community-size exponent τ2 (default [`DEFAULT_COMMUNITY_EXPONENT`]).
    pub community_exponent: f64,
    /// Smallest community size c_min; `None` uses the smallest degree, as the reference code does.
    pub min_community: Option<usize>,
    /// Largest community size c_max; `None` uses `max_degree`, as the reference code does.
    pub max_community: Option<usize>,
    /// Seed of every random draw; the same seed gives the same graph at any thread count.
    pub seed: u64,
}

impl Default for LfrParams {
    fn default() -> Self {
        LfrParams {
            nodes: DEFAULT_NODES,
            avg_degree: DEFAULT_AVG_DEGREE,
            max_degree: DEFAULT_MAX_DEGREE,
            mixing: DEFAULT_MIXING,
            degree_exponent: DEFAULT_DEGREE_EXPONENT,
            community_exponent: DEFAULT_COMMUNITY_EXPONENT,
            min_community: None,
            max_community: None,
            seed: DEFAULT_SEED,
        }
    }
}

/// Validated parameters with every open choice resolved.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub nodes: usize,
    pub mixing: f64,
    pub degrees: DiscretePowerLaw,
    pub community_exponent: f64,
    pub min_community: usize,
    pub max_community: usize,
    pub seed: u64,
}

/// The largest internal degree a node of degree `k` can draw at mixing `mixing`: the ceiling of
/// `(1 − μ)·k` (internal degrees are rounded stochastically).
pub(crate) fn max_internal_degree(k: usize, mixing: f64) -> usize {
    let t = (1.0 - mixing) * k as f64;
    let floor = (t + INTEGER_TOLERANCE).floor();
    let internal = if t - floor > INTEGER_TOLERANCE {
        floor + 1.0
    } else {
        floor
    };
    (internal.max(0.0) as usize).min(k)
}

impl LfrParams {
    /// The parameters of the graph the peer benchmarks call `lfr_1m_mu0.4`-like: `nodes` nodes,
    /// ⟨k⟩ 20, k_max 100, μ `mixing`, communities of 50–1000 nodes, other fields default.
    pub fn benchmark(nodes: usize, mixing: f64) -> Self {
        LfrParams {
            nodes,
            avg_degree: 20.0,
            max_degree: 100,
            mixing,
            min_community: Some(50),
            max_community: Some(1000),
            ..LfrParams::default()
        }
    }

    /// Checks the parameters and resolves the degree law and community bounds. `O(max_degree)`.
    pub(crate) fn plan(&self) -> Result<Plan, LfrError> {
        let n = self.nodes;
        if n < 2 {
            return Err(LfrError::TooFewNodes { nodes: n });
        }
        if n >= u32::MAX as usize {
            return Err(LfrError::TooManyNodes { nodes: n });
        }
        if !(0.0..=1.0).contains(&self.mixing) {
            return Err(LfrError::MixingOutOfRange {
                mixing: self.mixing,
            });
        }
        for (name, value) in [
            ("degree_exponent", self.degree_exponent),
            ("community_exponent", self.community_exponent),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(LfrError::BadExponent { name, value });
            }
        }
        if self.max_degree == 0 || self.max_degree > n - 1 {
            return Err(LfrError::MaxDegreeOutOfRange {
                max_degree: self.max_degree,
                limit: n - 1,
            });
        }
        if self.avg_degree.is_nan() || self.avg_degree > self.max_degree as f64 {
            return Err(LfrError::AvgDegreeAboveMax {
                avg_degree: self.avg_degree,
                max_degree: self.max_degree,
            });
        }
        let degrees =
            DiscretePowerLaw::with_mean(self.max_degree, self.degree_exponent, self.avg_degree)
                .map_err(|e| LfrError::AvgDegreeTooLow {
                    avg_degree: self.avg_degree,
                    lowest: e.lowest,
                    exponent: self.degree_exponent,
                    max_degree: self.max_degree,
                })?;
        let min_c = self.min_community.unwrap_or(degrees.min());
        let max_c = self.max_community.unwrap_or(self.max_degree);
        if min_c == 0 || min_c > max_c || max_c > n {
            return Err(LfrError::CommunityRange {
                min: min_c,
                max: max_c,
                nodes: n,
            });
        }
        if n.div_ceil(max_c) * min_c > n {
            return Err(LfrError::CommunitySizesInfeasible {
                nodes: n,
                min: min_c,
                max: max_c,
            });
        }
        if self.mixing > 0.0 && max_c >= n {
            return Err(LfrError::SingleCommunity {
                mixing: self.mixing,
                max_community: max_c,
                nodes: n,
            });
        }
        let internal = max_internal_degree(self.max_degree, self.mixing);
        if max_c < internal + 1 {
            return Err(LfrError::CommunityTooSmall {
                max_community: max_c,
                max_degree: self.max_degree,
                mixing: self.mixing,
                internal,
                needed: internal + 1,
            });
        }
        Ok(Plan {
            nodes: n,
            mixing: self.mixing,
            degrees,
            community_exponent: self.community_exponent,
            min_community: min_c,
            max_community: max_c,
            seed: self.seed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_degree_ceiling_ignores_float_noise() {
        assert_eq!(max_internal_degree(100, 0.4), 60);
        assert_eq!(max_internal_degree(7, 0.4), 5);
        assert_eq!(max_internal_degree(10, 0.0), 10);
        assert_eq!(max_internal_degree(10, 1.0), 0);
        assert_eq!(max_internal_degree(3, 0.3), 3);
    }

    #[test]
    fn defaults_resolve_communities_to_degree_bounds() {
        let plan = LfrParams {
            mixing: 0.5,
            ..LfrParams::default()
        }
        .plan()
        .unwrap();
        assert_eq!(plan.max_community, DEFAULT_MAX_DEGREE);
        assert_eq!(plan.min_community, plan.degrees.min());
        assert!((plan.degrees.mean() - DEFAULT_AVG_DEGREE).abs() < 1e-9);
    }

    #[test]
    fn default_parameters_at_low_mixing_need_larger_communities() {
        // μ 0.3 and k_max 50: 35 internal neighbours fit in the default c_max of 50.
        assert!(LfrParams::default().plan().is_ok());
        // μ 0: 50 internal neighbours need communities of 51.
        let err = LfrParams {
            mixing: 0.0,
            ..LfrParams::default()
        }
        .plan()
        .unwrap_err();
        assert!(matches!(
            err,
            LfrError::CommunityTooSmall { needed: 51, .. }
        ));
    }

    #[test]
    fn benchmark_preset_sets_the_peer_parameters() {
        let p = LfrParams::benchmark(5000, 0.4);
        assert_eq!(
            (p.nodes, p.max_degree, p.min_community, p.max_community),
            (5000, 100, Some(50), Some(1000))
        );
        let plan = p.plan().unwrap();
        assert_eq!((plan.min_community, plan.max_community), (50, 1000));
    }
}
