//! `owh provider`: register as a storage provider, pledge versions, and answer the runtime's
//! challenges with segment proofs read from a local store (`owh provider run`).

use super::{mirror::ensure_in_store, print_json};
use crate::model::resolve::resolve;
use crate::{
	amount::format_amount,
	chain::{Chain, ClosedChallenge, OpenChallenge, PledgeRecord, ProviderRecord, StorageRound},
	context::Context,
	keys::{account_of, parse_account},
	model::refs::VersionSpec,
	store::LocalStore,
	view,
};
use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand};
use owh_primitives::{
	merkle::{build_segment_proof, chunk_count, SegmentProof},
	storage::{Endpoint, SegmentPosition, VersionRoots, MAX_ENDPOINT_LEN},
	Manifest, VersionId,
};
use serde_json::json;
use std::{
	collections::{BTreeMap, BTreeSet},
	fs::File,
	io::{Read, Seek, SeekFrom, Write},
	time::{Duration, Instant},
};
use subxt::utils::{AccountId32, Static};
use subxt_signer::sr25519::Keypair;

#[derive(Subcommand, Debug)]
pub enum ProviderCommand {
	/// Register the signing account as a storage provider (holds the provider stake).
	Register(RegisterArgs),
	/// Change the provider's endpoint or capacity.
	Update(RegisterArgs),
	/// Pledge to keep every artifact of a version; fetches what the store lacks first.
	Pledge(PledgeArgs),
	/// Extend a pledge's term.
	Renew(RenewArgs),
	/// End a pledge whose term is over.
	Release(ReleaseArgs),
	/// A provider's stake, reputation, pledges, open challenges and recent outcomes.
	Status(StatusArgs),
	/// Answer every challenge to the signing account from the store, until stopped.
	Run(RunArgs),
}

#[derive(Args, Debug)]
pub struct RegisterArgs {
	/// Where the provider serves what it keeps (a URL, informational).
	#[arg(long)]
	pub endpoint: String,
	/// Bytes the provider offers to keep (suffixes K, M, G, T: binary units).
	#[arg(long, value_parser = parse_bytes)]
	pub capacity: u64,
}

#[derive(Args, Debug)]
pub struct PledgeArgs {
	/// `<repo>@<alias|version>` or a version id.
	pub version: VersionSpec,
	/// Term in blocks.
	#[arg(long)]
	pub term: u32,
	/// Another mirror to fetch from, after the recorded ones: `file:///dir`,
	/// `http(s)://host/path` or `s3://bucket/prefix` (repeatable).
	#[arg(long = "from")]
	pub from: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RenewArgs {
	/// The pledge's id (`owh provider status`).
	pub pledge: u32,
	/// Blocks added after the current end of the term.
	#[arg(long)]
	pub term: u32,
}

#[derive(Args, Debug)]
pub struct ReleaseArgs {
	/// The pledge's id (`owh provider status`).
	pub pledge: u32,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
	/// The provider: SS58 address or keystore name [default: the signing account].
	pub account: Option<String>,
}

#[derive(Args, Debug)]
pub struct RunArgs {
	/// Seconds without a newly finalized block before the daemon reconnects (a node that hangs
	/// without closing the connection).
	#[arg(long, default_value_t = 60)]
	pub stall: u64,
	/// Answer what is open now, then exit (for scripts and cron).
	#[arg(long)]
	pub once: bool,
}

/// `1234`, `10K`, `4M`, `1.5G`, `2T` (binary units) to bytes.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
	let text = text.trim();
	let (number, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
		Some(at) => text.split_at(at),
		None => (text, ""),
	};
	let scale: u64 = match unit
		.trim_end_matches(['i', 'B', 'b'])
		.to_ascii_uppercase()
		.as_str()
	{
		"" => 1,
		"K" => 1 << 10,
		"M" => 1 << 20,
		"G" => 1 << 30,
		"T" => 1 << 40,
		other => return Err(format!("unknown unit {other:?}; use K, M, G or T")),
	};
	let value: f64 = number
		.trim()
		.parse()
		.map_err(|_| format!("{text:?} is not a size such as 500G"))?;
	let bytes = value * scale as f64;
	if !(bytes >= 1.0 && bytes < u64::MAX as f64) {
		return Err(format!("{text:?} is not a positive size below 16 EiB"));
	}
	Ok(bytes as u64)
}

