//! The logic behind each call, by concern.

pub mod aliases;
pub mod deposits;
pub mod interface;
pub mod mirrors;
pub mod query;
pub mod repositories;
#[cfg(any(feature = "try-runtime", test))]
pub mod try_state;
pub mod versions;
