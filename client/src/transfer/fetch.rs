//! Installing one artifact from any of its locations, checking every chunk against the on-chain
//! Merkle root before it is written.
//!
//! With a chunk list (the `.leaves` beside a blob, accepted only if its root is the on-chain
//! root) every chunk is checked on its own:
//! 1. chunks already in a partial download (`.<name>.owh-partial`) are kept when they match;
//! 2. chunks found in local files (older installs, parent versions, the store) are copied;
//! 3. the rest stream from the locations in order. A chunk that differs is skipped and fetched
//!    again from the next location; a location that fails (404, error, timeout, short read)
//!    hands its remaining chunks to the next one.
//!
//! The file is renamed into place only when every chunk and the size match. The Merkle root
//! authenticates every chunk, so the whole-file SHA-256 (one more sequential pass) is computed
//! and compared only where asked: `owh install --sha256`, and `owh mirror add`, whose blobs are
//! named by it. Without a chunk list the whole file streams from one location and is checked at
//! the end.

use super::{
	is_not_found,
	locate::expected_leaves,
	partial::{
		aligned, open_partial, partial_path, preallocate, start_writeback, target_path,
		write_error, DirectWriter,
	},
	reuse::{matches, ChunkIndex},
	Location,
};
use crate::{
	exit::{failed, Kind},
	integrity::hashing::{batch_len, fill, leaves_par},
};
use anyhow::{bail, Context, Result};
use owh_primitives::{
	merkle::{self, Hash32, LeafRule},
	Artifact,
};
use sha2::{Digest, Sha256};
use std::{
	fs::{self, File},
	io::{self, Seek, SeekFrom, Write},
	os::unix::fs::FileExt,
	path::Path,
};

/// What happened to one artifact.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
	/// The file was already present and correct; nothing was written.
	pub already_present: bool,
	/// Locations that supplied bytes, with how many each supplied.
	pub sources: Vec<Supplied>,
	/// Bytes fetched from locations and accepted.
	pub downloaded: u64,
	/// Bytes copied from local files holding the same chunks.
	pub reused: u64,
	/// Bytes kept from an earlier, interrupted install.
	pub resumed: u64,
	/// Chunks that a location served wrong and another location supplied.
	pub refetched_chunks: u64,
	/// What went wrong on the way (bad chunks, failed locations), in order.
	pub problems: Vec<String>,
}

/// Bytes one location supplied.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Supplied {
	pub uri: String,
	pub bytes: u64,
}

/// How an install writes and checks each file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileOptions {
	/// Also compute the whole-file SHA-256 and require the manifest's.
	pub check_sha256: bool,
	/// Write whole downloaded chunks straight to disk, past the page cache, where the
	/// filesystem allows it.
	pub direct_io: bool,
}

/// The byte range of chunk `index`.
pub fn chunk_range(artifact_size: u64, chunk_size: u32, index: u64) -> (u64, u64) {
	let start = index * chunk_size as u64;
	(start, (start + chunk_size as u64).min(artifact_size))
}

