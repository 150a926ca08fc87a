//! Chain access over subxt: registry and licensing runtime API reads, balances, and
//! transaction submission.
//!
//! The registry types are the SCALE types of `owh-primitives`, passed through subxt's `Static`
//! adapter, so no generated metadata file has to be kept in step with the runtime.
//!
//! [`proof`] checks finality and storage proofs against a trust anchor; [`audit`] builds and
//! checks receipts from them.

pub mod audit;
pub mod proof;

use crate::exit::{failed, Kind};
use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, Encode};
use owh_primitives::{
	licensing::{Contributor, License, LicenseId, Offer, OfferId, OfferTarget, RoyaltySplit},
	registry::{
		AliasMove, ChildPage, LineageEdge, RepositoryView, VersionInfo, VersionPage, VersionRef,
	},
	AliasName, RepoName, VersionId,
};
use subxt::{
	dynamic::{At, Value},
	error::{
		DispatchError, TransactionEventsError, TransactionProgressError, TransactionStatusError,
	},
	utils::{AccountId32, Static},
	OnlineClient, SubstrateConfig,
};
use subxt_signer::sr25519::Keypair;

pub type Balance = u128;
pub type BlockNumber = u32;
pub type Moment = u64;
pub type Info = VersionInfo<AccountId32, Balance, BlockNumber, Moment>;
pub type Repository = RepositoryView<AccountId32, Balance, BlockNumber>;
pub type AliasEvent = AliasMove<AccountId32, Balance, BlockNumber, Moment>;
pub type OfferRecord = Offer<AccountId32, Balance, BlockNumber>;
pub type LicenseRecord = License<AccountId32, Balance, BlockNumber>;
pub type Split = RoyaltySplit<AccountId32, Balance>;
pub type ProviderRecord = owh_primitives::storage::ProviderInfo<Balance, BlockNumber>;
pub type PledgeRecord = owh_primitives::storage::Pledge<AccountId32, Balance, BlockNumber>;
/// What the validators found at one URI of a version; witnesses are sr25519 session keys.
pub type UriAvailability = owh_primitives::availability::UriAvailability<BlockNumber, [u8; 32]>;
pub type OpenChallenge = owh_primitives::storage::ChallengeView<AccountId32, BlockNumber>;
pub type ClosedChallenge = owh_primitives::storage::ChallengeRecord<Balance, BlockNumber>;
pub type StorageRound = owh_primitives::storage::Round<BlockNumber>;
pub type AttestationRecord =
	owh_primitives::promotion::Attestation<AccountId32, Balance, BlockNumber>;
pub type AttestorRecord = owh_primitives::promotion::AttestorInfo<Balance>;
pub type GateRecord = owh_primitives::promotion::Gate<BlockNumber>;
pub type GateChangeRecord =
	owh_primitives::promotion::GateChange<AccountId32, Balance, BlockNumber>;
pub type PromotionRecord = owh_primitives::promotion::Promotion<BlockNumber>;
pub type DisputeRecord = owh_primitives::promotion::Dispute<AccountId32, Balance, BlockNumber>;

/// `pallet_balances::AccountData` inside `frame_system::AccountInfo`.
#[derive(Decode, Clone, Debug, Default)]
pub struct AccountInfo {
	pub nonce: u32,
	pub consumers: u32,
	pub providers: u32,
	pub sufficients: u32,
	pub free: Balance,
	pub reserved: Balance,
	pub frozen: Balance,
	pub flags: Balance,
}

/// The chain's signature type (`sp_runtime::MultiSignature`), sr25519 variant only.
#[derive(Encode, Decode, Clone, Debug)]
pub enum MultiSignature {
	#[codec(index = 1)]
	Sr25519([u8; 64]),
}

/// `pallet_registry::AuthorSignature`.
#[derive(Encode, Decode, Clone, Debug)]
pub struct AuthorSignature {
	pub author: AccountId32,
	pub signature: MultiSignature,
}

/// The message an author signs for a version on the chain with this genesis hash (see
/// `owh_primitives::registry::author_payload`).
pub fn author_payload(genesis: &[u8; 32], id: &VersionId) -> Vec<u8> {
	owh_primitives::registry::author_payload(genesis, id).to_vec()
}

/// Signs a version id as its author, for the chain with this genesis hash.
pub fn sign_version(pair: &Keypair, genesis: &[u8; 32], id: &VersionId) -> AuthorSignature {
	AuthorSignature {
		author: pair.public_key().to_account_id(),
		signature: MultiSignature::Sr25519(pair.sign(&author_payload(genesis, id)).0),
	}
}

/// Whether an sr25519 `signature` by `author` covers the author payload of `id` on the chain
/// with this genesis hash, raw or wrapped in `<Bytes>…</Bytes>` (as polkadot.js and wallet
/// extensions sign), the same two forms the runtime accepts.
pub fn author_signature_valid(
	genesis: &[u8; 32],
	id: &VersionId,
	author: &AccountId32,
	signature: &[u8; 64],
) -> bool {
	let public = subxt_signer::sr25519::PublicKey(author.0);
	let signature = subxt_signer::sr25519::Signature(*signature);
	let payload = author_payload(genesis, id);
	subxt_signer::sr25519::verify(&signature, &payload, &public)
		|| subxt_signer::sr25519::verify(
			&signature,
			owh_primitives::registry::wrapped_payload(&payload),
			&public,
		)
}

/// How long a submission waits: until its block is finalized (the default), or only until
/// it is in a block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Wait {
	/// Return as soon as the transaction is in a block (it may still be reorganized away).
	InBlock,
	/// Return once GRANDPA finalizes its block.
	#[default]
	Finalized,
}

