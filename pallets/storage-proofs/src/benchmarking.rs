//! Benchmarks of the storage-proofs pallet (frame-benchmarking v2), each at its worst case.

use super::*;
use crate::Pallet as StorageProofs;
use alloc::{boxed::Box, vec, vec::Vec};
use owh_primitives::{
	availability::MAX_PROBES_PER_REPORT,
	merkle::{leaf_hash, node_hash, MerkleProof, SEGMENT_SIZE},
	storage::ArtifactRoot,
	MAX_ARTIFACTS,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		pallet_prelude::{BoundedVec, Get},
		traits::{
			fungible::{Inspect, Mutate},
			EnsureOrigin,
		},
	},
	frame_system::{self, RawOrigin},
	sp_runtime::traits::{One, Saturating, Zero},
};

const SEED: u32 = 0;

/// An account that can pay every stake and deposit many times over.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let plenty = T::ProviderStake::get()
		.saturating_add(StorageProofs::<T>::pledge_deposit())
		.saturating_add(T::Currency::minimum_balance())
		.saturating_mul(1000u32.into());
	T::Currency::set_balance(&who, plenty);
	who
}

fn fund_pot<T: Config>() {
	let plenty = T::AnswerReward::get()
		.saturating_add(T::RetentionReward::get())
		.saturating_add(T::Currency::minimum_balance())
		.saturating_mul(100_000u32.into());
	T::Currency::set_balance(&StorageProofs::<T>::pot(), plenty);
}

fn registered<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who = funded::<T>(name, index);
	let endpoint = Endpoint::truncate_from(vec![
		b'a';
		owh_primitives::storage::MAX_ENDPOINT_LEN as usize
	]);
	let origin = RawOrigin::Signed(who.clone()).into();
	assert!(
		StorageProofs::<T>::register_provider(origin, endpoint, u64::MAX).is_ok(),
		"register in setup"
	);
	who
}

/// A version of `MAX_ARTIFACTS` one-segment artifacts whose last artifact is the deepest tree
/// a `u64` size allows (2^52 − 1 chunks of 4 KiB, so 52 siblings), with a valid proof of that
/// artifact's first segment. The runtime reads the whole root list, walks it to locate the
/// segment, and hashes a full segment and 52 nodes: the most any answer costs.
fn deepest_version<T: Config>(salt: u8) -> (VersionId, SegmentProof) {
	let segment = vec![salt; SEGMENT_SIZE as usize];
	let siblings: Vec<[u8; 32]> = (0..52u8).map(|i| [i; 32]).collect();
	let mut root = leaf_hash(&segment);
	for sibling in &siblings {
		root = node_hash(&root, sibling);
	}
	let small = ArtifactRoot {
		size: 1,
		chunk_size: SEGMENT_SIZE,
		merkle_root: [1; 32],
	};
	let mut artifacts = vec![small; MAX_ARTIFACTS as usize - 1];
	artifacts.push(ArtifactRoot {
		size: u64::MAX - u64::from(SEGMENT_SIZE) + 1,
		chunk_size: SEGMENT_SIZE,
		merkle_root: root,
	});
	let version = VersionId([salt; 32]);
	T::BenchmarkHelper::insert_roots(
		version,
		VersionRoots {
			format_version: owh_primitives::MANIFEST_FORMAT_VERSION,
			artifacts: BoundedVec::truncate_from(artifacts),
		},
	);
	let proof = SegmentProof {
		segment: BoundedVec::truncate_from(segment),
		in_chunk: MerkleProof {
			index: 0,
			siblings: BoundedVec::new(),
		},
		in_artifact: MerkleProof {
			index: 0,
			siblings: BoundedVec::truncate_from(siblings),
		},
	};
	(version, proof)
}

/// A version with `MAX_ARTIFACTS` small artifacts, which a provider can pledge.
fn wide_version<T: Config>(salt: u32) -> VersionId {
	let mut id = [0u8; 32];
	id[..4].copy_from_slice(&salt.to_le_bytes());
	id[31] = 0xAA;
	let version = VersionId(id);
	let artifact = ArtifactRoot {
		size: u64::from(SEGMENT_SIZE),
		chunk_size: SEGMENT_SIZE,
		merkle_root: [2; 32],
	};
	T::BenchmarkHelper::insert_roots(
		version,
		VersionRoots {
			format_version: owh_primitives::MANIFEST_FORMAT_VERSION,
			artifacts: BoundedVec::truncate_from(vec![artifact; MAX_ARTIFACTS as usize]),
		},
	);
	version
}

fn pledge_of<T: Config>(who: &T::AccountId, version: VersionId) -> PledgeId {
	let id = NextPledgeId::<T>::get();
	let origin = RawOrigin::Signed(who.clone()).into();
	assert!(
		StorageProofs::<T>::pledge(origin, version, T::MaxTerm::get()).is_ok(),
		"pledge in setup"
	);
	id
}

fn full_history<T: Config>(pledge: PledgeId) {
	let record = ChallengeRecord {
		id: 0,
		index: 0,
		issued: Zero::zero(),
		answered: None,
		amount: Zero::zero(),
	};
	History::<T>::insert(
		pledge,
		BoundedVec::truncate_from(vec![record; T::HistoryDepth::get() as usize]),
	);
}

