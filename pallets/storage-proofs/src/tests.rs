//! Unit tests of the storage-proofs pallet.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::{Pays, PostDispatchInfo},
		traits::fungible::{Inspect, InspectHold},
	},
	sp_runtime::DispatchError,
};

const ALICE: AccountId = 1;
const BOB: AccountId = 2;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn endpoint(text: &str) -> Endpoint {
	Endpoint::truncate_from(text.as_bytes().to_vec())
}

fn provider(who: AccountId, capacity: u64) {
	assert_ok!(StorageProofs::register_provider(
		origin(who),
		endpoint("https://keeper.example"),
		capacity
	));
}

/// A 3-file version: 20,000 bytes in 8 KiB chunks (5 segments), an empty file (1) and 9,000
/// bytes in one 1 MiB chunk (3): 9 segments.
fn three_files(salt: u8) -> TestVersion {
	register(
		salt,
		vec![
			(bytes(20_000, salt), 8192),
			(Vec::new(), 4096),
			(bytes(9_000, salt.wrapping_add(1)), 1 << 20),
		],
	)
}

/// Alice, a provider with 1 MiB of capacity, pledges `three_files(1)` for `term` blocks.
fn alice_keeps(term: u64) -> TestVersion {
	let version = three_files(1);
	provider(ALICE, 1 << 20);
	assert_ok!(StorageProofs::pledge(origin(ALICE), version.id, term));
	version
}

fn held(who: AccountId, reason: HoldReason) -> u64 {
	Balances::balance_on_hold(&reason.into(), &who)
}

fn open(who: AccountId) -> Vec<owh_primitives::storage::ChallengeView<AccountId, u64>> {
	StorageProofs::open_challenges(&who)
}

/// Answers every open challenge of `who` on `version` honestly.
fn answer_all(who: AccountId, version: &TestVersion) {
	for view in open(who)
		.into_iter()
		.filter(|view| view.challenge.version == version.id)
	{
		let (position, proof) = version.proof(view.challenge.index);
		assert_eq!(position, view.position);
		assert_ok!(StorageProofs::answer(origin(who), view.id, Box::new(proof)));
	}
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::StorageProofs(event) => Some(event),
			_ => None,
		})
		.collect()
}

fn check_state() {
	StorageProofs::do_try_state().expect("state is consistent");
}

mod providers {
	use super::*;

	#[test]
	fn register_update_and_leave_hold_and_release_the_stake() {
		new_test_ext().execute_with(|| {
			provider(ALICE, 1 << 30);
			assert_eq!(held(ALICE, HoldReason::ProviderStake), STAKE);
			let info = StorageProofs::provider(&ALICE).unwrap();
			assert_eq!(
				(info.capacity, info.stake, info.reputation),
				(1 << 30, STAKE, 1000)
			);
			assert_noop!(
				StorageProofs::register_provider(origin(ALICE), endpoint("x"), 1),
				Error::<Test>::AlreadyProvider
			);
			assert_ok!(StorageProofs::update_provider(
				origin(ALICE),
				endpoint("https://other.example"),
				10
			));
			assert_eq!(StorageProofs::provider(&ALICE).unwrap().capacity, 10);
			assert_ok!(StorageProofs::add_stake(origin(ALICE), 5));
			assert_eq!(held(ALICE, HoldReason::ProviderStake), STAKE + 5);
			check_state();
			assert_ok!(StorageProofs::deregister_provider(origin(ALICE)));
			assert_eq!(held(ALICE, HoldReason::ProviderStake), 0);
			assert_eq!(Balances::balance(&ALICE), 100_000);
			assert!(StorageProofs::provider(&ALICE).is_none());
		});
	}

	#[test]
	fn bad_registrations_are_refused_by_name() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				StorageProofs::register_provider(origin(ALICE), endpoint(""), 1),
				Error::<Test>::BadEndpoint
			);
			assert_noop!(
				StorageProofs::register_provider(origin(ALICE), endpoint("a\nb"), 1),
				Error::<Test>::BadEndpoint
			);
			assert_noop!(
				StorageProofs::register_provider(
					origin(ALICE),
					Endpoint::truncate_from(vec![0xff, 0xfe]),
					1
				),
				Error::<Test>::BadEndpoint
			);
			assert_noop!(
				StorageProofs::register_provider(origin(ALICE), endpoint("x"), 0),
				Error::<Test>::ZeroCapacity
			);
			// Account 42 holds nothing.
			assert_noop!(
				StorageProofs::register_provider(origin(42), endpoint("x"), 1),
				Error::<Test>::InsufficientBalance
			);
			assert_noop!(
				StorageProofs::update_provider(origin(ALICE), endpoint("x"), 1),
				Error::<Test>::NotProvider
			);
			assert_noop!(
				StorageProofs::deregister_provider(origin(ALICE)),
				Error::<Test>::NotProvider
			);
		});
	}

	#[test]
	fn a_provider_with_pledges_cannot_leave_or_shrink_below_them() {
		new_test_ext().execute_with(|| {
			alice_keeps(100);
			assert_noop!(
				StorageProofs::deregister_provider(origin(ALICE)),
				Error::<Test>::HasPledges
			);
			assert_noop!(
				StorageProofs::update_provider(origin(ALICE), endpoint("x"), 28_999),
				Error::<Test>::CapacityBelowPledged
			);
			assert_ok!(StorageProofs::update_provider(
				origin(ALICE),
				endpoint("x"),
				29_000
			));
		});
	}
}

