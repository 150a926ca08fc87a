//! `owh-load`: how many model registrations per second a network includes and finalizes,
//! measured against plain balance transfers in the same run.
//!
//! 1. Funds `--accounts` fresh accounts (derived from `--funder` and a per-run tag) in one batch,
//!    and gives each its own repository.
//! 2. For each kind (`transfer`: `Balances::transfer_keep_alive`; `register`:
//!    `Registry::commit_version` of a distinct one-file manifest with its author signature),
//!    signs `--count` transactions up front, spread over the accounts with consecutive nonces.
//! 3. Submits them with `author_submitExtrinsic`, `--in-flight` at a time, as fast as the pool
//!    takes them: a refusal because the pool is full or busy is counted and retried after a
//!    short pause; any other refusal is counted and final.
//! 4. Follows every imported block and every finalized one until each accepted transaction is
//!    finalized (or `--timeout`), and checks each one's `ExtrinsicSuccess`/`ExtrinsicFailed`.
//!
//! Reports, per kind: submission time, pool refusals, included and finalized counts, included
//! per second (from the first submission to the last inclusion), blocks used, and the finality
//! lag (inclusion to finalization) of each transaction.

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, ValueEnum};
use futures_util::StreamExt;
use owh_client::chain::{sign_version, Chain};
use owh_primitives::{Artifact, Manifest, RepoName, MANIFEST_FORMAT_VERSION};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::{
	collections::{HashMap, HashSet},
	str::FromStr,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};
use subxt::{
	config::SubstrateExtrinsicParamsBuilder,
	dynamic::tx,
	utils::{MultiAddress, Static},
	OnlineClient, SubstrateConfig,
};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// One OWH in plancks.
const UNIT: u128 = 1_000_000_000_000;

#[derive(Parser, Debug, Clone)]
#[command(
	version,
	about = "Registrations per second against transfers per second, on a live network"
)]
struct Args {
	/// The node to submit to (WebSocket RPC).
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// Transactions of each kind, all signed before submission starts.
	#[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
	count: u32,
	/// Accounts the transactions are spread over.
	#[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=1000))]
	accounts: u32,
	/// The funded account that endows the load accounts (a secret URI).
	#[arg(long, default_value = "//Alice")]
	funder: String,
	/// Submissions awaiting the node's answer at once.
	#[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u32).range(1..=4096))]
	in_flight: u32,
	/// The kinds to run, in order.
	#[arg(long, value_delimiter = ',', default_value = "transfer,register")]
	kinds: Vec<Kind>,
	/// Seconds to wait for every accepted transaction to be finalized, per kind (and for the
	/// endowment). The run fails if any is missing then.
	#[arg(long, default_value_t = 300)]
	timeout: u64,
	/// Print one JSON document instead of text.
	#[arg(long)]
	json: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ValueEnum)]
enum Kind {
	/// `Balances::transfer_keep_alive` of 1 milli-OWH to the next load account.
	Transfer,
	/// `Registry::commit_version` of a new one-file manifest, with its author signature.
	Register,
}

impl Kind {
	fn name(self) -> &'static str {
		match self {
			Kind::Transfer => "transfer",
			Kind::Register => "register",
		}
	}
}

struct Account {
	pair: Keypair,
	repo: RepoName,
}

#[tokio::main]
async fn main() {
	let args = Args::parse();
	if let Err(e) = run(&args).await {
		eprintln!("owh-load: {e:#}");
		std::process::exit(1);
	}
}

