//! Records the registry pallet stores and its runtime API returns.

use crate::{
	deposit::Footprint,
	manifest::{AliasName, Manifest, Parent, Reason, Relation, RepoName, StorageUri, MAX_PARENTS},
	version_id::VersionId,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	sp_core::{bounded::BoundedVec, ConstU32},
	sp_weights::Weight,
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// A role in a repository.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum Role {
	/// Manages roles and may do everything a maintainer does. Exactly one per repository.
	Owner,
	/// Commits versions, moves aliases, yanks and unyanks, adds and removes mirrors, and
	/// manages the repository's offers, contributors, licenses and metering accounts.
	Maintainer,
	/// Commits versions and adds mirrors, and nothing else: a key for CI that holds no power
	/// over aliases, yanks or money.
	Committer,
}

/// An immutable record of a committed version.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Serialize, Deserialize,
)]
pub struct VersionRecord<AccountId, Balance, BlockNumber, Moment> {
	/// The manifest as committed.
	pub manifest: Manifest,
	/// The account that submitted the commit (and paid the deposit).
	pub committer: AccountId,
	/// The author: the signer of the version id when a signature was given, else the committer.
	pub author: AccountId,
	/// Whether `author` proved authorship with a signature over the version id.
	pub author_signed: bool,
	/// The block that included the commit.
	pub block: BlockNumber,
	/// The block's timestamp (milliseconds since the Unix epoch).
	pub timestamp: Moment,
	/// The deposit held from the committer.
	pub deposit: Balance,
	/// Position of this version in its repository, from 0.
	pub index: u32,
}

/// The small part of a version that calls other than `commit_version` need: its repository,
/// its parents and how many aliases point at it. Stored beside the full [`VersionRecord`], so
/// that yanking, aliases, mirrors, lineage walks and licensing never decode an artifact list
/// (up to about 1.5 MB).
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct VersionMeta {
	/// The repository the version belongs to.
	pub repository: RepoName,
	/// The parents the manifest declares, in its order.
	pub parents: BoundedVec<Parent, ConstU32<MAX_PARENTS>>,
	/// How many of the repository's aliases point at the version now.
	pub aliases: u32,
}

impl VersionMeta {
	/// The index entry of a manifest that no alias points at yet.
	pub fn of(manifest: &Manifest) -> Self {
		Self {
			repository: manifest.repository.clone(),
			parents: manifest.parents.clone(),
			aliases: 0,
		}
	}
}

/// Domain of an author signature: the signer claims authorship of a version on one chain.
pub const AUTHOR_SIGNATURE_DOMAIN: &[u8] = b"owh:author-version:v1:";

/// Length of [`author_payload`]: the domain, a 32-byte genesis hash and a 32-byte version id.
pub const AUTHOR_PAYLOAD_LEN: usize = AUTHOR_SIGNATURE_DOMAIN.len() + 64;

/// The message an author signs to claim `version` on the chain whose genesis hash is
/// `genesis`: `b"owh:author-version:v1:" ‖ genesis_hash ‖ version_id`. The genesis hash binds
/// the signature to one chain, so it cannot be replayed on a testnet, a fork or another
/// network that holds the same repository name; the domain says what the signer meant.
pub fn author_payload(genesis: &[u8; 32], version: &VersionId) -> [u8; AUTHOR_PAYLOAD_LEN] {
	let mut payload = [0u8; AUTHOR_PAYLOAD_LEN];
	let (domain, rest) = payload.split_at_mut(AUTHOR_SIGNATURE_DOMAIN.len());
	domain.copy_from_slice(AUTHOR_SIGNATURE_DOMAIN);
	let (genesis_part, id_part) = rest.split_at_mut(32);
	genesis_part.copy_from_slice(genesis);
	id_part.copy_from_slice(version.as_bytes());
	payload
}

/// `payload` wrapped as polkadot.js and wallet extensions sign raw bytes:
/// `<Bytes>` ‖ payload ‖ `</Bytes>`.
pub fn wrapped_payload(payload: &[u8]) -> Vec<u8> {
	[b"<Bytes>".as_slice(), payload, b"</Bytes>".as_slice()].concat()
}

/// Who yanked a version.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum Yanker<AccountId> {
	/// A maintainer of the repository, from whom the yank deposit is held until the unyank.
	Maintainer(AccountId),
	/// Governance (a referendum or a council motion), as a security advisory. It holds no
	/// deposit, and only governance can withdraw it.
	Governance,
}

impl<AccountId> Yanker<AccountId> {
	/// The maintainer who yanked, if a maintainer did.
	pub fn maintainer(&self) -> Option<&AccountId> {
		match self {
			Self::Maintainer(who) => Some(who),
			Self::Governance => None,
		}
	}
}

impl<AccountId: core::fmt::Display> core::fmt::Display for Yanker<AccountId> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Maintainer(who) => who.fmt(f),
			Self::Governance => f.write_str("governance"),
		}
	}
}

