//! Proven reads: chain state checked on this machine instead of believed.
//!
//! The trust anchor is the chain's genesis: its hash, and the GRANDPA authority set it starts
//! with, both computed from the raw chain spec (`owh trust init --chain-spec`). From there:
//! 1. finality: `owh_finalityProof` (the node's GRANDPA warp-sync proof) gives, for every
//!    authority set since the anchor, its last block's header and justification, then the
//!    newest justification. Each justification must carry signatures of more than two thirds
//!    of its set on the block (or on descendants, linked by the ancestry headers). A set's last
//!    block must schedule the next set (a standard change with delay 0, as the runtime's
//!    sessions signal it); forced changes are refused. The newest set reached is saved as a
//!    checkpoint.
//! 2. state: `state_getReadProof` at the finalized header; the values are read from the proof's
//!    trie nodes against the header's state root, so a node cannot answer with other values.

use crate::exit::{failed, Kind};
use anyhow::{anyhow, bail, Context as _, Result};
use codec::{Decode, Encode};
use serde::{Deserialize, Serialize};
use sp_core::Blake2Hasher;
use sp_crypto_hashing::{blake2_128, blake2_256, twox_128};
use std::{
	collections::HashMap,
	path::{Path, PathBuf},
};
use subxt::{
	config::substrate::{DigestItem, SubstrateHeader},
	rpcs::{rpc_params, RpcClient},
	utils::H256,
};

pub type Header = SubstrateHeader<H256>;
const GRANDPA_ENGINE: [u8; 4] = *b"FRNK";
/// The most authority-set changes followed in one run, a bound on a node that keeps answering.
const MAX_SET_CHANGES: usize = 10_000;
/// The most bytes of finality proofs read in one run (the node caps one answer at 8 MiB).
const MAX_FINALITY_BYTES: usize = 128 << 20;

/// GRANDPA's authority list: ed25519 keys and their weights.
pub type AuthorityList = Vec<([u8; 32], u64)>;

/// What a proven read starts from: the genesis hash, and the newest authority set this machine
/// has verified (the genesis set at first, then checkpoints).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Anchor {
	/// The chain's genesis hash (0x-hex).
	pub genesis_hash: String,
	/// The authority set id.
	pub set_id: u64,
	/// The set's authorities: `[public key (0x-hex), weight]`.
	pub authorities: Vec<(String, u64)>,
	/// The block the set took over at (0 for the genesis set).
	pub from_block: u32,
	/// That block's hash (0x-hex; the genesis hash for the genesis set).
	pub from_hash: String,
	/// The genesis authority set, kept when the anchor advances to a checkpoint: audit
	/// receipts prove finality from the genesis on. (Empty in anchors of owh before receipts.)
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	pub genesis_authorities: Vec<(String, u64)>,
}

impl Anchor {
	fn authority_list(&self) -> Result<AuthorityList> {
		self.authorities
			.iter()
			.map(|(key, weight)| Ok((hex32(key)?, *weight)))
			.collect()
	}

	fn genesis(&self) -> Result<[u8; 32]> {
		hex32(&self.genesis_hash)
	}

	/// The anchor at the genesis itself, which receipts are checked from.
	pub fn at_genesis(&self) -> Result<Anchor> {
		let authorities = match (self.set_id, self.genesis_authorities.is_empty()) {
			(0, _) => self.authorities.clone(),
			(_, false) => self.genesis_authorities.clone(),
			(_, true) => {
				return Err(failed(
					Kind::NotFound,
					format!(
						"the trust anchor of chain {} keeps only a checkpoint (set {}), not the genesis set that receipts are proven from; run `owh trust init --chain-spec <raw spec> --force`",
						self.genesis_hash, self.set_id
					),
				))
			}
		};
		Ok(Anchor {
			genesis_hash: self.genesis_hash.clone(),
			set_id: 0,
			authorities: authorities.clone(),
			from_block: 0,
			from_hash: self.genesis_hash.clone(),
			genesis_authorities: authorities,
		})
	}

	/// The anchor file of a chain: `<dir>/<genesis hash>.json`.
	pub fn path(dir: &Path, genesis: &[u8; 32]) -> PathBuf {
		dir.join(format!("0x{}.json", hex::encode(genesis)))
	}

	/// Reads the anchor of the chain with this genesis, if one was set up.
	pub fn load(dir: &Path, genesis: &[u8; 32]) -> Result<Option<Self>> {
		let path = Self::path(dir, genesis);
		match std::fs::read(&path) {
			Ok(bytes) => {
				let anchor: Anchor = serde_json::from_slice(&bytes)
					.with_context(|| format!("trust anchor {} is not valid", path.display()))?;
				if anchor.genesis()? != *genesis {
					bail!("trust anchor {} names another genesis", path.display());
				}
				anchor.authority_list()?;
				Ok(Some(anchor))
			}
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
			Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
		}
	}