async fn run(args: &Args) -> Result<()> {
	if args.count.div_ceil(args.accounts) > 10_000 {
		bail!(
			"--count {} over --accounts {} is more than 10,000 transactions per account, more than each account's endowment covers; raise --accounts",
			args.count,
			args.accounts
		);
	}
	let chain = Chain::connect(&args.url).await?;
	let api = if args.url.starts_with("ws://") {
		OnlineClient::<SubstrateConfig>::from_insecure_url(&args.url).await
	} else {
		OnlineClient::<SubstrateConfig>::from_url(&args.url).await
	}
	.with_context(|| format!("cannot connect to {}", args.url))?;
	let funder = keypair(&args.funder)?;
	let mut tag = [0u8; 4];
	getrandom::getrandom(&mut tag).map_err(|e| anyhow!("no randomness: {e}"))?;
	let tag = hex::encode(tag);
	let accounts = setup(&api, &chain, &funder, &tag, args).await?;
	let genesis = chain.genesis_hash();
	let mut reports = Vec::new();
	for &kind in &args.kinds {
		let signed = presign(
			&api,
			chain.rpc(),
			&accounts,
			kind,
			args.count,
			&genesis,
			&tag,
		)
		.await?;
		let report = measure(&api, &chain, kind.name(), signed, args).await?;
		if !args.json {
			print_report(&report);
		}
		reports.push(report);
	}
	let rate = |kind: &str| {
		reports
			.iter()
			.find(|r| r["kind"] == kind)
			.and_then(|r| r["included_per_second"].as_f64())
	};
	let ratio = match (rate("register"), rate("transfer")) {
		(Some(r), Some(t)) if t > 0.0 => Some(r / t),
		_ => None,
	};
	if args.json {
		let repositories: Vec<String> = accounts
			.iter()
			.map(|a| String::from_utf8_lossy(&a.repo).into_owned())
			.collect();
		let out = json!({ "url": args.url, "accounts": args.accounts, "count": args.count,
			"repositories": repositories, "kinds": reports, "register_per_transfer": ratio });
		println!("{}", serde_json::to_string_pretty(&out)?);
	} else if let Some(ratio) = ratio {
		println!("registrations/s ÷ transfers/s = {ratio:.2}");
	}
	// A run where something did not land is reported, and fails.
	let incomplete: Vec<String> = reports
		.iter()
		.filter(|r| r["succeeded"] != r["submitted"])
		.map(|r| {
			format!(
				"{}: {} of {} succeeded ({} refused, {} failed in their block, {} not finalized within --timeout)",
				r["kind"].as_str().unwrap_or(""),
				r["succeeded"],
				r["submitted"],
				r["submitted"].as_u64().unwrap_or(0) - r["accepted"].as_u64().unwrap_or(0),
				r["failed_in_block"],
				r["accepted"].as_u64().unwrap_or(0) - r["finalized"].as_u64().unwrap_or(0),
			)
		})
		.collect();
	if !incomplete.is_empty() {
		bail!("the run is incomplete: {}", incomplete.join("; "));
	}
	Ok(())
}

fn keypair(uri: &str) -> Result<Keypair> {
	let uri = SecretUri::from_str(uri).map_err(|e| anyhow!("bad secret URI {uri:?}: {e}"))?;
	Keypair::from_uri(&uri).map_err(|e| anyhow!("cannot derive a key: {e}"))
}

/// Fresh accounts (one batch of endowments from the funder) with a repository each.
async fn setup(
	api: &OnlineClient<SubstrateConfig>,
	chain: &Chain,
	funder: &Keypair,
	tag: &str,
	args: &Args,
) -> Result<Vec<Account>> {
	let started = Instant::now();
	let accounts = (0..args.accounts)
		.map(|i| -> Result<Account> {
			let pair = keypair(&format!("{}//owh-load//{tag}//{i}", args.funder))?;
			let repo = RepoName::try_from(format!("load/r{tag}-{i}").into_bytes())
				.map_err(|_| anyhow!("repository name too long"))?;
			Ok(Account { pair, repo })
		})
		.collect::<Result<Vec<_>>>()?;
	// Each registration holds about 0.05 OWH of deposit and pays a fee below that: 1,000 OWH
	// covers 10,000 registrations per account.
	let endowment = 1_000 * UNIT;
	let mut calls = Vec::with_capacity(accounts.len());
	for a in &accounts {
		let to = MultiAddress::<_, ()>::Id(a.pair.public_key().to_account_id());
		let call = tx("Balances", "transfer_keep_alive", (Static(to), endowment));
		calls.push(subxt::utils::Encoded(chain.call_data(&call).await?));
	}
	let batch = tx("Utility", "batch_all", (Static(calls),));
	tokio::time::timeout(
		Duration::from_secs(args.timeout),
		chain.submit_payload(&batch, funder),
	)
	.await
	.map_err(|_| anyhow!("endowing the load accounts was not finalized within --timeout"))?
	.context("endowing the load accounts")?;
	// The repositories, one transaction per account, all in flight together and followed to
	// finality like the load itself.
	let at = api
		.at_current_block()
		.await
		.context("cannot read the chain head")?;
	let mut signed = Vec::with_capacity(accounts.len());
	for a in &accounts {
		let call = tx("Registry", "create_repository", (Static(a.repo.clone()),));
		let bytes = sign_offline(&at, &call, 0, &a.pair)?;
		signed.push(Signed {
			hash: sp_hash(&bytes),
			bytes,
		});
	}
	let quiet = Args {
		json: true,
		..args.clone()
	};
	let created = measure(api, chain, "setup", signed, &quiet).await?;
	if created["finalized"] != accounts.len() || created["failed_in_block"] != 0 {
		bail!("the load repositories were not all created: {created}");
	}
	eprintln!(
		"owh-load: {} accounts endowed, each with a repository, in {:.1} s",
		accounts.len(),
		started.elapsed().as_secs_f64()
	);
	Ok(accounts)
}

