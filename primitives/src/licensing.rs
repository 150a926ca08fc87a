//! Records of the licensing pallet, shared with its runtime API and the `owh` client.
//!
//! An **offer** states the terms under which a model version (or, as a default, every version
//! of a repository) may be used, and at what price. A **license** is an account's record of
//! holding an offer's terms for one version. A version's **contributors** share what a
//! purchase leaves after the royalties owed upstream along the lineage.

use crate::{
	manifest::{Reason, RepoName, StorageUri},
	version_id::VersionId,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_core::{bounded::BoundedVec, ConstU32};
use scale_info::TypeInfo;

pub use polkadot_sdk::sp_arithmetic::{PerThing, Permill};

/// Identifies an offer; assigned in creation order from 0.
pub type OfferId = u32;
/// Identifies a license; assigned in creation order from 0.
pub type LicenseId = u64;

/// Longest SPDX license id of an offer, in bytes.
pub const MAX_SPDX_LEN: u32 = 64;
/// An SPDX license expression, e.g. `Apache-2.0` or `CC-BY-NC-4.0`.
pub type SpdxId = BoundedVec<u8, ConstU32<MAX_SPDX_LEN>>;

/// What an offer applies to.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum OfferTarget {
	/// One version.
	Version(VersionId),
	/// Every version of a repository that has no offer of its own (the repository default).
	Repository(RepoName),
}

/// The license text an offer grants.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum LicenseText {
	/// A license known by its SPDX expression.
	Spdx(SpdxId),
	/// Custom terms: a document, identified by its SHA-256, that can be fetched from `uri`.
	Custom {
		/// SHA-256 of the document.
		sha256: [u8; 32],
		/// Where the document can be fetched.
		uri: StorageUri,
	},
}

/// The terms of an offer, as set by a maintainer.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct OfferTerms<Balance, BlockNumber> {
	/// The license text.
	pub text: LicenseText,
	/// Whether commercial use is allowed.
	pub commercial: bool,
	/// Price of one license, in the smallest unit of the native token. 0 makes the offer free.
	pub price: Balance,
	/// `None`: the price is paid once and the license never expires. `Some(n)`: the license
	/// lasts `n` blocks from its purchase; buying again adds a new license from that block.
	pub period: Option<BlockNumber>,
	/// Most uses a license may report, or `None` for no cap.
	pub usage_cap: Option<u64>,
	/// Whether derivatives (fine-tunes, quantizations, merges) are allowed.
	pub derivatives: bool,
	/// Share of every payment for a derivative that flows to this version. Only counts when
	/// `derivatives` is true.
	pub royalty_rate: Permill,
	/// Whether a maintainer may revoke licenses granted under this offer.
	pub revocable: bool,
}

impl<Balance: Encode, BlockNumber: Encode> OfferTerms<Balance, BlockNumber> {
	/// BLAKE2-256 of the SCALE-encoded terms. A buyer passes the hash of the terms it saw, so a
	/// purchase cannot go through under terms changed after the buyer read them.
	pub fn hash(&self) -> [u8; 32] {
		polkadot_sdk::sp_crypto_hashing::blake2_256(&self.encode())
	}
}

/// A stored offer.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Offer<AccountId, Balance, BlockNumber> {
	/// What it applies to.
	pub target: OfferTarget,
	/// The repository of the target.
	pub repository: RepoName,
	/// Its current terms. Licenses keep the terms they were granted under.
	pub terms: OfferTerms<Balance, BlockNumber>,
	/// The maintainer who created it, and from whom the deposit is held.
	pub creator: AccountId,
	/// The deposit held.
	pub deposit: Balance,
	/// The block that created it.
	pub created: BlockNumber,
	/// The block that retired it, if retired. A retired offer sells nothing new.
	pub retired: Option<BlockNumber>,
	/// Licenses granted or sold under it so far.
	pub licenses: u32,
}

/// What a contributor did for a version.
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
)]
pub enum ContributorRole {
	/// Provided training or evaluation data.
	DataProvider,
	/// Trained or fine-tuned the weights.
	Trainer,
	/// Designed the architecture.
	ArchitectureAuthor,
	/// Anything else (compute, evaluation, packaging).
	Other,
}

/// A contributor to a version and their share of its income.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Contributor<AccountId> {
	/// Who is paid.
	pub account: AccountId,
	/// Their share; the shares of a version sum to exactly 100%.
	pub share: Permill,
	/// What they contributed.
	pub role: ContributorRole,
}

/// Why a contributor list is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SharesError {
	/// The list is empty.
	NoContributors,
	/// The contributor at this position has a share of 0.
	ZeroShare(usize),
	/// The contributor at this position is listed earlier too.
	Duplicate(usize),
	/// The shares sum to this many parts per million instead of 1,000,000.
	NotWhole(u64),
}

/// Checks that a contributor list is non-empty, lists each account once, and has non-zero
/// shares summing to exactly 100%. The pallet and the client apply the same rule.
pub fn check_shares<AccountId: Ord>(
	contributors: &[Contributor<AccountId>],
) -> Result<(), SharesError> {
	if contributors.is_empty() {
		return Err(SharesError::NoContributors);
	}
	let mut seen = alloc::collections::BTreeSet::new();
	let mut total: u64 = 0;
	for (index, contributor) in contributors.iter().enumerate() {
		if contributor.share.is_zero() {
			return Err(SharesError::ZeroShare(index));
		}
		if !seen.insert(&contributor.account) {
			return Err(SharesError::Duplicate(index));
		}
		total = total.saturating_add(u64::from(contributor.share.deconstruct()));
	}
	if total != u64::from(Permill::one().deconstruct()) {
		return Err(SharesError::NotWhole(total));
	}
	Ok(())
}

