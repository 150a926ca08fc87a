//! Unit tests of the promotion pallet.

use crate::{mock::*, *};
use codec::Encode;
use owh_primitives::{promotion::MAX_METRIC_MAGNITUDE, Metric, METRIC_SCALE};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::fungible::{Inspect, InspectHold},
	},
	sp_runtime::{testing::TestSignature, DispatchError, DispatchResult},
};

const CI: u64 = 1;
const LAB: u64 = 2;
const OWNER: u64 = 3;
const RELAYER: u64 = 5;

fn name(text: &str) -> MetricName {
	text.as_bytes().to_vec().try_into().unwrap()
}

fn alias(text: &str) -> AliasName {
	text.as_bytes().to_vec().try_into().unwrap()
}

fn allowed(names: &[&str]) -> AllowedMetrics {
	names
		.iter()
		.map(|n| name(n))
		.collect::<Vec<_>>()
		.try_into()
		.unwrap()
}

fn scaled(value: f64) -> i64 {
	(value * METRIC_SCALE as f64).round() as i64
}

fn metrics(values: &[(&str, f64)]) -> AttestedMetrics {
	values
		.iter()
		.map(|(n, v)| Metric {
			name: name(n),
			value: scaled(*v),
		})
		.collect::<Vec<_>>()
		.try_into()
		.unwrap()
}

fn evidence() -> Evidence {
	Evidence {
		sha256: [9; 32],
		uri: b"https://ci.example.org/runs/42/report.json"
			.to_vec()
			.try_into()
			.unwrap(),
	}
}

fn fraud_gate() -> GateOf<Test> {
	Gate {
		thresholds: vec![
			Threshold {
				metric: name("recall"),
				comparison: Comparison::AtLeast,
				value: scaled(0.97),
			},
			Threshold {
				metric: name("false_positive_rate"),
				comparison: Comparison::AtMost,
				value: scaled(0.01),
			},
		]
		.try_into()
		.unwrap(),
		min_attestors: 2,
		max_age: 100,
		approval: Approval::None,
	}
}

fn held(who: u64, reason: HoldReason) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Promotion(reason), &who)
}

fn register(who: u64) {
	assert_ok!(Promotion::register_attestor(
		RuntimeOrigin::root(),
		who,
		b"CI".to_vec().try_into().unwrap(),
		allowed(&["false_positive_rate", "recall"])
	));
}

/// A repository `bank/fraud` owned by OWNER, two versions, CI and LAB registered.
fn setup() -> (VersionId, VersionId) {
	create_repo("bank/fraud", OWNER);
	let a = register_version("bank/fraud", 0xa1);
	let b = register_version("bank/fraud", 0xb2);
	register(CI);
	register(LAB);
	(a, b)
}

fn attest(who: u64, version: VersionId, values: &[(&str, f64)]) {
	assert_ok!(Promotion::attest(
		RuntimeOrigin::signed(who),
		version,
		metrics(values),
		evidence()
	));
}

fn protect() {
	assert_ok!(Promotion::set_gate(
		RuntimeOrigin::signed(OWNER),
		repo("bank/fraud"),
		alias("production"),
		Some(fraud_gate())
	));
}

/// Asks the guard to move `production` of `bank/fraud` to `version`, and moves it in the
/// registry double when the guard lets it, as the registry does.
fn may_move(version: VersionId) -> Result<(), DispatchError> {
	Promotion::on_alias_move(&repo("bank/fraud"), &alias("production"), Some(&version))?;
	point_alias("bank/fraud", "production", version);
	Ok(())
}

/// Runs a test on fresh storage, then checks the storage invariants (`try_state`).
fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		body();
		Promotion::do_try_state().expect("storage invariants hold");
	});
}

const GOOD: [(&str, f64); 2] = [("false_positive_rate", 0.01), ("recall", 0.98)];

mod attestors {
	use super::*;

	#[test]
	fn governance_registers_attestors_with_their_bond_held() {
		test(|| {
			register(CI);
			assert_eq!(held(CI, HoldReason::AttestorBond), 1_000);
			let info = Attestors::<Test>::get(CI).unwrap();
			assert_eq!(info.bond, 1_000);
			assert!(!info.suspended);
			assert_eq!(info.nonce, 0);
			System::assert_last_event(
				Event::AttestorRegistered {
					attestor: CI,
					name: b"CI".to_vec().try_into().unwrap(),
					bond: 1_000,
				}
				.into(),
			);
		});
	}

