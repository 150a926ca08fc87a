//! Reads behind the licensing runtime API. Lists are capped by `MaxQueryResults`.

use crate::*;
use alloc::vec::Vec;
use polkadot_sdk::frame_support::traits::Get;

impl<T: Config> Pallet<T> {
	/// The licenses an account holds, oldest first within each version.
	pub fn licenses_of(who: T::AccountId) -> Vec<(LicenseId, LicenseOf<T>)> {
		LicensesOf::<T>::iter_key_prefix((who,))
			.take(T::MaxQueryResults::get() as usize)
			.filter_map(|(_, id)| Licenses::<T>::get(id).map(|license| (id, license)))
			.collect()
	}

	/// One license.
	pub fn license(id: LicenseId) -> Option<LicenseOf<T>> {
		Licenses::<T>::get(id)
	}

	/// The active offers that apply to a version (its own, else its repository's defaults).
	pub fn offers_for(version: VersionId) -> Vec<(OfferId, OfferOf<T>)> {
		let Ok(repo) = Self::repository_of(&version) else {
			return Vec::new();
		};
		Self::applicable_offer_ids(&version, &repo)
			.into_iter()
			.filter_map(|id| Offers::<T>::get(id).map(|offer| (id, offer)))
			.collect()
	}

	/// One offer, active or retired.
	pub fn offer(id: OfferId) -> Option<OfferOf<T>> {
		Offers::<T>::get(id)
	}

	/// The contributors of a version.
	pub fn contributors_of(version: VersionId) -> Vec<ContributorOf<T>> {
		Contributors::<T>::get(version)
			.map(|list| list.contributors.into_inner())
			.unwrap_or_default()
	}

	/// Who would receive what if `amount` were paid for `version` now; `None` if the version
	/// does not exist.
	pub fn royalty_split(version: VersionId, amount: BalanceOf<T>) -> Option<RoyaltySplitOf<T>> {
		Self::plan_split(version, amount)
			.ok()
			.map(|plan| plan.split)
	}
}
