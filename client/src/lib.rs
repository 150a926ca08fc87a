//! # owh-client
//!
//! The OpenWeightHub client library behind the `owh` command, laid out as the data flows:
//! - [`model`]: manifests, model signing, version references and their resolution, licenses;
//! - [`integrity`]: chunk hashing and verification against the on-chain Merkle roots;
//! - [`store`]: the local content-addressed store;
//! - [`transfer`]: storage backends, installs that check every chunk as it arrives, uploads;
//! - [`chain`]: chain access (runtime API calls, transactions, finality and storage proofs);
//! - [`commands`]: each `owh` command's arguments and output.

pub mod amount;
pub mod chain;
pub mod cli;
pub mod commands;
pub mod context;
pub mod exit;
pub mod governance;
pub mod idle;
pub mod integrity;
pub mod keys;
pub mod model;
pub mod pjs;
pub mod store;
pub mod transfer;
pub mod view;

#[cfg(test)]
mod tests;
