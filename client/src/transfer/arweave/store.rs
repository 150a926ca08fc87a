//! Storing a version's files on Arweave: one transaction per blob and per chunk list, then a
//! path manifest that names them `<sha256 hex>` and `<sha256 hex>.leaves`, so that
//! `ar://<manifest id>` works as a mirror base like any other (a gateway resolves
//! `<gateway>/<manifest id>/<hex>` to the blob's bytes).

use super::{
	gateway::{Gateway, Status},
	tx::{chunk_ranges, ChunkUpload, DataTree, Tag, Transaction, MAX_INLINE_DATA},
	wallet::Wallet,
};
use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::{
	collections::BTreeMap,
	fs::File,
	io::Read,
	os::unix::fs::FileExt,
	path::PathBuf,
	time::{Duration, Instant},
};

/// Times one chunk is posted before the upload gives up (waiting 2, 4, 8 and 16 s between).
const CHUNK_ATTEMPTS: u32 = 5;

/// Tag naming the application, so a version's files can be found on Arweave itself.
pub const APP_NAME: &str = "OpenWeightHub";

/// Where an item's bytes are.
pub enum Source {
	File(PathBuf),
	Memory(Vec<u8>),
}

/// One piece of data to store, with its tags.
pub struct Item {
	/// What it is, for messages (an artifact's path in its version).
	pub label: String,
	/// The name it gets in the path manifest (`<hex>` or `<hex>.leaves`), or none.
	pub path: Option<String>,
	pub source: Source,
	pub tags: Vec<Tag>,
}

/// An item hashed into its data tree, with the price the gateway quoted.
pub struct Planned {
	pub item: Item,
	pub tree: DataTree,
	pub price: u128,
}

/// The tags every stored item carries.
pub fn tags(content_type: &str, repository: &str, sha256_hex: Option<&str>) -> Vec<Tag> {
	let mut tags = vec![
		Tag::new("Content-Type", content_type),
		Tag::new("App-Name", APP_NAME),
		Tag::new("OWH-Repository", repository),
	];
	if let Some(hex) = sha256_hex {
		tags.push(Tag::new("OWH-SHA256", hex));
	}
	tags
}

/// Reads an item's bytes `start..end`.
fn read_range(source: &Source, start: u64, end: u64) -> Result<Vec<u8>> {
	match source {
		Source::Memory(data) => Ok(data[start as usize..end as usize].to_vec()),
		Source::File(path) => {
			let file =
				File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
			let mut buf = vec![0u8; (end - start) as usize];
			file.read_exact_at(&mut buf, start)
				.with_context(|| format!("cannot read {}", path.display()))?;
			Ok(buf)
		}
	}
}

/// Hashes an item into its data tree (reading a file once, chunk by chunk).
pub fn tree_of(source: &Source) -> Result<DataTree> {
	match source {
		Source::Memory(data) => Ok(DataTree::of(data)),
		Source::File(path) => {
			let mut file =
				File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
			let size = file.metadata()?.len();
			let mut buf = Vec::new();
			let mut hashes = Vec::new();
			for (start, end) in chunk_ranges(size) {
				buf.resize((end - start) as usize, 0);
				file.read_exact(&mut buf)
					.with_context(|| format!("cannot read {} (did it change?)", path.display()))?;
				hashes.push(<[u8; 32]>::from(Sha256::digest(&buf)));
			}
			DataTree::from_chunk_hashes(size, &hashes)
		}
	}
}

/// Hashes every item and asks the gateway what storing each costs.
pub async fn plan(gateway: &Gateway, items: Vec<Item>) -> Result<Vec<Planned>> {
	let mut planned = Vec::with_capacity(items.len());
	for item in items {
		let tree = tokio::task::block_in_place(|| tree_of(&item.source))?;
		let price = gateway.price(tree.size).await?;
		planned.push(Planned { item, tree, price });
	}
	Ok(planned)
}

/// The path manifest naming each stored item, as gateways resolve `<manifest id>/<path>`. Its
/// index is the first path (a manifest without one is not served by every gateway).
pub fn path_manifest(paths: &BTreeMap<String, String>) -> Vec<u8> {
	let entries: serde_json::Map<String, serde_json::Value> = paths
		.iter()
		.map(|(path, id)| (path.clone(), serde_json::json!({ "id": id })))
		.collect();
	let mut manifest = serde_json::json!({
		"manifest": "arweave/paths",
		"version": "0.1.0",
		"paths": entries,
	});
	if let Some(first) = paths.keys().next() {
		manifest["index"] = serde_json::json!({ "path": first });
	}
	serde_json::to_vec(&manifest).expect("JSON")
}