/// Where a transaction landed: its block, finalized unless the caller asked for less.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Receipt {
	pub block_number: u64,
	pub block_hash: String,
	pub extrinsic_hash: String,
	/// Whether the block is finalized (only [`Wait::InBlock`] returns with it not yet so).
	pub finalized: bool,
	/// The transaction's events: pallet, event name and SCALE-encoded fields.
	#[serde(skip)]
	pub events: Vec<(String, String, Vec<u8>)>,
}

impl Receipt {
	/// The fields of every `pallet::name` event, decoded as `E`.
	pub fn events_of<E: Decode>(&self, pallet: &str, name: &str) -> Result<Vec<E>> {
		self.events
			.iter()
			.filter(|(p, n, _)| p == pallet && n == name)
			.map(|(_, _, bytes)| {
				E::decode(&mut &bytes[..])
					.map_err(|e| anyhow!("cannot decode the {pallet}::{name} event: {e}"))
			})
			.collect()
	}
}

pub struct Chain {
	/// subxt's client, which downloads the runtime metadata: made on first use (transactions,
	/// events, constants), so read-only commands never pay for the metadata.
	api: tokio::sync::OnceCell<OnlineClient<SubstrateConfig>>,
	rpc: subxt::rpcs::RpcClient,
	genesis: [u8; 32],
	/// Set when this machine holds a trust anchor for the chain: aliases, versions, yanks and
	/// mirrors are then read with storage proofs against a GRANDPA-finalized header.
	proofs: Option<Proofs>,
}

struct Proofs {
	anchor: crate::chain::proof::Anchor,
	dir: std::path::PathBuf,
	finalized: tokio::sync::OnceCell<crate::chain::proof::Finalized>,
}

/// Converts text into one of the primitives' bounded byte vectors of at most `max` bytes.
pub fn bounded<B: TryFrom<Vec<u8>>>(text: &str, what: &str, max: u32) -> Result<B> {
	B::try_from(text.as_bytes().to_vec())
		.map_err(|_| anyhow!("the {what} {text:?} is longer than {max} bytes"))
}

impl Chain {
	/// Connects to a node's WebSocket RPC endpoint.
	pub async fn connect(url: &str) -> Result<Self> {
		let unreachable = |e: &dyn std::fmt::Display| {
			failed(Kind::Unreachable, format!("cannot reach the chain at {url} ({e}); start a node (owh-node --dev) or pass --url"))
		};
		let rpc = if url.starts_with("ws://") {
			subxt::rpcs::RpcClient::from_insecure_url(url).await
		} else {
			subxt::rpcs::RpcClient::from_url(url).await
		}
		.map_err(|e| unreachable(&e))?;
		let genesis: subxt::utils::H256 = rpc
			.request("chain_getBlockHash", subxt::rpcs::rpc_params![0])
			.await
			.map_err(|e| unreachable(&e))?;
		Ok(Self {
			api: tokio::sync::OnceCell::new(),
			rpc,
			genesis: genesis.0,
			proofs: None,
		})
	}

	/// subxt's client (the runtime metadata is downloaded on the first call).
	async fn api(&self) -> Result<&OnlineClient<SubstrateConfig>> {
		self.api
			.get_or_try_init(|| OnlineClient::<SubstrateConfig>::from_rpc_client(self.rpc.clone()))
			.await
			.map_err(|e| {
				failed(
					Kind::Unreachable,
					format!("cannot read the chain's metadata ({e}); is this an OpenWeightHub node? Pass its address with --url"),
				)
			})
	}

	/// Connects, and reads through proofs when `anchors` holds this chain's trust anchor.
	pub async fn connect_anchored(url: &str, anchors: &std::path::Path) -> Result<Self> {
		let mut chain = Self::connect(url).await?;
		if let Some(anchor) = crate::chain::proof::Anchor::load(anchors, &chain.genesis_hash())? {
			chain.proofs = Some(Proofs {
				anchor,
				dir: anchors.to_path_buf(),
				finalized: tokio::sync::OnceCell::new(),
			});
		}
		Ok(chain)
	}

	/// Whether reads are proven (a trust anchor is configured for this chain).
	pub fn is_proven(&self) -> bool {
		self.proofs.is_some()
	}

	/// The trust anchor reads are proven from, if one is configured for this chain.
	pub fn anchor(&self) -> Option<&crate::chain::proof::Anchor> {
		self.proofs.as_ref().map(|p| &p.anchor)
	}

	/// The raw RPC client.
	pub fn rpc(&self) -> &subxt::rpcs::RpcClient {
		&self.rpc
	}

	/// The GRANDPA-finalized header reads are proven against (checked once per connection;
	/// an advanced authority set is saved as the new checkpoint).
	pub async fn finalized(&self) -> Result<Option<&crate::chain::proof::Finalized>> {
		let Some(proofs) = &self.proofs else {
			return Ok(None);
		};
		let finalized = proofs
			.finalized
			.get_or_try_init(|| async {
				let (finalized, advanced) =
					crate::chain::proof::prove_finalized(&self.rpc, &proofs.anchor).await?;
				let genesis = crate::chain::proof::read(
					&self.rpc,
					&finalized,
					&[crate::chain::proof::genesis_hash_key()],
				)
				.await?;
				crate::chain::proof::check_genesis(&proofs.anchor, genesis[0].as_deref())?;
				if advanced != proofs.anchor {
					advanced.save(&proofs.dir)?;
				}
				Ok::<_, anyhow::Error>(finalized)
			})
			.await?;
		Ok(Some(finalized))
	}

	/// Reads storage values with a proof at the proven block (`None`: proven absent). Only
	/// with a trust anchor.
	async fn proven_values(&self, keys: &[Vec<u8>]) -> Result<Vec<Option<Vec<u8>>>> {
		let Some(at) = self.finalized().await? else {
			bail!("no trust anchor for this chain: nothing can be proven");
		};
		if keys.is_empty() {
			return Ok(Vec::new());
		}
		crate::chain::proof::read(&self.rpc, at, keys).await
	}