/// A one-file manifest unique to (tag, account, index).
fn manifest(repo: &RepoName, tag: &str, account: u32, index: u32) -> Manifest {
	let seed = Sha256::digest(format!("{tag}/{account}/{index}").as_bytes());
	let artifact = Artifact {
		path: b"weights.safetensors"
			.to_vec()
			.try_into()
			.expect("short path"),
		size: 1 << 30,
		sha256: seed.into(),
		chunk_size: 1 << 20,
		merkle_root: Sha256::digest(seed).into(),
		media_type: b"application/octet-stream"
			.to_vec()
			.try_into()
			.expect("short type"),
		uris: Default::default(),
	};
	Manifest {
		format_version: MANIFEST_FORMAT_VERSION,
		repository: repo.clone(),
		parents: Default::default(),
		artifacts: vec![artifact].try_into().expect("one artifact"),
		message: format!("load {account}/{index}")
			.into_bytes()
			.try_into()
			.expect("short message"),
		metrics: Default::default(),
		license: b"Apache-2.0".to_vec().try_into().expect("short license"),
		tags: Default::default(),
		tool_version: b"owh-load/0.1".to_vec().try_into().expect("short tool"),
	}
}

/// A signed transaction, ready to submit.
struct Signed {
	bytes: Vec<u8>,
	hash: [u8; 32],
}

/// Signs `count` transactions of `kind`, round-robin over the accounts with consecutive
/// nonces from each account's next one.
async fn presign(
	api: &OnlineClient<SubstrateConfig>,
	rpc: &subxt::rpcs::RpcClient,
	accounts: &[Account],
	kind: Kind,
	count: u32,
	genesis: &[u8; 32],
	tag: &str,
) -> Result<Vec<Signed>> {
	let started = Instant::now();
	let at = api
		.at_current_block()
		.await
		.context("cannot read the chain head")?;
	let mut nonces: Vec<u64> = Vec::with_capacity(accounts.len());
	for a in accounts {
		let who = a.pair.public_key().to_account_id();
		nonces.push(
			rpc.request("system_accountNextIndex", subxt::rpcs::rpc_params![who])
				.await
				.context("cannot read an account's next nonce")?,
		);
	}
	let mut signed = Vec::with_capacity(count as usize);
	for n in 0..count {
		let i = n as usize % accounts.len();
		let round = n / accounts.len() as u32;
		let account = &accounts[i];
		let nonce = nonces[i] + round as u64;
		let bytes = match kind {
			Kind::Transfer => {
				let next = &accounts[(i + 1) % accounts.len()];
				let to = MultiAddress::<_, ()>::Id(next.pair.public_key().to_account_id());
				let call = tx(
					"Balances",
					"transfer_keep_alive",
					(Static(to), UNIT / 1_000),
				);
				sign_offline(&at, &call, nonce, &account.pair)?
			}
			Kind::Register => {
				let m = manifest(&account.repo, tag, i as u32, round);
				let signature = sign_version(&account.pair, genesis, &m.version_id());
				let call = tx(
					"Registry",
					"commit_version",
					(
						Static(account.repo.clone()),
						Static(Box::new(m)),
						Static(Some(signature)),
					),
				);
				sign_offline(&at, &call, nonce, &account.pair)?
			}
		};
		let hash = sp_hash(&bytes);
		signed.push(Signed { bytes, hash });
	}
	eprintln!(
		"owh-load: {count} {} transactions signed in {:.2} s ({} bytes each on average)",
		kind.name(),
		started.elapsed().as_secs_f64(),
		signed.iter().map(|s| s.bytes.len()).sum::<usize>() / signed.len().max(1)
	);
	Ok(signed)
}

