//! # owh-client
//!
//! The OpenWeightHub client library behind the `owh` command: streaming parallel hashing,
//! manifests, the local content-addressed store, installs that check every chunk against the
//! on-chain Merkle roots, directory verification, keys, and chain access over subxt.

pub mod amount;
pub mod audit;
pub mod backend;
pub mod chain;
pub mod cli;
pub mod commands;
pub mod context;
pub mod exit;
pub mod governance;
pub mod hashing;
pub mod idle;
pub mod install;
pub mod keys;
pub mod model;
pub mod model_signing;
pub mod pjs;
pub mod proof;
pub mod reach;
pub mod refs;
pub mod store;
pub mod verify;
pub mod view;

#[cfg(test)]
mod tests;