	#[test]
	fn bad_registrations_are_refused_without_a_trace() {
		test(|| {
			let ci_name = || -> AttestorName { b"CI".to_vec().try_into().unwrap() };
			let ok = || allowed(&["recall"]);
			assert_noop!(
				Promotion::register_attestor(RuntimeOrigin::signed(CI), CI, ci_name(), ok()),
				DispatchError::BadOrigin
			);
			for bad in [&b""[..], b"  ", b"tab\there"] {
				assert_noop!(
					Promotion::register_attestor(
						RuntimeOrigin::root(),
						CI,
						bad.to_vec().try_into().unwrap(),
						ok()
					),
					Error::<Test>::BadAttestorName
				);
			}
			for bad in [
				allowed(&[]),
				allowed(&["recall", "accuracy"]),
				allowed(&["a", "a"]),
				allowed(&["re call"]),
			] {
				assert_noop!(
					Promotion::register_attestor(RuntimeOrigin::root(), CI, ci_name(), bad),
					Error::<Test>::BadAllowedMetrics
				);
			}
			assert_noop!(
				Promotion::register_attestor(RuntimeOrigin::root(), 10, ci_name(), ok()),
				Error::<Test>::InsufficientBond
			);
			register(CI);
			assert_noop!(
				Promotion::register_attestor(RuntimeOrigin::root(), CI, ci_name(), ok()),
				Error::<Test>::AlreadyAttestor
			);
			MaxAttestors::set(4);
			for who in 2..=4 {
				register(who);
			}
			assert_noop!(
				Promotion::register_attestor(RuntimeOrigin::root(), 6, ci_name(), ok()),
				Error::<Test>::TooManyAttestors
			);
		});
	}

	#[test]
	fn suspension_is_governance_only_and_changes_something() {
		test(|| {
			register(CI);
			assert_noop!(
				Promotion::set_attestor_suspended(RuntimeOrigin::signed(CI), CI, true),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Promotion::set_attestor_suspended(RuntimeOrigin::root(), 7, true),
				Error::<Test>::NotAttestor
			);
			assert_noop!(
				Promotion::set_attestor_suspended(RuntimeOrigin::root(), CI, false),
				Error::<Test>::SuspensionUnchanged
			);
			assert_ok!(Promotion::set_attestor_suspended(
				RuntimeOrigin::root(),
				CI,
				true
			));
			assert!(Attestors::<Test>::get(CI).unwrap().suspended);
		});
	}
}

mod attesting {
	use super::*;

	#[test]
	fn an_attestation_is_recorded_with_its_deposit() {
		test(|| {
			let (a, _) = setup();
			attest(CI, a, &GOOD);
			let record = Attestations::<Test>::get(0).unwrap();
			assert_eq!(record.attestor, CI);
			assert_eq!(record.version, a);
			assert_eq!(record.metrics, metrics(&GOOD));
			assert_eq!(record.block, 1);
			assert_eq!(record.status, AttestationStatus::Standing);
			// Two entries (the record with its key, the version index entry with its key).
			let mut unpaid = record.clone();
			unpaid.deposit = 0;
			let expected = 2 * 10 + (unpaid.encoded_size() as u64 + 8) + (32 + 8);
			assert_eq!(record.deposit, expected);
			assert_eq!(held(CI, HoldReason::Deposit), expected);
			assert!(VersionAttestations::<Test>::contains_key(a, 0));
			assert_eq!(Latest::<Test>::get(a).into_inner(), vec![(CI, 0)]);
			System::assert_last_event(
				Event::Attested {
					id: 0,
					version: a,
					attestor: CI,
					supersedes: None,
				}
				.into(),
			);
		});
	}

	#[test]
	fn a_newer_attestation_supersedes_the_older_and_both_stay() {
		test(|| {
			let (a, _) = setup();
			attest(CI, a, &[("recall", 0.95)]);
			attest(LAB, a, &GOOD);
			attest(CI, a, &GOOD);
			assert_eq!(Latest::<Test>::get(a).into_inner(), vec![(CI, 2), (LAB, 1)]);
			assert_eq!(VersionAttestations::<Test>::iter_prefix(a).count(), 3);
			assert_eq!(
				Attestations::<Test>::get(0).unwrap().metrics,
				metrics(&[("recall", 0.95)])
			);
			System::assert_last_event(
				Event::Attested {
					id: 2,
					version: a,
					attestor: CI,
					supersedes: Some(0),
				}
				.into(),
			);
		});
	}

	#[test]
	fn bad_attestations_are_refused_without_a_trace() {
		test(|| {
			let (a, _) = setup();
			let try_attest = |who: u64, version: VersionId, m: AttestedMetrics, e: Evidence| {
				Promotion::attest(RuntimeOrigin::signed(who), version, m, e)
			};
			assert_noop!(
				try_attest(7, a, metrics(&GOOD), evidence()),
				Error::<Test>::NotAttestor
			);
			assert_noop!(
				try_attest(CI, VersionId([0xee; 32]), metrics(&GOOD), evidence()),
				Error::<Test>::UnknownVersion
			);
			assert_noop!(
				try_attest(CI, a, metrics(&[]), evidence()),
				Error::<Test>::NoMetrics
			);
			assert_noop!(
				try_attest(
					CI,
					a,
					metrics(&[("recall", 0.9), ("false_positive_rate", 0.1)]),
					evidence()
				),
				Error::<Test>::MetricsNotSorted
			);
			assert_noop!(
				try_attest(CI, a, metrics(&[("accuracy", 0.9)]), evidence()),
				Error::<Test>::MetricNotAllowed
			);
			let huge: AttestedMetrics = vec![Metric {
				name: name("recall"),
				value: MAX_METRIC_MAGNITUDE + 1,
			}]
			.try_into()
			.unwrap();
			assert_noop!(
				try_attest(CI, a, huge, evidence()),
				Error::<Test>::MetricOutOfRange
			);
			let mut bad_uri = evidence();
			bad_uri.uri = b"no scheme here".to_vec().try_into().unwrap();
			assert_noop!(
				try_attest(CI, a, metrics(&GOOD), bad_uri),
				Error::<Test>::BadEvidenceUri
			);
			assert_ok!(Promotion::set_attestor_suspended(
				RuntimeOrigin::root(),
				CI,
				true
			));
			assert_noop!(
				try_attest(CI, a, metrics(&GOOD), evidence()),
				Error::<Test>::AttestorSuspended
			);
		});
	}

