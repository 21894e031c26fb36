//! Time parsing: to be written.
