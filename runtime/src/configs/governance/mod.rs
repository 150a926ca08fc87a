//! Governance: referenda with tracks (`Referenda`, `ConvictionVoting`, `Scheduler`,
//! `Preimage`), the consortium council (`Council`, fed by `Membership`), and the parameters
//! governance changes without a runtime upgrade (`Parameters`). `docs/governance.md` says who
//! decides what.

pub mod origins;
#[cfg(test)]
mod tests;
pub mod tracks;

use super::models::{DEPOSIT_PER_BYTE, DEPOSIT_PER_ITEM};
use crate::{
	configs::RuntimeBlockWeights, AccountId, Balance, Balances, BlockNumber, OriginCaller,
	Preimage, Referenda, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin,
	Scheduler, System, DAYS, UNIT,
};
use polkadot_sdk::{
	frame_support::{
		dynamic_params::{dynamic_pallet_params, dynamic_params},
		parameter_types,
		traits::{
			fungible::HoldConsideration, tokens::currency::ActiveIssuanceOf, AsEnsureOriginWithArg,
			ConstU128, ConstU32, EitherOf, EqualPrivilegeOnly, LinearStoragePrice,
		},
		weights::Weight,
	},
	frame_system::{EnsureRoot, EnsureSigned},
	pallet_collective, pallet_conviction_voting, pallet_membership, pallet_parameters,
	pallet_preimage, pallet_referenda, pallet_scheduler,
	sp_runtime::Perbill,
};

/// The council of consortium members.
pub type CouncilCollective = pallet_collective::Instance1;

/// A council motion carried by at least two thirds of the members.
pub type CouncilTwoThirds =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>;
/// A council motion carried by more than half of the members.
pub type CouncilMajority =
	pallet_collective::EnsureProportionMoreThan<AccountId, CouncilCollective, 1, 2>;

/// Root, or two thirds of the council: who adds and removes council members.
pub type RootOrCouncil = EitherOf<EnsureRoot<AccountId>, CouncilTwoThirds>;
/// Forced registry and licensing actions: a `registry_admin` referendum, two thirds of the
/// council, or root.
pub type RegistryAdminOrigin =
	EitherOf<EnsureRoot<AccountId>, EitherOf<origins::RegistryAdmin, CouncilTwoThirds>>;
/// Validator-set changes: a `validator_admin` referendum, two thirds of the council, or root.
pub type ValidatorAdminOrigin =
	EitherOf<EnsureRoot<AccountId>, EitherOf<origins::ValidatorAdmin, CouncilTwoThirds>>;
/// Parameter changes: a `parameters` referendum, or root.
pub type ParameterAdminOrigin = EitherOf<EnsureRoot<AccountId>, origins::ParameterAdmin>;

/// The most members the council can have.
pub const COUNCIL_MAX_MEMBERS: u32 = 32;

impl origins::Config for Runtime {}

/// `share` of a block's weight, rounded down.
fn share_of_block(share: Perbill) -> Weight {
	let max = RuntimeBlockWeights::get().max_block;
	Weight::from_parts(
		share.mul_floor(max.ref_time()),
		share.mul_floor(max.proof_size()),
	)
}

parameter_types! {
	/// Scheduled calls may use up to 80% of a block.
	pub MaximumSchedulerWeight: Weight = share_of_block(Perbill::from_percent(80));
	/// A council motion may carry a call of at most half a block.
	pub MaxCollectiveProposalWeight: Weight = share_of_block(Perbill::from_percent(50));
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// A preimage holds 1 OWH plus the deposit rule's per-byte rate: a 1.5 MB runtime about
/// 150 OWH, returned when the preimage is removed.
pub const PREIMAGE_BASE_DEPOSIT: Balance = UNIT;

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<
			ConstU128<PREIMAGE_BASE_DEPOSIT>,
			dynamic_params::storage::DepositPerByte,
			Balance,
		>,
	>;
}

/// Submitting a referendum holds 10 OWH; the track's decision deposit comes on top.
pub const SUBMISSION_DEPOSIT: Balance = 10 * UNIT;

parameter_types! {
	pub const SubmissionDeposit: Balance = SUBMISSION_DEPOSIT;
	pub const UndecidingTimeout: BlockNumber = 14 * DAYS;
	pub const VoteLockingPeriod: BlockNumber = 7 * DAYS;
}

impl pallet_referenda::Config for Runtime {
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, CouncilMajority>;
	type KillOrigin = RootOrCouncil;
	type Slash = ();
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = ConstU32<1>;
	type Tracks = tracks::TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_conviction_voting::Config for Runtime {
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Polls = Referenda;
	type MaxTurnout = ActiveIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<128>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

parameter_types! {
	/// A council motion lapses after three days unless closed earlier with enough votes.
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<COUNCIL_MAX_MEMBERS>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	// Membership changes go through `Membership`, which keeps the council in step.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCollectiveProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = RootOrCouncil;
	type RemoveOrigin = RootOrCouncil;
	type SwapOrigin = RootOrCouncil;
	type ResetOrigin = RootOrCouncil;
	type PrimeOrigin = RootOrCouncil;
	type MembershipInitialized = crate::Council;
	type MembershipChanged = crate::Council;
	type MaxMembers = ConstU32<COUNCIL_MAX_MEMBERS>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

/// Values governance changes on the `parameters` track, without a runtime upgrade. Limits
/// that bound stored records (`MaxArtifacts`, `MaxParents`, ...) are not among them:
/// lowering one would make records already stored undecodable.
#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<Runtime>)]
pub mod dynamic_params {
	use super::*;

	/// The deposit rule of every stored item, in every pallet.
	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod storage {
		/// Per storage entry; [`DEPOSIT_PER_ITEM`] until governance changes it.
		#[codec(index = 0)]
		pub static DepositPerItem: Balance = DEPOSIT_PER_ITEM;
		/// Per encoded byte of keys and values; [`DEPOSIT_PER_BYTE`] until governance
		/// changes it.
		#[codec(index = 1)]
		pub static DepositPerByte: Balance = DEPOSIT_PER_BYTE;
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		RuntimeParameters::Storage(dynamic_params::storage::Parameters::DepositPerItem(
			dynamic_params::storage::DepositPerItem,
			Some(DEPOSIT_PER_ITEM),
		))
	}
}

impl pallet_parameters::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeParameters = RuntimeParameters;
	type AdminOrigin = AsEnsureOriginWithArg<ParameterAdminOrigin>;
	/// The pallet exports its measured weights only as `()` (with RocksDB read and write costs,
	/// dearer than this runtime's ParityDB ones).
	type WeightInfo = ();
}