	#[test]
	fn a_version_keeps_at_most_sixteen_attestors() {
		new_test_ext().execute_with(|| {
			let (a, _) = setup();
			// The mock allows 4 registered attestors; fill the version's list directly.
			let full: LatestOf<Test> = (100..116)
				.map(|who| (who, 0))
				.collect::<Vec<_>>()
				.try_into()
				.unwrap();
			Latest::<Test>::insert(a, full);
			assert_noop!(
				Promotion::attest(RuntimeOrigin::signed(CI), a, metrics(&GOOD), evidence()),
				Error::<Test>::TooManyVersionAttestors
			);
			// The list names attestations that do not exist, which try_state reports.
			assert!(Promotion::do_try_state().is_err());
		});
	}
}

mod signed_off_chain {
	use super::*;

	fn signature(
		attestor: u64,
		genesis: [u8; 32],
		nonce: u32,
		version: VersionId,
	) -> TestSignature {
		let m = metrics(&GOOD);
		let e = evidence();
		let payload = AttestationPayload {
			genesis,
			nonce,
			version,
			metrics: &m,
			evidence: &e,
		};
		TestSignature(attestor, payload.signing_bytes())
	}

	fn submit(nonce: u32, version: VersionId, sig: TestSignature) -> Result<(), DispatchError> {
		Promotion::submit_attestation(
			RuntimeOrigin::signed(RELAYER),
			CI,
			nonce,
			version,
			metrics(&GOOD),
			evidence(),
			sig,
		)
	}

	#[test]
	fn anyone_submits_a_signed_attestation_once() {
		test(|| {
			let (a, _) = setup();
			let genesis = Promotion::genesis_hash();
			assert_ok!(submit(0, a, signature(CI, genesis, 0, a)));
			let record = Attestations::<Test>::get(0).unwrap();
			assert_eq!(record.attestor, CI);
			assert_eq!(record.depositor, RELAYER);
			assert_eq!(held(RELAYER, HoldReason::Deposit), record.deposit);
			assert_eq!(held(CI, HoldReason::Deposit), 0);
			assert_eq!(Attestors::<Test>::get(CI).unwrap().nonce, 1);
			// The same signature again: its nonce is used.
			assert_noop!(
				submit(0, a, signature(CI, genesis, 0, a)),
				Error::<Test>::WrongNonce
			);
			// Signed ahead of the next nonce.
			assert_noop!(
				submit(2, a, signature(CI, genesis, 2, a)),
				Error::<Test>::WrongNonce
			);
			assert_ok!(submit(1, a, signature(CI, genesis, 1, a)));
		});
	}

	#[test]
	fn a_signature_for_another_chain_content_or_signer_fails() {
		test(|| {
			let (a, b) = setup();
			let genesis = Promotion::genesis_hash();
			assert_noop!(
				submit(0, a, signature(CI, [0xff; 32], 0, a)),
				Error::<Test>::BadSignature
			);
			assert_noop!(
				submit(0, a, signature(CI, genesis, 0, b)),
				Error::<Test>::BadSignature
			);
			assert_noop!(
				submit(0, a, signature(LAB, genesis, 0, a)),
				Error::<Test>::BadSignature
			);
			assert_noop!(
				Promotion::submit_attestation(
					RuntimeOrigin::signed(RELAYER),
					7,
					0,
					a,
					metrics(&GOOD),
					evidence(),
					signature(7, genesis, 0, a)
				),
				Error::<Test>::NotAttestor
			);
		});
	}
}

mod gates {
	use super::*;