pub async fn run(ctx: &Context, cmd: &ProviderCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		ProviderCommand::Register(args) => register(ctx, args, false, out).await,
		ProviderCommand::Update(args) => register(ctx, args, true, out).await,
		ProviderCommand::Pledge(args) => pledge(ctx, args, out).await,
		ProviderCommand::Renew(args) => renew(ctx, args, out).await,
		ProviderCommand::Release(args) => release(ctx, args, out).await,
		ProviderCommand::Status(args) => status(ctx, args, out).await,
		ProviderCommand::Run(args) => daemon(ctx, args, out).await,
	}
}

fn endpoint(text: &str) -> Result<Endpoint> {
	if !owh_primitives::validate::provider_endpoint(text.as_bytes()) {
		bail!("the endpoint must be a non-empty URL without control characters");
	}
	Endpoint::try_from(text.as_bytes().to_vec())
		.map_err(|_| anyhow!("the endpoint is longer than {MAX_ENDPOINT_LEN} bytes"))
}

async fn provider_of(chain: &Chain, who: &AccountId32) -> Result<Option<ProviderRecord>> {
	chain.storage_proofs("provider", (Static(*who),)).await
}

async fn register(
	ctx: &Context,
	args: &RegisterArgs,
	update: bool,
	out: &mut dyn Write,
) -> Result<()> {
	let endpoint = endpoint(&args.endpoint)?;
	let signer = ctx.keys.signer()?;
	let chain = ctx.chain().await?;
	let who = account_of(&signer);
	let existing = provider_of(&chain, &who).await?;
	let call = match (update, &existing) {
		(false, Some(_)) => bail!(
			"{who} is a provider already; `owh provider update` changes its endpoint or capacity"
		),
		(true, None) => bail!("{who} is not a provider; register with `owh provider register`"),
		(true, Some(info)) if args.capacity < info.pledged => bail!(
			"{who} has pledged {} bytes; the capacity cannot be lower (release pledges first)",
			info.pledged
		),
		(false, None) => "register_provider",
		(true, Some(_)) => "update_provider",
	};
	let receipt = chain
		.submit_storage_proofs(call, (Static(endpoint), args.capacity), &signer)
		.await?;
	let info = provider_of(&chain, &who)
		.await?
		.ok_or_else(|| anyhow!("the provider record is missing after {call}"))?;
	if ctx.json {
		return print_json(
			out,
			&json!({ "provider": who.to_string(), "capacity": info.capacity, "stake": info.stake.to_string(), "receipt": receipt }),
		);
	}
	writeln!(
		out,
		"{who} {} provider: capacity {} bytes, stake {} OWH held (block #{})",
		if update {
			"updated as"
		} else {
			"registered as"
		},
		info.capacity,
		format_amount(info.stake),
		receipt.block_number
	)?;
	Ok(())
}

