//! Benchmarks of the promotion pallet (frame-benchmarking v2), each at its worst case: the
//! most metrics, thresholds, attestors and protected aliases the bounds allow.

use super::*;
use crate::Pallet as Promotion;
use alloc::{vec, vec::Vec};
use owh_primitives::{
	licensing::ModelRegistryBenchmarkHelper as _,
	promotion::{
		MAX_ATTESTED_METRICS, MAX_ATTESTOR_NAME_LEN, MAX_EVIDENCE_URI_LEN, MAX_GATE_THRESHOLDS,
	},
	Metric, MAX_METRIC_NAME_LEN,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		pallet_prelude::*,
		traits::{fungible::Mutate, EnsureOrigin},
	},
	frame_system::{self, RawOrigin},
	sp_runtime::traits::Bounded,
};

const SEED: u32 = 0;

/// `who`, given enough for every bond and deposit (1/1024 of the balance type, so that many
/// funded accounts do not overflow the total issuance).
fn fund<T: Config>(who: T::AccountId) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1024u32.into());
	who
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	fund::<T>(account(name, index, SEED))
}

/// The signer of the benchmarked call (its account entry is counted in the extrinsic base).
fn caller<T: Config>() -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	fund::<T>(whitelisted_caller())
}

fn admin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

/// The `i`-th longest metric name, sorting after every smaller `i`.
fn metric_name(i: u32) -> MetricName {
	let mut name = vec![b'm'; MAX_METRIC_NAME_LEN as usize];
	let tail = name.len() - 2;
	name[tail] = b'a' + (i / 26) as u8;
	name[tail + 1] = b'a' + (i % 26) as u8;
	MetricName::truncate_from(name)
}

fn all_metric_names() -> AllowedMetrics {
	AllowedMetrics::truncate_from((0..MAX_ATTESTOR_METRICS).map(metric_name).collect())
}

fn full_metrics() -> AttestedMetrics {
	AttestedMetrics::truncate_from(
		(0..MAX_ATTESTED_METRICS)
			.map(|i| Metric {
				name: metric_name(i),
				value: 990_000,
			})
			.collect(),
	)
}

fn evidence() -> Evidence {
	let mut uri = b"https://".to_vec();
	uri.resize(MAX_EVIDENCE_URI_LEN as usize, b'e');
	Evidence {
		sha256: [7; 32],
		uri: EvidenceUri::truncate_from(uri),
	}
}

type EvidenceUri = owh_primitives::promotion::EvidenceUri;

/// A gate of the most thresholds, every one passed by `full_metrics`, needing every attestor.
fn full_gate<T: Config>(approval: Approval) -> GateOf<T> {
	Gate {
		thresholds: BoundedVec::truncate_from(
			(0..MAX_GATE_THRESHOLDS)
				.map(|i| Threshold {
					metric: metric_name(i),
					comparison: Comparison::AtLeast,
					value: 970_000,
				})
				.collect(),
		),
		min_attestors: MAX_VERSION_ATTESTORS as u8,
		max_age: 1_000u32.into(),
		approval,
	}
}

fn repo_name() -> RepoName {
	RepoName::truncate_from(b"bench/promotion".to_vec())
}

fn alias_name(i: u32) -> AliasName {
	AliasName::truncate_from(alloc::format!("production-{i:02}").into_bytes())
}

/// A repository owned by `owner` with version `salt`.
fn version<T: Config>(owner: &T::AccountId, salt: u32) -> VersionId {
	T::BenchmarkHelper::register_version(owner, &repo_name(), Vec::new(), salt)
}

/// Registers attestor `index`, allowed every metric.
fn attestor<T: Config>(index: u32) -> Result<T::AccountId, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
{
	let who = funded::<T>("attestor", index);
	Promotion::<T>::register_attestor(admin::<T>()?, who.clone(), name(), all_metric_names())?;
	Ok(who)
}

fn name() -> AttestorName {
	AttestorName::truncate_from(vec![b'n'; MAX_ATTESTOR_NAME_LEN as usize])
}

/// `count` attestors attest `version` with every metric.
fn attested<T: Config>(version: VersionId, count: u32) -> Result<Vec<T::AccountId>, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
{
	(0..count)
		.map(|i| {
			let who = attestor::<T>(i)?;
			Promotion::<T>::attest(
				RawOrigin::Signed(who.clone()).into(),
				version,
				full_metrics(),
				evidence(),
			)?;
			Ok(who)
		})
		.collect()
}

