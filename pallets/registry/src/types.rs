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

/// What another pallet (the promotion pallet, in the OpenWeightHub runtime) says about moving
/// aliases and yanking versions. The registry calls it inside the same transactional call, so
/// what it writes is undone when the call fails.
pub trait AliasGuard<AccountId> {
	/// Called before `alias` of `repo` moves to `to` (`None`: is removed); an error refuses the
	/// move and is returned as the call's error.
	fn on_alias_move(repo: &RepoName, alias: &AliasName, to: Option<&VersionId>) -> DispatchResult;

	/// How many of the aliases that point at `version` are protected: a maintainer may yank a
	/// version that only protected aliases point at (their gate keeps them from moving to a
	/// version that fails it).
	fn protected_aliases_at(version: &VersionId) -> u32;

	/// Called when `version` is yanked, by a maintainer (`Some`, who pays for what it stores)
	/// or by governance (`None`); an error refuses the yank.
	fn on_yank(who: Option<&AccountId>, version: &VersionId) -> DispatchResult;

	/// Whether `alias` was protected and pointed at `version` when it was yanked.
	fn yanked_while_protected(version: &VersionId, alias: &AliasName) -> bool;

	/// The most weight [`Self::on_alias_move`] takes.
	fn move_weight() -> Weight;

	/// The most weight [`Self::protected_aliases_at`] and [`Self::on_yank`] take together.
	fn yank_weight() -> Weight;
}

/// No alias is protected.
impl<AccountId> AliasGuard<AccountId> for () {
	fn on_alias_move(_: &RepoName, _: &AliasName, _: Option<&VersionId>) -> DispatchResult {
		Ok(())
	}
	fn protected_aliases_at(_: &VersionId) -> u32 {
		0
	}
	fn on_yank(_: Option<&AccountId>, _: &VersionId) -> DispatchResult {
		Ok(())
	}
	fn yanked_while_protected(_: &VersionId, _: &AliasName) -> bool {
		false
	}
	fn move_weight() -> Weight {
		Weight::zero()
	}
	fn yank_weight() -> Weight {
		Weight::zero()
	}
}
