//! Types and limits of the validator-set pallet.

#[cfg(feature = "runtime-benchmarks")]
use alloc::vec::Vec;

/// Longest ownership proof `set_keys` accepts, in bytes: one signature (at most 65 bytes) per
/// session key, with room for several keys.
pub const MAX_OWNERSHIP_PROOF_LEN: u32 = 512;

/// Creates session keys and their ownership proof for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<T: crate::Config> {
	/// Fresh session keys (distinct for each `seed`) and the proof that `owner` holds them.
	fn session_keys(owner: &T::AccountId, seed: u32) -> (T::Keys, Vec<u8>);

	/// A pre-runtime digest item from which `Config::FindAuthor` finds an active validator.
	fn author_digest() -> polkadot_sdk::sp_runtime::DigestItem;
}
