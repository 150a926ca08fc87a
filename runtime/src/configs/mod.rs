//! Pallet configurations, split by domain.

pub mod consensus;
pub mod governance;
pub mod licensing;
pub mod models;
pub mod monetary;
pub mod system;

pub use system::RuntimeBlockWeights;