	#[test]
	fn the_owner_protects_an_alias_and_every_change_is_kept() {
		test(|| {
			setup();
			protect();
			let key = (repo("bank/fraud"), alias("production"));
			assert_eq!(Gates::<Test>::get(&key.0, &key.1), Some(fraud_gate()));
			let first = GateHistory::<Test>::get(&key, 0).unwrap();
			assert_eq!(first.by, Some(OWNER));
			assert_eq!(first.gate, Some(fraud_gate()));
			assert!(first.deposit > 0);
			assert_eq!(held(OWNER, HoldReason::Deposit), first.deposit);
			let mut looser = fraud_gate();
			looser.min_attestors = 1;
			assert_ok!(Promotion::set_gate(
				RuntimeOrigin::signed(OWNER),
				key.0.clone(),
				key.1.clone(),
				Some(looser.clone())
			));
			assert_ok!(Promotion::force_set_gate(
				RuntimeOrigin::root(),
				key.0.clone(),
				key.1.clone(),
				None
			));
			assert_eq!(Gates::<Test>::get(&key.0, &key.1), None);
			assert_eq!(GateChangeCount::<Test>::get(&key.0, &key.1), 3);
			assert_eq!(
				GateHistory::<Test>::get(&key, 1).unwrap().gate,
				Some(looser)
			);
			let last = GateHistory::<Test>::get(&key, 2).unwrap();
			assert_eq!((last.by, last.gate, last.deposit), (None, None, 0));
			System::assert_last_event(
				Event::GateChanged {
					repo: key.0,
					alias: key.1,
					gate: None,
					by: None,
				}
				.into(),
			);
		});
	}

	#[test]
	fn bad_gates_are_refused_without_a_trace() {
		test(|| {
			setup();
			let set = |who: u64, r: &str, a: &str, gate: Option<GateOf<Test>>| {
				Promotion::set_gate(RuntimeOrigin::signed(who), repo(r), alias(a), gate)
			};
			assert_noop!(
				set(OWNER, "no/such", "production", Some(fraud_gate())),
				Error::<Test>::UnknownRepository
			);
			assert_noop!(
				set(CI, "bank/fraud", "production", Some(fraud_gate())),
				Error::<Test>::NotOwner
			);
			assert_noop!(
				set(OWNER, "bank/fraud", "Prod uction", Some(fraud_gate())),
				Error::<Test>::BadAliasName
			);
			assert_noop!(
				set(OWNER, "bank/fraud", "production", None),
				Error::<Test>::NoGate
			);
			let with = |f: &dyn Fn(&mut GateOf<Test>)| {
				let mut g = fraud_gate();
				f(&mut g);
				Some(g)
			};
			let cases: [(Option<GateOf<Test>>, Error<Test>); 6] = [
				(with(&|g| g.thresholds.clear()), Error::<Test>::NoThresholds),
				(
					with(&|g| g.min_attestors = 0),
					Error::<Test>::BadAttestorCount,
				),
				(with(&|g| g.max_age = 0), Error::<Test>::ZeroMaxAge),
				(
					with(&|g| g.thresholds[0].value = i64::MAX),
					Error::<Test>::ThresholdOutOfRange,
				),
				(
					with(&|g| {
						let mut again = g.thresholds[0].clone();
						again.value = scaled(0.5);
						g.thresholds.try_push(again).unwrap();
					}),
					Error::<Test>::DuplicateThreshold,
				),
				(
					with(&|g| {
						g.thresholds
							.try_push(Threshold {
								metric: name("recall"),
								comparison: Comparison::AtMost,
								value: scaled(0.9),
							})
							.unwrap();
					}),
					Error::<Test>::ContradictoryThresholds,
				),
			];
			for (gate, error) in cases {
				assert_noop!(set(OWNER, "bank/fraud", "production", gate), error);
			}
			protect();
			assert_noop!(
				set(OWNER, "bank/fraud", "production", Some(fraud_gate())),
				Error::<Test>::GateUnchanged
			);
			assert_noop!(
				Promotion::force_set_gate(
					RuntimeOrigin::signed(OWNER),
					repo("bank/fraud"),
					alias("x"),
					Some(fraud_gate())
				),
				DispatchError::BadOrigin
			);
		});
	}
}

mod promotion {
	use super::*;

	#[test]
	fn an_unprotected_alias_moves_freely() {
		test(|| {
			let (a, _) = setup();
			assert_ok!(may_move(a));
			assert_ok!(Promotion::on_alias_move(
				&repo("bank/fraud"),
				&alias("production"),
				None
			));
		});
	}

	#[test]
	fn two_attestors_meeting_the_thresholds_open_the_gate_and_a_weak_candidate_names_recall() {
		test(|| {
			let (a, b) = setup();
			protect();
			assert_eq!(
				may_move(a),
				Err(Error::<Test>::TooFewAttestations { threshold: 0 }.into())
			);
			attest(CI, a, &GOOD);
			assert_eq!(
				may_move(a),
				Err(Error::<Test>::TooFewAttestations { threshold: 0 }.into())
			);
			attest(LAB, a, &GOOD);
			assert_ok!(may_move(a));
			let status =
				Promotion::gate_status(&repo("bank/fraud"), &alias("production"), &a).unwrap();
			assert!(status.passes());
			assert_eq!(status.thresholds[0].counted, 2);

			attest(CI, b, &[("false_positive_rate", 0.01), ("recall", 0.95)]);
			attest(LAB, b, &GOOD);
			assert_eq!(
				may_move(b),
				Err(Error::<Test>::ThresholdNotMet { threshold: 0 }.into())
			);
			let status =
				Promotion::gate_status(&repo("bank/fraud"), &alias("production"), &b).unwrap();
			assert_eq!(status.thresholds[0].worst, Some(scaled(0.95)));
			assert_eq!(status.thresholds[1].outcome, ThresholdOutcome::Passes);
			// CI re-evaluates and attests again: its newer attestation supersedes the weak one.
			attest(CI, b, &[("false_positive_rate", 0.009), ("recall", 0.975)]);
			assert_ok!(may_move(b));
		});
	}

