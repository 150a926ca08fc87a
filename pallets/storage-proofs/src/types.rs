//! Types and aliases used by the storage-proofs pallet.

use crate::Config;
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::fungible::Inspect},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::RuntimeAppPublic,
};

pub use owh_primitives::{
	availability::{
		AvailabilityReport, Probe, ProbeOutcome, ProbeTarget, ProbeTargets, UriAvailability,
		MAX_URIS_TRACKED,
	},
	merkle::SegmentProof,
	storage::{
		Challenge, ChallengeId, ChallengeRecord, Endpoint, Pledge, PledgeEnd, PledgeId, ProofError,
		ProviderInfo, Round, SegmentPosition, VersionRoots, VersionRootsBenchmarkHelper,
		VersionRootsProvider,
	},
	VersionId,
};

/// The balance type of the pallet's currency.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;
/// A stored provider.
pub type ProviderInfoOf<T> = ProviderInfo<BalanceOf<T>, BlockNumberFor<T>>;
/// A stored pledge.
pub type PledgeOf<T> =
	Pledge<<T as polkadot_sdk::frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A stored challenge.
pub type ChallengeOf<T> =
	Challenge<<T as polkadot_sdk::frame_system::Config>::AccountId, BlockNumberFor<T>>;
/// A closed challenge.
pub type ChallengeRecordOf<T> = ChallengeRecord<BalanceOf<T>, BlockNumberFor<T>>;
/// A pledge's bounded history.
pub type HistoryOf<T> = BoundedVec<ChallengeRecordOf<T>, <T as Config>::HistoryDepth>;
/// The current round.
pub type RoundOf<T> = Round<BlockNumberFor<T>>;
/// A validator's signed availability report.
pub type ReportOf<T> = AvailabilityReport<<T as Config>::AuthorityId>;
/// The signature over a report.
pub type ReportSignatureOf<T> = <<T as Config>::AuthorityId as RuntimeAppPublic>::Signature;
/// A version's tracked URIs.
pub type AvailabilityOf<T> = BoundedVec<
	UriAvailability<BlockNumberFor<T>, <T as Config>::AuthorityId>,
	ConstU32<MAX_URIS_TRACKED>,
>;

/// Who may report availability: the current session's validators.
pub trait ReporterSet<AuthorityId> {
	/// The current session's index.
	fn session_index() -> u32;
	/// The current session's validators' keys.
	fn reporters() -> Vec<AuthorityId>;
	/// Makes `keys` the current validators.
	#[cfg(feature = "runtime-benchmarks")]
	fn set_reporters(keys: Vec<AuthorityId>);
}