	/// Reads storage values with a proof, if reads are proven.
	async fn proven<T: Decode>(&self, key: Vec<u8>, what: &str) -> Result<Option<Option<T>>> {
		let Some(at) = self.finalized().await? else {
			return Ok(None);
		};
		let value = crate::chain::proof::read(&self.rpc, at, std::slice::from_ref(&key))
			.await?
			.pop()
			.flatten();
		match value {
			None => Ok(Some(None)),
			Some(bytes) => T::decode(&mut &bytes[..])
				.map(|v| Some(Some(v)))
				.map_err(|e| {
					failed(
						Kind::Untrusted,
						format!("the proven {what} does not decode: {e}"),
					)
				}),
		}
	}

	/// The numbers of the blocks the node finalizes from now on (a subscription; a gap in
	/// finality yields each block in turn). Ends or fails when the connection does.
	pub async fn finalized_blocks(
		&self,
	) -> Result<impl futures_util::Stream<Item = Result<u64>> + Unpin + use<>> {
		use futures_util::StreamExt;
		let blocks = self
			.api()
			.await?
			.stream_blocks()
			.await
			.context("cannot follow the finalized blocks")?;
		Ok(blocks.map(|block| {
			block
				.map(|b| b.number())
				.map_err(|e| anyhow!("the finalized-block subscription failed: {e}"))
		}))
	}

	/// The genesis hash of the chain, which author signatures are bound to.
	pub fn genesis_hash(&self) -> [u8; 32] {
		self.genesis
	}

	async fn call<Args, R>(&self, method: &str, args: Args) -> Result<R>
	where
		Args: Encode,
		R: Decode,
	{
		self.call_api("RegistryApi", method, args).await
	}

	/// Calls a runtime API at the finalized head with SCALE-encoded arguments: two plain RPC
	/// requests, no metadata (the argument and result types are the runtime's own).
	async fn call_api<Args, R>(&self, api: &str, method: &str, args: Args) -> Result<R>
	where
		Args: Encode,
		R: Decode,
	{
		let head: subxt::utils::H256 = self
			.rpc
			.request("chain_getFinalizedHead", subxt::rpcs::rpc_params![])
			.await
			.map_err(|e| {
				failed(
					Kind::Unreachable,
					format!("cannot read the chain head: {e}"),
				)
			})?;
		let failed_call = |e: &dyn std::fmt::Display| {
			failed(Kind::Unreachable, format!("runtime API {api}_{method} failed ({e}); is this an OpenWeightHub node with the current runtime?"))
		};
		let answer: String = self
			.rpc
			.request(
				"state_call",
				subxt::rpcs::rpc_params![
					format!("{api}_{method}"),
					format!("0x{}", hex::encode(args.encode())),
					head
				],
			)
			.await
			.map_err(|e| failed_call(&e))?;
		let bytes = hex::decode(answer.trim_start_matches("0x")).map_err(|e| failed_call(&e))?;
		R::decode(&mut &bytes[..]).map_err(|e| failed_call(&e))
	}

	/// A version's record, refused unless its manifest hashes to `id` (the id is the
	/// manifest's SHA-256, so a node cannot swap the manifest or its Merkle roots).
	pub async fn version(&self, id: &VersionId) -> Result<Option<Info>> {
		if let Some(at) = self.finalized().await? {
			// Every field from the finalized state, proven; the node's own answer is not used.
			let values = crate::chain::proof::read(&self.rpc, at, &version_keys(id)).await?;
			return info_from_proven(id, &values);
		}
		let info: Option<Info> = self.call("version", (Static(*id),)).await?;
		if let Some(info) = &info {
			check_manifest(id, info)?;
		}
		Ok(info)
	}

	pub async fn repository(&self, repo: &str) -> Result<Option<Repository>> {
		let name: RepoName = bounded(repo, "repository name", owh_primitives::MAX_REPO_NAME_LEN)?;
		self.call("repository", (Static(name),)).await
	}

	pub async fn versions(
		&self,
		repo: &str,
		cursor: Option<u32>,
		limit: u32,
	) -> Result<VersionPage> {
		let name: RepoName = bounded(repo, "repository name", owh_primitives::MAX_REPO_NAME_LEN)?;
		self.call("versions", (Static(name), Static(cursor), Static(limit)))
			.await
	}

	pub async fn resolve(&self, repo: &str, reference: VersionRef) -> Result<Option<VersionId>> {
		let name: RepoName = bounded(repo, "repository name", owh_primitives::MAX_REPO_NAME_LEN)?;
		if let (VersionRef::Alias(alias), true) = (&reference, self.proofs.is_some()) {
			return Ok(self
				.proven(alias_key(&name, alias), "alias")
				.await?
				.flatten());
		}
		self.call("resolve", (Static(name), Static(reference)))
			.await
	}

	pub async fn ancestors(&self, id: &VersionId, depth: u32) -> Result<Vec<LineageEdge>> {
		self.call("ancestors", (Static(*id), Static(depth))).await
	}

	/// One page of a version's direct children, by id, after `cursor`.
	pub async fn children(
		&self,
		id: &VersionId,
		cursor: Option<VersionId>,
		limit: u32,
	) -> Result<ChildPage> {
		self.call("children", (Static(*id), Static(cursor), Static(limit)))
			.await
	}

