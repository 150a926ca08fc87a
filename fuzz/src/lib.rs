//! Inputs for the call-sequence fuzz target, which runs on the licensing pallet's mock runtime
//! (the real registry, licensing and balances pallets; `pallet-licensing`'s `fuzzing` feature).

use owh_primitives::{manifest::*, merkle::MIN_CHUNK_SIZE, VersionId};
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

/// The mock's one-file manifest of `repo` with `parents`, given `artifacts % 4 + 1` files.
pub fn manifest(repo: &RepoName, artifacts: u8, parents: &[VersionId], salt: u8) -> Manifest {
	let mut manifest = mock::manifest(repo, parents, &"m".repeat(usize::from(salt)));
	let template = manifest.artifacts[0].clone();
	let artifacts = (0..artifacts % 4 + 1)
		.map(|i| Artifact {
			path: BoundedVec::truncate_from(format!("file-{i}.bin").into_bytes()),
			size: u64::from(i) * 5_000,
			chunk_size: MIN_CHUNK_SIZE,
			..template.clone()
		})
		.collect();
	manifest.artifacts = BoundedVec::truncate_from(artifacts);
	manifest
}
