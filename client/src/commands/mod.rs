//! One module per command group. Each command is a clap struct plus
//! `run(ctx, args, out)`, writing its output to `out` so it can be tested against a buffer.

pub mod alias;
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

use crate::exit::{failed, Kind};
use crate::{
	chain::{Chain, Info},
	refs::{RepoRef, VersionSpec},
};
use anyhow::Result;
use owh_primitives::{registry::VersionRef, VersionId};
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

/// Resolves a version argument to its id and on-chain record.
pub async fn resolve(chain: &Chain, spec: &VersionSpec) -> Result<(VersionId, Info)> {
	let not_found = |text: String| failed(Kind::NotFound, text);
	let id = match spec {
		VersionSpec::Id(id) => *id,
		VersionSpec::InRepo { repo, reference } => {
			if chain.repository(repo).await?.is_none() {
				return Err(not_found(format!(
					"repository {repo} does not exist; see `owh repo create`"
				)));
			}
			let found = match reference {
				RepoRef::Latest => chain
					.versions(repo, None, 1)
					.await?
					.items
					.first()
					.map(|(_, id)| *id),
				RepoRef::Alias(alias) => {
					let name =
						crate::chain::bounded(alias, "alias", owh_primitives::MAX_ALIAS_LEN)?;
					chain.resolve(repo, VersionRef::Alias(name)).await?
				}
				RepoRef::Id(id) => chain.resolve(repo, VersionRef::Id(*id)).await?,
			};
			found.ok_or_else(|| {
				not_found(match reference {
					RepoRef::Latest => format!("repository {repo} has no version yet"),
					RepoRef::Alias(alias) => format!(
						"repository {repo} has no alias {alias:?}; see `owh repo show {repo}`"
					),
					RepoRef::Id(id) => {
						format!("version {id} is not in repository {repo}; see `owh log {repo}`")
					}
				})
			})?
		}
	};
	let info = chain
		.version(&id)
		.await?
		.ok_or_else(|| not_found(format!("version {id} does not exist on this chain")))?;
	// The record's repository (covered by the id, and proven with a trust anchor) must be the
	// one asked for, whatever the node said when resolving.
	if let VersionSpec::InRepo { repo, .. } = spec {
		let holder = crate::view::text(&info.record.manifest.repository);
		if holder != *repo {
			return Err(failed(
				Kind::Untrusted,
				format!("the node resolved {repo} to version {id}, which belongs to {holder}"),
			));
		}
	}
	Ok((id, info))
}
