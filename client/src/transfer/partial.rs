//! Where an install writes: the target path (kept inside the install root) and the partial file
//! an interrupted install leaves for the next run to resume.

use anyhow::{anyhow, bail, Result};
use owh_primitives::{validate, Artifact};
use std::{
	fs::{File, OpenOptions},
	io,
	path::{Path, PathBuf},
};

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

/// Where an interrupted install of `target` keeps its bytes.
pub fn partial_path(target: &Path) -> PathBuf {
	let name = target
		.file_name()
		.map(|n| n.to_string_lossy().into_owned())
		.unwrap_or_default();
	target.with_file_name(format!(".{name}.owh-partial"))
}

/// Opens (or creates) the partial file of an install without following a symbolic link, and
/// locks it so that two installs into the same directory cannot interleave.
pub(super) fn open_partial(partial: &Path) -> Result<File> {
	use std::os::{fd::AsRawFd, unix::fs::OpenOptionsExt};
	let file = OpenOptions::new()
		.read(true)
		.write(true)
		.create(true)
		.truncate(false)
		.custom_flags(libc::O_NOFOLLOW)
		.open(partial)
		.map_err(|e| {
			if e.raw_os_error() == Some(libc::ELOOP) {
				anyhow!(
					"{} is a symbolic link; owh writes partial downloads only to regular files, so remove it",
					partial.display()
				)
			} else {
				anyhow!("cannot write {}: {e}", partial.display())
			}
		})?;
	if !file.metadata()?.is_file() {
		bail!("{} is not a regular file; remove it", partial.display());
	}
	// SAFETY: flock on a file descriptor this function owns.
	if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
		bail!(
			"another owh is installing into {} right now; wait for it to finish",
			partial.display()
		);
	}
	Ok(file)
}

pub(super) fn write_error(e: io::Error, path: &Path) -> anyhow::Error {
	if e.raw_os_error() == Some(libc::ENOSPC) {
		anyhow!(
			"no space left on the device while writing {}; the verified part is kept there, so free some space and run the same command again to resume",
			path.display()
		)
	} else {
		anyhow!("cannot write {}: {e}", path.display())
	}
}

/// Bytes free for an unprivileged writer on the filesystem holding `dir`.
pub fn free_space(dir: &Path) -> Option<u64> {
	use std::os::unix::ffi::OsStrExt;
	let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
	let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
	// SAFETY: `path` is a valid C string and `stat` a writable statvfs.
	let rc = unsafe { libc::statvfs(path.as_ptr(), &mut stat) };
	(rc == 0).then(|| stat.f_bavail as u64 * stat.f_frsize as u64)
}

/// Reserves `size` bytes on disk for a partial file without changing its length, so the
/// filesystem lays it out at once rather than block by block as chunks arrive (resuming still
/// reads only what was written). Filesystems without `fallocate` are written as before; a full
/// disk fails here, before anything is downloaded.
pub(super) fn preallocate(file: &File, size: u64, path: &Path) -> Result<()> {
	#[cfg(target_os = "linux")]
	{
		use std::os::fd::AsRawFd;
		let Ok(len) = libc::off_t::try_from(size) else {
			return Ok(());
		};
		if len == 0 {
			return Ok(());
		}
		// SAFETY: fallocate on a file descriptor `file` owns.
		let rc = unsafe { libc::fallocate(file.as_raw_fd(), libc::FALLOC_FL_KEEP_SIZE, 0, len) };
		if rc != 0 {
			let e = io::Error::last_os_error();
			if e.raw_os_error() == Some(libc::ENOSPC) {
				return Err(write_error(e, path));
			}
		}
	}
	let _ = (file, size, path);
	Ok(())
}

/// Starts writing `len` bytes at `offset` back to disk without waiting, so dirty pages leave
/// the cache as the download goes rather than in one long sync at the end (which still runs,
/// before the file is renamed into place). Best effort: an error here shows up at that sync.
pub(super) fn start_writeback(file: &File, offset: u64, len: u64) {
	#[cfg(target_os = "linux")]
	{
		use std::os::fd::AsRawFd;
		if let (Ok(offset), Ok(len)) = (
			libc::off64_t::try_from(offset),
			libc::off64_t::try_from(len),
		) {
			// SAFETY: sync_file_range on a file descriptor `file` owns; it only starts I/O.
			unsafe {
				libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE)
			};
		}
	}
	let _ = (file, offset, len);
}

