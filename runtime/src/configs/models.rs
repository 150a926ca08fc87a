//! The model registry.

use crate::{
	AccountId, Balance, Balances, Runtime, RuntimeHoldReason, Signature, Timestamp, MILLI_UNIT,
	UNIT,
};
use polkadot_sdk::{
	frame_support::traits::{AsEnsureOriginWithArg, ConstU128, ConstU32},
	frame_system::EnsureSigned,
	sp_runtime::traits::Verify,
};

/// Deposit for a repository: 1 OWH.
pub const REPOSITORY_DEPOSIT: Balance = UNIT;
/// Fixed part of a version deposit: 0.1 OWH.
pub const VERSION_DEPOSIT_BASE: Balance = 100 * MILLI_UNIT;
/// Per byte of encoded manifest: 0.1 mOWH (a 10 KiB manifest holds ~1 OWH).
pub const DEPOSIT_PER_BYTE: Balance = MILLI_UNIT / 10;
/// Per mirror added to a version: 0.02 OWH, released when the mirror is removed.
pub const MIRROR_DEPOSIT: Balance = 20 * MILLI_UNIT;
/// Per alias move: 0.01 OWH.
pub const ALIAS_DEPOSIT: Balance = 10 * MILLI_UNIT;

impl pallet_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Time = Timestamp;
	type Signature = Signature;
	type Signer = <Signature as Verify>::Signer;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type RepositoryDeposit = ConstU128<REPOSITORY_DEPOSIT>;
	type VersionDepositBase = ConstU128<VERSION_DEPOSIT_BASE>;
	type DepositPerByte = ConstU128<DEPOSIT_PER_BYTE>;
	type AliasDeposit = ConstU128<ALIAS_DEPOSIT>;
	type MirrorDeposit = ConstU128<MIRROR_DEPOSIT>;
	type MaxMirrors = ConstU32<8>;
	type MaxArtifacts = ConstU32<{ owh_primitives::MAX_ARTIFACTS }>;
	type MaxParents = ConstU32<{ owh_primitives::MAX_PARENTS }>;
	type MaxMaintainers = ConstU32<32>;
	type MaxLineageDepth = ConstU32<64>;
	type MaxQueryResults = ConstU32<1000>;
	type WeightInfo = pallet_registry::weights::SubstrateWeight<Runtime>;
}