/// A signed report of `n` probes by the only validator, each on its own version with
/// `MAX_URIS_TRACKED` other URIs recorded, every URI of the longest length.
fn full_report<T: Config>(n: u32) -> Result<(ReportOf<T>, ReportSignatureOf<T>), BenchmarkError> {
	use owh_primitives::{manifest::MAX_URI_LEN, StorageUri};
	use polkadot_sdk::sp_runtime::RuntimeAppPublic;
	let reporter = T::AuthorityId::generate_pair(None);
	T::Reporters::set_reporters(vec![reporter.clone()]);
	let uri = |tag: u32| {
		let mut bytes = tag.to_le_bytes().to_vec();
		bytes.resize(MAX_URI_LEN as usize, b'u');
		StorageUri::truncate_from(bytes)
	};
	let one = ArtifactRoot {
		size: 1,
		chunk_size: SEGMENT_SIZE,
		merkle_root: [1; 32],
	};
	let now = frame_system::Pallet::<T>::block_number();
	let mut probes = Vec::new();
	for i in 0..n {
		let mut id = [0u8; 32];
		id[..4].copy_from_slice(&i.to_le_bytes());
		let version = VersionId(id);
		T::BenchmarkHelper::insert_roots(
			version,
			VersionRoots {
				format_version: 2,
				artifacts: BoundedVec::truncate_from(vec![one]),
			},
		);
		let known: Vec<_> = (0..MAX_URIS_TRACKED)
			.map(|k| {
				let mut entry = UriAvailability::new(uri(1_000 + k), now, ProbeOutcome::Served);
				entry.record(reporter.clone(), now, ProbeOutcome::Served);
				entry
			})
			.collect();
		Availability::<T>::insert(version, BoundedVec::truncate_from(known));
		probes.push(Probe {
			version,
			uri: uri(i),
			artifact: 0,
			chunk: 0,
			outcome: ProbeOutcome::Served,
		});
	}
	let report = AvailabilityReport {
		session: T::Reporters::session_index(),
		reporter: reporter.clone(),
		probes: BoundedVec::truncate_from(probes),
	};
	let signature = reporter
		.sign(&report.signing_payload())
		.ok_or(BenchmarkError::Stop("the keystore could not sign"))?;
	Ok((report, signature))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_provider() {
		let who = funded::<T>("provider", 0);
		let endpoint = Endpoint::truncate_from(vec![
			b'a';
			owh_primitives::storage::MAX_ENDPOINT_LEN
				as usize
		]);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), endpoint, u64::MAX);

		assert!(Providers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn update_provider() {
		let who = registered::<T>("provider", 0);
		let endpoint = Endpoint::truncate_from(vec![
			b'b';
			owh_primitives::storage::MAX_ENDPOINT_LEN
				as usize
		]);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), endpoint, u64::MAX - 1);

		assert_eq!(
			Providers::<T>::get(&who).map(|p| p.capacity),
			Some(u64::MAX - 1)
		);
	}

	#[benchmark]
	fn add_stake() {
		let who = registered::<T>("provider", 0);
		let amount = T::ProviderStake::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), amount);

		assert_eq!(
			Providers::<T>::get(&who).map(|p| p.stake),
			Some(amount.saturating_add(amount))
		);
	}

	#[benchmark]
	fn deregister_provider() {
		let who = registered::<T>("provider", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Providers::<T>::contains_key(&who));
	}

	/// Pledging a version of `MAX_ARTIFACTS` artifacts, one short of `MaxPledges`.
	#[benchmark]
	fn pledge() {
		let who = registered::<T>("provider", 0);
		for i in 0..T::MaxPledges::get().saturating_sub(1) {
			let other = registered::<T>("other", i);
			pledge_of::<T>(&other, wide_version::<T>(i));
		}
		let version = wide_version::<T>(u32::MAX);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), version, T::MaxTerm::get());

		assert!(PledgeIds::<T>::contains_key(version, &who));
	}

	#[benchmark]
	fn renew() {
		let who = registered::<T>("provider", 0);
		let id = pledge_of::<T>(&who, wide_version::<T>(0));
		let term = T::MinTerm::get();
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number().saturating_add(term),
		);

		let end = Pledges::<T>::get(id).map(|p| p.end).unwrap_or_default();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, term);

		assert_eq!(
			Pledges::<T>::get(id).map(|p| p.end),
			Some(end.saturating_add(term))
		);
	}

	/// Releasing one pledge of `MaxPledges` with a full history.
	#[benchmark]
	fn release() {
		for i in 0..T::MaxPledges::get().saturating_sub(1) {
			let other = registered::<T>("other", i);
			pledge_of::<T>(&other, wide_version::<T>(i));
		}
		let who = registered::<T>("provider", 0);
		let id = pledge_of::<T>(&who, wide_version::<T>(u32::MAX));
		full_history::<T>(id);
		let end = Pledges::<T>::get(id).map(|p| p.end).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(end.saturating_add(One::one()));

		#[extrinsic_call]
		_(RawOrigin::Signed(who), id);

		assert!(!Pledges::<T>::contains_key(id));
	}

	/// The deepest proof, of the last of `MAX_ARTIFACTS` artifacts, with a full history and a
	/// funded pot.
	#[benchmark]
	fn answer() {
		let who = registered::<T>("provider", 0);
		let (version, proof) = deepest_version::<T>(7);
		let now = frame_system::Pallet::<T>::block_number();
		Pledges::<T>::insert(
			0,
			Pledge {
				provider: who.clone(),
				version,
				bytes: 0,
				segments: u64::MAX,
				start: now,
				end: now.saturating_add(T::MaxTerm::get()),
				deposit: Zero::zero(),
				misses_in_a_row: 1,
				answered: 0,
				missed: 0,
				auto_renewals: 0,
			},
		);
		full_history::<T>(0);
		fund_pot::<T>();
		Challenges::<T>::insert(
			0,
			Challenge {
				pledge: 0,
				provider: who.clone(),
				version,
				index: u64::from(MAX_ARTIFACTS - 1),
				issued: now,
				deadline: now.saturating_add(One::one()),
				answered: None,
			},
		);
		CurrentRound::<T>::put(Round {
			first: 0,
			end: 1,
			next: now.saturating_add(One::one()),
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(who), 0, Box::new(proof));

		assert!(Challenges::<T>::get(0).is_some_and(|c| c.answered.is_some()));
	}

	#[benchmark]
	fn set_challenge_period() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let blocks = T::MinChallengePeriod::get().saturating_add(One::one());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, blocks);

		assert_eq!(ChallengePeriod::<T>::get(), blocks);
		Ok(())
	}

	/// Retaining a version of `MAX_ARTIFACTS` artifacts (its roots are read to check it).
	#[benchmark]
	fn set_retained() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let version = wide_version::<T>(0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, version, true);

		assert!(Retained::<T>::contains_key(version));
		Ok(())
	}

	/// A round with `p` active pledges, each of its own provider and at its worst: both of
	/// its previous challenges missed (slash, history full), its term renewed by retention
	/// (paid from the pot), and new challenges drawn.
	#[benchmark]
	fn round(p: Linear<0, { T::MaxPledges::get() }>) {
		fund_pot::<T>();
		let now = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		let period = ChallengePeriod::<T>::get();
		let k = T::ChallengesPerPledge::get();
		let mut next_id = 0u64;
		for i in 0..p {
			let who = registered::<T>("provider", i);
			let version = wide_version::<T>(i);
			let id = pledge_of::<T>(&who, version);
			Retained::<T>::insert(version, ());
			// The term ends inside the new round, so retention renews it.
			Pledges::<T>::mutate(id, |record| {
				if let Some(record) = record {
					record.end = now;
				}
			});
			full_history::<T>(id);
			for _ in 0..k {
				Challenges::<T>::insert(
					next_id,
					Challenge {
						pledge: id,
						provider: who.clone(),
						version,
						index: 0,
						issued: Zero::zero(),
						deadline: now.saturating_sub(One::one()),
						answered: None,
					},
				);
				next_id = next_id.saturating_add(1);
			}
		}
		let previous = Round {
			first: 0,
			end: next_id,
			next: now,
		};
		CurrentRound::<T>::put(previous.clone());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			StorageProofs::<T>::start_round(now, previous);
		}

		let drawn = CurrentRound::<T>::get();
		assert_eq!(
			drawn.end.saturating_sub(drawn.first),
			u64::from(p.saturating_mul(k))
		);
		assert_eq!(drawn.next, now.saturating_add(period));
	}

	/// `n` probes, each of a different version whose URI list is full of other URIs, so each
	/// probe reads and rewrites a full list and evicts its oldest entry.
	#[benchmark]
	fn report_availability(n: Linear<1, MAX_PROBES_PER_REPORT>) -> Result<(), BenchmarkError> {
		let (report, signature) = full_report::<T>(n)?;

		#[extrinsic_call]
		_(RawOrigin::Authorized, report, signature);

		assert_eq!(
			LastReport::<T>::get(&T::Reporters::reporters()[0]),
			Some(T::Reporters::session_index())
		);
		Ok(())
	}

	/// The pool's check of a report of `n` probes: session, validator list, one root list per
	/// probe, and the signature over the whole report.
	#[benchmark]
	fn authorize_report_availability(
		n: Linear<1, MAX_PROBES_PER_REPORT>,
	) -> Result<(), BenchmarkError> {
		use polkadot_sdk::{
			frame_support::traits::Authorize, sp_runtime::transaction_validity::TransactionSource,
		};
		let (report, signature) = full_report::<T>(n)?;
		let call = Call::<T>::report_availability { report, signature };

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("report_availability has an authorize check")?
				.map_err(|_| "the report was refused")?;
		}
		Ok(())
	}

	impl_benchmark_test_suite!(
		StorageProofs,
		crate::mock::new_test_ext(),
		crate::mock::Test
	);
}