	#[test]
	fn a_failing_second_threshold_is_named_by_its_index() {
		test(|| {
			let (a, _) = setup();
			protect();
			attest(CI, a, &GOOD);
			attest(LAB, a, &[("false_positive_rate", 0.02), ("recall", 0.99)]);
			assert_eq!(
				may_move(a),
				Err(Error::<Test>::ThresholdNotMet { threshold: 1 }.into())
			);
		});
	}

	#[test]
	fn stale_suspended_and_ruled_false_attestations_do_not_count() {
		new_test_ext().execute_with(|| {
			let (a, _) = setup();
			protect();
			attest(CI, a, &GOOD);
			attest(LAB, a, &GOOD);
			// 100 blocks old still counts; 101 does not.
			System::set_block_number(101);
			assert_ok!(may_move(a));
			System::set_block_number(102);
			assert_eq!(
				may_move(a),
				Err(Error::<Test>::TooFewAttestations { threshold: 0 }.into())
			);

			System::set_block_number(1);
			assert_ok!(Promotion::set_attestor_suspended(
				RuntimeOrigin::root(),
				LAB,
				true
			));
			assert_eq!(
				may_move(a),
				Err(Error::<Test>::TooFewAttestations { threshold: 0 }.into())
			);
			assert_ok!(Promotion::set_attestor_suspended(
				RuntimeOrigin::root(),
				LAB,
				false
			));
			assert_ok!(may_move(a));

			Attestations::<Test>::mutate(1, |a| {
				a.as_mut().unwrap().status = AttestationStatus::RuledFalse
			});
			assert_eq!(
				may_move(a),
				Err(Error::<Test>::TooFewAttestations { threshold: 0 }.into())
			);
			assert_eq!(Promotion::counted_attestations(&a).len(), 1);
			// Ruled false here without a dispute, which try_state reports.
			assert!(Promotion::do_try_state().is_err());
		});
	}

	#[test]
	fn a_protected_alias_cannot_be_removed_until_its_gate_is() {
		test(|| {
			setup();
			protect();
			let (r, al) = (repo("bank/fraud"), alias("production"));
			assert_eq!(
				Promotion::on_alias_move(&r, &al, None),
				Err(Error::<Test>::ProtectedAlias.into())
			);
			assert_ok!(Promotion::set_gate(
				RuntimeOrigin::signed(OWNER),
				r.clone(),
				al.clone(),
				None
			));
			assert_ok!(Promotion::on_alias_move(&r, &al, None));
		});
	}
}

/// Moves `production` of `bank/fraud` to `version` through the guard, as the registry does.
fn promote(version: VersionId) {
	assert_ok!(may_move(version));
}

mod approvals {
	use super::*;

	fn protect_with(approval: Approval) {
		let mut gate = fraud_gate();
		gate.approval = approval;
		assert_ok!(Promotion::set_gate(
			RuntimeOrigin::signed(OWNER),
			repo("bank/fraud"),
			alias("production"),
			Some(gate)
		));
	}

	fn approve(origin: RuntimeOrigin, version: VersionId) -> DispatchResult {
		Promotion::approve_promotion(origin, repo("bank/fraud"), alias("production"), version)
	}

	#[test]
	fn a_gate_asking_for_the_council_needs_its_approval_of_that_version_once() {
		test(|| {
			let (a, b) = setup();
			protect_with(Approval::Council);
			attest(CI, a, &GOOD);
			attest(LAB, a, &GOOD);
			assert_eq!(may_move(a), Err(Error::<Test>::ApprovalRequired.into()));
			assert_ok!(approve(RuntimeOrigin::signed(COUNCIL), b));
			// An approval of another version does not open the gate for this one.
			assert_eq!(may_move(a), Err(Error::<Test>::ApprovalRequired.into()));
			assert_ok!(approve(RuntimeOrigin::signed(COUNCIL), a));
			System::assert_last_event(
				Event::PromotionApproved {
					repo: repo("bank/fraud"),
					alias: alias("production"),
					version: a,
					approval: Approval::Council,
				}
				.into(),
			);
			assert_ok!(may_move(a));
			let promotion =
				Promotions::<Test>::get(repo("bank/fraud"), alias("production")).unwrap();
			assert_eq!(promotion.approval, Approval::Council);
			assert_eq!(promotion.attestations.to_vec(), vec![0, 1]);
			// Used up by the move.
			assert!(Approvals::<Test>::get(repo("bank/fraud"), alias("production")).is_none());
			assert_eq!(may_move(a), Err(Error::<Test>::ApprovalRequired.into()));
		});
	}

