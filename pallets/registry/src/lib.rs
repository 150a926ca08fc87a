//! # Registry Pallet
//!
//! The OpenWeightHub model registry: repositories with roles, immutable model versions with
//! lineage, movable aliases with an append-only history, and yanking.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the [`Config`](pallet::Config), the dispatchable calls
//! ([`Call`](pallet::Call)), the [`Event`](pallet::Event)s and the [`Error`](pallet::Error)s.
//! Reads go through the runtime API in the `pallet-registry-runtime-api` crate, implemented
//! by the functions in [`features::query`].
//!
//! ## Overview
//!
//! - A **repository** (`acme/llama-3-8b`) has one owner and up to `MaxMaintainers`
//!   maintainers. The owner manages roles; maintainers commit, move aliases and yank.
//! - A **version** is a [`Manifest`]: hashes, chunk Merkle roots and storage URIs of every
//!   artifact, plus parents, metrics, license and tags. Its id is the SHA-256 of its canonical
//!   encoding. A version is never changed or deleted; a bad one is **yanked**.
//! - **Lineage** links each version to its parents, in any repository, and indexes the
//!   reverse edges with unbounded fan-out (a `(parent, child)` map).
//! - An **alias** (`production`, `staging`) points at a version; every move is appended to the
//!   alias history and never rewritten.
//! - Every stored item takes a **deposit**, held from the account that stored it. Since
//!   versions and alias history are permanent, so are their deposits.
//! - Besides each full record, a small [`VersionMeta`] (repository, parents, alias count) is
//!   indexed, so every call except `commit_version` works without decoding an artifact list.
//!   A version that an alias points at cannot be yanked, and a yanked version cannot become an
//!   alias target, so an alias never points at a yanked version.
//! - An **author signature** covers [`author_payload`]: a domain, this chain's genesis hash and
//!   the version id, so it is valid on this chain only. The `<Bytes>…</Bytes>` wrapping that
//!   polkadot.js and wallet extensions add is accepted too.
//!
//! ### Example
//!
//! ```ignore
//! // Alice creates a repository and commits a version signed by Bob, its author.
//! Registry::create_repository(alice, b"acme/llama".to_vec().try_into()?)?;
//! let id = manifest.version_id();
//! let signature = bob_pair.sign(&author_payload(&genesis_hash, &id));
//! Registry::commit_version(alice, repo, Box::new(manifest), Some(AuthorSignature { author: bob, signature }))?;
//! Registry::set_alias(alice, repo, b"production".to_vec().try_into()?, id)?;
//! ```
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
// Code that runs in the runtime must never panic: the wasm build denies the usual sources of
// panics in the modules that hold the pallet's logic. (The FRAME macros in this file expand to
// code that these lints would flag, so they are not set for the whole crate.)
#[cfg_attr(
	not(feature = "std"),
	deny(
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing,
		clippy::arithmetic_side_effects,
		clippy::panic
	)
)]
pub mod features;
#[cfg_attr(
	not(feature = "std"),
	deny(
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing,
		clippy::arithmetic_side_effects,
		clippy::panic
	)
)]
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use owh_primitives::{
		manifest,
		registry::{OnVersionCommitted, Role},
	};
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{fungible::MutateHold, EnsureOrigin, EnsureOriginWithArg, Time},
		},
		frame_system::pallet_prelude::*,
		sp_runtime::traits::{IdentifyAccount, StaticLookup, Verify},
	};

	/// The in-code storage version.
	///
	/// - 0: the first layout.
	/// - 1: adds [`VersionMetas`] ([`migrations::v1`]).
	/// - 2: alias moves and yank records carry their deposit ([`migrations::v2`]).
	/// - 3: a yank record says whether a maintainer or governance made it ([`migrations::v3`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(4);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// An author's signature over [`author_payload`] of a version id.
	#[derive(
		Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
	)]
	pub struct AuthorSignature<AccountId, Signature> {
		/// The author, who signed.
		pub author: AccountId,
		/// sr25519, ed25519 or ecdsa signature over [`author_payload`] (domain, genesis hash,
		/// version id), raw or wrapped in `<Bytes>…</Bytes>`.
		pub signature: Signature,
	}

	/// Configuration of the registry pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The currency deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The clock that timestamps commits and alias moves.
		type Time: Time;

		/// Signature an author may give over a version id.
		type Signature: Verify<Signer = Self::Signer>
			+ Parameter
			+ DecodeWithMemTracking
			+ MaxEncodedLen;

		/// The public key behind [`Config::Signature`], which identifies an account.
		type Signer: IdentifyAccount<AccountId = Self::AccountId>;

		/// Who may create a repository of a given name; its success value is the owner.
		type CreateOrigin: EnsureOriginWithArg<
			Self::RuntimeOrigin,
			RepoName,
			Success = Self::AccountId,
		>;

		/// Deposit per storage entry an item adds. Every item's deposit is
		/// `DepositPerItem × entries + DepositPerByte × encoded bytes` of its keys and values
		/// ([`owh_primitives::deposit::Footprint`]).
		#[pallet::constant]
		type DepositPerItem: Get<BalanceOf<Self>>;

		/// Deposit per encoded byte of an item's keys and values.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Most mirrors added to one version after its commit.
		#[pallet::constant]
		type MaxMirrors: Get<u32>;

		/// Most artifacts in one version (at most [`manifest::MAX_ARTIFACTS`]).
		#[pallet::constant]
		type MaxArtifacts: Get<u32>;

		/// Most parents of one version (at most [`manifest::MAX_PARENTS`]).
		#[pallet::constant]
		type MaxParents: Get<u32>;

		/// Most maintainers of one repository, besides its owner; also the most committers.
		#[pallet::constant]
		type MaxMaintainers: Get<u32>;

		/// Deepest lineage walk the runtime API performs.
		#[pallet::constant]
		type MaxLineageDepth: Get<u32>;

		/// Most items one runtime API call returns (lineage edges, versions, alias moves).
		#[pallet::constant]
		type MaxQueryResults: Get<u32>;

		/// Weight per encoded byte of a committed manifest, for the work that grows with the
		/// extrinsic's length outside the call's benchmark: decoding it from the block,
		/// hashing its signed payload, and the extrinsics and state roots over it and over the
		/// stored record. The runtime sets it from `owh-node benchmark block` on blocks full of
		/// the largest commits (`scripts/bench-block.sh`, `docs/benchmarks.md`).
		#[pallet::constant]
		type ManifestByteWeight: Get<Weight>;

		/// What other pallets record about a version when it is committed (the licensing
		/// pallet snapshots the royalty rates of its parents). Its footprint is added to the
		/// version's deposit and its weight to `commit_version`'s.
		type OnVersionCommitted: OnVersionCommitted;

		/// Asked before an alias moves and told when a version is yanked (the promotion
		/// pallet's gates). Its weights are added to those of `set_alias`, `remove_alias`,
		/// `yank_version` and `force_yank_version`.
		type AliasGuard: AliasGuard<Self::AccountId>;

		/// Who may force registry actions that override maintainers: force-yank and
		/// force-unyank a version, force-transfer a repository. The OpenWeightHub runtime sets
		/// it to governance (the `registry_admin` track or a council motion).
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A repository's deposit.
		Repository,
		/// A version's deposit.
		Version,
		/// An alias move's deposit.
		Alias,
		/// A mirror's deposit.
		Mirror,
		/// A yank record's deposit.
		Yank,
	}

	/// Repositories by name.
	#[pallet::storage]
	pub type Repositories<T: Config> =
		StorageMap<_, Blake2_128Concat, RepoName, RepositoryInfoOf<T>, OptionQuery>;

	/// Maintainers of each repository, besides the owner.
	#[pallet::storage]
	pub type Maintainers<T: Config> =
		StorageMap<_, Blake2_128Concat, RepoName, MaintainersOf<T>, ValueQuery>;

	/// A pending ownership transfer: the account the owner offered the repository to, which
	/// becomes the owner when it accepts.
	#[pallet::storage]
	pub type PendingOwners<T: Config> =
		StorageMap<_, Blake2_128Concat, RepoName, T::AccountId, OptionQuery>;

	/// Committers of each repository: accounts that may commit versions and add mirrors, and
	/// nothing else. An account holds one role at most.
	#[pallet::storage]
	pub type Committers<T: Config> =
		StorageMap<_, Blake2_128Concat, RepoName, MaintainersOf<T>, ValueQuery>;

	/// Every committed version, by id. Entries are never changed or removed.
	#[pallet::storage]
	pub type Versions<T: Config> =
		StorageMap<_, Identity, VersionId, VersionRecordOf<T>, OptionQuery>;

	/// The small index entry of every committed version: repository, parents and the number
	/// of aliases pointing at it. Written with the version; only the alias count changes.
	#[pallet::storage]
	pub type VersionMetas<T: Config> = StorageMap<_, Identity, VersionId, VersionMeta, OptionQuery>;

	/// Every committed version's artifact commitments (size, chunk size, Merkle root; 44 bytes
	/// per artifact), for storage proofs. Written with the version, never changed.
	#[pallet::storage]
	pub type ArtifactRoots<T: Config> =
		StorageMap<_, Identity, VersionId, VersionRoots, OptionQuery>;

	/// A repository's versions in commit order: `(repo, index) -> id`.
	#[pallet::storage]
	pub type RepoVersions<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, RepoName, Twox64Concat, u32, VersionId, OptionQuery>;

	/// Reverse lineage: `(parent, child) -> relation`. Fan-out is unbounded by design.
	#[pallet::storage]
	pub type Children<T: Config> = StorageDoubleMap<
		_,
		Identity,
		VersionId,
		Identity,
		VersionId,
		owh_primitives::Relation,
		OptionQuery,
	>;

	/// Yanked versions and why. Removed on unyank; the version itself stays.
	#[pallet::storage]
	pub type Yanked<T: Config> = StorageMap<_, Identity, VersionId, YankInfoOf<T>, OptionQuery>;

	/// Mirrors added to a version after its commit. The version record itself never changes.
	#[pallet::storage]
	pub type Mirrors<T: Config> = StorageMap<_, Identity, VersionId, MirrorsOf<T>, ValueQuery>;

	/// Current aliases: `(repo, alias) -> version`.
	#[pallet::storage]
	pub type Aliases<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		RepoName,
		Blake2_128Concat,
		AliasName,
		VersionId,
		OptionQuery,
	>;

	/// Number of moves of each alias so far.
	#[pallet::storage]
	pub type AliasMoveCount<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		RepoName,
		Blake2_128Concat,
		AliasName,
		u32,
		ValueQuery,
	>;

	/// Append-only alias history: `((repo, alias), n) -> move`.
	#[pallet::storage]
	pub type AliasHistory<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		(RepoName, AliasName),
		Twox64Concat,
		u32,
		AliasMoveOf<T>,
		OptionQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A repository was created.
		RepositoryCreated {
			/// The new repository.
			repo: RepoName,
			/// Its owner.
			owner: T::AccountId,
			/// The deposit held from the owner.
			deposit: BalanceOf<T>,
		},
		/// A role was granted.
		RoleGranted {
			/// The repository.
			repo: RepoName,
			/// Who received the role.
			who: T::AccountId,
			/// The role.
			role: Role,
		},
		/// A role was revoked or renounced.
		RoleRevoked {
			/// The repository.
			repo: RepoName,
			/// Who lost the role.
			who: T::AccountId,
			/// The role.
			role: Role,
		},
		/// The owner offered the repository to another account, which must accept it.
		OwnershipOffered {
			/// The repository.
			repo: RepoName,
			/// The owner.
			from: T::AccountId,
			/// The account it is offered to.
			to: T::AccountId,
		},
		/// The owner withdrew a pending ownership offer.
		OwnershipOfferWithdrawn {
			/// The repository.
			repo: RepoName,
			/// The account it had been offered to.
			to: T::AccountId,
		},
		/// The owner of a repository changed: the new owner accepted it and now holds the
		/// repository deposit.
		OwnershipTransferred {
			/// The repository.
			repo: RepoName,
			/// The previous owner.
			from: T::AccountId,
			/// The new owner.
			to: T::AccountId,
		},
		/// A version was committed.
		VersionCommitted {
			/// The repository.
			repo: RepoName,
			/// The new version's id.
			version: VersionId,
			/// Its index in the repository.
			index: u32,
			/// Who submitted it and paid the deposit.
			committer: T::AccountId,
			/// Its author (the signer, or the committer when unsigned).
			author: T::AccountId,
			/// Number of parents it declares.
			parents: u32,
			/// The deposit held from the committer.
			deposit: BalanceOf<T>,
		},
		/// An alias was set or moved.
		AliasSet {
			/// The repository.
			repo: RepoName,
			/// The alias.
			alias: AliasName,
			/// What it pointed to before, if anything.
			from: Option<VersionId>,
			/// What it points to now.
			to: VersionId,
			/// Who moved it.
			who: T::AccountId,
		},
		/// An alias was removed.
		AliasRemoved {
			/// The repository.
			repo: RepoName,
			/// The alias.
			alias: AliasName,
			/// What it pointed to.
			from: VersionId,
			/// Who removed it.
			who: T::AccountId,
		},
		/// A version was yanked: installs refuse it unless the user insists.
		VersionYanked {
			/// The repository.
			repo: RepoName,
			/// The yanked version.
			version: VersionId,
			/// Who yanked it.
			who: T::AccountId,
			/// Why.
			reason: Reason,
		},
		/// A yank was withdrawn.
		VersionUnyanked {
			/// The repository.
			repo: RepoName,
			/// The version.
			version: VersionId,
			/// Who withdrew the yank.
			who: T::AccountId,
		},
		/// Governance yanked a version as a security advisory. Only governance can withdraw it.
		VersionForceYanked {
			/// The repository.
			repo: RepoName,
			/// The yanked version.
			version: VersionId,
			/// Why: the advisory that installs show.
			reason: Reason,
			/// The maintainer whose earlier yank it replaced (their deposit was released).
			replaced: Option<T::AccountId>,
		},
		/// Governance withdrew a yank, its own or a maintainer's.
		VersionForceUnyanked {
			/// The repository.
			repo: RepoName,
			/// The version.
			version: VersionId,
		},
		/// Governance moved a repository to a new owner (a squatted name, a lost key).
		RepositoryForceTransferred {
			/// The repository.
			repo: RepoName,
			/// The previous owner.
			from: T::AccountId,
			/// The new owner, who now holds the repository deposit.
			to: T::AccountId,
		},
		/// A mirror was added to a version.
		MirrorAdded {
			/// The repository.
			repo: RepoName,
			/// The version.
			version: VersionId,
			/// The mirror's base URI.
			uri: StorageUri,
			/// Who added it.
			who: T::AccountId,
			/// The deposit held from `who`.
			deposit: BalanceOf<T>,
		},
		/// A mirror was removed from a version, and its deposit released.
		MirrorRemoved {
			/// The repository.
			repo: RepoName,
			/// The version.
			version: VersionId,
			/// The mirror's base URI.
			uri: StorageUri,
			/// Who removed it.
			who: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The repository name is invalid. Use 3–64 lower-case letters, digits, `-`, `_`, `.`,
		/// optionally one `/` (`acme/llama-3-8b`); each part starts and ends with a letter or
		/// digit.
		InvalidRepositoryName,
		/// A repository with this name exists. Pick another name.
		RepositoryExists,
		/// No repository has this name. Check the spelling, or create it first.
		UnknownRepository,
		/// Only the repository owner may do this. Ask the owner, or sign with the owner key.
		NotOwner,
		/// Only the owner or a maintainer may do this. Ask the owner to grant you the
		/// maintainer role.
		NotMaintainer,
		/// The account already has this role.
		AlreadyMaintainer,
		/// Only the owner, a maintainer or a committer may do this. Ask the owner to grant you
		/// the committer role (`owh repo grant <repo> <account> --role committer`).
		NotCommitter,
		/// The account does not have the role being revoked.
		NotAMaintainerOfRepository,
		/// The repository has the most maintainers (or committers) allowed. Revoke one first.
		TooManyMaintainers,
		/// The owner role moves only with `transfer_ownership`, and cannot be revoked.
		UseTransferOwnership,
		/// The account already owns the repository (and no transfer is pending to withdraw).
		AlreadyOwner,
		/// The repository is not being transferred to this account. Ask the owner to offer it
		/// with `owh repo transfer <repo> <account>`, then accept with the same account.
		NotPendingOwner,
		/// The manifest's format version is not the one new versions must use (2: chunk leaves
		/// are the roots of 4 KiB segments). Use the current `owh` client.
		UnsupportedManifestFormat,
		/// The manifest names another repository than the call. Commit it to the repository it
		/// names.
		RepositoryMismatch,
		/// A version needs at least one artifact.
		NoArtifacts,
		/// More artifacts than `MaxArtifacts`. Bundle small files, or split the model.
		TooManyArtifacts,
		/// More parents than `MaxParents`. Keep the most significant parents.
		TooManyParents,
		/// A chunk size is not a power of two between 4 KiB and 16 MiB.
		BadChunkSize,
		/// An artifact path is empty, absolute, contains `.`/`..`/empty segments, a backslash, a
		/// colon or a control character. Use relative `/`-separated paths.
		UnsafePath,
		/// Artifact paths must be strictly sorted (byte order) with no duplicates.
		UnsortedPaths,
		/// A storage URI must be `scheme:rest` in printable ASCII without spaces.
		BadStorageUri,
		/// Parents must be strictly sorted by version id with no duplicates.
		UnsortedParents,
		/// Metrics must be strictly sorted by name, with names of letters, digits, `-_./`.
		BadMetrics,
		/// Tags must be strictly sorted by key, with keys of letters, digits, `-_./` and
		/// printable values.
		BadTags,
		/// The license must be a non-empty SPDX expression.
		BadLicense,
		/// The message, media types and tool version must be printable UTF-8.
		BadText,
		/// A parent version is not registered. Commit or reference an existing version.
		UnknownParent,
		/// This exact manifest is already registered. Change the manifest (e.g. the message) to
		/// make a new version, or use the existing one.
		DuplicateVersion,
		/// The author signature does not verify against the author, this chain and the version
		/// id. Sign the payload `owh author-payload <version>` prints for this chain (domain,
		/// genesis hash, version id) with the author's key.
		BadSignature,
		/// The account cannot cover the deposit. Top it up, or commit a smaller manifest.
		InsufficientBalance,
		/// No version has this id. Check the id, or commit it first.
		UnknownVersion,
		/// The version belongs to another repository.
		VersionNotInRepository,
		/// The alias name is invalid. Use 1–32 lower-case letters, digits, `-`, `_`, `.`.
		InvalidAliasName,
		/// The repository has no such alias.
		UnknownAlias,
		/// The alias already points to this version.
		AliasUnchanged,
		/// The version is yanked; an alias cannot point at it. Unyank it first, or pick
		/// another version.
		VersionIsYanked,
		/// Unprotected aliases point at the version. Move or remove them (`owh alias set` /
		/// `owh alias rm`) before yanking it, so that no such alias points at a yanked version.
		VersionHasAliases,
		/// The version is already yanked.
		AlreadyYanked,
		/// The version is not yanked.
		NotYanked,
		/// The version already lists this mirror.
		MirrorExists,
		/// The version has `MaxMirrors` mirrors. Remove a dead one first.
		TooManyMirrors,
		/// The version lists no such mirror. Check the URI with `owh show`.
		UnknownMirror,
		/// A counter would overflow.
		Overflow,
		/// Governance yanked this version as a security advisory; only governance can withdraw
		/// it (`owh gov propose unyank`). Read the reason with `owh show`.
		YankedByGovernance,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxArtifacts::get() >= 1 && T::MaxArtifacts::get() <= manifest::MAX_ARTIFACTS,
				"MaxArtifacts must be within 1..=owh_primitives::MAX_ARTIFACTS"
			);
			assert!(
				T::MaxParents::get() <= manifest::MAX_PARENTS,
				"MaxParents must not exceed owh_primitives::MAX_PARENTS"
			);
			assert!(
				T::MaxLineageDepth::get() >= 1,
				"MaxLineageDepth must be at least 1"
			);
			assert!(
				T::MaxQueryResults::get() >= 1,
				"MaxQueryResults must be at least 1"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a repository owned by the caller.
		///
		/// ## Dispatch Origin
		/// `T::CreateOrigin` for this name (a signed account in the OpenWeightHub runtime); its
		/// account becomes the owner.
		///
		/// ## Details
		/// Holds the repository deposit from the owner: its record and, later, its role lists
		/// and a pending transfer, by the deposit rule ([`Config::DepositPerItem`]).
		///
		/// ## Errors
		/// - [`Error::InvalidRepositoryName`]: the name breaks the naming rules.
		/// - [`Error::RepositoryExists`]: the name is taken.
		/// - [`Error::InsufficientBalance`]: the deposit cannot be held.
		///
		/// ## Events
		/// - [`Event::RepositoryCreated`]
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_repository())]
		pub fn create_repository(origin: OriginFor<T>, name: RepoName) -> DispatchResult {
			let owner = T::CreateOrigin::ensure_origin(origin, &name)?;
			Self::do_create_repository(owner, name)
		}

		/// Grant a role in a repository.
		///
		/// ## Dispatch Origin
		/// Signed by the repository owner.
		///
		/// ## Details
		/// [`Role::Maintainer`] or [`Role::Committer`] can be granted; ownership moves with
		/// [`Pallet::transfer_ownership`]. An account holds one role: granting the other role
		/// to a maintainer or committer moves it to that role.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotOwner`]
		/// - [`Error::UseTransferOwnership`]: `role` is `Owner`.
		/// - [`Error::AlreadyOwner`], [`Error::AlreadyMaintainer`], [`Error::TooManyMaintainers`]
		///
		/// ## Events
		/// - [`Event::RoleGranted`]
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::grant_role())]
		pub fn grant_role(
			origin: OriginFor<T>,
			repo: RepoName,
			who: AccountIdLookupOf<T>,
			role: Role,
		) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_grant_role(caller, repo, who, role)
		}

		/// Revoke a role, or renounce one's own role (maintainer or committer).
		///
		/// ## Dispatch Origin
		/// Signed by the repository owner, or by the holder of the role renouncing it.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotOwner`]
		/// - [`Error::UseTransferOwnership`]: `role` is `Owner`.
		/// - [`Error::NotAMaintainerOfRepository`]: `who` does not hold `role`.
		///
		/// ## Events
		/// - [`Event::RoleRevoked`]
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::revoke_role())]
		pub fn revoke_role(
			origin: OriginFor<T>,
			repo: RepoName,
			who: AccountIdLookupOf<T>,
			role: Role,
		) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_revoke_role(caller, repo, who, role)
		}

		/// Offer the repository to a new owner, who takes it with
		/// [`Pallet::accept_ownership`]; or, with `new_owner` the owner itself, withdraw the
		/// pending offer.
		///
		/// ## Dispatch Origin
		/// Signed by the current owner.
		///
		/// ## Details
		/// Nothing changes hands until the new owner accepts, since accepting holds the
		/// repository deposit from them. A new offer replaces a pending one. The pending offer
		/// is a stored item, so the repository deposit grows by its share while it lasts.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotOwner`]
		/// - [`Error::AlreadyOwner`]: `new_owner` is the owner and no offer is pending.
		/// - [`Error::InsufficientBalance`]: the owner cannot hold the larger deposit.
		///
		/// ## Events
		/// - [`Event::OwnershipOffered`], or [`Event::OwnershipOfferWithdrawn`]
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::transfer_ownership())]
		pub fn transfer_ownership(
			origin: OriginFor<T>,
			repo: RepoName,
			new_owner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			let new_owner = T::Lookup::lookup(new_owner)?;
			Self::do_transfer_ownership(caller, repo, new_owner)
		}

		/// Accept a repository offered with [`Pallet::transfer_ownership`] and become its
		/// owner.
		///
		/// ## Dispatch Origin
		/// Signed by the account the repository was offered to.
		///
		/// ## Details
		/// The repository deposit moves with the repository: it is held from the new owner and
		/// released to whoever held it before. A maintainer or committer role of the new owner
		/// is folded into ownership.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`]
		/// - [`Error::NotPendingOwner`]: the repository is not offered to the caller.
		/// - [`Error::InsufficientBalance`]: the caller cannot hold the repository deposit.
		///
		/// ## Events
		/// - [`Event::OwnershipTransferred`]
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::accept_ownership())]
		pub fn accept_ownership(origin: OriginFor<T>, repo: RepoName) -> DispatchResult {
			let new_owner = ensure_signed(origin)?;
			Self::do_accept_ownership(new_owner, repo)
		}

		/// Commit an immutable model version.
		///
		/// ## Dispatch Origin
		/// Signed by the owner, a maintainer or a committer of `repo`.
		///
		/// ## Details
		/// Validates the manifest (bounds, sorted and safe paths, chunk sizes, URIs, license),
		/// checks that every parent exists in any repository and that the version id (SHA-256 of
		/// the SCALE-encoded manifest) is new, and verifies the optional author signature over
		/// [`author_payload`] (bound to this chain's genesis hash), so a CI bot can commit for a
		/// human author. Holds
		/// the deposit for the record, its index entries, one lineage edge per parent and what
		/// [`Config::OnVersionCommitted`] stores (the parents' royalty rates) from the caller,
		/// and records
		/// the committer, author, block and timestamp. Links each parent to the new child.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotCommitter`], [`Error::RepositoryMismatch`]
		/// - Manifest shape: [`Error::UnsupportedManifestFormat`], [`Error::NoArtifacts`],
		///   [`Error::TooManyArtifacts`], [`Error::TooManyParents`], [`Error::BadChunkSize`],
		///   [`Error::UnsafePath`], [`Error::UnsortedPaths`],
		///   [`Error::BadStorageUri`], [`Error::UnsortedParents`], [`Error::BadMetrics`],
		///   [`Error::BadTags`], [`Error::BadLicense`], [`Error::BadText`]
		/// - [`Error::UnknownParent`], [`Error::DuplicateVersion`], [`Error::BadSignature`],
		///   [`Error::InsufficientBalance`], [`Error::Overflow`]
		///
		/// ## Events
		/// - [`Event::VersionCommitted`]
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::commit_version_weight(
			manifest.artifacts.len() as u32,
			manifest.parents.len() as u32,
			author_signature.is_some(),
			manifest.text_len(),
		)
		.saturating_add(T::OnVersionCommitted::weight(manifest.parents.len() as u32))
		.saturating_add(T::ManifestByteWeight::get().saturating_mul(manifest.encoded_size() as u64)))]
		pub fn commit_version(
			origin: OriginFor<T>,
			repo: RepoName,
			manifest: Box<Manifest>,
			author_signature: Option<AuthorSignature<T::AccountId, T::Signature>>,
		) -> DispatchResult {
			let committer = ensure_signed(origin)?;
			Self::do_commit_version(committer, repo, *manifest, author_signature)
		}

		/// Point an alias at a version, recording the move in the alias history.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of `repo`.
		///
		/// ## Details
		/// Holds the deposit for the history entry from the caller; the entry and its deposit
		/// are permanent.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotMaintainer`], [`Error::InvalidAliasName`]
		/// - [`Error::UnknownVersion`], [`Error::VersionNotInRepository`],
		///   [`Error::VersionIsYanked`], [`Error::AliasUnchanged`]
		/// - [`Error::InsufficientBalance`], [`Error::Overflow`]
		/// - the errors of [`Config::AliasGuard`]: a protected alias's gate refuses the version.
		///
		/// ## Events
		/// - [`Event::AliasSet`]
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_alias().saturating_add(T::AliasGuard::move_weight()))]
		pub fn set_alias(
			origin: OriginFor<T>,
			repo: RepoName,
			alias: AliasName,
			version: VersionId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_alias(who, repo, alias, version)
		}

		/// Remove an alias, recording the removal in the alias history.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of `repo`.
		///
		/// ## Details
		/// Holds the deposit for the history entry from the caller, for good.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotMaintainer`], [`Error::UnknownAlias`]
		/// - [`Error::InsufficientBalance`], [`Error::Overflow`]
		/// - the errors of [`Config::AliasGuard`]: a protected alias cannot be removed.
		///
		/// ## Events
		/// - [`Event::AliasRemoved`]
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::remove_alias().saturating_add(T::AliasGuard::move_weight()))]
		pub fn remove_alias(
			origin: OriginFor<T>,
			repo: RepoName,
			alias: AliasName,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_alias(who, repo, alias)
		}

		/// Mark a version as yanked. The version stays registered and verifiable; clients
		/// refuse to install it unless the user insists, and no license can be bought or granted
		/// for it.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of `repo`.
		///
		/// ## Details
		/// Refused while an unprotected alias points at the version: move or remove the alias
		/// first (both calls can go in one `utility.batch_all`). Protected aliases do not stop
		/// a yank (security first): their state is recorded with it ([`Config::AliasGuard`]).
		/// Holds the yank record's deposit from the caller until the version is unyanked.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotMaintainer`], [`Error::UnknownVersion`],
		///   [`Error::VersionNotInRepository`], [`Error::AlreadyYanked`], [`Error::BadText`]
		/// - [`Error::VersionHasAliases`]: an unprotected alias points at the version.
		/// - the errors of [`Config::AliasGuard`] (an unpaid deposit for its record).
		/// - [`Error::InsufficientBalance`]: the caller cannot hold the record's deposit.
		///
		/// ## Events
		/// - [`Event::VersionYanked`]
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::yank_version().saturating_add(T::AliasGuard::yank_weight()))]
		pub fn yank_version(
			origin: OriginFor<T>,
			repo: RepoName,
			version: VersionId,
			reason: Reason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_yank(who, repo, version, reason)
		}

		/// Withdraw a yank, releasing its deposit to whoever yanked.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of `repo`.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotMaintainer`], [`Error::UnknownVersion`],
		///   [`Error::VersionNotInRepository`], [`Error::NotYanked`]
		///
		/// ## Events
		/// - [`Event::VersionUnyanked`]
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::unyank_version())]
		pub fn unyank_version(
			origin: OriginFor<T>,
			repo: RepoName,
			version: VersionId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unyank(who, repo, version)
		}

		/// Record a mirror that holds every artifact of a version, without changing the
		/// version: clients then also fetch from `<uri>/<sha256 hex>`.
		///
		/// ## Dispatch Origin
		/// Signed by the owner, a maintainer or a committer of `repo`.
		///
		/// ## Details
		/// Holds the mirror's deposit from the caller until the mirror is removed. Clients check
		/// every byte against the version's hashes, so a wrong mirror cannot harm them; it only
		/// wastes their time.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotCommitter`], [`Error::UnknownVersion`],
		///   [`Error::VersionNotInRepository`]
		/// - [`Error::BadStorageUri`]: the URI is not `scheme:rest` in printable ASCII.
		/// - [`Error::MirrorExists`], [`Error::TooManyMirrors`], [`Error::InsufficientBalance`]
		///
		/// ## Events
		/// - [`Event::MirrorAdded`]
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::add_mirror())]
		pub fn add_mirror(
			origin: OriginFor<T>,
			repo: RepoName,
			version: VersionId,
			uri: StorageUri,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_mirror(who, repo, version, uri)
		}

		/// Remove a mirror from a version and release its deposit to the account that added
		/// it.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of `repo`.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotMaintainer`], [`Error::UnknownVersion`],
		///   [`Error::VersionNotInRepository`], [`Error::UnknownMirror`]
		///
		/// ## Events
		/// - [`Event::MirrorRemoved`]
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::remove_mirror())]
		pub fn remove_mirror(
			origin: OriginFor<T>,
			repo: RepoName,
			version: VersionId,
			uri: StorageUri,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_mirror(who, repo, version, uri)
		}

		/// Yank a version as a security advisory (malware found in weights, a license
		/// violation): installs refuse it and show `reason`.
		///
		/// ## Dispatch Origin
		/// [`Config::ForceOrigin`]: governance.
		///
		/// ## Details
		/// The version stays registered and verifiable; nothing is deleted or rewritten. Aliases
		/// that point at it keep pointing at it, so installs by alias refuse it with the
		/// advisory instead of silently moving elsewhere. A maintainer's earlier yank is
		/// replaced and its deposit released. The record holds no deposit, and maintainers
		/// cannot withdraw it.
		///
		/// ## Errors
		/// - [`Error::UnknownVersion`]
		/// - [`Error::AlreadyYanked`]: governance already yanked it.
		/// - [`Error::BadText`]: the reason is not UTF-8.
		///
		/// ## Events
		/// - [`Event::VersionForceYanked`]
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::force_yank_version().saturating_add(T::AliasGuard::yank_weight()))]
		pub fn force_yank_version(
			origin: OriginFor<T>,
			version: VersionId,
			reason: Reason,
		) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::do_force_yank(version, reason)
		}

		/// Withdraw any yank of a version, a maintainer's or governance's.
		///
		/// ## Dispatch Origin
		/// [`Config::ForceOrigin`]: governance.
		///
		/// ## Details
		/// A maintainer's yank deposit is released to that maintainer.
		///
		/// ## Errors
		/// - [`Error::UnknownVersion`], [`Error::NotYanked`]
		///
		/// ## Events
		/// - [`Event::VersionForceUnyanked`]
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::force_unyank_version())]
		pub fn force_unyank_version(origin: OriginFor<T>, version: VersionId) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::do_force_unyank(version)
		}

		/// Move a repository to a new owner without the owner's consent (a squatted name, a
		/// lost owner key).
		///
		/// ## Dispatch Origin
		/// [`Config::ForceOrigin`]: governance.
		///
		/// ## Details
		/// Works as if the owner had offered the repository and `new_owner` accepted: the
		/// repository deposit is held from `new_owner` and released to the previous depositor,
		/// a pending offer is dropped, and a role `new_owner` held is folded into ownership.
		/// Versions, aliases and their history are untouched.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`]
		/// - [`Error::AlreadyOwner`]: `new_owner` owns it already.
		/// - [`Error::InsufficientBalance`]: `new_owner` cannot hold the repository deposit;
		///   fund the account first.
		///
		/// ## Events
		/// - [`Event::RepositoryForceTransferred`]
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::force_transfer_repository())]
		pub fn force_transfer_repository(
			origin: OriginFor<T>,
			repo: RepoName,
			new_owner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			let new_owner = T::Lookup::lookup(new_owner)?;
			Self::do_force_transfer_repository(repo, new_owner)
		}
	}

	/// The lookup source of an account.
	pub type AccountIdLookupOf<T> =
		<<T as polkadot_sdk::frame_system::Config>::Lookup as StaticLookup>::Source;
}
