//! Storage providers and their proofs.

use super::governance::{
	dynamic_params::storage::{DepositPerByte, DepositPerItem},
	RegistryAdminOrigin,
};
use crate::{
	AccountId, Balance, Balances, BlockNumber, Registry, Runtime, RuntimeHoldReason, DAYS, HOURS,
	MILLI_UNIT, UNIT,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU128, ConstU32},
		PalletId,
	},
	sp_runtime::{traits::AccountIdConversion, Perbill},
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
