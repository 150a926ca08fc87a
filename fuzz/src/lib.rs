//! Inputs for the call-sequence fuzz target, which runs on the licensing pallet's mock runtime
//! (the real registry, licensing and balances pallets; `pallet-licensing`'s `fuzzing` feature).

use owh_primitives::{manifest::*, merkle::MIN_CHUNK_SIZE, Parent, Relation, VersionId};
use pallet_licensing::mock::{self, AccountId};
use polkadot_sdk::frame_support::BoundedVec;

/// The accounts a sequence acts as: five funded, one without funds, and the buyer.
pub fn account(index: u8) -> AccountId {
	match index % 7 {
		0 => mock::alice(),
		1 => mock::bob(),
		2 => mock::charlie(),
		3 => mock::dave(),
		4 => mock::eve(),
		5 => mock::pauper(),
		_ => mock::buyer(),
	}
}

/// One of four repository names.
pub fn repo(index: u8) -> RepoName {
	BoundedVec::truncate_from(format!("org/model-{}", index % 4).into_bytes())
}

/// A valid manifest of `repo` with `artifacts` (1 to 4) files and `parents`.
pub fn manifest(repo: &RepoName, artifacts: u8, parents: &[VersionId], salt: u8) -> Manifest {
	let mut parents: Vec<Parent> = parents
		.iter()
		.map(|version| Parent {
			version: *version,
			relation: Relation::FineTune,
		})
		.collect();
	parents.sort_by_key(|p| p.version);
	parents.dedup_by_key(|p| p.version);
	let artifacts = (0..artifacts % 4 + 1)
		.map(|i| Artifact {
			path: BoundedVec::truncate_from(format!("file-{i}.bin").into_bytes()),
			size: u64::from(i) * 5_000,
			sha256: [i; 32],
			chunk_size: MIN_CHUNK_SIZE,
			merkle_root: [i; 32],
			media_type: Default::default(),
			uris: BoundedVec::truncate_from(vec![BoundedVec::truncate_from(
				b"https://mirror.example/x".to_vec(),
			)]),
		})
		.collect();
	Manifest {
		format_version: MANIFEST_FORMAT_VERSION,
		repository: repo.clone(),
		parents: BoundedVec::truncate_from(parents),
		artifacts: BoundedVec::truncate_from(artifacts),
		message: BoundedVec::truncate_from(vec![b'm'; usize::from(salt)]),
		metrics: Default::default(),
		license: BoundedVec::truncate_from(b"MIT".to_vec()),
		tags: Default::default(),
		tool_version: Default::default(),
	}
}
