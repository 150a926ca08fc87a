//! Licensing and royalties.

use crate::{Balance, Balances, Registry, Runtime, RuntimeHoldReason, MILLI_UNIT};
use polkadot_sdk::frame_support::traits::{ConstU128, ConstU32};

/// Deposit for an offer: 0.01 OWH, held for good (offers are permanent records).
pub const OFFER_DEPOSIT: Balance = 10 * MILLI_UNIT;
/// Deposit per contributor of a version: 1 mOWH.
pub const CONTRIBUTOR_DEPOSIT: Balance = MILLI_UNIT;
/// Deposit for a license record: 1 mOWH, from the buyer or the granting maintainer.
pub const LICENSE_DEPOSIT: Balance = MILLI_UNIT;
/// Deposit for a metering account: 0.01 OWH, released when it is removed.
pub const METER_DEPOSIT: Balance = 10 * MILLI_UNIT;

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
	type MaxQueryResults = ConstU32<1000>;
	type WeightInfo = pallet_licensing::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Registry;
}
