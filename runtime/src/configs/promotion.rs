//! Gated promotion: attestors, gates of protected aliases, disputes.

use super::{
	governance::{
		dynamic_params::storage::{DepositPerByte, DepositPerItem},
		origins, CouncilTwoThirds, RegistryAdminOrigin,
	},
	storage::StoragePot,
};
use crate::{
	AccountId, Balances, Promotion, Registry, Runtime, RuntimeHoldReason, Signature, UNIT,
};
use owh_primitives::{promotion::Approval, AliasName, RepoName, VersionId};
use pallet_promotion::WeightInfo as _;
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU128, ConstU32, EitherOf, MapSuccess},
		weights::Weight,
	},
	frame_system::EnsureRoot,
	sp_runtime::{
		traits::{Replace, Verify},
		DispatchResult, Perbill,
	},
};

parameter_types! {
	pub const ByCouncil: Approval = Approval::Council;
	pub const ByReferendum: Approval = Approval::Referendum;
	/// Half of a slashed attestor bond rewards the disputer who proved the attestation false;
	/// the rest goes to the storage pot, which pays storage providers' rewards.
	pub const DisputerShare: Perbill = Perbill::from_percent(50);
}

/// A referendum on the `registry_admin` track (or root) approves as a referendum; two thirds
/// of the council as the council.
pub type ApprovePromotionOrigin = EitherOf<
	MapSuccess<EitherOf<EnsureRoot<AccountId>, origins::RegistryAdmin>, Replace<ByReferendum>>,
	MapSuccess<CouncilTwoThirds, Replace<ByCouncil>>,
>;

impl pallet_promotion::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type Signature = Signature;
	type Signer = <Signature as Verify>::Signer;
	type AdminOrigin = RegistryAdminOrigin;
	type ApproveOrigin = ApprovePromotionOrigin;
	type AttestorBond = ConstU128<{ 100 * UNIT }>;
	type DisputeBond = ConstU128<{ 10 * UNIT }>;
	type DisputerShare = DisputerShare;
	type SlashDestination = StoragePot;
	type MaxAttestors = ConstU32<64>;
	// The registry's deposit rule, so every stored item pays by the same formula.
	type DepositPerItem = DepositPerItem;
	type DepositPerByte = DepositPerByte;
	type WeightInfo = pallet_promotion::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = PromotionBenchmarks;
}

/// The registry's benchmark helper, and an sr25519 attestor key in the benchmark keystore.
#[cfg(feature = "runtime-benchmarks")]
pub struct PromotionBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl owh_primitives::licensing::ModelRegistryBenchmarkHelper<AccountId> for PromotionBenchmarks {
	fn register_version(
		owner: &AccountId,
		repo: &RepoName,
		parents: alloc::vec::Vec<VersionId>,
		salt: u32,
	) -> VersionId {
		<Registry as owh_primitives::licensing::ModelRegistryBenchmarkHelper<AccountId>>::register_version(owner, repo, parents, salt)
	}
	fn point_alias(repo: &RepoName, alias: &AliasName, version: VersionId) {
		<Registry as owh_primitives::licensing::ModelRegistryBenchmarkHelper<AccountId>>::point_alias(repo, alias, version)
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl pallet_promotion::BenchmarkHelper<AccountId, Signature> for PromotionBenchmarks {
	fn signer() -> (AccountId, fn(&[u8]) -> Signature) {
		use polkadot_sdk::{
			sp_core::crypto::KeyTypeId, sp_io, sp_runtime::traits::IdentifyAccount,
		};
		const KEY: KeyTypeId = KeyTypeId(*b"owha");
		// A seeded key: the signing function finds the same one again.
		let key = || sp_io::crypto::sr25519_generate(KEY, Some(b"//attestor".to_vec()));
		let who = <Signature as Verify>::Signer::from(key()).into_account();
		(who, |message| {
			let public = sp_io::crypto::sr25519_generate(KEY, Some(b"//attestor".to_vec()));
			sp_io::crypto::sr25519_sign(KEY, &public, message)
				.expect("the key was generated in the keystore")
				.into()
		})
	}
}

/// The registry asks the promotion pallet before an alias moves and tells it of yanks.
pub struct PromotionGuard;
impl pallet_registry::AliasGuard<AccountId> for PromotionGuard {
	fn on_alias_move(repo: &RepoName, alias: &AliasName, to: Option<&VersionId>) -> DispatchResult {
		Promotion::on_alias_move(repo, alias, to)
	}
	fn protected_aliases_at(version: &VersionId) -> u32 {
		Promotion::protected_aliases_at(version)
	}
	fn on_yank(who: Option<&AccountId>, version: &VersionId) -> DispatchResult {
		Promotion::on_yank(who, version)
	}
	fn yanked_while_protected(version: &VersionId, alias: &AliasName) -> bool {
		Promotion::yanked_while_protected(version, alias)
	}
	fn move_weight() -> Weight {
		pallet_promotion::weights::SubstrateWeight::<Runtime>::on_alias_move()
	}
	fn yank_weight() -> Weight {
		pallet_promotion::weights::SubstrateWeight::<Runtime>::on_yank()
	}
}
