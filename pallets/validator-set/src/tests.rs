//! Unit tests of the validator-set pallet against the real `pallet-session`.

use crate::{mock::*, AuthoredBlocks, Error, Event, LastKeyChange, SessionLength, Validators};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold},
	frame_system::RawOrigin,
	pallet_session,
	sp_runtime::DispatchError,
};

fn root() -> RuntimeOrigin {
	RawOrigin::Root.into()
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RawOrigin::Signed(who).into()
}

/// Registers key `key` for `who` through the pallet.
fn set_keys(who: AccountId, key: u64) {
	let (keys, proof) = keys_and_proof(who, key);
	assert_ok!(ValidatorSet::set_keys(signed(who), keys, bounded(proof)));
}

fn planned() -> Vec<AccountId> {
	Validators::<Test>::get().into_inner()
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

#[test]
fn genesis_seats_the_sorted_set_in_session_zero() {
	new_test_ext().execute_with(|| {
		assert_eq!(planned(), vec![1, 2, 3]);
		assert_eq!(active(), vec![1, 2, 3]);
		assert_eq!(session(), 0);
		assert_eq!(SessionLength::<Test>::get(), SESSION_LENGTH);
		assert_ok!(ValidatorSet::do_try_state());
	});
}

#[test]
fn sessions_rotate_every_session_length_blocks() {
	new_test_ext().execute_with(|| {
		run_to_block(SESSION_LENGTH - 1);
		assert_eq!(session(), 0);
		run_to_block(SESSION_LENGTH);
		assert_eq!(session(), 1);
		run_to_block(3 * SESSION_LENGTH);
		assert_eq!(session(), 3);
	});
}

#[test]
fn an_added_validator_is_active_two_sessions_later() {
	new_test_ext().execute_with(|| {
		set_keys(4, 4);
		assert_ok!(ValidatorSet::add_validator(root(), 4));
		assert_eq!(
			last_event(),
			Event::ValidatorAdded {
				who: 4,
				from_session: 2
			}
			.into()
		);
		assert_eq!(planned(), vec![1, 2, 3, 4]);

		// Session 1: pallet-session queues the new set; the active set is unchanged.
		run_to_block(SESSION_LENGTH);
		assert_eq!(session(), 1);
		assert_eq!(active(), vec![1, 2, 3]);
		assert!(pallet_session::QueuedKeys::<Test>::get()
			.iter()
			.any(|(v, _)| *v == 4));

		run_to_block(2 * SESSION_LENGTH - 1);
		assert_eq!(active(), vec![1, 2, 3]);
		// Session 2 starts: 4 validates.
		run_to_block(2 * SESSION_LENGTH);
		assert_eq!(session(), 2);
		assert_eq!(active(), vec![1, 2, 3, 4]);
		assert_ok!(ValidatorSet::do_try_state());
	});
}

#[test]
fn the_set_is_handed_to_the_session_only_after_a_change() {
	new_test_ext().execute_with(|| {
		run_to_block(SESSION_LENGTH);
		assert!(!System::events().iter().any(|e| matches!(
			e.event,
			RuntimeEvent::ValidatorSet(Event::NewSetPlanned { .. })
		)));
		assert_ok!(ValidatorSet::remove_validator(root(), 3));
		run_to_block(2 * SESSION_LENGTH);
		assert!(System::events().iter().any(|e| e.event
			== Event::NewSetPlanned {
				session: 3,
				validators: 2
			}
			.into()));
	});
}

#[test]
fn adding_needs_keys_the_admin_origin_and_room() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::add_validator(root(), 4),
			Error::<Test>::NoSessionKeys
		);
		set_keys(4, 4);
		assert_noop!(
			ValidatorSet::add_validator(signed(1), 4),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::add_validator(root(), 1),
			Error::<Test>::AlreadyAValidator
		);
		assert_ok!(ValidatorSet::add_validator(root(), 4));
		assert_noop!(
			ValidatorSet::add_validator(root(), 4),
			Error::<Test>::AlreadyAValidator
		);
		set_keys(5, 5);
		assert_ok!(ValidatorSet::add_validator(root(), 5));
		set_keys(6, 6);
		assert_noop!(
			ValidatorSet::add_validator(root(), 6),
			Error::<Test>::TooManyValidators
		);
		assert_eq!(planned().len() as u32, MAX_VALIDATORS);
	});
}

