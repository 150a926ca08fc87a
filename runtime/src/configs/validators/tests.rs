//! Sessions and the validator set in the real runtime configuration.

use super::{SeatConsensusAuthorities, DEV_SESSION_LENGTH, SESSION_LENGTH};
use crate::{
	genesis_config_presets::CONSORTIUM_PRESET, tests::chain, AccountId, Grandpa, Runtime,
	RuntimeCall, RuntimeOrigin, Session, SessionKeys, System, ValidatorSet,
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{Get, OnRuntimeUpgrade},
		BoundedVec,
	},
	frame_system, pallet_aura, pallet_session,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_io::TestExternalities,
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	sp_keystore::{testing::MemoryKeystore, KeystoreExt},
	sp_runtime::{traits::Dispatchable, DispatchError},
};

fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

/// `preset`'s chain with a keystore, as a node's RPC has when it rotates keys.
fn chain_with_keystore(preset: &str) -> TestExternalities {
	let mut ext = chain(preset);
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext
}

/// Fresh keys from the keystore with their ownership proof for `owner`.
fn rotate_keys(
	owner: &AccountId,
) -> (
	SessionKeys,
	BoundedVec<u8, polkadot_sdk::sp_core::ConstU32<512>>,
) {
	let generated = SessionKeys::generate(&owner.encode(), None);
	(
		generated.keys,
		BoundedVec::truncate_from(generated.proof.encode()),
	)
}

