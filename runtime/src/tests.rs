//! Runtime-level checks of the registry configuration against block limits.

use crate::{configs::system::RuntimeBlockLength, Runtime, RuntimeCall};
use codec::Encode;
use owh_primitives::manifest::*;
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchClass, GetDispatchInfo},
		pallet_prelude::BoundedVec,
	},
	frame_system,
	pallet_balances::WeightInfo as _,
};

/// Merges `patch` into `base` as the node does with a preset (RFC 7386 without nulls).
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	use serde_json::Value;
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

/// The state of a fresh chain from `preset`, at block 1.
pub(crate) fn chain(preset: &str) -> polkadot_sdk::sp_io::TestExternalities {
	use crate::{genesis_config_presets::get_preset, RuntimeGenesisConfig, System};
	use polkadot_sdk::frame_support::genesis_builder_helper::build_state;
	let patch =
		serde_json::from_slice(&get_preset(&preset.into()).expect("preset exists")).unwrap();
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, patch);
	let mut ext = polkadot_sdk::sp_io::TestExternalities::default();
	ext.execute_with(|| {
		build_state::<RuntimeGenesisConfig>(serde_json::to_vec(&config).unwrap()).unwrap();
		System::set_block_number(1);
	});
	ext
}

fn text<const N: u32>(byte: u8) -> BoundedVec<u8, polkadot_sdk::sp_core::ConstU32<N>> {
	BoundedVec::truncate_from(vec![byte; N as usize])
}

/// A manifest at every encoding bound: the largest `commit_version` a user can submit.
fn largest_manifest() -> Manifest {
	let artifact = |i: u32| {
		let mut path = format!("shard-{i:06}/").into_bytes();
		path.resize(MAX_PATH_LEN as usize, b'p');
		Artifact {
			path: BoundedVec::truncate_from(path),
			size: u64::MAX,
			sha256: [0xaa; 32],
			chunk_size: 1 << 20,
			merkle_root: [0xbb; 32],
			media_type: text::<MAX_MEDIA_TYPE_LEN>(b'm'),
			uris: BoundedVec::truncate_from(vec![text::<MAX_URI_LEN>(b'u'); MAX_URIS as usize]),
		}
	};
	Manifest {
		format_version: MANIFEST_FORMAT_VERSION,
		repository: text::<MAX_REPO_NAME_LEN>(b'r'),
		parents: BoundedVec::truncate_from(
			(0..MAX_PARENTS as u8)
				.map(|i| Parent {
					version: owh_primitives::VersionId([i; 32]),
					relation: Relation::Merge,
				})
				.collect(),
		),
		artifacts: BoundedVec::truncate_from((0..MAX_ARTIFACTS).map(artifact).collect()),
		message: text::<MAX_MESSAGE_LEN>(b'w'),
		metrics: BoundedVec::truncate_from(vec![
			Metric {
				name: text::<MAX_METRIC_NAME_LEN>(b'n'),
				value: 0
			};
			MAX_METRICS as usize
		]),
		license: text::<MAX_LICENSE_LEN>(b'L'),
		tags: BoundedVec::truncate_from(vec![
			Tag {
				key: text::<MAX_TAG_KEY_LEN>(b'k'),
				value: text::<MAX_TAG_VALUE_LEN>(b'v')
			};
			MAX_TAGS as usize
		]),
		tool_version: text::<MAX_TOOL_VERSION_LEN>(b'o'),
	}
}

