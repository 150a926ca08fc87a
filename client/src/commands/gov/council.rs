//! `owh gov council`: members, open motions, proposing, voting and closing.

use super::{build, submit, Built, Proposal, Side};
use crate::{
	chain::{Chain, Receipt},
	commands::print_json,
	context::Context,
	governance::Referendum,
	keys::account_of,
};
use anyhow::{anyhow, bail, Result};
use clap::Subcommand;
use serde_json::json;
use std::io::Write;
use subxt::{
	dynamic::Value,
	utils::{AccountId32, Encoded, Static},
};

#[derive(Subcommand, Debug)]
pub enum CouncilCommand {
	/// Council members (and the prime member).
	Members,
	/// Open motions with their votes and thresholds.
	Motions,
	/// Propose a motion; with a threshold of 1 it executes at once.
	Propose {
		#[command(subcommand)]
		what: MotionProposal,
		/// Ayes needed [default: the proportion the call's origin needs of the members].
		#[arg(long, global = true)]
		threshold: Option<u32>,
	},
	/// Vote on a motion (by index or hash).
	Vote { motion: String, side: Side },
	/// Close a motion that has enough votes (or whose time is up): executes or drops it.
	Close { motion: String },
}

/// What a council motion proposes: anything a referendum can, or the fate of a referendum.
#[derive(Subcommand, Debug, Clone)]
pub enum MotionProposal {
	#[command(flatten)]
	Call(Proposal),
	/// Cancel a referendum, refunding its deposits (more than 1/2 of the members).
	Cancel { index: u32 },
	/// Kill a referendum, slashing its deposits (2/3 of the members).
	Kill { index: u32 },
}

async fn build_motion(ctx: &Context, chain: &Chain, what: &MotionProposal) -> Result<Built> {
	let (index, call, council) = match what {
		MotionProposal::Call(proposal) => return build(ctx, chain, proposal).await,
		MotionProposal::Cancel { index } => (*index, "cancel", (1, 2, true)),
		MotionProposal::Kill { index } => (*index, "kill", (2, 3, false)),
	};
	let referendum = Referendum::read(chain, index)
		.await?
		.ok_or_else(|| anyhow!("referendum {index} does not exist; see `owh gov list`"))?;
	if referendum.ongoing.is_none() {
		bail!(
			"referendum {index} is already {} (Referenda::NotOngoing)",
			referendum.phase
		);
	}
	let encoded = chain
		.call_data(&subxt::dynamic::tx("Referenda", call, (Static(index),)))
		.await?;
	Ok(Built {
		call: encoded,
		pallet: "Referenda".into(),
		name: call.into(),
		track: "root".into(),
		council: Some(council),
		summary: format!("{call} referendum {index}"),
	})
}

pub(super) async fn council_members(chain: &Chain) -> Result<Vec<AccountId32>> {
	let members = chain
		.storage_bytes("Membership", "Members", vec![])
		.await?
		.unwrap_or_default();
	<Vec<AccountId32> as codec::Decode>::decode(&mut &members[..])
		.map_err(|e| anyhow!("cannot decode Membership::Members: {e}"))
}

/// An open council motion.
#[derive(serde::Serialize)]
struct Motion {
	index: u32,
	hash: String,
	call: Option<String>,
	threshold: u32,
	ayes: Vec<String>,
	nays: Vec<String>,
	end: u32,
	#[serde(skip)]
	raw_hash: [u8; 32],
}

async fn motions(chain: &Chain) -> Result<Vec<Motion>> {
	#[derive(codec::Decode)]
	struct Votes {
		index: u32,
		threshold: u32,
		ayes: Vec<AccountId32>,
		nays: Vec<AccountId32>,
		end: u32,
	}
	let hashes: Vec<[u8; 32]> = match chain.storage_bytes("Council", "Proposals", vec![]).await? {
		Some(bytes) => codec::Decode::decode(&mut &bytes[..])
			.map_err(|e| anyhow!("cannot decode Council::Proposals: {e}"))?,
		None => Vec::new(),
	};
	let mut motions = Vec::new();
	for hash in hashes {
		let Some(bytes) = chain
			.storage_bytes("Council", "Voting", vec![Value::from_bytes(hash)])
			.await?
		else {
			continue;
		};
		let votes: Votes = codec::Decode::decode(&mut &bytes[..])
			.map_err(|e| anyhow!("cannot decode Council::Voting: {e}"))?;
		let call = match chain
			.storage_bytes("Council", "ProposalOf", vec![Value::from_bytes(hash)])
			.await?
		{
			Some(b) => chain
				.call_name(&b)
				.await
				.ok()
				.map(|(p, c)| format!("{p}::{c}")),
			None => None,
		};
		motions.push(Motion {
			index: votes.index,
			hash: format!("0x{}", hex::encode(hash)),
			call,
			threshold: votes.threshold,
			ayes: votes.ayes.iter().map(|a| a.to_string()).collect(),
			nays: votes.nays.iter().map(|a| a.to_string()).collect(),
			end: votes.end,
			raw_hash: hash,
		});
	}
	Ok(motions)
}

