//! Storing a version's blobs on Arweave, for `owh mirror add <version> ar://`: the price and
//! the wallet's balance shown and confirmed, the uploads with a progress bar, and the wait for
//! the transactions to be mined.

use crate::{
	context::{confirm, Context},
	transfer::arweave::{
		gateway::ar,
		store::{self, Item, Planned, Source},
		DataTree, Tag,
	},
	view,
};
use anyhow::{bail, Context as _, Result};
use std::{collections::BTreeMap, path::PathBuf, time::Duration};

/// How an upload to Arweave is confirmed.
#[derive(clap::Args, Debug)]
pub struct ArweaveArgs {
	/// Pay for an Arweave upload without asking.
	#[arg(long, short = 'y')]
	pub yes: bool,
	/// Seconds to wait for an Arweave upload to be mined before the mirror is recorded.
	#[arg(long, default_value_t = 1800, value_parser = clap::value_parser!(u64).range(1..=86_400))]
	pub arweave_wait: u64,
	/// Record an Arweave upload on chain without waiting for it to be mined (gateways may not
	/// serve it until it is).
	#[arg(long)]
	pub no_wait: bool,
}

impl ArweaveArgs {
	/// How long to wait for mining, or `None` to not wait.
	pub fn wait(&self) -> Option<std::time::Duration> {
		(!self.no_wait).then(|| std::time::Duration::from_secs(self.arweave_wait))
	}
}

/// Seconds between two looks at whether the transactions are mined.
const POLL: Duration = Duration::from_secs(2);

/// One blob to store: its bytes and, when known, its chunk list.
pub struct ArBlob {
	pub label: String,
	pub sha256: [u8; 32],
	pub src: PathBuf,
	pub leaves: Option<PathBuf>,
}

/// What storing on Arweave did.
#[derive(Debug, serde::Serialize)]
pub struct Stored {
	/// `ar://<path manifest id>`, the mirror base to record.
	pub base: String,
	/// Every transaction, the path manifest last.
	pub transactions: Vec<String>,
	pub bytes: u64,
	/// Winston paid.
	pub cost: u128,
	/// Whether every transaction was seen mined (false with `--no-wait`).
	pub confirmed: bool,
}

/// Stores `blobs` of a version of `repository` through the configured gateway, paid by the
/// configured wallet: one transaction per blob and chunk list, then a path manifest naming
/// them. Waits up to `wait` for all of them to be mined (`None`: does not wait).
/// `record_later` says, for a path manifest's `ar://<id>`, how to record the paid upload once
/// it is mined if this run cannot.
pub async fn store_blobs(
	ctx: &Context,
	repository: &str,
	blobs: &[ArBlob],
	yes: bool,
	wait: Option<Duration>,
	record_later: &dyn Fn(&str) -> String,
) -> Result<Stored> {
	let gateway = ctx.gateway()?;
	let wallet = ctx.arweave_wallet()?;
	let binary = "application/octet-stream";
	let mut items = Vec::new();
	let mut seen = std::collections::HashSet::new();
	// Files with the same bytes share one blob.
	for blob in blobs.iter().filter(|b| seen.insert(b.sha256)) {
		let hex = hex::encode(blob.sha256);
		items.push(Item {
			label: blob.label.clone(),
			path: Some(hex.clone()),
			source: Source::File(blob.src.clone()),
			tags: store::tags(binary, repository, Some(&hex)),
		});
		if let Some(leaves) = &blob.leaves {
			let mut tags = store::tags(binary, repository, None);
			tags.push(Tag::new("OWH-Chunk-List-Of", &hex));
			items.push(Item {
				label: format!("the chunk list of {}", blob.label),
				path: Some(format!("{hex}.leaves")),
				source: Source::File(leaves.clone()),
				tags,
			});
		}
	}
	let spinner = ctx.spinner("hashing for Arweave and asking the gateway's prices");
	let planned = store::plan(&gateway, items).await?;
	// The path manifest's size is known before the ids are: each is 43 characters.
	let placeholder: BTreeMap<String, String> = planned
		.iter()
		.filter_map(|p| p.item.path.clone())
		.map(|path| (path, "x".repeat(43)))
		.collect();
	let manifest_price = gateway
		.price(store::path_manifest(&placeholder).len() as u64)
		.await?;
	let address = wallet.address();
	let balance = gateway.balance(&address).await?;
	spinner.finish_and_clear();
	let bytes: u64 = planned.iter().map(|p| p.tree.size).sum();
	let cost = planned.iter().map(|p| p.price).sum::<u128>() + manifest_price;
	let count = planned.len() + 1;
	if balance < cost {
		bail!(
			"the Arweave wallet {address} holds {}, and storing {} in {count} transactions costs {} at {}; fund the wallet and try again (nothing was uploaded)",
			ar(balance),
			view::size(bytes),
			ar(cost),
			gateway.url()
		);
	}
	if !ctx.quiet && !ctx.json {
		eprintln!(
			"storing {} on Arweave in {count} transactions through {}: {} (the wallet {address} holds {})",
			view::size(bytes),
			gateway.url(),
			ar(cost),
			ar(balance)
		);
	}
	confirm(
		&format!(
			"pay {} from {address} to store these bytes on Arweave for good?",
			ar(cost)
		),
		yes,
		"not uploaded; nothing was paid",
	)?;
	let bar = ctx.progress(bytes, "to Arweave");
	let mut paths = BTreeMap::new();
	let mut transactions = Vec::with_capacity(count);
	for p in &planned {
		// A fresh anchor for each: an anchor expires about 50 blocks after its block.
		let anchor = gateway.anchor().await?;
		let id = store::send(&gateway, &wallet, &anchor, p, &|n| bar.inc(n))
			.await
			.with_context(|| format!("cannot store {} on Arweave", p.item.label))?;
		if let Some(path) = &p.item.path {
			paths.insert(path.clone(), id.clone());
		}
		transactions.push(id);
	}
	bar.finish_and_clear();
	let manifest = store::path_manifest(&paths);
	let manifest = Planned {
		tree: DataTree::of(&manifest),
		item: Item {
			label: "the path manifest".into(),
			path: None,
			source: Source::Memory(manifest),
			tags: store::tags("application/x.arweave-manifest+json", repository, None),
		},
		price: manifest_price,
	};
	let anchor = gateway.anchor().await?;
	let manifest_id = store::send(&gateway, &wallet, &anchor, &manifest, &|_| {})
		.await
		.context("cannot store the path manifest on Arweave")?;
	transactions.push(manifest_id.clone());
	let base = format!("ar://{manifest_id}");
	// Said at once: the upload is paid for whatever happens next.
	if !ctx.quiet && !ctx.json {
		eprintln!("stored on Arweave as {base} ({count} transactions)");
	}
	let confirmed = match wait {
		Some(limit) => {
			let spinner = ctx.spinner(&format!(
				"waiting for Arweave to mine {count} transactions (up to {} s)",
				limit.as_secs()
			));
			let mined = store::wait_confirmed(&gateway, &transactions, limit, POLL).await;
			spinner.finish_and_clear();
			mined.with_context(|| {
				format!(
					"the upload is paid for but not confirmed, so {base} is not recorded on chain; once it is mined, {}",
					record_later(&base)
				)
			})?;
			true
		}
		None => false,
	};
	Ok(Stored {
		base,
		transactions,
		bytes,
		cost,
		confirmed,
	})
}
