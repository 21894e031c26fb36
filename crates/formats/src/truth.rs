//! Ground-truth files: to be written.
