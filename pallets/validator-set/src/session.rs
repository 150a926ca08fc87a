//! The pallet as `pallet-session`'s session manager, end-of-session rule and rotation
//! estimate.

use crate::{
	AuthoredBlocks, Changed, Config, Event, Pallet, SessionLength, SessionStart, Validators,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::{BoundedVec, Weight},
		traits::{EstimateNextSessionRotation, Get},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	pallet_session::{self, SessionManager, ShouldEndSession},
	sp_runtime::{traits::Saturating, Permill, SaturatedConversion},
	sp_staking::SessionIndex,
};

impl<T: Config> SessionManager<T::AccountId> for Pallet<T> {
	/// Hands `pallet-session` the planned set if it changed since the last call.
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		if !Changed::<T>::take() {
			return None;
		}
		let set = Validators::<T>::get().into_inner();
		Self::deposit_event(Event::NewSetPlanned {
			session: new_index,
			validators: set.len().saturated_into(),
		});
		Some(set)
	}

	/// `None`: the accounts with genesis session keys are the first set.
	fn new_session_genesis(_: SessionIndex) -> Option<Vec<T::AccountId>> {
		None
	}

	fn start_session(index: SessionIndex) {
		if index == 0 {
			// Genesis: adopt the set `pallet-session` made from its genesis keys.
			let mut set = pallet_session::Validators::<T>::get();
			set.sort();
			set.dedup();
			Validators::<T>::put(BoundedVec::truncate_from(set));
		}
		SessionStart::<T>::put(frame_system::Pallet::<T>::block_number());
		let _ = AuthoredBlocks::<T>::clear(T::MaxValidators::get(), None);
	}

	fn end_session(_: SessionIndex) {}
}

impl<T: Config> ShouldEndSession<BlockNumberFor<T>> for Pallet<T> {
	fn should_end_session(now: BlockNumberFor<T>) -> bool {
		now.saturating_sub(SessionStart::<T>::get()) >= SessionLength::<T>::get()
	}
}

impl<T: Config> EstimateNextSessionRotation<BlockNumberFor<T>> for Pallet<T> {
	fn average_session_length() -> BlockNumberFor<T> {
		SessionLength::<T>::get()
	}

	fn estimate_current_session_progress(now: BlockNumberFor<T>) -> (Option<Permill>, Weight) {
		let length: u64 = SessionLength::<T>::get().saturated_into();
		let done: u64 = now
			.saturating_sub(SessionStart::<T>::get())
			.saturated_into();
		let progress = Permill::from_rational(done.min(length), length.max(1));
		(Some(progress), T::DbWeight::get().reads(2))
	}

	fn estimate_next_session_rotation(_: BlockNumberFor<T>) -> (Option<BlockNumberFor<T>>, Weight) {
		let next = SessionStart::<T>::get().saturating_add(SessionLength::<T>::get());
		(Some(next), T::DbWeight::get().reads(2))
	}
}
