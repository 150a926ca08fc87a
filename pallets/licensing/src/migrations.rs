//! Storage migrations of the licensing pallet.

/// Version 1 snapshots the royalty rates of every lineage edge ([`crate::EdgeRoyalties`]).
pub mod v1 {
	use crate::*;
	use alloc::vec::Vec;
	use owh_primitives::licensing::ModelRegistry;
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
		},
		frame_system,
	};

	/// Records, for every version committed before rates were snapshotted, the rates its
	/// parents offer at the upgrade, as if it had been committed then. These entries hold no
	/// deposit (the versions' deposits were taken before); entries written by commits from
	/// now on are paid in the version's deposit. Reads the whole version index, which is
	/// acceptable for the development chains that exist before the first public network.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> InnerMigrateV0ToV1<T> {
		/// Each version with parents, paired with its parents' repositories, and the rates
		/// its parents offer now.
		fn snapshots() -> (u64, Vec<(VersionId, EdgeRates)>) {
			let mut reads = 0u64;
			let snapshots = T::Registry::all_lineages()
				.into_iter()
				.map(|(version, parents)| {
					reads = reads.saturating_add(1);
					let with_repos: Vec<(VersionId, RepoName)> = parents
						.into_iter()
						.filter_map(|parent| {
							// The parent's index entry and its offer lists and offers.
							reads = reads.saturating_add(
								2u64.saturating_add(T::MaxOffersPerTarget::get().into()),
							);
							T::Registry::repository_of(&parent).map(|repo| (parent, repo))
						})
						.collect();
					(version, Pallet::<T>::current_edge_rates(&with_repos))
				})
				.filter(|(_, rates)| !rates.is_empty())
				.collect();
			(reads, snapshots)
		}
	}

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let (reads, snapshots) = Self::snapshots();
			let writes = snapshots.len() as u64;
			for (version, rates) in snapshots {
				EdgeRoyalties::<T>::insert(version, rates);
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			ensure!(
				EdgeRoyalties::<T>::iter_keys().next().is_none(),
				"royalty rates snapshotted before the migration"
			);
			Ok(Self::snapshots().1.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let expected = <Vec<(VersionId, EdgeRates)>>::decode(&mut &state[..])
				.map_err(|_| "cannot decode the expected snapshots")?;
			ensure!(
				EdgeRoyalties::<T>::iter().count() == expected.len(),
				"snapshot count differs from the versions whose parents offer a royalty"
			);
			for (version, rates) in expected {
				ensure!(
					EdgeRoyalties::<T>::get(version).as_ref() == Some(&rates),
					"a version's snapshot differs from its parents' rates"
				);
			}
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
