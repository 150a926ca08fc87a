//! The embedded default store: a local content-addressed directory.
//!
//! ```text
//! <store>/objects/sha256/<hex>          the artifact bytes
//! <store>/objects/sha256/<hex>.leaves   its chunk leaves (32 bytes each), for per-chunk checks
//! <store>/tmp/                          files being written
//! ```
//! The same layout served by any static HTTP server is a mirror (`<base>/objects/sha256/<hex>`).

use crate::hashing::FileDigest;
use anyhow::{anyhow, bail, Context, Result};
use owh_primitives::merkle::Hash32;
use std::{
	fs,
	io::Write,
	path::{Path, PathBuf},
};

pub struct LocalStore {
	root: PathBuf,
}

/// The default store path: `<data dir>/owh/store`.
pub fn default_store_path() -> Result<PathBuf> {
	let dirs = directories::ProjectDirs::from("org", "OpenWeightHub", "owh")
		.ok_or_else(|| anyhow!("cannot find a home directory; pass --store <dir>"))?;
	Ok(dirs.data_dir().join("store"))
}

/// The object key of an artifact inside a store or mirror.
pub fn object_key(sha256: &Hash32) -> String {
	format!("objects/sha256/{}", hex::encode(sha256))
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

	pub fn object_path(&self, sha256: &Hash32) -> PathBuf {
		self.root.join(object_key(sha256))
	}

	pub fn leaves_path(&self, sha256: &Hash32) -> PathBuf {
		let mut path = self.object_path(sha256).into_os_string();
		path.push(".leaves");
		PathBuf::from(path)
	}

	/// The `file://` URI of an object, as recorded in manifests.
	pub fn file_uri(&self, sha256: &Hash32) -> Result<String> {
		let path = self.object_path(sha256);
		let text = path
			.to_str()
			.filter(|t| t.bytes().all(|b| b.is_ascii_graphic()));
		match text {
			Some(t) => Ok(format!("file://{t}")),
			None => bail!(
				"the store path {} has spaces or non-ASCII characters, which a storage URI cannot hold; pass --store <dir>",
				self.root.display()
			),
		}
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

	/// Writes the leaves file of an object atomically.
	pub fn write_leaves(&self, sha256: &Hash32, leaves: &[Hash32]) -> Result<()> {
		let mut tmp = self.temp_file()?;
		tmp.write_all(&leaves.concat())?;
		tmp.persist(self.leaves_path(sha256))
			.context("cannot store the chunk leaves")?;
		Ok(())
	}
}
