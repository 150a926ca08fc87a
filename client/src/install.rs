//! Installing one artifact: fetch from the first source that works, check every chunk against
//! the on-chain Merkle root while streaming, resume partial downloads, rename atomically.

use crate::{
	hashing::{batch_len, file_leaves, fill, leaves_par},
	source::Source,
	store::LocalStore,
};
use anyhow::{anyhow, bail, Context, Result};
use owh_primitives::{
	merkle::{self, Hash32},
	validate, Artifact,
};
use sha2::{Digest, Sha256};
use std::{
	fs::{self, File, OpenOptions},
	io::{Read, Seek, SeekFrom, Write},
	path::{Path, PathBuf},
};

/// What happened to one artifact.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
	/// The file was already present and correct.
	AlreadyPresent,
	/// The file was written from `source`, resuming after `resumed_bytes` verified bytes.
	Installed { source: String, resumed_bytes: u64 },
}

/// The sources of an artifact, in the order they are tried: the local store, then its URIs.
pub fn sources(artifact: &Artifact, store: Option<&LocalStore>) -> Vec<Source> {
	let mut list = Vec::new();
	if let Some(store) = store.filter(|s| s.has(&artifact.sha256, artifact.size)) {
		list.push(Source::File(store.object_path(&artifact.sha256)));
	}
	for uri in artifact.uris.iter() {
		if let Some(source) = std::str::from_utf8(uri).ok().and_then(Source::from_uri) {
			if !list.contains(&source) {
				list.push(source);
			}
		}
	}
	list
}

/// The expected chunk leaves, from the first source whose list matches the on-chain root.
pub fn expected_leaves(artifact: &Artifact, sources: &[Source]) -> Option<Vec<Hash32>> {
	let count = merkle::chunk_count(artifact.size, artifact.chunk_size) as usize;
	sources.iter().find_map(|source| {
		let bytes = source.leaves()?;
		if bytes.len() != count * 32 {
			return None;
		}
		let leaves: Vec<Hash32> = bytes
			.chunks_exact(32)
			.map(|c| <Hash32>::try_from(c).expect("chunks of 32"))
			.collect();
		(merkle::root_from_leaves(&leaves) == artifact.merkle_root).then_some(leaves)
	})
}

/// The byte range of chunk `index`.
pub fn chunk_range(artifact_size: u64, chunk_size: u32, index: u64) -> (u64, u64) {
	let start = index * chunk_size as u64;
	(start, (start + chunk_size as u64).min(artifact_size))
}

/// The path an artifact is installed at, refusing anything that could escape `root`.
pub fn target_path(root: &Path, artifact: &Artifact) -> Result<PathBuf> {
	let rel = std::str::from_utf8(&artifact.path)
		.ok()
		.filter(|p| validate::path(p.as_bytes()));
	match rel {
		Some(rel) => Ok(root.join(rel)),
		None => bail!(
			"the manifest holds an unsafe path {:?}; refusing to write it",
			String::from_utf8_lossy(&artifact.path)
		),
	}
}

fn partial_path(target: &Path) -> PathBuf {
	let name = target
		.file_name()
		.map(|n| n.to_string_lossy().into_owned())
		.unwrap_or_default();
	target.with_file_name(format!(".{name}.owh-partial"))
}

/// Whether the file at `path` already matches the artifact.
pub fn matches(path: &Path, artifact: &Artifact) -> bool {
	fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == artifact.size)
		&& file_leaves(path, artifact.chunk_size, &|_| {})
			.is_ok_and(|(_, leaves)| merkle::root_from_leaves(&leaves) == artifact.merkle_root)
}