	/// Children, grandchildren, … up to `depth` generations, breadth first, paging through
	/// each version's children. Stops after `limit` edges; the flag says whether more exist.
	pub async fn descendants(
		&self,
		id: &VersionId,
		depth: u32,
		limit: usize,
	) -> Result<(Vec<LineageEdge>, bool)> {
		const PAGE: u32 = 1000;
		let mut edges = Vec::new();
		let mut seen = std::collections::BTreeSet::from([*id]);
		let mut frontier = vec![*id];
		for generation in 1..=depth {
			let mut next = Vec::new();
			for parent in frontier {
				let mut cursor = None;
				loop {
					let page = self.children(&parent, cursor, PAGE).await?;
					for (child, relation) in page.items {
						if edges.len() >= limit {
							return Ok((edges, true));
						}
						edges.push(LineageEdge {
							parent,
							child,
							relation,
							depth: generation,
						});
						if seen.insert(child) {
							next.push(child);
						}
					}
					match page.next_cursor {
						Some(after) => cursor = Some(after),
						None => break,
					}
				}
			}
			if next.is_empty() {
				break;
			}
			frontier = next;
		}
		Ok((edges, false))
	}

	pub async fn alias_history(&self, repo: &str, alias: &str) -> Result<Vec<AliasEvent>> {
		let name: RepoName = bounded(repo, "repository name", owh_primitives::MAX_REPO_NAME_LEN)?;
		let alias: AliasName = bounded(alias, "alias", owh_primitives::MAX_ALIAS_LEN)?;
		self.call("alias_history", (Static(name), Static(alias)))
			.await
	}

	/// The active offers that apply to a version: its own, else its repository's defaults.
	pub async fn offers(&self, version: &VersionId) -> Result<Vec<(OfferId, OfferRecord)>> {
		if self.proofs.is_none() {
			return self
				.call_api("LicensingApi", "offers", (Static(*version),))
				.await;
		}
		// As the runtime chooses them, from proven values.
		let Some(info) = self.version(version).await? else {
			return Ok(Vec::new());
		};
		let targets = [
			OfferTarget::Version(*version),
			OfferTarget::Repository(info.record.manifest.repository.clone()),
		];
		let keys = targets.map(|target| {
			[
				crate::chain::proof::value_key("Licensing", "ActiveOffers"),
				crate::chain::proof::blake2_128_concat(&target.encode()),
			]
			.concat()
		});
		let values = self.proven_values(&keys).await?;
		let [own, defaults] = [&values[0], &values[1]].map(|v| {
			decode_proven::<Vec<OfferId>>(v, "active offer list").map(Option::unwrap_or_default)
		});
		let ids = match own? {
			own if own.is_empty() => defaults?,
			own => own,
		};
		let keys: Vec<_> = ids.iter().map(|id| offer_key(*id)).collect();
		let values = self.proven_values(&keys).await?;
		ids.into_iter()
			.zip(&values)
			.filter_map(|(id, v)| {
				decode_proven::<OfferRecord>(v, "offer")
					.transpose()
					.map(|o| o.map(|o| (id, o)))
			})
			.collect()
	}

	/// One offer, active or retired.
	pub async fn offer(&self, id: OfferId) -> Result<Option<OfferRecord>> {
		if self.proofs.is_some() {
			let values = self.proven_values(&[offer_key(id)]).await?;
			return decode_proven(&values[0], "offer");
		}
		self.call_api("LicensingApi", "offer", (Static(id),)).await
	}

	/// One license.
	pub async fn license(&self, id: LicenseId) -> Result<Option<LicenseRecord>> {
		if self.proofs.is_some() {
			let values = self.proven_values(&[license_key(id)]).await?;
			return decode_proven(&values[0], "license");
		}
		self.call_api("LicensingApi", "license", (Static(id),))
			.await
	}

	/// The licenses an account holds.
	pub async fn licenses_of(&self, who: &AccountId32) -> Result<Vec<(LicenseId, LicenseRecord)>> {
		if let Some((licenses, _)) = self.proven_licenses(who, None).await? {
			return Ok(licenses);
		}
		self.call_api("LicensingApi", "licenses_of", (Static(*who),))
			.await
	}

	/// The licenses `who` holds (for `version` only, if given), all of them, proven: the keys
	/// under the holder's prefix are proven complete, so a node can neither invent a license
	/// nor hide one. With the proven block's number. `None` without a trust anchor.
	async fn proven_licenses(
		&self,
		who: &AccountId32,
		version: Option<&VersionId>,
	) -> Result<Option<(Vec<(LicenseId, LicenseRecord)>, BlockNumber)>> {
		let Some(at) = self.finalized().await? else {
			return Ok(None);
		};
		let mut prefix = [
			crate::chain::proof::value_key("Licensing", "LicensesOf"),
			crate::chain::proof::blake2_128_concat(&who.encode()),
		]
		.concat();
		if let Some(version) = version {
			prefix.extend(version.encode());
		}
		let keys =
			crate::chain::proof::read_keys(&self.rpc, at, &prefix, MAX_PROVEN_LICENSES).await?;
		// `(holder, version, id)`: the id is the last 8 bytes (Twox64Concat ends with it).
		let ids = keys
			.iter()
			.map(|key| {
				key.len()
					.checked_sub(8)
					.and_then(|at| LicenseId::decode(&mut &key[at..]).ok())
					.ok_or_else(|| {
						failed(
							Kind::Untrusted,
							"a proven license key does not end with a license id",
						)
					})
			})
			.collect::<Result<Vec<_>>>()?;
		let values = self
			.proven_values(&ids.iter().map(|id| license_key(*id)).collect::<Vec<_>>())
			.await?;
		let mut licenses = Vec::new();
		for (id, value) in ids.into_iter().zip(&values) {
			if let Some(license) = decode_proven::<LicenseRecord>(value, "license")? {
				licenses.push((id, license));
			}
		}
		Ok(Some((licenses, at.header.number as BlockNumber)))
	}

	/// The contributors of a version.
	pub async fn contributors(&self, version: &VersionId) -> Result<Vec<Contributor<AccountId32>>> {
		self.call_api("LicensingApi", "contributors", (Static(*version),))
			.await
	}

