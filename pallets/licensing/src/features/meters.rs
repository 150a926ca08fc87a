//! Metering accounts that may report usage of a repository's licenses.

use crate::*;
use owh_primitives::deposit::Footprint;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{fungible::MutateHold, tokens::Precision},
	},
	sp_runtime::traits::Zero,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_meter(
		who: T::AccountId,
		repo: RepoName,
		account: T::AccountId,
	) -> DispatchResult {
		Self::ensure_maintainer(&who, &repo)?;
		let mut meters = Meters::<T>::get(&repo);
		ensure!(
			!meters.iter().any(|m| m.account == account),
			Error::<T>::MeterExists
		);
		let mut meter = Meter {
			account: account.clone(),
			added_by: who.clone(),
			deposit: Zero::zero(),
		};
		meter.deposit = Self::deposit_for(Footprint::entry(meter.encoded_size()));
		let deposit = meter.deposit;
		meters
			.try_push(meter)
			.map_err(|_| Error::<T>::TooManyMeters)?;
		Self::hold_deposit(HoldReason::Meter, &who, deposit)?;
		Meters::<T>::insert(&repo, meters);
		Self::deposit_event(Event::MeterAdded { repo, account, who });
		Ok(())
	}

	pub(crate) fn do_remove_meter(
		who: T::AccountId,
		repo: RepoName,
		account: T::AccountId,
	) -> DispatchResult {
		Self::ensure_maintainer(&who, &repo)?;
		let mut meters = Meters::<T>::get(&repo);
		let position = meters
			.iter()
			.position(|m| m.account == account)
			.ok_or(Error::<T>::UnknownMeter)?;
		let removed = meters.remove(position);
		T::Currency::release(
			&HoldReason::Meter.into(),
			&removed.added_by,
			removed.deposit,
			Precision::BestEffort,
		)?;
		if meters.is_empty() {
			Meters::<T>::remove(&repo);
		} else {
			Meters::<T>::insert(&repo, meters);
		}
		Self::deposit_event(Event::MeterRemoved { repo, account, who });
		Ok(())
	}
}
