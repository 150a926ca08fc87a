//! The embedded default store: a local content-addressed directory.
//!
//! ```text
//! <store>/objects/sha256/<hex>          the artifact bytes
//! <store>/objects/sha256/<hex>.leaves   its chunk leaves (32 bytes each), for per-chunk checks
//! <store>/manifests/<version hex>.scale manifests of versions published or installed here
//! <store>/installs.json                 where each version was installed (for chunk reuse)
//! <store>/tmp/                          files being written
//! ```
//! `objects/sha256` is itself a mirror (`<base>/<hex>`): `file://<store>/objects/sha256`, or
//! `owh serve` over HTTP.

use crate::{integrity::hashing::FileDigest, transfer::FileBackend};
use anyhow::{anyhow, Context, Result};
use codec::{Decode, Encode};
use owh_primitives::{merkle::Hash32, Manifest, VersionId};
use std::{
	collections::BTreeMap,
	fs,
	io::Write,
	path::{Path, PathBuf},
};

/// Install directories remembered per version.
const MAX_INSTALLS_PER_VERSION: usize = 8;

#[derive(Clone)]
pub struct LocalStore {
	root: PathBuf,
}

/// The default store path: `<data dir>/owh/store`.
pub fn default_store_path() -> Result<PathBuf> {
	let dirs = directories::ProjectDirs::from("org", "OpenWeightHub", "owh")
		.ok_or_else(|| anyhow!("cannot find a home directory; pass --store <dir>"))?;
	Ok(dirs.data_dir().join("store"))
}

/// The name of a blob in a store or mirror: its SHA-256 in hex.
pub fn blob_name(sha256: &Hash32) -> String {
	hex::encode(sha256)
}

impl LocalStore {
	/// Opens (and creates) a store at `root`.
	pub fn open(root: &Path) -> Result<Self> {
		fs::create_dir_all(root.join("objects/sha256"))
			.and_then(|_| fs::create_dir_all(root.join("tmp")))
			.with_context(|| {
				format!(
					"cannot create the store at {}; pass --store <dir>",
					root.display()
				)
			})?;
		let root = fs::canonicalize(root)?;
		Ok(Self { root })
	}

	/// The store at `root` as it would be opened, without creating anything (for dry runs:
	/// the URIs come out the same as a real publish's).
	pub fn planned(root: &Path) -> Result<Self> {
		let root = fs::canonicalize(root).or_else(|_| std::path::absolute(root))?;
		Ok(Self { root })
	}

	/// Opens a store only if it exists; never creates one.
	pub fn existing(root: &Path) -> Option<Self> {
		fs::canonicalize(root)
			.ok()
			.filter(|r| r.join("objects/sha256").is_dir())
			.map(|root| Self { root })
	}

	pub fn root(&self) -> &Path {
		&self.root
	}

	/// The directory holding the blobs, a mirror in itself.
	pub fn blobs_dir(&self) -> PathBuf {
		self.root.join("objects/sha256")
	}

	/// The store's blobs as a backend.
	pub fn backend(&self) -> FileBackend {
		FileBackend::new(self.blobs_dir())
	}

	pub fn object_path(&self, sha256: &Hash32) -> PathBuf {
		self.blobs_dir().join(blob_name(sha256))
	}

	pub fn leaves_path(&self, sha256: &Hash32) -> PathBuf {
		let mut path = self.object_path(sha256).into_os_string();
		path.push(".leaves");
		PathBuf::from(path)
	}

	/// Whether the store holds a complete object of this hash and size.
	pub fn has(&self, sha256: &Hash32, size: u64) -> bool {
		fs::metadata(self.object_path(sha256)).is_ok_and(|m| m.len() == size)
	}

	/// A temporary file inside the store, to be committed with [`Self::commit`].
	pub fn temp_file(&self) -> Result<tempfile::NamedTempFile> {
		tempfile::NamedTempFile::new_in(self.root.join("tmp"))
			.context("cannot write into the store")
	}

	/// Moves a fully written temporary file to its content address and writes its leaves.
	/// An object that is already present is kept (deduplication).
	pub fn commit(&self, tmp: tempfile::NamedTempFile, digest: &FileDigest) -> Result<PathBuf> {
		let target = self.object_path(&digest.sha256);
		if self.has(&digest.sha256, digest.size) {
			drop(tmp);
		} else {
			tmp.as_file().sync_all()?;
			tmp.persist(&target)
				.with_context(|| format!("cannot store {}", target.display()))?;
		}
		self.write_leaves(&digest.sha256, &digest.leaves)?;
		Ok(target)
	}

	/// Copies a file whose digest is known into the store, unless the store already has it.
	/// Returns whether bytes were copied.
	pub fn import(&self, src: &Path, digest: &FileDigest) -> Result<bool> {
		let copied = if self.has(&digest.sha256, digest.size) {
			false
		} else {
			let tmp = self.temp_file()?;
			fs::copy(src, tmp.path())
				.with_context(|| format!("cannot copy {} into the store", src.display()))?;
			tmp.as_file().sync_all()?;
			tmp.persist(self.object_path(&digest.sha256))
				.context("cannot store the object")?;
			true
		};
		if !self.leaves_path(&digest.sha256).exists() {
			self.write_leaves(&digest.sha256, &digest.leaves)?;
		}
		Ok(copied)
	}

	/// The chunk leaves stored beside an object, if any.
	pub fn leaves(&self, sha256: &Hash32) -> Option<Vec<Hash32>> {
		let bytes = fs::read(self.leaves_path(sha256)).ok()?;
		bytes.len().is_multiple_of(32).then(|| {
			bytes
				.chunks_exact(32)
				.map(|c| <Hash32>::try_from(c).expect("chunks of 32"))
				.collect()
		})
	}

