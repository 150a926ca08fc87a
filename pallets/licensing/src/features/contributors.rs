//! Contributors of a version and their shares.

use crate::*;
use owh_primitives::deposit::Footprint;
use owh_primitives::licensing::SharesError;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{fungible::MutateHold, tokens::Precision},
	},
	sp_runtime::traits::Zero,
};

impl<T: Config> Pallet<T> {
	/// Applies [`owh_primitives::licensing::check_shares`], naming the pallet error.
	pub fn check_shares(contributors: &[ContributorOf<T>]) -> Result<(), Error<T>> {
		owh_primitives::licensing::check_shares(contributors).map_err(|e| match e {
			SharesError::NoContributors => Error::<T>::NoContributors,
			SharesError::ZeroShare(_) => Error::<T>::ZeroShare,
			SharesError::Duplicate(_) => Error::<T>::DuplicateContributor,
			SharesError::NotWhole(_) => Error::<T>::SharesNotWhole,
		})
	}

	pub(crate) fn do_set_contributors(
		who: T::AccountId,
		version: VersionId,
		contributors: ContributorsOf<T>,
	) -> DispatchResult {
		let repo = Self::repository_of(&version)?;
		Self::ensure_maintainer(&who, &repo)?;
		Self::check_shares(&contributors)?;
		let count = contributors.len() as u32;
		let mut list = ContributorList {
			contributors,
			depositor: who.clone(),
			deposit: Zero::zero(),
		};
		// The list is one entry keyed by the 32-byte version id.
		list.deposit = Self::deposit_for(Footprint::entry(
			32usize.saturating_add(list.encoded_size()),
		));
		let deposit = list.deposit;
		if let Some(old) = Contributors::<T>::get(version) {
			T::Currency::release(
				&HoldReason::Contributors.into(),
				&old.depositor,
				old.deposit,
				Precision::BestEffort,
			)?;
		}
		Self::hold_deposit(HoldReason::Contributors, &who, deposit)?;
		Contributors::<T>::insert(version, list);
		Self::deposit_event(Event::ContributorsSet {
			version,
			count,
			who,
			deposit,
		});
		Ok(())
	}
}
