//! Storage migrations of the registry pallet.

/// The records of storage versions 0 and 1 that version 2 changed, frozen as they were, so
/// that the older migrations keep reading and writing the layout of their time.
pub mod v1_layout {
	use crate::*;
	use polkadot_sdk::{
		frame_support::{pallet_prelude::*, storage_alias},
		frame_system::{self, pallet_prelude::BlockNumberFor},
	};

	/// An alias move before version 2: no recorded deposit (it was `AliasDeposit`).
	#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
	pub struct AliasMove<AccountId, BlockNumber, Moment> {
		/// Who moved it.
		pub who: AccountId,
		/// The block of the move.
		pub block: BlockNumber,
		/// The block's timestamp.
		pub timestamp: Moment,
		/// The version it pointed to before.
		pub from: Option<VersionId>,
		/// The version it points to after.
		pub to: Option<VersionId>,
	}

	/// A yank record before version 2: no deposit.
	#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
	pub struct YankInfo<AccountId, BlockNumber> {
		/// Who yanked it.
		pub by: AccountId,
		/// The block of the yank.
		pub block: BlockNumber,
		/// The reason given.
		pub reason: Reason,
	}

	/// An alias move of version 1 in this runtime.
	pub type AliasMoveOf<T> =
		AliasMove<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, MomentOf<T>>;
	/// A yank record of version 1 in this runtime.
	pub type YankInfoOf<T> = YankInfo<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

	/// [`crate::AliasHistory`] with version 1 entries.
	#[storage_alias]
	pub type AliasHistory<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Blake2_128Concat,
		(RepoName, AliasName),
		Twox64Concat,
		u32,
		AliasMoveOf<T>,
		OptionQuery,
	>;

	/// [`crate::Yanked`] with version 1 records.
	#[storage_alias]
	pub type Yanked<T: Config> =
		StorageMap<Pallet<T>, Identity, VersionId, YankInfoOf<T>, OptionQuery>;
}

/// The yank record of storage version 2, frozen as it was, which version 3 changed.
pub mod v2_layout {
	use crate::*;
	use polkadot_sdk::{
		frame_support::{pallet_prelude::*, storage_alias},
		frame_system::{self, pallet_prelude::BlockNumberFor},
	};

	/// A yank record of version 2: always a maintainer's.
	#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
	pub struct YankInfo<AccountId, Balance, BlockNumber> {
		/// The maintainer who yanked it.
		pub by: AccountId,
		/// The deposit held for this record.
		pub deposit: Balance,
		/// The block of the yank.
		pub block: BlockNumber,
		/// The reason given.
		pub reason: Reason,
	}

	/// A yank record of version 2 in this runtime.
	pub type YankInfoOf<T> =
		YankInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	/// [`crate::Yanked`] with version 2 records.
	#[storage_alias]
	pub type Yanked<T: Config> =
		StorageMap<Pallet<T>, Identity, VersionId, YankInfoOf<T>, OptionQuery>;
}

