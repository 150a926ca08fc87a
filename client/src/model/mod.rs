//! A model directory on disk, and the manifest built from it.
//!
//! [`signing`] holds model-signing bundles, [`refs`] the version references users type,
//! [`resolve`] turns them into on-chain records, and [`license`] buys access where a version
//! needs it.

pub mod license;
pub mod refs;
pub mod resolve;
pub mod signing;

use anyhow::{bail, Context, Result};
use owh_primitives::{
	manifest::*,
	merkle::{Hash32, LeafRule},
	validate,
};
use std::path::{Path, PathBuf};

/// A regular file of a model directory.
#[derive(Clone, Debug)]
pub struct LocalFile {
	/// `/`-separated path relative to the model directory.
	pub rel: String,
	pub abs: PathBuf,
	pub size: u64,
}

/// How chunks of this manifest's artifacts become Merkle leaves, or an error naming the
/// format when it is newer than this client.
pub fn leaf_rule(manifest: &Manifest) -> Result<LeafRule> {
	LeafRule::for_format(manifest.format_version).with_context(|| {
		format!(
			"manifest format {} is newer than this owh understands (it knows 1 and 2); install the current owh",
			manifest.format_version
		)
	})
}

/// Whether `name` is an interrupted install's partial file (`.<name>.owh-partial`), which
/// holds no finished file and is never published or counted as extra.
pub fn is_partial(name: &std::ffi::OsStr) -> bool {
	name.to_str()
		.is_some_and(|n| n.starts_with('.') && n.ends_with(".owh-partial"))
}

/// Refuses a symbolic link under `dir` unless `follow_links`, saying where it leads.
pub fn check_link(dir: &Path, link: &Path, follow_links: bool) -> Result<()> {
	if follow_links {
		return Ok(());
	}
	let inside = match (std::fs::canonicalize(link), std::fs::canonicalize(dir)) {
		(Ok(target), Ok(root)) => target.starts_with(root),
		_ => false,
	};
	bail!(
		"{} is a symbolic link {}; owh reads regular files only, so that a model directory cannot pull in files from elsewhere. Replace it with the file, or pass --follow-symlinks to read what the links point to",
		link.display(),
		if inside {
			"to another file of the directory"
		} else {
			"that leads out of the directory (or nowhere)"
		}
	)
}

/// Lists the regular files of `dir`, sorted as the manifest requires. Symbolic links are
/// refused unless `follow_links`; partial downloads are skipped.
pub fn walk(dir: &Path, follow_links: bool) -> Result<Vec<LocalFile>> {
	if !dir.is_dir() {
		bail!(
			"{} is not a directory; pass the directory that holds the model files",
			dir.display()
		);
	}
	let mut files = Vec::new();
	for entry in walkdir::WalkDir::new(dir).follow_links(follow_links) {
		let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
		if entry.path_is_symlink() && entry.depth() > 0 {
			check_link(dir, entry.path(), follow_links)?;
		}
		if !entry.file_type().is_file() || is_partial(entry.file_name()) {
			continue;
		}
		let rel_path = entry
			.path()
			.strip_prefix(dir)
			.expect("walkdir yields paths under its root");
		let rel = rel_path
			.components()
			.map(|c| c.as_os_str().to_str())
			.collect::<Option<Vec<_>>>()
			.map(|parts| parts.join("/"));
		let Some(rel) = rel else {
			bail!("{} is not valid UTF-8; rename it", entry.path().display());
		};
		if !validate::path(rel.as_bytes()) || rel.len() > MAX_PATH_LEN as usize {
			bail!(
				"{rel:?} cannot be published: paths must be at most {MAX_PATH_LEN} bytes, without '\\', ':' or control characters"
			);
		}
		let size = entry.metadata()?.len();
		files.push(LocalFile {
			rel,
			abs: entry.path().to_path_buf(),
			size,
		});
	}
	if files.is_empty() {
		bail!("{} holds no files to publish", dir.display());
	}
	if files.len() > MAX_ARTIFACTS as usize {
		bail!(
			"{} holds {} files; a version holds at most {MAX_ARTIFACTS}",
			dir.display(),
			files.len()
		);
	}
	files.sort_by(|a, b| a.rel.as_bytes().cmp(b.rel.as_bytes()));
	Ok(files)
}

