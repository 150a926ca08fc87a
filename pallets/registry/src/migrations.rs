//! Storage migrations of the registry pallet.

/// Storage version 0 to 1: index every version in [`VersionMetas`](crate::VersionMetas).
pub mod v1 {
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
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let mut writes = 0u64;
			let mut counts: BTreeMap<VersionId, u32> = BTreeMap::new();
			let mut unalias = Vec::new();
			for (repo, alias, id) in Aliases::<T>::iter() {
				reads = reads.saturating_add(2);
				match Yanked::<T>::get(id) {
					Some(yank) => unalias.push((repo, alias, id, yank.by)),
					None => {
						let count = counts.entry(id).or_default();
						*count = count.saturating_add(1);
					}
				}
			}
			for (repo, alias, id, yanker) in unalias {
				reads = reads.saturating_add(1);
				if Pallet::<T>::record_alias_move(&yanker, &repo, &alias, Some(id), None).is_ok() {
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
			Pallet::<T>::do_try_state()
		}
	}

	/// The migration, run only when the on-chain storage version is 0; it sets it to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
