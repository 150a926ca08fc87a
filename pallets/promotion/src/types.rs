//! Types and aliases used by the promotion pallet.

use crate::Config;
use polkadot_sdk::{
	frame_support::traits::fungible::Inspect, frame_system::pallet_prelude::BlockNumberFor,
};

pub use owh_primitives::promotion::{AttestationId, MAX_ATTESTOR_METRICS, MAX_VERSION_ATTESTORS};
pub use owh_primitives::{
	licensing::ModelRegistry,
	promotion::{
		Approval, AttestationIds, AttestationPayload, AttestationStatus, AttestedMetrics,
		AttestorInfo, AttestorName, Comparison, DisputeId, DisputeStatus, Evidence, Gate,
		GateError, GateStatus, MetricName, MetricsError, Threshold, ThresholdOutcome,
		ThresholdStatus,
	},
	AliasName, RepoName, VersionId,
};

/// The balance type of the pallet's currency.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;
/// A stored attestor.
pub type AttestorInfoOf<T> = AttestorInfo<BalanceOf<T>>;
/// A stored attestation.
pub type AttestationOf<T> = owh_primitives::promotion::Attestation<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;
/// A stored gate.
pub type GateOf<T> = Gate<BlockNumberFor<T>>;
/// A stored gate change.
pub type GateChangeOf<T> = owh_primitives::promotion::GateChange<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;
/// Each attestor's latest attestation of one version.
pub type LatestOf<T> = polkadot_sdk::frame_support::BoundedVec<
	(
		<T as polkadot_sdk::frame_system::Config>::AccountId,
		AttestationId,
	),
	polkadot_sdk::frame_support::traits::ConstU32<MAX_VERSION_ATTESTORS>,
>;
/// The metric names an attestor may attest.
pub type AllowedMetrics = polkadot_sdk::frame_support::BoundedVec<
	MetricName,
	polkadot_sdk::frame_support::traits::ConstU32<MAX_ATTESTOR_METRICS>,
>;
/// A stored promotion of a protected alias.
pub type PromotionOf<T> = owh_primitives::promotion::Promotion<BlockNumberFor<T>>;
/// A stored approval of a version for a gated alias.
pub type PromotionApprovalOf<T> = owh_primitives::promotion::PromotionApproval<BlockNumberFor<T>>;
/// A stored yank snapshot.
pub type YankSnapshotOf<T> = owh_primitives::promotion::YankSnapshot<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;
/// A stored dispute.
pub type DisputeOf<T> = owh_primitives::promotion::Dispute<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;
/// The protected aliases pointing at one version.
pub type ProtectedAliases = polkadot_sdk::frame_support::BoundedVec<
	AliasName,
	polkadot_sdk::frame_support::traits::ConstU32<MAX_VERSION_ATTESTORS>,
>;
