//! One module per command group. Each command is a clap struct plus
//! `run(ctx, args, out)`, writing its output to `out` so it can be tested against a buffer.

pub mod alias;
pub mod arweave;
pub mod attest;
pub mod author;
pub mod diff;
pub mod export;
pub mod gate;
pub mod gov;
pub mod history;
pub mod install;
pub mod key;
pub mod license;
pub mod mirror;
pub mod provider;
pub mod publish;
pub mod receipt;
pub mod repo;
pub mod serve;
pub mod trust;
pub mod validator;
pub mod verify;
pub mod yank;

use anyhow::Result;
use std::io::Write;

/// Writes a JSON value as one line.
pub fn print_json(out: &mut dyn Write, value: &serde_json::Value) -> Result<()> {
	writeln!(out, "{}", serde_json::to_string_pretty(value)?)?;
	Ok(())
}

/// Writes `bytes` to `path` atomically (through a temporary file beside it), refusing to
/// replace an existing file unless `force`.
pub fn write_output(path: &std::path::Path, bytes: &[u8], force: bool) -> Result<()> {
	use anyhow::Context as _;
	let dir = path
		.parent()
		.filter(|p| !p.as_os_str().is_empty())
		.unwrap_or(std::path::Path::new("."));
	let mut tmp = tempfile::NamedTempFile::new_in(dir)
		.with_context(|| format!("cannot write in {}", dir.display()))?;
	tmp.write_all(bytes)?;
	// Readable by others, as files they are meant to be given to (a temporary file is 0600).
	tmp.as_file()
		.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644))?;
	tmp.as_file().sync_all()?;
	if force {
		tmp.persist(path)
	} else {
		tmp.persist_noclobber(path)
	}
	.map_err(|e| {
		if e.error.kind() == std::io::ErrorKind::AlreadyExists {
			anyhow::anyhow!(
				"{} already exists; pass --force to replace it",
				path.display()
			)
		} else {
			anyhow::anyhow!("cannot write {}: {}", path.display(), e.error)
		}
	})?;
	Ok(())
}
