//! License offers: create, update, retire.

use crate::*;
use owh_primitives::deposit::Footprint;
use owh_primitives::{licensing::ModelRegistry, validate};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, MutateHold},
			tokens::Precision,
		},
	},
	frame_system,
	sp_runtime::{traits::Zero, Saturating},
};

/// Encoded bytes of an offer id key.
const OFFER_ID_BYTES: usize = 8;

impl<T: Config> Pallet<T> {
	/// The deposit for `footprint` under this runtime's rule.
	pub fn deposit_for(footprint: Footprint) -> BalanceOf<T> {
		footprint.deposit(T::DepositPerItem::get(), T::DepositPerByte::get())
	}

	/// What an offer occupies: its record, and its id in the target's active list.
	pub fn offer_footprint(offer: &OfferOf<T>) -> Footprint {
		Footprint::entry(OFFER_ID_BYTES.saturating_add(offer.encoded_size())).and(Footprint {
			items: 0,
			bytes: OFFER_ID_BYTES as u64,
		})
	}

	/// Holds `amount` from `who` for `reason`, mapping any failure to `InsufficientBalance`.
	pub(crate) fn hold_deposit(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Ok(())
	}

	/// Fails unless `who` owns or maintains `repo`.
	pub(crate) fn ensure_maintainer(who: &T::AccountId, repo: &RepoName) -> DispatchResult {
		ensure!(
			T::Registry::owner_of(repo).is_some(),
			Error::<T>::UnknownRepository
		);
		ensure!(
			T::Registry::is_maintainer(who, repo),
			Error::<T>::NotMaintainer
		);
		Ok(())
	}

	/// The repository of a version, or `UnknownVersion`.
	pub(crate) fn repository_of(version: &VersionId) -> Result<RepoName, DispatchError> {
		Ok(T::Registry::repository_of(version).ok_or(Error::<T>::UnknownVersion)?)
	}

	/// The repository an offer target belongs to.
	pub(crate) fn target_repository(target: &OfferTarget) -> Result<RepoName, DispatchError> {
		match target {
			OfferTarget::Version(version) => Self::repository_of(version),
			OfferTarget::Repository(repo) => {
				ensure!(
					T::Registry::owner_of(repo).is_some(),
					Error::<T>::UnknownRepository
				);
				Ok(repo.clone())
			}
		}
	}

	/// Checks terms that need no chain state beyond the token supply.
	pub(crate) fn ensure_valid_terms(terms: &OfferTermsOf<T>) -> DispatchResult {
		match &terms.text {
			LicenseText::Spdx(id) => ensure!(validate::license(id), Error::<T>::BadSpdxId),
			LicenseText::Custom { uri, .. } => {
				ensure!(validate::storage_uri(uri), Error::<T>::BadTermsUri)
			}
		}
		ensure!(
			terms.period.is_none_or(|p| !p.is_zero()),
			Error::<T>::ZeroPeriod
		);
		ensure!(terms.usage_cap != Some(0), Error::<T>::ZeroUsageCap);
		ensure!(
			terms.derivatives || terms.royalty_rate.is_zero(),
			Error::<T>::RoyaltyWithoutDerivatives
		);
		ensure!(
			terms.royalty_rate <= T::MaxRoyaltyRate::get(),
			Error::<T>::RoyaltyRateTooHigh
		);
		ensure!(
			terms.price <= T::Currency::total_issuance(),
			Error::<T>::PriceTooHigh
		);
		Ok(())
	}

	pub(crate) fn do_create_offer(
		who: T::AccountId,
		target: OfferTarget,
		terms: OfferTermsOf<T>,
	) -> Result<OfferId, DispatchError> {
		let repository = Self::target_repository(&target)?;
		Self::ensure_maintainer(&who, &repository)?;
		Self::ensure_valid_terms(&terms)?;
		let id = NextOfferId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		ActiveOffers::<T>::try_mutate(&target, |ids| ids.try_push(id))
			.map_err(|_| Error::<T>::TooManyOffers)?;
		let price = terms.price;
		let mut offer = Offer {
			target: target.clone(),
			repository,
			terms,
			creator: who.clone(),
			deposit: Zero::zero(),
			created: frame_system::Pallet::<T>::block_number(),
			retired: None,
			licenses: 0,
		};
		offer.deposit = Self::deposit_for(Self::offer_footprint(&offer));
		let deposit = offer.deposit;
		Self::hold_deposit(HoldReason::Offer, &who, deposit)?;
		Offers::<T>::insert(id, offer);
		NextOfferId::<T>::put(next);
		Self::deposit_event(Event::OfferCreated {
			offer: id,
			target,
			who,
			price,
			deposit,
		});
		Ok(id)
	}