/// Installs `artifact` under `root`.
pub fn install_artifact(
	artifact: &Artifact,
	root: &Path,
	store: Option<&LocalStore>,
	on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<Outcome> {
	let target = target_path(root, artifact)?;
	let name = String::from_utf8_lossy(&artifact.path).into_owned();
	if matches(&target, artifact) {
		on_bytes(artifact.size);
		return Ok(Outcome::AlreadyPresent);
	}
	let sources = sources(artifact, store);
	if sources.is_empty() {
		bail!("{name}: no readable source (the local store does not hold it and no URI is file:// or http(s)://)");
	}
	let expected = expected_leaves(artifact, &sources);
	if let Some(dir) = target.parent() {
		fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
	}
	let partial = partial_path(&target);
	let mut file = OpenOptions::new()
		.read(true)
		.write(true)
		.create(true)
		.truncate(false)
		.open(&partial)
		.with_context(|| format!("cannot write {}", partial.display()))?;
	let mut state = resume(&mut file, &partial, artifact, expected.as_deref())?;
	let resumed_bytes = state.offset;
	on_bytes(resumed_bytes);
	let mut failures = Vec::new();
	for source in &sources {
		if state.offset < artifact.size || artifact.size == 0 {
			match stream(
				source,
				&mut file,
				artifact,
				expected.as_deref(),
				&mut state,
				on_bytes,
			) {
				Ok(()) => {}
				Err(e) => {
					failures.push(format!("{}: {e:#}", source.describe()));
					continue;
				}
			}
		}
		let leaves = if state.leaves.is_empty() {
			vec![merkle::leaf_hash(&[])]
		} else {
			state.leaves.clone()
		};
		let sha: Hash32 = state.sha.clone().finalize().into();
		if merkle::root_from_leaves(&leaves) != artifact.merkle_root || sha != artifact.sha256 {
			// Only possible without a chunk list: start over from the next source.
			failures.push(format!(
				"{}: content does not match the on-chain hashes",
				source.describe()
			));
			file.set_len(0)?;
			state = StreamState::default();
			continue;
		}
		file.sync_all()?;
		drop(file);
		fs::rename(&partial, &target)
			.with_context(|| format!("cannot move {} into place", target.display()))?;
		return Ok(Outcome::Installed {
			source: source.describe(),
			resumed_bytes,
		});
	}
	Err(anyhow!(
		"{name}: every source failed: {}",
		failures.join("; ")
	))
}

#[derive(Default)]
struct StreamState {
	offset: u64,
	sha: Sha256,
	leaves: Vec<Hash32>,
}

/// Keeps the verified whole chunks of a partial download and drops the rest.
fn resume(
	file: &mut File,
	partial: &Path,
	artifact: &Artifact,
	expected: Option<&[Hash32]>,
) -> Result<StreamState> {
	let len = file.metadata()?.len();
	let Some(expected) = expected.filter(|_| len > 0) else {
		file.set_len(0)?;
		return Ok(StreamState::default());
	};
	let chunk = artifact.chunk_size as u64;
	let whole = if len >= artifact.size {
		artifact.size
	} else {
		len / chunk * chunk
	};
	file.set_len(whole)?;
	let (_, have) = file_leaves(partial, artifact.chunk_size, &|_| {})?;
	let good = have
		.iter()
		.zip(expected)
		.take_while(|(a, b)| a == b)
		.count() as u64;
	let keep = if whole == 0 {
		0
	} else {
		(good * chunk).min(whole)
	};
	file.set_len(keep)?;
	let mut state = StreamState {
		offset: keep,
		leaves: expected[..good as usize].to_vec(),
		..Default::default()
	};
	if keep == 0 {
		state.leaves.clear();
	}
	file.seek(SeekFrom::Start(0))?;
	let mut reader = (&mut *file).take(keep);
	let mut buf = vec![0u8; 1 << 20];
	loop {
		let n = fill(&mut reader, &mut buf)?;
		if n == 0 {
			break;
		}
		state.sha.update(&buf[..n]);
	}
	Ok(state)
}

/// Streams from `source` at `state.offset`, checking chunks before they are written.
fn stream(
	source: &Source,
	file: &mut File,
	artifact: &Artifact,
	expected: Option<&[Hash32]>,
	state: &mut StreamState,
	on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<()> {
	let chunk = artifact.chunk_size as u64;
	let mut reader = source.open(state.offset)?;
	file.seek(SeekFrom::Start(state.offset))?;
	let mut buf = vec![0u8; batch_len(artifact.chunk_size)];
	while state.offset < artifact.size {
		let want = (artifact.size - state.offset).min(buf.len() as u64) as usize;
		let n = fill(&mut reader, &mut buf[..want])?;
		let complete = n == want;
		let usable = if complete {
			n
		} else {
			n / chunk as usize * chunk as usize
		};
		let data = &buf[..usable];
		// Hash the whole batch into a copy of the running SHA-256 while the leaves hash; keep
		// the copy only if every chunk turns out to be good.
		let mut sha = state.sha.clone();
		let (_, leaves) = rayon::join(
			|| sha.update(data),
			|| leaves_par(data, artifact.chunk_size),
		);
		let first_index = state.offset / chunk;
		let mut good = leaves.len();
		if let Some(expected) = expected {
			if let Some(bad) = (0..leaves.len())
				.find(|i| expected.get(first_index as usize + i) != Some(&leaves[*i]))
			{
				good = bad;
			}
		}
		let good_bytes = (good as u64 * chunk).min(usable as u64) as usize;
		file.write_all(&data[..good_bytes])?;
		if good == leaves.len() {
			state.sha = sha;
		} else {
			state.sha.update(&data[..good_bytes]);
		}
		state.leaves.extend_from_slice(&leaves[..good]);
		state.offset += good_bytes as u64;
		on_bytes(good_bytes as u64);
		if good < leaves.len() {
			let index = first_index + good as u64;
			let (start, end) = chunk_range(artifact.size, artifact.chunk_size, index);
			bail!("chunk {index} (bytes {start}..{end}) does not match the on-chain Merkle root");
		}
		if !complete {
			bail!(
				"the source ended at byte {} of {}",
				state.offset + (n - usable) as u64,
				artifact.size
			);
		}
	}
	Ok(())
}