#[test]
fn heaviest_commit_fits_in_a_normal_block() {
	let manifest = largest_manifest();
	let call = RuntimeCall::Registry(pallet_registry::Call::commit_version {
		repo: manifest.repository.clone(),
		manifest: Box::new(manifest),
		author_signature: None,
	});
	let weight = call.get_dispatch_info().call_weight;
	let limits = <Runtime as frame_system::Config>::BlockWeights::get();
	let max_normal = limits
		.get(DispatchClass::Normal)
		.max_extrinsic
		.expect("normal class is limited");
	let length = call.encoded_size() as u32;
	let max_length = *RuntimeBlockLength::get().max.get(DispatchClass::Normal);

	let one = pallet_registry::Pallet::<Runtime>::commit_version_weight(1, 0, false, 0);
	let transfer =
		polkadot_sdk::pallet_balances::weights::SubstrateWeight::<Runtime>::transfer_keep_alive();
	println!(
		"commit_version(a=1, p=0, s=0):  {} ps, proof {} B",
		one.ref_time(),
		one.proof_size()
	);
	println!(
		"commit_version(a={MAX_ARTIFACTS}, p={MAX_PARENTS}): {} ps, proof {} B, {} bytes encoded",
		weight.ref_time(),
		weight.proof_size(),
		length
	);
	println!("balances.transfer_keep_alive:   {} ps", transfer.ref_time());
	println!(
		"normal max_extrinsic:           {} ps; normal max length {} B",
		max_normal.ref_time(),
		max_length
	);

	// Blocks of this solochain have no proof-size limit, so only the time can run out; if a
	// limit is ever set, this test must compare proof sizes too.
	assert_eq!(
		limits.max_block.proof_size(),
		u64::MAX,
		"proof size is unlimited"
	);
	assert!(
		weight.ref_time() <= max_normal.ref_time(),
		"{weight:?} exceeds {max_normal:?}"
	);
	assert!(
		length <= max_length,
		"{length} bytes exceed the normal block length {max_length}"
	);
	assert!(
		weight.ref_time() > one.ref_time(),
		"weight grows with the manifest"
	);
}

#[test]
fn worst_license_purchase_fits_in_a_normal_block() {
	use pallet_licensing::WeightInfo as _;
	type LicensingWeights = <Runtime as pallet_licensing::Config>::WeightInfo;
	let call = RuntimeCall::Licensing(pallet_licensing::Call::purchase_license {
		version: owh_primitives::VersionId([1; 32]),
		offer: 0,
		max_price: 1,
		terms_hash: [0; 32],
	});
	let weight = call.get_dispatch_info().call_weight;
	let limits = <Runtime as frame_system::Config>::BlockWeights::get();
	let max_normal = limits
		.get(DispatchClass::Normal)
		.max_extrinsic
		.expect("normal class is limited");
	let one = LicensingWeights::purchase_license(1, 0, 1);
	println!(
		"purchase_license(v=1, z=0, c=1):   {} ps, proof {} B",
		one.ref_time(),
		one.proof_size()
	);
	println!(
		"purchase_license(v=16, z=64, c=16): {} ps, proof {} B (charged up front, refunded to the walk)",
		weight.ref_time(),
		weight.proof_size()
	);
	// Blocks of this solochain have no proof-size limit, so only the time can run out; if a
	// limit is ever set, this test must compare proof sizes too.
	assert_eq!(
		limits.max_block.proof_size(),
		u64::MAX,
		"proof size is unlimited"
	);
	assert!(
		weight.ref_time() <= max_normal.ref_time(),
		"{weight:?} exceeds {max_normal:?}"
	);
	assert!(
		weight.ref_time() > one.ref_time(),
		"weight grows with the lineage walked"
	);
}