mod pledges {
	use super::*;

	#[test]
	fn a_pledge_holds_its_deposit_and_counts_against_capacity() {
		new_test_ext().execute_with(|| {
			let version = alice_keeps(100);
			let (id, pledge) = StorageProofs::pledges_of_version(&version.id).remove(0);
			assert_eq!(id, 0);
			assert_eq!(
				(pledge.bytes, pledge.segments, pledge.end),
				(29_000, 9, 101)
			);
			// Three entries at 2 each (the mock charges nothing per byte).
			assert_eq!(StorageProofs::pledge_deposit(), 6);
			assert_eq!(held(ALICE, HoldReason::Pledge), 6);
			let info = StorageProofs::provider(&ALICE).unwrap();
			assert_eq!((info.pledged, info.pledges), (29_000, 1));
			assert_eq!(StorageProofs::pledges_of_provider(&ALICE).len(), 1);
			check_state();
		});
	}

	#[test]
	fn bad_pledges_are_refused_by_name() {
		new_test_ext().execute_with(|| {
			let version = three_files(1);
			let old = register_with_format(2, vec![(bytes(100, 2), 4096)], 1);
			assert_noop!(
				StorageProofs::pledge(origin(ALICE), version.id, 100),
				Error::<Test>::NotProvider
			);
			provider(ALICE, 30_000);
			assert_noop!(
				StorageProofs::pledge(origin(ALICE), VersionId([9; 32]), 100),
				Error::<Test>::UnknownVersion
			);
			assert_noop!(
				StorageProofs::pledge(origin(ALICE), old.id, 100),
				Error::<Test>::UnprovableVersion
			);
			assert_noop!(
				StorageProofs::pledge(origin(ALICE), version.id, 19),
				Error::<Test>::TermTooShort
			);
			assert_noop!(
				StorageProofs::pledge(origin(ALICE), version.id, 1_001),
				Error::<Test>::TermTooLong
			);
			assert_ok!(StorageProofs::pledge(origin(ALICE), version.id, 100));
			assert_noop!(
				StorageProofs::pledge(origin(ALICE), version.id, 100),
				Error::<Test>::AlreadyPledged
			);
			let other = three_files(3);
			assert_noop!(
				StorageProofs::pledge(origin(ALICE), other.id, 100),
				Error::<Test>::CapacityExceeded
			);
		});
	}

	#[test]
	fn the_chain_holds_at_most_max_pledges() {
		new_test_ext().execute_with(|| {
			provider(ALICE, u64::MAX);
			for salt in 0..MAX_PLEDGES as u8 {
				let version = three_files(10 + salt);
				assert_ok!(StorageProofs::pledge(origin(ALICE), version.id, 100));
			}
			let extra = three_files(99);
			assert_noop!(
				StorageProofs::pledge(origin(ALICE), extra.id, 100),
				Error::<Test>::TooManyPledges
			);
		});
	}

	#[test]
	fn renew_extends_and_release_waits_for_the_end_of_the_term() {
		new_test_ext().execute_with(|| {
			let version = three_files(1);
			provider(ALICE, 1 << 20);
			provider(BOB, 1 << 20);
			assert_ok!(StorageProofs::pledge(origin(ALICE), version.id, 100));
			assert_noop!(
				StorageProofs::renew(origin(BOB), 0, 100),
				Error::<Test>::NotPledger
			);
			assert_noop!(
				StorageProofs::renew(origin(ALICE), 7, 100),
				Error::<Test>::UnknownPledge
			);
			assert_noop!(
				StorageProofs::renew(origin(ALICE), 0, 19),
				Error::<Test>::TermTooShort
			);
			// 101 + 900 = 1001 is 1000 blocks from block 1: the longest term allowed.
			assert_noop!(
				StorageProofs::renew(origin(ALICE), 0, 901),
				Error::<Test>::TermTooLong
			);
			assert_ok!(StorageProofs::renew(origin(ALICE), 0, 900));
			assert_eq!(Pledges::<Test>::get(0).unwrap().end, 1001);
			assert_noop!(
				StorageProofs::release(origin(ALICE), 0),
				Error::<Test>::TermNotOver
			);
			System::set_block_number(1001);
			assert_noop!(
				StorageProofs::release(origin(ALICE), 0),
				Error::<Test>::TermNotOver
			);
			System::set_block_number(1002);
			assert_noop!(
				StorageProofs::release(origin(BOB), 0),
				Error::<Test>::NotPledger
			);
			assert_ok!(StorageProofs::release(origin(ALICE), 0));
			assert_eq!(held(ALICE, HoldReason::Pledge), 0);
			assert_eq!(StorageProofs::provider(&ALICE).unwrap().pledged, 0);
			assert!(StorageProofs::pledges_of_version(&version.id).is_empty());
			assert!(events().contains(&Event::PledgeEnded {
				pledge: 0,
				provider: ALICE,
				version: version.id,
				reason: PledgeEnd::Released
			}));
			check_state();
		});
	}
}

mod challenges {
	use super::*;