/// Installs `artifact` (of a manifest whose format has this leaf `rule`) under `root` from
/// `locations` (tried in order), reusing chunks from `local`, as `options` say. `on_bytes`
/// counts verified bytes; `on_problem` hears of every bad chunk or failed location as it
/// happens.
#[allow(clippy::too_many_arguments)]
pub fn install_artifact(
	artifact: &Artifact,
	rule: LeafRule,
	options: FileOptions,
	root: &Path,
	locations: &[Location],
	local: &ChunkIndex,
	on_bytes: &(dyn Fn(u64) + Sync),
	on_problem: &(dyn Fn(&str) + Sync),
) -> Result<Outcome> {
	let target = target_path(root, artifact)?;
	let name = String::from_utf8_lossy(&artifact.path).into_owned();
	if local.holds(&target, artifact, rule)
		|| (!local.files.contains_key(&target) && matches(&target, artifact, rule))
	{
		on_bytes(artifact.size);
		return Ok(Outcome {
			already_present: true,
			..Default::default()
		});
	}
	if locations.is_empty() {
		return Err(failed(
			Kind::Unreachable,
			format!("{name}: no readable location (the local store lacks it, and no URI or mirror that may be read here is file://, http(s):// or s3://)"),
		));
	}
	if let Some(dir) = target.parent() {
		fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
		let (dir, root) = (fs::canonicalize(dir)?, fs::canonicalize(root)?);
		if !dir.starts_with(&root) {
			bail!(
				"{name}: its directory leads out of {} through a symbolic link ({}); remove the link",
				root.display(),
				dir.display()
			);
		}
	}
	let partial = partial_path(&target);
	let mut file = open_partial(&partial)?;
	preallocate(&file, artifact.size, &partial)?;
	let mut direct = DirectWriter::open(&partial, options.direct_io);
	let mut outcome = Outcome::default();
	let problem = |outcome: &mut Outcome, text: String| {
		on_problem(&format!("{name}: {text}"));
		outcome.problems.push(text);
	};
	let sha = match expected_leaves(artifact, locations) {
		Some(expected) => fetch_chunks(
			artifact,
			rule,
			options.check_sha256,
			&name,
			&mut file,
			&mut direct,
			&partial,
			&expected,
			locations,
			local,
			&mut outcome,
			on_bytes,
			&problem,
		)?,
		None => fetch_whole(
			artifact,
			rule,
			options.check_sha256,
			&name,
			&mut file,
			locations,
			&mut outcome,
			on_bytes,
			&problem,
		)
		.inspect_err(|_| {
			// Bytes no chunk list vouches for never stay in the target directory.
			let _ = fs::remove_file(&partial);
		})?,
	};
	if sha.is_some_and(|sha| sha != artifact.sha256) {
		let _ = fs::remove_file(&partial);
		return Err(failed(Kind::Differ, format!("{name}: every chunk matches but the SHA-256 does not; the manifest is inconsistent, so nothing was installed")));
	}
	file.sync_all().map_err(|e| write_error(e, &partial))?;
	drop(file);
	fs::rename(&partial, &target)
		.with_context(|| format!("cannot move {} into place", target.display()))?;
	Ok(outcome)
}

