//! The pallets benchmarked in this runtime.

polkadot_sdk::frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_registry, Registry]
	[pallet_licensing, Licensing]
	[pallet_validator_set, ValidatorSet]
	[pallet_storage_proofs, StorageProofs]
	[pallet_promotion, Promotion]
	[pallet_scheduler, Scheduler]
	[pallet_preimage, Preimage]
	[pallet_referenda, Referenda]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_collective, Council]
	[pallet_membership, Membership]
	[pallet_parameters, Parameters]
);
