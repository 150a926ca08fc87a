//! Runtime API of the OpenWeightHub model registry.
//!
//! Clients (the `owh` CLI, polkadot.js apps) call it through `state_call`; its types are in the
//! runtime metadata, so no custom RPC type definitions are needed.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use owh_primitives::{
	registry::{
		AliasMove, ChildPage, LineageEdge, RepositoryView, VersionInfo, VersionPage, VersionRef,
	},
	AliasName, RepoName, VersionId,
};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Read access to repositories, versions, aliases and lineage.
	///
	/// Version 2: `descendants` became `children`, a paged list of direct children (fan-out
	/// is unbounded); alias moves carry their deposit; repositories show a pending owner.
	#[api_version(2)]
	pub trait RegistryApi<AccountId, Balance, BlockNumber, Moment>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
		Moment: Codec,
	{
		/// A version and its yank status.
		fn version(id: VersionId) -> Option<VersionInfo<AccountId, Balance, BlockNumber, Moment>>;
		/// A repository with its roles and aliases.
		fn repository(repo: RepoName) -> Option<RepositoryView<AccountId, Balance, BlockNumber>>;
		/// A repository's versions, newest first. `cursor` is the `next_cursor` of the previous
		/// page (or `None` for the first); `limit` is capped by the runtime.
		fn versions(repo: RepoName, cursor: Option<u32>, limit: u32) -> VersionPage;
		/// The version an alias points to, or the id itself if it belongs to the repository.
		fn resolve(repo: RepoName, reference: VersionRef) -> Option<VersionId>;
		/// Parents, grandparents, … up to `max_depth` (capped by the runtime), breadth first.
		fn ancestors(id: VersionId, max_depth: u32) -> Vec<LineageEdge>;
		/// A page of a version's direct children, by id, after `cursor` (the `next_cursor` of
		/// the previous page, or `None` for the first); `limit` is capped by the runtime.
		/// Walk deeper by paging each child's children.
		fn children(id: VersionId, cursor: Option<VersionId>, limit: u32) -> ChildPage;
		/// Every move of an alias, oldest first (capped by the runtime).
		fn alias_history(repo: RepoName, alias: AliasName) -> Vec<AliasMove<AccountId, Balance, BlockNumber, Moment>>;
	}
}
