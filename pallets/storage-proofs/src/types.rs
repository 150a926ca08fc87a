//! Types and aliases used by the storage-proofs pallet.

use crate::Config;
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::fungible::Inspect},
	frame_system::pallet_prelude::BlockNumberFor,
};

pub use owh_primitives::{
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