	#[test]
	fn each_round_draws_k_challenges_per_pledge_within_the_version() {
		new_test_ext().execute_with(|| {
			alice_keeps(1_000);
			run_to_block(2);
			let round = CurrentRound::<Test>::get();
			assert_eq!((round.first, round.end, round.next), (0, 2, 12));
			let challenges = open(ALICE);
			assert_eq!(challenges.len(), CHALLENGES as usize);
			for view in &challenges {
				assert!(view.challenge.index < 9);
				assert_eq!(view.challenge.deadline, 11);
				assert_eq!(view.challenge.issued, 2);
			}
			// Nothing new before the round ends.
			run_to_block(11);
			assert_eq!(CurrentRound::<Test>::get().end, 2);
			run_to_block(12);
			assert_eq!(CurrentRound::<Test>::get().first, 2);
			assert_eq!(CurrentRound::<Test>::get().end, 4);
		});
	}

	#[test]
	fn rounds_reach_every_segment() {
		new_test_ext().execute_with(|| {
			let version = alice_keeps(1_000);
			let mut seen = std::collections::BTreeSet::new();
			for round in 0..40u64 {
				run_to_block(2 + round * PERIOD);
				answer_all(ALICE, &version);
				seen.extend(Challenges::<Test>::iter_values().map(|challenge| challenge.index));
				// Keep the pledge alive past its term for the test.
				Pledges::<Test>::mutate(0, |p| p.as_mut().unwrap().end = 10_000);
			}
			assert_eq!(seen.len(), 9, "drew {seen:?}");
		});
	}

	#[test]
	fn an_honest_answer_is_free_paid_and_recorded() {
		new_test_ext().execute_with(|| {
			let version = alice_keeps(1_000);
			run_to_block(2);
			let view = open(ALICE).remove(0);
			let (_, proof) = version.proof(view.challenge.index);
			let pot = StorageProofs::pot();
			let before = (Balances::balance(&ALICE), Balances::balance(&pot));
			assert_eq!(
				StorageProofs::answer(origin(ALICE), view.id, Box::new(proof)),
				Ok(PostDispatchInfo {
					actual_weight: None,
					pays_fee: Pays::No
				})
			);
			assert_eq!(Balances::balance(&ALICE), before.0 + REWARD);
			assert_eq!(Balances::balance(&pot), before.1 - REWARD);
			assert_eq!(open(ALICE).len(), CHALLENGES as usize - 1);
			let history = StorageProofs::history(0);
			assert_eq!(history.len(), 1);
			assert_eq!(history[0].id, view.id);
			assert_eq!(history[0].answered, Some(2));
			assert_eq!(history[0].amount, REWARD);
			assert_eq!(StorageProofs::provider(&ALICE).unwrap().answered, 1);
			assert!(events().contains(&Event::ChallengeAnswered {
				challenge: view.id,
				pledge: 0,
				provider: ALICE,
				reward: REWARD
			}));
			check_state();
		});
	}

	#[test]
	fn bad_answers_fail_by_name_and_leave_the_challenge_open() {
		new_test_ext().execute_with(|| {
			// 40,000 bytes in 16 KiB chunks: 3 chunks of 4, 4 and 2 full segments, so every
			// proof has a segment to alter and a sibling on each path.
			let version = register(5, vec![(bytes(40_000, 5), 16_384)]);
			provider(ALICE, 1 << 20);
			provider(BOB, 1 << 20);
			assert_ok!(StorageProofs::pledge(origin(ALICE), version.id, 1_000));
			run_to_block(2);
			let view = open(ALICE).remove(0);
			let (_, good) = version.proof(view.challenge.index);
			let answer = |who, proof: SegmentProof| {
				StorageProofs::answer(origin(who), view.id, Box::new(proof)).map_err(|e| e.error)
			};

			let mut wrong_bytes = good.clone();
			wrong_bytes.segment[0] ^= 1;
			assert_eq!(
				answer(ALICE, wrong_bytes),
				Err(Error::<Test>::ProofMismatch.into())
			);

			let mut wrong_path = good.clone();
			wrong_path.in_artifact.siblings[0][0] ^= 1;
			assert_eq!(
				answer(ALICE, wrong_path),
				Err(Error::<Test>::ProofMismatch.into())
			);

			// A valid proof of another segment.
			let other = (view.challenge.index + 1) % 10;
			let (_, other_proof) = version.proof(other);
			assert_eq!(
				answer(ALICE, other_proof),
				Err(Error::<Test>::WrongPosition.into())
			);
			let mut moved = good.clone();
			moved.in_artifact.index += 1;
			assert_eq!(
				answer(ALICE, moved),
				Err(Error::<Test>::WrongPosition.into())
			);

			let mut long = good.clone();
			for _ in 0..5 {
				long.in_artifact.siblings.try_push([0; 32]).unwrap();
			}
			assert_eq!(answer(ALICE, long), Err(Error::<Test>::ProofTooLong.into()));

			let mut short = good.clone();
			short.segment.pop();
			assert_eq!(
				answer(ALICE, short),
				Err(Error::<Test>::WrongSegmentLength.into())
			);

			assert_eq!(
				answer(BOB, good.clone()),
				Err(Error::<Test>::NotChallengedProvider.into())
			);
			assert_eq!(
				StorageProofs::answer(origin(ALICE), 99, Box::new(good.clone()))
					.map_err(|e| e.error),
				Err(Error::<Test>::UnknownChallenge.into())
			);
			// Nothing was recorded; the honest answer still works, once.
			assert!(StorageProofs::history(0).is_empty());
			assert_ok!(answer(ALICE, good.clone()));
			assert_eq!(
				answer(ALICE, good.clone()),
				Err(Error::<Test>::AlreadyAnswered.into())
			);
			// After the round, the same challenge is closed.
			run_to_block(12);
			assert_eq!(
				answer(ALICE, good),
				Err(Error::<Test>::ChallengeClosed.into())
			);
		});
	}

