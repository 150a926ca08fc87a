//! Turning a version argument (an id, or a repository with a tag, alias or nothing) into its
//! id and on-chain record.

use crate::{
	chain::{Chain, Info},
	exit::{failed, Kind},
	model::refs::{RepoRef, VersionSpec},
};
use anyhow::Result;
use owh_primitives::{registry::VersionRef, VersionId};

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