/// Why and by whom a license was revoked.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Revocation<AccountId, BlockNumber> {
	/// The maintainer who revoked it.
	pub by: AccountId,
	/// The block of the revocation.
	pub block: BlockNumber,
	/// The reason given.
	pub reason: Reason,
}

/// A license held by an account for one version.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct License<AccountId, Balance, BlockNumber> {
	/// Who holds it.
	pub licensee: AccountId,
	/// The version it covers.
	pub version: VersionId,
	/// The offer it was granted under.
	pub offer: OfferId,
	/// The offer's terms when it was granted.
	pub terms: OfferTerms<Balance, BlockNumber>,
	/// First block it is valid in.
	pub start: BlockNumber,
	/// First block it is no longer valid in, if it expires.
	pub end: Option<BlockNumber>,
	/// Uses left under the cap, or `None` for no cap.
	pub uses_remaining: Option<u64>,
	/// Uses reported so far.
	pub uses_reported: u64,
	/// What the licensee paid (0 for a grant).
	pub paid: Balance,
	/// The maintainer who granted it without payment, or `None` if it was bought.
	pub granted_by: Option<AccountId>,
	/// The account its deposit is held from.
	pub depositor: AccountId,
	/// The deposit held.
	pub deposit: Balance,
	/// Set when revoked.
	pub revoked: Option<Revocation<AccountId, BlockNumber>>,
}

impl<AccountId, Balance, BlockNumber: PartialOrd> License<AccountId, Balance, BlockNumber> {
	/// Whether it may be used at block `now`: not revoked, not expired, cap not reached.
	pub fn is_valid_at(&self, now: &BlockNumber) -> bool {
		self.revoked.is_none()
			&& self.start <= *now
			&& self.end.as_ref().is_none_or(|end| now < end)
			&& self.uses_remaining != Some(0)
	}
}

/// Why a leg of a payment goes to its recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum PayeeKind {
	/// A contributor's share of the version's income.
	Contributor,
	/// The rounding remainder of the version's income, paid to its largest-share contributor.
	Dust,
	/// The version lists no contributors; its repository owner receives its income.
	Owner,
	/// Neither the payee nor the repository owner could receive the leg (an account below the
	/// existential deposit, for example); it went to the licensing pallet's fallback account,
	/// which can always receive and which governance decides about.
	Fallback,
}

/// One leg of a license payment.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct RoyaltyLeg<AccountId, Balance> {
	/// The version whose income this is: the licensed version or one of its ancestors.
	pub version: VersionId,
	/// Lineage distance from the licensed version (0 for itself).
	pub depth: u32,
	/// Who is paid.
	pub payee: AccountId,
	/// Why.
	pub kind: PayeeKind,
	/// How much.
	pub amount: Balance,
}

/// How a payment for a version is split: the legs always sum to the amount.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct RoyaltySplit<AccountId, Balance> {
	/// The amount split.
	pub amount: Balance,
	/// Every non-zero payment, in lineage order (the version first, then ancestors breadth
	/// first).
	pub legs: Vec<RoyaltyLeg<AccountId, Balance>>,
	/// Versions whose income was computed (the licensed version included).
	pub versions: u32,
	/// True if the walk stopped at the depth or version limit, so further ancestors were not
	/// paid; what they would have received stayed with the deepest versions reached.
	pub truncated: bool,
}

/// What the licensing and promotion pallets need to know about the registry.
pub trait ModelRegistry<AccountId> {
	/// The repository of a version, if the version exists.
	fn repository_of(version: &VersionId) -> Option<RepoName>;
	/// The repository of a version and its declared parents (in the manifest's order), read
	/// together, if the version exists.
	fn lineage_of(version: &VersionId) -> Option<(RepoName, Vec<VersionId>)>;
	/// The owner of a repository, if it exists.
	fn owner_of(repo: &RepoName) -> Option<AccountId>;
	/// Whether `who` owns or maintains `repo`.
	fn is_maintainer(who: &AccountId, repo: &RepoName) -> bool;
	/// Whether the version is yanked now.
	fn is_yanked(version: &VersionId) -> bool;
	/// The version an alias of a repository points at, if the alias exists.
	fn alias_target(repo: &RepoName, alias: &crate::AliasName) -> Option<VersionId>;
	/// Every version that has parents, with its parents. Reads the whole version index: for
	/// storage migrations only.
	fn all_lineages() -> Vec<(VersionId, Vec<VersionId>)>;
}

/// Builds registry content for the licensing and promotion benchmarks.
pub trait ModelRegistryBenchmarkHelper<AccountId> {
	/// Registers a version of `repo` (created and owned by `owner` if new) with `parents`,
	/// without the registry's checks and deposits. `salt` makes the version id unique.
	fn register_version(
		owner: &AccountId,
		repo: &RepoName,
		parents: Vec<VersionId>,
		salt: u32,
	) -> VersionId;
	/// Points `alias` of `repo` at `version`, without the registry's checks and deposits.
	fn point_alias(repo: &RepoName, alias: &crate::AliasName, version: VersionId);
}
