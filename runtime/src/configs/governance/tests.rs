//! Governance in the real runtime configuration: tracks, origins, presets and sudo.

use super::{origins, tracks, RegistryAdminOrigin, ValidatorAdminOrigin};
use crate::{
	genesis_config_presets::CONSORTIUM_PRESET, tests::chain, AllPalletsWithSystem,
	ConvictionVoting, Membership, OriginCaller, Preimage, Referenda, Registry, Runtime,
	RuntimeCall, RuntimeOrigin, Sudo, System, UNIT,
};
use owh_primitives::manifest::*;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		pallet_prelude::BoundedVec,
		traits::{EnsureOrigin, Get, IntegrityTest, OnInitialize, StorePreimage},
	},
	frame_system::{self, RawOrigin},
	pallet_collective, pallet_conviction_voting, pallet_referenda,
	pallet_referenda::TracksInfo as _,
	pallet_sudo,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_keyring::Sr25519Keyring,
	sp_runtime::{traits::Dispatchable, DispatchError},
};

/// Advances to block `n`, running the scheduler, which wakes referenda and enacts them.
fn run_to(n: u32) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<crate::Scheduler as OnInitialize<u32>>::on_initialize(next);
	}
}

fn signed(who: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.to_account_id())
}

#[test]
fn tracks_pass_check_integrity_and_decode_with_readable_names() {
	for preset in [DEV_RUNTIME_PRESET, CONSORTIUM_PRESET] {
		chain(preset).execute_with(|| {
			assert_eq!(tracks::TracksInfo::check_integrity(), Ok(()));
			<AllPalletsWithSystem as IntegrityTest>::integrity_test();
			let names: Vec<String> = tracks::TracksInfo::tracks()
				.map(|t| {
					String::from_utf8(t.info.name.to_vec())
						.unwrap()
						.trim_end_matches('\0')
						.to_string()
				})
				.collect();
			assert_eq!(
				names,
				["root", "registry_admin", "validator_admin", "parameters"]
			);
		});
	}
}

#[test]
fn development_presets_shorten_the_periods_and_consortium_keeps_production_ones() {
	for (preset, tracks) in [
		(DEV_RUNTIME_PRESET, &tracks::DEVELOPMENT_TRACKS),
		(LOCAL_TESTNET_RUNTIME_PRESET, &tracks::DEVELOPMENT_TRACKS),
		(CONSORTIUM_PRESET, &tracks::TRACKS),
	] {
		chain(preset).execute_with(|| {
			let live: Vec<_> = tracks::TracksInfo::tracks()
				.map(|t| t.into_owned())
				.collect();
			assert_eq!(&live[..], &tracks[..], "{preset}");
		});
	}
	assert_eq!(tracks::DEVELOPMENT_TRACKS[0].info.decision_period, 20);
	assert_eq!(tracks::TRACKS[0].info.decision_period, 14 * crate::DAYS);
}

#[test]
fn each_origin_maps_to_its_track() {
	use tracks::ids::*;
	let track = |origin: OriginCaller| tracks::TracksInfo::track_for(&origin);
	assert_eq!(track(OriginCaller::system(RawOrigin::Root)), Ok(ROOT));
	assert_eq!(
		track(OriginCaller::Origins(origins::Origin::RegistryAdmin)),
		Ok(REGISTRY_ADMIN)
	);
	assert_eq!(
		track(OriginCaller::Origins(origins::Origin::ValidatorAdmin)),
		Ok(VALIDATOR_ADMIN)
	);
	assert_eq!(
		track(OriginCaller::Origins(origins::Origin::ParameterAdmin)),
		Ok(PARAMETERS)
	);
	assert_eq!(
		track(OriginCaller::system(RawOrigin::Signed(
			Sr25519Keyring::Alice.to_account_id()
		))),
		Err(())
	);
	assert_eq!(track(OriginCaller::system(RawOrigin::None)), Err(()));
}