async fn pledge(ctx: &Context, args: &PledgeArgs, out: &mut dyn Write) -> Result<()> {
	let signer = ctx.keys.signer()?;
	let chain = ctx.chain().await?;
	let who = account_of(&signer);
	let info = provider_of(&chain, &who).await?.ok_or_else(|| {
		anyhow!("{who} is not a provider; register with `owh provider register` first")
	})?;
	let (id, version) = resolve(&chain, &args.version).await?;
	let manifest = version.record.manifest;
	let roots = VersionRoots::of(&manifest);
	if !roots.provable() {
		bail!("version {id} uses manifest format {}, which has no segment tree: it cannot be pledged (republish it with a current owh)", manifest.format_version);
	}
	if info.pledged.saturating_add(roots.total_size()) > info.capacity {
		bail!(
			"version {id} needs {} bytes; {who} has {} of {} bytes free (`owh provider update --capacity`)",
			roots.total_size(),
			info.capacity.saturating_sub(info.pledged),
			info.capacity
		);
	}
	// Keep what is promised: every artifact in the store, verified, before pledging.
	let rule = crate::model::leaf_rule(&manifest)?;
	let mirrors: Vec<String> = version.mirrors.iter().map(|m| view::text(&m.uri)).collect();
	let from = args
		.from
		.iter()
		.map(|m| crate::transfer::read_base(m))
		.collect::<Result<Vec<_>>>()?;
	let store = ctx.open_store()?;
	let backends = ctx.backends()?;
	let bar = ctx.progress(manifest.total_size(), "fetching into the store");
	tokio::task::block_in_place(|| -> Result<()> {
		for artifact in manifest.artifacts.iter() {
			ensure_in_store(&store, artifact, rule, &backends, &mirrors, &from).with_context(
				|| {
					format!(
						"cannot fetch {} into the store to keep it",
						view::text(&artifact.path)
					)
				},
			)?;
			bar.inc(artifact.size);
		}
		Ok(())
	})?;
	bar.finish_and_clear();
	store.save_manifest(&manifest)?;
	let receipt = chain
		.submit_storage_proofs("pledge", (Static(id), args.term), &signer)
		.await?;
	let pledges: Vec<(u32, PledgeRecord)> = chain
		.storage_proofs("pledges_of_version", (Static(id),))
		.await?;
	let (pledge_id, record) = pledges
		.into_iter()
		.find(|(_, p)| p.provider == who)
		.ok_or_else(|| anyhow!("the pledge is missing after it was made"))?;
	if ctx.json {
		return print_json(
			out,
			&json!({ "pledge": pledge_id, "version": id.to_string(), "end": record.end, "bytes": record.bytes, "deposit": record.deposit.to_string(), "receipt": receipt }),
		);
	}
	writeln!(
		out,
		"pledge {pledge_id}: {who} keeps version {id} ({} bytes, {} segments) until block #{}; deposit {} OWH (block #{})",
		record.bytes,
		record.segments,
		record.end,
		format_amount(record.deposit),
		receipt.block_number
	)?;
	Ok(())
}

async fn own_pledge(chain: &Chain, who: &AccountId32, id: u32) -> Result<PledgeRecord> {
	let pledges: Vec<(u32, PledgeRecord)> = chain
		.storage_proofs("pledges_of_provider", (Static(*who),))
		.await?;
	pledges
		.into_iter()
		.find(|(p, _)| *p == id)
		.map(|(_, record)| record)
		.ok_or_else(|| anyhow!("{who} has no active pledge {id}; `owh provider status` lists them"))
}

async fn renew(ctx: &Context, args: &RenewArgs, out: &mut dyn Write) -> Result<()> {
	let signer = ctx.keys.signer()?;
	let chain = ctx.chain().await?;
	let who = account_of(&signer);
	own_pledge(&chain, &who, args.pledge).await?;
	let receipt = chain
		.submit_storage_proofs("renew", (args.pledge, args.term), &signer)
		.await?;
	let record = own_pledge(&chain, &who, args.pledge).await?;
	if ctx.json {
		return print_json(
			out,
			&json!({ "pledge": args.pledge, "end": record.end, "receipt": receipt }),
		);
	}
	writeln!(
		out,
		"pledge {} now ends at block #{} (block #{})",
		args.pledge, record.end, receipt.block_number
	)?;
	Ok(())
}

async fn release(ctx: &Context, args: &ReleaseArgs, out: &mut dyn Write) -> Result<()> {
	let signer = ctx.keys.signer()?;
	let chain = ctx.chain().await?;
	let who = account_of(&signer);
	let record = own_pledge(&chain, &who, args.pledge).await?;
	let now = chain.best_block().await?;
	if now <= record.end {
		bail!(
			"pledge {}'s term runs until block #{} (now #{now}); release it after that",
			args.pledge,
			record.end
		);
	}
	let receipt = chain
		.submit_storage_proofs("release", (args.pledge,), &signer)
		.await?;
	if ctx.json {
		return print_json(
			out,
			&json!({ "pledge": args.pledge, "released": true, "receipt": receipt }),
		);
	}
	writeln!(
		out,
		"pledge {} released; its deposit of {} OWH is free (block #{})",
		args.pledge,
		format_amount(record.deposit),
		receipt.block_number
	)?;
	Ok(())
}