/// Every component a weight function takes must cost something: a slope fitted to zero (noise,
/// or a negative slope clipped) would let a caller add that work for free.
#[test]
fn every_weight_component_is_charged() {
	use pallet_licensing::WeightInfo as _;
	type LicensingWeights = <Runtime as pallet_licensing::Config>::WeightInfo;
	let commit = |a, p, s: u32, t| {
		pallet_registry::Pallet::<Runtime>::commit_version_weight(a, p, s == 1, t).ref_time()
	};
	assert!(commit(1, 0, 0, 0) > 0, "a commit is charged");
	assert!(
		commit(2, 0, 0, 0) > commit(1, 0, 0, 0),
		"artifacts are charged"
	);
	assert!(
		commit(1, 1, 0, 0) > commit(1, 0, 0, 0),
		"parents are charged"
	);
	assert!(
		commit(1, 0, 1, 0) > commit(1, 0, 0, 0),
		"a signature is charged"
	);
	assert!(
		commit(1, 0, 0, 1024) > commit(1, 0, 0, 0),
		"text is charged"
	);
	// Bytes too: the same commit with a shorter message weighs less, by its text weight and
	// the runtime's weight per manifest byte.
	let commit_call = |manifest: Manifest| {
		RuntimeCall::Registry(pallet_registry::Call::commit_version {
			repo: manifest.repository.clone(),
			manifest: Box::new(manifest),
			author_signature: None,
		})
	};
	let long = largest_manifest();
	let mut short = long.clone();
	short.message = BoundedVec::truncate_from(b"short".to_vec());
	let saved = (long.encoded_size() - short.encoded_size()) as u64;
	let text_saved = {
		use pallet_registry::WeightInfo as _;
		type RegistryWeights = <Runtime as pallet_registry::Config>::WeightInfo;
		RegistryWeights::commit_version_text(long.text_len()).ref_time()
			- RegistryWeights::commit_version_text(short.text_len()).ref_time()
	};
	let long_weight = commit_call(long).get_dispatch_info().call_weight.ref_time();
	let short_weight = commit_call(short)
		.get_dispatch_info()
		.call_weight
		.ref_time();
	assert_eq!(
		long_weight - short_weight,
		saved * crate::configs::models::MANIFEST_BYTE_REF_TIME + text_saved,
		"manifest bytes are charged"
	);
	let purchase = |v, z, c| LicensingWeights::purchase_license(v, z, c).ref_time();
	assert!(
		purchase(2, 0, 1) > purchase(1, 0, 1),
		"paid versions are charged"
	);
	assert!(
		purchase(1, 1, 1) > purchase(1, 0, 1),
		"unpaid parent reads are charged"
	);
	assert!(
		purchase(1, 0, 2) > purchase(1, 0, 1),
		"contributors are charged"
	);
}

/// Both pallets charge by the one deposit rule, and the repository example in
/// `docs/architecture.md` holds.
#[test]
fn every_pallet_uses_the_one_deposit_rule() {
	use polkadot_sdk::frame_support::traits::Get;
	type Registry = <Runtime as pallet_registry::Config>::DepositPerItem;
	type RegistryPerByte = <Runtime as pallet_registry::Config>::DepositPerByte;
	type Licensing = <Runtime as pallet_licensing::Config>::DepositPerItem;
	type LicensingPerByte = <Runtime as pallet_licensing::Config>::DepositPerByte;
	// The rule is a governance parameter, read from storage.
	polkadot_sdk::sp_io::TestExternalities::default().execute_with(|| {
		assert_eq!(
			<Registry as Get<crate::Balance>>::get(),
			<Licensing as Get<crate::Balance>>::get()
		);
		assert_eq!(
			<RegistryPerByte as Get<crate::Balance>>::get(),
			<LicensingPerByte as Get<crate::Balance>>::get()
		);

		let name: owh_primitives::RepoName = BoundedVec::truncate_from(b"acme/llama-3-8b".to_vec());
		let info = pallet_registry::RepositoryInfo {
			owner: crate::AccountId::new([1; 32]),
			depositor: crate::AccountId::new([1; 32]),
			deposit: 0u128,
			created: 1u32,
			version_count: 0,
		};
		let footprint = pallet_registry::Pallet::<Runtime>::repository_footprint(
			&name,
			&info,
			&Default::default(),
			&Default::default(),
			None,
		);
		assert_eq!((footprint.items, footprint.bytes), (1, 104));
		assert_eq!(
			pallet_registry::Pallet::<Runtime>::deposit_for(footprint),
			20_400_000_000,
			"0.0204 OWH"
		);
	});
}