/// Signs `payload` with an explicit nonce (immortal, so it can wait in the pool).
fn sign_offline<C: subxt::client::OfflineClientAtBlockT<SubstrateConfig>>(
	at: &subxt::client::ClientAtBlock<SubstrateConfig, C>,
	payload: &impl subxt::transactions::Payload,
	nonce: u64,
	pair: &Keypair,
) -> Result<Vec<u8>> {
	let params = SubstrateExtrinsicParamsBuilder::<SubstrateConfig>::new()
		.nonce(nonce)
		.build();
	let transaction = at
		.transactions()
		.create_signable_offline(payload, params)
		.map_err(|e| anyhow!("cannot build a transaction: {e}"))?
		.sign(pair)
		.map_err(|e| anyhow!("cannot sign a transaction: {e}"))?;
	Ok(transaction.encoded().to_vec())
}

fn sp_hash(bytes: &[u8]) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(bytes)
}

/// A block (by hash) and how many of the run's transactions it holds.
type BlockCount = ([u8; 32], usize);

/// Where and when a transaction was seen.
#[derive(Default)]
struct Seen {
	/// First time it was seen in an imported block.
	included: Option<Instant>,
	/// Blocks it is in (a fork may hold it too): hash → (number, index in the block).
	blocks: HashMap<[u8; 32], (u64, u32)>,
	finalized: Option<Instant>,
	failed: bool,
}

