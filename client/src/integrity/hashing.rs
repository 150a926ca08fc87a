//! Streaming, parallel hashing of artifacts.
//!
//! Publishing needs the whole-file SHA-256 (sequential by nature) and the chunk Merkle leaves
//! (independent). Each batch of whole chunks is read once; the SHA-256 runs on one thread while
//! the leaves hash on the others. Verification needs only the leaves, so every core hashes its
//! own chunks of every file from one pool, with positional reads.

use owh_primitives::merkle::{self, Hash32, LeafRule};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicBool, Ordering};
use std::{
	fs::File,
	io::{self, Read, Write},
	path::Path,
};

/// Bytes read per batch: whole chunks, at least 8 MiB.
pub fn batch_len(chunk_size: u32) -> usize {
	(chunk_size as usize).max(8 << 20)
}

/// SHA-256, size and chunk leaves of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDigest {
	pub size: u64,
	pub sha256: Hash32,
	pub leaves: Vec<Hash32>,
}

impl FileDigest {
	pub fn merkle_root(&self) -> Hash32 {
		merkle::root_from_leaves(&self.leaves)
	}
}

/// Reads until `buf` is full or the reader ends; returns the number of bytes read.
pub fn fill(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
	let mut filled = 0;
	while filled < buf.len() {
		match reader.read(&mut buf[filled..]) {
			Ok(0) => break,
			Ok(n) => filled += n,
			Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
			Err(e) => return Err(e),
		}
	}
	Ok(filled)
}

/// Hashes the leaves of `data`, split into `chunk_size` chunks, in parallel.
pub fn leaves_par(data: &[u8], chunk_size: u32, rule: LeafRule) -> Vec<Hash32> {
	data.par_chunks(chunk_size as usize)
		.map(|chunk| rule.leaf(chunk))
		.collect()
}

/// Reads `reader` to its end once, computing the SHA-256 and the leaves (under the current
/// manifest format, which is what publishing writes), and copies every byte into `sink` when
/// one is given. `on_bytes` is called after each batch.
pub fn digest_stream(
	reader: &mut (impl Read + Send),
	chunk_size: u32,
	mut sink: Option<&mut dyn Write>,
	on_bytes: &(dyn Fn(u64) + Sync),
) -> io::Result<FileDigest> {
	let len = batch_len(chunk_size);
	let (mut current, mut next) = (vec![0u8; len], vec![0u8; len]);
	let mut sha = Sha256::new();
	let mut leaves = Vec::new();
	let mut size = 0u64;
	let mut n = fill(reader, &mut current)?;
	while n > 0 {
		let data = &current[..n];
		// Hash this batch (SHA-256 on one thread, leaves on the others) while the next is read.
		let ((_, batch_leaves), next_n) = rayon::join(
			|| {
				rayon::join(
					|| sha.update(data),
					|| leaves_par(data, chunk_size, LeafRule::CURRENT),
				)
			},
			|| {
				if n < len {
					Ok(0)
				} else {
					fill(reader, &mut next)
				}
			},
		);
		leaves.extend(batch_leaves);
		if let Some(sink) = sink.as_mut() {
			sink.write_all(data)?;
		}
		size += n as u64;
		on_bytes(n as u64);
		n = next_n?;
		std::mem::swap(&mut current, &mut next);
	}
	if leaves.is_empty() {
		leaves.push(merkle::leaf_hash(&[]));
	}
	Ok(FileDigest {
		size,
		sha256: sha.finalize().into(),
		leaves,
	})
}

/// The leaves of a file, every core hashing its own chunks with positional reads.
pub fn file_leaves(
	path: &Path,
	chunk_size: u32,
	rule: LeafRule,
	on_bytes: &(dyn Fn(u64) + Sync),
) -> io::Result<(u64, Vec<Hash32>)> {
	let file = File::open(path)?;
	let size = file.metadata()?.len();
	let count = merkle::chunk_count(size, chunk_size);
	let leaves = (0..count)
		.into_par_iter()
		.map_init(
			|| vec![0u8; chunk_size as usize],
			|buf, index| -> io::Result<Hash32> {
				let start = index * chunk_size as u64;
				let len = (size - start).min(chunk_size as u64) as usize;
				read_exact_at(&file, &mut buf[..len], start)?;
				on_bytes(len as u64);
				Ok(rule.leaf(&buf[..len]))
			},
		)
		.collect::<io::Result<Vec<_>>>()?;
	Ok((size, leaves))
}