	/// The offer, if it exists, is active and `who` maintains its repository.
	fn ensure_active_offer_maintainer(
		who: &T::AccountId,
		id: OfferId,
	) -> Result<OfferOf<T>, DispatchError> {
		let offer = Offers::<T>::get(id).ok_or(Error::<T>::UnknownOffer)?;
		ensure!(offer.retired.is_none(), Error::<T>::OfferRetired);
		Self::ensure_maintainer(who, &offer.repository)?;
		Ok(offer)
	}

	pub(crate) fn do_update_offer(
		who: T::AccountId,
		id: OfferId,
		terms: OfferTermsOf<T>,
	) -> DispatchResult {
		let mut offer = Self::ensure_active_offer_maintainer(&who, id)?;
		Self::ensure_valid_terms(&terms)?;
		let price = terms.price;
		offer.terms = terms;
		let deposit = Self::deposit_for(Self::offer_footprint(&offer));
		if deposit > offer.deposit {
			Self::hold_deposit(
				HoldReason::Offer,
				&offer.creator,
				deposit.saturating_sub(offer.deposit),
			)?;
		} else if deposit < offer.deposit {
			T::Currency::release(
				&HoldReason::Offer.into(),
				&offer.creator,
				offer.deposit.saturating_sub(deposit),
				Precision::BestEffort,
			)?;
		}
		offer.deposit = deposit;
		Offers::<T>::insert(id, offer);
		Self::deposit_event(Event::OfferUpdated {
			offer: id,
			who,
			price,
		});
		Ok(())
	}

	pub(crate) fn do_retire_offer(who: T::AccountId, id: OfferId) -> DispatchResult {
		let offer = Self::ensure_active_offer_maintainer(&who, id)?;
		Self::retire(id, offer);
		Self::deposit_event(Event::OfferRetired { offer: id, who });
		Ok(())
	}

	pub(crate) fn do_force_retire_offer(id: OfferId, reason: Reason) -> DispatchResult {
		let offer = Offers::<T>::get(id).ok_or(Error::<T>::UnknownOffer)?;
		ensure!(offer.retired.is_none(), Error::<T>::OfferRetired);
		Self::ensure_reason(&reason)?;
		Self::retire(id, offer);
		Self::deposit_event(Event::OfferForceRetired { offer: id, reason });
		Ok(())
	}

	/// Takes the active offer `id` off its target's list and marks it retired.
	fn retire(id: OfferId, mut offer: OfferOf<T>) {
		ActiveOffers::<T>::mutate_exists(&offer.target, |ids| {
			if let Some(list) = ids {
				list.retain(|other| *other != id);
				if list.is_empty() {
					*ids = None;
				}
			}
		});
		offer.retired = Some(frame_system::Pallet::<T>::block_number());
		Offers::<T>::insert(id, offer);
	}

	/// The active offers that apply to a version: its own, else its repository's defaults.
	pub fn applicable_offer_ids(version: &VersionId, repo: &RepoName) -> OfferIdsOf<T> {
		let own = ActiveOffers::<T>::get(OfferTarget::Version(*version));
		if own.is_empty() {
			ActiveOffers::<T>::get(OfferTarget::Repository(repo.clone()))
		} else {
			own
		}
	}

	/// The active offer `id`, if it applies to `version` of `repo`.
	pub(crate) fn offer_for(
		version: &VersionId,
		repo: &RepoName,
		id: OfferId,
	) -> Result<OfferOf<T>, DispatchError> {
		let offer = Offers::<T>::get(id).ok_or(Error::<T>::UnknownOffer)?;
		ensure!(offer.retired.is_none(), Error::<T>::OfferRetired);
		ensure!(
			Self::applicable_offer_ids(version, repo).contains(&id),
			Error::<T>::OfferNotForVersion
		);
		Ok(offer)
	}
}
