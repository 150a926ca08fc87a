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