/// The leaves of several files from one pool: every chunk of every file is one task, so no
/// core idles at the end of a file while another still hashes. Each task reads its chunk with a
/// positional read into its thread's buffer, which the hash then reads from the cache; on a
/// 2-core AMD EPYC this is 27 % faster than hashing from a memory map, whose 4 KiB pages each
/// start a segment hash on cold memory (`docs/benchmarks.md`). Each file's result is its own:
/// one that cannot be opened or read does not stop the others. A file that shrinks while it is
/// read fails with the read's error. Setting `stop` abandons the chunks not started yet (their
/// leaves are left zero).
pub fn files_leaves(
	files: &[(&Path, u32)],
	rule: LeafRule,
	stop: &AtomicBool,
	on_bytes: &(dyn Fn(u64) + Sync),
) -> Vec<io::Result<(u64, Vec<Hash32>)>> {
	let opened: Vec<io::Result<(File, u64)>> = files
		.iter()
		.map(|(path, _)| {
			let file = File::open(path)?;
			let size = file.metadata()?.len();
			Ok((file, size))
		})
		.collect();
	// One slot per chunk, filled in place: 32 bytes per chunk, as for one file alone.
	let mut leaves: Vec<Vec<Hash32>> = opened
		.iter()
		.zip(files)
		.map(|(o, (_, chunk_size))| match o {
			Ok((_, size)) => vec![[0u8; 32]; merkle::chunk_count(*size, *chunk_size) as usize],
			Err(_) => Vec::new(),
		})
		.collect();
	// The first read error of each file.
	let failed: Vec<std::sync::OnceLock<io::Error>> =
		files.iter().map(|_| std::sync::OnceLock::new()).collect();
	leaves
		.par_iter_mut()
		.enumerate()
		.flat_map(|(i, slots)| {
			slots
				.par_iter_mut()
				.enumerate()
				.map(move |(c, slot)| (i, c, slot))
		})
		.for_each_init(Vec::new, |buf, (i, index, slot)| {
			// Once stopped, the remaining chunks are left unhashed (the caller drops the result).
			if stop.load(Ordering::Relaxed) || failed[i].get().is_some() {
				return;
			}
			let Ok((file, size)) = &opened[i] else { return };
			let chunk_size = files[i].1 as u64;
			let start = (index as u64 * chunk_size).min(*size);
			let len = ((start + chunk_size).min(*size) - start) as usize;
			buf.resize(len, 0);
			match read_exact_at(file, buf, start) {
				Ok(()) => {
					on_bytes(len as u64);
					*slot = rule.leaf(buf);
				}
				Err(e) => {
					let _ = failed[i].set(e);
				}
			}
		});
	opened
		.into_iter()
		.zip(leaves)
		.zip(failed)
		.map(|((o, leaves), failed)| match failed.into_inner() {
			Some(e) => Err(e),
			None => o.map(|(_, size)| (size, leaves)),
		})
		.collect()
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
	std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
	use std::io::{Seek, SeekFrom};
	let mut f = file.try_clone()?;
	f.seek(SeekFrom::Start(offset))?;
	f.read_exact(buf)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn sample(len: usize) -> Vec<u8> {
		(0..len).map(|i| (i * 31 % 251) as u8).collect()
	}

	#[test]
	fn streaming_digest_matches_the_primitives() {
		let chunk = 4096u32;
		for len in [0usize, 1, 4096, 4097, (8 << 20) + 5000, 3 * (8 << 20)] {
			let data = sample(len);
			let mut copy = Vec::new();
			let digest = digest_stream(&mut &data[..], chunk, Some(&mut copy), &|_| {}).unwrap();
			assert_eq!(digest.size, len as u64);
			assert_eq!(digest.sha256, <[u8; 32]>::from(Sha256::digest(&data)));
			assert_eq!(
				digest.merkle_root(),
				merkle::root_of(&data, chunk),
				"len {len}"
			);
			assert_eq!(copy, data);
		}
	}

	#[test]
	fn one_pool_over_files_matches_each_file_alone() {
		let dir = tempfile::tempdir().unwrap();
		let specs = [
			(0usize, 4096u32),
			(1, 4096),
			(100_000, 4096),
			(70_000, 16384),
		];
		let mut paths = Vec::new();
		for (i, (len, _)) in specs.iter().enumerate() {
			let path = dir.path().join(format!("f{i}"));
			std::fs::write(&path, sample(*len)).unwrap();
			paths.push(path);
		}
		let missing = dir.path().join("missing");
		let mut files: Vec<(&Path, u32)> = paths
			.iter()
			.zip(&specs)
			.map(|(p, (_, c))| (p.as_path(), *c))
			.collect();
		files.insert(2, (missing.as_path(), 4096));
		let total = std::sync::atomic::AtomicU64::new(0);
		let results = files_leaves(&files, LeafRule::CURRENT, &AtomicBool::new(false), &|n| {
			total.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
		});
		assert_eq!(results.len(), 5);
		assert!(results[2].is_err(), "a missing file fails on its own");
		for (result, (path, chunk)) in results.iter().zip(&files) {
			if path == &missing.as_path() {
				continue;
			}
			let alone = file_leaves(path, *chunk, LeafRule::CURRENT, &|_| {}).unwrap();
			assert_eq!(result.as_ref().unwrap(), &alone, "{}", path.display());
		}
		assert_eq!(total.into_inner(), 1 + 100_000 + 70_000);
	}

	#[test]
	fn positional_leaves_match_streaming_leaves() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("f");
		let data = sample(100_000);
		std::fs::write(&path, &data).unwrap();
		let (size, leaves) = file_leaves(&path, 4096, LeafRule::CURRENT, &|_| {}).unwrap();
		assert_eq!(size, 100_000);
		assert_eq!(leaves, merkle::leaves_of(&data, 4096));
		std::fs::write(&path, b"").unwrap();
		assert_eq!(
			file_leaves(&path, 4096, LeafRule::CURRENT, &|_| {})
				.unwrap()
				.1,
			merkle::leaves_of(&[], 4096)
		);
	}
}
