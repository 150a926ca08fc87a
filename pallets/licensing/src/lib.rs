//! # Licensing Pallet
//!
//! License offers for model versions, licenses bought or granted under them, usage metering,
//! and royalties that follow the lineage the registry records.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the [`Config`](pallet::Config), the dispatchable calls
//! ([`Call`](pallet::Call)), the [`Event`](pallet::Event)s and the [`Error`](pallet::Error)s.
//! Reads go through the runtime API in the `pallet-licensing-runtime-api` crate, implemented by
//! the functions in [`features::query`].
//!
//! ## Overview
//!
//! - An **offer** states a license (SPDX id, or a custom document by hash and URI), whether
//!   commercial use and derivatives are allowed, a price (one-off, or per period of blocks), an
//!   optional usage cap, the royalty rate derivatives owe upstream, and whether licenses under
//!   it may be revoked. It applies to one version, or to every version of a repository that
//!   has no offer of its own. Maintainers create, update and retire offers; retiring one never
//!   touches the licenses already granted under it.
//! - A version's maintainers record its **contributors** with shares summing to exactly 100%.
//! - **Buying** a license pays its price to the version and its ancestors (see below), and
//!   records a license with its start, end and remaining uses. Maintainers may also **grant**
//!   licenses without payment, and **revoke** them where the offer allows it.
//! - The licensee, or a metering account the repository registered, **reports usage**, which
//!   counts down the usage cap.
//!
//! ## How a payment is split
//!
//! The amount flowing into a version `v` is split as follows, starting with the price at the
//! licensed version:
//!
//! 1. Each parent `p` of `v`, in manifest order, takes `rate(p) × amount(v)` (rounded down, and
//!    never more than what is left), where `rate(p)` is the lower of
//!    - the rate `p` offered when `v` was committed (snapshotted in [`EdgeRoyalties`], capped
//!      at `MaxRoyaltyRate`; a parent without a derivative-allowing offer then takes nothing
//!      from `v`, ever), and
//!    - its rate now: the highest royalty rate among the active derivative-allowing offers of
//!      `p` (its own offers, else its repository's defaults).
//!
//!    So upstream can lower what a derivative owes but never raise it after the derivative
//!    exists. That take is the amount flowing into `p`, which is split the same way. The
//!    walk stops at `MaxRoyaltyDepth` levels, `MaxRoyaltyVersions` versions paid and
//!    `MaxRoyaltyInspections` parents read; what a truncated ancestor would have taken stays
//!    with its child.
//! 2. What `v` keeps is split among its contributors by share, each rounded down. The rounding
//!    remainder (**dust**) goes to the contributor with the largest share (the first listed on
//!    a tie). A version without contributors pays everything it keeps to its repository owner.
//!    A leg too small to open a new account (below the existential deposit) goes to the
//!    repository owner instead.
//!
//! So the legs always sum to the price exactly. Every leg is paid within the call, or none is.
//! All parents of a version together take at most `MaxRoyaltyRate` of what flows into it, so
//! every version keeps at least `100% - MaxRoyaltyRate` of its income.
//!
//! ### Example
//!
//! ```ignore
//! // base <- fine-tune <- quantized; base and fine-tune allow derivatives at 10% and 20%.
//! Licensing::purchase_license(buyer, quantized, offer, price)?;
//! // fine-tune receives 20% of the price; base receives 10% of that (2%); quantized keeps 80%.
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
pub mod migrations;
#[cfg(any(test, feature = "fuzzing"))]
pub mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use owh_primitives::licensing::ModelRegistry;
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::fungible::{Mutate, MutateHold},
		},
		frame_system::pallet_prelude::*,
		sp_runtime::{traits::StaticLookup, Permill},
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the licensing pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The native token: prices are paid and deposits held in it.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Repositories, roles and lineage.
		type Registry: ModelRegistry<Self::AccountId>;

		/// Deposit per storage entry an item adds. Every item (offer, contributor list,
		/// license, metering account) holds
		/// `DepositPerItem × entries + DepositPerByte × encoded bytes` of its keys and values
		/// ([`owh_primitives::deposit::Footprint`]), the registry's rule.
		#[pallet::constant]
		type DepositPerItem: Get<BalanceOf<Self>>;

		/// Deposit per encoded byte of an item's keys and values.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Most active offers of one version, or one repository's defaults.
		#[pallet::constant]
		type MaxOffersPerTarget: Get<u32>;

		/// Most contributors of one version.
		#[pallet::constant]
		type MaxContributors: Get<u32>;

		/// Most metering accounts of one repository.
		#[pallet::constant]
		type MaxMeters: Get<u32>;

		/// Most lineage levels above the licensed version that a payment reaches.
		#[pallet::constant]
		type MaxRoyaltyDepth: Get<u32>;

		/// Most versions (the licensed one included) whose income one payment computes.
		#[pallet::constant]
		type MaxRoyaltyVersions: Get<u32>;

		/// Most parents whose lineage and offers one payment reads, whether they take a share
		/// or not. Bounds the walk's reads: ancestors beyond it are not reached (truncated).
		#[pallet::constant]
		type MaxRoyaltyInspections: Get<u32>;

		/// The highest royalty rate an offer may set, and the most that all parents of a
		/// version together take of what flows into it: every version keeps at least
		/// `100% - MaxRoyaltyRate` of its income.
		#[pallet::constant]
		type MaxRoyaltyRate: Get<Permill>;

		/// The account that receives a payment leg no one else can: neither its payee nor the
		/// repository owner can receive it. Genesis must fund it with at least the existential
		/// deposit; no call spends from it, so it can always receive (`try_state` checks it).
		#[pallet::constant]
		type FallbackPayee: Get<Self::AccountId>;

		/// Most items one runtime API call returns.
		#[pallet::constant]
		type MaxQueryResults: Get<u32>;

		/// Who may retire any offer, overriding the repository's maintainers (an offer that
		/// misrepresents its license). The OpenWeightHub runtime sets it to governance (the
		/// `registry_admin` track or a council motion).
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Registers versions with lineage for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: owh_primitives::licensing::ModelRegistryBenchmarkHelper<
			Self::AccountId,
		>;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An offer's deposit.
		Offer,
		/// A contributor list's deposit.
		Contributors,
		/// A license record's deposit.
		License,
		/// A metering account's deposit.
		Meter,
	}

	/// The id the next offer gets; also the number of offers ever created.
	#[pallet::storage]
	pub type NextOfferId<T: Config> = StorageValue<_, OfferId, ValueQuery>;

	/// Every offer, active or retired. Offers are never removed.
	#[pallet::storage]
	pub type Offers<T: Config> = StorageMap<_, Twox64Concat, OfferId, OfferOf<T>, OptionQuery>;

	/// The active offers of each version and each repository (its defaults).
	#[pallet::storage]
	pub type ActiveOffers<T: Config> =
		StorageMap<_, Blake2_128Concat, OfferTarget, OfferIdsOf<T>, ValueQuery>;

	/// The contributors of each version.
	#[pallet::storage]
	pub type Contributors<T: Config> =
		StorageMap<_, Identity, VersionId, ContributorList<T>, OptionQuery>;

	/// The id the next license gets; also the number of licenses ever issued.
	#[pallet::storage]
	pub type NextLicenseId<T: Config> = StorageValue<_, LicenseId, ValueQuery>;

	/// Every license. Licenses are never removed; revocation is recorded in them.
	#[pallet::storage]
	pub type Licenses<T: Config> =
		StorageMap<_, Twox64Concat, LicenseId, LicenseOf<T>, OptionQuery>;

	/// Licenses by holder and version: `(licensee, version, license) -> ()`.
	#[pallet::storage]
	pub type LicensesOf<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Identity, VersionId>,
			NMapKey<Twox64Concat, LicenseId>,
		),
		(),
		OptionQuery,
	>;

	/// The royalty rate each parent of a version offered when the version was committed,
	/// capped at `MaxRoyaltyRate`: the most that parent can ever take of the version's income.
	/// Only parents with a non-zero rate are listed; a version none of whose parents offered a
	/// royalty has no entry. Written by the registry's commit (its deposit is part of the
	/// version's) and never changed.
	#[pallet::storage]
	pub type EdgeRoyalties<T: Config> = StorageMap<_, Identity, VersionId, EdgeRates, OptionQuery>;

	/// Accounts a repository trusts to report usage of its licenses.
	#[pallet::storage]
	pub type Meters<T: Config> = StorageMap<_, Blake2_128Concat, RepoName, MetersOf<T>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An offer was created.
		OfferCreated {
			/// The new offer.
			offer: OfferId,
			/// What it applies to.
			target: OfferTarget,
			/// The maintainer who created it.
			who: T::AccountId,
			/// Its price.
			price: BalanceOf<T>,
			/// The deposit held from `who`.
			deposit: BalanceOf<T>,
		},
		/// An offer's terms changed. Licenses already granted keep their terms.
		OfferUpdated {
			/// The offer.
			offer: OfferId,
			/// The maintainer who changed it.
			who: T::AccountId,
			/// Its new price.
			price: BalanceOf<T>,
		},
		/// An offer was retired: it sells nothing new. Its licenses stay valid.
		OfferRetired {
			/// The offer.
			offer: OfferId,
			/// The maintainer who retired it.
			who: T::AccountId,
		},
		/// Governance retired an offer. Its licenses stay valid.
		OfferForceRetired {
			/// The offer.
			offer: OfferId,
			/// Why, as the proposal said.
			reason: Reason,
		},
		/// A version's contributors were recorded or replaced.
		ContributorsSet {
			/// The version.
			version: VersionId,
			/// How many contributors it now has.
			count: u32,
			/// The maintainer who recorded them.
			who: T::AccountId,
			/// The deposit held from `who`.
			deposit: BalanceOf<T>,
		},
		/// A license was bought.
		LicensePurchased {
			/// The new license.
			license: LicenseId,
			/// The licensed version.
			version: VersionId,
			/// The offer bought.
			offer: OfferId,
			/// The buyer.
			licensee: T::AccountId,
			/// The price paid, equal to the sum of the `RoyaltyPaid` legs.
			price: BalanceOf<T>,
			/// When it expires, if it does.
			end: Option<BlockNumberFor<T>>,
		},
		/// One leg of a license payment was paid.
		RoyaltyPaid {
			/// The license bought.
			license: LicenseId,
			/// The version whose income this is.
			version: VersionId,
			/// Its lineage distance from the licensed version.
			depth: u32,
			/// Who was paid.
			payee: T::AccountId,
			/// Why.
			kind: PayeeKind,
			/// How much.
			amount: BalanceOf<T>,
		},
		/// A maintainer granted a license without payment.
		LicenseGranted {
			/// The new license.
			license: LicenseId,
			/// The licensed version.
			version: VersionId,
			/// The offer whose terms apply.
			offer: OfferId,
			/// Who received it.
			licensee: T::AccountId,
			/// The maintainer who granted it.
			by: T::AccountId,
		},
		/// A license was revoked.
		LicenseRevoked {
			/// The license.
			license: LicenseId,
			/// The maintainer who revoked it.
			by: T::AccountId,
			/// Why.
			reason: Reason,
		},
		/// Usage of a license was reported.
		UsageReported {
			/// The license.
			license: LicenseId,
			/// Who reported it (the licensee or a metering account).
			by: T::AccountId,
			/// Uses reported now.
			count: u64,
			/// Uses left under the cap, if capped.
			remaining: Option<u64>,
		},
		/// A metering account was registered for a repository.
		MeterAdded {
			/// The repository.
			repo: RepoName,
			/// The metering account.
			account: T::AccountId,
			/// The maintainer who added it.
			who: T::AccountId,
		},
		/// A metering account was removed, and its deposit released.
		MeterRemoved {
			/// The repository.
			repo: RepoName,
			/// The metering account.
			account: T::AccountId,
			/// The maintainer who removed it.
			who: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No version has this id. Check the id with `owh show`.
		UnknownVersion,
		/// The version is yanked: no license can be bought or granted for it. Pick another
		/// version (`owh log <repo>`), or ask its maintainers to unyank it.
		VersionYanked,
		/// No repository has this name. Check the spelling.
		UnknownRepository,
		/// Only the repository owner or a maintainer may do this. Ask the owner for the
		/// maintainer role.
		NotMaintainer,
		/// The SPDX id is empty or has characters other than letters, digits, `-.+:()` and
		/// spaces. Use an id from <https://spdx.org/licenses/>.
		BadSpdxId,
		/// A custom-terms URI must be `scheme:rest` in printable ASCII without spaces.
		BadTermsUri,
		/// A period of 0 blocks would expire at once. Give at least 1 block, or none for a
		/// one-off price.
		ZeroPeriod,
		/// A usage cap of 0 allows no use at all. Give at least 1, or none for no cap.
		ZeroUsageCap,
		/// A royalty rate needs `derivatives` allowed. Allow derivatives, or set the rate to 0.
		RoyaltyWithoutDerivatives,
		/// The price is more than the whole token supply, so nobody could ever pay it. Give a
		/// price in the token's smallest unit (1 OWH = 10^12).
		PriceTooHigh,
		/// The target has `MaxOffersPerTarget` active offers. Retire one first.
		TooManyOffers,
		/// No offer has this id. List offers with `owh license show <version>`.
		UnknownOffer,
		/// The offer is retired and sells nothing new. Pick an active offer.
		OfferRetired,
		/// The offer applies to another version or repository. Pick one of the version's
		/// offers (`owh license show <version>`).
		OfferNotForVersion,
		/// The offer now costs more than the most the buyer agreed to pay. Check the offer and
		/// buy again.
		PriceAboveLimit,
		/// The offer's terms are not the ones the buyer agreed to: they changed after the buyer
		/// read them. Read them again (`owh license show`) and buy again if you still agree.
		TermsChanged,
		/// The royalty rate is above `MaxRoyaltyRate`. Ask for a lower rate.
		RoyaltyRateTooHigh,
		/// The buyer cannot pay the price and the license deposit and stay alive. Top up the
		/// account.
		InsufficientBalance,
		/// A version needs at least one contributor.
		NoContributors,
		/// A contributor has a share of 0. Leave them out, or give them a share.
		ZeroShare,
		/// An account is listed twice. List each contributor once with their whole share.
		DuplicateContributor,
		/// The shares do not sum to exactly 100% (1,000,000 parts per million).
		SharesNotWhole,
		/// No license has this id. List yours with `owh license list`.
		UnknownLicense,
		/// The offer's terms do not allow revoking its licenses.
		NotRevocable,
		/// The license is already revoked.
		AlreadyRevoked,
		/// The license was revoked and can no longer be used.
		LicenseRevoked,
		/// The license has expired. Buy a new one.
		LicenseExpired,
		/// Only the licensee or a metering account of the repository may report usage of a
		/// license.
		NotLicensee,
		/// A usage report must count at least 1 use.
		ZeroUsage,
		/// The report exceeds the uses left under the license's cap. Buy another license.
		UsageCapExceeded,
		/// A revocation or a forced retirement needs a reason of printable UTF-8.
		BadReason,
		/// The account is already a metering account of the repository.
		MeterExists,
		/// The repository has `MaxMeters` metering accounts. Remove one first.
		TooManyMeters,
		/// The account is not a metering account of the repository.
		UnknownMeter,
		/// A counter or block number would overflow.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxContributors::get() >= 1,
				"MaxContributors must be at least 1"
			);
			assert!(
				T::MaxRoyaltyVersions::get() >= 1,
				"MaxRoyaltyVersions must be at least 1"
			);
			assert!(
				T::MaxRoyaltyInspections::get() >= T::MaxRoyaltyVersions::get(),
				"MaxRoyaltyInspections must be at least MaxRoyaltyVersions"
			);
			assert!(
				T::MaxOffersPerTarget::get() >= 1,
				"MaxOffersPerTarget must be at least 1"
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
		/// Offer a license for a version, or as the default for every version of a repository
		/// that has no offer of its own.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of the target's repository.
		///
		/// ## Details
		/// Holds the offer's deposit from the caller. Offers are permanent records, so the
		/// deposit stays held after the offer is retired.
		///
		/// ## Errors
		/// - [`Error::UnknownVersion`], [`Error::UnknownRepository`], [`Error::NotMaintainer`]
		/// - Terms: [`Error::BadSpdxId`], [`Error::BadTermsUri`], [`Error::ZeroPeriod`],
		///   [`Error::ZeroUsageCap`], [`Error::RoyaltyWithoutDerivatives`],
		///   [`Error::PriceTooHigh`], [`Error::RoyaltyRateTooHigh`] (above `MaxRoyaltyRate`).
		/// - [`Error::TooManyOffers`], [`Error::InsufficientBalance`], [`Error::Overflow`]
		///
		/// ## Events
		/// - [`Event::OfferCreated`]
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_offer())]
		pub fn create_offer(
			origin: OriginFor<T>,
			target: OfferTarget,
			terms: OfferTermsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_offer(who, target, terms).map(|_| ())
		}

		/// Change an active offer's terms. Licenses already granted keep the terms they were
		/// granted under.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of the offer's repository.
		///
		/// ## Details
		/// When the terms' size changes, the difference in deposit is held from, or released
		/// to, the offer's creator.
		///
		/// ## Errors
		/// - [`Error::UnknownOffer`], [`Error::OfferRetired`], [`Error::NotMaintainer`]
		/// - The term errors of [`Pallet::create_offer`].
		/// - [`Error::InsufficientBalance`]: the creator cannot hold a larger deposit.
		///
		/// ## Events
		/// - [`Event::OfferUpdated`]
		#[pallet::call_index(1)]
		// The benchmark keeps the terms' size; a size change also settles the creator's hold
		// (the hold list and the account), charged here on top.
		#[pallet::weight(T::WeightInfo::update_offer()
			.saturating_add(T::DbWeight::get().reads_writes(2, 2)))]
		pub fn update_offer(
			origin: OriginFor<T>,
			offer: OfferId,
			terms: OfferTermsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_offer(who, offer, terms)
		}

		/// Retire an offer: it sells nothing new, and stops counting for royalties. Licenses
		/// granted under it stay valid.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of the offer's repository.
		///
		/// ## Errors
		/// - [`Error::UnknownOffer`], [`Error::OfferRetired`], [`Error::NotMaintainer`]
		///
		/// ## Events
		/// - [`Event::OfferRetired`]
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::retire_offer())]
		pub fn retire_offer(origin: OriginFor<T>, offer: OfferId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_retire_offer(who, offer)
		}

		/// Record a version's contributors and their shares, replacing any earlier list.
		/// Payments already made are not affected.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of the version's repository.
		///
		/// ## Details
		/// Holds the list's deposit (by its size) from the caller, and releases the deposit of
		/// the list it replaces to whoever paid it.
		///
		/// ## Errors
		/// - [`Error::UnknownVersion`], [`Error::NotMaintainer`]
		/// - [`Error::NoContributors`], [`Error::ZeroShare`], [`Error::DuplicateContributor`],
		///   [`Error::SharesNotWhole`]
		/// - [`Error::InsufficientBalance`]
		///
		/// ## Events
		/// - [`Event::ContributorsSet`]
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_contributors(contributors.len() as u32))]
		pub fn set_contributors(
			origin: OriginFor<T>,
			version: VersionId,
			contributors: ContributorsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_contributors(who, version, contributors)
		}

		/// Buy a license for a version under one of its offers, paying the price to the
		/// version's contributors and its ancestors (see the crate docs for the split).
		///
		/// ## Dispatch Origin
		/// Signed by the buyer, who becomes the licensee.
		///
		/// ## Details
		/// `terms_hash` is [`OfferTerms::hash`] of the terms the buyer agreed to: if the offer
		/// was updated in between, nothing happens. `max_price` also guards the price. Holds
		/// the license record's deposit from the buyer. Every leg is paid, or none: any failure undoes the
		/// whole call. Weighed for the worst lineage (`MaxRoyaltyVersions` paid versions,
		/// `MaxRoyaltyInspections` parents read), and refunded to the versions it paid and the
		/// parents it read without paying them.
		///
		/// ## Errors
		/// - [`Error::UnknownVersion`], [`Error::VersionYanked`], [`Error::UnknownOffer`],
		///   [`Error::OfferRetired`], [`Error::OfferNotForVersion`], [`Error::PriceAboveLimit`],
		///   [`Error::TermsChanged`]
		/// - [`Error::InsufficientBalance`], [`Error::Overflow`]
		///
		/// ## Events
		/// - [`Event::RoyaltyPaid`] for every non-zero leg, then [`Event::LicensePurchased`]
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::purchase_license(
			T::MaxRoyaltyVersions::get(),
			T::MaxRoyaltyInspections::get(),
			T::MaxContributors::get(),
		))]
		pub fn purchase_license(
			origin: OriginFor<T>,
			version: VersionId,
			offer: OfferId,
			max_price: BalanceOf<T>,
			terms_hash: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let walk = Self::do_purchase_license(who, version, offer, max_price, terms_hash)?;
			Ok(Some(T::WeightInfo::purchase_license(
				walk.paid_versions,
				walk.unpaid_inspections,
				walk.max_contributors,
			))
			.into())
		}

		/// Grant a license without payment (research, partners), under an active offer's terms.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of the offer's repository.
		///
		/// ## Details
		/// Holds the license record's deposit from the caller.
		///
		/// ## Errors
		/// - [`Error::UnknownVersion`], [`Error::VersionYanked`], [`Error::UnknownOffer`],
		///   [`Error::OfferRetired`], [`Error::OfferNotForVersion`], [`Error::NotMaintainer`]
		/// - [`Error::InsufficientBalance`], [`Error::Overflow`]
		///
		/// ## Events
		/// - [`Event::LicenseGranted`]
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::grant_license())]
		pub fn grant_license(
			origin: OriginFor<T>,
			version: VersionId,
			offer: OfferId,
			licensee: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let licensee = T::Lookup::lookup(licensee)?;
			Self::do_grant_license(who, version, offer, licensee)
		}

		/// Revoke a license, where its terms allow it. The record stays, with the reason.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of the licensed version's repository.
		///
		/// ## Errors
		/// - [`Error::UnknownLicense`], [`Error::NotMaintainer`], [`Error::NotRevocable`],
		///   [`Error::AlreadyRevoked`], [`Error::BadReason`]
		///
		/// ## Events
		/// - [`Event::LicenseRevoked`]
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::revoke_license())]
		pub fn revoke_license(
			origin: OriginFor<T>,
			license: LicenseId,
			reason: Reason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke_license(who, license, reason)
		}

		/// Report uses of a license, counting down its usage cap.
		///
		/// ## Dispatch Origin
		/// Signed by the licensee, or by a metering account of the version's repository.
		///
		/// ## Errors
		/// - [`Error::UnknownLicense`], [`Error::NotLicensee`], [`Error::ZeroUsage`]
		/// - [`Error::LicenseRevoked`], [`Error::LicenseExpired`], [`Error::UsageCapExceeded`],
		///   [`Error::Overflow`]
		///
		/// ## Events
		/// - [`Event::UsageReported`]
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::report_usage())]
		pub fn report_usage(
			origin: OriginFor<T>,
			license: LicenseId,
			count: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_report_usage(who, license, count)
		}

		/// Register an account that may report usage of the repository's licenses, e.g. an
		/// inference gateway.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of `repo`.
		///
		/// ## Details
		/// Holds the meter's deposit from the caller until the meter is removed.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotMaintainer`], [`Error::MeterExists`],
		///   [`Error::TooManyMeters`], [`Error::InsufficientBalance`]
		///
		/// ## Events
		/// - [`Event::MeterAdded`]
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::add_meter())]
		pub fn add_meter(
			origin: OriginFor<T>,
			repo: RepoName,
			account: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let account = T::Lookup::lookup(account)?;
			Self::do_add_meter(who, repo, account)
		}

		/// Remove a metering account and release its deposit to the maintainer who added it.
		///
		/// ## Dispatch Origin
		/// Signed by the owner or a maintainer of `repo`.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotMaintainer`], [`Error::UnknownMeter`]
		///
		/// ## Events
		/// - [`Event::MeterRemoved`]
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::remove_meter())]
		pub fn remove_meter(
			origin: OriginFor<T>,
			repo: RepoName,
			account: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let account = T::Lookup::lookup(account)?;
			Self::do_remove_meter(who, repo, account)
		}

		/// Retire any offer, as governance: it sells nothing new and stops counting for
		/// royalties. Licenses granted under it stay valid; the offer record stays, marked
		/// retired.
		///
		/// ## Dispatch Origin
		/// [`Config::ForceOrigin`]: governance.
		///
		/// ## Details
		/// The offer's deposit stays held from its creator, as after an ordinary retirement.
		///
		/// ## Errors
		/// - [`Error::UnknownOffer`], [`Error::OfferRetired`]
		/// - [`Error::BadReason`]: the reason is empty or not printable UTF-8.
		///
		/// ## Events
		/// - [`Event::OfferForceRetired`]
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::force_retire_offer())]
		pub fn force_retire_offer(
			origin: OriginFor<T>,
			offer: OfferId,
			reason: Reason,
		) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::do_force_retire_offer(offer, reason)
		}
	}

	/// The lookup source of an account.
	pub type AccountIdLookupOf<T> =
		<<T as polkadot_sdk::frame_system::Config>::Lookup as StaticLookup>::Source;
}