fn position_text(p: &SegmentPosition) -> String {
	format!(
		"artifact {} chunk {} segment {}",
		p.artifact, p.chunk, p.segment
	)
}

async fn status(ctx: &Context, args: &StatusArgs, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	let who = match &args.account {
		Some(text) => parse_account(text, &ctx.keystore)?,
		None => ctx.keys.account()?,
	};
	let info = provider_of(&chain, &who)
		.await?
		.ok_or_else(|| anyhow!("{who} is not a registered provider"))?;
	let pledges: Vec<(u32, PledgeRecord)> = chain
		.storage_proofs("pledges_of_provider", (Static(who),))
		.await?;
	let open: Vec<OpenChallenge> = chain
		.storage_proofs("open_challenges", (Static(who),))
		.await?;
	let (round, period): (StorageRound, u32) = chain.storage_proofs("round", ()).await?;
	let mut histories = Vec::with_capacity(pledges.len());
	for (id, _) in &pledges {
		let history: Vec<ClosedChallenge> = chain.storage_proofs("history", (*id,)).await?;
		histories.push(history);
	}
	if ctx.json {
		return print_json(
			out,
			&json!({
				"provider": who.to_string(),
				"endpoint": view::text(&info.endpoint),
				"capacity": info.capacity,
				"pledged": info.pledged,
				"stake": info.stake.to_string(),
				"reputation": info.reputation,
				"answered": info.answered,
				"missed": info.missed,
				"round": { "first": round.first, "end": round.end, "next": round.next, "period": period },
				"pledges": pledges.iter().zip(&histories).map(|((id, p), history)| json!({
					"id": id,
					"version": p.version.to_string(),
					"bytes": p.bytes,
					"segments": p.segments,
					"start": p.start,
					"end": p.end,
					"answered": p.answered,
					"missed": p.missed,
					"misses_in_a_row": p.misses_in_a_row,
					"history": history.iter().map(|r| json!({
						"challenge": r.id,
						"segment": r.index,
						"issued": r.issued,
						"answered": r.answered,
						"amount": r.amount.to_string(),
					})).collect::<Vec<_>>(),
				})).collect::<Vec<_>>(),
				"open_challenges": open.iter().map(|c| json!({
					"id": c.id,
					"pledge": c.challenge.pledge,
					"version": c.challenge.version.to_string(),
					"artifact": c.position.artifact,
					"chunk": c.position.chunk,
					"segment": c.position.segment,
					"deadline": c.challenge.deadline,
				})).collect::<Vec<_>>(),
			}),
		);
	}
	writeln!(
		out,
		"{who}: {} OWH staked, reputation {}/1000, {} answered, {} missed",
		format_amount(info.stake),
		info.reputation,
		info.answered,
		info.missed
	)?;
	writeln!(
		out,
		"endpoint {}; {} of {} bytes pledged",
		view::text(&info.endpoint),
		info.pledged,
		info.capacity
	)?;
	writeln!(
		out,
		"rounds of {period} blocks; the next starts at #{}",
		round.next
	)?;
	for ((id, p), history) in pledges.iter().zip(&histories) {
		writeln!(
			out,
			"pledge {id}: version {} until #{}, {} answered, {} missed ({} in a row)",
			p.version, p.end, p.answered, p.missed, p.misses_in_a_row
		)?;
		for record in history.iter().rev().take(5) {
			match record.answered {
				Some(at) => writeln!(
					out,
					"  challenge {} (segment {}) answered in #{at}, +{} OWH",
					record.id,
					record.index,
					format_amount(record.amount)
				)?,
				None => writeln!(
					out,
					"  challenge {} (segment {}) MISSED, {} OWH slashed",
					record.id,
					record.index,
					format_amount(record.amount)
				)?,
			}
		}
	}
	for c in &open {
		writeln!(
			out,
			"open: challenge {} on version {} ({}), answer by #{}",
			c.id,
			c.challenge.version,
			position_text(&c.position),
			c.challenge.deadline
		)?;
	}
	Ok(())
}

