//! `file:///dir`: a directory of blobs.

use super::{Backend, NotFound};
use anyhow::{bail, Context, Result};
use std::{
	fs::{self, File},
	io::{self, Read, Seek, SeekFrom},
	path::{Path, PathBuf},
};

/// A directory of blobs (`file:///dir`; the store's `objects/sha256`).
pub struct FileBackend {
	base: String,
	dir: PathBuf,
}

impl FileBackend {
	pub fn new(dir: PathBuf) -> Self {
		Self {
			base: format!("file://{}", dir.display()),
			dir,
		}
	}
	fn path(&self, name: &str) -> Result<PathBuf> {
		if name.contains('/') || name.starts_with('.') {
			bail!("{name:?} is not a blob name");
		}
		Ok(self.dir.join(name))
	}
}

impl Backend for FileBackend {
	fn base(&self) -> &str {
		&self.base
	}

	fn open(&self, name: &str, start: u64, end: Option<u64>) -> Result<Box<dyn Read + Send>> {
		let path = self.path(name)?;
		let mut file = match File::open(&path) {
			Err(e) if e.kind() == io::ErrorKind::NotFound => {
				return Err(NotFound(path.display().to_string()).into())
			}
			other => other.with_context(|| format!("cannot open {}", path.display()))?,
		};
		file.seek(SeekFrom::Start(start))?;
		Ok(match end {
			Some(end) => Box::new(file.take(end.saturating_sub(start))),
			None => Box::new(file),
		})
	}

	fn size(&self, name: &str) -> Result<Option<u64>> {
		match fs::metadata(self.path(name)?) {
			Ok(m) => Ok(Some(m.len())),
			Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
			Err(e) => Err(e).with_context(|| format!("cannot inspect {}/{name}", self.base)),
		}
	}

	fn put(&self, name: &str, src: &Path, on_bytes: &(dyn Fn(u64) + Sync)) -> Result<()> {
		let target = self.path(name)?;
		fs::create_dir_all(&self.dir)
			.with_context(|| format!("cannot create {}", self.dir.display()))?;
		let tmp = tempfile::NamedTempFile::new_in(&self.dir)
			.with_context(|| format!("cannot write into {}", self.dir.display()))?;
		let copied = fs::copy(src, tmp.path())
			.with_context(|| format!("cannot copy {} to {}", src.display(), self.base))?;
		tmp.as_file().sync_all()?;
		tmp.persist(&target)
			.with_context(|| format!("cannot store {}", target.display()))?;
		on_bytes(copied);
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::transfer::is_not_found;
	use std::io::Read;

	#[test]
	fn file_backend_reads_ranges_and_reports_absence() {
		let dir = tempfile::tempdir().unwrap();
		let backend = FileBackend::new(dir.path().to_path_buf());
		fs::write(dir.path().join("blob"), b"0123456789").unwrap();
		let mut text = String::new();
		backend
			.open("blob", 2, Some(5))
			.unwrap()
			.read_to_string(&mut text)
			.unwrap();
		assert_eq!(text, "234");
		assert_eq!(backend.size("blob").unwrap(), Some(10));
		assert_eq!(backend.size("other").unwrap(), None);
		let err = backend.open("other", 0, None).err().unwrap();
		assert!(is_not_found(&err));
		let src = dir.path().join("src");
		fs::write(&src, b"abc").unwrap();
		let out = tempfile::tempdir().unwrap();
		let target = FileBackend::new(out.path().join("m"));
		target.put("x", &src, &|_| {}).unwrap();
		assert_eq!(fs::read(out.path().join("m/x")).unwrap(), b"abc");
		assert!(backend.open("../etc", 0, None).is_err());
	}
}
