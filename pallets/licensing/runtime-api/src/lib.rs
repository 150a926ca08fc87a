//! Runtime API of the OpenWeightHub licensing pallet.
//!
//! Clients (the `owh` CLI, polkadot.js apps) call it through `state_call`; its types are in the
//! runtime metadata.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use owh_primitives::{
	licensing::{Contributor, License, LicenseId, Offer, OfferId, RoyaltySplit},
	VersionId,
};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Read access to offers, licenses, contributors and royalty splits.
	pub trait LicensingApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The licenses an account holds (capped by the runtime).
		fn licenses_of(account: AccountId) -> Vec<(LicenseId, License<AccountId, Balance, BlockNumber>)>;
		/// One license.
		fn license(id: LicenseId) -> Option<License<AccountId, Balance, BlockNumber>>;
		/// The active offers that apply to a version: its own, else its repository's defaults.
		fn offers(version: VersionId) -> Vec<(OfferId, Offer<AccountId, Balance, BlockNumber>)>;
		/// One offer, active or retired.
		fn offer(id: OfferId) -> Option<Offer<AccountId, Balance, BlockNumber>>;
		/// The contributors of a version and their shares.
		fn contributors(version: VersionId) -> Vec<Contributor<AccountId>>;
		/// Who would receive what if `amount` were paid for `version` now; `None` if the
		/// version does not exist.
		fn royalty_split(version: VersionId, amount: Balance) -> Option<RoyaltySplit<AccountId, Balance>>;
		/// Whether `account` holds a license for `version` that is valid now.
		fn has_valid_license(account: AccountId, version: VersionId) -> bool;
	}
}
