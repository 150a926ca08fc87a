//! Licensing and royalties.

use super::governance::{
	dynamic_params::storage::{DepositPerByte, DepositPerItem},
	RegistryAdminOrigin,
};
use crate::{AccountId, Balances, Registry, Runtime, RuntimeHoldReason};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32, PalletId},
	sp_runtime::{traits::AccountIdConversion, Permill},
};

/// The pallet id behind the fallback payee account.
pub const FALLBACK_PAYEE_ID: PalletId = PalletId(*b"owh/lcfb");

parameter_types! {
	/// Parents together take at most half of what flows into a version, so whoever sells or
	/// derives a version always keeps at least half of its income.
	pub const MaxRoyaltyRate: Permill = Permill::from_percent(50);
	/// Receives payment legs that neither their payee nor the repository owner can receive.
	/// Funded in genesis above the existential deposit; nothing spends from it until
	/// governance decides what to do with it.
	pub FallbackPayee: AccountId = FALLBACK_PAYEE_ID.into_account_truncating();
}

impl pallet_licensing::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	// The registry's deposit rule, so every stored item pays by the same formula.
	type DepositPerItem = DepositPerItem;
	type DepositPerByte = DepositPerByte;
	type MaxOffersPerTarget = ConstU32<8>;
	type MaxContributors = ConstU32<16>;
	type MaxMeters = ConstU32<8>;
	type MaxRoyaltyDepth = ConstU32<8>;
	type MaxRoyaltyVersions = ConstU32<16>;
	type MaxRoyaltyInspections = ConstU32<64>;
	type MaxRoyaltyRate = MaxRoyaltyRate;
	type FallbackPayee = FallbackPayee;
	type MaxQueryResults = ConstU32<1000>;
	type ForceOrigin = RegistryAdminOrigin;
	type WeightInfo = pallet_licensing::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Registry;
}
