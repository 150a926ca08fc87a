//! Where artifact bytes come from: the local store, `file://` and `http(s)://` URIs.

use anyhow::{bail, Context, Result};
use std::{
	fs::File,
	io::{self, Read, Seek, SeekFrom},
	path::PathBuf,
};

/// One place an artifact can be read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
	/// A local file (the store, or a `file://` URI).
	File(PathBuf),
	/// An `http://` or `https://` URL.
	Http(String),
}

impl Source {
	/// Parses a storage URI; `None` for schemes this client cannot read.
	pub fn from_uri(uri: &str) -> Option<Source> {
		if let Some(path) = uri.strip_prefix("file://") {
			return path
				.starts_with('/')
				.then(|| Source::File(PathBuf::from(path)));
		}
		(uri.starts_with("http://") || uri.starts_with("https://"))
			.then(|| Source::Http(uri.to_string()))
	}

	/// Human-readable location.
	pub fn describe(&self) -> String {
		match self {
			Source::File(p) => format!("file://{}", p.display()),
			Source::Http(u) => u.clone(),
		}
	}

	/// Opens the content from byte `offset` on. Servers that ignore `Range` are read and
	/// skipped up to `offset`.
	pub fn open(&self, offset: u64) -> Result<Box<dyn Read + Send>> {
		match self {
			Source::File(path) => {
				let mut file =
					File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
				file.seek(SeekFrom::Start(offset))?;
				Ok(Box::new(file))
			}
			Source::Http(url) => {
				let mut request = ureq::get(url);
				if offset > 0 {
					request = request.header("Range", format!("bytes={offset}-"));
				}
				let response = request.call().with_context(|| format!("GET {url}"))?;
				let partial = response.status() == 206;
				let mut reader = response.into_body().into_reader();
				if offset > 0 && !partial {
					let skipped = io::copy(&mut (&mut reader).take(offset), &mut io::sink())?;
					if skipped < offset {
						bail!("{url} is shorter than the {offset} bytes already downloaded");
					}
				}
				Ok(Box::new(reader))
			}
		}
	}

	/// Fetches the chunk leaves published beside the content (`<location>.leaves`), if any.
	pub fn leaves(&self) -> Option<Vec<u8>> {
		match self {
			Source::File(path) => {
				let mut p = path.clone().into_os_string();
				p.push(".leaves");
				std::fs::read(PathBuf::from(p)).ok()
			}
			Source::Http(url) => {
				let mut body = ureq::get(&format!("{url}.leaves")).call().ok()?.into_body();
				body.with_config().limit(64 << 20).read_to_vec().ok()
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn uris_map_to_sources() {
		assert_eq!(
			Source::from_uri("file:///a/b"),
			Some(Source::File("/a/b".into()))
		);
		assert_eq!(Source::from_uri("file://relative"), None);
		assert_eq!(
			Source::from_uri("https://m.example/x"),
			Some(Source::Http("https://m.example/x".into()))
		);
		assert_eq!(Source::from_uri("s3://bucket/x"), None);
	}

	#[test]
	fn file_sources_read_from_an_offset() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("obj");
		std::fs::write(&path, b"0123456789").unwrap();
		std::fs::write(dir.path().join("obj.leaves"), [1u8; 32]).unwrap();
		let source = Source::File(path);
		let mut rest = String::new();
		source.open(4).unwrap().read_to_string(&mut rest).unwrap();
		assert_eq!(rest, "456789");
		assert_eq!(source.leaves().unwrap(), vec![1u8; 32]);
	}
}
