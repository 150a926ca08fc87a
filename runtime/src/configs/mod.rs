//! Pallet configurations, split by domain.

pub mod consensus;
pub mod governance;
pub mod licensing;
pub mod models;
pub mod monetary;
pub mod promotion;
pub mod storage;
pub mod system;
pub mod validators;

pub use system::RuntimeBlockWeights;