	/// Writes the anchor atomically.
	pub fn save(&self, dir: &Path) -> Result<PathBuf> {
		std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
		let path = Self::path(dir, &self.genesis()?);
		let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
		std::io::Write::write_all(&mut tmp, &serde_json::to_vec_pretty(self)?)?;
		tmp.persist(&path)
			.with_context(|| format!("cannot write {}", path.display()))?;
		Ok(path)
	}

	/// The anchor a raw chain spec defines: its genesis block's hash, computed from the genesis
	/// storage, and the GRANDPA authorities in that storage.
	pub fn from_raw_chain_spec(spec: &serde_json::Value) -> Result<Self> {
		let raw = spec
			.pointer("/genesis/raw")
			.ok_or_else(|| anyhow!("not a raw chain spec (no genesis.raw); write one with `owh-node build-spec --chain <chain> --raw`"))?;
		let top = raw
			.get("top")
			.and_then(|t| t.as_object())
			.ok_or_else(|| anyhow!("the raw chain spec has no genesis.raw.top"))?;
		if raw
			.get("childrenDefault")
			.and_then(|c| c.as_object())
			.is_some_and(|c| !c.is_empty())
		{
			bail!("genesis child tries are not supported");
		}
		let mut storage = Vec::with_capacity(top.len());
		for (key, value) in top {
			let value = value
				.as_str()
				.ok_or_else(|| anyhow!("genesis value of {key} is not a string"))?;
			storage.push((hex_bytes(key)?, hex_bytes(value)?));
		}
		storage.sort();
		let state_root = trie_root(&storage);
		let empty: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
		let genesis = Header {
			parent_hash: H256::zero(),
			number: 0,
			state_root: H256(state_root),
			extrinsics_root: H256(trie_root(&empty)),
			digest: Default::default(),
		};
		let genesis_hash = blake2_256(&genesis.encode());
		let key = value_key("Grandpa", "Authorities");
		let authorities = storage
			.iter()
			.find(|(k, _)| *k == key)
			.map(|(_, v)| v.clone())
			.ok_or_else(|| anyhow!("the genesis storage holds no GRANDPA authorities"))?;
		let authorities = AuthorityList::decode(&mut &authorities[..])
			.map_err(|e| anyhow!("cannot decode the genesis GRANDPA authorities: {e}"))?;
		if authorities.is_empty() {
			bail!("the genesis GRANDPA authority set is empty");
		}
		Ok(Anchor {
			genesis_hash: format!("0x{}", hex::encode(genesis_hash)),
			set_id: 0,
			authorities: authorities_hex(&authorities),
			from_block: 0,
			from_hash: format!("0x{}", hex::encode(genesis_hash)),
			genesis_authorities: authorities_hex(&authorities),
		})
	}
}

fn hex_bytes(text: &str) -> Result<Vec<u8>> {
	hex::decode(text.trim_start_matches("0x")).map_err(|_| anyhow!("{text:?} is not hex"))
}

fn authorities_hex(authorities: &AuthorityList) -> Vec<(String, u64)> {
	authorities
		.iter()
		.map(|(k, w)| (format!("0x{}", hex::encode(k)), *w))
		.collect()
}

/// 32 bytes from 0x-hex.
pub fn hex32_of(text: &str) -> Result<[u8; 32]> {
	hex32(text)
}

fn hex32(text: &str) -> Result<[u8; 32]> {
	hex_bytes(text)?
		.try_into()
		.map_err(|_| anyhow!("{text:?} is not 32 bytes of hex"))
}

/// The state trie root (version 1 layout) over sorted key-value pairs.
fn trie_root(storage: &[(Vec<u8>, Vec<u8>)]) -> [u8; 32] {
	use sp_trie::TrieConfiguration;
	sp_trie::LayoutV1::<Blake2Hasher>::trie_root(storage.iter().map(|(k, v)| (k, v))).0
}

/// The storage key of a plain storage value.
pub fn value_key(pallet: &str, item: &str) -> Vec<u8> {
	[twox_128(pallet.as_bytes()), twox_128(item.as_bytes())].concat()
}

/// The key of a `Blake2_128Concat` map part.
pub fn blake2_128_concat(encoded: &[u8]) -> Vec<u8> {
	[&blake2_128(encoded)[..], encoded].concat()
}

#[derive(Decode)]
struct WarpProof {
	fragments: Vec<Fragment>,
	is_finished: bool,
}

#[derive(Decode)]
struct Fragment {
	header: Header,
	justification: Justification,
}

#[derive(Decode)]
struct Justification {
	round: u64,
	commit: Commit,
	votes_ancestries: Vec<Header>,
}

#[derive(Decode)]
struct Commit {
	target_hash: H256,
	target_number: u32,
	precommits: Vec<SignedPrecommit>,
}

