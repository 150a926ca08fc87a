//! Where an artifact can be read: the local store, the manifest's URIs and the mirrors, in
//! the order tried, and the chunk list that lets each chunk be checked on its own.

use super::{
	reach::{chain_uri_refusal, Origin},
	Backends, Location,
};
use crate::{
	chain::UriAvailability,
	store::{blob_name, LocalStore},
};
use owh_primitives::{
	availability::serving_rank,
	merkle::{self, Hash32},
	Artifact,
};

/// Where an artifact can be read, in the order tried: the local store, then the URIs in the
/// manifest and the mirror bases (on-chain mirrors, then `--from`, each as `<base>/<hex>`),
/// those the validators last saw serving first and those they saw failing last
/// ([`serving_rank`]), in manifest-then-mirror order otherwise.
///
/// URIs read from the chain (the manifest's and `on_chain` mirrors) that would reach into this
/// machine are left out and listed in [`Located::refused`] ([`chain_uri_refusal`]); `given`
/// mirrors are the user's own and always tried.
pub fn locations(
	artifact: &Artifact,
	store: Option<&LocalStore>,
	backends: &Backends,
	on_chain: &[String],
	given: &[String],
	known: &[UriAvailability],
) -> Located {
	let name = blob_name(&artifact.sha256);
	let mut uris = Vec::new();
	if let Some(store) = store.filter(|s| s.has(&artifact.sha256, artifact.size)) {
		uris.push((
			Origin::User,
			format!("file://{}/{name}", store.blobs_dir().display()),
		));
	}
	let mut remote: Vec<(Origin, String, String)> = artifact
		.uris
		.iter()
		.filter_map(|u| std::str::from_utf8(u).ok())
		.map(|u| (Origin::Chain, u.to_string(), u.to_string()))
		.chain(
			on_chain
				.iter()
				.map(|base| (Origin::Chain, base.clone(), format!("{base}/{name}"))),
		)
		.chain(
			given
				.iter()
				.map(|base| (Origin::User, base.clone(), format!("{base}/{name}"))),
		)
		.collect();
	remote.sort_by_key(|(_, key, _)| serving_rank(key.as_bytes(), known));
	uris.extend(remote.into_iter().map(|(origin, _, url)| (origin, url)));
	let store_blobs = store.map(|s| s.blobs_dir());
	let mut located = Located::default();
	let mut refused = Vec::new();
	let mut seen = std::collections::HashSet::new();
	for (origin, uri) in uris {
		if origin == Origin::Chain {
			if let Some(why) =
				chain_uri_refusal(&uri, store_blobs.as_deref(), backends.allow_private())
			{
				refused.push((uri, why));
				continue;
			}
		}
		if seen.insert(uri.clone()) {
			located.locations.extend(backends.locate(&uri, origin));
		}
	}
	// A URI the user named too (--from) is read as theirs: not reported as refused.
	located.refused = refused
		.into_iter()
		.filter(|(uri, _)| !seen.contains(uri))
		.map(|(uri, why)| format!("{uri}: {why}"))
		.collect();
	located
}

/// The locations of an artifact, and the chain URIs refused on the way.
#[derive(Default)]
pub struct Located {
	pub locations: Vec<Location>,
	/// `<uri>: <why>` for each URI from the chain that may not be read here.
	pub refused: Vec<String>,
}

/// The expected chunk leaves, from the first location whose list matches the on-chain root.
pub fn expected_leaves(artifact: &Artifact, locations: &[Location]) -> Option<Vec<Hash32>> {
	let count = merkle::chunk_count(artifact.size, artifact.chunk_size) as usize;
	locations.iter().find_map(|location| {
		let bytes = location.leaves()?;
		let leaves = parse_leaves(&bytes, count)?;
		(merkle::root_from_leaves(&leaves) == artifact.merkle_root).then_some(leaves)
	})
}

fn parse_leaves(bytes: &[u8], count: usize) -> Option<Vec<Hash32>> {
	(bytes.len() == count * 32).then(|| {
		bytes
			.chunks_exact(32)
			.map(|c| <Hash32>::try_from(c).expect("chunks of 32"))
			.collect()
	})
}