	#[test]
	fn a_late_answer_is_refused_and_the_challenge_is_missed() {
		new_test_ext().execute_with(|| {
			let version = alice_keeps(1_000);
			run_to_block(2);
			let view = open(ALICE).remove(0);
			let (_, proof) = version.proof(view.challenge.index);
			run_to_block(12);
			assert_eq!(
				StorageProofs::answer(origin(ALICE), view.id, Box::new(proof)).map_err(|e| e.error),
				Err(DispatchError::from(Error::<Test>::ChallengeClosed))
			);
			let record = &StorageProofs::history(0)[0];
			assert_eq!((record.id, record.answered), (view.id, None));
		});
	}

	#[test]
	fn a_miss_slashes_a_tenth_of_the_stake_into_the_pot_exactly() {
		new_test_ext().execute_with(|| {
			let version = alice_keeps(1_000);
			run_to_block(2);
			// Answer one of the two; miss the other.
			let views = open(ALICE);
			let (_, proof) = version.proof(views[0].challenge.index);
			assert_ok!(StorageProofs::answer(
				origin(ALICE),
				views[0].id,
				Box::new(proof)
			));
			let pot = StorageProofs::pot();
			let pot_before = Balances::balance(&pot);
			run_to_block(12);
			// 10 % of 1,000.
			assert_eq!(held(ALICE, HoldReason::ProviderStake), 900);
			assert_eq!(Balances::balance(&pot), pot_before + 100);
			let info = StorageProofs::provider(&ALICE).unwrap();
			assert_eq!((info.stake, info.missed, info.answered), (900, 1, 1));
			assert_eq!(info.reputation, 1000 - 100);
			let pledge = Pledges::<Test>::get(0).unwrap();
			assert_eq!((pledge.missed, pledge.misses_in_a_row), (1, 1));
			let history = StorageProofs::history(0);
			assert_eq!(history.len(), 2);
			assert_eq!(history[1].id, views[1].id);
			assert_eq!((history[1].answered, history[1].amount), (None, 100));
			assert!(events().contains(&Event::ChallengeMissed {
				challenge: views[1].id,
				pledge: 0,
				provider: ALICE,
				slashed: 100
			}));
			// The next miss takes 10 % of what is left.
			run_to_block(22);
			assert_eq!(held(ALICE, HoldReason::ProviderStake), 900 - 90 - 81);
			check_state();
			// Stake below ProviderStake: no new pledges until topped up.
			let other = three_files(2);
			assert_noop!(
				StorageProofs::pledge(origin(ALICE), other.id, 100),
				Error::<Test>::StakeTooLow
			);
			assert_ok!(StorageProofs::add_stake(origin(ALICE), 271));
			assert_ok!(StorageProofs::pledge(origin(ALICE), other.id, 100));
		});
	}

	#[test]
	fn misses_in_a_row_end_the_pledge_and_an_answer_resets_the_count() {
		new_test_ext().execute_with(|| {
			let version = alice_keeps(1_000);
			run_to_block(2);
			// Round 1 missed entirely (2 misses), round 2 answered: the count resets.
			run_to_block(12);
			assert_eq!(Pledges::<Test>::get(0).unwrap().misses_in_a_row, 2);
			answer_all(ALICE, &version);
			assert_eq!(Pledges::<Test>::get(0).unwrap().misses_in_a_row, 0);
			run_to_block(22);
			// Rounds 3 and 4 missed: 4 in a row ≥ MAX_MISSES; the round after ends it.
			run_to_block(32);
			assert_eq!(Pledges::<Test>::get(0).unwrap().misses_in_a_row, 2);
			run_to_block(42);
			assert!(Pledges::<Test>::get(0).is_none());
			assert!(events().contains(&Event::PledgeEnded {
				pledge: 0,
				provider: ALICE,
				version: version.id,
				reason: PledgeEnd::TooManyMisses
			}));
			assert_eq!(held(ALICE, HoldReason::Pledge), 0);
			assert_eq!(StorageProofs::provider(&ALICE).unwrap().pledges, 0);
			assert!(open(ALICE).is_empty());
			check_state();
		});
	}
}

mod terms_and_retention {
	use super::*;

	#[test]
	fn a_term_ending_inside_a_round_is_not_challenged_and_then_expires() {
		new_test_ext().execute_with(|| {
			let version = three_files(1);
			provider(ALICE, 1 << 20);
			// Ends at block 21; the round at 12 asks until 21: covered. The round at 22 ends it.
			assert_ok!(StorageProofs::pledge(origin(ALICE), version.id, 20));
			run_to_block(12);
			assert_eq!(open(ALICE).len(), CHALLENGES as usize);
			answer_all(ALICE, &version);
			run_to_block(22);
			assert!(Pledges::<Test>::get(0).is_none());
			assert!(events().contains(&Event::PledgeEnded {
				pledge: 0,
				provider: ALICE,
				version: version.id,
				reason: PledgeEnd::Expired
			}));
			check_state();
		});
	}