	pub async fn royalty_split(
		&self,
		version: &VersionId,
		amount: Balance,
	) -> Result<Option<Split>> {
		self.call_api(
			"LicensingApi",
			"royalty_split",
			(Static(*version), Static(amount)),
		)
		.await
	}

	/// Whether `who` may use `version` now under some license it holds.
	pub async fn has_valid_license(&self, who: &AccountId32, version: &VersionId) -> Result<bool> {
		if let Some((licenses, now)) = self.proven_licenses(who, Some(version)).await? {
			return Ok(licenses.iter().any(|(_, l)| l.is_valid_at(&now)));
		}
		self.call_api(
			"LicensingApi",
			"has_valid_license",
			(Static(*who), Static(*version)),
		)
		.await
	}

	/// An account's balances (all zero for an account that does not exist).
	pub async fn account(&self, who: &AccountId32) -> Result<AccountInfo> {
		let at = self
			.api()
			.await?
			.at_current_block()
			.await
			.context("cannot read the chain head")?;
		let address = subxt::dynamic::storage::<(Static<AccountId32>,), Static<AccountInfo>>(
			"System", "Account",
		);
		let value = at
			.storage()
			.try_fetch(address, (Static(*who),))
			.await
			.context("cannot read System::Account")?;
		match value {
			None => Ok(AccountInfo::default()),
			Some(value) => {
				let Static(info) = value
					.decode()
					.map_err(|e| anyhow!("cannot decode System::Account: {e}"))?;
				Ok(info)
			}
		}
	}

	/// A storage entry decoded through the chain's metadata (`None` where nothing is stored),
	/// for pallets whose types the client does not mirror, such as the governance pallets.
	pub async fn storage_value(
		&self,
		pallet: &str,
		entry: &str,
		keys: Vec<Value>,
	) -> Result<Option<Value>> {
		self.fetch_storage(pallet, entry, keys, |v| {
			v.decode()
				.map_err(|e| anyhow!("cannot decode {pallet}::{entry}: {e}"))
		})
		.await
	}

	/// The SCALE bytes of a storage entry, for values the client decodes itself.
	pub async fn storage_bytes(
		&self,
		pallet: &str,
		entry: &str,
		keys: Vec<Value>,
	) -> Result<Option<Vec<u8>>> {
		self.fetch_storage(pallet, entry, keys, |v| Ok(v.into_bytes()))
			.await
	}

