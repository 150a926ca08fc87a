//! What the registry tells other pallets: the licensing pallet reads repositories, roles and
//! lineage through [`ModelRegistry`].

use crate::*;
use alloc::vec::Vec;
use owh_primitives::{licensing::ModelRegistry, storage::VersionRootsProvider};

impl<T: Config> ModelRegistry<T::AccountId> for Pallet<T> {
	fn repository_of(version: &VersionId) -> Option<RepoName> {
		VersionMetas::<T>::get(version).map(|meta| meta.repository)
	}

	fn lineage_of(version: &VersionId) -> Option<(RepoName, Vec<VersionId>)> {
		VersionMetas::<T>::get(version).map(|meta| {
			let parents = meta.parents.iter().map(|p| p.version).collect();
			(meta.repository, parents)
		})
	}

	fn owner_of(repo: &RepoName) -> Option<T::AccountId> {
		Repositories::<T>::get(repo).map(|info| info.owner)
	}

	fn is_maintainer(who: &T::AccountId, repo: &RepoName) -> bool {
		Self::ensure_maintainer(who, repo).is_ok()
	}

	fn is_yanked(version: &VersionId) -> bool {
		Yanked::<T>::contains_key(version)
	}

	fn all_lineages() -> Vec<(VersionId, Vec<VersionId>)> {
		VersionMetas::<T>::iter()
			.filter(|(_, meta)| !meta.parents.is_empty())
			.map(|(id, meta)| (id, meta.parents.iter().map(|p| p.version).collect()))
			.collect()
	}
}

impl<T: Config> VersionRootsProvider for Pallet<T> {
	fn roots_of(version: &VersionId) -> Option<VersionRoots> {
		ArtifactRoots::<T>::get(version)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> owh_primitives::storage::VersionRootsBenchmarkHelper for Pallet<T> {
	fn insert_roots(version: VersionId, roots: VersionRoots) {
		ArtifactRoots::<T>::insert(version, roots);
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> owh_primitives::licensing::ModelRegistryBenchmarkHelper<T::AccountId>
	for Pallet<T>
{
	fn register_version(
		owner: &T::AccountId,
		repo: &RepoName,
		parents: Vec<VersionId>,
		salt: u32,
	) -> VersionId {
		use owh_primitives::{manifest::*, merkle::DEFAULT_CHUNK_SIZE, Parent, Relation};
		use polkadot_sdk::{
			frame_support::{traits::Time, BoundedVec},
			frame_system,
			sp_runtime::traits::Zero,
		};
		let mut info = Repositories::<T>::get(repo).unwrap_or(RepositoryInfo {
			owner: owner.clone(),
			depositor: owner.clone(),
			deposit: Zero::zero(),
			created: frame_system::Pallet::<T>::block_number(),
			version_count: 0,
		});
		let mut parents: Vec<Parent> = parents
			.into_iter()
			.map(|version| Parent {
				version,
				relation: Relation::FineTune,
			})
			.collect();
		parents.sort_by_key(|p| p.version);
		let artifact = Artifact {
			path: ArtifactPath::truncate_from(b"model.safetensors".to_vec()),
			size: 1,
			sha256: [1; 32],
			chunk_size: DEFAULT_CHUNK_SIZE,
			merkle_root: [1; 32],
			media_type: Default::default(),
			uris: BoundedVec::truncate_from(alloc::vec![StorageUri::truncate_from(
				b"https://bench.example/model".to_vec()
			)]),
		};
		let manifest = Manifest {
			format_version: MANIFEST_FORMAT_VERSION,
			repository: repo.clone(),
			parents: BoundedVec::truncate_from(parents),
			artifacts: BoundedVec::truncate_from(alloc::vec![artifact]),
			message: BoundedVec::truncate_from(salt.to_le_bytes().to_vec()),
			metrics: Default::default(),
			license: BoundedVec::truncate_from(b"MIT".to_vec()),
			tags: Default::default(),
			tool_version: Default::default(),
		};
		let id = manifest.version_id();
		for parent in manifest.parents.iter() {
			Children::<T>::insert(parent.version, id, parent.relation);
		}
		let known_parents: alloc::vec::Vec<_> = manifest
			.parents
			.iter()
			.filter_map(|p| VersionMetas::<T>::get(p.version).map(|m| (p.version, m.repository)))
			.collect();
		<T::OnVersionCommitted as owh_primitives::registry::OnVersionCommitted>::on_version_committed(
			&id,
			&known_parents,
		);
		RepoVersions::<T>::insert(repo, info.version_count, id);
		VersionMetas::<T>::insert(id, VersionMeta::of(&manifest));
		ArtifactRoots::<T>::insert(id, owh_primitives::storage::VersionRoots::of(&manifest));
		Versions::<T>::insert(
			id,
			VersionRecord {
				manifest,
				committer: owner.clone(),
				author: owner.clone(),
				author_signed: false,
				block: frame_system::Pallet::<T>::block_number(),
				timestamp: T::Time::now(),
				deposit: Zero::zero(),
				index: info.version_count,
			},
		);
		info.version_count += 1;
		Repositories::<T>::insert(repo, info);
		id
	}
}