	#[test]
	fn a_partly_covered_round_draws_nothing() {
		new_test_ext().execute_with(|| {
			let version = three_files(1);
			provider(ALICE, 1 << 20);
			// Ends at block 26: the round starting at 22 asks until 31, past the term.
			assert_ok!(StorageProofs::pledge(origin(ALICE), version.id, 25));
			run_to_block(2);
			answer_all(ALICE, &version);
			run_to_block(12);
			answer_all(ALICE, &version);
			run_to_block(22);
			assert!(open(ALICE).is_empty());
			assert!(Pledges::<Test>::get(0).is_some());
		});
	}

	#[test]
	fn retained_versions_are_renewed_and_paid_from_the_pot() {
		new_test_ext().execute_with(|| {
			let kept = three_files(1);
			let dropped = three_files(2);
			provider(ALICE, 1 << 20);
			assert_noop!(
				StorageProofs::set_retained(origin(ALICE), kept.id, true),
				DispatchError::BadOrigin
			);
			assert_noop!(
				StorageProofs::set_retained(RuntimeOrigin::root(), VersionId([77; 32]), true),
				Error::<Test>::UnknownVersion
			);
			assert_ok!(StorageProofs::set_retained(
				RuntimeOrigin::root(),
				kept.id,
				true
			));
			assert_noop!(
				StorageProofs::set_retained(RuntimeOrigin::root(), kept.id, true),
				Error::<Test>::RetentionUnchanged
			);
			assert_noop!(
				StorageProofs::set_retained(RuntimeOrigin::root(), dropped.id, false),
				Error::<Test>::RetentionUnchanged
			);
			assert_ok!(StorageProofs::pledge(origin(ALICE), kept.id, 20));
			assert_ok!(StorageProofs::pledge(origin(ALICE), dropped.id, 20));
			let balance = Balances::balance(&ALICE);
			run_to_block(12);
			answer_all(ALICE, &kept);
			answer_all(ALICE, &dropped);
			// At 22 the retained pledge (end 21) is renewed by RETENTION_TERM and challenged;
			// the other expires.
			let answered = 4 * REWARD;
			run_to_block(22);
			assert_eq!(Pledges::<Test>::get(0).unwrap().end, 22 + RETENTION_TERM);
			assert_eq!(Pledges::<Test>::get(0).unwrap().auto_renewals, 1);
			assert!(Pledges::<Test>::get(1).is_none());
			// Rewards, and the expired pledge's deposit back.
			assert_eq!(
				Balances::balance(&ALICE),
				balance + answered + RETENTION_REWARD + StorageProofs::pledge_deposit()
			);
			assert!(events().contains(&Event::Renewed {
				pledge: 0,
				end: 22 + RETENTION_TERM,
				automatic: true,
				reward: RETENTION_REWARD
			}));
			assert_eq!(open(ALICE).len(), CHALLENGES as usize);
			assert_eq!(open(ALICE)[0].challenge.version, kept.id);
			check_state();
		});
	}

	#[test]
	fn an_empty_pot_renews_nothing_and_rewards_nothing() {
		new_test_ext().execute_with(|| {
			let kept = three_files(1);
			provider(ALICE, 1 << 20);
			assert_ok!(StorageProofs::set_retained(
				RuntimeOrigin::root(),
				kept.id,
				true
			));
			assert_ok!(StorageProofs::pledge(origin(ALICE), kept.id, 20));
			run_to_block(2);
			answer_all(ALICE, &kept);
			run_to_block(12);
			// Empty the pot (rewards so far and nothing slashed) down to the existential deposit.
			let pot = StorageProofs::pot();
			let _ =
				<Balances as polkadot_sdk::frame_support::traits::fungible::Mutate<_>>::set_balance(
					&pot,
					Balances::minimum_balance(),
				);
			let view = open(ALICE)[0].clone();
			answer_all(ALICE, &kept);
			let record = StorageProofs::history(0)
				.into_iter()
				.find(|record| record.id == view.id)
				.unwrap();
			assert_eq!((record.answered, record.amount), (Some(12), 0));
			run_to_block(22);
			assert!(Pledges::<Test>::get(0).is_none());
		});
	}
}

mod bounds {
	use super::*;
	use crate::weights::WeightInfo;
	use polkadot_sdk::frame_support::{traits::Get, weights::RuntimeDbWeight, weights::Weight};

	fn one_read() -> Weight {
		<<Test as polkadot_sdk::frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get()
			.reads(1)
	}

	#[test]
	fn a_full_round_draws_max_pledges_times_k_and_is_charged_for_them() {
		new_test_ext().execute_with(|| {
			let mut versions = Vec::new();
			for who in 1..=MAX_PLEDGES as u64 {
				provider(who, 1 << 20);
				let version = three_files(who as u8);
				assert_ok!(StorageProofs::pledge(origin(who), version.id, 1_000));
				versions.push(version);
			}
			System::set_block_number(1);
			let weight = StorageProofs::on_block(2);
			let round = CurrentRound::<Test>::get();
			assert_eq!(round.end - round.first, u64::from(MAX_PLEDGES * CHALLENGES));
			assert_eq!(
				weight,
				<() as WeightInfo>::round(MAX_PLEDGES).saturating_add(one_read())
			);
			// A block inside the round only reads when the next one is due.
			assert_eq!(StorageProofs::on_block(3), one_read());
			// The next round closes all of them: every provider missed both.
			StorageProofs::on_block(12);
			for who in 1..=MAX_PLEDGES as u64 {
				assert_eq!(StorageProofs::provider(&who).unwrap().missed, CHALLENGES);
			}
			check_state();
		});
	}

