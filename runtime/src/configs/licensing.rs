//! Licensing and royalties.

use crate::{AccountId, Balance, Balances, Registry, Runtime, RuntimeHoldReason, MILLI_UNIT};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU128, ConstU32},
		PalletId,
	},
	sp_runtime::{traits::AccountIdConversion, Permill},
};

/// Deposit for an offer: 0.01 OWH, held for good (offers are permanent records).
pub const OFFER_DEPOSIT: Balance = 10 * MILLI_UNIT;
/// Deposit per contributor of a version: 1 mOWH.
pub const CONTRIBUTOR_DEPOSIT: Balance = MILLI_UNIT;
/// Deposit for a license record: 1 mOWH, from the buyer or the granting maintainer.
pub const LICENSE_DEPOSIT: Balance = MILLI_UNIT;
/// Deposit for a metering account: 0.01 OWH, released when it is removed.
pub const METER_DEPOSIT: Balance = 10 * MILLI_UNIT;
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
	type OfferDeposit = ConstU128<OFFER_DEPOSIT>;
	type ContributorDeposit = ConstU128<CONTRIBUTOR_DEPOSIT>;
	type LicenseDeposit = ConstU128<LICENSE_DEPOSIT>;
	type MeterDeposit = ConstU128<METER_DEPOSIT>;
	type MaxOffersPerTarget = ConstU32<8>;
	type MaxContributors = ConstU32<16>;
	type MaxMeters = ConstU32<8>;
	type MaxRoyaltyDepth = ConstU32<8>;
	type MaxRoyaltyVersions = ConstU32<16>;
	type MaxRoyaltyInspections = ConstU32<64>;
	type MaxRoyaltyRate = MaxRoyaltyRate;
	type FallbackPayee = FallbackPayee;
	type MaxQueryResults = ConstU32<1000>;
	type WeightInfo = pallet_licensing::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Registry;
}