	#[test]
	fn a_referendum_gate_refuses_a_council_approval_and_takes_a_referendum() {
		test(|| {
			let (a, _) = setup();
			protect_with(Approval::Referendum);
			attest(CI, a, &GOOD);
			attest(LAB, a, &GOOD);
			assert_ok!(approve(RuntimeOrigin::signed(COUNCIL), a));
			assert_eq!(may_move(a), Err(Error::<Test>::ApprovalRequired.into()));
			assert_ok!(approve(RuntimeOrigin::root(), a));
			assert_ok!(may_move(a));
		});
	}

	#[test]
	fn approvals_are_refused_when_they_cannot_apply() {
		test(|| {
			let (a, _) = setup();
			create_repo("other/repo", OWNER);
			let foreign = register_version("other/repo", 0xcc);
			assert_noop!(
				approve(RuntimeOrigin::signed(CI), a),
				DispatchError::BadOrigin
			);
			assert_noop!(approve(RuntimeOrigin::root(), a), Error::<Test>::NoGate);
			protect();
			assert_noop!(
				approve(RuntimeOrigin::root(), a),
				Error::<Test>::ApprovalNotRequired
			);
			assert_noop!(
				approve(RuntimeOrigin::root(), foreign),
				Error::<Test>::VersionNotInRepository
			);
			assert_noop!(
				approve(RuntimeOrigin::root(), VersionId([0xee; 32])),
				Error::<Test>::UnknownVersion
			);
			mark_yanked(a);
			assert_noop!(
				approve(RuntimeOrigin::root(), a),
				Error::<Test>::VersionYanked
			);
		});
	}
}

mod promotions {
	use super::*;

	#[test]
	fn each_move_records_the_attestations_it_rested_on() {
		test(|| {
			let (a, b) = setup();
			protect();
			attest(CI, a, &GOOD);
			attest(LAB, a, &GOOD);
			// A third attestor attests other metrics only: not part of the promotion.
			assert_ok!(Promotion::register_attestor(
				RuntimeOrigin::root(),
				4,
				b"Other".to_vec().try_into().unwrap(),
				allowed(&["latency_ms"])
			));
			attest(4, a, &[("latency_ms", 12.0)]);
			promote(a);
			let (r, al) = (repo("bank/fraud"), alias("production"));
			let record = Promotions::<Test>::get(&r, &al).unwrap();
			assert_eq!(record.version, a);
			assert_eq!(record.attestations.to_vec(), vec![0, 1]);
			assert_eq!(record.flagged, None);
			assert_eq!(PromotedAliases::<Test>::get(a).to_vec(), vec![al.clone()]);
			assert_eq!(Promotion::protected_aliases_at(&a), 1);

			attest(CI, b, &GOOD);
			attest(LAB, b, &GOOD);
			promote(b);
			assert_eq!(Promotions::<Test>::get(&r, &al).unwrap().version, b);
			assert_eq!(Promotion::protected_aliases_at(&a), 0);
			assert!(!PromotedAliases::<Test>::contains_key(a));
			assert_eq!(Promotion::protected_aliases_at(&b), 1);
		});
	}

	#[test]
	fn protecting_an_alias_in_place_records_it_and_unprotecting_forgets_it() {
		test(|| {
			let (a, _) = setup();
			point_alias("bank/fraud", "production", a);
			protect();
			let (r, al) = (repo("bank/fraud"), alias("production"));
			let record = Promotions::<Test>::get(&r, &al).unwrap();
			assert_eq!(record.version, a);
			assert!(record.attestations.is_empty());
			assert_eq!(Promotion::protected_aliases_at(&a), 1);
			assert_ok!(Promotion::set_gate(
				RuntimeOrigin::signed(OWNER),
				r.clone(),
				al.clone(),
				None
			));
			assert!(Promotions::<Test>::get(&r, &al).is_none());
			assert_eq!(Promotion::protected_aliases_at(&a), 0);
		});
	}

	#[test]
	fn a_yank_behind_a_protected_alias_is_recorded_with_the_alias_state() {
		test(|| {
			let (a, b) = setup();
			protect();
			attest(CI, a, &GOOD);
			attest(LAB, a, &GOOD);
			promote(a);
			let record = Promotions::<Test>::get(repo("bank/fraud"), alias("production")).unwrap();
			let before = held(OWNER, HoldReason::Deposit);
			System::set_block_number(7);
			assert_ok!(Promotion::on_yank(Some(&OWNER), &a));
			let snapshot = YankSnapshots::<Test>::get(a, 7).unwrap();
			assert_eq!(snapshot.by, Some(OWNER));
			assert_eq!(
				snapshot.aliases.to_vec(),
				vec![(alias("production"), record)]
			);
			assert!(snapshot.deposit > 0);
			assert_eq!(held(OWNER, HoldReason::Deposit), before + snapshot.deposit);
			assert!(Promotion::yanked_while_protected(&a, &alias("production")));
			assert!(!Promotion::yanked_while_protected(&a, &alias("staging")));
			System::assert_last_event(
				Event::PromotedVersionYanked {
					version: a,
					aliases: vec![alias("production")].try_into().unwrap(),
				}
				.into(),
			);
			// A version no protected alias points at leaves nothing behind.
			assert_ok!(Promotion::on_yank(None, &b));
			assert_eq!(YankSnapshots::<Test>::iter_prefix(b).count(), 0);
		});
	}

