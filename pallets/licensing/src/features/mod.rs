//! The logic behind each call, by concern.

pub mod contributors;
pub mod licenses;
pub mod meters;
pub mod offers;
pub mod query;
pub mod royalty;
#[cfg(any(feature = "try-runtime", test))]
pub mod try_state;
