//! Sessions and the governed validator set: `pallet-session` rotates the Aura and GRANDPA
//! authorities at session boundaries, `pallet-validator-set` decides who they are.

#[cfg(test)]
mod tests;

use super::governance::{dynamic_params::storage as deposits, ValidatorAdminOrigin};
use crate::{
	AccountId, Aura, Balance, Balances, BlockNumber, Grandpa, Runtime, RuntimeCall, RuntimeEvent,
	SessionKeys, ValidatorSet, MINUTES,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		traits::{ConstU32, Contains, Get, OnRuntimeUpgrade},
		weights::Weight,
		BoundedVec,
	},
	frame_system, pallet_aura, pallet_session,
	sp_runtime::traits::{ConvertInto, OpaqueKeys},
};

/// Most validators, and the most authorities Aura and GRANDPA accept.
pub const MAX_VALIDATORS: u32 = 32;
/// A removal that would leave fewer validators is refused.
pub const MIN_VALIDATORS: u32 = 1;
/// Blocks between two changes of one account's session keys (one hour).
pub const KEY_CHANGE_COOLDOWN: BlockNumber = 60 * MINUTES;
/// The session length of the production presets (one hour); development presets use
/// [`DEV_SESSION_LENGTH`].
pub const SESSION_LENGTH: BlockNumber = 60 * MINUTES;
/// The session length of the development presets (one minute), so that a validator-set change
/// shows within two to three minutes.
pub const DEV_SESSION_LENGTH: BlockNumber = MINUTES;

/// Storage a registration adds: `NextKeys`, two `KeyOwner` entries and `LastKeyChange`.
const SESSION_KEY_ITEMS: Balance = 4;
/// Their encoded keys and values, in bytes (hashed keys included).
const SESSION_KEY_BYTES: Balance = 320;

/// The deposit held while an account has session keys, by the runtime's deposit rule.
pub struct KeyDeposit;
impl Get<Balance> for KeyDeposit {
	fn get() -> Balance {
		deposits::DepositPerItem::get()
			.saturating_mul(SESSION_KEY_ITEMS)
			.saturating_add(deposits::DepositPerByte::get().saturating_mul(SESSION_KEY_BYTES))
	}
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = KeyDeposit;
}

impl pallet_validator_set::Config for Runtime {
	type AdminOrigin = ValidatorAdminOrigin;
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Runtime, Aura>;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MinValidators = ConstU32<MIN_VALIDATORS>;
	type KeyChangeCooldown = ConstU32<KEY_CHANGE_COOLDOWN>;
	type MinSessionLength = ConstU32<10>;
	type MaxSessionLength = ConstU32<{ 24 * 60 * MINUTES }>;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmarks::SessionKeysHelper;
}

/// The runtime's call filter: `Session::set_keys` and `Session::purge_keys` go through
/// `ValidatorSet`, which adds the cooldown and refuses to strip a validator of its keys.
pub struct RuntimeCallFilter;
impl Contains<RuntimeCall> for RuntimeCallFilter {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::Session(_))
	}
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmarks {
	use crate::{AccountId, Runtime, SessionKeys};
	use alloc::vec::Vec;
	use codec::Encode;
	use polkadot_sdk::{
		sp_consensus_aura::{Slot, AURA_ENGINE_ID},
		sp_runtime::DigestItem,
	};

	/// Keys generated in the benchmark's keystore, with their ownership proof.
	pub struct SessionKeysHelper;
	impl pallet_validator_set::BenchmarkHelper<Runtime> for SessionKeysHelper {
		fn session_keys(owner: &AccountId, seed: u32) -> (SessionKeys, Vec<u8>) {
			let seed = alloc::format!("//bench-session-keys-{seed}").into_bytes();
			let generated = SessionKeys::generate(&owner.encode(), Some(seed));
			(generated.keys, generated.proof.encode())
		}

		fn author_digest() -> DigestItem {
			DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(0u64).encode())
		}
	}
}

/// Seats the Aura and GRANDPA authorities of a chain that ran without sessions (spec 106 and
/// earlier) as its validator set, so that the first session rotation keeps them instead of
/// leaving Aura without authorities. Each authority's Aura key doubles as its account (true
/// of every preset); its keys count as registered without a deposit until it rotates them.
/// A no-op on a chain that has a session set.
pub struct SeatConsensusAuthorities;
impl OnRuntimeUpgrade for SeatConsensusAuthorities {
	fn on_runtime_upgrade() -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		if !pallet_session::Validators::<Runtime>::get().is_empty() {
			return db.reads(1);
		}
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let grandpa = Grandpa::grandpa_authorities();
		if aura.is_empty() || aura.len() != grandpa.len() {
			log::error!(
				target: "runtime::validators",
				"not seating {} Aura and {} GRANDPA authorities: counts differ",
				aura.len(),
				grandpa.len()
			);
			return db.reads(3);
		}
		let mut queued = Vec::with_capacity(aura.len());
		for (aura_key, (grandpa_key, _)) in aura.iter().zip(grandpa) {
			let account = AccountId::from(aura_key.clone().into_inner());
			let keys = SessionKeys {
				aura: aura_key.clone(),
				grandpa: grandpa_key,
			};
			for id in SessionKeys::key_ids() {
				pallet_session::KeyOwner::<Runtime>::insert(
					(*id, keys.get_raw(*id).to_vec()),
					&account,
				);
			}
			pallet_session::NextKeys::<Runtime>::insert(&account, &keys);
			pallet_session::ExternallySetKeys::<Runtime>::insert(&account, ());
			queued.push((account, keys));
		}
		let active: Vec<AccountId> = queued.iter().map(|(who, _)| who.clone()).collect();
		let mut planned = active.clone();
		planned.sort();
		planned.dedup();
		let seated = planned.len() as u64;
		pallet_validator_set::Validators::<Runtime>::put(BoundedVec::truncate_from(planned));
		pallet_session::Validators::<Runtime>::put(active);
		pallet_session::QueuedKeys::<Runtime>::put(queued);
		pallet_validator_set::SessionLength::<Runtime>::put(SESSION_LENGTH);
		pallet_validator_set::SessionStart::<Runtime>::put(
			frame_system::Pallet::<Runtime>::block_number(),
		);
		log::info!(target: "runtime::validators", "seated {seated} authorities as validators");
		db.reads_writes(3, seated.saturating_mul(5).saturating_add(6))
	}
}
