//! Audit receipts: a version's record as the chain finalized it, with the proofs that let
//! anyone check it later on their own machine, with no node, from the chain's trust anchor.
//!
//! A receipt holds GRANDPA finality proofs from the genesis up to a finalized block, and one
//! storage proof against that block's state root of: the genesis hash the state keeps
//! (`System::BlockHash(0)`, which ties the state to one chain even where another chain has the
//! same authorities), the version's record, yank record and mirror list, and, when the version
//! was named by alias, the alias. The readable fields beside them must equal what the proofs
//! give, and the file must be exactly as owh wrote it (canonical JSON), so no byte of it can
//! change unnoticed.

use crate::{
	chain::proof::{check_finality, check_genesis, genesis_hash_key, values_from_proof, Anchor},
	chain::{alias_key, info_from_proven, version_keys, Chain, Info},
	exit::{failed, Kind},
	view,
};
use anyhow::{anyhow, Result};
use codec::Decode;
use owh_primitives::{AliasName, RepoName, VersionId};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;

/// The receipt format this owh writes and reads.
pub const FORMAT: &str = "owh-audit-receipt/1";

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AuditReceipt {
	/// [`FORMAT`].
	pub format: String,
	/// The chain's genesis hash (0x-hex): the trust anchor to check against.
	pub genesis_hash: String,
	/// The repository the version was asked for in.
	pub repository: String,
	/// The alias it was asked for by, if any: the receipt then proves the alias pointed at it.
	pub alias: Option<String>,
	/// The finalized block everything is proven at.
	pub block_number: u32,
	/// Its hash (0x-hex).
	pub block_hash: String,
	/// The version's record (as `owh show --json` prints it), as proven at that block.
	pub version: Value,
	/// GRANDPA finality proofs from the genesis to the block (SCALE, 0x-hex).
	pub finality_proof: Vec<String>,
	/// Trie nodes proving the values against the block's state root (0x-hex).
	pub storage_proof: Vec<String>,
}

/// What a checked receipt proves.
pub struct Proven {
	pub receipt: AuditReceipt,
	pub id: VersionId,
	pub info: Info,
	/// The authority set that finalized the block.
	pub set_id: u64,
}

fn untrusted(text: String) -> anyhow::Error {
	failed(Kind::Untrusted, text)
}