/// Signs and sends one planned item: the transaction, then its chunks (data up to
/// [`MAX_INLINE_DATA`] goes inside the transaction). Returns the transaction id.
pub async fn send(
	gateway: &Gateway,
	wallet: &Wallet,
	anchor: &str,
	planned: &Planned,
	on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<String> {
	let tree = &planned.tree;
	let inline = if tree.size <= MAX_INLINE_DATA {
		let data = read_range(&planned.item.source, 0, tree.size)?;
		if DataTree::of(&data).root != tree.root {
			bail!("the data changed while it was being uploaded");
		}
		Some(data)
	} else {
		None
	};
	let mut tx = Transaction::storing(
		tree,
		inline.as_deref(),
		planned.item.tags.clone(),
		anchor,
		planned.price,
	);
	tx.sign(wallet)?;
	gateway.post_tx(&tx).await?;
	if inline.is_some() {
		on_bytes(tree.size);
		return Ok(tx.id);
	}
	for chunk in &tree.chunks {
		let bytes = tokio::task::block_in_place(|| {
			read_range(&planned.item.source, chunk.start, chunk.end)
		})?;
		if <[u8; 32]>::from(Sha256::digest(&bytes))
			!= chunk.data_path[chunk.data_path.len() - 64..][..32]
		{
			bail!(
				"the data changed while it was being uploaded (chunk at byte {})",
				chunk.start
			);
		}
		let upload = ChunkUpload::new(tree, chunk, &bytes);
		let mut attempt = 1;
		// A chunk that fails is sent again, as Arweave's own uploader does: the transaction is
		// already paid for.
		while let Err(e) = gateway.post_chunk(&upload).await {
			if attempt == CHUNK_ATTEMPTS {
				return Err(e.context(format!(
					"transaction {} (after {CHUNK_ATTEMPTS} attempts)",
					tx.id
				)));
			}
			tokio::time::sleep(Duration::from_secs(1 << attempt)).await;
			attempt += 1;
		}
		on_bytes(chunk.end - chunk.start);
	}
	Ok(tx.id)
}

/// How long a gateway may not know a transaction it was just given (a gateway of several
/// nodes can answer 404 until the one asked has seen it).
const UNKNOWN_GRACE: Duration = Duration::from_secs(60);

/// Waits until every transaction in `ids` is mined, polling every `poll`; fails after
/// `limit`, naming those still pending (they may still be mined later). A transaction the
/// gateway stops knowing after it was pending, or never knows within a minute, was dropped.
pub async fn wait_confirmed(
	gateway: &Gateway,
	ids: &[String],
	limit: Duration,
	poll: Duration,
) -> Result<()> {
	let started = Instant::now();
	let mut seen = std::collections::HashSet::new();
	loop {
		let mut pending = Vec::new();
		for id in ids {
			match gateway.status(id).await? {
				Status::Confirmed { .. } => {}
				Status::Pending => {
					seen.insert(id.clone());
					pending.push(id.clone());
				}
				Status::Unknown if !seen.contains(id) && started.elapsed() < UNKNOWN_GRACE => {
					pending.push(id.clone())
				}
				Status::Unknown => bail!(
					"the gateway does not know transaction {id}: it was dropped before it was mined; run the command again to upload it anew"
				),
			}
		}
		if pending.is_empty() {
			return Ok(());
		}
		if started.elapsed() >= limit {
			bail!(
				"{} of {} transactions are not mined after {} s ({}); they may still be mined, or wait longer with --arweave-wait",
				pending.len(),
				ids.len(),
				limit.as_secs(),
				pending.join(", ")
			);
		}
		tokio::time::sleep(poll).await;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_manifest_names_each_path_and_has_an_index() {
		let mut paths = BTreeMap::new();
		paths.insert("ab".to_string(), "ID1".to_string());
		paths.insert("ab.leaves".to_string(), "ID2".to_string());
		let manifest: serde_json::Value = serde_json::from_slice(&path_manifest(&paths)).unwrap();
		assert_eq!(manifest["manifest"], "arweave/paths");
		assert_eq!(manifest["paths"]["ab"]["id"], "ID1");
		assert_eq!(manifest["paths"]["ab.leaves"]["id"], "ID2");
		assert_eq!(manifest["index"]["path"], "ab");
	}

	#[test]
	fn a_file_hashes_to_the_same_tree_as_its_bytes() {
		let dir = tempfile::tempdir().unwrap();
		let data: Vec<u8> = (0..700_000usize).map(|i| (i * 7 % 251) as u8).collect();
		let path = dir.path().join("f");
		std::fs::write(&path, &data).unwrap();
		assert_eq!(
			tree_of(&Source::File(path.clone())).unwrap(),
			DataTree::of(&data)
		);
		assert_eq!(read_range(&Source::File(path), 5, 9).unwrap(), data[5..9]);
	}
}