	async fn fetch_storage<R>(
		&self,
		pallet: &str,
		entry: &str,
		keys: Vec<Value>,
		read: impl FnOnce(subxt::storage::StorageValue<'_, Value>) -> Result<R>,
	) -> Result<Option<R>> {
		let at = self
			.api()
			.await?
			.at_current_block()
			.await
			.context("cannot read the chain head")?;
		let value = at
			.storage()
			.try_fetch((pallet, entry), keys)
			.await
			.with_context(|| format!("cannot read {pallet}::{entry}"))?;
		value.map(read).transpose()
	}

	/// The weight (ref time, proof size) an encoded call is charged when dispatched.
	pub async fn call_weight(&self, call: &[u8]) -> Result<(u64, u64)> {
		#[derive(Decode)]
		struct DispatchInfo {
			#[codec(compact)]
			ref_time: u64,
			#[codec(compact)]
			proof_size: u64,
		}
		let info: DispatchInfo = self
			.call_api(
				"TransactionPaymentCallApi",
				"query_call_info",
				(
					Static(subxt::utils::Encoded(call.to_vec())),
					Static(call.len() as u32),
				),
			)
			.await?;
		Ok((info.ref_time, info.proof_size))
	}

	/// The names of the runtime parameters governance can set, as `Module.Name`.
	pub async fn parameter_names(&self) -> Result<Vec<(String, String)>> {
		use scale_info::TypeDef;
		let metadata = self.metadata().await?;
		let call = metadata
			.pallet_by_name("Parameters")
			.and_then(|p| p.call_variant_by_name("set_parameter").cloned())
			.ok_or_else(|| anyhow!("this chain has no Parameters::set_parameter"))?;
		let types = metadata.types();
		let variants_of = |id: u32| match types.resolve(id).map(|t| &t.type_def) {
			Some(TypeDef::Variant(v)) => v.variants.clone(),
			_ => Vec::new(),
		};
		let mut names = Vec::new();
		for module in variants_of(call.fields[0].ty.id) {
			if let Some(field) = module.fields.first() {
				for param in variants_of(field.ty.id) {
					names.push((module.name.clone(), param.name.clone()));
				}
			}
		}
		Ok(names)
	}

	/// A `DispatchError` as the pallet error's name and docs where it is a module error.
	pub async fn dispatch_error_text(&self, encoded: &[u8]) -> String {
		// `DispatchError::Module(ModuleError { index, error: [u8; 4], .. })` is variant 3.
		if let ([3, pallet_index, error_index, ..], Ok(metadata)) = (encoded, self.metadata().await)
		{
			if let Some(pallet) = metadata.pallet_by_error_index(*pallet_index) {
				if let Some(variant) = pallet.error_variant_by_index(*error_index) {
					return format!(
						"{}::{}: {}",
						pallet.name(),
						variant.name,
						one_line(&variant.docs.join(" "))
					);
				}
			}
		}
		format!("dispatch error 0x{}", hex::encode(encoded))
	}

	/// The metadata of the runtime at the chain head.
	async fn metadata(&self) -> Result<subxt::metadata::ArcMetadata> {
		Ok(self
			.api()
			.await?
			.at_current_block()
			.await
			.context("cannot read the chain head")?
			.metadata())
	}

	/// A pallet constant decoded through the chain's metadata.
	pub async fn constant(&self, pallet: &str, name: &str) -> Result<Value> {
		let at = self
			.api()
			.await?
			.at_current_block()
			.await
			.context("cannot read the chain head")?;
		at.constants()
			.entry(subxt::dynamic::constant::<Value>(pallet, name))
			.map_err(|e| anyhow!("cannot read the constant {pallet}::{name}: {e}"))
	}

	/// The pallet and call names of an encoded call, from its first two bytes.
	pub async fn call_name(&self, call: &[u8]) -> Result<(String, String)> {
		let [pallet_index, call_index, ..] = call else {
			bail!("a call is at least two bytes: the pallet index and the call index");
		};
		let metadata = self.metadata().await?;
		let pallet = metadata
			.pallet_by_call_index(*pallet_index)
			.ok_or_else(|| {
				anyhow!("no pallet of this runtime has calls at index {pallet_index}")
			})?;
		let variant = pallet
			.call_variant_by_index(*call_index)
			.ok_or_else(|| anyhow!("pallet {} has no call at index {call_index}", pallet.name()))?;
		Ok((pallet.name().to_string(), variant.name.clone()))
	}

	/// The `spec_name` and `spec_version` of the runtime the chain runs now.
	pub async fn runtime_version(&self) -> Result<(String, u32)> {
		let version: Value = self.constant("System", "Version").await?;
		// `spec_name` is a `Cow<str>`: a string, possibly inside a one-field composite.
		let name = version
			.at("spec_name")
			.and_then(|v| v.as_str().or_else(|| v.at(0)?.as_str()))
			.ok_or_else(|| anyhow!("System::Version has no spec_name"))?;
		let spec = version
			.at("spec_version")
			.and_then(|v| v.as_u128())
			.ok_or_else(|| anyhow!("System::Version has no spec_version"))?;
		Ok((name.to_string(), spec as u32))
	}

	/// The events of block `number`: pallet, event name and SCALE-encoded fields.
	pub async fn events_at(&self, number: BlockNumber) -> Result<Vec<(String, String, Vec<u8>)>> {
		let at = self
			.api()
			.await?
			.at_block(number)
			.await
			.with_context(|| format!("cannot read block #{number}"))?;
		let events = at
			.events()
			.fetch()
			.await
			.with_context(|| format!("cannot read the events of block #{number}"))?;
		Ok(event_fields(events.iter()))
	}

	/// The number of the latest finalized block, which every read here is made at.
	pub async fn best_block(&self) -> Result<BlockNumber> {
		let at = self
			.api()
			.await?
			.at_current_block()
			.await
			.context("cannot read the chain head")?;
		Ok(at.block_number() as BlockNumber)
	}

	/// Signs a `Licensing` call, submits it and waits until its block is finalized.
	pub async fn submit_licensing<Args>(
		&self,
		call: &str,
		args: Args,
		signer: &Keypair,
	) -> Result<Receipt>
	where
		Args: subxt::ext::scale_encode::EncodeAsFields,
	{
		self.submit_to("Licensing", call, args, signer).await
	}

	/// A `StorageProofsApi` runtime API call.
	pub async fn storage_proofs<Args, R>(&self, method: &str, args: Args) -> Result<R>
	where
		Args: Encode,
		R: Decode,
	{
		self.call_api("StorageProofsApi", method, args).await
	}

	/// A version's active pledges and its URIs as the validators last probed them.
	pub async fn storage_of(
		&self,
		version: &VersionId,
	) -> Result<(Vec<(u32, PledgeRecord)>, Vec<UriAvailability>)> {
		use subxt::utils::Static;
		let pledges = self
			.storage_proofs("pledges_of_version", (Static(*version),))
			.await?;
		Ok((pledges, self.availability(version).await?))
	}

	/// A challenge of the current round, open or answered (`None` once its round closed).
	pub async fn challenge(
		&self,
		id: owh_primitives::storage::ChallengeId,
	) -> Result<Option<owh_primitives::storage::Challenge<AccountId32, BlockNumber>>> {
		let Some(bytes) = self
			.storage_bytes("StorageProofs", "Challenges", vec![Value::u128(id.into())])
			.await?
		else {
			return Ok(None);
		};
		let challenge = Decode::decode(&mut &bytes[..])
			.map_err(|e| anyhow!("cannot decode StorageProofs::Challenges({id}): {e}"))?;
		Ok(Some(challenge))
	}

	/// A version's URIs as the validators last probed them.
	pub async fn availability(&self, version: &VersionId) -> Result<Vec<UriAvailability>> {
		use subxt::utils::Static;
		self.storage_proofs("availability", (Static(*version),))
			.await
	}

	/// Signs a `StorageProofs` call, submits it and waits until its block is finalized.
	pub async fn submit_storage_proofs<Args>(
		&self,
		call: &str,
		args: Args,
		signer: &Keypair,
	) -> Result<Receipt>
	where
		Args: subxt::ext::scale_encode::EncodeAsFields,
	{
		self.submit_to("StorageProofs", call, args, signer).await
	}

	/// A `PromotionApi` runtime API call.
	pub async fn promotion<Args, R>(&self, method: &str, args: Args) -> Result<R>
	where
		Args: Encode,
		R: Decode,
	{
		self.call_api("PromotionApi", method, args).await
	}

	/// Signs a call of any pallet, submits it and waits until its block is finalized.
	pub async fn submit_to<Args>(
		&self,
		pallet: &str,
		call: &str,
		args: Args,
		signer: &Keypair,
	) -> Result<Receipt>
	where
		Args: subxt::ext::scale_encode::EncodeAsFields,
	{
		self.submit_payload(&subxt::dynamic::tx(pallet, call, args), signer)
			.await
	}

	/// Signs a `Registry` call, submits it and waits until its block is finalized.
	pub async fn submit<Args>(&self, call: &str, args: Args, signer: &Keypair) -> Result<Receipt>
	where
		Args: subxt::ext::scale_encode::EncodeAsFields,
	{
		self.submit_to("Registry", call, args, signer).await
	}

	/// The SCALE-encoded call of a payload, e.g. to put it in a batch.
	pub async fn call_data<P: subxt::transactions::Payload>(&self, payload: &P) -> Result<Vec<u8>> {
		let at = self
			.api()
			.await?
			.at_current_block()
			.await
			.context("cannot read the chain head")?;
		at.transactions()
			.call_data(payload)
			.map_err(|e| anyhow!("cannot encode the call: {e}"))
	}

	/// Signs any payload, submits it and waits until its block is finalized.
	pub async fn submit_payload<P: subxt::transactions::Payload>(
		&self,
		payload: &P,
		signer: &Keypair,
	) -> Result<Receipt> {
		let at = self
			.api()
			.await?
			.at_current_block()
			.await
			.context("cannot read the chain head")?;
		let progress = at
			.transactions()
			.sign_and_submit_then_watch_default(payload, signer)
			.await
			.map_err(refused_by_node)?;
		let in_block = progress.wait_for_finalized().await.map_err(|e| match e {
			TransactionProgressError::TransactionStatusError(status) => not_finalized(status),
			// A broken status stream is a connection problem.
			e => failed(
				Kind::Unreachable,
				format!(
					"the transaction was not finalized: {}",
					one_line(&e.to_string())
				),
			),
		})?;
		receipt_of(&in_block, true).await
	}

	/// Signs and submits `payload` with the next nonce the node's pool gives the account (so
	/// that a transaction right after another one of the same account, not yet finalized, does
	/// not reuse its nonce); calls `included` with the receipt of the first block the
	/// transaction is in, then waits as `wait` says. A transaction that fails in its block
	/// fails here, with the pallet's error.
	pub async fn submit_payload_waiting<P: subxt::transactions::Payload>(
		&self,
		payload: &P,
		signer: &Keypair,
		wait: Wait,
		included: &mut dyn FnMut(&Receipt),
	) -> Result<Receipt> {
		use subxt::transactions::TransactionStatus;
		let at = self
			.api()
			.await?
			.at_current_block()
			.await
			.context("cannot read the chain head")?;
		// The next nonce as the node's pool sees it, so that a transaction sent right after
		// another one of the same account (not yet finalized) does not reuse its nonce.
		let who = signer.public_key().to_account_id();
		let nonce: u64 = self
			.rpc
			.request("system_accountNextIndex", subxt::rpcs::rpc_params![who])
			.await
			.map_err(|e| {
				failed(
					Kind::Unreachable,
					format!("cannot read the account's next nonce: {e}"),
				)
			})?;
		let params = subxt::config::SubstrateExtrinsicParamsBuilder::<SubstrateConfig>::new()
			.nonce(nonce)
			.build();
		let mut progress = at
			.transactions()
			.sign_and_submit_then_watch(payload, signer, params)
			.await
			.map_err(refused_by_node)?;
		let mut reported = false;
		while let Some(status) = progress.next().await {
			let status = status.map_err(|e| {
				failed(
					Kind::Unreachable,
					format!(
						"lost the transaction's status: {}",
						one_line(&e.to_string())
					),
				)
			})?;
			let (in_block, finalized) = match status {
				TransactionStatus::InBestBlock(in_block) => (in_block, false),
				TransactionStatus::InFinalizedBlock(in_block) => (in_block, true),
				// The pool declaring it invalid (e.g. the fee cannot be paid) or dropping it is a
				// refusal; an error in the node is a connection problem.
				TransactionStatus::Invalid { message } => {
					return Err(not_finalized(TransactionStatusError::Invalid(message)))
				}
				TransactionStatus::Dropped { message } => {
					return Err(not_finalized(TransactionStatusError::Dropped(message)))
				}
				TransactionStatus::Error { message } => {
					return Err(not_finalized(TransactionStatusError::Error(message)))
				}
				_ => continue,
			};
			if !finalized && reported {
				// A new best block after a reorganization: wait for finality as before.
				continue;
			}
			let receipt = receipt_of(&in_block, finalized).await?;
			if !reported {
				reported = true;
				included(&receipt);
			}
			if finalized || wait == Wait::InBlock {
				return Ok(receipt);
			}
		}
		Err(failed(
			Kind::Unreachable,
			"the node stopped reporting the transaction's status before it was finalized",
		))
	}
}

fn refused_by_node(e: impl std::fmt::Display) -> anyhow::Error {
	failed(
		Kind::Refused,
		format!(
			"the node refused the transaction: {}",
			one_line(&e.to_string())
		),
	)
}

/// The receipt of a transaction in a block: refused if it failed there, with its events.
async fn receipt_of<C: subxt::client::OnlineClientAtBlockT<SubstrateConfig>>(
	in_block: &subxt::transactions::TransactionInBlock<SubstrateConfig, C>,
	finalized: bool,
) -> Result<Receipt> {
	let success = in_block
		.wait_for_success()
		.await
		.map_err(explain_events_error)?;
	let block = in_block.at().await.context("cannot read the block")?;
	Ok(Receipt {
		block_number: block.block_number(),
		block_hash: format!("{:?}", in_block.block_hash()),
		extrinsic_hash: format!("{:?}", in_block.extrinsic_hash()),
		finalized,
		events: event_fields(success.iter()),
	})
}

/// The pool declaring a transaction invalid (e.g. the fee cannot be paid) or dropping it is a
/// refusal; an error in the node is a connection problem.
fn not_finalized(e: TransactionStatusError) -> anyhow::Error {
	let kind = match &e {
		TransactionStatusError::Invalid(_) | TransactionStatusError::Dropped(_) => Kind::Refused,
		_ => Kind::Unreachable,
	};
	failed(
		kind,
		format!(
			"the transaction was not finalized: {}",
			one_line(&e.to_string())
		),
	)
}

/// Pallet, event name and SCALE-encoded fields of each event that decodes.
fn event_fields<'a, E>(
	events: impl Iterator<Item = Result<subxt::events::Event<'a, SubstrateConfig>, E>>,
) -> Vec<(String, String, Vec<u8>)> {
	events
		.filter_map(|event| event.ok())
		.map(|event| {
			(
				event.pallet_name().to_string(),
				event.event_name().to_string(),
				event.field_bytes().to_vec(),
			)
		})
		.collect()
}

