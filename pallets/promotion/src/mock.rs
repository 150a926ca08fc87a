//! A test runtime for the promotion pallet, with real balances and a registry double.

use crate as pallet_promotion;
use core::cell::RefCell;
use owh_primitives::{licensing::ModelRegistry, RepoName, VersionId};
use polkadot_sdk::{
	frame_support::{derive_impl, parameter_types, traits::ConstU32},
	frame_system::{self, EnsureRoot},
	pallet_balances, sp_io,
	sp_runtime::{
		testing::{TestSignature, UintAuthorityId},
		BuildStorage,
	},
};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Promotion = pallet_promotion;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	static VERSIONS: RefCell<BTreeMap<VersionId, RepoName>> = const { RefCell::new(BTreeMap::new()) };
	static OWNERS: RefCell<BTreeMap<RepoName, AccountId>> = const { RefCell::new(BTreeMap::new()) };
}

/// A repository name.
pub fn repo(name: &str) -> RepoName {
	name.as_bytes().to_vec().try_into().unwrap()
}

/// Creates `name`, owned by `owner`, in the registry double.
pub fn create_repo(name: &str, owner: AccountId) {
	OWNERS.with(|o| o.borrow_mut().insert(repo(name), owner));
}

/// Registers version `byte` (its id is 32 times that byte) in `name`.
pub fn register_version(name: &str, byte: u8) -> VersionId {
	let id = VersionId([byte; 32]);
	VERSIONS.with(|v| v.borrow_mut().insert(id, repo(name)));
	id
}

/// The registry double.
pub struct MockRegistry;
impl ModelRegistry<AccountId> for MockRegistry {
	fn repository_of(version: &VersionId) -> Option<RepoName> {
		VERSIONS.with(|v| v.borrow().get(version).cloned())
	}
	fn lineage_of(version: &VersionId) -> Option<(RepoName, Vec<VersionId>)> {
		Self::repository_of(version).map(|r| (r, Vec::new()))
	}
	fn owner_of(repo: &RepoName) -> Option<AccountId> {
		OWNERS.with(|o| o.borrow().get(repo).copied())
	}
	fn is_maintainer(who: &AccountId, repo: &RepoName) -> bool {
		Self::owner_of(repo) == Some(*who)
	}
	fn is_yanked(_: &VersionId) -> bool {
		false
	}
	fn all_lineages() -> Vec<(VersionId, Vec<VersionId>)> {
		Vec::new()
	}
}

parameter_types! {
	pub const AttestorBond: u64 = 1_000;
	pub const DepositPerItem: u64 = 10;
	pub const DepositPerByte: u64 = 1;
}

impl pallet_promotion::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = MockRegistry;
	type Signature = TestSignature;
	type Signer = UintAuthorityId;
	type AdminOrigin = EnsureRoot<AccountId>;
	type AttestorBond = AttestorBond;
	type MaxAttestors = ConstU32<4>;
	type DepositPerItem = DepositPerItem;
	type DepositPerByte = DepositPerByte;
	type WeightInfo = ();
}

/// Accounts 1 to 9 with 100,000 each; account 10 with 5 (too little for any bond).
pub fn new_test_ext() -> sp_io::TestExternalities {
	VERSIONS.with(|v| v.borrow_mut().clear());
	OWNERS.with(|o| o.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9).map(|a| (a, 100_000)).chain([(10, 5)]).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
