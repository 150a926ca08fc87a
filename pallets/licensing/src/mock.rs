//! A test runtime for the licensing pallet, with the real registry pallet and real balances.

use crate as pallet_licensing;
use owh_primitives::{manifest::*, merkle::DEFAULT_CHUNK_SIZE, Parent, Relation, VersionId};
use polkadot_sdk::frame_support::BoundedVec;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64},
	},
	frame_system::{self, EnsureRoot, EnsureSigned},
	pallet_balances, pallet_timestamp, sp_io,
	sp_runtime::{
		traits::{IdentifyAccount, IdentityLookup, Verify},
		BuildStorage, MultiSignature, Permill,
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
	#[runtime::pallet_index(4)]
	pub type Licensing = pallet_licensing;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

pub const EXISTENTIAL_DEPOSIT: Balance = 5;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

impl pallet_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Time = Timestamp;
	type Signature = Signature;
	type Signer = <Signature as Verify>::Signer;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type DepositPerItem = RegistryDepositPerItem;
	type DepositPerByte = RegistryDepositPerByte;
	type MaxMirrors = ConstU32<3>;
	type MaxArtifacts = ConstU32<8>;
	type MaxParents = ConstU32<4>;
	type MaxMaintainers = ConstU32<3>;
	type MaxLineageDepth = ConstU32<8>;
	type MaxQueryResults = ConstU32<16>;
	type ManifestByteWeight = ();
	type OnVersionCommitted = Licensing;
	type AliasGuard = ();
	type ForceOrigin = EnsureRoot<AccountId>;
	type WeightInfo = ();
}

pub const DEPOSIT_PER_ITEM: Balance = 10;
pub const DEPOSIT_PER_BYTE: Balance = 1;

parameter_types! {
	/// The registry's deposits are zero unless a test sets them.
	pub static RegistryDepositPerItem: Balance = 0;
	pub static RegistryDepositPerByte: Balance = 0;
	pub static MaxRoyaltyDepth: u32 = 8;
	pub static MaxRoyaltyVersions: u32 = 16;
	pub static MaxRoyaltyInspections: u32 = 64;
	pub static MaxRoyaltyRate: Permill = Permill::from_percent(50);
	pub FallbackPayee: AccountId = AccountId::new([0xfb; 32]);
}

impl pallet_licensing::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type DepositPerItem = ConstU128<DEPOSIT_PER_ITEM>;
	type DepositPerByte = ConstU128<DEPOSIT_PER_BYTE>;
	type MaxOffersPerTarget = ConstU32<4>;
	type MaxContributors = ConstU32<5>;
	type MaxMeters = ConstU32<2>;
	type MaxRoyaltyDepth = MaxRoyaltyDepth;
	type MaxRoyaltyVersions = MaxRoyaltyVersions;
	type MaxRoyaltyInspections = MaxRoyaltyInspections;
	type MaxRoyaltyRate = MaxRoyaltyRate;
	type FallbackPayee = FallbackPayee;
	type MaxQueryResults = ConstU32<16>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Registry;
}

fn keyring(k: polkadot_sdk::sp_keyring::Sr25519Keyring) -> AccountId {
	k.to_account_id()
}
pub fn alice() -> AccountId {
	keyring(polkadot_sdk::sp_keyring::Sr25519Keyring::Alice)
}
pub fn bob() -> AccountId {
	keyring(polkadot_sdk::sp_keyring::Sr25519Keyring::Bob)
}
pub fn charlie() -> AccountId {
	keyring(polkadot_sdk::sp_keyring::Sr25519Keyring::Charlie)
}
pub fn dave() -> AccountId {
	keyring(polkadot_sdk::sp_keyring::Sr25519Keyring::Dave)
}
pub fn eve() -> AccountId {
	keyring(polkadot_sdk::sp_keyring::Sr25519Keyring::Eve)
}
/// An account with no funds at all.
pub fn pauper() -> AccountId {
	keyring(polkadot_sdk::sp_keyring::Sr25519Keyring::Ferdie)
}
/// A funded buyer.
pub fn buyer() -> AccountId {
	keyring(polkadot_sdk::sp_keyring::Sr25519Keyring::One)
}

/// Large enough for a price of 10^12 + 1 and every deposit.
pub const ENDOWMENT: Balance = 10_000_000_000_000;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [alice(), bob(), charlie(), dave(), eve(), buyer()]
			.into_iter()
			.map(|who| (who, ENDOWMENT))
			.chain([(FallbackPayee::get(), EXISTENTIAL_DEPOSIT)])
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(1_700_000_000_000);
	});
	ext
}

/// A repository name.
pub fn repo(name: &str) -> RepoName {
	RepoName::truncate_from(name.as_bytes().to_vec())
}

/// Creates `name` owned by `owner` through the registry's own call.
pub fn create_repo(owner: &AccountId, name: &str) -> RepoName {
	let name = repo(name);
	Registry::create_repository(RuntimeOrigin::signed(owner.clone()), name.clone()).unwrap();
	name
}

/// A valid one-file manifest of `repo` with `parents` (sorted, duplicates dropped) and `salt`
/// as its message.
pub fn manifest(repo: &RepoName, parents: &[VersionId], salt: &str) -> Manifest {
	let mut parents: Vec<Parent> = parents
		.iter()
		.map(|version| Parent {
			version: *version,
			relation: Relation::FineTune,
		})
		.collect();
	parents.sort_by_key(|p| p.version);
	parents.dedup_by_key(|p| p.version);
	Manifest {
		format_version: MANIFEST_FORMAT_VERSION,
		repository: repo.clone(),
		parents: BoundedVec::truncate_from(parents),
		artifacts: BoundedVec::truncate_from(vec![Artifact {
			path: ArtifactPath::truncate_from(b"model.safetensors".to_vec()),
			size: 4,
			sha256: [7; 32],
			chunk_size: DEFAULT_CHUNK_SIZE,
			merkle_root: [7; 32],
			media_type: Default::default(),
			uris: BoundedVec::truncate_from(vec![StorageUri::truncate_from(
				b"https://example.org/model".to_vec(),
			)]),
		}]),
		message: BoundedVec::truncate_from(salt.as_bytes().to_vec()),
		metrics: Default::default(),
		license: BoundedVec::truncate_from(b"MIT".to_vec()),
		tags: Default::default(),
		tool_version: Default::default(),
	}
}

/// Commits a one-file version of `repo` with `parents` through the registry's own call.
pub fn commit(owner: &AccountId, repo: &RepoName, parents: &[VersionId], salt: &str) -> VersionId {
	let manifest = manifest(repo, parents, salt);
	let id = manifest.version_id();
	Registry::commit_version(
		RuntimeOrigin::signed(owner.clone()),
		repo.clone(),
		Box::new(manifest),
		None,
	)
	.unwrap();
	id
}