#[test]
fn governance_origins_accept_only_their_track_or_the_council() {
	let council =
		|yes, of| -> RuntimeOrigin { pallet_collective::RawOrigin::Members(yes, of).into() };
	let admin = |o: origins::Origin| -> RuntimeOrigin { o.into() };
	let ok = |origin: RuntimeOrigin| RegistryAdminOrigin::try_origin(origin).is_ok();
	assert!(ok(RuntimeOrigin::root()));
	assert!(ok(admin(origins::Origin::RegistryAdmin)));
	assert!(ok(council(2, 3)));
	assert!(ok(council(4, 4)));
	assert!(!ok(council(1, 2)), "half of the council is not enough");
	assert!(!ok(admin(origins::Origin::ValidatorAdmin)));
	assert!(!ok(admin(origins::Origin::ParameterAdmin)));
	assert!(!ok(signed(Sr25519Keyring::Alice)));
	let validator = |origin: RuntimeOrigin| ValidatorAdminOrigin::try_origin(origin).is_ok();
	assert!(validator(admin(origins::Origin::ValidatorAdmin)));
	assert!(!validator(admin(origins::Origin::RegistryAdmin)));
}

#[test]
fn every_sudo_call_fails_outside_development() {
	let alice = Sr25519Keyring::Alice.to_account_id();
	let remark = || {
		Box::new(RuntimeCall::System(frame_system::Call::remark {
			remark: vec![1],
		}))
	};
	let calls = || {
		vec![
			pallet_sudo::Call::sudo { call: remark() },
			pallet_sudo::Call::sudo_unchecked_weight {
				call: remark(),
				weight: Default::default(),
			},
			pallet_sudo::Call::set_key {
				new: alice.clone().into(),
			},
			pallet_sudo::Call::sudo_as {
				who: alice.clone().into(),
				call: remark(),
			},
			pallet_sudo::Call::remove_key {},
		]
	};
	for preset in [LOCAL_TESTNET_RUNTIME_PRESET, CONSORTIUM_PRESET] {
		chain(preset).execute_with(|| {
			assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "{preset}");
			for who in Sr25519Keyring::iter() {
				for call in calls() {
					let result = RuntimeCall::Sudo(call).dispatch(signed(who));
					assert_eq!(
						result.map_err(|e| e.error),
						Err(pallet_sudo::Error::<Runtime>::RequireSudo.into()),
						"{preset}: {who:?}"
					);
				}
			}
		});
	}
	// The development preset keeps it, so the check above can fail.
	chain(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_ok!(Sudo::sudo(signed(Sr25519Keyring::Alice), remark()));
	});
}

#[test]
fn presets_seat_their_council() {
	let members = |preset: &str| {
		chain(preset).execute_with(|| {
			let members = Membership::members().into_inner();
			assert_eq!(
				pallet_collective::Members::<Runtime, super::CouncilCollective>::get(),
				members
			);
			members.len()
		})
	};
	assert_eq!(members(DEV_RUNTIME_PRESET), 3);
	assert_eq!(members(LOCAL_TESTNET_RUNTIME_PRESET), 3);
	assert_eq!(members(CONSORTIUM_PRESET), 4);
}

