//! Aura block production, GRANDPA finality and the timestamp they share. Their authorities
//! come from the session (`validators.rs`).

use super::validators::MAX_VALIDATORS;
use crate::{Aura, Runtime, RuntimeEvent, Session, SLOT_DURATION};
use polkadot_sdk::{
	frame_support::traits::{ConstBool, ConstU32, ConstU64},
	pallet_aura, pallet_grandpa, pallet_timestamp,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_core,
};

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = Session;
	type MaxAuthorities = ConstU32<MAX_VALIDATORS>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_VALIDATORS>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}