/// Submits the signed transactions and follows them to finality.
async fn measure(
	api: &OnlineClient<SubstrateConfig>,
	chain: &Chain,
	kind: &str,
	signed: Vec<Signed>,
	args: &Args,
) -> Result<Value> {
	let by_hash: Arc<HashMap<[u8; 32], usize>> = Arc::new(
		signed
			.iter()
			.enumerate()
			.map(|(i, s)| (s.hash, i))
			.collect(),
	);
	let seen: Arc<Mutex<Vec<Seen>>> = Arc::new(Mutex::new(
		(0..signed.len()).map(|_| Seen::default()).collect(),
	));
	let block_counts: Arc<Mutex<Vec<BlockCount>>> = Arc::default();
	// Follow imported blocks before submitting, so no inclusion is missed.
	let mut imported = api
		.stream_all_blocks()
		.await
		.context("cannot follow new blocks")?;
	let mut finalized_stream = api
		.stream_blocks()
		.await
		.context("cannot follow finalized blocks")?;
	// Finalized blocks are timed as they arrive, even while submission is still going on.
	let (finalized_tx, mut finalized) = tokio::sync::mpsc::unbounded_channel();
	let finality = tokio::spawn(async move {
		while let Some(block) = finalized_stream.next().await {
			let item = block
				.map(|b| (b.number(), Instant::now()))
				.map_err(|e| anyhow!("the finalized-block subscription failed: {e}"));
			if finalized_tx.send(item).is_err() {
				break;
			}
		}
	});
	let rpc = chain.rpc().clone();
	let follower = {
		let (by_hash, seen, block_counts, rpc) = (
			by_hash.clone(),
			seen.clone(),
			block_counts.clone(),
			rpc.clone(),
		);
		tokio::spawn(async move {
			while let Some(block) = imported.next().await {
				let Ok(block) = block else { continue };
				let hash = block.hash();
				let number = block.number();
				let now = Instant::now();
				let Ok(body) = rpc
					.request::<Value>("chain_getBlock", subxt::rpcs::rpc_params![hash])
					.await
				else {
					continue;
				};
				let extrinsics = body["block"]["extrinsics"]
					.as_array()
					.cloned()
					.unwrap_or_default();
				let mut ours = 0;
				let mut seen = seen.lock().expect("not poisoned");
				for (index, xt) in extrinsics.iter().enumerate() {
					let Some(bytes) = xt
						.as_str()
						.and_then(|h| hex::decode(h.trim_start_matches("0x")).ok())
					else {
						continue;
					};
					if let Some(&i) = by_hash.get(&sp_hash(&bytes)) {
						ours += 1;
						let s = &mut seen[i];
						s.included.get_or_insert(now);
						s.blocks.insert(hash.0, (number, index as u32));
					}
				}
				if ours > 0 {
					block_counts
						.lock()
						.expect("not poisoned")
						.push((hash.0, ours));
				}
			}
		})
	};

	let started = Instant::now();
	let refusals: Arc<Mutex<HashMap<String, u64>>> = Arc::default();
	let accepted: Vec<bool> = futures_util::stream::iter(signed.iter())
		.map(|s| submit(&rpc, &s.bytes, &refusals))
		.buffered(args.in_flight as usize)
		.collect()
		.await;
	let submit_seconds = started.elapsed().as_secs_f64();
	let accepted_count = accepted.iter().filter(|a| **a).count();
	if !args.json {
		eprintln!(
			"owh-load: {} {kind} transactions handed to the pool in {submit_seconds:.2} s ({accepted_count} accepted)",
			signed.len()
		);
	}

	// Mark transactions finalized as their blocks are; read each block's events once.
	let deadline = Instant::now() + Duration::from_secs(args.timeout);
	let mut checked: HashSet<[u8; 32]> = HashSet::new();
	let mut final_blocks: HashSet<[u8; 32]> = HashSet::new();
	loop {
		let done = {
			let seen = seen.lock().expect("not poisoned");
			seen.iter()
				.zip(&accepted)
				.filter(|(_, a)| **a)
				.all(|(s, _)| s.finalized.is_some())
		};
		if done {
			break;
		}
		let remaining = deadline.saturating_duration_since(Instant::now());
		if remaining.is_zero() {
			break;
		}
		let Ok(Some(block)) = tokio::time::timeout(remaining, finalized.recv()).await else {
			break;
		};
		let (number, now) = block?;
		// Every block up to this one is final: find ours on the finalized chain.
		let mut candidates: Vec<(u64, [u8; 32])> = {
			let seen = seen.lock().expect("not poisoned");
			seen.iter()
				.filter(|s| s.finalized.is_none())
				.flat_map(|s| s.blocks.iter().map(|(h, (n, _))| (*n, *h)))
				.filter(|(n, h)| *n <= number && !checked.contains(h))
				.collect()
		};
		candidates.sort();
		candidates.dedup();
		for (n, h) in candidates {
			checked.insert(h);
			let canonical: Option<subxt::utils::H256> = rpc
				.request("chain_getBlockHash", subxt::rpcs::rpc_params![n])
				.await
				.context("cannot read a finalized block hash")?;
			if canonical.map(|c| c.0) != Some(h) {
				continue;
			}
			final_blocks.insert(h);
			let failed = failed_extrinsics(api, h).await?;
			let mut seen = seen.lock().expect("not poisoned");
			for s in seen.iter_mut().filter(|s| s.finalized.is_none()) {
				if let Some((_, index)) = s.blocks.get(&h) {
					s.finalized = Some(now);
					s.failed = failed.contains(index);
				}
			}
		}
	}
	follower.abort();
	finality.abort();

	let seen = seen.lock().expect("not poisoned");
	let included = seen.iter().filter(|s| s.included.is_some()).count();
	let finalized_count = seen.iter().filter(|s| s.finalized.is_some()).count();
	let failed_count = seen.iter().filter(|s| s.failed).count();
	// The rate counts what landed: finalized and succeeded, from its first inclusion.
	let landed: Vec<Instant> = seen
		.iter()
		.filter(|s| s.finalized.is_some() && !s.failed)
		.filter_map(|s| s.included)
		.collect();
	let last_included = landed
		.iter()
		.max()
		.map(|t| t.duration_since(started).as_secs_f64());
	let first_included = landed
		.iter()
		.min()
		.map(|t| t.duration_since(started).as_secs_f64());
	let mut lags: Vec<f64> = seen
		.iter()
		.filter_map(|s| Some(s.finalized?.duration_since(s.included?).as_secs_f64()))
		.collect();
	lags.sort_by(f64::total_cmp);
	let pick = |q: f64| {
		lags.get(((lags.len() as f64 - 1.0) * q).round() as usize)
			.copied()
	};
	let blocks: Vec<usize> = block_counts
		.lock()
		.expect("not poisoned")
		.iter()
		.filter(|(hash, _)| final_blocks.contains(hash))
		.map(|(_, count)| *count)
		.collect();
	let refusals = refusals.lock().expect("not poisoned").clone();
	let included_per_second = match last_included {
		Some(t) if t > 0.0 => Some(landed.len() as f64 / t),
		_ => None,
	};
	Ok(json!({
		"kind": kind,
		"submitted": signed.len(),
		"accepted": accepted_count,
		"pool_refusals": refusals.values().sum::<u64>(),
		"pool_refusal_reasons": refusals,
		"submit_seconds": submit_seconds,
		"included": included,
		"succeeded": landed.len(),
		"finalized": finalized_count,
		"failed_in_block": failed_count,
		"first_included_seconds": first_included,
		"last_included_seconds": last_included,
		"included_per_second": included_per_second,
		"blocks": blocks.len(),
		"max_per_block": blocks.iter().max(),
		"finality_lag_seconds": { "median": pick(0.5), "p95": pick(0.95), "max": lags.last() },
	}))
}