/// The proof of `position` in `manifest`'s version, from the store's bytes and chunk list.
pub fn segment_proof(
	store: &LocalStore,
	manifest: &Manifest,
	position: &SegmentPosition,
) -> Result<SegmentProof> {
	let artifact = manifest
		.artifacts
		.get(position.artifact as usize)
		.ok_or_else(|| anyhow!("the manifest has no artifact {}", position.artifact))?;
	let path = view::text(&artifact.path);
	let rule = crate::model::leaf_rule(manifest)?;
	let object = store.object_path(&artifact.sha256);
	let chunks = chunk_count(artifact.size, artifact.chunk_size);
	let leaves = match store.leaves(&artifact.sha256) {
		Some(leaves) if leaves.len() as u64 == chunks => leaves,
		_ => {
			let (_, leaves) =
				crate::integrity::hashing::file_leaves(&object, artifact.chunk_size, rule, &|_| {})
					.with_context(|| format!("cannot read {path} from the store"))?;
			let _ = store.write_leaves(&artifact.sha256, &leaves);
			leaves
		}
	};
	let start = position
		.chunk
		.saturating_mul(u64::from(artifact.chunk_size));
	let len = artifact
		.size
		.saturating_sub(start)
		.min(u64::from(artifact.chunk_size));
	let mut bytes = vec![0u8; len as usize];
	let mut file = File::open(&object)
		.with_context(|| format!("{path} is not in the store at {}", object.display()))?;
	file.seek(SeekFrom::Start(start))?;
	file.read_exact(&mut bytes)
		.with_context(|| format!("{path} in the store is shorter than its manifest says"))?;
	build_segment_proof(&leaves, position.chunk, &bytes, position.segment)
		.ok_or_else(|| anyhow!("{path} has no {}", position_text(position)))
}

/// The manifest of `version`, from the store or else from the chain (then kept in the store).
async fn manifest_of(chain: &Chain, store: &LocalStore, version: &VersionId) -> Result<Manifest> {
	if let Some(manifest) = store.manifest(version) {
		return Ok(manifest);
	}
	let info = chain
		.version(version)
		.await?
		.ok_or_else(|| anyhow!("version {version} is not on the chain"))?;
	let _ = store.save_manifest(&info.record.manifest);
	Ok(info.record.manifest)
}

/// The daemon's memory of challenges: those answered (or being answered) this round, and
/// those whose submission failed with the outcome unknown.
#[derive(Default)]
struct Answers {
	done: BTreeSet<u64>,
	unsure: BTreeMap<u64, Unsure>,
}

/// An answer whose submission failed after it was sent: the chain may hold it or not.
struct Unsure {
	challenge: OpenChallenge,
	proof_us: u64,
	seen: Instant,
}

/// One answer the chain accepted, as the daemon logs it.
struct Answer<'a> {
	challenge: &'a OpenChallenge,
	proof_us: u64,
	block: u64,
	/// Learnt from the chain's state after the submission failed (the node went away).
	confirmed_after_reconnect: bool,
}

impl Answer<'_> {
	fn write(&self, json: bool, elapsed: Duration, out: &mut dyn Write) -> Result<()> {
		let c = self.challenge;
		if json {
			let mut line = json!({
				"challenge": c.id,
				"version": c.challenge.version.to_string(),
				"artifact": c.position.artifact,
				"chunk": c.position.chunk,
				"segment": c.position.segment,
				"proof_us": self.proof_us,
				"block": self.block,
			});
			// The time to finality is known only when the submission saw it.
			if self.confirmed_after_reconnect {
				line["confirmed_after_reconnect"] = json!(true);
			} else {
				line["finalized_ms"] = json!(elapsed.as_millis() as u64);
			}
			writeln!(out, "{line}")?;
		} else if self.confirmed_after_reconnect {
			writeln!(
				out,
				"answered challenge {} ({}) of version {}: proof in {} µs, in #{} (confirmed after reconnecting)",
				c.id,
				position_text(&c.position),
				c.challenge.version,
				self.proof_us,
				self.block,
			)?;
		} else {
			writeln!(
				out,
				"answered challenge {} ({}) of version {}: proof in {} µs, finalized in #{} after {:.1} s",
				c.id,
				position_text(&c.position),
				c.challenge.version,
				self.proof_us,
				self.block,
				elapsed.as_secs_f64()
			)?;
		}
		out.flush()?;
		Ok(())
	}
}

