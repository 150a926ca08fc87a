//! # Storage Proofs Pallet
//!
//! Availability that is proven, not assumed: storage providers stake on keeping the artifacts
//! of model versions, the runtime challenges them at random, and checks every answer with the
//! same Merkle code (`owh_primitives::merkle`) the client verifies downloads with.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the [`Config`](pallet::Config), the dispatchable calls
//! ([`Call`](pallet::Call)), the [`Event`](pallet::Event)s and the [`Error`](pallet::Error)s.
//!
//! ## Overview
//!
//! - **Providers** register an endpoint and a capacity, with `ProviderStake` held
//!   ([`Pallet::register_provider`]). They **pledge** to keep every artifact of a version for a
//!   term ([`Pallet::pledge`]), holding a storage deposit, **renew** it, and **release** it
//!   once the term is over.
//! - **Rounds.** Every [`ChallengePeriod`](pallet::ChallengePeriod) blocks (one *round*), the
//!   runtime first closes the previous round's challenges, then draws `ChallengesPerPledge`
//!   segments of every pledge whose term covers the whole round. A challenge names one 4 KiB
//!   segment by its position among all the version's segments.
//! - **Answers.** The pledging provider answers with a [`SegmentProof`] before the round ends
//!   ([`Pallet::answer`]); the proof is checked against the artifact's root in the registry.
//!   A valid answer earns `AnswerReward` from the pot and is free of fees; an invalid one is
//!   refused with a named error and the challenge stays open. A challenge still open when the
//!   round closes is **missed**: `SlashPerMiss` of the provider's stake goes to the pot, its
//!   reputation drops, and `MaxMissesInARow` misses in a row end the pledge.
//! - **Retention.** Governance marks versions as retained ([`Pallet::set_retained`]); a
//!   pledge of a retained version whose term would end within the next round is renewed by
//!   `RetentionTerm` blocks and its provider paid `RetentionReward` from the pot, as long as
//!   the pot can pay.
//! - **The pot** is the account of `PotId`. Slashed stake flows in, rewards flow out; anyone
//!   may fund it with a transfer.
//!
//! ## Randomness
//!
//! A round's seed is `blake2_256(previous seed ‖ parent block hash ‖ block number)`, and each
//! challenge is `blake2_256(seed ‖ pledge ‖ k)` reduced modulo the version's segment count. The
//! author of the block that opens a round knows the parent hash but cannot change it; it can
//! only decline to author (losing its slot) so that the next author draws with another parent.
//! That lets an author who is also a provider re-draw at most once per slot it owns, and never
//! choose the segment. A provider who lost a fraction `f` of a version's segments is caught by
//! each challenge with probability `f`; withholding blocks changes which segments are drawn,
//! not that probability, and the answer deadline (the end of the round) leaves no time to
//! fetch the lost bytes from elsewhere unless they still exist somewhere — which is the
//! availability the pledge promises.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
// The round runs in `on_initialize`: the wasm build denies the usual sources of panics there.
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
mod availability;
mod probe;
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
mod rounds;
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
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::fungible::{Mutate, MutateHold},
			PalletId,
		},
		frame_system::{offchain::CreateAuthorizedTransaction, pallet_prelude::*},
		sp_runtime::{traits::Zero, Perbill, RuntimeAppPublic},
	};

	/// The in-code storage version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the storage-proofs pallet.
	#[pallet::config]
	pub trait Config:
		polkadot_sdk::frame_system::Config + CreateAuthorizedTransaction<Call<Self>>
	{
		/// The native token: stakes and deposits are held in it, rewards paid in it.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The registry: each version's artifact roots, and where its artifacts are served.
		type Versions: VersionRootsProvider + ProbeTargets;

		/// The key a validator signs availability reports with (its session key).
		type AuthorityId: Member + Parameter + RuntimeAppPublic + Ord + MaxEncodedLen;

		/// The validators allowed to report, and the current session.
		type Reporters: ReporterSet<Self::AuthorityId>;

		/// How long one HTTP request of a probe may take, in milliseconds.
		#[pallet::constant]
		type ProbeTimeout: Get<u64>;

		/// Pool priority of availability reports.
		#[pallet::constant]
		type ReportPriority: Get<TransactionPriority>;

		/// Sets the challenge period and the retained versions.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The pot's account id: slashes go in, rewards come out.
		#[pallet::constant]
		type PotId: Get<PalletId>;

		/// Stake held from a provider at registration; pledging needs at least this much.
		#[pallet::constant]
		type ProviderStake: Get<BalanceOf<Self>>;

		/// Deposit per storage entry a pledge adds (the registry's rule).
		#[pallet::constant]
		type DepositPerItem: Get<BalanceOf<Self>>;

		/// Deposit per encoded byte a pledge adds (the registry's rule).
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Most active pledges, chain-wide: every one is challenged each round.
		#[pallet::constant]
		type MaxPledges: Get<u32>;

		/// Segments drawn per pledge per round.
		#[pallet::constant]
		type ChallengesPerPledge: Get<u32>;

		/// Shortest round the admin origin may set, in blocks.
		#[pallet::constant]
		type MinChallengePeriod: Get<BlockNumberFor<Self>>;

		/// Shortest pledge term.
		#[pallet::constant]
		type MinTerm: Get<BlockNumberFor<Self>>;

		/// Longest pledge term, counted from now.
		#[pallet::constant]
		type MaxTerm: Get<BlockNumberFor<Self>>;

		/// Share of the provider's stake one missed challenge slashes.
		#[pallet::constant]
		type SlashPerMiss: Get<Perbill>;

		/// Paid from the pot for each valid answer.
		#[pallet::constant]
		type AnswerReward: Get<BalanceOf<Self>>;

		/// Misses in a row that end a pledge.
		#[pallet::constant]
		type MaxMissesInARow: Get<u32>;

		/// Closed challenges kept per pledge.
		#[pallet::constant]
		type HistoryDepth: Get<u32>;

		/// Most retained versions.
		#[pallet::constant]
		type MaxRetained: Get<u32>;

		/// Blocks a retained version's pledge is renewed by.
		#[pallet::constant]
		type RetentionTerm: Get<BlockNumberFor<Self>>;

		/// Paid from the pot to the provider for each automatic renewal.
		#[pallet::constant]
		type RetentionReward: Get<BalanceOf<Self>>;

		/// Weights of the calls and the round.
		type WeightInfo: WeightInfo;

		/// Registers versions with real roots for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: VersionRootsBenchmarkHelper;
	}

	/// Registered providers.
	#[pallet::storage]
	pub type Providers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ProviderInfoOf<T>, OptionQuery>;

	/// Active pledges, by id.
	#[pallet::storage]
	pub type Pledges<T: Config> = StorageMap<_, Twox64Concat, PledgeId, PledgeOf<T>, OptionQuery>;

	/// Each version's pledges, by provider: `(version, provider) -> pledge`.
	#[pallet::storage]
	pub type PledgeIds<T: Config> = StorageDoubleMap<
		_,
		Identity,
		VersionId,
		Blake2_128Concat,
		T::AccountId,
		PledgeId,
		OptionQuery,
	>;

	/// The active pledges, which every round challenges.
	#[pallet::storage]
	pub type ActivePledges<T: Config> =
		StorageValue<_, BoundedVec<PledgeId, T::MaxPledges>, ValueQuery>;

	/// The id the next pledge gets.
	#[pallet::storage]
	pub type NextPledgeId<T: Config> = StorageValue<_, PledgeId, ValueQuery>;

	/// Challenges of the current round, open or answered; all are closed when the next round
	/// starts.
	#[pallet::storage]
	pub type Challenges<T: Config> =
		StorageMap<_, Twox64Concat, ChallengeId, ChallengeOf<T>, OptionQuery>;

	/// The current round: its challenge ids and the block the next one starts.
	#[pallet::storage]
	pub type CurrentRound<T: Config> = StorageValue<_, RoundOf<T>, ValueQuery>;

	/// Blocks per round.
	#[pallet::storage]
	pub type ChallengePeriod<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The randomness chain the challenges are drawn from.
	#[pallet::storage]
	pub type Seed<T: Config> = StorageValue<_, [u8; 32], ValueQuery>;

	/// Each pledge's last `HistoryDepth` closed challenges, oldest first.
	#[pallet::storage]
	pub type History<T: Config> = StorageMap<_, Twox64Concat, PledgeId, HistoryOf<T>, ValueQuery>;

	/// Each version's URIs as the validators' off-chain workers last found them.
	#[pallet::storage]
	pub type Availability<T: Config> =
		StorageMap<_, Identity, VersionId, AvailabilityOf<T>, ValueQuery>;

	/// The session each validator last reported in; one report per validator per session.
	#[pallet::storage]
	pub type LastReport<T: Config> = StorageMap<_, Twox64Concat, T::AuthorityId, u32, OptionQuery>;

	/// Versions whose pledges the pot renews.
	#[pallet::storage]
	pub type Retained<T: Config> = CountedStorageMap<_, Identity, VersionId, (), OptionQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Blocks per round; `0` means `MinChallengePeriod`.
		pub challenge_period: BlockNumberFor<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let period = if self.challenge_period.is_zero() {
				T::MinChallengePeriod::get()
			} else {
				self.challenge_period
			};
			assert!(
				period >= T::MinChallengePeriod::get(),
				"genesis challenge period below MinChallengePeriod"
			);
			ChallengePeriod::<T>::put(period);
		}
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A provider's stake.
		ProviderStake,
		/// A pledge's storage deposit.
		Pledge,
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `provider` registered, with `stake` held.
		ProviderRegistered {
			provider: T::AccountId,
			capacity: u64,
			stake: BalanceOf<T>,
		},
		/// `provider` changed its endpoint or capacity.
		ProviderUpdated {
			provider: T::AccountId,
			capacity: u64,
		},
		/// `provider` added `amount` to its stake.
		StakeAdded {
			provider: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// `provider` left, and `stake` was released.
		ProviderDeregistered {
			provider: T::AccountId,
			stake: BalanceOf<T>,
		},
		/// `provider` pledged to keep `version` until block `end`.
		Pledged {
			pledge: PledgeId,
			provider: T::AccountId,
			version: VersionId,
			end: BlockNumberFor<T>,
			deposit: BalanceOf<T>,
		},
		/// The pledge's term now ends at block `end`; `automatic` when the retention rule
		/// renewed it and paid `reward`.
		Renewed {
			pledge: PledgeId,
			end: BlockNumberFor<T>,
			automatic: bool,
			reward: BalanceOf<T>,
		},
		/// The pledge ended; its deposit was released.
		PledgeEnded {
			pledge: PledgeId,
			provider: T::AccountId,
			version: VersionId,
			reason: PledgeEnd,
		},
		/// A round started: challenges `first..end` must be answered by block `deadline`.
		RoundStarted {
			first: ChallengeId,
			end: ChallengeId,
			deadline: BlockNumberFor<T>,
		},
		/// `provider` proved the segment of challenge `challenge` and was paid `reward`.
		ChallengeAnswered {
			challenge: ChallengeId,
			pledge: PledgeId,
			provider: T::AccountId,
			reward: BalanceOf<T>,
		},
		/// `provider` did not prove challenge `challenge` in time; `slashed` went to the pot.
		ChallengeMissed {
			challenge: ChallengeId,
			pledge: PledgeId,
			provider: T::AccountId,
			slashed: BalanceOf<T>,
		},
		/// Rounds are now `blocks` long, from the next round on.
		ChallengePeriodSet { blocks: BlockNumberFor<T> },
		/// Governance marked `version` as retained, or no longer retained.
		RetentionSet { version: VersionId, retained: bool },
		/// Validator `reporter` probed `served + failed` URIs in `session`.
		AvailabilityReported {
			reporter: T::AuthorityId,
			session: u32,
			served: u32,
			failed: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is a provider already; `update_provider` changes its endpoint or
		/// capacity.
		AlreadyProvider,
		/// The account is not a registered provider; register with `register_provider`
		/// (`owh provider register`) first.
		NotProvider,
		/// The endpoint must be non-empty UTF-8 without control characters.
		BadEndpoint,
		/// Capacity must be more than zero bytes.
		ZeroCapacity,
		/// The capacity is below what the provider has pledged; release pledges first.
		CapacityBelowPledged,
		/// The provider's stake fell below `ProviderStake` (slashes); add stake with
		/// `add_stake` before pledging.
		StakeTooLow,
		/// The provider still has pledges; release them when their terms end.
		HasPledges,
		/// No version with this id is registered.
		UnknownVersion,
		/// The version uses manifest format 1, whose chunk leaves have no segment tree, so no
		/// storage proof exists for it; republish it with a current `owh`.
		UnprovableVersion,
		/// The provider has pledged this version already; `renew` extends the pledge.
		AlreadyPledged,
		/// The version does not fit in the provider's remaining capacity; raise it with
		/// `update_provider` or release another pledge.
		CapacityExceeded,
		/// The chain holds `MaxPledges` active pledges; wait for one to end.
		TooManyPledges,
		/// No active pledge with this id.
		UnknownPledge,
		/// Only the pledging provider may renew or release a pledge.
		NotPledger,
		/// The term is shorter than `MinTerm` blocks.
		TermTooShort,
		/// The term would end more than `MaxTerm` blocks from now.
		TermTooLong,
		/// The pledge's term has not ended yet; release it after its `end` block.
		TermNotOver,
		/// No challenge with this id was ever drawn.
		UnknownChallenge,
		/// The challenge's round is over (it was answered or missed); `owh provider status`
		/// lists the open ones.
		ChallengeClosed,
		/// The challenge was answered already.
		AlreadyAnswered,
		/// The challenge was issued to another provider.
		NotChallengedProvider,
		/// The proof is for another chunk or segment than the challenge asks for.
		WrongPosition,
		/// A proof path is longer than the artifact's tree is deep; it is refused before any
		/// hashing.
		ProofTooLong,
		/// The segment is longer or shorter than the segment at the challenged position.
		WrongSegmentLength,
		/// The segment and its paths do not lead to the registered Merkle root: the bytes or
		/// a path hash are wrong.
		ProofMismatch,
		/// The round must be at least `MinChallengePeriod` blocks.
		PeriodTooShort,
		/// The version is already retained, or already not retained.
		RetentionUnchanged,
		/// `MaxRetained` versions are retained already; release one first.
		TooManyRetained,
		/// The account cannot afford the stake or deposit.
		InsufficientBalance,
		/// A counter reached its limit.
		Overflow,
		/// An availability report names another session than the current one; off-chain
		/// workers report within the session they probed in.
		ReportForAnotherSession,
		/// The reporter is not one of the current session's validators.
		NotAValidator,
		/// The validator reported in this session already; the next report is due next session.
		AlreadyReported,
		/// The report's signature is not the reporter's over the report.
		BadReportSignature,
		/// A probe names a version or artifact the registry does not hold.
		ReportForUnknownVersion,
		/// A report must hold at least one probe.
		EmptyReport,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Starts a round when one is due; its weight is the benchmarked worst case for the
		/// pledges active now.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::on_block(now)
		}

		/// Once a session, a validator's node probes a random sample of the HTTP(S) URIs and
		/// mirrors of registered versions and submits the signed report.
		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::probe_and_report(now);
		}

		fn integrity_test() {
			assert!(
				!T::MinChallengePeriod::get().is_zero(),
				"MinChallengePeriod must be at least one block"
			);
			assert!(
				T::MinTerm::get() <= T::MaxTerm::get(),
				"MinTerm must not exceed MaxTerm"
			);
			assert!(
				T::HistoryDepth::get() >= 1,
				"HistoryDepth must be at least 1"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register as a storage provider.
		///
		/// ## Dispatch Origin
		/// Signed by the provider's account.
		///
		/// ## Details
		/// Holds `ProviderStake`, which also covers the provider record's storage.
		///
		/// ## Errors
		/// - [`Error::AlreadyProvider`], [`Error::BadEndpoint`], [`Error::ZeroCapacity`]
		/// - [`Error::InsufficientBalance`]
		///
		/// ## Events
		/// - [`Event::ProviderRegistered`]
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_provider())]
		pub fn register_provider(
			origin: OriginFor<T>,
			endpoint: Endpoint,
			capacity: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_provider(who, endpoint, capacity)
		}

		/// Change the provider's endpoint and capacity.
		///
		/// ## Dispatch Origin
		/// Signed by a provider.
		///
		/// ## Errors
		/// - [`Error::NotProvider`], [`Error::BadEndpoint`], [`Error::ZeroCapacity`],
		///   [`Error::CapacityBelowPledged`]
		///
		/// ## Events
		/// - [`Event::ProviderUpdated`]
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_provider())]
		pub fn update_provider(
			origin: OriginFor<T>,
			endpoint: Endpoint,
			capacity: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_provider(who, endpoint, capacity)
		}

		/// Add `amount` to the provider's held stake (after slashes, to pledge again).
		///
		/// ## Dispatch Origin
		/// Signed by a provider.
		///
		/// ## Errors
		/// - [`Error::NotProvider`], [`Error::InsufficientBalance`], [`Error::Overflow`]
		///
		/// ## Events
		/// - [`Event::StakeAdded`]
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_stake())]
		pub fn add_stake(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_stake(who, amount)
		}

		/// Leave, releasing the stake that is left.
		///
		/// ## Dispatch Origin
		/// Signed by a provider without pledges.
		///
		/// ## Errors
		/// - [`Error::NotProvider`], [`Error::HasPledges`]
		///
		/// ## Events
		/// - [`Event::ProviderDeregistered`]
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::deregister_provider())]
		pub fn deregister_provider(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister_provider(who)
		}

		/// Pledge to keep every artifact of `version` for `term` blocks.
		///
		/// ## Dispatch Origin
		/// Signed by a provider.
		///
		/// ## Details
		/// Holds the pledge's storage deposit (its record, its index entry and a full
		/// history). The version's bytes count against the provider's capacity. The pledge is
		/// challenged in every round its term covers completely.
		///
		/// ## Errors
		/// - [`Error::NotProvider`], [`Error::StakeTooLow`], [`Error::TermTooShort`],
		///   [`Error::TermTooLong`]
		/// - [`Error::UnknownVersion`], [`Error::UnprovableVersion`], [`Error::AlreadyPledged`]
		/// - [`Error::CapacityExceeded`], [`Error::TooManyPledges`],
		///   [`Error::InsufficientBalance`], [`Error::Overflow`]
		///
		/// ## Events
		/// - [`Event::Pledged`]
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::pledge())]
		pub fn pledge(
			origin: OriginFor<T>,
			version: VersionId,
			term: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_pledge(who, version, term)
		}

		/// Extend a pledge: its term ends `term` blocks after its current end (or after now,
		/// if it has ended).
		///
		/// ## Dispatch Origin
		/// Signed by the pledging provider.
		///
		/// ## Errors
		/// - [`Error::UnknownPledge`], [`Error::NotPledger`], [`Error::TermTooShort`],
		///   [`Error::TermTooLong`]
		///
		/// ## Events
		/// - [`Event::Renewed`]
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::renew())]
		pub fn renew(
			origin: OriginFor<T>,
			pledge: PledgeId,
			term: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_renew(who, pledge, term)
		}

		/// End a pledge whose term is over, releasing its deposit and its capacity.
		///
		/// ## Dispatch Origin
		/// Signed by the pledging provider.
		///
		/// ## Errors
		/// - [`Error::UnknownPledge`], [`Error::NotPledger`], [`Error::TermNotOver`]
		///
		/// ## Events
		/// - [`Event::PledgeEnded`]
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::release())]
		pub fn release(origin: OriginFor<T>, pledge: PledgeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_release(who, pledge)
		}

		/// Answer a challenge with a proof of its segment.
		///
		/// ## Dispatch Origin
		/// Signed by the challenged provider.
		///
		/// ## Details
		/// The proof is checked against the artifact's Merkle root in the registry: position
		/// and path lengths first, then the segment's length, then the hashes. A valid answer
		/// is free of fees and earns `AnswerReward` from the pot (nothing when the pot cannot
		/// pay). An invalid one changes nothing: the challenge stays open until its round
		/// ends.
		///
		/// ## Errors
		/// - [`Error::UnknownChallenge`], [`Error::ChallengeClosed`],
		///   [`Error::AlreadyAnswered`], [`Error::NotChallengedProvider`]
		/// - [`Error::WrongPosition`], [`Error::ProofTooLong`], [`Error::WrongSegmentLength`],
		///   [`Error::ProofMismatch`], [`Error::UnprovableVersion`], [`Error::UnknownVersion`]
		///
		/// ## Events
		/// - [`Event::ChallengeAnswered`]
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::answer())]
		pub fn answer(
			origin: OriginFor<T>,
			challenge: ChallengeId,
			proof: Box<SegmentProof>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_answer(who, challenge, &proof)?;
			Ok(Pays::No.into())
		}

		/// Set the round length, from the next round on.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// ## Errors
		/// - [`Error::PeriodTooShort`]
		///
		/// ## Events
		/// - [`Event::ChallengePeriodSet`]
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_challenge_period())]
		pub fn set_challenge_period(
			origin: OriginFor<T>,
			blocks: BlockNumberFor<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(
				blocks >= T::MinChallengePeriod::get(),
				Error::<T>::PeriodTooShort
			);
			ChallengePeriod::<T>::put(blocks);
			Self::deposit_event(Event::ChallengePeriodSet { blocks });
			Ok(())
		}

		/// Mark a version as retained (its pledges are renewed from the pot) or not.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`].
		///
		/// ## Errors
		/// - [`Error::UnknownVersion`] (when retaining), [`Error::RetentionUnchanged`],
		///   [`Error::TooManyRetained`]
		///
		/// ## Events
		/// - [`Event::RetentionSet`]
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_retained())]
		pub fn set_retained(
			origin: OriginFor<T>,
			version: VersionId,
			retained: bool,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_retained(version, retained)
		}

		/// Record a validator's probes of storage URIs and mirrors.
		///
		/// ## Dispatch Origin
		/// Authorized: a general transaction without a signer, accepted by
		/// [`Pallet::authorize_report`] through `frame_system::AuthorizeCall` when `signature`
		/// is a current validator's session-key signature over
		/// `owh_primitives::availability::REPORT_CONTEXT ‖ report`. Sent by the validators'
		/// off-chain workers; no fee. Refused reports carry
		/// `InvalidTransaction::Custom(n)`, `n` being the index of the [`Error`] below.
		///
		/// ## Errors
		/// - [`Error::EmptyReport`], [`Error::ReportForAnotherSession`],
		///   [`Error::NotAValidator`], [`Error::AlreadyReported`],
		///   [`Error::ReportForUnknownVersion`], [`Error::BadReportSignature`]
		///
		/// ## Events
		/// - [`Event::AvailabilityReported`]
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::report_availability(report.probes.len() as u32))]
		#[pallet::authorize(Pallet::<T>::authorize_report)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_report_availability(
			report.probes.len() as u32
		))]
		pub fn report_availability(
			origin: OriginFor<T>,
			report: ReportOf<T>,
			signature: ReportSignatureOf<T>,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			// `authorize_report` checked the signature before the call could dispatch.
			let _ = signature;
			Self::record_report(report)
		}
	}
}
