//! Storage providers and their proofs.

use super::governance::{
	dynamic_params::storage::{DepositPerByte, DepositPerItem},
	RegistryAdminOrigin,
};
use crate::{
	AccountId, Balance, Balances, BlockNumber, Registry, Runtime, RuntimeCall, RuntimeHoldReason,
	Session, TxExtension, UncheckedExtrinsic, DAYS, HOURS, MILLI_UNIT, UNIT,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU128, ConstU32, ConstU64},
		PalletId,
	},
	frame_system, pallet_aura,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_runtime::{
		generic, traits::AccountIdConversion, transaction_validity::TransactionPriority, Perbill,
	},
};

/// The pallet id behind the storage pot: slashed stake flows in, answer and retention rewards
/// flow out, and anyone may fund it with a transfer.
pub const STORAGE_POT_ID: PalletId = PalletId(*b"owh/stpt");
/// Rounds in the consortium preset: every pledge is challenged once an hour.
pub const CHALLENGE_PERIOD: BlockNumber = HOURS;
/// Rounds in the development presets: one a minute.
pub const DEV_CHALLENGE_PERIOD: BlockNumber = 10;
/// What the development presets put in the pot, so answers are rewarded from the start.
pub const DEV_POT_FUNDS: Balance = 10_000 * UNIT;

parameter_types! {
	pub const StoragePotId: PalletId = STORAGE_POT_ID;
	pub StoragePot: AccountId = STORAGE_POT_ID.into_account_truncating();
	pub const SlashPerMiss: Perbill = Perbill::from_percent(10);
	pub const MinChallengePeriod: BlockNumber = 4;
	pub const MinTerm: BlockNumber = 100;
	pub const MaxTerm: BlockNumber = 365 * DAYS;
	pub const RetentionTerm: BlockNumber = 30 * DAYS;
}

impl pallet_storage_proofs::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Versions = Registry;
	// Reports are signed with the validator's Aura session key.
	type AuthorityId = AuraId;
	type Reporters = SessionValidators;
	// One HTTP request of a probe: a chunk (1 MiB by default) or a chunk list.
	type ProbeTimeout = ConstU64<10_000>;
	type ReportPriority = ConstU64<{ TransactionPriority::MAX / 2 }>;
	type AdminOrigin = RegistryAdminOrigin;
	type PotId = StoragePotId;
	type ProviderStake = ConstU128<{ 100 * UNIT }>;
	// The registry's deposit rule, so every stored item pays by the same formula.
	type DepositPerItem = DepositPerItem;
	type DepositPerByte = DepositPerByte;
	// 128 pledges × 2 challenges: 256 answers of about 4.7 KB per round.
	type MaxPledges = ConstU32<128>;
	type ChallengesPerPledge = ConstU32<2>;
	type MinChallengePeriod = MinChallengePeriod;
	type MinTerm = MinTerm;
	type MaxTerm = MaxTerm;
	type SlashPerMiss = SlashPerMiss;
	type AnswerReward = ConstU128<{ 10 * MILLI_UNIT }>;
	// Two whole rounds missed in a row end a pledge.
	type MaxMissesInARow = ConstU32<4>;
	type HistoryDepth = ConstU32<32>;
	type MaxRetained = ConstU32<256>;
	type RetentionTerm = RetentionTerm;
	type RetentionReward = ConstU128<UNIT>;
	type WeightInfo = pallet_storage_proofs::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Registry;
}

/// The validators that may report availability: the current Aura authorities, which the
/// session rotates to the governed validator set.
pub struct SessionValidators;
impl pallet_storage_proofs::ReporterSet<AuraId> for SessionValidators {
	fn session_index() -> u32 {
		Session::current_index()
	}
	fn reporters() -> alloc::vec::Vec<AuraId> {
		pallet_aura::Authorities::<Runtime>::get().into_inner()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn set_reporters(keys: alloc::vec::Vec<AuraId>) {
		pallet_aura::Authorities::<Runtime>::put(
			polkadot_sdk::frame_support::BoundedVec::truncate_from(keys),
		);
	}
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extension = TxExtension;

	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		generic::UncheckedExtrinsic::new_transaction(call, extension)
	}
}

/// How the off-chain workers' authorized calls are wrapped: a general transaction without a
/// signer, valid in every era and for any nonce (neither applies without a signer), free.
impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_extension() -> TxExtension {
		(
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(generic::Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(0),
			frame_system::CheckWeight::<Runtime>::new(),
			polkadot_sdk::pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			polkadot_sdk::frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
			frame_system::WeightReclaim::<Runtime>::new(),
		)
	}
}
