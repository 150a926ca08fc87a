//! Weights for `pallet_promotion`.
//!
//! Provisional: estimated from the storage each call reads and writes, with a generous
//! execution time, until the pallet's benchmarks are written and run with
//! `scripts/benchmark-weights.sh`.

#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{traits::Get, weights::Weight};

/// Weight functions needed for `pallet_promotion`.
pub trait WeightInfo {
	fn register_attestor() -> Weight;
	fn set_attestor_suspended() -> Weight;
	fn attest() -> Weight;
	fn submit_attestation() -> Weight;
	fn set_gate() -> Weight;
	/// The gate check before a protected alias moves: the gate, the version's latest
	/// attestations and their attestors (at most 16 each).
	fn ensure_may_move() -> Weight;
}

/// Weights for `pallet_promotion` with the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_attestor() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(4))
	}
	fn set_attestor_suspended() -> Weight {
		Weight::from_parts(50_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn attest() -> Weight {
		Weight::from_parts(150_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn submit_attestation() -> Weight {
		Weight::from_parts(300_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(7))
			.saturating_add(T::DbWeight::get().writes(7))
	}
	fn set_gate() -> Weight {
		Weight::from_parts(120_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(5))
	}
	fn ensure_may_move() -> Weight {
		Weight::from_parts(400_000_000, 60_000).saturating_add(T::DbWeight::get().reads(34))
	}
}

/// For tests: the same estimates with reference database weights.
impl WeightInfo for () {
	fn register_attestor() -> Weight {
		Weight::from_parts(100_000_000, 4_000)
	}
	fn set_attestor_suspended() -> Weight {
		Weight::from_parts(50_000_000, 4_000)
	}
	fn attest() -> Weight {
		Weight::from_parts(150_000_000, 12_000)
	}
	fn submit_attestation() -> Weight {
		Weight::from_parts(300_000_000, 12_000)
	}
	fn set_gate() -> Weight {
		Weight::from_parts(120_000_000, 6_000)
	}
	fn ensure_may_move() -> Weight {
		Weight::from_parts(400_000_000, 60_000)
	}
}