	#[test]
	fn a_yank_snapshot_needs_the_maintainers_deposit() {
		test(|| {
			let (a, _) = setup();
			point_alias("bank/fraud", "production", a);
			protect();
			assert_noop!(
				Promotion::on_yank(Some(&10), &a),
				Error::<Test>::InsufficientDeposit
			);
			// Governance pays none.
			assert_ok!(Promotion::on_yank(None, &a));
		});
	}
}

mod disputes {
	use super::*;

	const DISPUTER: u64 = 6;

	fn dispute_evidence() -> Evidence {
		Evidence {
			sha256: [7; 32],
			uri: b"https://audit.example.org/rerun.json"
				.to_vec()
				.try_into()
				.unwrap(),
		}
	}

	fn free(who: u64) -> u64 {
		Balances::free_balance(who)
	}

	/// Version `a` promoted on CI's (id 0) and LAB's (id 1) attestations; DISPUTER disputes
	/// LAB's: dispute 0.
	fn disputed() -> VersionId {
		let (a, _) = setup();
		protect();
		attest(CI, a, &GOOD);
		attest(LAB, a, &GOOD);
		promote(a);
		assert_ok!(Promotion::open_dispute(
			RuntimeOrigin::signed(DISPUTER),
			1,
			dispute_evidence()
		));
		a
	}

	#[test]
	fn an_upheld_dispute_slashes_the_bond_exactly_and_flags_the_alias() {
		test(|| {
			let a = disputed();
			let dispute = Disputes::<Test>::get(0).unwrap();
			assert_eq!(dispute.status, DisputeStatus::Open);
			assert_eq!(held(DISPUTER, HoldReason::DisputeBond), 300);
			assert_eq!(held(DISPUTER, HoldReason::Deposit), dispute.deposit);
			let disputer_free = free(DISPUTER);
			let pot_free = free(POT);
			let lab_total = <Balances as Inspect<u64>>::total_balance(&LAB);

			assert_ok!(Promotion::rule_dispute(RuntimeOrigin::root(), 0, true));

			// LAB's 1,000 bond: 500 to the disputer, 500 to the pot; the disputer's 300 back.
			assert_eq!(held(LAB, HoldReason::AttestorBond), 0);
			assert_eq!(
				<Balances as Inspect<u64>>::total_balance(&LAB),
				lab_total - 1_000
			);
			assert_eq!(free(DISPUTER), disputer_free + 500 + 300);
			assert_eq!(held(DISPUTER, HoldReason::DisputeBond), 0);
			assert_eq!(held(DISPUTER, HoldReason::Deposit), dispute.deposit);
			assert_eq!(free(POT), pot_free + 500);

			let ruled = Disputes::<Test>::get(0).unwrap();
			assert_eq!(ruled.status, DisputeStatus::Upheld);
			assert_eq!(ruled.slashed, 1_000);
			assert_eq!(ruled.ruled, Some(1));
			assert_eq!(
				Attestations::<Test>::get(1).unwrap().status,
				AttestationStatus::RuledFalse
			);
			let info = Attestors::<Test>::get(LAB).unwrap();
			assert!(info.suspended);
			assert_eq!(info.bond, 0);
			assert_eq!(
				Promotions::<Test>::get(repo("bank/fraud"), alias("production"))
					.unwrap()
					.flagged,
				Some(1)
			);
			System::assert_has_event(
				Event::AliasFlagged {
					repo: repo("bank/fraud"),
					alias: alias("production"),
					version: a,
					attestation: 1,
				}
				.into(),
			);
			System::assert_has_event(
				Event::DisputeUpheld {
					id: 0,
					attestation: 1,
					attestor: LAB,
					slashed: 1_000,
					to_disputer: 500,
				}
				.into(),
			);
			// The ruled-false attestation no longer counts.
			assert_eq!(Promotion::counted_attestations(&a).len(), 1);
			assert!(!OpenDisputes::<Test>::contains_key(1));
		});
	}