/// Fills every chunk of `file` (partial, local copies, then locations); returns the SHA-256
/// when `check_sha256` asks for it.
#[allow(clippy::too_many_arguments)]
fn fetch_chunks(
	artifact: &Artifact,
	rule: LeafRule,
	check_sha256: bool,
	name: &str,
	file: &mut File,
	direct: &mut DirectWriter,
	partial: &Path,
	expected: &[Hash32],
	locations: &[Location],
	local: &ChunkIndex,
	outcome: &mut Outcome,
	on_bytes: &(dyn Fn(u64) + Sync),
	problem: &(dyn Fn(&mut Outcome, String) + Sync),
) -> Result<Option<Hash32>> {
	let count = expected.len();
	let chunk = artifact.chunk_size as u64;
	let mut done = vec![false; count];
	let mut sha = check_sha256.then(ShaCursor::default);

	// 1. What an interrupted install left behind.
	let len = file.metadata()?.len();
	if len > artifact.size {
		file.set_len(artifact.size)
			.map_err(|e| write_error(e, partial))?;
	}
	if len > 0 {
		let (have_len, have) =
			crate::integrity::hashing::file_leaves(partial, artifact.chunk_size, rule, &|_| {})?;
		for (i, leaf) in have.iter().enumerate() {
			let (start, end) = chunk_range(artifact.size, artifact.chunk_size, i as u64);
			if end <= have_len.min(artifact.size) && expected.get(i) == Some(leaf) && end > start {
				done[i] = true;
				outcome.resumed += end - start;
			}
		}
		on_bytes(outcome.resumed);
	}
	// 2. Chunks held by local files.
	if !local.is_empty() && local.rule == rule {
		for i in 0..count {
			if done[i] {
				continue;
			}
			let (start, end) = chunk_range(artifact.size, artifact.chunk_size, i as u64);
			if let Some(data) = local.read(&expected[i], end - start) {
				file.write_all_at(&data, start)
					.map_err(|e| write_error(e, partial))?;
				done[i] = true;
				outcome.reused += data.len() as u64;
				on_bytes(data.len() as u64);
			}
		}
	}
	if artifact.size == 0 {
		done.iter_mut().for_each(|d| *d = true);
	}
	ShaCursor::advance_opt(&mut sha, file, artifact, &done)?;

	// 3. The rest, location by location.
	let mut bad_elsewhere = vec![false; count];
	for location in locations {
		let missing: Vec<usize> = (0..count).filter(|&i| !done[i]).collect();
		if missing.is_empty() {
			break;
		}
		let mut supplied = 0u64;
		let mut runs = runs_of(&missing).into_iter();
		let result: Result<()> = runs.try_for_each(|(first, last)| {
			let start = first as u64 * chunk;
			let end = ((last as u64 + 1) * chunk).min(artifact.size);
			let mut reader = location.open(start, Some(end))?;
			let mut storage = Vec::new();
			let buf = aligned(
				&mut storage,
				batch_len(artifact.chunk_size).min((end - start) as usize),
			);
			let mut offset = start;
			while offset < end {
				let want = (end - offset).min(buf.len() as u64) as usize;
				let n = fill(&mut reader, &mut buf[..want])?;
				// Only whole chunks (or the artifact's short last chunk) can be checked.
				let usable = if n == want { n } else { n / chunk as usize * chunk as usize };
				let data = &buf[..usable];
				let first_index = (offset / chunk) as usize;
				// The running SHA-256 takes this batch on its own thread when it is next in order.
				let mut speculative = sha.as_ref().filter(|s| s.next == first_index).cloned();
				let (_, leaves) = rayon::join(
					|| {
						if let Some(s) = speculative.as_mut() {
							s.update(data)
						}
					},
					|| leaves_par(data, artifact.chunk_size, rule),
				);
				let mut all_good = true;
				for (k, leaf) in leaves.iter().enumerate() {
					let index = first_index + k;
					let (cs, ce) = chunk_range(artifact.size, artifact.chunk_size, index as u64);
					if *leaf == expected[index] {
						let slice = &data[(cs - offset) as usize..(ce - offset) as usize];
						direct
							.write_at(file, slice, cs)
							.map_err(|e| write_error(e, partial))?;
						done[index] = true;
						outcome.downloaded += ce - cs;
						if bad_elsewhere[index] {
							outcome.refetched_chunks += 1;
						}
						supplied += ce - cs;
						on_bytes(ce - cs);
					} else {
						all_good = false;
						bad_elsewhere[index] = true;
						problem(
							outcome,
							format!(
								"chunk {index} (bytes {cs}..{ce}) from {} does not match the on-chain Merkle root; fetching it from the next location",
								location.uri()
							),
						);
					}
				}
				if let (Some(sha), Some(hashed), true) = (sha.as_mut(), speculative, all_good) {
					sha.adopt(hashed, leaves.len());
				}
				ShaCursor::advance_opt(&mut sha, file, artifact, &done)?;
				if !direct.is_direct() {
					start_writeback(file, offset, usable as u64);
				}
				offset += usable as u64;
				if n != want {
					bail!(
						"the location ended at byte {} of {}",
						offset + (n - usable) as u64,
						artifact.size
					);
				}
			}
			Ok(())
		});
		if let Err(e) = result {
			let text = if is_not_found(&e) {
				format!("{} does not have it", location.uri())
			} else {
				format!("{} failed: {e:#}", location.uri())
			};
			// A full disk is not the location's fault: stop at once.
			if e.to_string().starts_with("no space left") {
				return Err(e);
			}
			problem(outcome, text);
		}
		if supplied > 0 {
			outcome.sources.push(Supplied {
				uri: location.uri(),
				bytes: supplied,
			});
		}
	}
	let missing: Vec<usize> = (0..count).filter(|&i| !done[i]).collect();
	if !missing.is_empty() {
		let listed: Vec<String> = runs_of(&missing)
			.iter()
			.take(5)
			.map(|(a, b)| {
				if a == b {
					format!("{a}")
				} else {
					format!("{a}-{b}")
				}
			})
			.collect();
		let kind = if missing.iter().any(|&i| bad_elsewhere[i]) {
			Kind::Differ
		} else {
			Kind::Unreachable
		};
		return Err(failed(kind, format!(
			"{name}: {} of {count} chunks (chunks {}{}) could not be fetched intact from any location: {}. The verified chunks are kept; run the command again to resume",
			missing.len(),
			listed.join(", "),
			if missing.len() > 5 { ", ..." } else { "" },
			outcome.problems.join("; ")
		)));
	}
	ShaCursor::advance_opt(&mut sha, file, artifact, &done)?;
	Ok(sha.map(ShaCursor::finish))
}