fn hex_of(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

fn from_hex(text: &str, what: &str) -> Result<Vec<u8>> {
	text.strip_prefix("0x")
		.and_then(|h| hex::decode(h).ok())
		.ok_or_else(|| untrusted(format!("the receipt's {what} is not 0x-hex")))
}

/// The storage keys a receipt proves, in order: the genesis hash, the version's three keys,
/// and the alias if named.
fn receipt_keys(id: &VersionId, alias: Option<(&RepoName, &AliasName)>) -> Vec<Vec<u8>> {
	let mut keys = vec![genesis_hash_key()];
	keys.extend(version_keys(id));
	if let Some((repo, alias)) = alias {
		keys.push(alias_key(repo, alias));
	}
	keys
}

fn names(repo: &str, alias: Option<&str>) -> Result<(RepoName, Option<AliasName>)> {
	let repo_name =
		crate::chain::bounded(repo, "repository name", owh_primitives::MAX_REPO_NAME_LEN)?;
	let alias = alias
		.map(|a| crate::chain::bounded(a, "alias", owh_primitives::MAX_ALIAS_LEN))
		.transpose()?;
	Ok((repo_name, alias))
}

/// The version a proven alias value points at (`None`: the alias is proven absent).
fn alias_target(value: Option<&[u8]>) -> Result<Option<VersionId>> {
	value
		.map(|mut v| VersionId::decode(&mut v))
		.transpose()
		.map_err(|e| untrusted(format!("the proven alias does not decode: {e}")))
}

/// Serializes a receipt in its one canonical form.
pub fn to_bytes(receipt: &AuditReceipt) -> Result<Vec<u8>> {
	let mut bytes = serde_json::to_vec_pretty(receipt)?;
	bytes.push(b'\n');
	Ok(bytes)
}

/// Builds the receipt of version `id` of `repo` (named by `alias`, if given) at the newest block
/// the node proves final, from the genesis, through a chain with a trust anchor. The receipt
/// is checked as [`check`] would before it is returned.
pub async fn create(
	chain: &Chain,
	repo: &str,
	alias: Option<&str>,
	id: VersionId,
) -> Result<Proven> {
	let anchor = chain.anchor().ok_or_else(|| {
		failed(
			Kind::NotFound,
			format!(
				"receipts are proven from the chain's trust anchor, and there is none for chain {}; create one with `owh trust init --chain-spec <raw spec>`",
				hex_of(&chain.genesis_hash())
			),
		)
	})?;
	let genesis = anchor.at_genesis()?;
	let rpc = chain.rpc();
	let (finalized, _, finality) = crate::chain::proof::fetch_finality(rpc, &genesis, true).await?;
	let (repo_name, alias_name) = names(repo, alias)?;
	let keys = receipt_keys(&id, alias_name.as_ref().map(|a| (&repo_name, a)));
	let (nodes, values) = crate::chain::proof::read_with_proof(rpc, &finalized, &keys).await?;
	let info = info_from_proven(&id, &values[1..4])?.ok_or_else(|| {
		failed(
			Kind::NotFound,
			format!(
				"version {id} is not on chain at finalized block #{}; wait for finality after publishing",
				finalized.header.number
			),
		)
	})?;
	if let Some(alias) = alias {
		let target = alias_target(values[4].as_deref())?;
		if target != Some(id) {
			return Err(failed(
				Kind::NotFound,
				format!(
					"alias {alias:?} of {repo} does not point at version {id} at finalized block #{} (it points at {}); wait for finality after moving it",
					finalized.header.number,
					target.map_or("nothing".into(), |t| t.to_string())
				),
			));
		}
	}
	let receipt = AuditReceipt {
		format: FORMAT.into(),
		genesis_hash: genesis.genesis_hash.clone(),
		repository: repo.into(),
		alias: alias.map(Into::into),
		block_number: finalized.header.number as u32,
		block_hash: hex_of(&finalized.hash.0),
		version: view::info_json(&info),
		finality_proof: finality.iter().map(|p| hex_of(p)).collect(),
		storage_proof: nodes.iter().map(|n| hex_of(n)).collect(),
	};
	check_receipt(receipt, &genesis)
}

/// Checks a receipt file's bytes against the trust anchors in `anchors`, offline.
pub fn check(bytes: &[u8], anchors: &Path) -> Result<Proven> {
	let receipt: AuditReceipt = serde_json::from_slice(bytes)
		.map_err(|e| untrusted(format!("not an owh audit receipt ({e})")))?;
	if to_bytes(&receipt)? != bytes {
		return Err(untrusted(
			"the receipt is not byte for byte as owh wrote it (its JSON was edited)".into(),
		));
	}
	if receipt.format != FORMAT {
		return Err(untrusted(format!(
			"receipt format {:?} is not {FORMAT:?}; use the owh that wrote it",
			receipt.format
		)));
	}
	let genesis = crate::chain::proof::hex32_of(&receipt.genesis_hash)
		.map_err(|_| untrusted("the receipt's genesis hash is not 32 bytes of hex".into()))?;
	let anchor = Anchor::load(anchors, &genesis)?.ok_or_else(|| {
		failed(
			Kind::NotFound,
			format!(
				"the receipt is from chain {}, which has no trust anchor in {}; if you trust that chain, anchor it with `owh trust init --chain-spec <its raw spec>`",
				receipt.genesis_hash,
				anchors.display()
			),
		)
	})?;
	check_receipt(receipt, &anchor.at_genesis()?)
}

fn check_receipt(receipt: AuditReceipt, genesis: &Anchor) -> Result<Proven> {
	let finality = receipt
		.finality_proof
		.iter()
		.map(|p| from_hex(p, "finality proof"))
		.collect::<Result<Vec<_>>>()?;
	let (finalized, _) = check_finality(genesis, &finality)?;
	if finalized.header.number as u32 != receipt.block_number
		|| hex_of(&finalized.hash.0) != receipt.block_hash
	{
		return Err(untrusted(format!(
			"the finality proof proves block #{} {}, not the receipt's #{} {}",
			finalized.header.number,
			hex_of(&finalized.hash.0),
			receipt.block_number,
			receipt.block_hash
		)));
	}
	let id = receipt
		.version
		.get("version")
		.and_then(Value::as_str)
		.ok_or_else(|| untrusted("the receipt names no version".into()))
		.and_then(|text| {
			crate::model::refs::version_id(text)
				.map_err(|e| untrusted(format!("the receipt's version id is not valid: {e}")))
		})?;
	let (repo_name, alias_name) = names(&receipt.repository, receipt.alias.as_deref())
		.map_err(|e| untrusted(format!("{e:#}")))?;
	let keys = receipt_keys(&id, alias_name.as_ref().map(|a| (&repo_name, a)));
	let nodes = receipt
		.storage_proof
		.iter()
		.map(|n| from_hex(n, "storage proof"))
		.collect::<Result<Vec<_>>>()?;
	let values = values_from_proof(nodes, &finalized.header.state_root.0, &keys)?;
	check_genesis(genesis, values[0].as_deref())?;
	let info = info_from_proven(&id, &values[1..4])?.ok_or_else(|| {
		untrusted(format!(
			"the storage proof shows no version {id} at block #{}",
			receipt.block_number
		))
	})?;
	let holder = view::text(&info.record.manifest.repository);
	if holder != receipt.repository {
		return Err(untrusted(format!(
			"version {id} belongs to {holder}, not the receipt's {}",
			receipt.repository
		)));
	}
	if let Some(alias) = &receipt.alias {
		let target = alias_target(values[4].as_deref())?;
		if target != Some(id) {
			return Err(untrusted(format!(
				"the storage proof shows alias {alias:?} of {} at {}, not version {id}",
				receipt.repository,
				target.map_or("nothing".into(), |t| t.to_string())
			)));
		}
	}
	if view::info_json(&info) != receipt.version {
		return Err(untrusted(
			"the receipt's version record differs from the one its storage proof holds".into(),
		));
	}
	Ok(Proven {
		receipt,
		id,
		info,
		set_id: finalized.set_id,
	})
}

/// Reads a receipt file and checks it.
pub fn load(path: &Path, anchors: &Path) -> Result<Proven> {
	let bytes =
		std::fs::read(path).map_err(|e| anyhow!("cannot read receipt {}: {e}", path.display()))?;
	check(&bytes, anchors)
}