#[test]
fn presets_seat_their_validators_as_aura_and_grandpa_authorities() {
	let cases = [
		(
			DEV_RUNTIME_PRESET,
			vec![(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
			DEV_SESSION_LENGTH,
		),
		(
			LOCAL_TESTNET_RUNTIME_PRESET,
			vec![
				(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
				(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
				(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			],
			DEV_SESSION_LENGTH,
		),
		(
			CONSORTIUM_PRESET,
			vec![
				(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
				(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
				(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
				(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
			],
			SESSION_LENGTH,
		),
	];
	for (preset, keys, length) in cases {
		chain(preset).execute_with(|| {
			let mut planned: Vec<AccountId> = keys.iter().map(|(sr, _)| account(*sr)).collect();
			planned.sort();
			assert_eq!(
				pallet_validator_set::Validators::<Runtime>::get().into_inner(),
				planned
			);
			let active = pallet_session::Validators::<Runtime>::get();
			assert_eq!(active.len(), keys.len(), "{preset}");
			// Aura and GRANDPA authorities follow the session's order.
			let aura = pallet_aura::Authorities::<Runtime>::get();
			let grandpa = Grandpa::grandpa_authorities();
			for (i, who) in active.iter().enumerate() {
				let (sr, ed) = keys.iter().find(|(sr, _)| account(*sr) == *who).unwrap();
				assert_eq!(aura[i], sr.public().into(), "{preset}");
				assert_eq!(grandpa[i].0, ed.public().into(), "{preset}");
			}
			assert_eq!(
				pallet_validator_set::SessionLength::<Runtime>::get(),
				length
			);
			assert_ok!(ValidatorSet::do_try_state());
		});
	}
}

#[test]
fn session_calls_are_filtered_so_keys_change_only_through_the_validator_set() {
	chain_with_keystore(DEV_RUNTIME_PRESET).execute_with(|| {
		let dave = account(Sr25519Keyring::Dave);
		let (keys, proof) = rotate_keys(&dave);
		let direct = RuntimeCall::Session(pallet_session::Call::set_keys {
			keys: keys.clone(),
			proof: proof.to_vec(),
		});
		let origin = RuntimeOrigin::signed(dave.clone());
		assert_eq!(
			direct.dispatch(origin.clone()).map_err(|e| e.error),
			Err(frame_system::Error::<Runtime>::CallFiltered.into())
		);
		let purge = RuntimeCall::Session(pallet_session::Call::purge_keys {});
		assert!(purge.dispatch(origin.clone()).is_err());

		let through =
			RuntimeCall::ValidatorSet(pallet_validator_set::Call::set_keys { keys, proof });
		assert_ok!(through.dispatch(origin));
		assert!(pallet_session::NextKeys::<Runtime>::contains_key(&dave));
	});
}

#[test]
fn keys_rotated_in_the_keystore_prove_ownership_only_for_their_owner() {
	chain_with_keystore(DEV_RUNTIME_PRESET).execute_with(|| {
		let dave = account(Sr25519Keyring::Dave);
		let eve = account(Sr25519Keyring::Eve);
		let (keys, proof) = rotate_keys(&dave);
		assert_noop!(
			ValidatorSet::set_keys(RuntimeOrigin::signed(eve), keys.clone(), proof.clone()),
			pallet_validator_set::Error::<Runtime>::InvalidOwnershipProof
		);
		assert_ok!(ValidatorSet::set_keys(
			RuntimeOrigin::signed(dave.clone()),
			keys,
			proof
		));
		let deposit: crate::Balance = super::KeyDeposit::get();
		assert!(deposit > 0);
		assert_eq!(
			polkadot_sdk::pallet_balances::Pallet::<Runtime>::reserved_balance(&dave),
			deposit
		);
	});
}

#[test]
fn the_validator_admin_adds_a_validator_for_the_session_after_next() {
	chain_with_keystore(DEV_RUNTIME_PRESET).execute_with(|| {
		let bob = account(Sr25519Keyring::Bob);
		let (keys, proof) = rotate_keys(&bob);
		assert_ok!(ValidatorSet::set_keys(
			RuntimeOrigin::signed(bob.clone()),
			keys.clone(),
			proof
		));
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(bob.clone()), bob.clone().into()),
			DispatchError::BadOrigin
		);
		assert_ok!(ValidatorSet::add_validator(
			RuntimeOrigin::root(),
			bob.clone().into()
		));
		for _ in 0..2 {
			Session::rotate_session();
		}
		assert!(pallet_session::Validators::<Runtime>::get().contains(&bob));
		assert!(pallet_aura::Authorities::<Runtime>::get().contains(&keys.aura));
		// GRANDPA schedules its change in the session's block.
		assert!(Grandpa::pending_change().is_some());
	});
}

#[test]
fn a_chain_without_sessions_keeps_its_authorities_through_the_upgrade() {
	chain(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let grandpa = Grandpa::grandpa_authorities();
		// The state of spec 106: authorities, no sessions.
		let _ = pallet_session::NextKeys::<Runtime>::clear(u32::MAX, None);
		let _ = pallet_session::KeyOwner::<Runtime>::clear(u32::MAX, None);
		pallet_session::Validators::<Runtime>::kill();
		pallet_session::QueuedKeys::<Runtime>::kill();
		pallet_validator_set::Validators::<Runtime>::kill();
		System::set_block_number(42);

		SeatConsensusAuthorities::on_runtime_upgrade();

		let active = pallet_session::Validators::<Runtime>::get();
		assert_eq!(active.len(), 3);
		for (i, who) in active.iter().enumerate() {
			assert_eq!(AccountId::from(aura[i].clone().into_inner()), *who);
			let keys = pallet_session::NextKeys::<Runtime>::get(who).unwrap();
			assert_eq!(
				(keys.aura, keys.grandpa),
				(aura[i].clone(), grandpa[i].0.clone())
			);
		}
		assert_eq!(pallet_validator_set::SessionStart::<Runtime>::get(), 42);
		assert_ok!(ValidatorSet::do_try_state());
		// Rotations keep the same authorities, and a second run changes nothing.
		Session::rotate_session();
		Session::rotate_session();
		assert_eq!(pallet_aura::Authorities::<Runtime>::get(), aura);
		SeatConsensusAuthorities::on_runtime_upgrade();
		assert_eq!(pallet_session::Validators::<Runtime>::get(), active);
	});
}
