//! Storing a version's artifacts at mirrors: each blob and its chunk list, from several
//! threads, skipping what a mirror already holds at the right size.

use super::Backends;
use crate::store::blob_name;
use anyhow::{bail, Result};
use owh_primitives::merkle::Hash32;
use std::{
	path::PathBuf,
	sync::{
		atomic::{AtomicU64, AtomicUsize, Ordering},
		Mutex,
	},
};

/// Where a blob's chunk list is read.
pub enum LeavesFrom<'a> {
	/// Computed by this run.
	Memory(&'a [Hash32]),
	/// A `.leaves` file already checked against the on-chain root (the store's).
	File(PathBuf),
	/// None known: the blob is uploaded without one.
	Absent,
}

/// One blob to store: its name's digest, its size, where its bytes are and its chunk list.
pub struct Blob<'a> {
	/// The artifact's path in the version, for messages.
	pub label: &'a str,
	pub sha256: Hash32,
	pub size: u64,
	pub src: PathBuf,
	pub leaves: LeavesFrom<'a>,
}

/// What an upload did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Uploaded {
	/// Bytes sent.
	pub sent: u64,
	/// Bytes a mirror already held at the right size.
	pub present: u64,
}

/// Stores every blob at every mirror with `jobs` threads; `on_bytes` counts bytes sent or
/// found present. Fails naming each blob that could not be stored (the others are kept).
pub fn upload(
	backends: &Backends,
	blobs: &[Blob],
	mirrors: &[String],
	jobs: u16,
	on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<Uploaded> {
	let tasks: Vec<(&String, &Blob)> = mirrors
		.iter()
		.flat_map(|m| blobs.iter().map(move |b| (m, b)))
		.collect();
	let next = AtomicUsize::new(0);
	let (sent, present) = (AtomicU64::new(0), AtomicU64::new(0));
	let errors = Mutex::new(Vec::new());
	std::thread::scope(|scope| {
		for _ in 0..jobs.max(1) {
			scope.spawn(|| {
				while let Some((mirror, blob)) = tasks.get(next.fetch_add(1, Ordering::Relaxed)) {
					let stored = store_blob(backends, mirror, blob, on_bytes);
					match stored {
						Ok(true) => sent.fetch_add(blob.size, Ordering::Relaxed),
						Ok(false) => present.fetch_add(blob.size, Ordering::Relaxed),
						Err(e) => {
							let text = format!("{} to {mirror}: {e:#}", blob.label);
							errors.lock().expect("not poisoned").push(text);
							0
						}
					};
				}
			});
		}
	});
	let errors = errors.into_inner().expect("not poisoned");
	if !errors.is_empty() {
		bail!("{}", errors.join(" | "));
	}
	Ok(Uploaded {
		sent: sent.into_inner(),
		present: present.into_inner(),
	})
}

/// Stores one blob and its chunk list at one mirror; `Ok(false)` when the blob was there.
fn store_blob(
	backends: &Backends,
	mirror: &str,
	blob: &Blob,
	on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<bool> {
	let backend = backends.get(mirror)?;
	let name = blob_name(&blob.sha256);
	let sent = if backend.size(&name)? == Some(blob.size) {
		on_bytes(blob.size);
		false
	} else {
		backend.put(&name, &blob.src, on_bytes)?;
		true
	};
	let leaves_name = format!("{name}.leaves");
	match &blob.leaves {
		LeavesFrom::Memory(leaves) => {
			if backend.size(&leaves_name)? != Some(leaves.len() as u64 * 32) {
				let tmp = tempfile::NamedTempFile::new()?;
				std::fs::write(tmp.path(), leaves.concat())?;
				backend.put(&leaves_name, tmp.path(), &|_| {})?;
			}
		}
		LeavesFrom::File(path) => {
			let len = std::fs::metadata(path)?.len();
			if backend.size(&leaves_name)? != Some(len) {
				backend.put(&leaves_name, path, &|_| {})?;
			}
		}
		LeavesFrom::Absent => {}
	}
	Ok(sent)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::transfer::NetOptions;
	use std::time::Duration;

	#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
	async fn blobs_and_chunk_lists_reach_every_mirror_once() {
		let backends = Backends::new(NetOptions {
			timeout: Duration::from_secs(5),
			allow_private: false,
			upload_token: None,
			arweave_gateway: crate::transfer::arweave::DEFAULT_GATEWAY.into(),
		})
		.unwrap();
		let src = tempfile::tempdir().unwrap();
		let data = b"some model bytes".to_vec();
		let path = src.path().join("w.bin");
		std::fs::write(&path, &data).unwrap();
		let sha256: Hash32 = owh_primitives::merkle::leaf_hash(&data);
		let leaves = [[7u8; 32], [9u8; 32]];
		let blob = Blob {
			label: "w.bin",
			sha256,
			size: data.len() as u64,
			src: path,
			leaves: LeavesFrom::Memory(&leaves),
		};
		let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
		let mirrors = [a.path(), b.path()].map(|p| format!("file://{}", p.display()));
		let counted = AtomicU64::new(0);
		let count = |n| {
			counted.fetch_add(n, Ordering::Relaxed);
		};
		let first = tokio::task::block_in_place(|| {
			upload(&backends, std::slice::from_ref(&blob), &mirrors, 2, &count)
		})
		.unwrap();
		assert_eq!(
			first,
			Uploaded {
				sent: 2 * data.len() as u64,
				present: 0
			}
		);
		for dir in [a.path(), b.path()] {
			let name = blob_name(&sha256);
			assert_eq!(std::fs::read(dir.join(&name)).unwrap(), data);
			assert_eq!(
				std::fs::read(dir.join(format!("{name}.leaves"))).unwrap(),
				leaves.concat()
			);
		}
		let again = tokio::task::block_in_place(|| {
			upload(&backends, std::slice::from_ref(&blob), &mirrors, 2, &count)
		})
		.unwrap();
		assert_eq!(
			again,
			Uploaded {
				sent: 0,
				present: 2 * data.len() as u64
			}
		);
		assert_eq!(counted.into_inner(), 4 * data.len() as u64);
		let missing = Blob {
			label: "gone.bin",
			src: src.path().join("gone.bin"),
			sha256: [1u8; 32],
			..blob
		};
		let err = tokio::task::block_in_place(|| {
			upload(&backends, &[missing], &mirrors[..1], 1, &|_| {})
		})
		.unwrap_err();
		assert!(err.to_string().contains("gone.bin to file://"), "{err:#}");
	}
}
