//! Benchmarks of the validator-set pallet (frame-benchmarking v2), each at its worst case.

use super::*;
use crate::Pallet as ValidatorSet;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		pallet_prelude::{BoundedVec, Get},
		traits::{
			fungible::{Inspect, Mutate},
			EnsureOrigin, Hooks,
		},
	},
	frame_system::{self, RawOrigin},
	pallet_session,
	sp_runtime::traits::{One, Saturating, StaticLookup},
};

type SessionCurrency<T> = <T as pallet_session::Config>::Currency;

const SEED: u32 = 0;

/// An account that can hold the key deposit and stay alive.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let deposit = <T as pallet_session::Config>::KeyDeposit::get();
	let existential = SessionCurrency::<T>::minimum_balance();
	SessionCurrency::<T>::set_balance(
		&who,
		deposit.saturating_add(existential.saturating_mul(10u32.into())),
	);
	who
}

/// `who` with registered session keys.
fn with_keys<T: Config>(who: &T::AccountId, seed: u32) {
	let (keys, proof) = T::BenchmarkHelper::session_keys(who, seed);
	let proof = BoundedVec::truncate_from(proof);
	let origin = RawOrigin::Signed(who.clone()).into();
	assert!(
		ValidatorSet::<T>::set_keys(origin, keys, proof).is_ok(),
		"set_keys in setup"
	);
}

/// Fills the planned set with `n` accounts besides its current members (no keys needed: the
/// calls measured only search the set).
fn fill_set<T: Config>(n: u32) {
	Validators::<T>::mutate(|set| {
		for i in 0..n {
			let who: T::AccountId = account("member", i, SEED);
			if let Err(at) = set.binary_search(&who) {
				let _ = set.try_insert(at, who);
			}
		}
	});
}

fn room_for<T: Config>(free: u32) -> u32 {
	let len = Validators::<T>::get().len() as u32;
	T::MaxValidators::get()
		.saturating_sub(len)
		.saturating_sub(free)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A candidate with keys joins a set one short of `MaxValidators`.
	#[benchmark]
	fn add_validator() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let candidate = funded::<T>("candidate", 0);
		with_keys::<T>(&candidate, 0);
		fill_set::<T>(room_for::<T>(1));
		let lookup = T::Lookup::unlookup(candidate.clone());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup);

		assert!(Validators::<T>::get().contains(&candidate));
		Ok(())
	}

	/// A member leaves a full set.
	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		fill_set::<T>(room_for::<T>(0));
		let leaving = Validators::<T>::get()
			.last()
			.cloned()
			.ok_or(BenchmarkError::Weightless)?;
		let lookup = T::Lookup::unlookup(leaving.clone());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup);

		assert!(!Validators::<T>::get().contains(&leaving));
		Ok(())
	}

	/// A first registration: proof checked twice, deposit held.
	#[benchmark]
	fn set_keys() {
		let who = funded::<T>("candidate", 0);
		let (keys, proof) = T::BenchmarkHelper::session_keys(&who, 1);
		let proof = BoundedVec::truncate_from(proof);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), keys, proof);

		assert!(LastKeyChange::<T>::contains_key(&who));
	}

	/// A purge searched through a set one short of `MaxValidators`.
	#[benchmark]
	fn purge_keys() {
		let who = funded::<T>("candidate", 0);
		with_keys::<T>(&who, 2);
		fill_set::<T>(room_for::<T>(1));

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!LastKeyChange::<T>::contains_key(&who));
	}

	#[benchmark]
	fn set_session_length() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let blocks = T::MaxSessionLength::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, blocks);

		assert_eq!(SessionLength::<T>::get(), blocks);
		Ok(())
	}

	/// Counting the author in `on_finalize`.
	#[benchmark]
	fn note_author() -> Result<(), BenchmarkError> {
		frame_system::Pallet::<T>::deposit_log(T::BenchmarkHelper::author_digest());
		let before: u32 = AuthoredBlocks::<T>::iter_values().sum();

		#[block]
		{
			ValidatorSet::<T>::on_finalize(One::one());
		}

		let after: u32 = AuthoredBlocks::<T>::iter_values().sum();
		if after != before.saturating_add(1) {
			return Err(BenchmarkError::Stop("the author was not counted"));
		}
		Ok(())
	}

	impl_benchmark_test_suite!(ValidatorSet, crate::mock::new_test_ext(), crate::mock::Test);
}