/// A media type guessed from the file name.
pub fn media_type(path: &str) -> &'static str {
	let ext = path
		.rsplit_once('.')
		.map(|(_, e)| e.to_ascii_lowercase())
		.unwrap_or_default();
	match ext.as_str() {
		"safetensors" => "application/vnd.safetensors",
		"gguf" => "application/vnd.gguf",
		"onnx" => "application/onnx",
		"json" => "application/json",
		"txt" => "text/plain",
		"md" => "text/markdown",
		"yaml" | "yml" => "application/yaml",
		"model" | "bin" | "pt" | "pth" | "ckpt" | "npz" | "h5" => "application/octet-stream",
		_ => "application/octet-stream",
	}
}

/// One hashed and stored file, ready for the manifest.
pub struct HashedFile {
	pub rel: String,
	pub size: u64,
	pub sha256: Hash32,
	pub merkle_root: Hash32,
	pub uris: Vec<String>,
}

/// Everything the user gave besides the files.
pub struct ManifestInput {
	pub repository: String,
	pub chunk_size: u32,
	pub parents: Vec<Parent>,
	pub message: String,
	pub metrics: Vec<(String, i64)>,
	pub license: String,
	pub tags: Vec<(String, String)>,
}

/// Builds the canonical manifest and checks it with the chain's own rules.
pub fn build_manifest(input: &ManifestInput, files: &[HashedFile]) -> Result<Manifest> {
	let mut parents = input.parents.clone();
	parents.sort_by_key(|p| p.version);
	if parents.windows(2).any(|w| w[0].version == w[1].version) {
		bail!("the same --parent is given twice");
	}
	let mut metrics = input.metrics.clone();
	metrics.sort();
	if metrics.windows(2).any(|w| w[0].0 == w[1].0) {
		bail!("the same --metric name is given twice");
	}
	let mut tags = input.tags.clone();
	tags.sort();
	if tags.windows(2).any(|w| w[0].0 == w[1].0) {
		bail!("the same --tag key is given twice");
	}
	let artifacts = files
		.iter()
		.map(|f| -> Result<Artifact> {
			Ok(Artifact {
				path: crate::chain::bounded(&f.rel, "path", MAX_PATH_LEN)?,
				size: f.size,
				sha256: f.sha256,
				chunk_size: input.chunk_size,
				merkle_root: f.merkle_root,
				media_type: crate::chain::bounded(
					media_type(&f.rel),
					"media type",
					MAX_MEDIA_TYPE_LEN,
				)?,
				uris: f
					.uris
					.iter()
					.map(|u| crate::chain::bounded(u, "storage URI", MAX_URI_LEN))
					.collect::<Result<Vec<_>>>()?
					.try_into()
					.map_err(|_| {
						anyhow::anyhow!("an artifact has more than {MAX_URIS} storage URIs")
					})?,
			})
		})
		.collect::<Result<Vec<_>>>()?;
	let manifest = Manifest {
		format_version: MANIFEST_FORMAT_VERSION,
		repository: crate::chain::bounded(&input.repository, "repository", MAX_REPO_NAME_LEN)?,
		parents: parents
			.try_into()
			.map_err(|_| anyhow::anyhow!("at most {MAX_PARENTS} --parent"))?,
		artifacts: artifacts
			.try_into()
			.map_err(|_| anyhow::anyhow!("at most {MAX_ARTIFACTS} files"))?,
		message: crate::chain::bounded(&input.message, "message", MAX_MESSAGE_LEN)?,
		metrics: metrics
			.iter()
			.map(|(name, value)| {
				Ok(Metric {
					name: crate::chain::bounded(name, "metric name", MAX_METRIC_NAME_LEN)?,
					value: *value,
				})
			})
			.collect::<Result<Vec<_>>>()?
			.try_into()
			.map_err(|_| anyhow::anyhow!("at most {MAX_METRICS} --metric"))?,
		license: crate::chain::bounded(&input.license, "license", MAX_LICENSE_LEN)?,
		tags: tags
			.iter()
			.map(|(k, v)| {
				Ok(Tag {
					key: crate::chain::bounded(k, "tag key", MAX_TAG_KEY_LEN)?,
					value: crate::chain::bounded(v, "tag value", MAX_TAG_VALUE_LEN)?,
				})
			})
			.collect::<Result<Vec<_>>>()?
			.try_into()
			.map_err(|_| anyhow::anyhow!("at most {MAX_TAGS} --tag"))?,
		tool_version: crate::chain::bounded(
			concat!("owh/", env!("CARGO_PKG_VERSION")),
			"tool version",
			MAX_TOOL_VERSION_LEN,
		)?,
	};
	validate::manifest(
		&manifest,
		validate::Limits {
			max_artifacts: MAX_ARTIFACTS,
			max_parents: MAX_PARENTS,
		},
	)
	.map_err(|e| anyhow::anyhow!("the manifest breaks a chain rule: {e:?}; fix the named input"))?;
	Ok(manifest)
}