fn text<const N: u32>(s: &str) -> BoundedVec<u8, polkadot_sdk::sp_core::ConstU32<N>> {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

fn small_manifest(repo: &str) -> Manifest {
	Manifest {
		format_version: MANIFEST_FORMAT_VERSION,
		repository: text(repo),
		parents: Default::default(),
		artifacts: BoundedVec::truncate_from(vec![Artifact {
			path: text("model.bin"),
			size: 1,
			sha256: [1; 32],
			chunk_size: owh_primitives::merkle::DEFAULT_CHUNK_SIZE,
			merkle_root: [2; 32],
			media_type: text("application/octet-stream"),
			uris: BoundedVec::truncate_from(vec![text("https://example.org/model.bin")]),
		}]),
		message: text("v1"),
		metrics: Default::default(),
		license: text("MIT"),
		tags: Default::default(),
		tool_version: text("owh/test"),
	}
}

/// A force-yank passes a referendum on `registry_admin` and is enacted; a maintainer cannot
/// force-yank, and the version record is untouched.
#[test]
fn registry_admin_referendum_force_yanks_a_version() {
	chain(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = signed(Sr25519Keyring::Alice);
		let repo: RepoName = BoundedVec::truncate_from(b"acme/llama".to_vec());
		let manifest = small_manifest("acme/llama");
		let version = manifest.version_id();
		assert_ok!(Registry::create_repository(alice.clone(), repo.clone()));
		assert_ok!(Registry::commit_version(
			alice.clone(),
			repo,
			Box::new(manifest),
			None
		));
		let record = pallet_registry::Versions::<Runtime>::get(version);
		let reason: Reason = BoundedVec::truncate_from(b"malware in weights".to_vec());
		let call = RuntimeCall::Registry(pallet_registry::Call::force_yank_version {
			version,
			reason: reason.clone(),
		});
		assert_noop!(
			call.clone().dispatch(alice.clone()).map_err(|e| e.error),
			DispatchError::BadOrigin
		);

		let bounded = Preimage::bound(call).unwrap();
		assert_ok!(Referenda::submit(
			alice.clone(),
			Box::new(OriginCaller::Origins(origins::Origin::RegistryAdmin)),
			bounded,
			polkadot_sdk::frame_support::traits::schedule::DispatchTime::After(0),
		));
		let index = pallet_referenda::ReferendumCount::<Runtime>::get() - 1;
		assert_ok!(Referenda::place_decision_deposit(alice.clone(), index));
		let aye = pallet_conviction_voting::AccountVote::Standard {
			vote: pallet_conviction_voting::Vote {
				aye: true,
				conviction: pallet_conviction_voting::Conviction::Locked1x,
			},
			balance: 900_000 * UNIT,
		};
		for who in [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		] {
			assert_ok!(ConvictionVoting::vote(signed(who), index, aye));
		}
		run_to(20);
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
			Some(pallet_referenda::ReferendumInfo::Approved(..))
		));
		let yank = pallet_registry::Yanked::<Runtime>::get(version).expect("enacted");
		assert_eq!(yank.by, owh_primitives::registry::Yanker::Governance);
		assert_eq!(yank.reason, reason);
		assert_eq!(pallet_registry::Versions::<Runtime>::get(version), record);
	});
}

#[test]
fn the_parameters_track_changes_the_deposit_rule_without_an_upgrade() {
	use super::dynamic_params::storage;
	use super::RuntimeParameters;
	use crate::{configs::models::DEPOSIT_PER_ITEM, Parameters};
	chain(CONSORTIUM_PRESET).execute_with(|| {
		let footprint = owh_primitives::deposit::Footprint::entry(0);
		assert_eq!(Registry::deposit_for(footprint), DEPOSIT_PER_ITEM);
		let doubled = RuntimeParameters::Storage(storage::Parameters::DepositPerItem(
			storage::DepositPerItem,
			Some(2 * DEPOSIT_PER_ITEM),
		));
		for wrong in [
			signed(Sr25519Keyring::Alice),
			origins::Origin::RegistryAdmin.into(),
		] {
			assert_noop!(
				Parameters::set_parameter(wrong, doubled.clone()),
				DispatchError::BadOrigin
			);
		}
		assert_ok!(Parameters::set_parameter(
			origins::Origin::ParameterAdmin.into(),
			doubled
		));
		assert_eq!(Registry::deposit_for(footprint), 2 * DEPOSIT_PER_ITEM);
		assert_eq!(
			<Runtime as pallet_licensing::Config>::DepositPerItem::get(),
			2 * DEPOSIT_PER_ITEM
		);
	});
}