/// The most licenses of one holder read with proofs.
const MAX_PROVEN_LICENSES: u32 = 1000;

fn offer_key(id: OfferId) -> Vec<u8> {
	[
		crate::chain::proof::value_key("Licensing", "Offers"),
		sp_crypto_hashing::twox_64(&id.encode()).to_vec(),
		id.encode(),
	]
	.concat()
}

fn license_key(id: LicenseId) -> Vec<u8> {
	[
		crate::chain::proof::value_key("Licensing", "Licenses"),
		sp_crypto_hashing::twox_64(&id.encode()).to_vec(),
		id.encode(),
	]
	.concat()
}

/// Decodes a proven value (`None`: proven absent).
fn decode_proven<T: Decode>(value: &Option<Vec<u8>>, what: &str) -> Result<Option<T>> {
	value
		.as_ref()
		.map(|bytes| {
			T::decode(&mut &bytes[..]).map_err(|e| {
				failed(
					Kind::Untrusted,
					format!("the proven {what} does not decode: {e}"),
				)
			})
		})
		.transpose()
}

/// The storage key of a repository's alias.
pub fn alias_key(repo: &RepoName, alias: &AliasName) -> Vec<u8> {
	[
		crate::chain::proof::value_key("Registry", "Aliases"),
		crate::chain::proof::blake2_128_concat(&repo.encode()),
		crate::chain::proof::blake2_128_concat(&alias.encode()),
	]
	.concat()
}

