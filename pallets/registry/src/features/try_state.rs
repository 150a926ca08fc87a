//! Storage invariants, checked by `try_state`.

use crate::*;
use polkadot_sdk::sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks that every index agrees with the records it points to.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		for (repo, info) in Repositories::<T>::iter() {
			let maintainers = Maintainers::<T>::get(&repo);
			ensure_state(
				!maintainers.contains(&info.owner),
				"owner listed as maintainer",
			)?;
			let mut unique = maintainers.clone().into_inner();
			unique.sort();
			unique.dedup();
			ensure_state(unique.len() == maintainers.len(), "duplicate maintainer")?;
			let indexed = RepoVersions::<T>::iter_prefix(&repo).count();
			ensure_state(
				indexed == info.version_count as usize,
				"version count mismatch",
			)?;
		}
		for (repo, index, id) in RepoVersions::<T>::iter() {
			let record = Versions::<T>::get(id).ok_or("indexed version missing")?;
			ensure_state(
				record.manifest.repository == repo,
				"version indexed in wrong repo",
			)?;
			ensure_state(record.index == index, "version index mismatch")?;
		}
		for (id, mirrors) in Mirrors::<T>::iter() {
			ensure_state(
				Versions::<T>::contains_key(id),
				"mirror of a missing version",
			)?;
			ensure_state(!mirrors.is_empty(), "empty mirror list stored")?;
		}
		for (id, record) in Versions::<T>::iter() {
			ensure_state(
				RepoVersions::<T>::get(&record.manifest.repository, record.index) == Some(id),
				"version not indexed",
			)?;
			for parent in record.manifest.parents.iter() {
				ensure_state(
					Versions::<T>::contains_key(parent.version),
					"parent missing",
				)?;
				ensure_state(
					Children::<T>::get(parent.version, id) == Some(parent.relation),
					"lineage edge missing",
				)?;
			}
		}
		for (parent, child, relation) in Children::<T>::iter() {
			let record = Versions::<T>::get(child).ok_or("lineage child missing")?;
			ensure_state(
				record
					.manifest
					.parents
					.iter()
					.any(|p| p.version == parent && p.relation == relation),
				"lineage edge without parent",
			)?;
		}
		for (repo, alias, id) in Aliases::<T>::iter() {
			let record = Versions::<T>::get(id).ok_or("alias target missing")?;
			ensure_state(
				record.manifest.repository == repo,
				"alias points to other repo",
			)?;
			let count = AliasMoveCount::<T>::get(&repo, &alias);
			let last = count
				.checked_sub(1)
				.and_then(|n| AliasHistory::<T>::get((repo, alias), n));
			ensure_state(
				last.and_then(|m| m.to) == Some(id),
				"alias history out of step",
			)?;
		}
		for ((repo, alias), _, _) in AliasHistory::<T>::iter() {
			ensure_state(
				AliasMoveCount::<T>::get(&repo, &alias) > 0,
				"alias history without count",
			)?;
		}
		for (id, _) in Yanked::<T>::iter() {
			ensure_state(Versions::<T>::contains_key(id), "yanked version missing")?;
		}
		Ok(())
	}
}

fn ensure_state(condition: bool, message: &'static str) -> Result<(), TryRuntimeError> {
	if condition {
		Ok(())
	} else {
		Err(message.into())
	}
}
