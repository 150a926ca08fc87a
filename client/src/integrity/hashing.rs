//! Streaming, parallel hashing of artifacts.
//!
//! Publishing needs the whole-file SHA-256 (sequential by nature) and the chunk Merkle leaves
//! (independent). Each batch of whole chunks is read once; the SHA-256 runs on one thread while
//! the leaves hash on the others. Verification needs only the leaves, so every core hashes its
//! own chunks of every file from one pool, reading memory-mapped files (other checks of one file
//! use positional reads).

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
/// core idles at the end of a file while another still hashes. Files are memory-mapped, which
/// spares the copy a read makes (about 4 % faster over 2 GiB, `docs/benchmarks.md`). Each
/// file's result is its own: one that cannot be opened or mapped does not stop the others.
/// Setting `stop` abandons the chunks not started yet (their leaves are left zero).
///
/// A mapped file that another process truncates while it is hashed raises SIGBUS; the handler
/// [`exit_on_bus_error`] installs turns that into a clear message and exit code 1.
pub fn files_leaves(
	files: &[(&Path, u32)],
	rule: LeafRule,
	stop: &AtomicBool,
	on_bytes: &(dyn Fn(u64) + Sync),
) -> Vec<io::Result<(u64, Vec<Hash32>)>> {
	exit_on_bus_error();
	let mapped: Vec<io::Result<Mapped>> =
		files.iter().map(|(path, _)| Mapped::open(path)).collect();
	// One slot per chunk, filled in place: 32 bytes per chunk, as for one file alone.
	let mut leaves: Vec<Vec<Hash32>> = mapped
		.iter()
		.zip(files)
		.map(|(m, (_, chunk_size))| match m {
			Ok(m) => {
				vec![[0u8; 32]; merkle::chunk_count(m.bytes().len() as u64, *chunk_size) as usize]
			}
			Err(_) => Vec::new(),
		})
		.collect();
	leaves
		.par_iter_mut()
		.enumerate()
		.flat_map(|(i, slots)| {
			slots
				.par_iter_mut()
				.enumerate()
				.map(move |(c, slot)| (i, c, slot))
		})
		.for_each(|(i, index, slot)| {
			// Once stopped, the remaining chunks are left unhashed (the caller drops the result).
			if stop.load(Ordering::Relaxed) {
				return;
			}
			let data = mapped[i].as_ref().map(Mapped::bytes).unwrap_or(&[]);
			let chunk_size = files[i].1 as usize;
			let start = (index * chunk_size).min(data.len());
			let end = (start + chunk_size).min(data.len());
			on_bytes((end - start) as u64);
			*slot = rule.leaf(&data[start..end]);
		});
	mapped
		.into_iter()
		.zip(leaves)
		.map(|(m, leaves)| m.map(|m| (m.bytes().len() as u64, leaves)))
		.collect()
}

/// A file's bytes, memory-mapped (an empty file maps nothing).
struct Mapped(Option<memmap2::Mmap>);

impl Mapped {
	fn open(path: &Path) -> io::Result<Self> {
		let file = File::open(path)?;
		if file.metadata()?.len() == 0 {
			return Ok(Self(None));
		}
		// SAFETY: the map is only read, as bytes. Another process may still change the file
		// underneath: changed bytes make a leaf differ, which verification reports (the same
		// race a read would have); a truncation faults with SIGBUS, which
		// `exit_on_bus_error` handles.
		let map = unsafe { memmap2::Mmap::map(&file)? };
		Ok(Self(Some(map)))
	}

	fn bytes(&self) -> &[u8] {
		self.0.as_deref().unwrap_or(&[])
	}
}

/// Installs (once, for the process) a SIGBUS handler: reading a memory-mapped file faults with
/// SIGBUS when the file was truncated meanwhile (or its storage failed), and the default action
/// would end the process with a bare "Bus error". This one names the likely cause and exits 1.
pub fn exit_on_bus_error() {
	#[cfg(unix)]
	{
		static INSTALL: std::sync::Once = std::sync::Once::new();
		static REPORTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
		extern "C" fn on_bus_error(_: libc::c_int) {
			const TEXT: &[u8] = b"error: reading a file failed while it was being verified: it shrank (something else writes to it) or its storage failed; run owh verify again once nothing writes to it\n";
			// SAFETY: an atomic swap, write(2) and _exit(2) are async-signal-safe. Only the
			// first faulting thread reports.
			unsafe {
				if !REPORTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
					libc::write(2, TEXT.as_ptr().cast(), TEXT.len());
					libc::_exit(1);
				}
				libc::pause();
			}
		}
		INSTALL.call_once(|| {
			// SAFETY: the handler only calls async-signal-safe functions; it runs on the
			// alternate signal stack where one is set (as Rust's runtime sets for its own).
			unsafe {
				let mut action: libc::sigaction = std::mem::zeroed();
				action.sa_sigaction =
					on_bus_error as extern "C" fn(libc::c_int) as libc::sighandler_t;
				action.sa_flags = libc::SA_ONSTACK;
				libc::sigemptyset(&mut action.sa_mask);
				libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
			}
		});
	}
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