/// The storage keys of a version's record, yank record and mirror list, in that order.
pub fn version_keys(id: &VersionId) -> [Vec<u8>; 3] {
	["Versions", "Yanked", "Mirrors"].map(|item| {
		[
			crate::chain::proof::value_key("Registry", item),
			id.encode(),
		]
		.concat()
	})
}

/// A version's record from proven values of [`version_keys`] (`None`: proven absent), checked
/// against its id.
pub fn info_from_proven(id: &VersionId, values: &[Option<Vec<u8>>]) -> Result<Option<Info>> {
	let [record, yanked, mirrors] = values else {
		bail!("expected the values of the three version keys");
	};
	let Some(record) = decode_proven(record, "version record")? else {
		return Ok(None);
	};
	let info = Info {
		id: *id,
		record,
		yanked: decode_proven(yanked, "yank record")?,
		mirrors: decode_proven::<Vec<_>>(mirrors, "mirror list")?.unwrap_or_default(),
	};
	check_manifest(id, &info)?;
	Ok(Some(info))
}

/// Refuses a version record whose manifest does not hash to the id it was asked for.
pub fn check_manifest(id: &VersionId, info: &Info) -> Result<()> {
	let actual = info.record.manifest.version_id();
	if actual != *id || info.id != *id {
		return Err(failed(
			Kind::Untrusted,
			format!(
				"the node answered for version {id} with a manifest that hashes to {actual}: it was altered on the way or by the node, so nothing from it is used; connect to another node"
			),
		));
	}
	Ok(())
}

fn one_line(text: &str) -> String {
	text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Maps a failed dispatch to the pallet error's name and its documented meaning.
fn explain_events_error(err: TransactionEventsError) -> anyhow::Error {
	match err {
		TransactionEventsError::ExtrinsicFailed(DispatchError::Module(module)) => {
			match module.details() {
				Ok(details) => failed(
					Kind::Refused,
					format!(
						"the chain refused it with {}::{}: {}",
						details.pallet.name(),
						details.variant.name,
						one_line(&details.variant.docs.join(" "))
					),
				),
				Err(_) => failed(Kind::Refused, format!("the chain refused it: {module}")),
			}
		}
		TransactionEventsError::ExtrinsicFailed(other) => {
			failed(Kind::Refused, format!("the chain refused it: {other}"))
		}
		other => anyhow!("cannot read the result of the transaction: {other}"),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use owh_primitives::{registry::VersionRecord, Manifest};

	fn info_of(manifest: Manifest) -> Info {
		Info {
			id: manifest.version_id(),
			record: VersionRecord {
				manifest,
				committer: AccountId32([1; 32]),
				author: AccountId32([1; 32]),
				author_signed: false,
				block: 1,
				timestamp: 0,
				deposit: 0,
				index: 0,
			},
			yanked: None,
			mirrors: vec![],
		}
	}

	#[test]
	fn a_manifest_that_does_not_hash_to_its_id_is_refused() {
		let manifest = Manifest::decode(&mut &[0u8; 64][..]).unwrap();
		let info = info_of(manifest.clone());
		let id = manifest.version_id();
		check_manifest(&id, &info).unwrap();

		let mut swapped = info.clone();
		swapped.record.manifest.format_version = 9;
		let err = check_manifest(&id, &swapped).unwrap_err();
		assert_eq!(crate::exit::kind_of(&err), Some(Kind::Untrusted));
		assert!(err.to_string().contains("hashes to"), "{err}");
		// The right manifest under another id is refused too.
		let other = VersionId([7; 32]);
		assert!(check_manifest(&other, &info).is_err());
	}
}
