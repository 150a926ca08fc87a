//! The model registry.

use super::governance::{
	dynamic_params::storage::{DepositPerByte, DepositPerItem},
	RegistryAdminOrigin,
};
use crate::{
	AccountId, Balance, Balances, Runtime, RuntimeHoldReason, Signature, Timestamp, MILLI_UNIT,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{AsEnsureOriginWithArg, ConstU32},
		weights::Weight,
	},
	frame_system::EnsureSigned,
	sp_runtime::traits::Verify,
};

/// The default deposit rule of every stored item, in every pallet (governance changes it on
/// the `parameters` track): per storage entry 0.01 OWH ...
pub const DEPOSIT_PER_ITEM: Balance = 10 * MILLI_UNIT;
/// ... plus per encoded byte of its keys and values 0.1 mOWH (a 10 KiB manifest holds about
/// 1 OWH; a license of about 0.9 KB about 0.1 OWH).
pub const DEPOSIT_PER_BYTE: Balance = MILLI_UNIT / 10;
/// The fixed alias deposit of registry storage version 1, which its migrations hold and record.
pub const V1_ALIAS_DEPOSIT: Balance = 10 * MILLI_UNIT;

/// 10 ns of execution per encoded manifest byte, beyond `commit_version`'s benchmark. Blocks
/// holding two of the largest commits (1,478,873 bytes each) took 39 to 47 ms to execute
/// against 20.2 ms of benchmarked weight: 6.6 to 9.1 ns per byte more over three runs of
/// `scripts/bench-block.sh` (2026-11-23). 10 ns covers the slowest. See `docs/benchmarks.md`.
pub const MANIFEST_BYTE_REF_TIME: u64 = 10_000;

parameter_types! {
	pub const ManifestByteWeight: Weight = Weight::from_parts(MANIFEST_BYTE_REF_TIME, 0);
}

impl pallet_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Time = Timestamp;
	type Signature = Signature;
	type Signer = <Signature as Verify>::Signer;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type DepositPerItem = DepositPerItem;
	type DepositPerByte = DepositPerByte;
	type MaxMirrors = ConstU32<8>;
	type MaxArtifacts = ConstU32<{ owh_primitives::MAX_ARTIFACTS }>;
	type MaxParents = ConstU32<{ owh_primitives::MAX_PARENTS }>;
	type MaxMaintainers = ConstU32<32>;
	type MaxLineageDepth = ConstU32<64>;
	type MaxQueryResults = ConstU32<1000>;
	type ManifestByteWeight = ManifestByteWeight;
	type OnVersionCommitted = crate::Licensing;
	type AliasGuard = super::promotion::PromotionGuard;
	type ForceOrigin = RegistryAdminOrigin;
	type WeightInfo = pallet_registry::weights::SubstrateWeight<Runtime>;
}
