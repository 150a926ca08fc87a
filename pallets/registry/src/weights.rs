//! Weights for `pallet_registry`.
//!
//! Placeholder until the first run of `scripts/benchmark-weights.sh` replaces this file with
//! generated weights (see the pallet README).

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_registry`.
pub trait WeightInfo {
	fn create_repository() -> Weight;
	fn grant_role() -> Weight;
	fn revoke_role() -> Weight;
	fn transfer_ownership() -> Weight;
	fn commit_version(a: u32, p: u32) -> Weight;
	fn set_alias() -> Weight;
	fn remove_alias() -> Weight;
	fn yank_version() -> Weight;
	fn unyank_version() -> Weight;
}

/// Weights for `pallet_registry` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_repository() -> Weight {
		Weight::from_parts(50_000_000, 3_600).saturating_add(T::DbWeight::get().reads_writes(2, 2))
	}
	fn grant_role() -> Weight {
		Weight::from_parts(40_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(2, 1))
	}
	fn revoke_role() -> Weight {
		Weight::from_parts(40_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(2, 1))
	}
	fn transfer_ownership() -> Weight {
		Weight::from_parts(40_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(2, 2))
	}
	fn commit_version(a: u32, p: u32) -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(Weight::from_parts(2_000_000, 1_500).saturating_mul(a.into()))
			.saturating_add(Weight::from_parts(10_000_000, 3_000).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
	}
	fn set_alias() -> Weight {
		Weight::from_parts(60_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 4))
	}
	fn remove_alias() -> Weight {
		Weight::from_parts(60_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(5, 4))
	}
	fn yank_version() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(4, 1))
	}
	fn unyank_version() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(4, 1))
	}
}

impl WeightInfo for () {
	fn create_repository() -> Weight {
		Weight::from_parts(50_000_000, 3_600)
	}
	fn grant_role() -> Weight {
		Weight::from_parts(40_000_000, 5_000)
	}
	fn revoke_role() -> Weight {
		Weight::from_parts(40_000_000, 5_000)
	}
	fn transfer_ownership() -> Weight {
		Weight::from_parts(40_000_000, 5_000)
	}
	fn commit_version(a: u32, p: u32) -> Weight {
		Weight::from_parts(200_000_000, 10_000)
			.saturating_add(Weight::from_parts(2_000_000, 1_500).saturating_mul(a.into()))
			.saturating_add(Weight::from_parts(10_000_000, 3_000).saturating_mul(p.into()))
	}
	fn set_alias() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
	}
	fn remove_alias() -> Weight {
		Weight::from_parts(60_000_000, 10_000)
	}
	fn yank_version() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
	}
	fn unyank_version() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
	}
}
