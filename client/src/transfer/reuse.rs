//! Bytes already on disk: chunks of older installs, parent versions and the store, indexed by
//! leaf hash so an install copies them instead of fetching them.

use super::fetch::chunk_range;
use owh_primitives::{
	merkle::{self, Hash32, LeafRule},
	Artifact,
};
use std::{
	collections::HashMap,
	fs::{self, File},
	os::unix::fs::FileExt,
	path::{Path, PathBuf},
	sync::Arc,
};

/// Chunks available in local files, by leaf hash, for one chunk size and leaf rule.
#[derive(Default)]
pub struct ChunkIndex {
	chunks: HashMap<Hash32, (Arc<PathBuf>, u64, u64)>,
	pub(super) files: HashMap<PathBuf, (u64, Vec<Hash32>)>,
	pub(super) rule: LeafRule,
}

impl ChunkIndex {
	/// Hashes `files` (each once, in parallel chunks) and indexes their chunks.
	pub fn scan(files: &[PathBuf], chunk_size: u32, rule: LeafRule) -> Self {
		let mut index = Self {
			rule,
			..Self::default()
		};
		for path in files {
			let regular = fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
			if index.files.contains_key(path) || !regular {
				continue;
			}
			let Ok((size, leaves)) =
				crate::integrity::hashing::file_leaves(path, chunk_size, rule, &|_| {})
			else {
				continue;
			};
			let shared = Arc::new(path.clone());
			for (i, leaf) in leaves.iter().enumerate() {
				let (start, end) = chunk_range(size, chunk_size, i as u64);
				if end > start {
					index
						.chunks
						.entry(*leaf)
						.or_insert_with(|| (shared.clone(), start, end - start));
				}
			}
			index.files.insert(path.clone(), (size, leaves));
		}
		index
	}

	/// Whether the scanned file at `path` holds exactly `artifact` (hashed under `rule`).
	pub fn holds(&self, path: &Path, artifact: &Artifact, rule: LeafRule) -> bool {
		rule == self.rule
			&& self.files.get(path).is_some_and(|(size, leaves)| {
				*size == artifact.size && merkle::root_from_leaves(leaves) == artifact.merkle_root
			})
	}

	/// The bytes of a chunk with this leaf hash, read from a local file and re-checked.
	pub(super) fn read(&self, leaf: &Hash32, len: u64) -> Option<Vec<u8>> {
		let (path, start, have) = self.chunks.get(leaf)?;
		if *have != len {
			return None;
		}
		let mut buf = vec![0u8; len as usize];
		File::open(path.as_ref())
			.and_then(|f| f.read_exact_at(&mut buf, *start))
			.ok()?;
		(self.rule.leaf(&buf) == *leaf).then_some(buf)
	}

	pub fn len(&self) -> usize {
		self.chunks.len()
	}

	pub fn is_empty(&self) -> bool {
		self.chunks.is_empty()
	}
}

/// Whether the file at `path` already matches the artifact (hashing it under `rule`).
pub fn matches(path: &Path, artifact: &Artifact, rule: LeafRule) -> bool {
	fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == artifact.size)
		&& crate::integrity::hashing::file_leaves(path, artifact.chunk_size, rule, &|_| {})
			.is_ok_and(|(_, leaves)| merkle::root_from_leaves(&leaves) == artifact.merkle_root)
}