/// `count` protected aliases promoted to `version` on attestation `id`.
fn promoted_aliases<T: Config>(version: VersionId, id: AttestationId, count: u32) {
	for i in 0..count {
		let alias = alias_name(i);
		Gates::<T>::insert(repo_name(), &alias, full_gate::<T>(Approval::None));
		Promotion::<T>::record_promotion(
			&repo_name(),
			&alias,
			version,
			AttestationIds::truncate_from(vec![id]),
			Approval::None,
		)
		.expect("at most MAX_VERSION_ATTESTORS aliases");
		T::BenchmarkHelper::point_alias(&repo_name(), &alias, version);
	}
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_attestor() -> Result<(), BenchmarkError> {
		let origin = admin::<T>()?;
		let who = funded::<T>("attestor", 0);
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			who.clone(),
			name(),
			all_metric_names(),
		);
		assert!(Attestors::<T>::contains_key(&who));
		Ok(())
	}

	/// Reinstating an attestor whose bond was slashed, which holds the bond again.
	#[benchmark]
	fn set_attestor_suspended() -> Result<(), BenchmarkError> {
		let who = attestor::<T>(0)?;
		let slashed_to = funded::<T>("disputer", 0);
		Promotion::<T>::slash_attestor(&who, &slashed_to)?;
		let origin = admin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), false);
		assert!(Attestors::<T>::get(&who).is_some_and(|info| !info.suspended));
		Ok(())
	}

	/// The last of `MAX_VERSION_ATTESTORS` attestors attests every metric.
	#[benchmark]
	fn attest() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let target = version::<T>(&owner, 1);
		attested::<T>(target, MAX_VERSION_ATTESTORS - 1)?;
		let who = attestor::<T>(MAX_VERSION_ATTESTORS)?;
		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			target,
			full_metrics(),
			evidence(),
		);
		assert_eq!(Latest::<T>::get(target).len() as u32, MAX_VERSION_ATTESTORS);
		Ok(())
	}

	/// As `attest`, signed off-chain by the attestor and submitted by another account.
	#[benchmark]
	fn submit_attestation() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let target = version::<T>(&owner, 1);
		attested::<T>(target, MAX_VERSION_ATTESTORS - 1)?;
		let (who, sign) = T::BenchmarkHelper::signer();
		let who = fund::<T>(who);
		Promotion::<T>::register_attestor(admin::<T>()?, who.clone(), name(), all_metric_names())?;
		let metrics = full_metrics();
		let evidence = evidence();
		let payload = AttestationPayload {
			genesis: Promotion::<T>::genesis_hash(),
			nonce: 0,
			version: target,
			metrics: &metrics,
			evidence: &evidence,
		};
		let signature = sign(&payload.signing_bytes());
		let relayer = caller::<T>();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(relayer),
			who.clone(),
			0,
			target,
			metrics,
			evidence,
			signature,
		);
		assert_eq!(Attestors::<T>::get(&who).map(|info| info.nonce), Some(1));
		Ok(())
	}

	/// The owner protects an alias that already points at a version: the gate, its history
	/// entry and the promotion record are written.
	#[benchmark]
	fn set_gate() -> Result<(), BenchmarkError> {
		let owner = caller::<T>();
		let target = version::<T>(&owner, 1);
		let alias = alias_name(0);
		T::BenchmarkHelper::point_alias(&repo_name(), &alias, target);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			repo_name(),
			alias.clone(),
			Some(full_gate::<T>(Approval::Council)),
		);
		assert!(Promotions::<T>::contains_key(repo_name(), &alias));
		Ok(())
	}

	#[benchmark]
	fn approve_promotion() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let target = version::<T>(&owner, 1);
		let alias = alias_name(0);
		Gates::<T>::insert(repo_name(), &alias, full_gate::<T>(Approval::Council));
		let origin =
			T::ApproveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			repo_name(),
			alias.clone(),
			target,
		);
		assert!(Approvals::<T>::contains_key(repo_name(), &alias));
		Ok(())
	}

	#[benchmark]
	fn open_dispute() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let target = version::<T>(&owner, 1);
		attested::<T>(target, 1)?;
		let disputer = caller::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(disputer), 0, evidence());
		assert!(OpenDisputes::<T>::contains_key(0));
		Ok(())
	}

	/// Upheld: the bond split two ways and every one of the most protected aliases flagged.
	#[benchmark]
	fn rule_dispute() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let target = version::<T>(&owner, 1);
		attested::<T>(target, 1)?;
		T::Currency::set_balance(&T::SlashDestination::get(), 1_000_000u32.into());
		promoted_aliases::<T>(target, 0, MAX_VERSION_ATTESTORS);
		let disputer = funded::<T>("disputer", 0);
		Promotion::<T>::open_dispute(RawOrigin::Signed(disputer).into(), 0, evidence())?;
		let origin = admin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0, true);
		assert!(
			Promotions::<T>::get(repo_name(), alias_name(MAX_VERSION_ATTESTORS - 1))
				.is_some_and(|p| p.flagged == Some(0))
		);
		Ok(())
	}

	/// A protected alias moves from a version with the most protected aliases to one whose
	/// gate of the most thresholds counts the most attestors, using a council approval.
	#[benchmark]
	fn on_alias_move() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner", 0);
		let old = version::<T>(&owner, 1);
		let target = version::<T>(&owner, 2);
		promoted_aliases::<T>(old, 0, MAX_VERSION_ATTESTORS);
		let alias = alias_name(0);
		Gates::<T>::insert(repo_name(), &alias, full_gate::<T>(Approval::Council));
		attested::<T>(target, MAX_VERSION_ATTESTORS)?;
		Promotion::<T>::do_approve(repo_name(), alias.clone(), target, Approval::Council)?;
		#[block]
		{
			Promotion::<T>::on_alias_move(&repo_name(), &alias, Some(&target))?;
		}
		assert_eq!(
			Promotions::<T>::get(repo_name(), &alias).map(|p| p.attestations.len() as u32),
			Some(MAX_VERSION_ATTESTORS)
		);
		Ok(())
	}

	/// A maintainer yanks a version the most protected aliases point at.
	#[benchmark]
	fn on_yank() -> Result<(), BenchmarkError> {
		let owner = caller::<T>();
		let target = version::<T>(&owner, 1);
		promoted_aliases::<T>(target, 0, MAX_VERSION_ATTESTORS);
		#[block]
		{
			let _ = Promotion::<T>::protected_aliases_at(&target);
			Promotion::<T>::on_yank(Some(&owner), &target)?;
		}
		let block = frame_system::Pallet::<T>::block_number();
		assert!(YankSnapshots::<T>::get(target, block)
			.is_some_and(|s| s.aliases.len() as u32 == MAX_VERSION_ATTESTORS));
		Ok(())
	}

	impl_benchmark_test_suite!(Promotion, crate::mock::new_test_ext(), crate::mock::Test);
}
