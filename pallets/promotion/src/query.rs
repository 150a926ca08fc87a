//! What the runtime API reads.

use crate::*;
use alloc::vec::Vec;
use polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// Every registered attestor.
	pub fn attestors() -> Vec<(T::AccountId, AttestorInfoOf<T>)> {
		Attestors::<T>::iter().collect()
	}

	/// Every attestation of `version`, oldest first, with whether the gates count it now.
	pub fn attestations_of(version: &VersionId) -> Vec<(AttestationId, AttestationOf<T>, bool)> {
		let counted: Vec<AttestationId> = Self::counted_attestations(version)
			.into_iter()
			.map(|(id, _)| id)
			.collect();
		let mut all: Vec<_> = VersionAttestations::<T>::iter_key_prefix(version)
			.filter_map(|id| Attestations::<T>::get(id).map(|a| (id, a, counted.contains(&id))))
			.collect();
		all.sort_by_key(|(id, _, _)| *id);
		all
	}

	/// Every change of an alias's gate, oldest first.
	pub fn gate_history(repo: &RepoName, alias: &AliasName) -> Vec<GateChangeOf<T>> {
		let key = (repo.clone(), alias.clone());
		(0..GateChangeCount::<T>::get(repo, alias))
			.filter_map(|index| GateHistory::<T>::get(&key, index))
			.collect()
	}

	/// Every dispute of `version`'s attestations, oldest first.
	pub fn disputes_of(version: &VersionId) -> Vec<(DisputeId, DisputeOf<T>)> {
		let mut all: Vec<_> = VersionAttestations::<T>::iter_key_prefix(version)
			.flat_map(AttestationDisputes::<T>::iter_key_prefix)
			.filter_map(|id| Disputes::<T>::get(id).map(|d| (id, d)))
			.collect();
		all.sort_by_key(|(id, _)| *id);
		all
	}

	/// Each yank snapshot of `version`, oldest first.
	pub fn yank_snapshots_of(version: &VersionId) -> Vec<(BlockNumberFor<T>, YankSnapshotOf<T>)> {
		let mut all: Vec<_> = YankSnapshots::<T>::iter_prefix(version).collect();
		all.sort_by_key(|(block, _)| *block);
		all
	}
}