/// Asks the chain about answers whose submission failed: logs those it holds, warns about those
/// missed, and keeps those still open (the pass that follows sends them again). Returns how
/// many it logged.
async fn confirm_unsure(
	ctx: &Context,
	chain: &Chain,
	answers: &mut Answers,
	out: &mut dyn Write,
) -> Result<usize> {
	let Answers { done, unsure } = answers;
	let mut confirmed = 0;
	let ids: Vec<u64> = unsure.keys().copied().collect();
	for id in ids {
		let answered_in = match chain.challenge(id).await? {
			// Still open: the pass that follows sends it again, or, if the open list no longer
			// holds it (its answer was finalized meanwhile), the next one confirms it.
			Some(c) if c.answered.is_none() => continue,
			Some(c) => c.answered,
			// Its round closed: the pledge's history says how it ended.
			None => {
				let pledge = unsure[&id].challenge.challenge.pledge;
				let history: Vec<ClosedChallenge> =
					chain.storage_proofs("history", (pledge,)).await?;
				match history.iter().find(|r| r.id == id) {
					Some(record) => {
						if record.answered.is_none() {
							ctx.warn(&format!(
								"challenge {id}: no answer was accepted before its deadline; it was missed"
							));
						}
						record.answered
					}
					None => {
						ctx.warn(&format!(
							"challenge {id}: its round closed and the pledge's history no longer holds it; whether it was answered is unknown"
						));
						None
					}
				}
			}
		};
		let Some(item) = unsure.remove(&id) else {
			continue;
		};
		if let Some(block) = answered_in {
			done.insert(id);
			confirmed += 1;
			let answer = Answer {
				challenge: &item.challenge,
				proof_us: item.proof_us,
				block: block.into(),
				confirmed_after_reconnect: true,
			};
			answer.write(ctx.json, item.seen.elapsed(), out)?;
		}
	}
	Ok(confirmed)
}

/// One pass: answers every open challenge not answered yet. Returns how many were answered.
async fn answer_open(
	ctx: &Context,
	chain: &Chain,
	store: &LocalStore,
	signer: &Keypair,
	who: &AccountId32,
	answers: &mut Answers,
	out: &mut dyn Write,
) -> Result<usize> {
	let mut answered = confirm_unsure(ctx, chain, answers, out).await?;
	let Answers { done, unsure } = answers;
	let open: Vec<OpenChallenge> = chain
		.storage_proofs("open_challenges", (Static(*who),))
		.await?;
	for challenge in open {
		if !done.insert(challenge.id) {
			continue;
		}
		// Sent again below, so no longer unsure; a failure makes it unsure again.
		unsure.remove(&challenge.id);
		let seen = Instant::now();
		let manifest = match manifest_of(chain, store, &challenge.challenge.version).await {
			Ok(manifest) => manifest,
			Err(e) => {
				// The node may have gone away: the challenge stays to be answered after the
				// reconnect.
				done.remove(&challenge.id);
				return Err(e);
			}
		};
		let proof = match tokio::task::block_in_place(|| {
			segment_proof(store, &manifest, &challenge.position)
		}) {
			Ok(proof) => proof,
			Err(e) => {
				ctx.warn(&format!(
					"challenge {} on version {} ({}): cannot build the proof: {e:#}",
					challenge.id,
					challenge.challenge.version,
					position_text(&challenge.position)
				));
				continue;
			}
		};
		// A proof the runtime would refuse is not sent: the store's bytes no longer match the
		// on-chain root, and the challenge will be missed.
		if let Err(e) = VersionRoots::of(&manifest).check(&challenge.position, &proof) {
			ctx.warn(&format!(
				"challenge {} on version {} ({}): the store's bytes do not prove it ({e:?}); the segment is lost or damaged, and the challenge will be missed",
				challenge.id,
				challenge.challenge.version,
				position_text(&challenge.position)
			));
			continue;
		}
		let built = seen.elapsed();
		match chain
			.submit_storage_proofs("answer", (challenge.id, Static(proof)), signer)
			.await
		{
			Ok(receipt) => {
				answered += 1;
				let answer = Answer {
					challenge: &challenge,
					proof_us: built.as_micros() as u64,
					block: receipt.block_number,
					confirmed_after_reconnect: false,
				};
				answer.write(ctx.json, seen.elapsed(), out)?;
			}
			Err(e) => {
				// Maybe answered: the node may have gone away after taking the answer. The next
				// pass asks the chain; while the round lasts and it is still open, it is sent again.
				done.remove(&challenge.id);
				ctx.warn(&format!("challenge {}: {e:#}", challenge.id));
				unsure.insert(
					challenge.id,
					Unsure {
						challenge,
						proof_us: built.as_micros() as u64,
						seen,
					},
				);
			}
		}
	}
	Ok(answered)
}