#[test]
fn removing_refuses_unknown_accounts_and_the_minimum() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::remove_validator(root(), 7),
			Error::<Test>::NotAValidator
		);
		assert_noop!(
			ValidatorSet::remove_validator(signed(1), 3),
			DispatchError::BadOrigin
		);
		assert_ok!(ValidatorSet::remove_validator(root(), 3));
		assert_eq!(
			last_event(),
			Event::ValidatorRemoved {
				who: 3,
				from_session: 2
			}
			.into()
		);
		assert_noop!(
			ValidatorSet::remove_validator(root(), 3),
			Error::<Test>::NotAValidator
		);
		assert_eq!(planned().len() as u32, MIN_VALIDATORS);
		assert_noop!(
			ValidatorSet::remove_validator(root(), 2),
			Error::<Test>::TooFewValidators
		);
		assert_eq!(planned(), vec![1, 2]);
	});
}

#[test]
fn a_removed_validator_stops_authoring_at_the_session_boundary() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::remove_validator(root(), 3));
		// Session 1 still has 3, and 3 authors in it.
		run_to_block(2 * SESSION_LENGTH - 1);
		assert_eq!(active(), vec![1, 2, 3]);
		assert!(AuthoredBlocks::<Test>::get(3) > 0);
		// Session 2 starts without 3; its blocks are authored by 1 and 2 only.
		run_to_block(3 * SESSION_LENGTH - 1);
		assert_eq!(session(), 2);
		assert_eq!(active(), vec![1, 2]);
		assert_eq!(AuthoredBlocks::<Test>::get(3), 0);
		assert!(AuthoredBlocks::<Test>::get(1) + AuthoredBlocks::<Test>::get(2) > 0);
	});
}

#[test]
fn authored_blocks_are_counted_per_session() {
	new_test_ext().execute_with(|| {
		run_to_block(SESSION_LENGTH);
		// Blocks 2..=4 were finalized in session 0 (block 1 carries no author), authored by
		// 2, 3 and 1; block 5 started session 1 and is counted when it is finalized.
		run_to_block(SESSION_LENGTH + 1);
		let counted: u32 = (1..=3).map(AuthoredBlocks::<Test>::get).sum();
		assert_eq!(counted, 1, "only block 5 counts in session 1");
		run_to_block(2 * SESSION_LENGTH);
		let counted: u32 = (1..=3).map(AuthoredBlocks::<Test>::get).sum();
		assert_eq!(counted, 0, "a new session starts from zero");
		// Blocks 10..=13 of session 2 are finalized by block 14.
		run_to_block(3 * SESSION_LENGTH - 1);
		let counted: u32 = (1..=3).map(AuthoredBlocks::<Test>::get).sum();
		assert_eq!(counted as u64, SESSION_LENGTH - 1);
	});
}

#[test]
fn set_keys_holds_the_deposit_and_records_the_block() {
	new_test_ext().execute_with(|| {
		set_keys(4, 4);
		assert_eq!(last_event(), Event::KeysSet { who: 4 }.into());
		assert_eq!(pallet_session::NextKeys::<Test>::get(4), Some(keys(4)));
		assert_eq!(Balances::total_balance_on_hold(&4), KEY_DEPOSIT);
		assert_eq!(LastKeyChange::<Test>::get(4), Some(1));
	});
}

#[test]
fn set_keys_refuses_bad_proofs_used_keys_and_the_cooldown() {
	new_test_ext().execute_with(|| {
		let (keys4, _) = keys_and_proof(4, 4);
		assert_noop!(
			ValidatorSet::set_keys(signed(4), keys4.clone(), bounded(vec![])),
			Error::<Test>::MissingOwnershipProof
		);
		// A proof made for another owner, and one made by another key.
		assert_noop!(
			ValidatorSet::set_keys(signed(4), keys4.clone(), bounded(proof(4, 5))),
			Error::<Test>::InvalidOwnershipProof
		);
		assert_noop!(
			ValidatorSet::set_keys(signed(4), keys4.clone(), bounded(proof(9, 4))),
			Error::<Test>::InvalidOwnershipProof
		);
		assert_noop!(
			ValidatorSet::set_keys(signed(4), keys4.clone(), bounded(vec![1, 2, 3])),
			Error::<Test>::InvalidOwnershipProof
		);
		// Validator 1's key, with a proof that is valid for 4 (it signs whatever it is given).
		let (keys1, proof1) = keys_and_proof(4, 1);
		assert_noop!(
			ValidatorSet::set_keys(signed(4), keys1, bounded(proof1)),
			Error::<Test>::KeysInUse
		);

		set_keys(4, 4);
		run_to_block(COOLDOWN);
		let (keys44, proof44) = keys_and_proof(4, 44);
		assert_noop!(
			ValidatorSet::set_keys(signed(4), keys44.clone(), bounded(proof44.clone())),
			Error::<Test>::KeyChangeTooSoon
		);
		assert_eq!(pallet_session::NextKeys::<Test>::get(4), Some(keys(4)));
		run_to_block(1 + COOLDOWN);
		assert_ok!(ValidatorSet::set_keys(signed(4), keys44, bounded(proof44)));
		assert_eq!(pallet_session::NextKeys::<Test>::get(4), Some(keys(44)));
		// The deposit is held once, not per change.
		assert_eq!(Balances::total_balance_on_hold(&4), KEY_DEPOSIT);
		assert_eq!(planned(), vec![1, 2, 3]);
	});
}

