//! RPC extensions: System (nonces, dry-run), TransactionPayment, GRANDPA (round state,
//! justifications, `grandpa_proveFinality`), and `owh_finalityProof`, the chain of GRANDPA
//! justifications across authority-set changes that `owh` checks finality with, from its trust
//! anchor. Everything registry-related is a runtime API, reached through the standard
//! `state_call`.

use std::sync::Arc;

use jsonrpsee::RpcModule;
use owh_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash, Nonce};
use polkadot_sdk::{
	pallet_transaction_payment_rpc::{self, TransactionPayment, TransactionPaymentApiServer},
	sc_consensus_grandpa::{
		FinalityProofProvider, GrandpaJustificationStream, SharedAuthoritySet, SharedVoterState,
	},
	sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer},
	sc_network_sync::strategy::warp::WarpSyncProvider,
	sc_rpc::SubscriptionTaskExecutor,
	sc_transaction_pool_api::TransactionPool,
	sp_api::ProvideRuntimeApi,
	sp_block_builder::BlockBuilder,
	sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata},
	substrate_frame_rpc_system::{self, System, SystemApiServer},
};

/// What the GRANDPA RPC needs.
pub struct GrandpaDeps<B> {
	/// The voter's state (rounds and votes).
	pub shared_voter_state: SharedVoterState,
	/// The authority set and its pending changes.
	pub shared_authority_set: SharedAuthoritySet<Hash, BlockNumber>,
	/// Justifications as blocks are finalized.
	pub justification_stream: GrandpaJustificationStream<Block>,
	/// Runs the justification subscriptions.
	pub subscription_executor: SubscriptionTaskExecutor,
	/// Builds finality proofs from the backend.
	pub finality_provider: Arc<FinalityProofProvider<B, Block>>,
	/// Builds warp-sync proofs: the justified last block of every authority set since a block,
	/// then the newest justification.
	pub warp_proofs: Arc<dyn WarpSyncProvider<Block>>,
}

/// What the RPC extensions need.
pub struct FullDeps<C, P, B> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// GRANDPA's parts.
	pub grandpa: GrandpaDeps<B>,
}

/// The node's RPC extensions.
pub fn create_full<C, P, B>(
	deps: FullDeps<C, P, B>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	B: polkadot_sdk::sc_client_api::Backend<Block> + Send + Sync + 'static,
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	let mut module = RpcModule::new(());
	let FullDeps {
		client,
		pool,
		grandpa,
	} = deps;
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client).into_rpc())?;
	module.merge(
		Grandpa::new(
			grandpa.subscription_executor,
			grandpa.shared_authority_set,
			grandpa.shared_voter_state,
			grandpa.justification_stream,
			grandpa.finality_provider,
		)
		.into_rpc(),
	)?;
	module.merge(finality_proof_rpc(grandpa.warp_proofs)?)?;
	Ok(module)
}

/// `owh_finalityProof(begin: block hash) -> 0x-hex`: the SCALE-encoded GRANDPA warp-sync proof
/// from `begin` (a finalized block): for each authority set that ended after it, the set's
/// last block header and its justification, then the newest justification and its header,
/// and whether the proof is complete (at most 8 MiB per answer; ask again from the last
/// header). Unlike `grandpa_proveFinality`, it also answers on a chain whose set never changed.
fn finality_proof_rpc(
	provider: Arc<dyn WarpSyncProvider<Block>>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>> {
	use jsonrpsee::types::ErrorObjectOwned;
	let mut module = RpcModule::new(());
	module.register_blocking_method("owh_finalityProof", move |params, _, _| {
		let begin: Hash = params.one()?;
		provider
			.generate(begin)
			.map(|proof| format!("0x{}", hex::encode(proof.0)))
			.map_err(|e| {
				ErrorObjectOwned::owned(
					1,
					format!("no finality proof from {begin:?}: {e}"),
					None::<()>,
				)
			})
	})?;
	Ok(module)
}
