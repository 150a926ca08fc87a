//! The rules that names and manifests must follow. The pallet enforces them on-chain; the
//! client checks them before it submits anything, with the same code.

use crate::{
	manifest::{Manifest, MANIFEST_FORMAT_VERSION},
	merkle::is_valid_chunk_size,
};

/// Why a manifest was refused. Each variant maps to one registry pallet error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestError {
	/// `format_version` is not [`MANIFEST_FORMAT_VERSION`].
	UnsupportedFormat,
	/// The manifest lists no artifact.
	NoArtifacts,
	/// More artifacts than the configured limit.
	TooManyArtifacts,
	/// More parents than the configured limit.
	TooManyParents,
	/// A chunk size is not a power of two within the allowed range.
	BadChunkSize,
	/// A path is empty, absolute, has `.`/`..`/empty segments, or unsafe characters.
	UnsafePath,
	/// Artifact paths are not strictly increasing (unsorted or duplicated).
	UnsortedPaths,
	/// A storage URI has no scheme or contains spaces or control characters.
	BadStorageUri,
	/// Parents are not strictly increasing by version id (unsorted or duplicated).
	UnsortedParents,
	/// Metrics are not strictly increasing by name, or a name is invalid.
	BadMetrics,
	/// Tags are not strictly increasing by key, or a key or value is invalid.
	BadTags,
	/// The license is empty or not made of SPDX expression characters.
	BadLicense,
	/// The message, media type or tool version is not printable UTF-8.
	BadText,
}

/// Whether `name` is a valid repository name.
///
/// 3 to 64 bytes of lower-case ASCII letters, digits, `-`, `_` and `.`, optionally split once by
/// `/` into a namespace and a name (`acme/llama-3-8b`). Each part starts and ends with a letter
/// or a digit. Lower case only, so that two names never differ by case alone.
pub fn repo_name(name: &[u8]) -> bool {
	if !(3..=64).contains(&name.len()) {
		return false;
	}
	let mut parts = name.split(|b| *b == b'/');
	let (Some(first), second, None) = (parts.next(), parts.next(), parts.next()) else {
		return false;
	};
	slug(first) && second.is_none_or(slug)
}

/// Whether `name` is a valid alias name: 1 to 32 bytes, same characters as a repository part.
pub fn alias_name(name: &[u8]) -> bool {
	name.len() <= 32 && slug(name)
}

fn slug(part: &[u8]) -> bool {
	let edge_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
	edge_ok(part.first())
		&& edge_ok(part.last())
		&& part.iter().all(|b| {
			b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
		}) && !part.windows(2).any(|w| w == b"..")
}

/// Whether `path` is a safe relative artifact path.
///
/// Valid UTF-8, `/`-separated, not absolute, no empty, `.` or `..` segment, and no backslash,
/// colon or control character, so it means the same file on every operating system.
pub fn path(path: &[u8]) -> bool {
	let Ok(text) = core::str::from_utf8(path) else {
		return false;
	};
	!text.is_empty()
		&& !text
			.chars()
			.any(|c| c.is_control() || c == '\\' || c == ':')
		&& text
			.split('/')
			.all(|segment| !segment.is_empty() && segment != "." && segment != "..")
}

/// Whether `uri` looks like `scheme:rest` with printable ASCII and no spaces.
pub fn storage_uri(uri: &[u8]) -> bool {
	let Some(colon) = uri.iter().position(|b| *b == b':') else {
		return false;
	};
	let (scheme, _) = uri.split_at(colon);
	scheme.first().is_some_and(u8::is_ascii_alphabetic)
		&& scheme
			.iter()
			.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
		&& uri.len() > colon.saturating_add(1)
		&& uri.iter().all(|b| b.is_ascii_graphic())
}

/// Whether `endpoint` can be a storage provider's endpoint: non-empty UTF-8 without control
/// characters (a URL or `host:port`; the runtime does not dial it).
pub fn provider_endpoint(endpoint: &[u8]) -> bool {
	core::str::from_utf8(endpoint)
		.is_ok_and(|text| !text.is_empty() && !text.chars().any(char::is_control))
}

/// Whether `license` is made of SPDX expression characters (ids, `AND`, `OR`, `WITH`,
/// parentheses, `+`). The client checks the full SPDX grammar before submitting.
pub fn license(license: &[u8]) -> bool {
	!license.is_empty()
		&& license.iter().all(|b| {
			b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'+' | b'(' | b')' | b' ' | b':')
		})
}

fn printable(text: &[u8]) -> bool {
	core::str::from_utf8(text).is_ok_and(|t| !t.chars().any(|c| c.is_control() && c != '\n'))
}

/// Whether `name` can name a metric: non-empty ASCII letters, digits and `-_./`.
pub fn metric_name(name: &[u8]) -> bool {
	!name.is_empty()
		&& name
			.iter()
			.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
}

/// Whether `key` strictly increases along `items`. The key is borrowed, never cloned.
fn strictly_increasing<T, K: Ord + ?Sized>(items: &[T], key: impl Fn(&T) -> &K) -> bool {
	items.windows(2).all(|w| match w {
		[a, b] => key(a) < key(b),
		_ => true,
	})
}

