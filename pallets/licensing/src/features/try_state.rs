//! Storage invariants, checked by `try_state`.

use crate::*;
use alloc::collections::BTreeMap;
use polkadot_sdk::sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks that shares are whole, that every index agrees with its records, and that the
	/// license counts match.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		use polkadot_sdk::frame_support::traits::{fungible::Inspect, Get};
		ensure_state(
			T::Currency::balance(&T::FallbackPayee::get()) >= T::Currency::minimum_balance(),
			"fallback payee below the existential deposit",
		)?;
		for (_, list) in Contributors::<T>::iter() {
			Self::check_shares(&list.contributors).map_err(|_| "contributor shares not whole")?;
		}
		let offers = Offers::<T>::iter().count();
		ensure_state(
			offers as u64 == u64::from(NextOfferId::<T>::get()),
			"offer count mismatch",
		)?;
		for (target, ids) in ActiveOffers::<T>::iter() {
			ensure_state(!ids.is_empty(), "empty active offer list kept")?;
			for id in ids {
				let offer = Offers::<T>::get(id).ok_or("active offer missing")?;
				ensure_state(offer.target == target, "offer indexed under another target")?;
				ensure_state(offer.retired.is_none(), "retired offer still active")?;
			}
		}
		for (id, offer) in Offers::<T>::iter() {
			if offer.retired.is_none() {
				ensure_state(
					ActiveOffers::<T>::get(&offer.target).contains(&id),
					"active offer not indexed",
				)?;
			}
		}
		let mut per_offer: BTreeMap<OfferId, u32> = BTreeMap::new();
		let mut licenses: u64 = 0;
		for (id, license) in Licenses::<T>::iter() {
			licenses += 1;
			*per_offer.entry(license.offer).or_default() += 1;
			ensure_state(
				LicensesOf::<T>::contains_key((&license.licensee, license.version, id)),
				"license not indexed under its licensee",
			)?;
		}
		ensure_state(
			licenses == NextLicenseId::<T>::get(),
			"license count mismatch",
		)?;
		ensure_state(
			LicensesOf::<T>::iter_keys().count() as u64 == licenses,
			"license index count mismatch",
		)?;
		for (id, offer) in Offers::<T>::iter() {
			ensure_state(
				per_offer.get(&id).copied().unwrap_or(0) == offer.licenses,
				"offer license count mismatch",
			)?;
		}
		Self::check_references()?;
		Self::check_deposits()
	}

	/// Every cross-reference points at something that exists, and usage counts add up to
	/// the cap.
	fn check_references() -> Result<(), TryRuntimeError> {
		use owh_primitives::licensing::ModelRegistry;
		for (_, offer) in Offers::<T>::iter() {
			let exists = match &offer.target {
				OfferTarget::Version(version) => T::Registry::repository_of(version).is_some(),
				OfferTarget::Repository(repo) => T::Registry::owner_of(repo).is_some(),
			};
			ensure_state(exists, "offer for a missing version or repository")?;
		}
		for (version, _) in Contributors::<T>::iter() {
			ensure_state(
				T::Registry::repository_of(&version).is_some(),
				"contributors of a missing version",
			)?;
		}
		for (repo, _) in Meters::<T>::iter() {
			ensure_state(
				T::Registry::owner_of(&repo).is_some(),
				"meters of a missing repository",
			)?;
		}
		for (version, rates) in EdgeRoyalties::<T>::iter() {
			let (_, parents) =
				T::Registry::lineage_of(&version).ok_or("royalty rates of a missing version")?;
			ensure_state(!rates.is_empty(), "empty royalty snapshot kept")?;
			for (parent, rate) in rates {
				ensure_state(
					parents.contains(&parent),
					"royalty rate recorded for a version that is not a parent",
				)?;
				ensure_state(!rate.is_zero(), "zero royalty rate recorded")?;
			}
		}
		for (_, license) in Licenses::<T>::iter() {
			ensure_state(
				Offers::<T>::contains_key(license.offer),
				"license under a missing offer",
			)?;
			ensure_state(
				T::Registry::repository_of(&license.version).is_some(),
				"license for a missing version",
			)?;
			let counted = match (license.terms.usage_cap, license.uses_remaining) {
				(Some(cap), Some(remaining)) => {
					license.uses_reported.checked_add(remaining) == Some(cap)
				}
				(None, None) => true,
				_ => false,
			};
			ensure_state(
				counted,
				"uses reported and remaining do not add up to the cap",
			)?;
		}
		Ok(())
	}

	/// What is held from each account, per reason, equals the deposits recorded for it.
	fn check_deposits() -> Result<(), TryRuntimeError> {
		use polkadot_sdk::{
			frame_support::traits::fungible::InspectHold,
			sp_runtime::{traits::Zero, Saturating},
		};
		let mut recorded: BTreeMap<(u8, T::AccountId), BalanceOf<T>> = BTreeMap::new();
		let mut add = |reason: HoldReason, who: T::AccountId, amount: BalanceOf<T>| {
			let total = recorded
				.entry((reason as u8, who))
				.or_insert_with(Zero::zero);
			*total = total.saturating_add(amount);
		};
		for (_, offer) in Offers::<T>::iter() {
			add(HoldReason::Offer, offer.creator, offer.deposit);
		}
		for (_, list) in Contributors::<T>::iter() {
			add(HoldReason::Contributors, list.depositor, list.deposit);
		}
		for (_, license) in Licenses::<T>::iter() {
			add(HoldReason::License, license.depositor, license.deposit);
		}
		for (_, meters) in Meters::<T>::iter() {
			for meter in meters {
				add(HoldReason::Meter, meter.added_by, meter.deposit);
			}
		}
		let reasons = [
			HoldReason::Offer,
			HoldReason::Contributors,
			HoldReason::License,
			HoldReason::Meter,
		];
		for reason in reasons {
			for ((_, who), amount) in recorded.iter().filter(|((r, _), _)| *r == reason as u8) {
				ensure_state(
					T::Currency::balance_on_hold(&reason.into(), who) == *amount,
					"held deposit differs from the recorded deposits",
				)?;
			}
		}
		Ok(())
	}
}

fn ensure_state(ok: bool, what: &'static str) -> Result<(), TryRuntimeError> {
	if ok {
		Ok(())
	} else {
		Err(what.into())
	}
}