#[derive(Decode)]
struct SignedPrecommit {
	precommit: Precommit,
	signature: [u8; 64],
	id: [u8; 32],
}

#[derive(Encode, Decode, Clone, Copy)]
struct Precommit {
	target_hash: H256,
	target_number: u32,
}

#[derive(Decode)]
struct ScheduledChange {
	next_authorities: AuthorityList,
	delay: u32,
}

#[derive(Decode)]
enum GrandpaLog {
	#[codec(index = 1)]
	ScheduledChange(ScheduledChange),
	#[codec(index = 2)]
	ForcedChange(#[allow(dead_code)] u32, #[allow(dead_code)] ScheduledChange),
	#[codec(index = 3)]
	OnDisabled(#[allow(dead_code)] u64),
	#[codec(index = 4)]
	Pause(#[allow(dead_code)] u32),
	#[codec(index = 5)]
	Resume(#[allow(dead_code)] u32),
}

fn header_hash(header: &Header) -> H256 {
	H256(blake2_256(&header.encode()))
}

fn untrusted(text: String) -> anyhow::Error {
	failed(Kind::Untrusted, text)
}

/// Checks a GRANDPA justification of `target` by the authority set (`set_id`, `authorities`):
/// valid signatures of distinct authorities on the target or its descendants (linked through
/// the ancestry headers, all of which must be used) weighing at least the supermajority.
fn check_justification(
	justification: &Justification,
	target: (H256, u32),
	set_id: u64,
	authorities: &AuthorityList,
) -> Result<()> {
	let commit = &justification.commit;
	if (commit.target_hash, commit.target_number) != target {
		return Err(untrusted(format!(
			"the justification is for block #{} {:?}, not the proven block #{} {:?}",
			commit.target_number, commit.target_hash, target.1, target.0
		)));
	}
	let ancestry: HashMap<H256, &Header> = justification
		.votes_ancestries
		.iter()
		.map(|h| (header_hash(h), h))
		.collect();
	let mut used = std::collections::HashSet::new();
	let weights: HashMap<[u8; 32], u64> = authorities.iter().copied().collect();
	let total: u64 = authorities.iter().map(|(_, w)| *w).sum();
	let threshold = total - total.saturating_sub(1) / 3;
	let mut signed = std::collections::HashSet::new();
	let mut weight = 0u64;
	for vote in &commit.precommits {
		let Some(voter_weight) = weights.get(&vote.id) else {
			return Err(untrusted(format!(
				"the justification has a vote by 0x{}, not an authority of set {set_id}",
				hex::encode(vote.id)
			)));
		};
		// The precommit must be on the target or a descendant of it.
		let mut hash = vote.precommit.target_hash;
		let mut number = vote.precommit.target_number;
		while hash != commit.target_hash {
			let Some(header) = ancestry.get(&hash) else {
				return Err(untrusted(format!(
					"a precommit on block #{number} is not linked to the justified block"
				)));
			};
			if number <= commit.target_number {
				return Err(untrusted("a precommit is on another fork".into()));
			}
			used.insert(hash);
			hash = header.parent_hash;
			number -= 1;
		}
		let message = (
			1u8, // Message::Precommit
			vote.precommit,
			justification.round,
			set_id,
		)
			.encode();
		let public = sp_core::ed25519::Public::from_raw(vote.id);
		let signature = sp_core::ed25519::Signature::from_raw(vote.signature);
		if !<sp_core::ed25519::Pair as sp_core::Pair>::verify(&signature, &message, &public) {
			return Err(untrusted(format!(
				"a justification signature by 0x{} does not verify for set {set_id}",
				hex::encode(vote.id)
			)));
		}
		if signed.insert(vote.id) {
			weight += voter_weight;
		}
	}
	if used.len() != ancestry.len() {
		return Err(untrusted(
			"the justification carries headers no vote uses".into(),
		));
	}
	if weight < threshold {
		return Err(untrusted(format!(
			"the justification has {weight} of {total} authority votes; {threshold} are needed"
		)));
	}
	Ok(())
}

/// The authority-set change a header enacts at once, if any. Forced changes (and delayed
/// ones, which the runtime never schedules) are refused.
fn scheduled_change(header: &Header) -> Result<Option<AuthorityList>> {
	let mut change = None;
	for item in &header.digest.logs {
		let DigestItem::Consensus(engine, data) = item else {
			continue;
		};
		if *engine != GRANDPA_ENGINE {
			continue;
		}
		match GrandpaLog::decode(&mut &data[..]) {
			Ok(GrandpaLog::ScheduledChange(c)) if c.delay == 0 => change = Some(c.next_authorities),
			Ok(GrandpaLog::ScheduledChange(c)) => {
				return Err(untrusted(format!(
					"block #{} schedules an authority-set change with delay {}, which this client does not follow",
					header.number, c.delay
				)))
			}
			Ok(GrandpaLog::ForcedChange(..)) => {
				return Err(untrusted(format!(
					"block #{} forces an authority-set change (an emergency by governance); re-anchor with `owh trust init`",
					header.number
				)))
			}
			Ok(_) => {}
			Err(e) => return Err(untrusted(format!("a GRANDPA digest does not decode: {e}"))),
		}
	}
	Ok(change)
}

/// A finalized header this machine has checked, and how it got there.
pub struct Finalized {
	pub header: Header,
	pub hash: H256,
	pub set_id: u64,
	/// Authority-set changes followed in this run.
	pub set_changes: usize,
}

/// Checks finality proofs (GRANDPA warp-sync proofs, SCALE-encoded) one answer at a time, from
/// an anchor on: each justification against the authority set of its time, following the sets
/// each set's last block schedules.
pub struct FinalityCheck {
	genesis_hash: String,
	genesis_authorities: Vec<(String, u64)>,
	set_id: u64,
	authorities: AuthorityList,
	from_block: u32,
	from_hash: H256,
	proven: Option<(Header, H256)>,
	set_changes: usize,
	fragments: usize,
	bytes: usize,
}

impl FinalityCheck {
	pub fn new(anchor: &Anchor) -> Result<Self> {
		// An anchor written before receipts, still at the genesis set, gains its genesis set.
		let genesis_authorities = if anchor.set_id == 0 && anchor.genesis_authorities.is_empty() {
			anchor.authorities.clone()
		} else {
			anchor.genesis_authorities.clone()
		};
		Ok(Self {
			genesis_hash: anchor.genesis_hash.clone(),
			genesis_authorities,
			set_id: anchor.set_id,
			authorities: anchor.authority_list()?,
			from_block: anchor.from_block,
			from_hash: H256(hex32(&anchor.from_hash)?),
			proven: None,
			set_changes: 0,
			fragments: 0,
			bytes: 0,
		})
	}

	/// The block the next request for proofs starts at.
	pub fn from_hash(&self) -> H256 {
		self.from_hash
	}

	/// Checks one answer. Returns the block to ask from next if the node has more to give.
	pub fn feed(&mut self, bytes: &[u8]) -> Result<Option<H256>> {
		self.bytes += bytes.len();
		let proof = WarpProof::decode(&mut &bytes[..])
			.map_err(|e| untrusted(format!("the finality proof does not decode: {e}")))?;
		let count = proof.fragments.len();
		self.fragments += count;
		if self.fragments > MAX_SET_CHANGES || self.bytes > MAX_FINALITY_BYTES {
			bail!(
				"the finality proof follows more than {MAX_SET_CHANGES} authority-set changes or {} MiB; proven reads can start closer with an anchor at a newer checkpoint, but receipts start at the genesis and cannot cover this chain",
				MAX_FINALITY_BYTES >> 20
			);
		}
		let mut last = None;
		for (i, fragment) in proof.fragments.into_iter().enumerate() {
			let hash = header_hash(&fragment.header);
			let number = fragment.header.number as u32;
			last = Some(hash);
			if hash == self.from_hash {
				// The block the current set took over at, already proven.
				self.proven = Some((fragment.header, hash));
				continue;
			}
			if number <= self.from_block {
				return Err(untrusted(format!(
					"the finality proof goes back to block #{number}, before #{}",
					self.from_block
				)));
			}
			check_justification(
				&fragment.justification,
				(hash, number),
				self.set_id,
				&self.authorities,
			)?;
			let change = scheduled_change(&fragment.header)?;
			self.proven = Some((fragment.header, hash));
			match change {
				Some(next) => {
					self.set_id += 1;
					self.authorities = next;
					self.from_block = number;
					self.from_hash = hash;
					self.set_changes += 1;
				}
				None if i + 1 == count && proof.is_finished => {}
				None => {
					return Err(untrusted(format!(
						"block #{number} ends authority set {} in the proof but schedules no next set",
						self.set_id
					)))
				}
			}
		}
		Ok(last.filter(|_| !proof.is_finished))
	}

	/// The newest block proven, and the anchor advanced to the newest set.
	pub fn finish(self) -> Result<(Finalized, Anchor)> {
		let (header, hash) = self
			.proven
			.filter(|(header, _)| header.number > 0)
			.ok_or_else(|| {
				untrusted(format!(
					"no finalized block after #{} is proven (GRANDPA justifies its first block a few seconds after the chain starts: wait, or ask another node)",
					self.from_block
				))
			})?;
		let advanced = Anchor {
			genesis_hash: self.genesis_hash,
			set_id: self.set_id,
			authorities: authorities_hex(&self.authorities),
			from_block: self.from_block,
			from_hash: format!("0x{}", hex::encode(self.from_hash.0)),
			genesis_authorities: self.genesis_authorities,
		};
		Ok((
			Finalized {
				header,
				hash,
				set_id: self.set_id,
				set_changes: self.set_changes,
			},
			advanced,
		))
	}
}

/// Asks the node for finality proofs from `anchor` on, checking each answer before asking for
/// the next; returns the newest block proven, the anchor advanced to the newest set and, if
/// `keep`, the answers (for a receipt).
pub async fn fetch_finality(
	rpc: &RpcClient,
	anchor: &Anchor,
	keep: bool,
) -> Result<(Finalized, Anchor, Vec<Vec<u8>>)> {
	let mut check = FinalityCheck::new(anchor)?;
	let mut kept = Vec::new();
	loop {
		let from = check.from_hash();
		let encoded: String = rpc
			.request("owh_finalityProof", rpc_params![from])
			.await
			.map_err(|e| failed(Kind::Unreachable, format!("owh_finalityProof from block {from:?} failed ({e}); the node must be an owh-node that serves it")))?;
		let bytes = hex_bytes(&encoded)?;
		let next = check.feed(&bytes)?;
		if keep {
			kept.push(bytes);
		}
		// A node that keeps answering with the same last block has nothing more to give.
		match next {
			Some(next) if next != from => {}
			_ => break,
		}
	}
	let (finalized, advanced) = check.finish()?;
	Ok((finalized, advanced, kept))
}

/// Checks finality proofs as [`fetch_finality`] keeps them, from `anchor` on.
pub fn check_finality(anchor: &Anchor, proofs: &[Vec<u8>]) -> Result<(Finalized, Anchor)> {
	let mut check = FinalityCheck::new(anchor)?;
	for bytes in proofs {
		check.feed(bytes)?;
	}
	check.finish()
}

/// Proves the newest finalized block the node can justify, starting from `anchor` and
/// following authority-set changes; returns it and the anchor advanced to the newest set.
pub async fn prove_finalized(rpc: &RpcClient, anchor: &Anchor) -> Result<(Finalized, Anchor)> {
	let (finalized, advanced, _) = fetch_finality(rpc, anchor, false).await?;
	Ok((finalized, advanced))
}

#[derive(Deserialize)]
struct ReadProof {
	at: H256,
	proof: Vec<String>,
}

/// Reads `keys` at the proven block with a storage proof, checked against its state root.
/// `None` is a proven absence.
pub async fn read(
	rpc: &RpcClient,
	at: &Finalized,
	keys: &[Vec<u8>],
) -> Result<Vec<Option<Vec<u8>>>> {
	Ok(read_with_proof(rpc, at, keys).await?.1)
}

/// [`read`], also returning the proof's trie nodes.
pub async fn read_with_proof(
	rpc: &RpcClient,
	at: &Finalized,
	keys: &[Vec<u8>],
) -> Result<(Vec<Vec<u8>>, Vec<Option<Vec<u8>>>)> {
	let hex_keys: Vec<String> = keys
		.iter()
		.map(|k| format!("0x{}", hex::encode(k)))
		.collect();
	let answer: ReadProof = rpc
		.request("state_getReadProof", rpc_params![hex_keys, at.hash])
		.await
		.map_err(|e| {
			failed(
				Kind::Unreachable,
				format!(
					"state_getReadProof at #{} failed ({e}); the node may have pruned that state",
					at.header.number
				),
			)
		})?;
	if answer.at != at.hash {
		return Err(untrusted(format!(
			"the storage proof is for {:?}, not the proven block {:?}",
			answer.at, at.hash
		)));
	}
	let nodes = answer
		.proof
		.iter()
		.map(|n| hex_bytes(n))
		.collect::<Result<Vec<_>>>()?;
	let values = values_from_proof(nodes.clone(), &at.header.state_root.0, keys)?;
	Ok((nodes, values))
}

/// The storage key of `System::BlockHash(0)`: the genesis hash, as the chain's own state keeps
/// it (set by block 1, never pruned). Proving it ties a finalized state to one chain, even
/// where another chain has the same GRANDPA authorities.
pub fn genesis_hash_key() -> Vec<u8> {
	[
		value_key("System", "BlockHash"),
		sp_crypto_hashing::twox_64(&0u32.encode()).to_vec(),
		0u32.encode(),
	]
	.concat()
}

/// Checks the proven `System::BlockHash(0)` value against the anchor's genesis hash.
pub fn check_genesis(anchor: &Anchor, proven: Option<&[u8]>) -> Result<()> {
	let genesis = anchor.genesis()?;
	match proven {
		Some(value) if value == genesis => Ok(()),
		Some(value) => Err(untrusted(format!(
			"the proven state belongs to the chain with genesis 0x{}, not {}",
			hex::encode(value),
			anchor.genesis_hash
		))),
		None => Err(untrusted(format!(
			"the proven state holds no genesis hash, so it cannot be tied to chain {}",
			anchor.genesis_hash
		))),
	}
}

pub fn values_from_proof(
	nodes: Vec<Vec<u8>>,
	root: &[u8; 32],
	keys: &[Vec<u8>],
) -> Result<Vec<Option<Vec<u8>>>> {
	let db = sp_trie::StorageProof::new(nodes).into_memory_db::<Blake2Hasher>();
	let root = sp_core::H256(*root);
	keys.iter()
		.map(|key| {
			sp_trie::read_trie_value::<sp_trie::LayoutV1<Blake2Hasher>, _>(
				&db, &root, key, None, None,
			)
			.map_err(|e| {
				untrusted(format!(
						"the storage proof does not prove key 0x{} against the finalized state root ({e})",
						hex::encode(key)
					))
			})
		})
		.collect()
}

/// Every key under `prefix`, from a proof's trie nodes: iterating the trie under the prefix
/// needs every node there, so a proof that leaves a key out fails instead of hiding it.
pub fn keys_with_prefix_from_proof(
	nodes: Vec<Vec<u8>>,
	root: &[u8; 32],
	prefix: &[u8],
	max: u32,
) -> Result<Vec<Vec<u8>>> {
	let db = sp_trie::StorageProof::new(nodes).into_memory_db::<Blake2Hasher>();
	let root = sp_core::H256(*root);
	let trie = sp_trie::TrieDBBuilder::<sp_trie::LayoutV1<Blake2Hasher>>::new(&db, &root).build();
	let incomplete = |e: Box<sp_trie::TrieError<sp_trie::LayoutV1<Blake2Hasher>>>| {
		untrusted(format!(
			"the storage proof does not hold every key under 0x{} against the finalized state root ({e})",
			hex::encode(prefix)
		))
	};
	let keys = sp_trie::TrieDBKeyIterator::new_prefixed(&trie, prefix)
		.map_err(incomplete)?
		.take(max as usize + 1)
		.map(|key| key.map_err(incomplete))
		.collect::<Result<Vec<_>>>()?;
	if keys.len() > max as usize {
		return Err(untrusted(format!(
			"the storage proof holds more than {max} keys under 0x{}",
			hex::encode(prefix)
		)));
	}
	Ok(keys)
}

/// The keys under `prefix` at the proven block, all of them (the node lists them; the proof
/// shows none is missing), at most `max`.
pub async fn read_keys(
	rpc: &RpcClient,
	at: &Finalized,
	prefix: &[u8],
	max: u32,
) -> Result<Vec<Vec<u8>>> {
	let listed: Vec<String> = rpc
		.request(
			"state_getKeysPaged",
			rpc_params![
				format!("0x{}", hex::encode(prefix)),
				max,
				Option::<String>::None,
				at.hash
			],
		)
		.await
		.map_err(|e| failed(Kind::Unreachable, format!("state_getKeysPaged failed: {e}")))?;
	let mut keys = listed
		.iter()
		.map(|k| hex_bytes(k))
		.collect::<Result<Vec<_>>>()?;
	if keys.len() as u32 >= max {
		bail!(
			"{max} or more storage keys under 0x{}: more than owh reads with proofs",
			hex::encode(prefix)
		);
	}
	keys.push(prefix.to_vec());
	let (nodes, _) = read_with_proof(rpc, at, &keys).await?;
	keys_with_prefix_from_proof(nodes, &at.header.state_root.0, prefix, max)
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::Pair as _;

	fn header(parent: H256, number: u64, logs: Vec<DigestItem>) -> Header {
		Header {
			parent_hash: parent,
			number,
			state_root: H256::zero(),
			extrinsics_root: H256::zero(),
			digest: subxt::config::substrate::Digest { logs },
		}
	}

	fn signed(
		pair: &sp_core::ed25519::Pair,
		target: (H256, u32),
		round: u64,
		set_id: u64,
	) -> Vec<u8> {
		let precommit = Precommit {
			target_hash: target.0,
			target_number: target.1,
		};
		let sig = pair.sign(&(1u8, precommit, round, set_id).encode());
		(precommit, sig.0, pair.public().0).encode()
	}

	fn justification(votes: &[Vec<u8>], target: (H256, u32), ancestry: &[Header]) -> Justification {
		let bytes = justification_bytes(votes, target, ancestry);
		Justification::decode(&mut &bytes[..]).unwrap()
	}

	fn justification_bytes(votes: &[Vec<u8>], target: (H256, u32), ancestry: &[Header]) -> Vec<u8> {
		let mut out = 7u64.encode();
		out.extend(target.0.encode());
		out.extend(target.1.encode());
		out.extend(codec::Compact(votes.len() as u32).encode());
		for v in votes {
			out.extend(v);
		}
		out.extend(ancestry.to_vec().encode());
		out
	}

	#[test]
	fn justifications_need_a_supermajority_of_valid_votes() {
		let pairs: Vec<_> = (0..4u8)
			.map(|i| sp_core::ed25519::Pair::from_seed(&[i + 1; 32]))
			.collect();
		let set: AuthorityList = pairs.iter().map(|p| (p.public().0, 1)).collect();
		let block = header(H256::repeat_byte(1), 10, vec![]);
		let target = (header_hash(&block), 10);
		let three: Vec<_> = pairs[..3].iter().map(|p| signed(p, target, 7, 5)).collect();
		assert!(check_justification(&justification(&three, target, &[]), target, 5, &set).is_ok());
		// Two of four is below the threshold of three.
		let err = check_justification(&justification(&three[..2], target, &[]), target, 5, &set)
			.unwrap_err();
		assert!(err.to_string().contains("2 of 4"), "{err}");
		// Signed for another set id: the signatures do not verify.
		assert!(check_justification(&justification(&three, target, &[]), target, 6, &set).is_err());
		// A repeated vote counts once.
		let repeated = vec![three[0].clone(), three[0].clone(), three[1].clone()];
		assert!(
			check_justification(&justification(&repeated, target, &[]), target, 5, &set).is_err()
		);
		// A stranger's vote is refused.
		let stranger = sp_core::ed25519::Pair::from_seed(&[99; 32]);
		let mut with_stranger = three.clone();
		with_stranger.push(signed(&stranger, target, 7, 5));
		assert!(
			check_justification(&justification(&with_stranger, target, &[]), target, 5, &set)
				.unwrap_err()
				.to_string()
				.contains("not an authority")
		);
		// A justification of another block is refused.
		let other = (H256::repeat_byte(9), 10);
		assert!(check_justification(&justification(&three, target, &[]), other, 5, &set).is_err());
	}

	#[test]
	fn votes_on_descendants_count_through_the_ancestry() {
		let pairs: Vec<_> = (0..3u8)
			.map(|i| sp_core::ed25519::Pair::from_seed(&[i + 7; 32]))
			.collect();
		let set: AuthorityList = pairs.iter().map(|p| (p.public().0, 1)).collect();
		let block = header(H256::repeat_byte(1), 10, vec![]);
		let target = (header_hash(&block), 10);
		let child = header(target.0, 11, vec![]);
		let on_child = (header_hash(&child), 11);
		let votes = vec![
			signed(&pairs[0], target, 7, 0),
			signed(&pairs[1], on_child, 7, 0),
			signed(&pairs[2], on_child, 7, 0),
		];
		assert!(check_justification(
			&justification(&votes, target, std::slice::from_ref(&child)),
			target,
			0,
			&set
		)
		.is_ok());
		// Without the linking header the descendant votes are refused.
		assert!(check_justification(&justification(&votes, target, &[]), target, 0, &set).is_err());
		// An unused extra header is refused.
		let stray = header(H256::repeat_byte(5), 30, vec![]);
		assert!(check_justification(
			&justification(&votes, target, &[child, stray]),
			target,
			0,
			&set
		)
		.is_err());
	}

	#[test]
	fn authority_set_changes_are_read_from_digests() {
		let next: AuthorityList = vec![([4; 32], 1)];
		let mut log = vec![1u8];
		log.extend(next.encode());
		log.extend(0u32.encode());
		let h = header(
			H256::zero(),
			20,
			vec![DigestItem::Consensus(GRANDPA_ENGINE, log)],
		);
		assert_eq!(scheduled_change(&h).unwrap(), Some(next.clone()));
		let mut forced = vec![2u8];
		forced.extend(5u32.encode());
		forced.extend(next.encode());
		forced.extend(0u32.encode());
		let h = header(
			H256::zero(),
			20,
			vec![DigestItem::Consensus(GRANDPA_ENGINE, forced)],
		);
		assert!(scheduled_change(&h)
			.unwrap_err()
			.to_string()
			.contains("forces"));
		assert_eq!(
			scheduled_change(&header(H256::zero(), 3, vec![])).unwrap(),
			None
		);
	}

	#[test]
	fn receipts_start_from_the_genesis_set_even_after_a_checkpoint() {
		let genesis = format!("0x{}", hex::encode([1u8; 32]));
		let set0 = vec![(format!("0x{}", hex::encode([2u8; 32])), 1)];
		let set3 = vec![(format!("0x{}", hex::encode([3u8; 32])), 1)];
		let checkpoint = Anchor {
			genesis_hash: genesis.clone(),
			set_id: 3,
			authorities: set3,
			from_block: 90,
			from_hash: format!("0x{}", hex::encode([4u8; 32])),
			genesis_authorities: set0.clone(),
		};
		let at_genesis = checkpoint.at_genesis().unwrap();
		assert_eq!(
			(
				at_genesis.set_id,
				at_genesis.from_block,
				&at_genesis.from_hash
			),
			(0, 0, &genesis)
		);
		assert_eq!(at_genesis.authorities, set0);
		// A checkpoint written before receipts existed has no genesis set to start from.
		let old = Anchor {
			genesis_authorities: vec![],
			..checkpoint
		};
		assert!(old
			.at_genesis()
			.unwrap_err()
			.to_string()
			.contains("owh trust init"));
		// The state must hold this genesis hash.
		assert!(check_genesis(&at_genesis, Some(&[1u8; 32])).is_ok());
		assert!(check_genesis(&at_genesis, Some(&[9u8; 32]))
			.unwrap_err()
			.to_string()
			.contains("belongs to the chain with genesis 0x0909"));
		assert!(check_genesis(&at_genesis, None).is_err());
	}

	#[test]
	fn storage_proofs_are_checked_against_the_root() {
		use sp_trie::{TrieDBMutBuilder, TrieMut};
		let mut db = sp_trie::MemoryDB::<Blake2Hasher>::default();
		let mut root = sp_core::H256::default();
		{
			let mut trie =
				TrieDBMutBuilder::<sp_trie::LayoutV1<Blake2Hasher>>::new(&mut db, &mut root)
					.build();
			trie.insert(b"alias", &[7u8; 32]).unwrap();
			trie.insert(b"other", &[1u8; 40]).unwrap();
		}
		let nodes: Vec<Vec<u8>> = db
			.drain()
			.into_values()
			.filter(|(_, rc)| *rc > 0)
			.map(|(v, _)| v)
			.collect();
		let keys = vec![b"alias".to_vec(), b"absent".to_vec()];
		let values = values_from_proof(nodes.clone(), &root.0, &keys).unwrap();
		assert_eq!(values, vec![Some(vec![7u8; 32]), None]);
		// Another root (a node's lie about the state) fails.
		assert!(values_from_proof(nodes.clone(), &[3; 32], &keys).is_err());
		// A rewritten value fails: its node no longer hashes to what its parent names.
		let tampered: Vec<Vec<u8>> = nodes
			.into_iter()
			.map(|mut n| {
				if let Some(at) = n.windows(32).position(|w| w == [7u8; 32]) {
					n[at] = 8;
				}
				n
			})
			.collect();
		assert!(values_from_proof(tampered, &root.0, &keys).is_err());
	}

	#[test]
	fn a_prefix_proof_must_hold_every_key_under_it() {
		use sp_trie::{TrieDBMutBuilder, TrieMut};
		let mut db = sp_trie::MemoryDB::<Blake2Hasher>::default();
		let mut root = sp_core::H256::default();
		let under: Vec<Vec<u8>> = (0..40u8)
			.map(|i| [b"lic/".to_vec(), vec![i; 9]].concat())
			.collect();
		{
			let mut trie =
				TrieDBMutBuilder::<sp_trie::LayoutV1<Blake2Hasher>>::new(&mut db, &mut root)
					.build();
			for key in &under {
				trie.insert(key, &[7u8; 40]).unwrap();
			}
			trie.insert(b"other", &[1u8; 40]).unwrap();
		}
		// A proof of every listed key (and the prefix) gives them all back.
		let prove = |keys: &[Vec<u8>]| -> Vec<Vec<u8>> {
			let mut recorder = sp_trie::Recorder::<sp_trie::LayoutV1<Blake2Hasher>>::new();
			{
				let trie =
					sp_trie::TrieDBBuilder::<sp_trie::LayoutV1<Blake2Hasher>>::new(&db, &root)
						.with_recorder(&mut recorder)
						.build();
				for key in keys {
					let _ = sp_trie::Trie::get(&trie, key).unwrap();
				}
			}
			recorder.drain().into_iter().map(|r| r.data).collect()
		};
		let mut listed = under.clone();
		listed.push(b"lic/".to_vec());
		let keys = keys_with_prefix_from_proof(prove(&listed), &root.0, b"lic/", 100).unwrap();
		assert_eq!(keys, under);
		// More keys than the caller reads with proofs: refused, not cut short.
		assert!(
			keys_with_prefix_from_proof(prove(&listed), &root.0, b"lic/", 10)
				.unwrap_err()
				.to_string()
				.contains("more than 10 keys")
		);
		// A node that leaves keys out of its listing cannot prove the prefix complete.
		let mut hidden = under[..20].to_vec();
		hidden.push(b"lic/".to_vec());
		assert!(
			keys_with_prefix_from_proof(prove(&hidden), &root.0, b"lic/", 100)
				.unwrap_err()
				.to_string()
				.contains("does not hold every key")
		);
	}
}
