//! Runtime API of the OpenWeightHub storage proofs: providers, pledges, open challenges and
//! the history of closed ones.
//!
//! Clients (the `owh` CLI, the provider daemon, polkadot.js apps) call it through
//! `state_call`; its types are in the runtime metadata.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use owh_primitives::{
	availability::{ProbeOutcome, UriAvailability},
	storage::{ChallengeId, ChallengeRecord, ChallengeView, Pledge, PledgeId, ProviderInfo, Round},
	VersionId,
};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Read access to storage providers, their pledges and their challenges, and to what the
	/// validators' off-chain workers found at each version's URIs.
	#[api_version(2)]
	pub trait StorageProofsApi<AccountId, Balance, BlockNumber, ReporterId>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
		ReporterId: Codec,
	{
		/// A registered provider.
		fn provider(who: AccountId) -> Option<ProviderInfo<Balance, BlockNumber>>;
		/// Every active pledge of a version.
		fn pledges_of_version(version: VersionId) -> Vec<(PledgeId, Pledge<AccountId, Balance, BlockNumber>)>;
		/// Every active pledge of a provider.
		fn pledges_of_provider(who: AccountId) -> Vec<(PledgeId, Pledge<AccountId, Balance, BlockNumber>)>;
		/// The provider's unanswered challenges of the current round, with the artifact, chunk
		/// and segment each asks for.
		fn open_challenges(who: AccountId) -> Vec<ChallengeView<AccountId, BlockNumber>>;
		/// A pledge's closed challenges (answered or missed), oldest first.
		fn history(pledge: PledgeId) -> Vec<ChallengeRecord<Balance, BlockNumber>>;
		/// The current round and the round length that the next round will use.
		fn round() -> (Round<BlockNumber>, BlockNumber);
		/// The version's URIs (manifest URIs and mirror bases) as the validators last probed
		/// them: last success, failures in a row, and who saw each serve.
		fn availability(version: VersionId) -> Vec<UriAvailability<BlockNumber, ReporterId>>;
	}
}