/// Alignment of buffers, offsets and lengths that direct I/O accepts on every common device.
pub(super) const DIRECT_ALIGN: usize = 4096;

/// A `len`-byte buffer inside `storage` whose start is [`DIRECT_ALIGN`]-aligned.
pub(super) fn aligned(storage: &mut Vec<u8>, len: usize) -> &mut [u8] {
	storage.resize(len + DIRECT_ALIGN, 0);
	let pad = storage.as_ptr().align_offset(DIRECT_ALIGN);
	&mut storage[pad..pad + len]
}

/// Writes whole, aligned chunks of a partial file straight to disk (`O_DIRECT`), past the page
/// cache: the copy into the cache and its writeback cost more CPU than hashing the bytes
/// (`docs/benchmarks.md`). Anything unaligned (a short last chunk, reused chunks) and every
/// write on a filesystem that refuses direct I/O goes through the ordinary handle.
pub(super) struct DirectWriter(Option<File>);

impl DirectWriter {
	/// A second handle on `path` for direct writes, or none when `enabled` is false or the
	/// filesystem cannot open it so.
	pub(super) fn open(path: &Path, enabled: bool) -> Self {
		#[cfg(target_os = "linux")]
		if enabled {
			use std::os::unix::fs::OpenOptionsExt;
			return Self(
				OpenOptions::new()
					.write(true)
					.custom_flags(libc::O_DIRECT | libc::O_NOFOLLOW)
					.open(path)
					.ok(),
			);
		}
		let _ = (path, enabled);
		Self(None)
	}

	/// Writes `data` at `offset` of the partial file that `file` (the ordinary handle) opened.
	pub(super) fn write_at(&mut self, file: &File, data: &[u8], offset: u64) -> io::Result<()> {
		use std::os::unix::fs::FileExt;
		let aligned = data.as_ptr().align_offset(DIRECT_ALIGN) == 0
			&& data.len().is_multiple_of(DIRECT_ALIGN)
			&& offset.is_multiple_of(DIRECT_ALIGN as u64);
		if let (Some(direct), true) = (&self.0, aligned) {
			match direct.write_all_at(data, offset) {
				Ok(()) => return Ok(()),
				// The filesystem takes no direct I/O after all: write as usual from now on.
				Err(e) if e.raw_os_error() == Some(libc::EINVAL) => self.0 = None,
				Err(e) => return Err(e),
			}
		}
		file.write_all_at(data, offset)
	}

	/// Whether writes bypass the page cache.
	pub(super) fn is_direct(&self) -> bool {
		self.0.is_some()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn direct_and_cached_writes_make_one_file() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join(".w.bin.owh-partial");
		let file = open_partial(&path).unwrap();
		let data: Vec<u8> = (0..3 * DIRECT_ALIGN + 100)
			.map(|i| (i % 251) as u8)
			.collect();
		preallocate(&file, data.len() as u64, &path).unwrap();
		assert_eq!(
			file.metadata().unwrap().len(),
			0,
			"preallocating keeps the length"
		);
		let mut direct = DirectWriter::open(&path, true);
		let mut storage = Vec::new();
		let buf = aligned(&mut storage, data.len());
		assert_eq!(buf.as_ptr().align_offset(DIRECT_ALIGN), 0);
		buf.copy_from_slice(&data);
		// Two aligned chunks, the short tail (always cached), then a chunk written out of order.
		direct.write_at(&file, &buf[..2 * DIRECT_ALIGN], 0).unwrap();
		let tail = 3 * DIRECT_ALIGN;
		direct.write_at(&file, &buf[tail..], tail as u64).unwrap();
		direct
			.write_at(&file, &buf[2 * DIRECT_ALIGN..tail], 2 * DIRECT_ALIGN as u64)
			.unwrap();
		// An unaligned buffer is written through the cache.
		direct.write_at(&file, &data[1..5], 1).unwrap();
		start_writeback(&file, 0, data.len() as u64);
		file.sync_all().unwrap();
		assert_eq!(std::fs::read(&path).unwrap(), data);
		let mut off = DirectWriter::open(&path, false);
		assert!(!off.is_direct());
		off.write_at(&file, &buf[..DIRECT_ALIGN], 0).unwrap();
		assert_eq!(std::fs::read(&path).unwrap(), data);
	}
}
