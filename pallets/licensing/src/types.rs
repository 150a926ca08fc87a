//! Types and aliases used by the licensing pallet.

use crate::Config;
use codec::{Decode, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*, traits::fungible::Inspect, CloneNoBound, DebugNoBound, EqNoBound,
		PartialEqNoBound,
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_runtime::Permill,
};
use scale_info::TypeInfo;

pub use owh_primitives::{
	licensing::{
		Contributor, ContributorRole, License, LicenseId, LicenseText, Offer, OfferId, OfferTarget,
		OfferTerms, PayeeKind, Revocation, RoyaltyLeg, RoyaltySplit, SpdxId,
	},
	Reason, RepoName, StorageUri, VersionId,
};

/// The account type of the runtime.
pub type AccountIdOf<T> = <T as polkadot_sdk::frame_system::Config>::AccountId;
/// The balance type of the pallet's currency.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<AccountIdOf<T>>>::Balance;
/// Offer terms as stored.
pub type OfferTermsOf<T> = OfferTerms<BalanceOf<T>, BlockNumberFor<T>>;
/// A stored offer.
pub type OfferOf<T> = Offer<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>>;
/// A stored license.
pub type LicenseOf<T> = License<AccountIdOf<T>, BalanceOf<T>, BlockNumberFor<T>>;
/// A version's contributor.
pub type ContributorOf<T> = Contributor<AccountIdOf<T>>;
/// The contributors of a version, as a call takes them.
pub type ContributorsOf<T> = BoundedVec<ContributorOf<T>, <T as Config>::MaxContributors>;
/// The active offers of one target.
pub type OfferIdsOf<T> = BoundedVec<OfferId, <T as Config>::MaxOffersPerTarget>;
/// The metering accounts of a repository.
pub type MetersOf<T> = BoundedVec<MeterOf<T>, <T as Config>::MaxMeters>;
/// The royalty rates a version's parents offered when it was committed (non-zero ones only).
pub type EdgeRates = BoundedVec<(VersionId, Permill), ConstU32<{ owh_primitives::MAX_PARENTS }>>;
/// A payment split as the runtime API returns it.
pub type RoyaltySplitOf<T> = RoyaltySplit<AccountIdOf<T>, BalanceOf<T>>;

/// The contributors recorded for a version.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct ContributorList<T: Config> {
	/// Who is paid, with shares summing to exactly 100%.
	pub contributors: ContributorsOf<T>,
	/// The maintainer who recorded them, from whom the deposit is held.
	pub depositor: AccountIdOf<T>,
	/// The deposit held.
	pub deposit: BalanceOf<T>,
}

/// An account a repository trusts to report usage of its licenses.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Meter<AccountId, Balance> {
	/// The metering account.
	pub account: AccountId,
	/// The maintainer who added it, from whom the deposit is held.
	pub added_by: AccountId,
	/// The deposit held.
	pub deposit: Balance,
}

/// A stored metering account.
pub type MeterOf<T> = Meter<AccountIdOf<T>, BalanceOf<T>>;