	#[test]
	fn history_keeps_the_last_history_depth_records() {
		new_test_ext().execute_with(|| {
			let version = alice_keeps(1_000);
			for round in 0..4u64 {
				run_to_block(2 + round * PERIOD);
				answer_all(ALICE, &version);
			}
			let history = StorageProofs::history(0);
			assert_eq!(history.len(), HISTORY as usize);
			let ids: Vec<_> = history.iter().map(|r| r.id).collect();
			assert_eq!(ids, vec![4, 5, 6, 7]);
		});
	}

	#[test]
	fn the_challenge_period_changes_from_the_next_round() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				StorageProofs::set_challenge_period(RuntimeOrigin::root(), 1),
				Error::<Test>::PeriodTooShort
			);
			assert_noop!(
				StorageProofs::set_challenge_period(origin(ALICE), 5),
				DispatchError::BadOrigin
			);
			run_to_block(2);
			assert_ok!(StorageProofs::set_challenge_period(
				RuntimeOrigin::root(),
				5
			));
			assert_eq!(CurrentRound::<Test>::get().next, 12);
			run_to_block(12);
			assert_eq!(CurrentRound::<Test>::get().next, 17);
		});
	}
}

mod availability {
	use super::*;
	use owh_primitives::{
		availability::{AvailabilityReport, Probe, ProbeOutcome, ProbeTarget, MAX_URIS_TRACKED},
		merkle::{root_from_leaves, LeafRule},
		storage::ArtifactRoot,
		StorageUri,
	};
	use polkadot_sdk::{
		frame_support::{
			traits::{Authorize, Hooks},
			BoundedVec,
		},
		frame_system,
		sp_core::offchain::{
			testing::{self, PendingRequest},
			OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
		},
		sp_io,
		sp_runtime::{
			testing::UintAuthorityId,
			transaction_validity::{InvalidTransaction, TransactionSource},
			RuntimeAppPublic,
		},
	};

	fn uri(text: &str) -> StorageUri {
		StorageUri::truncate_from(text.as_bytes().to_vec())
	}

	fn probe(version: VersionId, at: &str, outcome: ProbeOutcome) -> Probe {
		Probe {
			version,
			uri: uri(at),
			artifact: 0,
			chunk: 0,
			outcome,
		}
	}

	fn report(
		session: u32,
		reporter: u64,
		probes: Vec<Probe>,
	) -> (ReportOf<Test>, ReportSignatureOf<Test>) {
		let report = AvailabilityReport {
			session,
			reporter: UintAuthorityId(reporter),
			probes: BoundedVec::truncate_from(probes),
		};
		let signature = UintAuthorityId(reporter)
			.sign(&report.signing_payload())
			.unwrap();
		(report, signature)
	}

	/// Authorizes the call as the pool would, then dispatches it with the authorized origin.
	fn submit(report: ReportOf<Test>, signature: ReportSignatureOf<Test>) -> Result<(), u8> {
		let call = Call::<Test>::report_availability {
			report: report.clone(),
			signature: signature.clone(),
		};
		match call.authorize(TransactionSource::External).expect("the call is authorized") {
			Ok(_) => {},
			Err(e) => match e {
				polkadot_sdk::sp_runtime::transaction_validity::TransactionValidityError::Invalid(
					InvalidTransaction::Custom(code),
				) => return Err(code),
				other => panic!("unexpected refusal {other:?}"),
			},
		}
		assert_ok!(StorageProofs::report_availability(
			frame_system::RawOrigin::Authorized.into(),
			report,
			signature
		));
		Ok(())
	}

	fn code(error: Error<Test>) -> u8 {
		codec::Encode::encode(&error)[0]
	}

	#[test]
	fn a_validator_report_is_recorded_once_per_session() {
		new_test_ext().execute_with(|| {
			let v = three_files(1);
			let (r, s) = report(
				1,
				2,
				vec![
					probe(v.id, "https://good", ProbeOutcome::Served),
					probe(v.id, "https://bad", ProbeOutcome::WrongBytes),
				],
			);
			assert_eq!(submit(r.clone(), s.clone()), Ok(()));
			System::assert_last_event(
				Event::AvailabilityReported {
					reporter: UintAuthorityId(2),
					session: 1,
					served: 1,
					failed: 1,
				}
				.into(),
			);
			let known = Availability::<Test>::get(v.id);
			assert_eq!(known.len(), 2);
			assert!(known[0].serving() && known[0].witnesses.to_vec() == vec![UintAuthorityId(2)]);
			assert_eq!(
				(known[1].consecutive_failures, known[1].last_success),
				(1, None)
			);
			// The same validator again in the same session: refused before the pool.
			assert_eq!(
				submit(r.clone(), s.clone()),
				Err(code(Error::AlreadyReported))
			);
			// And by the call itself, should it reach a block.
			assert_noop!(
				StorageProofs::report_availability(
					frame_system::RawOrigin::Authorized.into(),
					r,
					s
				),
				Error::<Test>::AlreadyReported
			);
			// Next session: accepted, the failure count grows, a second witness appears.
			set_session(2, &[1, 2, 3]);
			System::set_block_number(7);
			let (r, s) = report(
				2,
				3,
				vec![
					probe(v.id, "https://good", ProbeOutcome::Served),
					probe(v.id, "https://bad", ProbeOutcome::TimedOut),
				],
			);
			assert_eq!(submit(r, s), Ok(()));
			let known = Availability::<Test>::get(v.id);
			assert_eq!(known[0].witnesses.len(), 2);
			assert_eq!(known[0].last_success, Some(7));
			assert_eq!(
				(known[1].consecutive_failures, known[1].last_outcome),
				(2, ProbeOutcome::TimedOut)
			);
		});
	}

