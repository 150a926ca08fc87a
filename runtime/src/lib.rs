//! # OpenWeightHub runtime
//!
//! The state machine of the OpenWeightHub app-chain: consensus (Aura + GRANDPA), balances and
//! fees, and the model registry. Configuration is split by domain under [`configs`]; runtime
//! APIs are in [`apis`]; genesis presets in [`genesis_config_presets`].
#![cfg_attr(not(feature = "std"), no_std)]
// Runtime code must never panic: deny the usual sources of panics in the wasm build.
#![cfg_attr(
	not(feature = "std"),
	deny(
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing,
		clippy::arithmetic_side_effects,
		clippy::panic
	)
)]
// `construct_runtime` expands to a deep recursion of types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
#[cfg(test)]
mod tests;

extern crate alloc;

use alloc::vec::Vec;

use polkadot_sdk::{
	frame_executive, frame_metadata_hash_extension, frame_support, frame_system,
	pallet_transaction_payment, sp_core,
	sp_runtime::{
		generic, impl_opaque_keys,
		traits::{BlakeTwo256, IdentifyAccount, Verify},
		MultiAddress, MultiSignature,
	},
	sp_version::{self, RuntimeVersion},
};

pub use pallet_registry::Call as RegistryCall;
#[cfg(any(feature = "std", test))]
pub use polkadot_sdk::sp_runtime::BuildStorage;
pub use polkadot_sdk::{
	frame_system::Call as SystemCall, pallet_balances::Call as BalancesCall,
	pallet_timestamp::Call as TimestampCall,
};

/// Opaque types, for the node, which must not depend on the details of extrinsics.
pub mod opaque {
	use super::*;
	use polkadot_sdk::sp_runtime::traits::Hash as HashT;

	pub use polkadot_sdk::sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator.
	pub struct SessionKeys {
		/// Block authoring.
		pub aura: Aura,
		/// Finality.
		pub grandpa: Grandpa,
	}
}

/// The runtime version.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("owh"),
	impl_name: alloc::borrow::Cow::Borrowed("owh-node"),
	authoring_version: 1,
	spec_version: 111,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// Block times.
mod block_times {
	/// Target block time. Slots are this long; changing it bricks a running chain.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
	/// Aura slot duration.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
}
pub use block_times::*;

/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// One OWH: 10^12 base units (`tokenDecimals` = 12).
pub const UNIT: Balance = 1_000_000_000_000;
/// 10^-3 OWH.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// 10^-6 OWH.
pub const MICRO_UNIT: Balance = 1_000_000;

/// Existential deposit.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Token symbol shown by wallets.
pub const TOKEN_SYMBOL: &str = "OWH";
/// Token decimals shown by wallets.
pub const TOKEN_DECIMALS: u8 = 12;
/// SS58 address prefix (42, the generic Substrate prefix, until we register our own).
pub const SS58_PREFIX: u16 = 42;

/// Transaction signature: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// An account id: the public key behind a [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Transaction index of an account.
pub type Nonce = u32;
/// Block and state hash.
pub type Hash = sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// Milliseconds since the Unix epoch.
pub type Moment = u64;
/// The address format of extrinsics.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block with a justification.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block id.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, all standard so polkadot.js apps can sign. `AuthorizeCall`
/// comes first: it turns a general transaction whose call has a `#[pallet::authorize]` check
/// (the validators' availability reports) into the `Authorized` origin; it encodes to nothing.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload signed in a transaction.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run at the next runtime upgrade. Each is versioned: it runs only when
/// its pallet's on-chain storage version is the one it migrates from.
type Migrations = (
	pallet_registry::migrations::v1::MigrateV0ToV1<Runtime, V1AliasDeposit>,
	pallet_registry::migrations::v2::MigrateV1ToV2<Runtime, V1AliasDeposit>,
	pallet_registry::migrations::v3::MigrateV2ToV3<Runtime>,
	pallet_registry::migrations::v4::MigrateV3ToV4<Runtime>,
	pallet_licensing::migrations::v1::MigrateV0ToV1<Runtime>,
	configs::validators::SeatConsensusAuthorities,
);
/// The fixed alias deposit of registry storage version 1.
type V1AliasDeposit = frame_support::traits::ConstU128<{ configs::models::V1_ALIAS_DEPOSIT }>;

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = polkadot_sdk::frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = polkadot_sdk::pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = polkadot_sdk::pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = polkadot_sdk::pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = polkadot_sdk::pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = polkadot_sdk::pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Utility = polkadot_sdk::pallet_utility;

	/// The `development` preset only: every other preset leaves its key unset, so every
	/// sudo call fails there; governance decides instead.
	#[runtime::pallet_index(7)]
	pub type Sudo = polkadot_sdk::pallet_sudo;

	/// Who validates, decided by governance; `Session`'s session manager.
	#[runtime::pallet_index(8)]
	pub type ValidatorSet = pallet_validator_set;

	/// Sessions: rotates the Aura and GRANDPA authorities to the set at session boundaries.
	#[runtime::pallet_index(9)]
	pub type Session = polkadot_sdk::pallet_session;

	#[runtime::pallet_index(10)]
	pub type Registry = pallet_registry;

	#[runtime::pallet_index(11)]
	pub type Licensing = pallet_licensing;

	#[runtime::pallet_index(12)]
	pub type StorageProofs = pallet_storage_proofs;

	#[runtime::pallet_index(13)]
	pub type Promotion = pallet_promotion;

	#[runtime::pallet_index(20)]
	pub type Scheduler = polkadot_sdk::pallet_scheduler;

	#[runtime::pallet_index(21)]
	pub type Preimage = polkadot_sdk::pallet_preimage;

	/// The origins of the governance tracks.
	#[runtime::pallet_index(22)]
	pub type Origins = crate::configs::governance::origins::pallet_origins;

	#[runtime::pallet_index(23)]
	pub type Referenda = polkadot_sdk::pallet_referenda;

	#[runtime::pallet_index(24)]
	pub type ConvictionVoting = polkadot_sdk::pallet_conviction_voting;

	/// The consortium council.
	#[runtime::pallet_index(25)]
	pub type Council = polkadot_sdk::pallet_collective<Instance1>;

	/// Who sits on the council.
	#[runtime::pallet_index(26)]
	pub type Membership = polkadot_sdk::pallet_membership<Instance1>;

	#[runtime::pallet_index(27)]
	pub type Parameters = polkadot_sdk::pallet_parameters;
}