/// Runs of consecutive indexes, as `(first, last)`.
fn runs_of(indexes: &[usize]) -> Vec<(usize, usize)> {
	let mut runs: Vec<(usize, usize)> = Vec::new();
	for &i in indexes {
		match runs.last_mut() {
			Some((_, last)) if *last + 1 == i => *last = i,
			_ => runs.push((i, i)),
		}
	}
	runs
}

/// The running SHA-256 over the chunks written so far, in order. Chunks that arrive out of
/// order are read back from the file when the cursor reaches them.
#[derive(Clone, Default)]
struct ShaCursor {
	sha: Sha256,
	next: usize,
}

impl ShaCursor {
	fn update(&mut self, data: &[u8]) {
		self.sha.update(data);
	}

	fn adopt(&mut self, hashed: ShaCursor, chunks: usize) {
		self.sha = hashed.sha;
		self.next += chunks;
	}

	/// Advances `cursor`, when there is one.
	fn advance_opt(
		cursor: &mut Option<Self>,
		file: &File,
		artifact: &Artifact,
		done: &[bool],
	) -> io::Result<()> {
		match cursor {
			Some(cursor) => cursor.advance(file, artifact, done),
			None => Ok(()),
		}
	}

	fn advance(&mut self, file: &File, artifact: &Artifact, done: &[bool]) -> io::Result<()> {
		let mut buf = Vec::new();
		while self.next < done.len() && done[self.next] {
			let (start, end) = chunk_range(artifact.size, artifact.chunk_size, self.next as u64);
			buf.resize((end - start) as usize, 0);
			file.read_exact_at(&mut buf, start)?;
			self.sha.update(&buf);
			self.next += 1;
		}
		Ok(())
	}

	fn finish(self) -> Hash32 {
		self.sha.finalize().into()
	}
}

