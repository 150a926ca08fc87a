//! Storage invariants, checked by `try_state`.

use crate::*;
use alloc::collections::BTreeMap;
use polkadot_sdk::{
	frame_support::traits::{fungible::InspectHold, GetStorageVersion},
	sp_runtime::{traits::Zero, Saturating, TryRuntimeError},
};

impl<T: Config> Pallet<T> {
	/// Checks that every index agrees with the records it points to.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_indexes()?;
		Self::check_version_metas()?;
		Self::check_alias_history()?;
		Self::check_deposits()
	}

	fn check_indexes() -> Result<(), TryRuntimeError> {
		for (repo, maintainers) in Maintainers::<T>::iter() {
			ensure_state(
				Repositories::<T>::contains_key(&repo),
				"maintainers of a missing repository",
			)?;
			ensure_state(!maintainers.is_empty(), "empty maintainer list stored")?;
		}
		for (repo, committers) in Committers::<T>::iter() {
			let info = Repositories::<T>::get(&repo).ok_or("committers of a missing repository")?;
			ensure_state(!committers.is_empty(), "empty committer list stored")?;
			ensure_state(
				!committers.contains(&info.owner),
				"owner listed as committer",
			)?;
			let maintainers = Maintainers::<T>::get(&repo);
			ensure_state(
				!committers.iter().any(|c| maintainers.contains(c)),
				"account holds two roles",
			)?;
			ensure_state(!has_duplicates(&committers), "duplicate committer")?;
		}
		for (repo, info) in Repositories::<T>::iter() {
			let maintainers = Maintainers::<T>::get(&repo);
			ensure_state(
				!maintainers.contains(&info.owner),
				"owner listed as maintainer",
			)?;
			ensure_state(!has_duplicates(&maintainers), "duplicate maintainer")?;
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
		for (repo, pending) in PendingOwners::<T>::iter() {
			let info = Repositories::<T>::get(&repo).ok_or("transfer of a missing repository")?;
			ensure_state(info.owner != pending, "repository offered to its owner")?;
		}
		for (id, yank) in Yanked::<T>::iter() {
			ensure_state(Versions::<T>::contains_key(id), "yanked version missing")?;
			ensure_state(
				yank.by.maintainer().is_some() || yank.deposit.is_zero(),
				"governance yank holds a deposit",
			)?;
		}
		Ok(())
	}

	/// Every version has an index entry that agrees with its manifest and counts the aliases
	/// pointing at it; no alias points at a version a maintainer yanked (governance may yank
	/// a version that aliases point at, and a maintainer one that only protected aliases do).
	fn check_version_metas() -> Result<(), TryRuntimeError> {
		let mut targets: BTreeMap<VersionId, u32> = BTreeMap::new();
		for (_, alias, id) in Aliases::<T>::iter() {
			ensure_state(
				Yanked::<T>::get(id).is_none_or(|yank| {
					yank.by == Yanker::Governance
						|| T::AliasGuard::yanked_while_protected(&id, &alias)
				}),
				"alias points at a version a maintainer yanked",
			)?;
			let count = targets.entry(id).or_default();
			*count = count.saturating_add(1);
		}
		let has_roots = Pallet::<T>::on_chain_storage_version() >= 4;
		for (id, record) in Versions::<T>::iter() {
			let meta = VersionMetas::<T>::get(id).ok_or("version without index entry")?;
			ensure_state(
				meta.repository == record.manifest.repository
					&& meta.parents == record.manifest.parents,
				"index entry differs from the manifest",
			)?;
			ensure_state(
				meta.aliases == targets.get(&id).copied().unwrap_or(0),
				"alias count differs from the aliases",
			)?;
			// Storage version 4 wrote the roots; the earlier migrations' checks run before it.
			ensure_state(
				!has_roots
					|| ArtifactRoots::<T>::get(id) == Some(VersionRoots::of(&record.manifest)),
				"artifact roots differ from the manifest",
			)?;
		}
		for id in VersionMetas::<T>::iter_keys() {
			ensure_state(
				Versions::<T>::contains_key(id),
				"index entry without version",
			)?;
		}
		for id in ArtifactRoots::<T>::iter_keys() {
			ensure_state(
				Versions::<T>::contains_key(id),
				"artifact roots without version",
			)?;
		}
		Ok(())
	}

	/// Every alias's history is numbered `0..count` without gaps.
	fn check_alias_history() -> Result<(), TryRuntimeError> {
		let mut entries: BTreeMap<(RepoName, AliasName), u32> = BTreeMap::new();
		for ((repo, alias), n, _) in AliasHistory::<T>::iter() {
			ensure_state(
				n < AliasMoveCount::<T>::get(&repo, &alias),
				"alias history entry beyond its count",
			)?;
			let seen = entries.entry((repo, alias)).or_default();
			*seen = seen.saturating_add(1);
		}
		for (repo, alias, count) in AliasMoveCount::<T>::iter() {
			ensure_state(
				entries.get(&(repo, alias)).copied().unwrap_or(0) == count,
				"alias history has a gap",
			)?;
		}
		Ok(())
	}

	/// What is held from each account, per reason, equals the deposits recorded for it.
	fn check_deposits() -> Result<(), TryRuntimeError> {
		let mut recorded: BTreeMap<(u8, T::AccountId), BalanceOf<T>> = BTreeMap::new();
		let mut add = |reason: HoldReason, who: T::AccountId, amount: BalanceOf<T>| {
			let total = recorded
				.entry((reason as u8, who))
				.or_insert_with(Zero::zero);
			*total = total.saturating_add(amount);
		};
		for (_, info) in Repositories::<T>::iter() {
			add(HoldReason::Repository, info.depositor, info.deposit);
		}
		for (_, record) in Versions::<T>::iter() {
			add(HoldReason::Version, record.committer, record.deposit);
		}
		for (_, mirrors) in Mirrors::<T>::iter() {
			for mirror in mirrors {
				add(HoldReason::Mirror, mirror.added_by, mirror.deposit);
			}
		}
		for (_, _, alias_move) in AliasHistory::<T>::iter() {
			add(HoldReason::Alias, alias_move.who, alias_move.deposit);
		}
		for (_, yank) in Yanked::<T>::iter() {
			if let Yanker::Maintainer(by) = yank.by {
				add(HoldReason::Yank, by, yank.deposit);
			}
		}
		let reasons = [
			HoldReason::Repository,
			HoldReason::Version,
			HoldReason::Alias,
			HoldReason::Mirror,
			HoldReason::Yank,
		];
		for reason in reasons {
			for ((_, who), amount) in recorded.iter().filter(|((r, _), _)| *r == reason as u8) {
				ensure_state(
					T::Currency::balance_on_hold(&reason.into(), who) == *amount,
					"held deposit differs from the recorded deposits",
				)?;
			}
		}
		Ok(())
	}
}

fn has_duplicates<A: Ord + Clone>(list: &[A]) -> bool {
	let mut sorted = list.to_vec();
	sorted.sort();
	sorted.windows(2).any(|w| matches!(w, [a, b] if a == b))
}

fn ensure_state(condition: bool, message: &'static str) -> Result<(), TryRuntimeError> {
	if condition {
		Ok(())
	} else {
		Err(message.into())
	}
}
