//! What the registry tells other pallets: the licensing pallet reads repositories, roles and
//! lineage through [`ModelRegistry`].

use crate::*;
use alloc::vec::Vec;
use owh_primitives::{
	availability::{ProbeTarget, ProbeTargets},
	licensing::ModelRegistry,
	storage::VersionRootsProvider,
};

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

	fn alias_target(repo: &RepoName, alias: &AliasName) -> Option<VersionId> {
		Aliases::<T>::get(repo, alias)
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

impl<T: Config> ProbeTargets for Pallet<T> {
	fn version_at(seed: &[u8; 32]) -> Option<VersionId> {
		let from = ArtifactRoots::<T>::hashed_key_for(VersionId(*seed));
		ArtifactRoots::<T>::iter_keys_from(from)
			.next()
			.or_else(|| ArtifactRoots::<T>::iter_keys().next())
	}

	fn probe_targets(version: &VersionId) -> Vec<ProbeTarget> {
		let Some(record) = Versions::<T>::get(version) else {
			return Vec::new();
		};
		let mirrors = Mirrors::<T>::get(version);
		let mut targets = Vec::new();
		for (index, artifact) in record.manifest.artifacts.iter().enumerate() {
			let artifact_index = u32::try_from(index).unwrap_or(u32::MAX);
			for uri in artifact.uris.iter().filter(|u| is_http(u)) {
				targets.push(ProbeTarget {
					uri: uri.clone(),
					url: uri.to_vec(),
					artifact: artifact_index,
				});
			}
		}
		// A mirror serves every artifact: one target per mirror, on an artifact picked by the
		// version id so that different versions exercise different files.
		let count = record.manifest.artifacts.len();
		for (n, mirror) in mirrors.iter().filter(|m| is_http(&m.uri)).enumerate() {
			let pick = usize::from(version.0[0]).wrapping_add(n).checked_rem(count);
			let Some(artifact) = pick.and_then(|i| record.manifest.artifacts.get(i)) else {
				continue;
			};
			let mut url = mirror.uri.to_vec();
			if url.last() != Some(&b'/') {
				url.push(b'/');
			}
			url.extend_from_slice(&hex_lower(&artifact.sha256));
			targets.push(ProbeTarget {
				uri: mirror.uri.clone(),
				url,
				artifact: pick.and_then(|i| u32::try_from(i).ok()).unwrap_or(u32::MAX),
			});
		}
		targets
	}
}

/// Whether an off-chain worker can fetch from `uri`.
fn is_http(uri: &[u8]) -> bool {
	uri.starts_with(b"http://") || uri.starts_with(b"https://")
}

/// Lower-case hex, as blobs are named.
fn hex_lower(bytes: &[u8]) -> Vec<u8> {
	const DIGITS: &[u8; 16] = b"0123456789abcdef";
	let mut out = Vec::with_capacity(bytes.len().saturating_mul(2));
	for byte in bytes {
		out.push(DIGITS.get(usize::from(byte >> 4)).copied().unwrap_or(b'0'));
		out.push(
			DIGITS
				.get(usize::from(byte & 0x0f))
				.copied()
				.unwrap_or(b'0'),
		);
	}
	out
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

	fn point_alias(repo: &RepoName, alias: &AliasName, version: VersionId) {
		Aliases::<T>::insert(repo, alias, version);
		VersionMetas::<T>::mutate(version, |meta| {
			if let Some(meta) = meta {
				meta.aliases = meta.aliases.saturating_add(1);
			}
		});
	}
}
