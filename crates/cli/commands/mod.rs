//! One file per subcommand; [`load`] is the loading step they share.

pub mod cluster;
pub mod evaluate;
pub mod generate;
pub mod load;
pub mod snapshot;
pub mod stats;