/// Submits one transaction, retrying while the pool is full or busy. Whether it was accepted.
async fn submit(
	rpc: &subxt::rpcs::RpcClient,
	bytes: &[u8],
	refusals: &Mutex<HashMap<String, u64>>,
) -> bool {
	let hex = format!("0x{}", hex::encode(bytes));
	for _ in 0..600 {
		let answer: Result<Value, _> = rpc
			.request(
				"author_submitExtrinsic",
				subxt::rpcs::rpc_params![hex.clone()],
			)
			.await;
		let Err(e) = answer else {
			return true;
		};
		let text = e.to_string();
		// Already in the pool (a retry after a lost answer) counts as accepted.
		if text.contains("already imported") || text.contains("1013") {
			return true;
		}
		let retry = [
			"1014",
			"1016",
			"pool is full",
			"Priority is too low",
			"Immediately Dropped",
		]
		.iter()
		.any(|s| text.contains(s));
		let reason = reason_of(&text);
		*refusals
			.lock()
			.expect("not poisoned")
			.entry(reason)
			.or_default() += 1;
		if !retry {
			return false;
		}
		tokio::time::sleep(Duration::from_millis(100)).await;
	}
	false
}

/// A short, stable label for a refusal.
fn reason_of(text: &str) -> String {
	let text = text.split(" data:").next().unwrap_or(text);
	text.chars().take(80).collect()
}

/// The indices of the extrinsics that failed in block `hash`.
async fn failed_extrinsics(
	api: &OnlineClient<SubstrateConfig>,
	hash: [u8; 32],
) -> Result<HashSet<u32>> {
	let at = api
		.at_block(subxt::utils::H256(hash))
		.await
		.context("cannot read a finalized block")?;
	let events = at
		.events()
		.fetch()
		.await
		.context("cannot read a block's events")?;
	let mut failed = HashSet::new();
	for event in events.iter() {
		let event = event.context("an event does not decode")?;
		if event.pallet_name() == "System" && event.event_name() == "ExtrinsicFailed" {
			if let subxt::events::Phase::ApplyExtrinsic(index) = event.phase() {
				failed.insert(index);
			}
		}
	}
	Ok(failed)
}

fn print_report(r: &Value) {
	let f = |v: &Value| v.as_f64().map_or("-".to_string(), |x| format!("{x:.2}"));
	println!(
		"{:<9} {} signed, {} accepted ({} pool refusals), handed over in {} s; {} included in {} blocks (at most {} per block), {} finalized, {} failed in their block",
		r["kind"].as_str().unwrap_or(""),
		r["submitted"], r["accepted"], r["pool_refusals"], f(&r["submit_seconds"]),
		r["included"], r["blocks"], r["max_per_block"], r["finalized"], r["failed_in_block"],
	);
	println!(
		"{:<9} included per second {} (succeeded and finalized; first inclusion after {} s, last after {} s); finality lag median {} s, p95 {} s, max {} s",
		"",
		f(&r["included_per_second"]),
		f(&r["first_included_seconds"]),
		f(&r["last_included_seconds"]),
		f(&r["finality_lag_seconds"]["median"]),
		f(&r["finality_lag_seconds"]["p95"]),
		f(&r["finality_lag_seconds"]["max"]),
	);
	if let Some(reasons) = r["pool_refusal_reasons"].as_object() {
		for (reason, n) in reasons {
			println!("{:<9} refused {n}×: {reason}", "");
		}
	}
}
