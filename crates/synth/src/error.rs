//! Errors of the generators: parameters that no graph can satisfy, each with the numbers involved
//! and what to change.

use thiserror::Error;

/// Why [`crate::lfr::generate`] refused its parameters or could not plant the communities.
#[derive(Clone, Debug, Error, PartialEq)]
#[non_exhaustive]
pub enum LfrError {
    /// The graph needs at least two nodes.
    #[error("nodes must be at least 2, got {nodes}")]
    TooFewNodes {
        /// Requested number of nodes.
        nodes: usize,
    },
    /// Node ids are 32-bit.
    #[error("nodes must be below {max}, got {nodes}: node ids are 32-bit", max = u32::MAX)]
    TooManyNodes {
        /// Requested number of nodes.
        nodes: usize,
    },
    /// The mixing parameter is a fraction.
    #[error("mixing must lie in [0, 1], got {mixing}")]
    MixingOutOfRange {
        /// Requested mixing parameter μ.
        mixing: f64,
    },
    /// A power-law exponent is negative or not a number.
    #[error("{name} must be a finite number >= 0, got {value}")]
    BadExponent {
        /// Which exponent (`degree_exponent` or `community_exponent`).
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// `max_degree` is zero or would need more neighbours than there are other nodes.
    #[error("max_degree must lie in [1, nodes - 1] = [1, {limit}], got {max_degree}")]
    MaxDegreeOutOfRange {
        /// Requested maximum degree.
        max_degree: usize,
        /// `nodes - 1`.
        limit: usize,
    },
    /// The average degree exceeds the maximum degree.
    #[error("avg_degree ({avg_degree}) must not exceed max_degree ({max_degree})")]
    AvgDegreeAboveMax {
        /// Requested average degree.
        avg_degree: f64,
        /// Requested maximum degree.
        max_degree: usize,
    },
    /// Even the power law starting at degree 1 has a higher mean than asked for.
    #[error(
        "avg_degree {avg_degree} is below {lowest:.3}, the lowest mean a degree power law with \
         exponent {exponent} reaches on [1, {max_degree}]: raise avg_degree or the exponent, or \
         lower max_degree"
    )]
    AvgDegreeTooLow {
        /// Requested average degree.
        avg_degree: f64,
        /// The lowest reachable mean.
        lowest: f64,
        /// The degree exponent τ1.
        exponent: f64,
        /// Requested maximum degree.
        max_degree: usize,
    },
    /// `min_community > max_community`, a zero bound, or a bound above the number of nodes.
    #[error(
        "community sizes need 1 <= min_community <= max_community <= nodes, got [{min}, {max}] \
         with {nodes} nodes"
    )]
    CommunityRange {
        /// Smallest community size (given or defaulted).
        min: usize,
        /// Largest community size (given or defaulted).
        max: usize,
        /// Number of nodes.
        nodes: usize,
    },
    /// No number of communities with sizes in the range adds up to the number of nodes.
    #[error(
        "{nodes} nodes cannot be split into communities of sizes in [{min}, {max}]: widen the range"
    )]
    CommunitySizesInfeasible {
        /// Number of nodes.
        nodes: usize,
        /// Smallest community size.
        min: usize,
        /// Largest community size.
        max: usize,
    },
    /// The largest community is too small for the node of largest internal degree.
    #[error(
        "max_community {max_community} cannot hold a node of degree {max_degree}: at mixing \
         {mixing} it has up to {internal} neighbours inside its community, so max_community must \
         be at least {needed}; raise max_community, lower max_degree or raise mixing"
    )]
    CommunityTooSmall {
        /// Largest community size.
        max_community: usize,
        /// Requested maximum degree.
        max_degree: usize,
        /// Requested mixing parameter.
        mixing: f64,
        /// Largest internal degree a node can draw.
        internal: usize,
        /// The smallest admissible `max_community`.
        needed: usize,
    },
    /// With a positive mixing parameter, external links need a second community.
    #[error(
        "mixing {mixing} > 0 needs at least two communities, but max_community {max_community} \
         lets one community hold all {nodes} nodes: lower max_community"
    )]
    SingleCommunity {
        /// Requested mixing parameter.
        mixing: f64,
        /// Largest community size.
        max_community: usize,
        /// Number of nodes.
        nodes: usize,
    },
    /// Repeated draws of community sizes never left room for every node of high internal degree.
    #[error(
        "could not place every node in a community larger than its internal degree after \
         {attempts} draws of community sizes: too few large communities for the high-degree \
         nodes; raise max_community or min_community, or raise mixing"
    )]
    AssignmentFailed {
        /// Draws of community sizes tried.
        attempts: usize,
    },
}