async fn find_motion(chain: &Chain, motion: &str) -> Result<Motion> {
	let open = motions(chain).await?;
	let wanted = motion.trim().to_ascii_lowercase();
	open.into_iter()
		.find(|m| m.index.to_string() == wanted || m.hash == wanted || m.hash[2..] == wanted)
		.ok_or_else(|| {
			anyhow!("there is no open council motion {motion} (Council::ProposalMissing); see `owh gov council motions`")
		})
}

fn require_member(members: &[AccountId32], me: &AccountId32) -> Result<()> {
	if !members.contains(me) {
		bail!("{me} is not a council member; only members propose and vote on motions (Council::NotMember); see `owh gov council members`");
	}
	Ok(())
}

pub async fn run(ctx: &Context, cmd: &CouncilCommand, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	match cmd {
		CouncilCommand::Members => {
			let members = council_members(&chain).await?;
			let prime: Option<AccountId32> = chain
				.storage_bytes("Council", "Prime", vec![])
				.await?
				.and_then(|b| codec::Decode::decode(&mut &b[..]).ok());
			if ctx.json {
				return print_json(
					out,
					&json!({
						"members": members.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
						"prime": prime.map(|p| p.to_string()),
					}),
				);
			}
			for m in &members {
				let mark = if Some(m) == prime.as_ref() {
					" (prime)"
				} else {
					""
				};
				writeln!(out, "{m}{mark}")?;
			}
			if members.is_empty() {
				writeln!(out, "the council has no members; a root referendum can add them (`owh gov propose add-member`)")?;
			}
			Ok(())
		}
		CouncilCommand::Motions => {
			let open = motions(&chain).await?;
			if ctx.json {
				return print_json(out, &json!(open));
			}
			if open.is_empty() {
				writeln!(out, "no open motions")?;
			}
			for m in &open {
				writeln!(
					out,
					"{:>3}  {}  {}  ayes {}/{} nays {}  ends #{}",
					m.index,
					m.hash,
					m.call.as_deref().unwrap_or("?"),
					m.ayes.len(),
					m.threshold,
					m.nays.len(),
					m.end
				)?;
			}
			Ok(())
		}
		CouncilCommand::Propose { what, threshold } => {
			let signer = ctx.keys.signer()?;
			let me = account_of(&signer);
			let members = council_members(&chain).await?;
			require_member(&members, &me)?;
			let built = build_motion(ctx, &chain, what).await?;
			let Some((num, den, strict)) = built.council else {
				bail!(
					"the council cannot {}: it needs the {} track; propose a referendum with `owh gov propose`",
					built.summary,
					built.track
				);
			};
			let n = members.len() as u32;
			// The fewest ayes that make the proportion num/den of the members (or more than it).
			let required = if strict {
				n * num / den + 1
			} else {
				(n * num).div_ceil(den)
			};
			let threshold = threshold.unwrap_or(required);
			if threshold < required {
				bail!("a threshold of {threshold} of {n} members is below the {num}/{den} the call's origin needs ({required}); its execution would fail with BadOrigin");
			}
			if threshold > n {
				bail!("a threshold of {threshold} is more than the {n} members could ever vote");
			}
			let payload = subxt::dynamic::tx(
				"Council",
				"propose",
				(
					Static(codec::Compact(threshold)),
					Static(Encoded(built.call.clone())),
					Static(codec::Compact(built.call.len() as u32)),
				),
			);
			let receipt = submit(
				ctx,
				&chain,
				&format!("proposing: {}", built.summary),
				&payload,
				&signer,
			)
			.await?;
			let proposed: Vec<(AccountId32, u32, [u8; 32], u32)> =
				receipt.events_of("Council", "Proposed")?;
			let executed = executed_result(&chain, &receipt).await?;
			if ctx.json {
				return print_json(
					out,
					&json!({
						"call": format!("{}::{}", built.pallet, built.name),
						"summary": built.summary,
						"threshold": threshold,
						"index": proposed.first().map(|p| p.1),
						"hash": proposed.first().map(|p| format!("0x{}", hex::encode(p.2))),
						"executed": executed.is_some(),
						"receipt": receipt,
					}),
				);
			}
			match proposed.first() {
				Some((_, index, hash, _)) => {
					writeln!(
						out,
						"council motion {index} (0x{}): {}, needs {threshold} of {n} ayes (block #{})",
						hex::encode(hash),
						built.summary,
						receipt.block_number
					)?;
					writeln!(out, "  vote: owh gov council vote {index} aye; then: owh gov council close {index}")?;
				}
				None => writeln!(
					out,
					"executed at once: {} (block #{})",
					built.summary, receipt.block_number
				)?,
			}
			Ok(())
		}
		CouncilCommand::Vote { motion, side } => {
			let signer = ctx.keys.signer()?;
			let me = account_of(&signer);
			let members = council_members(&chain).await?;
			require_member(&members, &me)?;
			let m = find_motion(&chain, motion).await?;
			let aye = *side == Side::Aye;
			let me_text = me.to_string();
			if (aye && m.ayes.contains(&me_text)) || (!aye && m.nays.contains(&me_text)) {
				bail!(
					"you already voted {} on motion {} (Council::DuplicateVote)",
					if aye { "aye" } else { "nay" },
					m.index
				);
			}
			let payload = subxt::dynamic::tx(
				"Council",
				"vote",
				(
					Static(m.raw_hash),
					Static(codec::Compact(m.index)),
					Static(aye),
				),
			);
			let receipt = submit(ctx, &chain, "voting", &payload, &signer).await?;
			let after = find_motion(&chain, motion).await.ok();
			if ctx.json {
				return print_json(
					out,
					&json!({ "motion": m.index, "vote": if aye { "aye" } else { "nay" }, "ayes": after.as_ref().map(|a| a.ayes.len()), "threshold": m.threshold, "receipt": receipt }),
				);
			}
			writeln!(
				out,
				"voted {} on council motion {} (block #{}){}",
				if aye { "aye" } else { "nay" },
				m.index,
				receipt.block_number,
				after
					.map(|a| format!("; ayes {}/{}", a.ayes.len(), a.threshold))
					.unwrap_or_default()
			)?;
			Ok(())
		}
		CouncilCommand::Close { motion } => {
			let signer = ctx.keys.signer()?;
			let m = find_motion(&chain, motion).await?;
			let now = chain.best_block().await?;
			let members = council_members(&chain).await?.len() as u32;
			let nays_decide = members.saturating_sub(m.nays.len() as u32) < m.threshold;
			if (m.ayes.len() as u32) < m.threshold && !nays_decide && now < m.end {
				bail!(
					"motion {} has {} of {} ayes and runs until block #{}; it can be closed once it has the votes or its time is up (Council::TooEarly)",
					m.index,
					m.ayes.len(),
					m.threshold,
					m.end
				);
			}
			let call = chain
				.storage_bytes("Council", "ProposalOf", vec![Value::from_bytes(m.raw_hash)])
				.await?
				.ok_or_else(|| anyhow!("the call of motion {} is not stored", m.index))?;
			let (ref_time, proof_size) = chain.call_weight(&call).await?;
			let payload = subxt::dynamic::tx(
				"Council",
				"close",
				vec![
					Value::from_bytes(m.raw_hash),
					Value::u128(m.index.into()),
					Value::named_composite([
						("ref_time", Value::u128(ref_time.into())),
						("proof_size", Value::u128(proof_size.into())),
					]),
					Value::u128(call.len() as u128),
				],
			);
			let receipt = submit(ctx, &chain, "closing the motion", &payload, &signer).await?;
			let executed = executed_result(&chain, &receipt).await?;
			let approved = !receipt
				.events_of::<[u8; 32]>("Council", "Approved")?
				.is_empty();
			if ctx.json {
				return print_json(
					out,
					&json!({ "motion": m.index, "approved": approved, "executed": executed.as_ref().map(|r| r.is_ok()), "error": executed.as_ref().and_then(|r| r.clone().err()), "receipt": receipt }),
				);
			}
			match (approved, executed) {
				(true, Some(Ok(()))) => writeln!(
					out,
					"council motion {} approved and executed: {} (block #{})",
					m.index,
					m.call.as_deref().unwrap_or("?"),
					receipt.block_number
				)?,
				(true, Some(Err(e))) => bail!(
					"council motion {} was approved, but its call failed: {e}",
					m.index
				),
				_ => writeln!(
					out,
					"council motion {} closed without the votes: disapproved (block #{})",
					m.index, receipt.block_number
				)?,
			}
			Ok(())
		}
	}
}

/// The result of a council motion executed in this transaction, if one was.
async fn executed_result(chain: &Chain, receipt: &Receipt) -> Result<Option<Result<(), String>>> {
	let Some((_, _, bytes)) = receipt
		.events
		.iter()
		.find(|(p, n, _)| p == "Council" && n == "Executed")
	else {
		return Ok(None);
	};
	// `Executed { proposal_hash: H256, result: DispatchResult }`.
	let result = bytes
		.get(32..)
		.ok_or_else(|| anyhow!("cannot decode the Council::Executed event"))?;
	Ok(Some(match result.first() {
		Some(0) => Ok(()),
		_ => Err(chain
			.dispatch_error_text(result.get(1..).unwrap_or_default())
			.await),
	}))
}