	fn manifest_path(&self, id: &VersionId) -> PathBuf {
		self.root
			.join("manifests")
			.join(format!("{}.scale", hex::encode(id.as_bytes())))
	}

	/// Keeps a copy of a version's manifest (for `owh serve`).
	pub fn save_manifest(&self, manifest: &Manifest) -> Result<()> {
		let id = manifest.version_id();
		let path = self.manifest_path(&id);
		if path.exists() {
			return Ok(());
		}
		fs::create_dir_all(self.root.join("manifests"))?;
		let mut tmp = self.temp_file()?;
		tmp.write_all(&manifest.encode())?;
		tmp.persist(&path).context("cannot store the manifest")?;
		Ok(())
	}

	/// A stored manifest, only if it decodes and hashes to `id`.
	pub fn manifest(&self, id: &VersionId) -> Option<Manifest> {
		let bytes = fs::read(self.manifest_path(id)).ok()?;
		let manifest = Manifest::decode(&mut &bytes[..]).ok()?;
		(manifest.version_id() == *id).then_some(manifest)
	}

	fn installs(&self) -> BTreeMap<String, Vec<PathBuf>> {
		fs::read(self.root.join("installs.json"))
			.ok()
			.and_then(|b| serde_json::from_slice(&b).ok())
			.unwrap_or_default()
	}

	/// Directories version `id` was installed into (most recent first).
	pub fn installs_of(&self, id: &VersionId) -> Vec<PathBuf> {
		self.installs()
			.remove(&hex::encode(id.as_bytes()))
			.unwrap_or_default()
	}

	/// The one version recorded as installed in `dir`, with its stored manifest; `None` when
	/// no version or more than one was installed there, or its manifest is not kept.
	pub fn installed_in(&self, dir: &Path) -> Option<(VersionId, Manifest)> {
		let dir = fs::canonicalize(dir).ok()?;
		let mut found = self
			.installs()
			.into_iter()
			.filter(|(_, dirs)| dirs.contains(&dir))
			.map(|(id, _)| id);
		let (id, None) = (found.next()?, found.next()) else {
			return None;
		};
		let id = VersionId(<[u8; 32]>::try_from(hex::decode(id).ok()?).ok()?);
		Some((id, self.manifest(&id)?))
	}

	/// Remembers that version `id` is installed in `dir`.
	pub fn record_install(&self, id: &VersionId, dir: &Path) -> Result<()> {
		let dir = fs::canonicalize(dir)?;
		let mut all = self.installs();
		let list = all.entry(hex::encode(id.as_bytes())).or_default();
		list.retain(|d| d != &dir);
		list.insert(0, dir);
		list.truncate(MAX_INSTALLS_PER_VERSION);
		let mut tmp = self.temp_file()?;
		tmp.write_all(&serde_json::to_vec_pretty(&all)?)?;
		tmp.persist(self.root.join("installs.json"))
			.context("cannot record the install")?;
		Ok(())
	}

	/// The chunk list kept for `artifact`, only if its Merkle root is the artifact's.
	pub fn checked_leaves(&self, artifact: &owh_primitives::Artifact) -> Option<Vec<Hash32>> {
		self.leaves(&artifact.sha256).filter(|leaves| {
			owh_primitives::merkle::root_from_leaves(leaves) == artifact.merkle_root
		})
	}

	/// Writes the leaves file of an object atomically.
	pub fn write_leaves(&self, sha256: &Hash32, leaves: &[Hash32]) -> Result<()> {
		let mut tmp = self.temp_file()?;
		tmp.write_all(&leaves.concat())?;
		tmp.persist(self.leaves_path(sha256))
			.context("cannot store the chunk leaves")?;
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::model::{build_manifest, HashedFile, ManifestInput};

	fn manifest(message: &str) -> Manifest {
		let input = ManifestInput {
			repository: "acme/model".into(),
			chunk_size: 1 << 20,
			parents: Vec::new(),
			message: message.into(),
			metrics: Vec::new(),
			license: "MIT".into(),
			tags: Vec::new(),
		};
		let file = HashedFile {
			rel: "w.bin".into(),
			size: 3,
			sha256: [1; 32],
			merkle_root: [2; 32],
			uris: Vec::new(),
		};
		build_manifest(&input, &[file]).unwrap()
	}

	#[test]
	fn the_one_version_installed_in_a_directory_is_found() {
		let root = tempfile::tempdir().unwrap();
		let store = LocalStore::open(&root.path().join("store")).unwrap();
		let (dir, other) = (root.path().join("a"), root.path().join("b"));
		fs::create_dir_all(&dir).unwrap();
		fs::create_dir_all(&other).unwrap();
		let (first, second) = (manifest("one"), manifest("two"));
		let (id1, id2) = (first.version_id(), second.version_id());
		assert_eq!(store.installed_in(&dir), None);
		store.record_install(&id1, &dir).unwrap();
		// Without the manifest kept there is nothing to hash against.
		assert_eq!(store.installed_in(&dir), None);
		store.save_manifest(&first).unwrap();
		assert_eq!(store.installed_in(&dir), Some((id1, first)));
		store.save_manifest(&second).unwrap();
		store.record_install(&id2, &other).unwrap();
		assert_eq!(store.installed_in(&other).map(|(id, _)| id), Some(id2));
		// Two versions recorded in one directory: no guess.
		store.record_install(&id2, &dir).unwrap();
		assert_eq!(store.installed_in(&dir), None);
	}
}
