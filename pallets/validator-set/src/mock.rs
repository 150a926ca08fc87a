//! A test runtime for the validator-set pallet, with the real `pallet-session` and balances.

use crate as pallet_validator_set;
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU32, ConstU64, FindAuthor, Hooks},
		BoundedVec, ConsensusEngineId,
	},
	frame_system::{self, EnsureRoot},
	pallet_balances, pallet_session, sp_io,
	sp_runtime::{
		impl_opaque_keys,
		testing::{TestSignature, UintAuthorityId},
		traits::ConvertInto,
		BuildStorage, DigestItem,
	},
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

impl_opaque_keys! {
	pub struct MockSessionKeys {
		pub dummy: UintAuthorityId,
	}
}

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
	pub type ValidatorSet = pallet_validator_set;
	#[runtime::pallet_index(3)]
	pub type Session = pallet_session;
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

/// The test engine id: the pre-runtime digest of a block carries its author's account.
pub const TEST_ENGINE: ConsensusEngineId = *b"test";

/// Reads the author from the `TEST_ENGINE` pre-runtime digest.
pub struct AuthorFromDigest;
impl FindAuthor<AccountId> for AuthorFromDigest {
	fn find_author<'a, I>(digests: I) -> Option<AccountId>
	where
		I: 'a + IntoIterator<Item = (ConsensusEngineId, &'a [u8])>,
	{
		digests
			.into_iter()
			.find(|(id, _)| *id == TEST_ENGINE)
			.and_then(|(_, mut data)| AccountId::decode(&mut data).ok())
	}
}

pub const KEY_DEPOSIT: u64 = 10;
pub const MIN_VALIDATORS: u32 = 2;
pub const MAX_VALIDATORS: u32 = 5;
pub const COOLDOWN: u64 = 10;
pub const SESSION_LENGTH: u64 = 5;

parameter_types! {
	pub const KeyDeposit: u64 = KEY_DEPOSIT;
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = ValidatorSet;
	type SessionHandler = pallet_session::TestSessionHandler;
	type Keys = MockSessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = KeyDeposit;
}

impl pallet_validator_set::Config for Test {
	type AdminOrigin = EnsureRoot<AccountId>;
	type FindAuthor = AuthorFromDigest;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MinValidators = ConstU32<MIN_VALIDATORS>;
	type KeyChangeCooldown = ConstU64<COOLDOWN>;
	type MinSessionLength = ConstU64<2>;
	type MaxSessionLength = ConstU64<100>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockKeysHelper;
}

/// Keys with a valid ownership proof in the mock: `UintAuthorityId(seed)` signed for `owner`.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockKeysHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<Test> for MockKeysHelper {
	fn session_keys(owner: &AccountId, seed: u32) -> (MockSessionKeys, Vec<u8>) {
		keys_and_proof(*owner, 1000 + u64::from(seed))
	}

	fn author_digest() -> DigestItem {
		DigestItem::PreRuntime(TEST_ENGINE, 1u64.encode())
	}
}

/// The keys `UintAuthorityId(key)` and a valid ownership proof of them for `owner`.
pub fn keys_and_proof(owner: AccountId, key: u64) -> (MockSessionKeys, Vec<u8>) {
	(keys(key), proof(key, owner))
}

pub fn keys(key: u64) -> MockSessionKeys {
	MockSessionKeys {
		dummy: UintAuthorityId(key),
	}
}

/// The proof that key `key` was made for `owner` (a one-element tuple of signatures).
pub fn proof(key: u64, owner: AccountId) -> Vec<u8> {
	(TestSignature(key, owner.encode()),).encode()
}

pub fn bounded(proof: Vec<u8>) -> BoundedVec<u8, ConstU32<{ crate::MAX_OWNERSHIP_PROOF_LEN }>> {
	BoundedVec::truncate_from(proof)
}

/// Accounts 1, 2 and 3 validate with keys 1, 2 and 3; accounts 1 to 9 hold 100 each; sessions
/// are `SESSION_LENGTH` blocks.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9).map(|a| (a, 100)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_validator_set::GenesisConfig::<Test> {
		session_length: SESSION_LENGTH,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_session::GenesisConfig::<Test> {
		keys: [3, 1, 2].into_iter().map(|a| (a, a, keys(a))).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to and including `n`. Each is authored by the active validator at index
/// `block % validators`, named in the block's pre-runtime digest.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let now = System::block_number();
		ValidatorSet::on_finalize(now);
		let next = now + 1;
		let active = pallet_session::Validators::<Test>::get();
		let author = active[(next % active.len() as u64) as usize];
		let digest = polkadot_sdk::sp_runtime::generic::Digest {
			logs: vec![DigestItem::PreRuntime(TEST_ENGINE, author.encode())],
		};
		System::reset_events();
		System::initialize(&next, &Default::default(), &digest);
		ValidatorSet::on_initialize(next);
		Session::on_initialize(next);
	}
}

/// The validators `pallet-session` uses now, sorted.
pub fn active() -> Vec<AccountId> {
	let mut set = pallet_session::Validators::<Test>::get();
	set.sort();
	set
}

pub fn session() -> u32 {
	pallet_session::CurrentIndex::<Test>::get()
}
