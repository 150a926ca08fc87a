//! # Promotion Pallet
//!
//! Gated promotion of model versions: independent attestors record a version's evaluation
//! results on chain, and an alias its repository protects (say `production`) only moves to a
//! version whose attestations meet the gate written down for it in advance.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the [`Config`](pallet::Config), the dispatchable calls
//! ([`Call`](pallet::Call)), the [`Event`](pallet::Event)s and the [`Error`](pallet::Error)s.
//!
//! ## Overview
//!
//! - **Attestors** (CI systems, evaluation labs, auditors) are registered by governance with a
//!   name and the metric names they may attest, and `AttestorBond` held from their account
//!   ([`Pallet::register_attestor`]). Governance can suspend them.
//! - **Attestations.** An attestor records metric values for a version with a reference to
//!   its evidence ([`Pallet::attest`]), or signs them off-chain, bound to this chain's genesis
//!   and its next nonce, for anyone to submit ([`Pallet::submit_attestation`]). Attestations
//!   are kept for good; an attestor's newer attestation of a version supersedes its older one
//!   for the gates.
//! - **Gates.** A repository's owner (or governance) protects an alias with a gate: thresholds
//!   on named metrics, the distinct attestors each needs and the oldest attestation that
//!   counts ([`Pallet::set_gate`], [`Pallet::force_set_gate`]). Every change is kept in the
//!   alias's gate history. The registry asks [`Pallet::on_alias_move`] before it moves an
//!   alias: a protected alias moves only to a version whose gate status passes, and is never
//!   removed while protected. The evaluation is `owh_primitives::promotion::Gate::status`,
//!   the same code the client shows gate statuses with. A gate can also require a council
//!   motion or a referendum to approve the version for the alias
//!   ([`Pallet::approve_promotion`]). Each move of a protected alias is recorded with the
//!   attestations it rested on; a maintainer may yank a version that protected aliases point
//!   at, and the aliases' state is recorded with the yank.
//! - **Disputes.** Anyone can dispute an attestation with a bond ([`Pallet::open_dispute`]).
//!   Governance rules ([`Pallet::rule_dispute`]): when upheld, the attestation stops counting,
//!   the attestor's bond is slashed (`DisputerShare` to the disputer, the rest to
//!   `SlashDestination`), the attestor is suspended, and the aliases promoted on the strength
//!   of the attestation are flagged; when rejected, the disputer's bond goes to the attestor.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod attestations;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod disputes;
mod gates;
mod guard;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
#[cfg(test)]
mod mock;
mod query;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

