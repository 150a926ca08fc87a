//! A test runtime for the registry pallet, with real balances, timestamps and sr25519
//! signatures.

use crate as pallet_registry;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64},
	},
	frame_system::{self, EnsureRoot, EnsureSigned},
	pallet_balances, pallet_timestamp, sp_io,
	sp_keystore::{testing::MemoryKeystore, KeystoreExt},
	sp_runtime::{
		traits::{IdentifyAccount, IdentityLookup, Verify},
		BuildStorage, MultiSignature,
	},
};

pub type Signature = MultiSignature;
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

#[polkadot_sdk::frame_support::runtime]
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
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type Registry = pallet_registry;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

pub const DEPOSIT_PER_ITEM: Balance = 500;
pub const DEPOSIT_PER_BYTE: Balance = 2;
/// The fixed alias deposit of storage version 1, which its migrations hold.
pub const V1_ALIAS_DEPOSIT: Balance = 100;

parameter_types! {
	pub static MaxArtifacts: u32 = 8;
}

impl pallet_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Time = Timestamp;
	type Signature = Signature;
	type Signer = <Signature as Verify>::Signer;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type DepositPerItem = ConstU128<DEPOSIT_PER_ITEM>;
	type DepositPerByte = ConstU128<DEPOSIT_PER_BYTE>;
	type MaxMirrors = ConstU32<3>;
	type MaxArtifacts = MaxArtifacts;
	type MaxParents = ConstU32<4>;
	type MaxMaintainers = ConstU32<3>;
	type MaxLineageDepth = ConstU32<8>;
	type MaxQueryResults = ConstU32<16>;
	type ManifestByteWeight = ();
	type OnVersionCommitted = ();
	type AliasGuard = ();
	type ForceOrigin = EnsureRoot<AccountId>;
	type WeightInfo = ();
}

pub fn alice() -> AccountId {
	polkadot_sdk::sp_keyring::Sr25519Keyring::Alice.to_account_id()
}
pub fn bob() -> AccountId {
	polkadot_sdk::sp_keyring::Sr25519Keyring::Bob.to_account_id()
}
pub fn charlie() -> AccountId {
	polkadot_sdk::sp_keyring::Sr25519Keyring::Charlie.to_account_id()
}
/// An account with no funds at all.
pub fn pauper() -> AccountId {
	polkadot_sdk::sp_keyring::Sr25519Keyring::Ferdie.to_account_id()
}

pub const ENDOWMENT: Balance = 10_000_000;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(alice(), ENDOWMENT),
			(bob(), ENDOWMENT),
			(charlie(), ENDOWMENT),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(1_700_000_000_000);
	});
	ext
}
