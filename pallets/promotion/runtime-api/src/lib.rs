//! Runtime API of OpenWeightHub's gated promotion: attestors, attestations of a version, the
//! gate of an alias and its status for a version, promotions, and disputes.
//!
//! Clients (the `owh` CLI, polkadot.js apps) call it through `state_call`; its types are in the
//! runtime metadata.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use owh_primitives::{
	promotion::{
		Attestation, AttestationId, AttestorInfo, Dispute, DisputeId, Gate, GateChange, GateStatus,
		Promotion, PromotionApproval, YankSnapshot,
	},
	AliasName, RepoName, VersionId,
};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Read access to attestors, attestations, gates, promotions and disputes.
	pub trait PromotionApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// Every registered attestor.
		fn attestors() -> Vec<(AccountId, AttestorInfo<Balance>)>;
		/// Every attestation of a version, oldest first, each with whether the gates count it
		/// now (its attestor's latest, attestor unsuspended, not ruled false; ages aside).
		fn attestations(version: VersionId) -> Vec<(AttestationId, Attestation<AccountId, Balance, BlockNumber>, bool)>;
		/// The gate of an alias, if it is protected.
		fn gate(repo: RepoName, alias: AliasName) -> Option<Gate<BlockNumber>>;
		/// Every change of an alias's gate, oldest first.
		fn gate_history(repo: RepoName, alias: AliasName) -> Vec<GateChange<AccountId, Balance, BlockNumber>>;
		/// The gate of an alias evaluated for a version now: each threshold's count, worst
		/// value and outcome; `None` if the alias is not protected.
		fn gate_status(repo: RepoName, alias: AliasName, version: VersionId) -> Option<GateStatus>;
		/// How a protected alias came to point at its version, and whether it is flagged.
		fn promotion(repo: RepoName, alias: AliasName) -> Option<Promotion<BlockNumber>>;
		/// Governance's pending approval of a version for a gated alias.
		fn approval(repo: RepoName, alias: AliasName) -> Option<PromotionApproval<BlockNumber>>;
		/// A dispute.
		fn dispute(id: DisputeId) -> Option<Dispute<AccountId, Balance, BlockNumber>>;
		/// Every dispute of the attestations of a version, oldest first.
		fn disputes(version: VersionId) -> Vec<(DisputeId, Dispute<AccountId, Balance, BlockNumber>)>;
		/// The protected aliases' state each time the version was yanked, oldest first.
		fn yank_snapshots(version: VersionId) -> Vec<(BlockNumber, YankSnapshot<AccountId, Balance, BlockNumber>)>;
	}
}