	#[test]
	fn bad_reports_are_refused_with_named_errors() {
		new_test_ext().execute_with(|| {
			let v = three_files(1);
			let good = vec![probe(v.id, "https://m", ProbeOutcome::Served)];
			let (r, s) = report(0, 2, good.clone());
			assert_eq!(submit(r, s), Err(code(Error::ReportForAnotherSession)));
			let (r, s) = report(1, 9, good.clone());
			assert_eq!(submit(r, s), Err(code(Error::NotAValidator)));
			let (r, s) = report(1, 2, Vec::new());
			assert_eq!(submit(r, s), Err(code(Error::EmptyReport)));
			let (r, s) = report(
				1,
				2,
				vec![probe(
					VersionId([99; 32]),
					"https://m",
					ProbeOutcome::Served,
				)],
			);
			assert_eq!(submit(r, s), Err(code(Error::ReportForUnknownVersion)));
			let mut wrong_artifact = good[0].clone();
			wrong_artifact.artifact = 3;
			let (r, s) = report(1, 2, vec![wrong_artifact]);
			assert_eq!(submit(r, s), Err(code(Error::ReportForUnknownVersion)));
			// Signed by validator 3, claiming to be validator 2.
			let (r, _) = report(1, 2, good.clone());
			let forged = UintAuthorityId(3).sign(&r.signing_payload()).unwrap();
			assert_eq!(submit(r, forged), Err(code(Error::BadReportSignature)));
			// A changed report no longer matches its signature.
			let (mut r, s) = report(1, 2, good);
			r.probes[0].outcome = ProbeOutcome::WrongBytes;
			assert_eq!(submit(r, s), Err(code(Error::BadReportSignature)));
			// Only the authorized origin may call it.
			let (r, s) = report(1, 2, vec![probe(v.id, "https://m", ProbeOutcome::Served)]);
			assert_noop!(
				StorageProofs::report_availability(origin(ALICE), r, s),
				DispatchError::BadOrigin
			);
			assert!(Availability::<Test>::get(v.id).is_empty());
		});
	}

	#[test]
	fn tracked_uris_stay_bounded_and_the_oldest_goes() {
		new_test_ext().execute_with(|| {
			let v = three_files(1);
			for n in 0..=MAX_URIS_TRACKED {
				set_session(n + 10, &[1, 2, 3]);
				System::set_block_number(u64::from(n) + 2);
				let (r, s) = report(
					n + 10,
					1,
					vec![probe(v.id, &format!("https://m{n}"), ProbeOutcome::Served)],
				);
				assert_eq!(submit(r, s), Ok(()));
			}
			let known = Availability::<Test>::get(v.id);
			assert_eq!(known.len() as u32, MAX_URIS_TRACKED);
			assert!(!known.iter().any(|a| a.uri == uri("https://m0")));
			assert!(known
				.iter()
				.any(|a| a.uri == uri(&format!("https://m{MAX_URIS_TRACKED}"))));
		});
	}

	fn get(url: &str, range: Option<&str>, body: Vec<u8>) -> PendingRequest {
		PendingRequest {
			method: "GET".into(),
			uri: url.into(),
			headers: range
				.map(|r| vec![("Range".into(), r.into())])
				.unwrap_or_default(),
			response: Some(body),
			sent: true,
			..Default::default()
		}
	}

	/// 6,000 bytes in two 4 KiB chunks: the bytes, the root and the chunk list.
	fn two_chunks() -> (Vec<u8>, ArtifactRoot, Vec<u8>) {
		let data = bytes(6_000, 5);
		let leaves = LeafRule::Segments.leaves_of(&data, 4096);
		let root = ArtifactRoot {
			size: 6_000,
			chunk_size: 4096,
			merkle_root: root_from_leaves(&leaves),
		};
		(data, root, leaves.concat())
	}

	fn offchain_ext() -> (sp_io::TestExternalities, testing::TestOffchainExt) {
		let mut ext = new_test_ext();
		let (offchain, _) = testing::TestOffchainExt::new();
		ext.register_extension(OffchainWorkerExt::new(offchain.clone()));
		ext.register_extension(OffchainDbExt::new(offchain.clone()));
		(ext, offchain)
	}

