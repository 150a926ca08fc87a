//! Reads behind the registry runtime API. Every result is capped by `MaxQueryResults`, and
//! lineage walks by `MaxLineageDepth`.

use crate::*;
use alloc::{collections::BTreeSet, vec::Vec};
use owh_primitives::registry::{
	ChildPage, LineageEdge, RepositoryView, VersionInfo, VersionPage, VersionRef,
};
use polkadot_sdk::{
	frame_support::pallet_prelude::*, frame_system::pallet_prelude::BlockNumberFor,
};

/// A version as the runtime API returns it.
pub type VersionInfoOf<T> = VersionInfo<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	MomentOf<T>,
>;
/// A repository as the runtime API returns it.
pub type RepositoryViewOf<T> = RepositoryView<
	<T as polkadot_sdk::frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;

impl<T: Config> Pallet<T> {
	/// A version with its yank status.
	pub fn version_info(id: VersionId) -> Option<VersionInfoOf<T>> {
		let record = Versions::<T>::get(id)?;
		Some(VersionInfo {
			id,
			record,
			yanked: Yanked::<T>::get(id),
			mirrors: Mirrors::<T>::get(id).into_inner(),
		})
	}

	/// A repository with its maintainers and current aliases.
	pub fn repository_view(repo: RepoName) -> Option<RepositoryViewOf<T>> {
		let info = Repositories::<T>::get(&repo)?;
		let limit = T::MaxQueryResults::get() as usize;
		let aliases = Aliases::<T>::iter_prefix(&repo).take(limit).collect();
		Some(RepositoryView {
			maintainers: Maintainers::<T>::get(&repo).into_inner(),
			committers: Committers::<T>::get(&repo).into_inner(),
			owner: info.owner,
			created: info.created,
			version_count: info.version_count,
			deposit: info.deposit,
			pending_owner: PendingOwners::<T>::get(&repo),
			aliases,
			name: repo,
		})
	}

	/// A page of a repository's versions, newest first.
	pub fn versions_page(repo: RepoName, cursor: Option<u32>, limit: u32) -> VersionPage {
		let count = Repositories::<T>::get(&repo)
			.map(|info| info.version_count)
			.unwrap_or(0);
		let limit = limit.clamp(1, T::MaxQueryResults::get());
		// `cursor` is exclusive: the page starts just below it.
		let start = cursor.unwrap_or(count).min(count);
		let mut items = Vec::new();
		let mut index = start;
		while index > 0 && (items.len() as u32) < limit {
			index = index.saturating_sub(1);
			if let Some(id) = RepoVersions::<T>::get(&repo, index) {
				items.push((index, id));
			}
		}
		VersionPage {
			items,
			next_cursor: (index > 0).then_some(index),
		}
	}

	/// Resolves an alias or checks that a version id belongs to the repository.
	pub fn resolve(repo: RepoName, reference: VersionRef) -> Option<VersionId> {
		match reference {
			VersionRef::Alias(alias) => Aliases::<T>::get(&repo, &alias),
			VersionRef::Id(id) => VersionMetas::<T>::get(id)
				.filter(|meta| meta.repository == repo)
				.map(|_| id),
		}
	}

	/// Ancestors of a version, breadth first.
	pub fn ancestors(id: VersionId, max_depth: u32) -> Vec<LineageEdge> {
		Self::walk_up(id, max_depth)
	}

	/// A page of a version's direct children, by id, starting after `cursor` (exclusive).
	/// Fan-out is unbounded, so clients page through it; every edge paid a deposit.
	pub fn children(id: VersionId, cursor: Option<VersionId>, limit: u32) -> ChildPage {
		let limit = limit.clamp(1, T::MaxQueryResults::get()) as usize;
		let mut iter = match cursor {
			Some(after) => {
				Children::<T>::iter_prefix_from(id, Children::<T>::hashed_key_for(id, after))
			}
			None => Children::<T>::iter_prefix(id),
		};
		let items: Vec<_> = iter.by_ref().take(limit).collect();
		let more = iter.next().is_some();
		ChildPage {
			next_cursor: if more {
				items.last().map(|(child, _)| *child)
			} else {
				None
			},
			items,
		}
	}

	fn walk_up(start: VersionId, max_depth: u32) -> Vec<LineageEdge> {
		let max_depth = max_depth.min(T::MaxLineageDepth::get());
		let limit = T::MaxQueryResults::get() as usize;
		let mut edges = Vec::new();
		let mut seen = BTreeSet::from([start]);
		let mut frontier = alloc::vec![start];
		let mut depth = 0u32;
		while depth < max_depth && !frontier.is_empty() {
			depth = depth.saturating_add(1);
			let mut next = Vec::new();
			for child in frontier {
				let parents = VersionMetas::<T>::get(child)
					.map(|meta| meta.parents.into_inner())
					.unwrap_or_default();
				for parent in parents {
					if edges.len() >= limit {
						return edges;
					}
					edges.push(LineageEdge {
						parent: parent.version,
						child,
						relation: parent.relation,
						depth,
					});
					if seen.insert(parent.version) {
						next.push(parent.version);
					}
				}
			}
			frontier = next;
		}
		edges
	}

	/// Every move of an alias, oldest first, capped by `MaxQueryResults` (the most recent are
	/// kept when the history is longer).
	pub fn alias_history(repo: RepoName, alias: AliasName) -> Vec<AliasMoveOf<T>> {
		let count = AliasMoveCount::<T>::get(&repo, &alias);
		let first = count.saturating_sub(T::MaxQueryResults::get());
		let key = (repo, alias);
		(first..count)
			.filter_map(|n| AliasHistory::<T>::get(&key, n))
			.collect()
	}
}