/// Seconds between two attempts to reach a node that is away.
const RECONNECT_AFTER: Duration = Duration::from_secs(3);

async fn daemon(ctx: &Context, args: &RunArgs, out: &mut dyn Write) -> Result<()> {
	use futures_util::{FutureExt, StreamExt};
	let signer = ctx.keys.signer()?;
	let who = account_of(&signer);
	let store = ctx.open_store()?;
	let stall = Duration::from_secs(args.stall.max(1));
	let mut answers = Answers::default();
	loop {
		let chain = match ctx.chain().await {
			Ok(chain) => chain,
			Err(e) if !args.once => {
				ctx.warn(&format!(
					"{e:#}; retrying in {} s",
					RECONNECT_AFTER.as_secs()
				));
				tokio::time::sleep(RECONNECT_AFTER).await;
				continue;
			}
			Err(e) => return Err(e),
		};
		if provider_of(&chain, &who).await?.is_none() {
			bail!("{who} is not a registered provider; `owh provider register` first");
		}
		if args.once {
			answer_open(ctx, &chain, &store, &signer, &who, &mut answers, out).await?;
			return Ok(());
		}
		// Subscribed before the first pass, so no block finalized during it is missed.
		let mut blocks = match chain.finalized_blocks().await {
			Ok(blocks) => blocks,
			Err(e) => {
				ctx.warn(&format!("{e:#}; reconnecting"));
				tokio::time::sleep(RECONNECT_AFTER).await;
				continue;
			}
		};
		if !ctx.json {
			writeln!(
				out,
				"answering challenges to {who} from the store at {}",
				store.root().display()
			)?;
			out.flush()?;
		}
		loop {
			if let Err(e) = answer_open(ctx, &chain, &store, &signer, &who, &mut answers, out).await
			{
				// The node went away or restarted: connect again.
				ctx.warn(&format!("{e:#}; reconnecting"));
				break;
			}
			// Forget challenges of closed rounds.
			if let Ok((round, _)) = chain
				.storage_proofs::<_, (StorageRound, u32)>("round", ())
				.await
			{
				answers.done.retain(|id| *id >= round.first);
			}
			// Wait for the next finalized block; answer passes wait for finality, so the
			// blocks finalized meanwhile are skipped over rather than read one by one.
			match tokio::time::timeout(stall, blocks.next()).await {
				Ok(Some(Ok(_))) => while let Some(Some(Ok(_))) = blocks.next().now_or_never() {},
				Ok(Some(Err(e))) => {
					ctx.warn(&format!("{e:#}; reconnecting"));
					break;
				}
				Ok(None) => {
					ctx.warn("the node closed the finalized-block subscription; reconnecting");
					break;
				}
				Err(_) => {
					ctx.warn(&format!(
						"no block finalized in {} s; reconnecting",
						stall.as_secs()
					));
					break;
				}
			}
		}
		tokio::time::sleep(RECONNECT_AFTER).await;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sizes_parse_in_binary_units() {
		assert_eq!(parse_bytes("1234"), Ok(1234));
		assert_eq!(parse_bytes("10K"), Ok(10 << 10));
		assert_eq!(parse_bytes("4MiB"), Ok(4 << 20));
		assert_eq!(parse_bytes("1.5G"), Ok(3 << 29));
		assert_eq!(parse_bytes("2T"), Ok(2 << 40));
		assert!(parse_bytes("0").is_err());
		assert!(parse_bytes("5X").is_err());
		assert!(parse_bytes("lots").is_err());
	}
}