/// Without a chunk list: stream the whole file from each location in turn until one matches.
/// Returns the SHA-256 when `check_sha256` asks for it.
#[allow(clippy::too_many_arguments)]
fn fetch_whole(
	artifact: &Artifact,
	rule: LeafRule,
	check_sha256: bool,
	name: &str,
	file: &mut File,
	locations: &[Location],
	outcome: &mut Outcome,
	on_bytes: &(dyn Fn(u64) + Sync),
	problem: &(dyn Fn(&mut Outcome, String) + Sync),
) -> Result<Option<Hash32>> {
	let mut mismatched = false;
	for location in locations {
		file.set_len(0)?;
		file.seek(SeekFrom::Start(0))?;
		let attempt = (|| -> Result<(Option<Hash32>, Vec<Hash32>, u64)> {
			let mut reader = location.open(0, None)?;
			let mut sha = check_sha256.then(Sha256::new);
			let mut leaves = Vec::new();
			let mut buf = vec![0u8; batch_len(artifact.chunk_size)];
			let mut total = 0u64;
			loop {
				let n = fill(&mut reader, &mut buf)?;
				if n == 0 {
					break;
				}
				if total + n as u64 > artifact.size {
					bail!("it is longer than the {} bytes on chain", artifact.size);
				}
				let data = &buf[..n];
				let (_, batch) = rayon::join(
					|| {
						if let Some(sha) = sha.as_mut() {
							sha.update(data)
						}
					},
					|| leaves_par(data, artifact.chunk_size, rule),
				);
				leaves.extend(batch);
				file.write_all(data)
					.map_err(|e| write_error(e, Path::new(name)))?;
				start_writeback(file, total, n as u64);
				total += n as u64;
				on_bytes(n as u64);
			}
			Ok((sha.map(|sha| sha.finalize().into()), leaves, total))
		})();
		match attempt {
			Ok((sha, mut leaves, total)) => {
				if leaves.is_empty() {
					leaves.push(merkle::leaf_hash(&[]));
				}
				if total == artifact.size
					&& merkle::root_from_leaves(&leaves) == artifact.merkle_root
				{
					outcome.downloaded += total;
					outcome.sources.push(Supplied {
						uri: location.uri(),
						bytes: total,
					});
					return Ok(sha);
				}
				mismatched = true;
				problem(
					outcome,
					format!(
						"{} does not match the on-chain hashes (it has no chunk list, so the bad chunk is unknown)",
						location.uri()
					),
				);
			}
			Err(e) if e.to_string().starts_with("no space left") => return Err(e),
			Err(e) => problem(outcome, format!("{} failed: {e:#}", location.uri())),
		}
	}
	let kind = if mismatched {
		Kind::Differ
	} else {
		Kind::Unreachable
	};
	Err(failed(
		kind,
		format!(
			"{name}: no location supplied it intact, and what was fetched is deleted: {}",
			outcome.problems.join("; ")
		),
	))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		store::blob_name,
		transfer::{locations, Backends, FileBackend},
	};
	use std::sync::Arc;

	fn artifact_of(data: &[u8], chunk: u32) -> Artifact {
		Artifact {
			path: b"w.bin".to_vec().try_into().unwrap(),
			size: data.len() as u64,
			sha256: Sha256::digest(data).into(),
			chunk_size: chunk,
			merkle_root: merkle::root_of(data, chunk),
			media_type: Default::default(),
			uris: Default::default(),
		}
	}

	fn mirror(dir: &Path, data: &[u8], chunk: u32) -> Location {
		let hex = hex::encode(<[u8; 32]>::from(Sha256::digest(data)));
		fs::create_dir_all(dir).unwrap();
		fs::write(dir.join(&hex), data).unwrap();
		fs::write(
			dir.join(format!("{hex}.leaves")),
			merkle::leaves_of(data, chunk).concat(),
		)
		.unwrap();
		Location {
			backend: Arc::new(FileBackend::new(dir.to_path_buf())),
			name: hex,
		}
	}

	const CHECKED: FileOptions = FileOptions {
		check_sha256: true,
		direct_io: true,
	};

	/// Installs `artifact` from one location, reusing nothing.
	fn install_fresh(artifact: &Artifact, out: &Path, location: Location) -> Result<Outcome> {
		install_artifact(
			artifact,
			LeafRule::CURRENT,
			CHECKED,
			out,
			&[location],
			&ChunkIndex::default(),
			&|_| {},
			&|_| {},
		)
	}

	fn sample(len: usize) -> Vec<u8> {
		(0..len).map(|i| (i * 7 % 253) as u8).collect()
	}

	#[test]
	fn a_bad_chunk_is_fetched_from_the_next_location_only() {
		let tmp = tempfile::tempdir().unwrap();
		let chunk = 4096;
		let data = sample(10 * 4096 + 123);
		let a = artifact_of(&data, chunk);
		let first = mirror(&tmp.path().join("m1"), &data, chunk);
		let second = mirror(&tmp.path().join("m2"), &data, chunk);
		// Corrupt chunk 3 on the first mirror.
		let path = tmp.path().join("m1").join(&first.name);
		let mut bytes = fs::read(&path).unwrap();
		bytes[3 * 4096 + 10] ^= 1;
		fs::write(&path, bytes).unwrap();
		let out = tmp.path().join("out");
		let outcome = install_artifact(
			&a,
			LeafRule::CURRENT,
			CHECKED,
			&out,
			&[first, second],
			&ChunkIndex::default(),
			&|_| {},
			&|_| {},
		)
		.unwrap();
		assert_eq!(fs::read(out.join("w.bin")).unwrap(), data);
		assert_eq!(outcome.refetched_chunks, 1);
		assert_eq!(outcome.downloaded, data.len() as u64);
		assert_eq!(outcome.sources.len(), 2);
		assert!(outcome.problems[0].starts_with("chunk 3 (bytes 12288..16384)"));
	}

	#[test]
	fn the_whole_file_sha256_is_compared_only_when_asked() {
		let tmp = tempfile::tempdir().unwrap();
		let chunk = 4096;
		let data = sample(3 * 4096 + 7);
		// A manifest whose Merkle root is right but whose SHA-256 is not.
		let mut a = artifact_of(&data, chunk);
		a.sha256 = [9; 32];
		let loc = mirror(&tmp.path().join("m"), &data, chunk);
		let install = |out: &Path, check| {
			install_artifact(
				&a,
				LeafRule::CURRENT,
				FileOptions {
					check_sha256: check,
					direct_io: true,
				},
				out,
				std::slice::from_ref(&loc),
				&ChunkIndex::default(),
				&|_| {},
				&|_| {},
			)
		};
		let checked = tmp.path().join("checked");
		let err = install(&checked, true).unwrap_err().to_string();
		assert!(err.contains("the SHA-256 does not"), "{err}");
		assert!(!checked.join("w.bin").exists());
		let unchecked = tmp.path().join("unchecked");
		install(&unchecked, false).unwrap();
		assert_eq!(fs::read(unchecked.join("w.bin")).unwrap(), data);
	}

	#[test]
	fn local_chunks_are_reused_and_partials_resumed() {
		let tmp = tempfile::tempdir().unwrap();
		let chunk = 4096;
		let old = sample(8 * 4096);
		let mut new = old.clone();
		new[5 * 4096] ^= 0xff;
		let a = artifact_of(&new, chunk);
		let loc = mirror(&tmp.path().join("m"), &new, chunk);
		let old_path = tmp.path().join("old.bin");
		fs::write(&old_path, &old).unwrap();
		let index = ChunkIndex::scan(&[old_path], chunk, LeafRule::CURRENT);
		let out = tmp.path().join("out");
		let outcome = install_artifact(
			&a,
			LeafRule::CURRENT,
			CHECKED,
			&out,
			std::slice::from_ref(&loc),
			&index,
			&|_| {},
			&|_| {},
		)
		.unwrap();
		assert_eq!(fs::read(out.join("w.bin")).unwrap(), new);
		assert_eq!(outcome.reused, 7 * 4096);
		assert_eq!(outcome.downloaded, 4096);

		// A partial with a corrupt chunk keeps only its good chunks.
		let out2 = tmp.path().join("out2");
		fs::create_dir_all(&out2).unwrap();
		let mut part = new[..6 * 4096].to_vec();
		part[4096] ^= 1;
		fs::write(out2.join(".w.bin.owh-partial"), part).unwrap();
		let outcome = install_fresh(&a, &out2, loc).unwrap();
		assert_eq!(fs::read(out2.join("w.bin")).unwrap(), new);
		assert_eq!(outcome.resumed, 5 * 4096);
		assert_eq!(outcome.downloaded, 3 * 4096);
		assert!(!out2.join(".w.bin.owh-partial").exists());
	}

	#[test]
	fn nothing_is_renamed_into_place_when_no_location_is_intact() {
		let tmp = tempfile::tempdir().unwrap();
		let data = sample(3 * 4096);
		let a = artifact_of(&data, 4096);
		let loc = mirror(&tmp.path().join("m"), &data, 4096);
		let path = tmp.path().join("m").join(&loc.name);
		fs::write(&path, &data[..5000]).unwrap();
		let out = tmp.path().join("out");
		let err = install_fresh(&a, &out, loc).unwrap_err();
		assert!(format!("{err:#}").contains("2 of 3 chunks"), "{err:#}");
		assert!(!out.join("w.bin").exists());
		// The one verified chunk is kept for a later resume.
		assert_eq!(
			fs::metadata(out.join(".w.bin.owh-partial")).unwrap().len(),
			4096
		);
	}

	#[test]
	fn a_full_disk_is_reported_as_resumable() {
		let path = Path::new("/models/.w.bin.owh-partial");
		let full = write_error(io::Error::from_raw_os_error(libc::ENOSPC), path);
		assert!(full.to_string().starts_with("no space left"), "{full}");
		assert!(full.to_string().contains("resume"), "{full}");
		let other = write_error(io::Error::from_raw_os_error(libc::EACCES), path);
		assert!(other.to_string().starts_with("cannot write"), "{other}");
	}

	#[test]
	fn a_symlinked_partial_file_is_refused_and_its_target_untouched() {
		let tmp = tempfile::tempdir().unwrap();
		let data = sample(3 * 4096);
		let a = artifact_of(&data, 4096);
		let loc = mirror(&tmp.path().join("m"), &data, 4096);
		let out = tmp.path().join("out");
		fs::create_dir_all(&out).unwrap();
		let victim = tmp.path().join("victim");
		fs::write(&victim, b"keep me").unwrap();
		std::os::unix::fs::symlink(&victim, out.join(".w.bin.owh-partial")).unwrap();
		let err = install_fresh(&a, &out, loc).unwrap_err();
		assert!(format!("{err:#}").contains("symbolic link"), "{err:#}");
		assert_eq!(fs::read(&victim).unwrap(), b"keep me");
		assert!(!out.join("w.bin").exists());
	}

	#[test]
	fn unverified_bytes_are_deleted_when_there_is_no_chunk_list() {
		let tmp = tempfile::tempdir().unwrap();
		let data = sample(3 * 4096);
		let a = artifact_of(&data, 4096);
		let loc = mirror(&tmp.path().join("m"), &data, 4096);
		let blob = tmp.path().join("m").join(&loc.name);
		let mut wrong = data.clone();
		wrong[5000] ^= 1;
		fs::write(&blob, &wrong).unwrap();
		fs::remove_file(tmp.path().join("m").join(format!("{}.leaves", loc.name))).unwrap();
		let out = tmp.path().join("out");
		let err = install_fresh(&a, &out, loc).unwrap_err();
		assert_eq!(crate::exit::kind_of(&err), Some(Kind::Differ), "{err:#}");
		assert_eq!(
			fs::read_dir(&out).unwrap().count(),
			0,
			"nothing left in {out:?}"
		);
	}

	#[test]
	fn a_directory_linked_out_of_the_target_is_refused() {
		let tmp = tempfile::tempdir().unwrap();
		let data = sample(4096);
		let mut a = artifact_of(&data, 4096);
		a.path = b"sub/w.bin".to_vec().try_into().unwrap();
		let loc = mirror(&tmp.path().join("m"), &data, 4096);
		let out = tmp.path().join("out");
		let elsewhere = tmp.path().join("elsewhere");
		fs::create_dir_all(&out).unwrap();
		fs::create_dir_all(&elsewhere).unwrap();
		std::os::unix::fs::symlink(&elsewhere, out.join("sub")).unwrap();
		let err = install_fresh(&a, &out, loc).unwrap_err();
		assert!(format!("{err:#}").contains("leads out of"), "{err:#}");
		assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
	}

	#[test]
	fn chain_uris_into_this_machine_are_left_out_and_given_mirrors_kept() {
		let tmp = tempfile::tempdir().unwrap();
		let rt = tokio::runtime::Runtime::new().unwrap();
		let _guard = rt.enter();
		let backends = Backends::new(crate::transfer::NetOptions {
			timeout: std::time::Duration::from_secs(5),
			allow_private: false,
			upload_token: None,
			arweave_gateway: crate::transfer::arweave::DEFAULT_GATEWAY.into(),
		})
		.unwrap();
		let mut a = artifact_of(b"x", 4096);
		a.uris = [
			"file:///home/u/.ssh/id_ed25519",
			"http://127.0.0.1:8080/v1/blobs/ab",
			"https://mirror.example.org/ab",
		]
		.iter()
		.map(|u| u.as_bytes().to_vec().try_into().unwrap())
		.collect::<Vec<_>>()
		.try_into()
		.unwrap();
		let given = format!("file://{}", tmp.path().display());
		let private = "http://10.0.0.9/blobs".to_string();
		let located = locations(
			&a,
			None,
			&backends,
			std::slice::from_ref(&private),
			std::slice::from_ref(&given),
			&[],
		);
		let uris: Vec<String> = located.locations.iter().map(|l| l.uri()).collect();
		let name = blob_name(&a.sha256);
		assert_eq!(
			uris,
			vec![
				"https://mirror.example.org/ab".to_string(),
				format!("{given}/{name}")
			]
		);
		assert_eq!(located.refused.len(), 3, "{:?}", located.refused);
		// The same private mirror named by the user is read, and not reported as refused.
		let located = locations(
			&a,
			None,
			&backends,
			std::slice::from_ref(&private),
			std::slice::from_ref(&private),
			&[],
		);
		let uris: Vec<String> = located.locations.iter().map(|l| l.uri()).collect();
		assert_eq!(uris[1], format!("{private}/{name}"));
		assert_eq!(located.refused.len(), 2, "{:?}", located.refused);
	}

	#[test]
	fn runs_group_consecutive_chunks() {
		assert_eq!(runs_of(&[0, 1, 2, 5, 7, 8]), vec![(0, 2), (5, 5), (7, 8)]);
		assert!(runs_of(&[]).is_empty());
	}
}
