//! The runtime APIs: the standard ones for the node and wallets, and the registry API.

use alloc::vec::Vec;
use pallet_licensing_runtime_api::{Contributor, License, LicenseId, Offer, OfferId, RoyaltySplit};
use pallet_registry_runtime_api::{
	AliasMove, AliasName, ChildPage, LineageEdge, RepoName, RepositoryView, VersionId, VersionInfo,
	VersionPage, VersionRef,
};
use polkadot_sdk::{
	frame_support::{
		genesis_builder_helper::{build_state, get_preset},
		weights::Weight,
	},
	frame_system_rpc_runtime_api,
	pallet_grandpa::AuthorityId as GrandpaId,
	pallet_transaction_payment, pallet_transaction_payment_rpc_runtime_api,
	sp_api::{self, impl_runtime_apis},
	sp_block_builder, sp_consensus_aura,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa,
	sp_core::{crypto::KeyTypeId, OpaqueMetadata},
	sp_genesis_builder, sp_inherents, sp_offchain,
	sp_runtime::{
		traits::{Block as BlockT, NumberFor},
		transaction_validity::{TransactionSource, TransactionValidity},
		ApplyExtrinsicResult,
	},
	sp_session, sp_transaction_pool,
	sp_version::RuntimeVersion,
};

use super::{
	AccountId, Aura, Balance, Block, BlockNumber, Executive, Grandpa, InherentDataExt, Licensing,
	Moment, Nonce, Promotion, Registry, Runtime, RuntimeCall, RuntimeGenesisConfig, SessionKeys,
	StorageProofs, System, TransactionPayment, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> polkadot_sdk::sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl polkadot_sdk::frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: polkadot_sdk::frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, polkadot_sdk::frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			polkadot_sdk::pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			// No session pallet: key ownership cannot be proven.
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_registry_runtime_api::RegistryApi<Block, AccountId, Balance, BlockNumber, Moment> for Runtime {
		fn version(id: VersionId) -> Option<VersionInfo<AccountId, Balance, BlockNumber, Moment>> {
			Registry::version_info(id)
		}

		fn repository(repo: RepoName) -> Option<RepositoryView<AccountId, Balance, BlockNumber>> {
			Registry::repository_view(repo)
		}

		fn versions(repo: RepoName, cursor: Option<u32>, limit: u32) -> VersionPage {
			Registry::versions_page(repo, cursor, limit)
		}

		fn resolve(repo: RepoName, reference: VersionRef) -> Option<VersionId> {
			Registry::resolve(repo, reference)
		}

		fn ancestors(id: VersionId, max_depth: u32) -> Vec<LineageEdge> {
			Registry::ancestors(id, max_depth)
		}

		fn children(id: VersionId, cursor: Option<VersionId>, limit: u32) -> ChildPage {
			Registry::children(id, cursor, limit)
		}

		fn alias_history(repo: RepoName, alias: AliasName) -> Vec<AliasMove<AccountId, Balance, BlockNumber, Moment>> {
			Registry::alias_history(repo, alias)
		}
	}

	impl pallet_licensing_runtime_api::LicensingApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn licenses_of(account: AccountId) -> Vec<(LicenseId, License<AccountId, Balance, BlockNumber>)> {
			Licensing::licenses_of(account)
		}

		fn license(id: LicenseId) -> Option<License<AccountId, Balance, BlockNumber>> {
			Licensing::license(id)
		}

		fn offers(version: VersionId) -> Vec<(OfferId, Offer<AccountId, Balance, BlockNumber>)> {
			Licensing::offers_for(version)
		}

		fn offer(id: OfferId) -> Option<Offer<AccountId, Balance, BlockNumber>> {
			Licensing::offer(id)
		}

		fn contributors(version: VersionId) -> Vec<Contributor<AccountId>> {
			Licensing::contributors_of(version)
		}

		fn royalty_split(version: VersionId, amount: Balance) -> Option<RoyaltySplit<AccountId, Balance>> {
			Licensing::royalty_split(version, amount)
		}

		fn has_valid_license(account: AccountId, version: VersionId) -> bool {
			Licensing::has_valid_license(&account, &version)
		}
	}

	impl pallet_promotion_runtime_api::PromotionApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn attestors() -> Vec<(AccountId, pallet_promotion_runtime_api::AttestorInfo<Balance>)> {
			Promotion::attestors()
		}

		fn attestations(version: VersionId) -> Vec<(pallet_promotion_runtime_api::AttestationId, pallet_promotion_runtime_api::Attestation<AccountId, Balance, BlockNumber>, bool)> {
			Promotion::attestations_of(&version)
		}

		fn gate(repo: RepoName, alias: AliasName) -> Option<pallet_promotion_runtime_api::Gate<BlockNumber>> {
			pallet_promotion::Gates::<Runtime>::get(repo, alias)
		}

		fn gate_history(repo: RepoName, alias: AliasName) -> Vec<pallet_promotion_runtime_api::GateChange<AccountId, Balance, BlockNumber>> {
			Promotion::gate_history(&repo, &alias)
		}

		fn gate_status(repo: RepoName, alias: AliasName, version: VersionId) -> Option<pallet_promotion_runtime_api::GateStatus> {
			Promotion::gate_status(&repo, &alias, &version)
		}

		fn promotion(repo: RepoName, alias: AliasName) -> Option<pallet_promotion_runtime_api::Promotion<BlockNumber>> {
			pallet_promotion::Promotions::<Runtime>::get(repo, alias)
		}

		fn approval(repo: RepoName, alias: AliasName) -> Option<pallet_promotion_runtime_api::PromotionApproval<BlockNumber>> {
			pallet_promotion::Approvals::<Runtime>::get(repo, alias)
		}

		fn dispute(id: pallet_promotion_runtime_api::DisputeId) -> Option<pallet_promotion_runtime_api::Dispute<AccountId, Balance, BlockNumber>> {
			pallet_promotion::Disputes::<Runtime>::get(id)
		}

		fn disputes(version: VersionId) -> Vec<(pallet_promotion_runtime_api::DisputeId, pallet_promotion_runtime_api::Dispute<AccountId, Balance, BlockNumber>)> {
			Promotion::disputes_of(&version)
		}

		fn yank_snapshots(version: VersionId) -> Vec<(BlockNumber, pallet_promotion_runtime_api::YankSnapshot<AccountId, Balance, BlockNumber>)> {
			Promotion::yank_snapshots_of(&version)
		}
	}

	impl pallet_storage_proofs_runtime_api::StorageProofsApi<Block, AccountId, Balance, BlockNumber, AuraId> for Runtime {
		fn provider(who: AccountId) -> Option<pallet_storage_proofs_runtime_api::ProviderInfo<Balance, BlockNumber>> {
			StorageProofs::provider(&who)
		}

		fn pledges_of_version(version: VersionId) -> Vec<(pallet_storage_proofs_runtime_api::PledgeId, pallet_storage_proofs_runtime_api::Pledge<AccountId, Balance, BlockNumber>)> {
			StorageProofs::pledges_of_version(&version)
		}

		fn pledges_of_provider(who: AccountId) -> Vec<(pallet_storage_proofs_runtime_api::PledgeId, pallet_storage_proofs_runtime_api::Pledge<AccountId, Balance, BlockNumber>)> {
			StorageProofs::pledges_of_provider(&who)
		}

		fn open_challenges(who: AccountId) -> Vec<pallet_storage_proofs_runtime_api::ChallengeView<AccountId, BlockNumber>> {
			StorageProofs::open_challenges(&who)
		}

		fn history(pledge: pallet_storage_proofs_runtime_api::PledgeId) -> Vec<pallet_storage_proofs_runtime_api::ChallengeRecord<Balance, BlockNumber>> {
			StorageProofs::history(pledge)
		}

		fn round() -> (pallet_storage_proofs_runtime_api::Round<BlockNumber>, BlockNumber) {
			(
				pallet_storage_proofs::CurrentRound::<Runtime>::get(),
				pallet_storage_proofs::ChallengePeriod::<Runtime>::get(),
			)
		}

		fn availability(version: VersionId) -> Vec<pallet_storage_proofs_runtime_api::UriAvailability<BlockNumber, AuraId>> {
			pallet_storage_proofs::Availability::<Runtime>::get(version).into_inner()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl polkadot_sdk::frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<polkadot_sdk::frame_benchmarking::BenchmarkList>,
			Vec<polkadot_sdk::frame_support::traits::StorageInfo>,
		) {
			use polkadot_sdk::frame_benchmarking::{BenchmarkList, baseline};
			use polkadot_sdk::frame_support::traits::StorageInfoTrait;
			use polkadot_sdk::frame_system_benchmarking::Pallet as SystemBench;
			use polkadot_sdk::frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: polkadot_sdk::frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<polkadot_sdk::frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use polkadot_sdk::frame_benchmarking::{BenchmarkBatch, baseline};
			use polkadot_sdk::sp_storage::TrackedStorageKey;
			use polkadot_sdk::frame_system_benchmarking::Pallet as SystemBench;
			use polkadot_sdk::frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;
			use super::*;

			impl polkadot_sdk::frame_system_benchmarking::Config for Runtime {}
			impl baseline::Config for Runtime {}

			use polkadot_sdk::frame_support::traits::WhitelistedStorageKeys;
			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl polkadot_sdk::frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(
			checks: polkadot_sdk::frame_try_runtime::UpgradeCheckSelect,
		) -> (Weight, Weight) {
			try_runtime::on_runtime_upgrade(checks)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: polkadot_sdk::frame_try_runtime::TryStateSelect,
		) -> Weight {
			try_runtime::execute_block(block, state_root_check, signature_check, select)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}

/// The `TryRuntime` API's bodies, public so that `owh-try-runtime` runs exactly them natively.
/// `try-runtime` builds are test tools that never run on a live chain, and the API reports a
/// failed check by panicking, so `expect` is the intended signal.
#[cfg(feature = "try-runtime")]
#[allow(clippy::expect_used)]
pub mod try_runtime {
	use super::{Block, BlockT, Executive, Runtime, Weight};
	use polkadot_sdk::{
		frame_system,
		frame_try_runtime::{TryStateSelect, UpgradeCheckSelect},
	};

	/// Runs the runtime's migrations with the selected pre/post-upgrade and try-state checks;
	/// returns their weight and the block's maximum weight to compare it with.
	pub fn on_runtime_upgrade(checks: UpgradeCheckSelect) -> (Weight, Weight) {
		let weight = Executive::try_runtime_upgrade(checks)
			.expect("the runtime upgrade's checks failed (see the log for which)");
		let max_block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		(weight, max_block)
	}

	/// Re-executes `block` on the state before it, with the selected checks.
	pub fn execute_block(
		block: <Block as BlockT>::LazyBlock,
		state_root_check: bool,
		signature_check: bool,
		select: TryStateSelect,
	) -> Weight {
		Executive::try_execute_block(block, state_root_check, signature_check, select)
			.expect("executing the block failed its checks (see the log for which)")
	}
}
