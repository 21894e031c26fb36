//! One file per subcommand; [`load`] is the loading step they share.

pub mod load;
pub mod snapshot;
pub mod stats;
