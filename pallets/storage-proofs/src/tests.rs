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