/// Storage version 0 to 1: index every version in [`VersionMetas`](crate::VersionMetas).
pub mod v1 {
	use super::v1_layout;
	use crate::*;
	use alloc::{collections::BTreeMap, vec::Vec};
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
		},
		frame_system,
	};

	/// Builds the version index from the full records, counts the aliases pointing at each
	/// version, and enforces the rules that version 1 keeps from then on:
	///
	/// - an alias that points at a yanked version is removed, with the removal appended to its
	///   history in the name of whoever yanked the version (who pays its deposit); if that
	///   account cannot pay it, the alias stays and a warning is logged;
	/// - empty maintainer lists are deleted.
	///
	/// It reads every version once, in one block. That is fine for the development and test
	/// chains that exist today; a chain with many thousands of versions would run it as a
	/// multi-block migration (`pallet-migrations`) instead.
	///
	/// `AliasDeposit` is the alias deposit of version 1's runtime (one amount per move).
	pub struct InnerMigrateV0ToV1<T, AliasDeposit>(core::marker::PhantomData<(T, AliasDeposit)>);

	/// Appends a removal to an alias's history in the version 1 layout, holding
	/// `AliasDeposit` from `who`.
	fn record_removal<T: Config, AliasDeposit: Get<BalanceOf<T>>>(
		who: &T::AccountId,
		repo: &RepoName,
		alias: &AliasName,
		from: VersionId,
	) -> DispatchResult {
		use polkadot_sdk::frame_support::traits::Time;
		let count = AliasMoveCount::<T>::get(repo, alias);
		let next = count.checked_add(1).ok_or(Error::<T>::Overflow)?;
		Pallet::<T>::hold_deposit(HoldReason::Alias, who, AliasDeposit::get())?;
		v1_layout::AliasHistory::<T>::insert(
			(repo.clone(), alias.clone()),
			count,
			v1_layout::AliasMove {
				who: who.clone(),
				block: frame_system::Pallet::<T>::block_number(),
				timestamp: T::Time::now(),
				from: Some(from),
				to: None,
			},
		);
		AliasMoveCount::<T>::insert(repo, alias, next);
		Ok(())
	}

	impl<T: Config, AliasDeposit: Get<BalanceOf<T>>> UncheckedOnRuntimeUpgrade
		for InnerMigrateV0ToV1<T, AliasDeposit>
	{
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let mut writes = 0u64;
			let mut counts: BTreeMap<VersionId, u32> = BTreeMap::new();
			let mut unalias = Vec::new();
			for (repo, alias, id) in Aliases::<T>::iter() {
				reads = reads.saturating_add(2);
				match v1_layout::Yanked::<T>::get(id) {
					Some(yank) => unalias.push((repo, alias, id, yank.by)),
					None => {
						let count = counts.entry(id).or_default();
						*count = count.saturating_add(1);
					}
				}
			}
			for (repo, alias, id, yanker) in unalias {
				reads = reads.saturating_add(1);
				if record_removal::<T, AliasDeposit>(&yanker, &repo, &alias, id).is_ok() {
					Aliases::<T>::remove(&repo, &alias);
					writes = writes.saturating_add(5);
				} else {
					log::warn!(
						target: "runtime::registry",
						"alias {:?} of {:?} points at yanked version {id:?} and stays: its yanker cannot pay the alias deposit",
						alias,
						repo,
					);
					let count = counts.entry(id).or_default();
					*count = count.saturating_add(1);
				}
			}
			for (id, record) in Versions::<T>::iter() {
				reads = reads.saturating_add(1);
				let mut meta = VersionMeta::of(&record.manifest);
				meta.aliases = counts.get(&id).copied().unwrap_or(0);
				VersionMetas::<T>::insert(id, meta);
				writes = writes.saturating_add(1);
			}
			let empty: Vec<RepoName> = Maintainers::<T>::iter()
				.filter(|(_, maintainers)| maintainers.is_empty())
				.map(|(repo, _)| repo)
				.collect();
			reads = reads.saturating_add(empty.len() as u64);
			for repo in empty {
				Maintainers::<T>::remove(repo);
				writes = writes.saturating_add(1);
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			ensure!(
				VersionMetas::<T>::iter_keys().next().is_none(),
				"version index exists before the migration"
			);
			let versions = Versions::<T>::iter_keys().count() as u64;
			Ok(versions.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let versions = u64::decode(&mut &state[..])
				.map_err(|_| "cannot decode the pre-upgrade version count")?;
			ensure!(
				VersionMetas::<T>::iter_keys().count() as u64 == versions,
				"not every version was indexed"
			);
			let mut counts: BTreeMap<VersionId, u32> = BTreeMap::new();
			for id in Aliases::<T>::iter_values() {
				let count = counts.entry(id).or_default();
				*count = count.saturating_add(1);
			}
			for (id, meta) in VersionMetas::<T>::iter() {
				ensure!(
					meta.aliases == counts.get(&id).copied().unwrap_or(0),
					"an alias count differs from the aliases"
				);
			}
			// The remaining invariants are checked by `try_state` after the migration to the
			// current version, which reads the current layout.
			Ok(())
		}
	}

	/// The migration, run only when the on-chain storage version is 0; it sets it to 1.
	pub type MigrateV0ToV1<T, AliasDeposit> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T, AliasDeposit>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Storage version 1 to 2: every alias move and yank record carries its deposit.
pub mod v2 {
	use super::{v1_layout, v2_layout};
	use crate::*;
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
		},
		frame_system,
		sp_runtime::traits::Zero,
	};

	/// Records in each alias history entry the deposit held for it (version 1's fixed
	/// `AliasDeposit`), and in each yank record a zero deposit (version 1 held none for them;
	/// yanks made from now on pay the deposit rule). Amounts already held are left as they
	/// are, so every hold still matches what is recorded; repository, version and mirror
	/// deposits already were recorded and are settled by the new rule at their next change.
	pub struct InnerMigrateV1ToV2<T, AliasDeposit>(core::marker::PhantomData<(T, AliasDeposit)>);

	impl<T: Config, AliasDeposit: Get<BalanceOf<T>>> UncheckedOnRuntimeUpgrade
		for InnerMigrateV1ToV2<T, AliasDeposit>
	{
		fn on_runtime_upgrade() -> Weight {
			let mut entries = 0u64;
			AliasHistory::<T>::translate::<v1_layout::AliasMoveOf<T>, _>(|_, _, old| {
				entries = entries.saturating_add(1);
				Some(AliasMove {
					who: old.who,
					deposit: AliasDeposit::get(),
					block: old.block,
					timestamp: old.timestamp,
					from: old.from,
					to: old.to,
				})
			});
			v2_layout::Yanked::<T>::translate::<v1_layout::YankInfoOf<T>, _>(|_, old| {
				entries = entries.saturating_add(1);
				Some(v2_layout::YankInfo {
					by: old.by,
					deposit: Zero::zero(),
					block: old.block,
					reason: old.reason,
				})
			});
			T::DbWeight::get().reads_writes(entries, entries)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			let moves = v1_layout::AliasHistory::<T>::iter_values().count() as u64;
			let yanks = v1_layout::Yanked::<T>::iter_values().count() as u64;
			Ok((moves, yanks).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let (moves, yanks) = <(u64, u64)>::decode(&mut &state[..])
				.map_err(|_| "cannot decode the pre-upgrade counts")?;
			ensure!(
				AliasHistory::<T>::iter_values().count() as u64 == moves,
				"an alias history entry was lost"
			);
			ensure!(
				v2_layout::Yanked::<T>::iter_values().count() as u64 == yanks,
				"a yank record was lost"
			);
			// The remaining invariants are checked by `try_state` after the migration to the
			// current layout.
			Ok(())
		}
	}

	/// The migration, run only when the on-chain storage version is 1; it sets it to 2.
	pub type MigrateV1ToV2<T, AliasDeposit> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T, AliasDeposit>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Storage version 2 to 3: a yank record says whether a maintainer or governance made it.
pub mod v3 {
	use super::v2_layout;
	use crate::*;
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use owh_primitives::registry::Yanker;
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
		},
		frame_system,
	};

	/// Every yank before version 3 was a maintainer's: wrap its `by` in
	/// [`Yanker::Maintainer`]. Deposits, blocks and reasons are kept as they are.
	pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut entries = 0u64;
			Yanked::<T>::translate::<v2_layout::YankInfoOf<T>, _>(|_, old| {
				entries = entries.saturating_add(1);
				Some(YankInfo {
					by: Yanker::Maintainer(old.by),
					deposit: old.deposit,
					block: old.block,
					reason: old.reason,
				})
			});
			T::DbWeight::get().reads_writes(entries, entries)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			Ok((v2_layout::Yanked::<T>::iter_values().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let yanks =
				u64::decode(&mut &state[..]).map_err(|_| "cannot decode the pre-upgrade count")?;
			ensure!(
				Yanked::<T>::iter_values().count() as u64 == yanks,
				"a yank record was lost"
			);
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration, run only when the on-chain storage version is 2; it sets it to 3.
	pub type MigrateV2ToV3<T> = VersionedMigration<
		2,
		3,
		InnerMigrateV2ToV3<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

pub mod v4 {
	use crate::*;
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
		},
		frame_system,
	};

	/// Writes [`ArtifactRoots`] for every version committed before version 4, from its
	/// manifest. The chain pays for the new entries: no deposit is taken from committers
	/// after the fact.
	pub struct InnerMigrateV3ToV4<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV3ToV4<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut versions = 0u64;
			for (id, record) in Versions::<T>::iter() {
				versions = versions.saturating_add(1);
				ArtifactRoots::<T>::insert(id, VersionRoots::of(&record.manifest));
			}
			T::DbWeight::get().reads_writes(versions, versions)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			Ok((Versions::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let versions =
				u64::decode(&mut &state[..]).map_err(|_| "cannot decode the pre-upgrade count")?;
			ensure!(
				ArtifactRoots::<T>::iter_keys().count() as u64 == versions,
				"a version has no artifact roots"
			);
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration, run only when the on-chain storage version is 3; it sets it to 4.
	pub type MigrateV3ToV4<T> = VersionedMigration<
		3,
		4,
		InnerMigrateV3ToV4<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
