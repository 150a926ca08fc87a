//! # OpenWeightHub primitives
//!
//! Types and algorithms shared by the runtime (no_std) and the `owh` client (std), so the
//! chain and the CLI can never disagree about a hash or a rule:
//!
//! - [`manifest`]: the release manifest of a model version and its bounds;
//! - [`deposit`]: the one rule every stored item's deposit follows;
//! - [`validate`]: the rules a manifest, a repository name and an alias name must follow;
//! - [`merkle`]: the Merkle tree over fixed-size chunks of an artifact;
//! - [`licensing`]: license offers, licenses and royalty splits;
//! - [`promotion`]: attestations, the gates of protected aliases, and their evaluation;
//! - [`storage`]: storage providers, pledges, challenges and what their proofs are checked
//!   against;
//! - [`version_id`]: the version id (hash of the canonical manifest encoding) and its text form.
#![cfg_attr(not(feature = "std"), no_std)]
// Code that runs in the runtime must never panic: deny the usual sources of panics in the wasm
// build, as the runtime crate does.
#![cfg_attr(
	not(feature = "std"),
	deny(
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing,
		clippy::arithmetic_side_effects,
		clippy::panic
	)
)]

extern crate alloc;

pub mod availability;
pub mod deposit;
pub mod licensing;
pub mod manifest;
pub mod merkle;
pub mod promotion;
pub mod registry;
pub mod storage;
pub mod validate;
pub mod version_id;

pub use manifest::*;
pub use merkle::{Hash32, MerkleProof};
pub use version_id::VersionId;