#[test]
fn set_keys_needs_an_account_that_can_hold_the_deposit() {
	new_test_ext().execute_with(|| {
		let (keys, proof) = keys_and_proof(42, 42);
		assert!(ValidatorSet::set_keys(signed(42), keys, bounded(proof)).is_err());
		assert_eq!(pallet_session::NextKeys::<Test>::get(42), None);
		assert_eq!(LastKeyChange::<Test>::get(42), None);
	});
}

#[test]
fn purge_keys_is_refused_while_in_any_set() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::purge_keys(signed(1)),
			Error::<Test>::StillAValidator
		);
		assert_ok!(ValidatorSet::remove_validator(root(), 3));
		// Planned without 3, but 3 is active in sessions 0 and 1.
		assert_noop!(
			ValidatorSet::purge_keys(signed(3)),
			Error::<Test>::StillAValidator
		);
		run_to_block(SESSION_LENGTH);
		assert_noop!(
			ValidatorSet::purge_keys(signed(3)),
			Error::<Test>::StillAValidator
		);
		run_to_block(2 * SESSION_LENGTH);
		assert_eq!(active(), vec![1, 2]);
		assert_ok!(ValidatorSet::purge_keys(signed(3)));
		assert_eq!(last_event(), Event::KeysPurged { who: 3 }.into());
		assert_eq!(pallet_session::NextKeys::<Test>::get(3), None);
	});
}

#[test]
fn purge_keys_releases_the_deposit_and_ends_the_cooldown() {
	new_test_ext().execute_with(|| {
		set_keys(4, 4);
		assert_ok!(ValidatorSet::purge_keys(signed(4)));
		assert_eq!(Balances::total_balance_on_hold(&4), 0);
		assert_eq!(LastKeyChange::<Test>::get(4), None);
		assert_noop!(
			ValidatorSet::purge_keys(signed(4)),
			pallet_session::Error::<Test>::NoKeys
		);
	});
}

#[test]
fn session_length_changes_apply_to_the_current_session() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::set_session_length(root(), 1),
			Error::<Test>::SessionLengthOutOfRange
		);
		assert_noop!(
			ValidatorSet::set_session_length(root(), 101),
			Error::<Test>::SessionLengthOutOfRange
		);
		assert_noop!(
			ValidatorSet::set_session_length(signed(1), 3),
			DispatchError::BadOrigin
		);
		run_to_block(2);
		assert_ok!(ValidatorSet::set_session_length(root(), 3));
		assert_eq!(last_event(), Event::SessionLengthSet { blocks: 3 }.into());
		run_to_block(3);
		assert_eq!(session(), 1);
		run_to_block(6);
		assert_eq!(session(), 2);
	});
}

#[test]
fn the_next_rotation_is_estimated_from_the_session_start() {
	use polkadot_sdk::frame_support::traits::EstimateNextSessionRotation;
	new_test_ext().execute_with(|| {
		run_to_block(SESSION_LENGTH + 2);
		let (next, _) = ValidatorSet::estimate_next_session_rotation(SESSION_LENGTH + 2);
		assert_eq!(next, Some(2 * SESSION_LENGTH));
		let (progress, _) = ValidatorSet::estimate_current_session_progress(SESSION_LENGTH + 2);
		assert_eq!(
			progress,
			Some(polkadot_sdk::sp_runtime::Permill::from_percent(40))
		);
	});
}

#[test]
fn try_state_catches_a_validator_without_keys() {
	new_test_ext().execute_with(|| {
		Validators::<Test>::mutate(|set| set.try_push(8).unwrap());
		assert!(ValidatorSet::do_try_state().is_err());
	});
}