/// Limits a chain may set below the encoding bounds.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
	/// Most artifacts in one version.
	pub max_artifacts: u32,
	/// Most parents of one version.
	pub max_parents: u32,
}

/// Checks everything about a manifest that does not need chain state.
pub fn manifest(manifest: &Manifest, limits: Limits) -> Result<(), ManifestError> {
	use ManifestError::*;
	if manifest.format_version != MANIFEST_FORMAT_VERSION {
		return Err(UnsupportedFormat);
	}
	if manifest.artifacts.is_empty() {
		return Err(NoArtifacts);
	}
	if manifest.artifacts.len() > limits.max_artifacts as usize {
		return Err(TooManyArtifacts);
	}
	if manifest.parents.len() > limits.max_parents as usize {
		return Err(TooManyParents);
	}
	for artifact in manifest.artifacts.iter() {
		if !path(&artifact.path) {
			return Err(UnsafePath);
		}
		if !is_valid_chunk_size(artifact.chunk_size) {
			return Err(BadChunkSize);
		}
		if !artifact.uris.iter().all(|uri| storage_uri(uri)) {
			return Err(BadStorageUri);
		}
		if !printable(&artifact.media_type) {
			return Err(BadText);
		}
	}
	if !strictly_increasing(&manifest.artifacts, |a| &a.path[..]) {
		return Err(UnsortedPaths);
	}
	if !strictly_increasing(&manifest.parents, |p| &p.version) {
		return Err(UnsortedParents);
	}
	if !manifest.metrics.iter().all(|m| metric_name(&m.name))
		|| !strictly_increasing(&manifest.metrics, |m| &m.name[..])
	{
		return Err(BadMetrics);
	}
	if !manifest
		.tags
		.iter()
		.all(|t| metric_name(&t.key) && printable(&t.value))
		|| !strictly_increasing(&manifest.tags, |t| &t.key[..])
	{
		return Err(BadTags);
	}
	if !license(&manifest.license) {
		return Err(BadLicense);
	}
	if !printable(&manifest.message) || !printable(&manifest.tool_version) {
		return Err(BadText);
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn repo_names() {
		for ok in ["abc", "acme/llama-3-8b", "a.b_c-d", "x1/y2", "org/m"] {
			assert!(repo_name(ok.as_bytes()), "{ok}");
		}
		for bad in [
			"ab",
			"Acme/model",
			"-abc",
			"abc-",
			"a//b",
			"/abc",
			"abc/",
			"a/b/c",
			"a..b",
			"a b",
			"ümlaut",
			"",
		] {
			assert!(!repo_name(bad.as_bytes()), "{bad}");
		}
		assert!(!repo_name(&[b'a'; 65]));
		assert!(repo_name(&[b'a'; 64]));
	}

	#[test]
	fn alias_names() {
		assert!(alias_name(b"production"));
		assert!(alias_name(b"v1.2"));
		assert!(!alias_name(b""));
		assert!(!alias_name(b"Prod"));
		assert!(!alias_name(b"a/b"));
		assert!(!alias_name(&[b'a'; 33]));
	}

	#[test]
	fn paths() {
		for ok in [
			"model.safetensors",
			"tokenizer/vocab.json",
			"a/b/c.bin",
			".hidden",
			"a..b",
		] {
			assert!(path(ok.as_bytes()), "{ok}");
		}
		for bad in [
			"",
			"/etc/passwd",
			"../x",
			"a/../b",
			"a/./b",
			"a//b",
			"a/",
			"c:\\x",
			"a\\b",
			"a\nb",
			"C:x",
		] {
			assert!(!path(bad.as_bytes()), "{bad}");
		}
		assert!(!path(&[0xff, 0xfe]));
	}

	#[test]
	fn uris() {
		assert!(storage_uri(b"owh-store://sha256/abcd"));
		assert!(storage_uri(b"https://example.org/a.bin"));
		assert!(storage_uri(b"s3://bucket/key"));
		assert!(!storage_uri(b"no-scheme"));
		assert!(!storage_uri(b"http:"));
		assert!(!storage_uri(b"1http://x"));
		assert!(!storage_uri(b"http://a b"));
	}

	#[test]
	fn licenses() {
		assert!(license(b"Apache-2.0"));
		assert!(license(b"MIT OR (Apache-2.0 WITH LLVM-exception)"));
		assert!(license(b"LicenseRef-acme:1"));
		assert!(!license(b""));
		assert!(!license(b"MIT;rm -rf"));
	}

	#[test]
	fn provider_endpoints_are_printable_text() {
		assert!(provider_endpoint(b"https://store.example.org"));
		assert!(provider_endpoint(
			"https://d\u{e9}p\u{f4}t.example/owh".as_bytes()
		));
		assert!(!provider_endpoint(b""));
		assert!(!provider_endpoint(b"https://a.example\n"));
		assert!(!provider_endpoint(b"\x00"));
		assert!(!provider_endpoint(&[0xff, 0xfe]));
	}
}
