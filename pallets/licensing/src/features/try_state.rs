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