	#[test]
	fn a_rejected_dispute_pays_the_bond_to_the_attestor() {
		test(|| {
			disputed();
			let lab_free = free(LAB);
			let disputer_total = <Balances as Inspect<u64>>::total_balance(&DISPUTER);
			assert_ok!(Promotion::rule_dispute(RuntimeOrigin::root(), 0, false));
			assert_eq!(free(LAB), lab_free + 300);
			assert_eq!(held(LAB, HoldReason::AttestorBond), 1_000);
			assert_eq!(
				<Balances as Inspect<u64>>::total_balance(&DISPUTER),
				disputer_total - 300
			);
			assert_eq!(held(DISPUTER, HoldReason::DisputeBond), 0);
			assert_eq!(
				Disputes::<Test>::get(0).unwrap().status,
				DisputeStatus::Rejected
			);
			assert_eq!(
				Attestations::<Test>::get(1).unwrap().status,
				AttestationStatus::Standing
			);
			assert_eq!(
				Promotions::<Test>::get(repo("bank/fraud"), alias("production"))
					.unwrap()
					.flagged,
				None
			);
			// Closed: no second ruling; a new dispute may be opened.
			assert_noop!(
				Promotion::rule_dispute(RuntimeOrigin::root(), 0, true),
				Error::<Test>::DisputeClosed
			);
			assert_ok!(Promotion::open_dispute(
				RuntimeOrigin::signed(DISPUTER),
				1,
				dispute_evidence()
			));
			assert_eq!(AttestationDisputes::<Test>::iter_prefix(1).count(), 2);
		});
	}

	#[test]
	fn bad_disputes_are_refused_without_a_change() {
		test(|| {
			disputed();
			assert_noop!(
				Promotion::open_dispute(RuntimeOrigin::signed(DISPUTER), 9, dispute_evidence()),
				Error::<Test>::UnknownAttestation
			);
			assert_noop!(
				Promotion::open_dispute(RuntimeOrigin::signed(7), 1, dispute_evidence()),
				Error::<Test>::DisputeAlreadyOpen
			);
			assert_noop!(
				Promotion::open_dispute(RuntimeOrigin::signed(10), 0, dispute_evidence()),
				Error::<Test>::InsufficientDisputeBond
			);
			let mut bad = dispute_evidence();
			bad.uri = b"no scheme".to_vec().try_into().unwrap();
			assert_noop!(
				Promotion::open_dispute(RuntimeOrigin::signed(7), 0, bad),
				Error::<Test>::BadEvidenceUri
			);
			assert_noop!(
				Promotion::rule_dispute(RuntimeOrigin::signed(CI), 0, true),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Promotion::rule_dispute(RuntimeOrigin::root(), 5, true),
				Error::<Test>::UnknownDispute
			);
			assert_ok!(Promotion::rule_dispute(RuntimeOrigin::root(), 0, true));
			assert_noop!(
				Promotion::open_dispute(RuntimeOrigin::signed(7), 1, dispute_evidence()),
				Error::<Test>::AttestationRuledFalse
			);
		});
	}

	#[test]
	fn a_slashed_attestor_is_reinstated_only_with_a_new_bond() {
		test(|| {
			disputed();
			assert_ok!(Promotion::rule_dispute(RuntimeOrigin::root(), 0, true));
			assert_noop!(
				Promotion::attest(
					RuntimeOrigin::signed(LAB),
					VersionId([0xa1; 32]),
					metrics(&GOOD),
					evidence()
				),
				Error::<Test>::AttestorSuspended
			);
			assert_ok!(Promotion::set_attestor_suspended(
				RuntimeOrigin::root(),
				LAB,
				false
			));
			assert_eq!(held(LAB, HoldReason::AttestorBond), 1_000);
			assert_eq!(Attestors::<Test>::get(LAB).unwrap().bond, 1_000);
		});
	}
}

mod invariants {
	use super::*;

	#[test]
	fn try_state_catches_broken_invariants() {
		type Corruption = fn(VersionId);
		let cases: [(&str, Corruption); 5] = [
			("an unprotected alias has a promotion record", |_| {
				Gates::<Test>::remove(repo("bank/fraud"), alias("production"));
			}),
			(
				"a promotion record disagrees with the registry's alias",
				|_| {
					point_alias("bank/fraud", "production", VersionId([0xee; 32]));
				},
			),
			("an attestation id is not below NextAttestationId", |_| {
				NextAttestationId::<Test>::put(1);
			}),
			(
				"an open dispute is not its attestation's open dispute",
				|_| {
					OpenDisputes::<Test>::remove(0);
				},
			),
			("a dispute id is not below NextDisputeId", |_| {
				NextDisputeId::<Test>::put(0);
			}),
		];
		for (expected, corrupt) in cases {
			new_test_ext().execute_with(|| {
				let (a, _) = setup();
				protect();
				attest(CI, a, &GOOD);
				attest(LAB, a, &GOOD);
				promote(a);
				assert_ok!(Promotion::open_dispute(
					RuntimeOrigin::signed(OWNER),
					0,
					evidence()
				));
				assert_ok!(Promotion::do_try_state());
				corrupt(a);
				let error = Promotion::do_try_state().expect_err(expected);
				assert!(format!("{error:?}").contains(expected), "{error:?}");
			});
		}
	}
}
