//! Types and aliases used by the registry pallet.

use crate::Config;
use codec::{Decode, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::fungible::Inspect},
	frame_system::pallet_prelude::BlockNumberFor,
};
use scale_info::TypeInfo;

pub use owh_primitives::{
	registry::{
		author_payload, wrapped_payload, AliasMove, Mirror, Role, VersionMeta, VersionRecord,
		YankInfo, Yanker,
	},
	storage::VersionRoots,
	AliasName, Manifest, Reason, RepoName, StorageUri, VersionId,
};

/// The balance type of the pallet's currency.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
>>::Balance;
/// The moment type of the pallet's clock.
pub type MomentOf<T> = <<T as Config>::Time as polkadot_sdk::frame_support::traits::Time>::Moment;
/// A stored version record.
pub type VersionRecordOf<T> = VersionRecord<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	MomentOf<T>,
>;
/// A stored yank record.
pub type YankInfoOf<T> =
	YankInfo<<T as polkadot_sdk::frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A stored alias move.
pub type AliasMoveOf<T> = AliasMove<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	MomentOf<T>,
>;
/// A stored mirror.
pub type MirrorOf<T> =
	Mirror<<T as polkadot_sdk::frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// The mirrors of a version.
pub type MirrorsOf<T> = BoundedVec<MirrorOf<T>, <T as Config>::MaxMirrors>;
/// The maintainers of a repository, besides its owner.
pub type MaintainersOf<T> =
	BoundedVec<<T as polkadot_sdk::frame_system::Config>::AccountId, <T as Config>::MaxMaintainers>;

/// A repository.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct RepositoryInfo<AccountId, Balance, BlockNumber> {
	/// The owner, who manages roles.
	pub owner: AccountId,
	/// The account the repository deposit is held from (the creator).
	pub depositor: AccountId,
	/// The deposit held.
	pub deposit: Balance,
	/// The block that created it.
	pub created: BlockNumber,
	/// Number of versions committed so far; the next version gets this index.
	pub version_count: u32,
}

/// A stored repository.
pub type RepositoryInfoOf<T> = RepositoryInfo<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;