/// What the benchmarks need from the runtime beyond the pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature>:
	owh_primitives::licensing::ModelRegistryBenchmarkHelper<AccountId>
{
	/// A new attestor key's account, and a function signing messages with it.
	fn signer() -> (AccountId, fn(&[u8]) -> Signature);
}

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use polkadot_sdk::{
		frame_support::{pallet_prelude::*, traits::fungible::MutateHold},
		frame_system::pallet_prelude::*,
		sp_runtime::{
			traits::{IdentifyAccount, Verify},
			Perbill,
		},
	};

	/// The in-code storage version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the promotion pallet.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// The native token: bonds and deposits are held in it.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The registry: versions, their repositories and repository owners.
		type Registry: ModelRegistry<Self::AccountId>;

		/// Signature an attestor gives over an attestation signed off-chain.
		type Signature: Verify<Signer = Self::Signer> + Parameter + Member;

		/// The public key behind [`Config::Signature`], which identifies an account.
		type Signer: IdentifyAccount<AccountId = Self::AccountId>;

		/// Who registers and suspends attestors, sets any alias's gate and rules on disputes
		/// (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who approves a version for a gated alias, and which approval that is: a council
		/// motion or a referendum.
		type ApproveOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Approval>;

		/// Held from an attestor while it is registered.
		#[pallet::constant]
		type AttestorBond: Get<BalanceOf<Self>>;

		/// Held from whoever opens a dispute until it is ruled on.
		#[pallet::constant]
		type DisputeBond: Get<BalanceOf<Self>>;

		/// The part of a slashed attestor bond paid to the disputer who proved it false.
		#[pallet::constant]
		type DisputerShare: Get<Perbill>;

		/// Where the rest of a slashed attestor bond goes.
		#[pallet::constant]
		type SlashDestination: Get<Self::AccountId>;

		/// Most registered attestors.
		#[pallet::constant]
		type MaxAttestors: Get<u32>;

		/// Deposit per storage entry an attestation or a gate change adds.
		#[pallet::constant]
		type DepositPerItem: Get<BalanceOf<Self>>;

		/// Deposit per encoded byte of its keys and values.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Builds registry content and signs attestations for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::Signature>;
	}

	/// Registered attestors.
	#[pallet::storage]
	pub type Attestors<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, AttestorInfoOf<T>, OptionQuery>;

	/// Every attestation, by id; kept for good.
	#[pallet::storage]
	pub type Attestations<T: Config> =
		StorageMap<_, Twox64Concat, AttestationId, AttestationOf<T>, OptionQuery>;

	/// The id the next attestation gets.
	#[pallet::storage]
	pub type NextAttestationId<T: Config> = StorageValue<_, AttestationId, ValueQuery>;

	/// Every attestation of a version: `(version, id) -> ()`.
	#[pallet::storage]
	pub type VersionAttestations<T: Config> =
		StorageDoubleMap<_, Identity, VersionId, Twox64Concat, AttestationId, (), OptionQuery>;

	/// Each attestor's latest attestation of a version: what the gates count.
	#[pallet::storage]
	pub type Latest<T: Config> = StorageMap<_, Identity, VersionId, LatestOf<T>, ValueQuery>;

	/// The gate of each protected alias.
	#[pallet::storage]
	pub type Gates<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, RepoName, Blake2_128Concat, AliasName, GateOf<T>>;

	/// Every change of an alias's gate: `((repo, alias), index) -> change`; kept for good.
	#[pallet::storage]
	pub type GateHistory<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		(RepoName, AliasName),
		Twox64Concat,
		u32,
		GateChangeOf<T>,
	>;

	/// How many changes an alias's gate history holds.
	#[pallet::storage]
	pub type GateChangeCount<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		RepoName,
		Blake2_128Concat,
		AliasName,
		u32,
		ValueQuery,
	>;

	/// How each protected alias came to point at its version.
	#[pallet::storage]
	pub type Promotions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		RepoName,
		Blake2_128Concat,
		AliasName,
		PromotionOf<T>,
	>;

	/// The protected aliases that point at a version (all of its repository).
	#[pallet::storage]
	pub type PromotedAliases<T: Config> =
		StorageMap<_, Identity, VersionId, ProtectedAliases, ValueQuery>;

	/// Governance's approval of a version for a gated alias, until the move uses it.
	#[pallet::storage]
	pub type Approvals<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		RepoName,
		Blake2_128Concat,
		AliasName,
		PromotionApprovalOf<T>,
	>;

	/// The protected aliases at a version when it was yanked: `(version, block) -> snapshot`;
	/// kept for good.
	#[pallet::storage]
	pub type YankSnapshots<T: Config> = StorageDoubleMap<
		_,
		Identity,
		VersionId,
		Twox64Concat,
		BlockNumberFor<T>,
		YankSnapshotOf<T>,
	>;

	/// Every dispute, by id; kept for good.
	#[pallet::storage]
	pub type Disputes<T: Config> =
		StorageMap<_, Twox64Concat, DisputeId, DisputeOf<T>, OptionQuery>;

	/// The id the next dispute gets.
	#[pallet::storage]
	pub type NextDisputeId<T: Config> = StorageValue<_, DisputeId, ValueQuery>;

	/// Every dispute of an attestation: `(attestation, dispute) -> ()`.
	#[pallet::storage]
	pub type AttestationDisputes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, AttestationId, Twox64Concat, DisputeId, (), OptionQuery>;

	/// The open dispute of an attestation (one at a time).
	#[pallet::storage]
	pub type OpenDisputes<T: Config> =
		StorageMap<_, Twox64Concat, AttestationId, DisputeId, OptionQuery>;

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An attestor's bond.
		AttestorBond,
		/// The storage deposit of an attestation, a gate change, a dispute or a yank snapshot.
		Deposit,
		/// A disputer's bond.
		DisputeBond,
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `attestor` was registered, with `bond` held.
		AttestorRegistered {
			attestor: T::AccountId,
			name: AttestorName,
			bond: BalanceOf<T>,
		},
		/// `attestor` was suspended (`true`) or reinstated (`false`).
		AttestorSuspended {
			attestor: T::AccountId,
			suspended: bool,
		},
		/// `attestor` attested `version`; `supersedes` is its previous attestation of it.
		Attested {
			id: AttestationId,
			version: VersionId,
			attestor: T::AccountId,
			supersedes: Option<AttestationId>,
		},
		/// The gate of `alias` in `repo` changed; `None` means the alias is no longer
		/// protected. `by` is the owner who changed it, or `None` for governance.
		GateChanged {
			repo: RepoName,
			alias: AliasName,
			gate: Option<GateOf<T>>,
			by: Option<T::AccountId>,
		},
		/// Governance approved `version` for the gated `alias` of `repo`.
		PromotionApproved {
			repo: RepoName,
			alias: AliasName,
			version: VersionId,
			approval: Approval,
		},
		/// The protected `alias` of `repo` moved to `version` on the strength of `attestations`.
		Promoted {
			repo: RepoName,
			alias: AliasName,
			version: VersionId,
			attestations: AttestationIds,
		},
		/// `version` was yanked while protected aliases pointed at it; their state is in
		/// `YankSnapshots`.
		PromotedVersionYanked {
			version: VersionId,
			aliases: ProtectedAliases,
		},
		/// `disputer` disputed `attestation`, with `bond` held.
		DisputeOpened {
			id: DisputeId,
			attestation: AttestationId,
			disputer: T::AccountId,
			bond: BalanceOf<T>,
		},
		/// The attestation was ruled false: `slashed` was taken from `attestor`'s bond,
		/// `to_disputer` of it paid to the disputer and the rest to `SlashDestination`.
		DisputeUpheld {
			id: DisputeId,
			attestation: AttestationId,
			attestor: T::AccountId,
			slashed: BalanceOf<T>,
			to_disputer: BalanceOf<T>,
		},
		/// The attestation stands: the disputer's `bond` went to `attestor`.
		DisputeRejected {
			id: DisputeId,
			attestation: AttestationId,
			attestor: T::AccountId,
			bond: BalanceOf<T>,
		},
		/// `alias` of `repo` points at `version` on the strength of `attestation`, now ruled
		/// false.
		AliasFlagged {
			repo: RepoName,
			alias: AliasName,
			version: VersionId,
			attestation: AttestationId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already an attestor.
		AlreadyAttestor,
		/// The account is not a registered attestor; governance registers attestors.
		NotAttestor,
		/// The attestor is suspended and cannot attest until governance reinstates it.
		AttestorSuspended,
		/// The attestor is already in that state.
		SuspensionUnchanged,
		/// `MaxAttestors` attestors are registered.
		TooManyAttestors,
		/// An attestor's name must be non-empty printable text.
		BadAttestorName,
		/// An attestor must be allowed at least one metric, named as in a manifest, each once
		/// and in increasing order.
		BadAllowedMetrics,
		/// The attestor's account cannot cover `AttestorBond`.
		InsufficientBond,
		/// The account cannot cover the storage deposit.
		InsufficientDeposit,
		/// No such version in the registry.
		UnknownVersion,
		/// An attestation must carry at least one metric.
		NoMetrics,
		/// Metric names must strictly increase (no name twice).
		MetricsNotSorted,
		/// The attestor is not allowed one of the metrics; governance sets what it may attest.
		MetricNotAllowed,
		/// A value is beyond ±1e9 (in millionths, as in the manifest).
		MetricOutOfRange,
		/// The evidence URI must look like `scheme:rest` in printable ASCII.
		BadEvidenceUri,
		/// The version already has attestations from `MAX_VERSION_ATTESTORS` attestors.
		TooManyVersionAttestors,
		/// The off-chain signature does not verify for this chain, attestor and content.
		BadSignature,
		/// The signed nonce is not the attestor's next nonce (used already, or signed ahead).
		WrongNonce,
		/// No such repository in the registry.
		UnknownRepository,
		/// Only the repository's owner (or governance) sets its gates.
		NotOwner,
		/// Not a valid alias name.
		BadAliasName,
		/// The alias has no gate to remove.
		NoGate,
		/// The gate is the same as the current one.
		GateUnchanged,
		/// A gate needs at least one threshold.
		NoThresholds,
		/// A gate needs between 1 and 16 attestors.
		BadAttestorCount,
		/// A gate's maximum attestation age must be at least one block.
		ZeroMaxAge,
		/// A threshold's metric name is not a valid metric name.
		BadMetricName,
		/// A threshold's bound is beyond ±1e9.
		ThresholdOutOfRange,
		/// Two thresholds bound the same metric the same way; keep the stricter one.
		DuplicateThreshold,
		/// `>= a` and `<= b` on one metric with `a > b`: no version could pass.
		ContradictoryThresholds,
		/// The alias is protected: remove its gate (owner or governance) before removing it.
		ProtectedAlias,
		/// The target version lacks enough fresh attestations naming the threshold's metric
		/// (`threshold` is its index in the gate); `owh alias status` shows each count.
		TooFewAttestations { threshold: u8 },
		/// An attested value fails the threshold (`threshold` is its index in the gate).
		ThresholdNotMet { threshold: u8 },
		/// The gate requires governance to approve the version for the alias first
		/// (`approve_promotion` by a council motion or a referendum, as the gate says).
		ApprovalRequired,
		/// The alias's gate does not ask for governance approval.
		ApprovalNotRequired,
		/// The version is not in the repository.
		VersionNotInRepository,
		/// The version is yanked; it cannot be approved or promoted.
		VersionYanked,
		/// `MAX_VERSION_ATTESTORS` protected aliases already point at the version.
		TooManyProtectedAliases,
		/// No such attestation.
		UnknownAttestation,
		/// The attestation was already ruled false.
		AttestationRuledFalse,
		/// The attestation already has an open dispute; wait for its ruling.
		DisputeAlreadyOpen,
		/// The account cannot cover `DisputeBond` and the dispute's storage deposit.
		InsufficientDisputeBond,
		/// No such dispute.
		UnknownDispute,
		/// The dispute was already ruled on.
		DisputeClosed,
		/// A counter overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register `attestor`, allowed to attest `metrics`.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`] (governance).
		///
		/// ## Details
		/// Holds `AttestorBond` from `attestor`'s account. `metrics` are metric names as in a
		/// manifest, strictly increasing.
		///
		/// ## Errors
		/// - [`Error::AlreadyAttestor`], [`Error::TooManyAttestors`]
		/// - [`Error::BadAttestorName`], [`Error::BadAllowedMetrics`]
		/// - [`Error::InsufficientBond`]
		///
		/// ## Events
		/// - [`Event::AttestorRegistered`]
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_attestor())]
		pub fn register_attestor(
			origin: OriginFor<T>,
			attestor: T::AccountId,
			name: AttestorName,
			metrics: AllowedMetrics,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_register_attestor(attestor, name, metrics)
		}

		/// Suspend an attestor (it cannot attest, and no gate counts its attestations), or
		/// reinstate it.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`] (governance).
		///
		/// ## Details
		/// Reinstating an attestor whose bond was slashed holds `AttestorBond` again.
		///
		/// ## Errors
		/// - [`Error::NotAttestor`], [`Error::SuspensionUnchanged`], [`Error::InsufficientBond`]
		///
		/// ## Events
		/// - [`Event::AttestorSuspended`]
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_attestor_suspended())]
		pub fn set_attestor_suspended(
			origin: OriginFor<T>,
			attestor: T::AccountId,
			suspended: bool,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_suspended(attestor, suspended)
		}

		/// Attest `metrics` of `version`, resting on `evidence`.
		///
		/// ## Dispatch Origin
		/// Signed by a registered, unsuspended attestor.
		///
		/// ## Details
		/// Holds a storage deposit from the attestor, kept with the attestation for good. The
		/// attestation supersedes the attestor's previous one of the version for the gates.
		///
		/// ## Errors
		/// - [`Error::NotAttestor`], [`Error::AttestorSuspended`], [`Error::UnknownVersion`]
		/// - [`Error::NoMetrics`], [`Error::MetricsNotSorted`], [`Error::MetricNotAllowed`],
		///   [`Error::MetricOutOfRange`], [`Error::BadEvidenceUri`]
		/// - [`Error::TooManyVersionAttestors`], [`Error::InsufficientDeposit`]
		///
		/// ## Events
		/// - [`Event::Attested`]
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::attest())]
		pub fn attest(
			origin: OriginFor<T>,
			version: VersionId,
			metrics: AttestedMetrics,
			evidence: Evidence,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_attest(who.clone(), who, version, metrics, evidence)
		}

		/// Submit an attestation `attestor` signed off-chain, so that an evaluation job without
		/// funds can attest.
		///
		/// ## Dispatch Origin
		/// Signed by anyone, who pays the storage deposit.
		///
		/// ## Details
		/// `signature` is the attestor's over `AttestationPayload { genesis, nonce, version,
		/// metrics, evidence }.signing_bytes()`: bound to this chain, used once (`nonce` must be
		/// the attestor's next).
		///
		/// ## Errors
		/// - [`Error::BadSignature`], [`Error::WrongNonce`]
		/// - the errors of [`Pallet::attest`]
		///
		/// ## Events
		/// - [`Event::Attested`]
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::submit_attestation())]
		pub fn submit_attestation(
			origin: OriginFor<T>,
			attestor: T::AccountId,
			nonce: u32,
			version: VersionId,
			metrics: AttestedMetrics,
			evidence: Evidence,
			signature: T::Signature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::check_signed_attestation(
				&attestor, nonce, &version, &metrics, &evidence, &signature,
			)?;
			Self::do_attest(attestor, who, version, metrics, evidence)
		}

		/// Protect `alias` of `repo` with `gate`, change its gate, or (`None`) unprotect it.
		///
		/// ## Dispatch Origin
		/// Signed by the repository's owner.
		///
		/// ## Details
		/// The change is appended to the alias's gate history, with a deposit held from the
		/// owner for good. The alias need not exist yet.
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`], [`Error::NotOwner`], [`Error::BadAliasName`]
		/// - [`Error::NoGate`], [`Error::GateUnchanged`]
		/// - [`Error::NoThresholds`], [`Error::BadAttestorCount`], [`Error::ZeroMaxAge`],
		///   [`Error::BadMetricName`], [`Error::ThresholdOutOfRange`],
		///   [`Error::DuplicateThreshold`], [`Error::ContradictoryThresholds`]
		/// - [`Error::InsufficientDeposit`]
		///
		/// ## Events
		/// - [`Event::GateChanged`]
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_gate())]
		pub fn set_gate(
			origin: OriginFor<T>,
			repo: RepoName,
			alias: AliasName,
			gate: Option<GateOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let owner = T::Registry::owner_of(&repo).ok_or(Error::<T>::UnknownRepository)?;
			ensure!(owner == who, Error::<T>::NotOwner);
			Self::do_set_gate(Some(who), repo, alias, gate)
		}

		/// Set or remove any alias's gate, without a deposit.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`] (governance).
		///
		/// ## Errors
		/// - [`Error::UnknownRepository`] and the gate errors of [`Pallet::set_gate`]
		///
		/// ## Events
		/// - [`Event::GateChanged`]
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_gate())]
		pub fn force_set_gate(
			origin: OriginFor<T>,
			repo: RepoName,
			alias: AliasName,
			gate: Option<GateOf<T>>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(
				T::Registry::owner_of(&repo).is_some(),
				Error::<T>::UnknownRepository
			);
			Self::do_set_gate(None, repo, alias, gate)
		}

		/// Approve `version` for the gated `alias` of `repo`, replacing an earlier approval.
		///
		/// ## Dispatch Origin
		/// [`Config::ApproveOrigin`]: a council motion or a referendum, which is the approval
		/// given.
		///
		/// ## Details
		/// The approval is used up by the move to `version`. The thresholds still have to hold
		/// at that moment.
		///
		/// ## Errors
		/// - [`Error::UnknownVersion`], [`Error::VersionNotInRepository`],
		///   [`Error::VersionYanked`]
		/// - [`Error::NoGate`], [`Error::ApprovalNotRequired`]
		///
		/// ## Events
		/// - [`Event::PromotionApproved`]
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::approve_promotion())]
		pub fn approve_promotion(
			origin: OriginFor<T>,
			repo: RepoName,
			alias: AliasName,
			version: VersionId,
		) -> DispatchResult {
			let approval = T::ApproveOrigin::ensure_origin(origin)?;
			Self::do_approve(repo, alias, version, approval)
		}

		/// Dispute `attestation`, resting on `evidence`.
		///
		/// ## Dispatch Origin
		/// Signed by anyone.
		///
		/// ## Details
		/// Holds `DisputeBond` until governance rules, and a storage deposit for the record
		/// for good. Upheld: the bond is returned with `DisputerShare` of the attestor's slashed
		/// bond. Rejected: the bond goes to the attestor.
		///
		/// ## Errors
		/// - [`Error::UnknownAttestation`], [`Error::AttestationRuledFalse`],
		///   [`Error::DisputeAlreadyOpen`]
		/// - [`Error::BadEvidenceUri`], [`Error::InsufficientDisputeBond`]
		///
		/// ## Events
		/// - [`Event::DisputeOpened`]
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::open_dispute())]
		pub fn open_dispute(
			origin: OriginFor<T>,
			attestation: AttestationId,
			evidence: Evidence,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_dispute(who, attestation, evidence)
		}

		/// Rule on dispute `id`: `upheld` if the attestation is false.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`] (governance: a council motion or a referendum).
		///
		/// ## Details
		/// Upheld: the attestation is marked ruled false and no gate counts it; the attestor's
		/// whole bond is slashed, `DisputerShare` to the disputer and the rest to
		/// `SlashDestination`; the attestor is suspended (reinstating it holds a new bond); the
		/// disputer's bond is released; protected aliases promoted on the attestation are
		/// flagged. Rejected: the disputer's bond is paid to the attestor.
		///
		/// ## Errors
		/// - [`Error::UnknownDispute`], [`Error::DisputeClosed`]
		///
		/// ## Events
		/// - [`Event::DisputeUpheld`] and [`Event::AliasFlagged`] for each flagged alias, or
		///   [`Event::DisputeRejected`]
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::rule_dispute())]
		pub fn rule_dispute(origin: OriginFor<T>, id: DisputeId, upheld: bool) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_rule_dispute(id, upheld)
		}
	}
}
