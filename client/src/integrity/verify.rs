//! Checking a directory against a version's manifest.

use crate::{integrity::hashing::files_leaves, transfer::chunk_range};
use anyhow::{bail, Result};
use owh_primitives::{merkle, merkle::Hash32, Artifact, Manifest};
use serde::Serialize;
use std::{
	collections::BTreeSet,
	path::Path,
	sync::atomic::{AtomicBool, Ordering},
};

/// A chunk that differs, with its byte range in the published file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BadChunk {
	pub index: u64,
	pub start: u64,
	pub end: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FileStatus {
	Ok,
	Missing,
	Mismatch {
		size: u64,
		expected_size: u64,
		/// Differing chunks, when the chunk list was available to compare against.
		bad_chunks: Vec<BadChunk>,
		/// Whether `bad_chunks` is exact (a chunk list matching the on-chain root was found).
		chunks_known: bool,
	},
}

#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
	pub path: String,
	#[serde(flatten)]
	pub status: FileStatus,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
	pub ok: bool,
	pub files: Vec<FileReport>,
	pub extra: Vec<String>,
}

impl Report {
	/// Whether every differing file has its differing chunks named (a chunk list was found).
	pub fn chunks_named(&self) -> bool {
		self.files.iter().all(|f| {
			!matches!(
				f.status,
				FileStatus::Mismatch {
					chunks_known: false,
					..
				}
			)
		})
	}
}

/// Compares actual and expected leaves; every differing or missing chunk is listed.
pub fn bad_chunks(artifact: &Artifact, actual: &[Hash32], expected: &[Hash32]) -> Vec<BadChunk> {
	(0..expected.len())
		.filter(|&i| actual.get(i) != expected.get(i))
		.map(|i| {
			let (start, end) = chunk_range(artifact.size, artifact.chunk_size, i as u64);
			BadChunk {
				index: i as u64,
				start,
				end,
			}
		})
		.collect()
}

/// Verifies every artifact of `manifest` under `dir`, and lists files the manifest lacks.
/// `leaves_for` provides the published chunk list of an artifact, when one can be found.
/// Symbolic links are refused unless `follow_links`; partial downloads are not extra files.
/// Setting `stop` while it runs ends it early with an error.
pub fn verify_dir(
	dir: &Path,
	manifest: &Manifest,
	follow_links: bool,
	leaves_for: &dyn Fn(&Artifact) -> Option<Vec<Hash32>>,
	stop: &AtomicBool,
	on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<Report> {
	let rule = crate::model::leaf_rule(manifest)?;
	let entries: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(dir)
		.follow_links(follow_links)
		.into_iter()
		.filter_map(|e| e.ok())
		.collect();
	for entry in entries
		.iter()
		.filter(|e| e.path_is_symlink() && e.depth() > 0)
	{
		crate::model::check_link(dir, entry.path(), follow_links)?;
	}
	// Every chunk of every present file is hashed from one pool.
	let mut targets = Vec::with_capacity(manifest.artifacts.len());
	for artifact in manifest.artifacts.iter() {
		let target = crate::transfer::target_path(dir, artifact)?;
		targets.push(target.is_file().then_some(target));
	}
	let present: Vec<(&Path, u32)> = targets
		.iter()
		.zip(manifest.artifacts.iter())
		.filter_map(|(t, a)| t.as_deref().map(|t| (t, a.chunk_size)))
		.collect();
	let hashed = files_leaves(&present, rule, stop, on_bytes);
	if stop.load(Ordering::Relaxed) {
		bail!("verification stopped");
	}
	let mut hashed = hashed.into_iter();
	let mut files = Vec::new();
	for (artifact, target) in manifest.artifacts.iter().zip(&targets) {
		let path = String::from_utf8_lossy(&artifact.path).into_owned();
		if target.is_none() {
			files.push(FileReport {
				path,
				status: FileStatus::Missing,
			});
			continue;
		}
		let (size, leaves) = hashed
			.next()
			.ok_or_else(|| anyhow::anyhow!("a file was not hashed"))?
			.map_err(|e| match e.kind() {
				std::io::ErrorKind::UnexpectedEof => anyhow::anyhow!(
					"{path} shrank while it was being verified (something else writes to it); run owh verify again once nothing does"
				),
				_ => anyhow::anyhow!("cannot read {path}: {e}"),
			})?;
		if size == artifact.size && merkle::root_from_leaves(&leaves) == artifact.merkle_root {
			files.push(FileReport {
				path,
				status: FileStatus::Ok,
			});
			continue;
		}
		let status = match leaves_for(artifact) {
			Some(expected) => FileStatus::Mismatch {
				size,
				expected_size: artifact.size,
				bad_chunks: bad_chunks(artifact, &leaves, &expected),
				chunks_known: true,
			},
			None => {
				// Without the chunk list, a size change still pins down the first bad chunk.
				let first = (size.min(artifact.size) / artifact.chunk_size as u64)
					.min(merkle::chunk_count(artifact.size, artifact.chunk_size) - 1);
				let (start, end) = chunk_range(artifact.size, artifact.chunk_size, first);
				FileStatus::Mismatch {
					size,
					expected_size: artifact.size,
					bad_chunks: if size != artifact.size {
						vec![BadChunk {
							index: first,
							start,
							end,
						}]
					} else {
						vec![]
					},
					chunks_known: false,
				}
			}
		};
		files.push(FileReport { path, status });
	}
	let known: BTreeSet<String> = manifest
		.artifacts
		.iter()
		.map(|a| String::from_utf8_lossy(&a.path).into_owned())
		.collect();
	let mut extra = Vec::new();
	for entry in entries {
		if entry.file_type().is_file() && !crate::model::is_partial(entry.file_name()) {
			if let Ok(rel) = entry.path().strip_prefix(dir) {
				let rel = rel.to_string_lossy().replace('\\', "/");
				if !known.contains(&rel) {
					extra.push(rel);
				}
			}
		}
	}
	extra.sort();
	let ok = extra.is_empty() && files.iter().all(|f| f.status == FileStatus::Ok);
	Ok(Report { ok, files, extra })
}

/// One line per problem, naming the file, the chunk and its byte range.
pub fn describe(report: &Report) -> Vec<String> {
	let mut lines = Vec::new();
	for f in &report.files {
		match &f.status {
			FileStatus::Ok => lines.push(format!("ok        {}", f.path)),
			FileStatus::Missing => lines.push(format!("MISSING   {}", f.path)),
			FileStatus::Mismatch {
				size,
				expected_size,
				bad_chunks,
				chunks_known,
			} => {
				let mut line = format!("MISMATCH  {}:", f.path);
				if size != expected_size {
					line += &format!(" size {size} bytes, expected {expected_size};");
				}
				match bad_chunks.split_first() {
					Some((first, rest)) => {
						line += &format!(
							" chunk {} (bytes {}..{}) differs",
							first.index, first.start, first.end
						);
						if !rest.is_empty() {
							line += &format!(
								", and {} more chunk(s) up to chunk {}",
								rest.len(),
								rest.last().map_or(0, |c| c.index)
							);
						}
					}
					None => line += " content differs from the on-chain Merkle root",
				}
				if !chunks_known {
					line += " (no chunk list found in the store or at the artifact's URIs, so later chunks are not named)";
				}
				lines.push(line);
			}
		}
	}
	for e in &report.extra {
		lines.push(format!("EXTRA     {e}"));
	}
	lines
}
