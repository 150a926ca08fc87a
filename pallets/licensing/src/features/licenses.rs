//! Licenses: buying, granting, revoking and metering them.

use crate::{features::royalty::WalkCost, *};
use owh_primitives::deposit::Footprint;
use owh_primitives::licensing::ModelRegistry;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::{Fortitude, Preservation},
		},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::traits::{CheckedAdd, Zero},
};

impl<T: Config> Pallet<T> {
	/// What a license occupies: its record (keyed by its 8-byte id) and its entry in the
	/// holder's index (account, version id and license id, no value).
	pub fn license_footprint(license: &LicenseOf<T>) -> Footprint {
		let index_key = license
			.licensee
			.encoded_size()
			.saturating_add(32)
			.saturating_add(8);
		Footprint::entry(8usize.saturating_add(license.encoded_size()))
			.and(Footprint::entry(index_key))
	}

	/// Records a new license under `offer` and indexes it.
	fn issue_license(
		licensee: T::AccountId,
		version: VersionId,
		offer_id: OfferId,
		mut offer: OfferOf<T>,
		granted_by: Option<T::AccountId>,
		depositor: T::AccountId,
	) -> Result<(LicenseId, Option<BlockNumberFor<T>>), DispatchError> {
		let id = NextLicenseId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		offer.licenses = offer.licenses.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let start = frame_system::Pallet::<T>::block_number();
		let end = match offer.terms.period {
			Some(period) => Some(start.checked_add(&period).ok_or(Error::<T>::Overflow)?),
			None => None,
		};
		let paid = if granted_by.is_some() {
			Default::default()
		} else {
			offer.terms.price
		};
		let mut license = License {
			licensee: licensee.clone(),
			version,
			offer: offer_id,
			terms: offer.terms.clone(),
			start,
			end,
			uses_remaining: offer.terms.usage_cap,
			uses_reported: 0,
			paid,
			granted_by,
			depositor,
			deposit: Zero::zero(),
			revoked: None,
		};
		license.deposit = Self::deposit_for(Self::license_footprint(&license));
		Self::hold_deposit(HoldReason::License, &license.depositor, license.deposit)?;
		Licenses::<T>::insert(id, license);
		LicensesOf::<T>::insert((licensee, version, id), ());
		Offers::<T>::insert(offer_id, offer);
		NextLicenseId::<T>::put(next);
		Ok((id, end))
	}

	/// Buys a license; returns what the royalty walk read, which the call's weight is
	/// refunded to.
	pub(crate) fn do_purchase_license(
		buyer: T::AccountId,
		version: VersionId,
		offer_id: OfferId,
		max_price: BalanceOf<T>,
		terms_hash: [u8; 32],
	) -> Result<WalkCost, DispatchError> {
		let (repo, parents) =
			T::Registry::lineage_of(&version).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(!T::Registry::is_yanked(&version), Error::<T>::VersionYanked);
		let offer = Self::offer_for(&version, &repo, offer_id)?;
		let price = offer.terms.price;
		ensure!(price <= max_price, Error::<T>::PriceAboveLimit);
		ensure!(offer.terms.hash() == terms_hash, Error::<T>::TermsChanged);
		let plan = Self::plan_split_of(version, repo, parents, price)?;
		// Holds the license deposit first, so the check below sees what is left for the
		// price; a failure undoes the whole call.
		let (license, end) =
			Self::issue_license(buyer.clone(), version, offer_id, offer, None, buyer.clone())?;
		ensure!(
			T::Currency::reducible_balance(&buyer, Preservation::Preserve, Fortitude::Polite)
				>= price,
			Error::<T>::InsufficientBalance
		);
		for leg in plan.split.legs {
			if leg.payee != buyer {
				T::Currency::transfer(&buyer, &leg.payee, leg.amount, Preservation::Preserve)?;
			}
			Self::deposit_event(Event::RoyaltyPaid {
				license,
				version: leg.version,
				depth: leg.depth,
				payee: leg.payee,
				kind: leg.kind,
				amount: leg.amount,
			});
		}
		Self::deposit_event(Event::LicensePurchased {
			license,
			version,
			offer: offer_id,
			licensee: buyer,
			price,
			end,
		});
		Ok(plan.walk)
	}