	#[test]
	fn a_probe_checks_the_chunk_against_the_root_through_the_chunk_list() {
		let (data, root, leaves) = two_chunks();
		let (mut ext, offchain) = offchain_ext();
		let state = offchain.0.clone();
		let probe = |url: &str, chunk: u64| {
			crate::probe::probe_chunk(
				url.as_bytes(),
				&root,
				LeafRule::Segments,
				chunk,
				2,
				&mut Default::default(),
				PROBE_TIMEOUT_MS,
			)
		};
		ext.execute_with(|| {
			state.write().expect_request(get(
				"http://good/a",
				Some("bytes=0-4095"),
				data[..4096].to_vec(),
			));
			state
				.write()
				.expect_request(get("http://good/a.leaves", None, leaves.clone()));
			assert_eq!(probe("http://good/a", 0), ProbeOutcome::Served);

			let mut wrong = data[..4096].to_vec();
			wrong[100] ^= 1;
			state
				.write()
				.expect_request(get("http://bad/a", Some("bytes=0-4095"), wrong));
			state
				.write()
				.expect_request(get("http://bad/a.leaves", None, leaves.clone()));
			assert_eq!(probe("http://bad/a", 0), ProbeOutcome::WrongBytes);

			// A chunk list that does not lead to the root is not believed.
			let mut forged = leaves.clone();
			forged[0] ^= 1;
			state.write().expect_request(get(
				"http://forged/a",
				Some("bytes=0-4095"),
				data[..4096].to_vec(),
			));
			state
				.write()
				.expect_request(get("http://forged/a.leaves", None, forged));
			assert_eq!(probe("http://forged/a", 0), ProbeOutcome::NoChunkList);

			// A short answer is wrong bytes; a whole file for a later chunk is a range ignored
			// (the test server answers 200 to everything).
			state.write().expect_request(get(
				"http://short/a",
				Some("bytes=0-4095"),
				data[..4000].to_vec(),
			));
			assert_eq!(probe("http://short/a", 0), ProbeOutcome::WrongBytes);
			state.write().expect_request(get(
				"http://whole/a",
				Some("bytes=4096-5999"),
				data.clone(),
			));
			assert_eq!(probe("http://whole/a", 1), ProbeOutcome::RangeIgnored);
		});
	}

	#[test]
	fn the_offchain_worker_probes_signs_and_submits_one_report_a_session() {
		let (data, root, leaves) = two_chunks();
		let (mut ext, offchain) = offchain_ext();
		let state = offchain.0.clone();
		let (pool, pool_state) = testing::TestTransactionPoolExt::new();
		ext.register_extension(TransactionPoolExt::new(pool));
		ext.execute_with(|| {
			let version = register(7, vec![(data.clone(), 4096)]).id;
			assert_eq!(MockRegistry::roots_of(&version).unwrap().artifacts[0], root);
			// One manifest URI; whichever chunk the worker draws, the server has it.
			serve_at(
				version,
				vec![ProbeTarget {
					uri: uri("http://m/a"),
					url: b"http://m/a".to_vec(),
					artifact: 0,
				}],
			);
			let seed = [0u8; 32];
			let chunk = {
				use codec::Encode;
				let draw = sp_io::hashing::blake2_256(&(&seed, b"chunk", 0u32).encode());
				u64::from_le_bytes(draw[..8].try_into().unwrap()) % 2
			};
			let (range, body) = if chunk == 0 {
				("bytes=0-4095", data[..4096].to_vec())
			} else {
				("bytes=4096-5999", data[4096..].to_vec())
			};
			state.write().seed = seed;
			state
				.write()
				.expect_request(get("http://m/a", Some(range), body));
			state
				.write()
				.expect_request(get("http://m/a.leaves", None, leaves.clone()));
			UintAuthorityId::set_all_keys([2u64]);
			StorageProofs::offchain_worker(3);
			// A second run in the same session sends nothing.
			StorageProofs::offchain_worker(4);
			let sent = std::mem::take(&mut pool_state.write().transactions);
			assert_eq!(sent.len(), 1);
			let xt = <Extrinsic as codec::Decode>::decode(&mut &sent[0][..]).unwrap();
			let RuntimeCall::StorageProofs(call) = xt.function else {
				panic!("not ours")
			};
			let Call::report_availability { report, signature } = call.clone() else {
				panic!("not a report")
			};
			assert_eq!(
				(report.session, report.reporter.clone()),
				(1, UintAuthorityId(2))
			);
			assert_eq!(
				report.probes.to_vec(),
				vec![Probe {
					version,
					uri: uri("http://m/a"),
					artifact: 0,
					chunk,
					outcome: ProbeOutcome::Served
				}]
			);
			assert_eq!(submit(report, signature), Ok(()));
			assert!(Availability::<Test>::get(version)[0].serving());
		});
	}

	#[test]
	fn a_node_without_a_validator_key_probes_nothing() {
		let (mut ext, _offchain) = offchain_ext();
		let (pool, pool_state) = testing::TestTransactionPoolExt::new();
		ext.register_extension(TransactionPoolExt::new(pool));
		ext.execute_with(|| {
			let version = three_files(1).id;
			serve_at(
				version,
				vec![ProbeTarget {
					uri: uri("http://m"),
					url: b"http://m".to_vec(),
					artifact: 0,
				}],
			);
			UintAuthorityId::set_all_keys([9u64]);
			StorageProofs::offchain_worker(3);
			assert!(pool_state.read().transactions.is_empty());
		});
	}
}
