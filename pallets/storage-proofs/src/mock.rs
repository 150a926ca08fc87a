//! A test runtime for the storage-proofs pallet, with real balances and a registry double that
//! holds version roots in memory.

use crate as pallet_storage_proofs;
use core::cell::RefCell;
use owh_primitives::{
	availability::{ProbeTarget, ProbeTargets},
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
	sp_runtime::{testing::UintAuthorityId, BuildStorage, Perbill},
};
use std::collections::BTreeMap;

type TxExtension = frame_system::AuthorizeCall<Test>;
/// Extrinsics of the test runtime: authorized calls carry `AuthorizeCall` only.
pub type Extrinsic = polkadot_sdk::sp_runtime::testing::TestXt<RuntimeCall, TxExtension>;
type Block = polkadot_sdk::sp_runtime::generic::Block<
	polkadot_sdk::sp_runtime::generic::Header<u64, polkadot_sdk::sp_runtime::traits::BlakeTwo256>,
	Extrinsic,
>;
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

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<LocalCall> frame_system::offchain::CreateTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extension = TxExtension;
	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<LocalCall> frame_system::offchain::CreateAuthorizedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_extension() -> TxExtension {
		TxExtension::new()
	}
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	static ROOTS: RefCell<BTreeMap<VersionId, VersionRoots>> = const { RefCell::new(BTreeMap::new()) };
	static TARGETS: RefCell<BTreeMap<VersionId, Vec<ProbeTarget>>> = const { RefCell::new(BTreeMap::new()) };
	static SESSION: RefCell<(u32, Vec<UintAuthorityId>)> = const { RefCell::new((0, Vec::new())) };
}

/// Where the test versions are served, as the registry double tells the off-chain worker.
pub fn serve_at(version: VersionId, targets: Vec<ProbeTarget>) {
	TARGETS.with(|all| all.borrow_mut().insert(version, targets));
}

/// Makes `session` current with validators `keys`.
pub fn set_session(session: u32, keys: &[u64]) {
	SESSION
		.with(|s| *s.borrow_mut() = (session, keys.iter().copied().map(UintAuthorityId).collect()));
}

/// The validators of the test runtime.
pub struct MockSession;
impl pallet_storage_proofs::ReporterSet<UintAuthorityId> for MockSession {
	fn session_index() -> u32 {
		SESSION.with(|s| s.borrow().0)
	}
	fn reporters() -> Vec<UintAuthorityId> {
		SESSION.with(|s| s.borrow().1.clone())
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn set_reporters(keys: Vec<UintAuthorityId>) {
		SESSION.with(|s| s.borrow_mut().1 = keys);
	}
}

/// The registry double: versions registered with [`register`].
pub struct MockRegistry;
impl VersionRootsProvider for MockRegistry {
	fn roots_of(version: &VersionId) -> Option<VersionRoots> {
		ROOTS.with(|roots| roots.borrow().get(version).cloned())
	}
}
impl ProbeTargets for MockRegistry {
	fn version_at(seed: &[u8; 32]) -> Option<VersionId> {
		ROOTS.with(|roots| {
			let roots = roots.borrow();
			roots
				.range(VersionId(*seed)..)
				.next()
				.or_else(|| roots.iter().next())
				.map(|(id, _)| *id)
		})
	}
	fn probe_targets(version: &VersionId) -> Vec<ProbeTarget> {
		TARGETS.with(|all| all.borrow().get(version).cloned().unwrap_or_default())
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
pub const PROBE_TIMEOUT_MS: u64 = 2_000;

parameter_types! {
	pub const PotId: PalletId = PalletId(*b"owh/test");
	pub const SlashPerMiss: Perbill = Perbill::from_percent(10);
}

impl pallet_storage_proofs::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Versions = MockRegistry;
	type AuthorityId = UintAuthorityId;
	type Reporters = MockSession;
	type ProbeTimeout = ConstU64<PROBE_TIMEOUT_MS>;
	type ReportPriority = ConstU64<{ u64::MAX / 2 }>;
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
	TARGETS.with(|all| all.borrow_mut().clear());
	set_session(1, &[1, 2, 3]);
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