	pub(crate) fn do_grant_license(
		who: T::AccountId,
		version: VersionId,
		offer_id: OfferId,
		licensee: T::AccountId,
	) -> DispatchResult {
		let repo = Self::repository_of(&version)?;
		ensure!(!T::Registry::is_yanked(&version), Error::<T>::VersionYanked);
		let offer = Self::offer_for(&version, &repo, offer_id)?;
		Self::ensure_maintainer(&who, &offer.repository)?;
		let (license, _) = Self::issue_license(
			licensee.clone(),
			version,
			offer_id,
			offer,
			Some(who.clone()),
			who.clone(),
		)?;
		Self::deposit_event(Event::LicenseGranted {
			license,
			version,
			offer: offer_id,
			licensee,
			by: who,
		});
		Ok(())
	}

	pub(crate) fn do_revoke_license(
		who: T::AccountId,
		id: LicenseId,
		reason: Reason,
	) -> DispatchResult {
		let mut license = Licenses::<T>::get(id).ok_or(Error::<T>::UnknownLicense)?;
		let repo = Self::repository_of(&license.version)?;
		Self::ensure_maintainer(&who, &repo)?;
		ensure!(license.terms.revocable, Error::<T>::NotRevocable);
		ensure!(license.revoked.is_none(), Error::<T>::AlreadyRevoked);
		Self::ensure_reason(&reason)?;
		license.revoked = Some(Revocation {
			by: who.clone(),
			block: frame_system::Pallet::<T>::block_number(),
			reason: reason.clone(),
		});
		Licenses::<T>::insert(id, license);
		Self::deposit_event(Event::LicenseRevoked {
			license: id,
			by: who,
			reason,
		});
		Ok(())
	}

	pub(crate) fn do_report_usage(who: T::AccountId, id: LicenseId, count: u64) -> DispatchResult {
		let mut license = Licenses::<T>::get(id).ok_or(Error::<T>::UnknownLicense)?;
		if license.licensee != who {
			let repo = Self::repository_of(&license.version)?;
			ensure!(
				Meters::<T>::get(&repo).iter().any(|m| m.account == who),
				Error::<T>::NotLicensee
			);
		}
		ensure!(count > 0, Error::<T>::ZeroUsage);
		ensure!(license.revoked.is_none(), Error::<T>::LicenseRevoked);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			license.end.is_none_or(|end| now < end),
			Error::<T>::LicenseExpired
		);
		if let Some(remaining) = license.uses_remaining {
			ensure!(count <= remaining, Error::<T>::UsageCapExceeded);
			license.uses_remaining = Some(remaining.saturating_sub(count));
		}
		license.uses_reported = license
			.uses_reported
			.checked_add(count)
			.ok_or(Error::<T>::Overflow)?;
		let remaining = license.uses_remaining;
		Licenses::<T>::insert(id, license);
		Self::deposit_event(Event::UsageReported {
			license: id,
			by: who,
			count,
			remaining,
		});
		Ok(())
	}

	/// Whether `who` may use `version` now under some license it holds.
	pub fn has_valid_license(who: &T::AccountId, version: &VersionId) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		LicensesOf::<T>::iter_key_prefix((who, version))
			.take(T::MaxQueryResults::get() as usize)
			.filter_map(Licenses::<T>::get)
			.any(|license| license.is_valid_at(&now))
	}

	/// `reason` is non-empty printable UTF-8 (newlines allowed).
	pub(crate) fn ensure_reason(reason: &Reason) -> DispatchResult {
		let text = core::str::from_utf8(reason).map_err(|_| Error::<T>::BadReason)?;
		ensure!(
			!text.trim().is_empty() && !text.chars().any(|c| c.is_control() && c != '\n'),
			Error::<T>::BadReason
		);
		Ok(())
	}
}
