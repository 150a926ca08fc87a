//! Contributors of a version and their shares.

use crate::*;
use alloc::collections::BTreeSet;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{fungible::MutateHold, tokens::Precision},
	},
	sp_runtime::{Permill, Saturating},
};

impl<T: Config> Pallet<T> {
	/// Checks that a list is non-empty, lists each account once, and has non-zero shares
	/// summing to exactly 100%.
	pub fn check_shares(contributors: &[ContributorOf<T>]) -> Result<(), Error<T>> {
		ensure!(!contributors.is_empty(), Error::<T>::NoContributors);
		let mut seen = BTreeSet::new();
		let mut total: u64 = 0;
		for contributor in contributors {
			ensure!(!contributor.share.is_zero(), Error::<T>::ZeroShare);
			ensure!(
				seen.insert(&contributor.account),
				Error::<T>::DuplicateContributor
			);
			total = total.saturating_add(u64::from(contributor.share.deconstruct()));
		}
		ensure!(
			total == u64::from(Permill::one().deconstruct()),
			Error::<T>::SharesNotWhole
		);
		Ok(())
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
		let deposit = T::ContributorDeposit::get().saturating_mul(count.into());
		if let Some(old) = Contributors::<T>::get(version) {
			T::Currency::release(
				&HoldReason::Contributors.into(),
				&old.depositor,
				old.deposit,
				Precision::BestEffort,
			)?;
		}
		Self::hold_deposit(HoldReason::Contributors, &who, deposit)?;
		Contributors::<T>::insert(
			version,
			ContributorList {
				contributors,
				depositor: who.clone(),
				deposit,
			},
		);
		Self::deposit_event(Event::ContributorsSet {
			version,
			count,
			who,
			deposit,
		});
		Ok(())
	}
}
