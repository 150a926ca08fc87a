//! A test runtime for the promotion pallet, with real balances and a registry double.

use crate as pallet_promotion;
use core::cell::RefCell;
use owh_primitives::{
	licensing::ModelRegistry, promotion::Approval, AliasName, RepoName, VersionId,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl, ord_parameter_types, parameter_types,
		traits::{EitherOf, MapSuccess},
	},
	frame_system::{self, EnsureRoot, EnsureSignedBy},
	pallet_balances, sp_io,
	sp_runtime::{
		testing::{TestSignature, UintAuthorityId},
		traits::Replace,
		BuildStorage, Perbill,
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
	static ALIASES: RefCell<BTreeMap<(RepoName, AliasName), VersionId>> = const { RefCell::new(BTreeMap::new()) };
	static YANKED: RefCell<Vec<VersionId>> = const { RefCell::new(Vec::new()) };
}

/// Points `alias` of `name` at `version` in the registry double, as the registry does after
/// the guard lets it.
pub fn point_alias(name: &str, alias: &str, version: VersionId) {
	let alias: AliasName = alias.as_bytes().to_vec().try_into().unwrap();
	ALIASES.with(|a| a.borrow_mut().insert((repo(name), alias), version));
}

/// Marks `version` yanked in the registry double.
pub fn mark_yanked(version: VersionId) {
	YANKED.with(|y| y.borrow_mut().push(version));
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
	fn is_yanked(version: &VersionId) -> bool {
		YANKED.with(|y| y.borrow().contains(version))
	}
	fn alias_target(repo: &RepoName, alias: &AliasName) -> Option<VersionId> {
		ALIASES.with(|a| a.borrow().get(&(repo.clone(), alias.clone())).copied())
	}
	fn all_lineages() -> Vec<(VersionId, Vec<VersionId>)> {
		Vec::new()
	}
}

/// Account 42 stands for a council motion in the tests; root for a referendum.
pub const COUNCIL: AccountId = 42;
/// Where slashed bonds go beyond the disputer's share.
pub const POT: AccountId = 99;

ord_parameter_types! {
	pub const Council: AccountId = COUNCIL;
}

parameter_types! {
	pub const ByCouncil: Approval = Approval::Council;
	pub const ByReferendum: Approval = Approval::Referendum;
	pub const DisputeBond: u64 = 300;
	pub const DisputerShare: Perbill = Perbill::from_percent(50);
	pub const Pot: AccountId = POT;
	pub const AttestorBond: u64 = 1_000;
	/// 20 for the benchmarks (17 attestors); a test lowers it to reach the limit.
	pub static MaxAttestors: u32 = 20;
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
	type ApproveOrigin = EitherOf<
		MapSuccess<EnsureRoot<AccountId>, Replace<ByReferendum>>,
		MapSuccess<EnsureSignedBy<Council, AccountId>, Replace<ByCouncil>>,
	>;
	type DisputeBond = DisputeBond;
	type DisputerShare = DisputerShare;
	type SlashDestination = Pot;
	type AttestorBond = AttestorBond;
	type MaxAttestors = MaxAttestors;
	type DepositPerItem = DepositPerItem;
	type DepositPerByte = DepositPerByte;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockRegistry;
}

#[cfg(feature = "runtime-benchmarks")]
impl owh_primitives::licensing::ModelRegistryBenchmarkHelper<AccountId> for MockRegistry {
	fn register_version(
		owner: &AccountId,
		name: &RepoName,
		_: Vec<VersionId>,
		salt: u32,
	) -> VersionId {
		let text = core::str::from_utf8(name).unwrap().to_owned();
		create_repo(&text, *owner);
		let mut id = [0u8; 32];
		id[..4].copy_from_slice(&salt.to_le_bytes());
		id[4..4 + name.len().min(28)].copy_from_slice(&name[..name.len().min(28)]);
		let id = VersionId(id);
		VERSIONS.with(|v| v.borrow_mut().insert(id, name.clone()));
		id
	}
	fn point_alias(name: &RepoName, alias: &AliasName, version: VersionId) {
		ALIASES.with(|a| {
			a.borrow_mut()
				.insert((name.clone(), alias.clone()), version)
		});
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_promotion::BenchmarkHelper<AccountId, TestSignature> for MockRegistry {
	fn signer() -> (AccountId, fn(&[u8]) -> TestSignature) {
		(77, |message| TestSignature(77, message.to_vec()))
	}
}

/// Accounts 1 to 9 with 100,000 each; account 10 with 5 (too little for any bond); the pot
/// with 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	VERSIONS.with(|v| v.borrow_mut().clear());
	OWNERS.with(|o| o.borrow_mut().clear());
	ALIASES.with(|a| a.borrow_mut().clear());
	MaxAttestors::set(20);
	YANKED.with(|y| y.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9)
			.map(|a| (a, 100_000))
			.chain([(10, 5), (POT, 1)])
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