/// Why and by whom a version was yanked.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct YankInfo<AccountId, Balance, BlockNumber> {
	/// Who yanked it.
	pub by: Yanker<AccountId>,
	/// The deposit held for this record.
	pub deposit: Balance,
	/// The block of the yank.
	pub block: BlockNumber,
	/// The reason given.
	pub reason: Reason,
}

/// A mirror added to a version after it was committed. The mirror holds every artifact of the
/// version as `<uri>/<sha256 hex>`, optionally with its chunk leaves as `<uri>/<sha256 hex>.leaves`.
/// Mirrors live beside the version record, so adding one never changes the version id.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct Mirror<AccountId, Balance, BlockNumber> {
	/// The mirror's base URI, e.g. `s3://bucket/models` or `https://host/v1/blobs`.
	pub uri: StorageUri,
	/// Who added it; the deposit is held from this account.
	pub added_by: AccountId,
	/// The deposit held.
	pub deposit: Balance,
	/// The block that added it.
	pub block: BlockNumber,
}

/// One move of an alias. The history of moves is append-only.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Serialize, Deserialize,
)]
pub struct AliasMove<AccountId, Balance, BlockNumber, Moment> {
	/// Who moved it, from whom the deposit is held (for good: the history is permanent).
	pub who: AccountId,
	/// The deposit held for this entry.
	pub deposit: Balance,
	/// The block of the move.
	pub block: BlockNumber,
	/// The block's timestamp.
	pub timestamp: Moment,
	/// The version it pointed to before, if any.
	pub from: Option<VersionId>,
	/// The version it points to after, or `None` when it was removed.
	pub to: Option<VersionId>,
}

/// A reference to a version within a repository.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum VersionRef {
	/// Whatever the alias points to now.
	Alias(AliasName),
	/// This exact version, which must belong to the repository.
	Id(VersionId),
}

/// A version with its current yank status, as the runtime API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, Serialize, Deserialize)]
pub struct VersionInfo<AccountId, Balance, BlockNumber, Moment> {
	/// The version id.
	pub id: VersionId,
	/// The immutable record.
	pub record: VersionRecord<AccountId, Balance, BlockNumber, Moment>,
	/// Set while the version is yanked.
	pub yanked: Option<YankInfo<AccountId, Balance, BlockNumber>>,
	/// Mirrors added after the commit, besides the URIs in the manifest.
	pub mirrors: Vec<Mirror<AccountId, Balance, BlockNumber>>,
}

/// A repository, as the runtime API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, Serialize, Deserialize)]
pub struct RepositoryView<AccountId, Balance, BlockNumber> {
	/// The repository name.
	pub name: RepoName,
	/// The owner.
	pub owner: AccountId,
	/// Maintainers other than the owner.
	pub maintainers: Vec<AccountId>,
	/// Committers: they may only commit versions and add mirrors.
	pub committers: Vec<AccountId>,
	/// The block that created it.
	pub created: BlockNumber,
	/// Number of committed versions.
	pub version_count: u32,
	/// The deposit held for the repository.
	pub deposit: Balance,
	/// The account the owner offered the repository to, until it accepts.
	pub pending_owner: Option<AccountId>,
	/// Current aliases.
	pub aliases: Vec<(AliasName, VersionId)>,
}

/// One edge found by a lineage walk.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, Serialize, Deserialize)]
pub struct LineageEdge {
	/// The parent side of the edge.
	pub parent: VersionId,
	/// The child side of the edge.
	pub child: VersionId,
	/// How the child derives from the parent.
	pub relation: Relation,
	/// Distance from the start of the walk: 1 for direct parents or children.
	pub depth: u32,
}

/// A page of a version's direct children, by id.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, Serialize, Deserialize)]
pub struct ChildPage {
	/// `(child, relation)` pairs, by ascending child id.
	pub items: Vec<(VersionId, Relation)>,
	/// Pass as `cursor` to get the next page; `None` when this was the last one.
	pub next_cursor: Option<VersionId>,
}

/// A page of a repository's versions, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, Serialize, Deserialize)]
pub struct VersionPage {
	/// `(index, id)` pairs, by descending index.
	pub items: Vec<(u32, VersionId)>,
	/// Pass as `cursor` to get the next page; `None` when this was the last one.
	pub next_cursor: Option<u32>,
}

/// What other pallets record about a version when the registry commits it. The registry adds
/// the returned footprint to the version's deposit, so the committer pays for what is stored.
pub trait OnVersionCommitted {
	/// Called once per committed version, after its checks pass and before its deposit is
	/// held (an error there undoes what this wrote). `parents` are the version's parents with
	/// their repositories. Returns what it stored.
	fn on_version_committed(version: &VersionId, parents: &[(VersionId, RepoName)]) -> Footprint;

	/// The most weight [`Self::on_version_committed`] takes for a version with `parents`
	/// parents.
	fn weight(parents: u32) -> Weight;
}

impl OnVersionCommitted for () {
	fn on_version_committed(_: &VersionId, _: &[(VersionId, RepoName)]) -> Footprint {
		Footprint::default()
	}

	fn weight(_: u32) -> Weight {
		Weight::zero()
	}
}
