//! A test runtime for the storage-proofs pallet, with real balances and a registry double that
//! holds version roots in memory.

use crate as pallet_storage_proofs;
use core::cell::RefCell;
use owh_primitives::{
	merkle::{build_segment_proof, root_from_leaves, LeafRule, SegmentProof},
	storage::{ArtifactRoot, SegmentPosition, VersionRoots, VersionRootsProvider},
	VersionId,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU32, ConstU64, Hooks},
		BoundedVec, PalletId,
	},
	frame_system::{self, EnsureRoot},
	pallet_balances, sp_io,
	sp_runtime::{BuildStorage, Perbill},
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
	pub type StorageProofs = pallet_storage_proofs;
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
	static ROOTS: RefCell<BTreeMap<VersionId, VersionRoots>> = const { RefCell::new(BTreeMap::new()) };
}

/// The registry double: versions registered with [`register`].
pub struct MockRegistry;
impl VersionRootsProvider for MockRegistry {
	fn roots_of(version: &VersionId) -> Option<VersionRoots> {
		ROOTS.with(|roots| roots.borrow().get(version).cloned())
	}
}
impl owh_primitives::storage::VersionRootsBenchmarkHelper for MockRegistry {
	fn insert_roots(version: VersionId, roots: VersionRoots) {
		ROOTS.with(|all| all.borrow_mut().insert(version, roots));
	}
}

pub const STAKE: u64 = 1_000;
pub const PERIOD: u64 = 10;
pub const REWARD: u64 = 3;
pub const RETENTION_REWARD: u64 = 7;
pub const RETENTION_TERM: u64 = 50;
pub const MAX_PLEDGES: u32 = 4;
pub const CHALLENGES: u32 = 2;
pub const MAX_MISSES: u32 = 3;
pub const HISTORY: u32 = 4;
pub const POT_FUNDS: u64 = 10_000;

parameter_types! {
	pub const PotId: PalletId = PalletId(*b"owh/test");
	pub const SlashPerMiss: Perbill = Perbill::from_percent(10);
}

impl pallet_storage_proofs::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Versions = MockRegistry;
	type AdminOrigin = EnsureRoot<AccountId>;
	type PotId = PotId;
	type ProviderStake = ConstU64<STAKE>;
	type DepositPerItem = ConstU64<2>;
	type DepositPerByte = ConstU64<0>;
	type MaxPledges = ConstU32<MAX_PLEDGES>;
	type ChallengesPerPledge = ConstU32<CHALLENGES>;
	type MinChallengePeriod = ConstU64<2>;
	type MinTerm = ConstU64<20>;
	type MaxTerm = ConstU64<1_000>;
	type SlashPerMiss = SlashPerMiss;
	type AnswerReward = ConstU64<REWARD>;
	type MaxMissesInARow = ConstU32<MAX_MISSES>;
	type HistoryDepth = ConstU32<HISTORY>;
	type MaxRetained = ConstU32<2>;
	type RetentionTerm = ConstU64<RETENTION_TERM>;
	type RetentionReward = ConstU64<RETENTION_REWARD>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockRegistry;
}

/// The bytes of a test version's artifacts and their chunk sizes.
pub struct TestVersion {
	pub id: VersionId,
	pub files: Vec<(Vec<u8>, u32)>,
}

impl TestVersion {
	/// A proof of segment `index` of the version, as an honest provider builds it.
	pub fn proof(&self, index: u64) -> (SegmentPosition, SegmentProof) {
		let roots = MockRegistry::roots_of(&self.id).unwrap();
		let position = roots.locate(index).unwrap();
		let (data, chunk_size) = &self.files[position.artifact as usize];
		let leaves = LeafRule::Segments.leaves_of(data, *chunk_size);
		let start = (position.chunk * u64::from(*chunk_size)) as usize;
		let end = (start + *chunk_size as usize).min(data.len());
		let proof =
			build_segment_proof(&leaves, position.chunk, &data[start..end], position.segment)
				.unwrap();
		(position, proof)
	}
}

/// Registers a format-2 version of these files (bytes and chunk size), distinct per `salt`.
pub fn register(salt: u8, files: Vec<(Vec<u8>, u32)>) -> TestVersion {
	register_with_format(salt, files, 2)
}

pub fn register_with_format(salt: u8, files: Vec<(Vec<u8>, u32)>, format: u16) -> TestVersion {
	let id = VersionId([salt; 32]);
	let roots = VersionRoots {
		format_version: format,
		artifacts: BoundedVec::truncate_from(
			files
				.iter()
				.map(|(data, chunk_size)| ArtifactRoot {
					size: data.len() as u64,
					chunk_size: *chunk_size,
					merkle_root: root_from_leaves(&LeafRule::Segments.leaves_of(data, *chunk_size)),
				})
				.collect(),
		),
	};
	ROOTS.with(|all| all.borrow_mut().insert(id, roots));
	TestVersion { id, files }
}

/// Pseudo-random bytes.
pub fn bytes(len: usize, seed: u8) -> Vec<u8> {
	(0..len)
		.map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[1] ^ seed)
		.collect()
}

/// Accounts 1 to 9 hold 100,000 each; the pot holds `POT_FUNDS`; rounds are `PERIOD` blocks.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ROOTS.with(|all| all.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	let pot = StorageProofs::pot();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9)
			.map(|a| (a, 100_000))
			.chain([(pot, POT_FUNDS)])
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_storage_proofs::GenesisConfig::<Test> {
		challenge_period: PERIOD,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to and including `n`, with the pallet's `on_initialize` in each.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::reset_events();
		System::initialize(&next, &[next as u8; 32].into(), &Default::default());
		StorageProofs::on_initialize(next);
	}
}
