//! Any bytes: decoding a manifest never panics; a decoded manifest re-encodes to the bytes it
//! was read from, so its version id is stable; validation never panics, and a manifest that
//! validates keeps every bound the runtime relies on.
#![no_main]

use codec::{Decode, Encode};
use libfuzzer_sys::fuzz_target;
use owh_primitives::{
	manifest::Manifest,
	merkle::is_valid_chunk_size,
	validate::{self, Limits},
};

fuzz_target!(|data: &[u8]| {
	let mut input = data;
	let Ok(manifest) = Manifest::decode(&mut input) else {
		return;
	};
	let consumed = &data[..data.len() - input.len()];
	assert_eq!(
		manifest.encode(),
		consumed,
		"decode then encode changed the bytes"
	);
	assert_eq!(
		manifest.version_id(),
		Manifest::decode(&mut &consumed[..])
			.expect("decoded once")
			.version_id()
	);
	let limits = Limits {
		max_artifacts: 8,
		max_parents: 4,
	};
	if validate::manifest(&manifest, limits).is_ok() {
		assert!(!manifest.artifacts.is_empty() && manifest.artifacts.len() <= 8);
		assert!(manifest.parents.len() <= 4);
		assert!(manifest.artifacts.windows(2).all(|w| w[0].path < w[1].path));
		assert!(manifest
			.parents
			.windows(2)
			.all(|w| w[0].version < w[1].version));
		for artifact in manifest.artifacts.iter() {
			assert!(is_valid_chunk_size(artifact.chunk_size));
			assert!(validate::path(&artifact.path));
			assert!(!artifact.uris.is_empty());
		}
	}
});
