//! `owh gov`: referenda (propose, deposit, vote, unvote, status, list), the tracks, the running
//! runtime's version, and the council (members, motions, propose, vote, close).

pub(super) mod council;

use super::{print_json, validator::ValidatorState};
use crate::model::resolve::resolve;
use crate::{
	amount::{format_amount, parse_amount},
	chain::{bounded, Chain, Receipt},
	context::Context,
	governance::{self as gov, Phase, Referendum, Track},
	keys::{account_of, parse_account},
	model::refs::VersionSpec,
	view,
};
use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand, ValueEnum};
use owh_primitives::{Reason, RepoName};
use serde_json::json;
use std::{io::Write, path::PathBuf, time::Duration};
use subxt::{
	dynamic::{At, Value},
	utils::{Encoded, Static},
};

#[derive(Subcommand, Debug)]
pub enum GovCommand {
	/// Put a call to a referendum: notes its preimage, submits it on the track its origin
	/// needs and places the decision deposit.
	Propose {
		#[command(subcommand)]
		what: Proposal,
		/// Enact this many blocks after approval [default: the track's minimum].
		#[arg(long, global = true)]
		enactment: Option<u32>,
		/// Leave the decision deposit for someone else (`owh gov deposit <index>`).
		#[arg(long, global = true)]
		no_deposit: bool,
		/// Check and encode the proposal, print its call and track, submit nothing.
		#[arg(long, global = true)]
		dry_run: bool,
	},
	/// Place the decision deposit of a referendum, so it can start deciding.
	Deposit { index: u32 },
	/// Vote on a referendum; a second vote replaces the first.
	Vote(VoteArgs),
	/// Remove your vote from a referendum and unlock what it no longer locks.
	Unvote { index: u32 },
	/// One referendum: track, phase and when it ends, tally against the thresholds.
	Status {
		index: u32,
		/// Follow it until it is approved, rejected, cancelled, killed or timed out, and for
		/// an approved one until its enactment block has passed.
		#[arg(long)]
		wait: bool,
		/// Give up waiting after this many seconds (exit code 1).
		#[arg(long, default_value_t = 600, requires = "wait")]
		timeout: u64,
	},
	/// The latest referenda, newest first.
	List {
		/// How many.
		#[arg(long, default_value_t = 20)]
		limit: u32,
	},
	/// The referendum tracks: origin, deposit, periods.
	Tracks,
	/// The runtime the chain runs now (spec name and version).
	Runtime,
	/// The consortium council: members, motions, proposing, voting and closing.
	#[command(subcommand)]
	Council(council::CouncilCommand),
}

/// What a referendum or a council motion proposes.
#[derive(Subcommand, Debug, Clone)]
pub enum Proposal {
	/// A runtime upgrade (`System::set_code`) on the root track.
	Upgrade {
		/// The compressed runtime wasm (`*.compact.compressed.wasm`).
		#[arg(long)]
		wasm: PathBuf,
	},
	/// Yank a version for everyone (a security advisory), on the registry_admin track.
	Yank {
		/// `<repo>@<alias|version>` or a version id.
		version: VersionSpec,
		/// Shown to everyone who tries to install it.
		#[arg(long)]
		reason: String,
	},
	/// Undo a yank by governance, on the registry_admin track.
	Unyank { version: VersionSpec },
	/// Give a repository to another account (a squatted name), on the registry_admin track.
	TransferRepo {
		repo: String,
		/// The new owner: SS58 address or keystore name.
		new_owner: String,
	},
	/// Retire a license offer, on the registry_admin track.
	RetireOffer {
		offer: u32,
		#[arg(long)]
		reason: String,
	},
	/// Set a runtime parameter (`owh gov propose set-param --help` lists them).
	SetParam {
		/// `Module.Name`, e.g. `Storage.DepositPerByte`, or just the name.
		name: String,
		/// An amount: OWH like `0.02`, or units like `5u`.
		value: String,
	},
	/// Add a council member (council motion or root referendum).
	AddMember { account: String },
	/// Remove a council member (council motion or root referendum).
	RemoveMember { account: String },
	/// Add a validator whose session keys are registered, on the validator_admin track.
	AddValidator { account: String },
	/// Remove a validator, on the validator_admin track.
	RemoveValidator { account: String },
	/// Set the session length in blocks, on the validator_admin track.
	SessionLength { blocks: u32 },
	/// Register an attestor, which may then attest the named metrics; its bond is held at
	/// enactment (registry_admin track).
	RegisterAttestor {
		/// The attestor's account: SS58 address or keystore name.
		account: String,
		/// A display name, e.g. `ci.example.org`.
		#[arg(long)]
		name: String,
		/// A metric it may attest. Repeatable.
		#[arg(long = "metric", required = true)]
		metrics: Vec<String>,
	},
	/// Suspend an attestor: it cannot attest and gates stop counting its attestations
	/// (registry_admin track).
	SuspendAttestor { account: String },
	/// Reinstate a suspended attestor, holding its bond again (registry_admin track).
	ReinstateAttestor { account: String },
	/// Rule on a dispute (registry_admin track): --upheld slashes the attestor's bond,
	/// --rejected pays the disputer's bond to the attestor.
	#[command(group = clap::ArgGroup::new("ruling").required(true))]
	RuleDispute {
		id: u64,
		/// The attestation is false.
		#[arg(long, group = "ruling")]
		upheld: bool,
		/// The attestation stands.
		#[arg(long, group = "ruling")]
		rejected: bool,
	},
	/// Approve a version for a protected alias whose gate asks for governance approval (a
	/// council motion, or a registry_admin referendum).
	ApprovePromotion {
		repo: String,
		alias: String,
		/// A version id or `<repo>@<ref>`.
		version: VersionSpec,
	},
	/// Any call, SCALE-encoded as hex, for what the other forms do not cover.
	Call {
		/// `0x…` encoded call.
		hex: String,
		/// The track to submit it on; must be the one the call's origin needs.
		#[arg(long)]
		track: Option<String>,
	},
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Side {
	Aye,
	Nay,
}

#[derive(Args, Debug)]
pub struct VoteArgs {
	pub index: u32,
	pub side: Side,
	/// Balance to vote with, locked while the referendum runs (and longer with conviction).
	#[arg(long)]
	pub amount: String,
	/// 0 counts 0.1× and locks only while voting; 1–6 count 1×–6× and lock 1–32 periods.
	#[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=6))]
	pub conviction: u8,
}

pub async fn run(ctx: &Context, cmd: &GovCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		GovCommand::Propose {
			what,
			enactment,
			no_deposit,
			dry_run,
		} => propose(ctx, what, *enactment, *no_deposit, *dry_run, out).await,
		GovCommand::Deposit { index } => deposit(ctx, *index, out).await,
		GovCommand::Vote(args) => vote(ctx, args, out).await,
		GovCommand::Unvote { index } => unvote(ctx, *index, out).await,
		GovCommand::Status {
			index,
			wait,
			timeout,
		} => {
			status(
				ctx,
				*index,
				wait.then(|| Duration::from_secs(*timeout)),
				out,
			)
			.await
		}
		GovCommand::List { limit } => list(ctx, *limit, out).await,
		GovCommand::Tracks => show_tracks(ctx, out).await,
		GovCommand::Runtime => runtime(ctx, out).await,
		GovCommand::Council(cmd) => council::run(ctx, cmd, out).await,
	}
}

/// The origin a referendum on `track` dispatches with (the runtime's `TracksInfo::track_for`).
fn origin_of_track(track: &str) -> Result<Value> {
	let custom = |name: &str| Value::unnamed_variant("Origins", [Value::unnamed_variant(name, [])]);
	Ok(match track {
		"root" => Value::unnamed_variant("system", [Value::unnamed_variant("Root", [])]),
		"registry_admin" => custom("RegistryAdmin"),
		"validator_admin" => custom("ValidatorAdmin"),
		"parameters" => custom("ParameterAdmin"),
		other => bail!("the client does not know the origin of track {other:?}"),
	})
}

/// The track a call must be proposed on: the origin its pallet checks, as the runtime wires it.
fn track_for_call(pallet: &str, call: &str) -> Option<&'static str> {
	match (pallet, call) {
		("Registry" | "Licensing", c) if c.starts_with("force_") => Some("registry_admin"),
		(
			"Promotion",
			"register_attestor"
			| "set_attestor_suspended"
			| "force_set_gate"
			| "approve_promotion"
			| "rule_dispute",
		) => Some("registry_admin"),
		("Parameters", _) => Some("parameters"),
		("ValidatorSet", "add_validator" | "remove_validator" | "set_session_length") => {
			Some("validator_admin")
		}
		("System" | "Membership" | "Scheduler" | "Preimage" | "Balances" | "Sudo", _) => {
			Some("root")
		}
		_ => None,
	}
}

/// A proposal made into a call, with the track it belongs on and how the council treats it.
pub(super) struct Built {
	call: Vec<u8>,
	pallet: String,
	name: String,
	track: String,
	/// The share of the council a motion needs, as (numerator, denominator, strictly more).
	council: Option<(u32, u32, bool)>,
	summary: String,
}

pub(super) async fn build(ctx: &Context, chain: &Chain, what: &Proposal) -> Result<Built> {
	const TWO_THIRDS: Option<(u32, u32, bool)> = Some((2, 3, false));
	let (call, track, council, summary) = match what {
		Proposal::Upgrade { wasm } => {
			let code = std::fs::read(wasm)
				.with_context(|| format!("cannot read the runtime {}", wasm.display()))?;
			if code.len() > gov::MAX_PREIMAGE_LEN {
				bail!(
					"{} is {} bytes; a preimage holds at most {} bytes (Preimage::TooBig); propose the compressed runtime (*.compact.compressed.wasm)",
					wasm.display(),
					code.len(),
					gov::MAX_PREIMAGE_LEN
				);
			}
			let (name, version) = gov::wasm_runtime_version(&code)
				.with_context(|| format!("{} is not a runtime", wasm.display()))?;
			let (chain_name, chain_version) = chain.runtime_version().await?;
			if name != chain_name {
				bail!("{} is a runtime of {name:?}, this chain runs {chain_name:?} (System::InvalidSpecName)", wasm.display());
			}
			if version <= chain_version {
				bail!(
					"{} has spec_version {version}, the chain already runs {chain_version}; an upgrade must raise spec_version (System::SpecVersionNeedsToIncrease)",
					wasm.display()
				);
			}
			let summary = format!(
				"upgrade the runtime from spec_version {chain_version} to {version} ({} bytes)",
				code.len()
			);
			(
				chain
					.call_data(&subxt::dynamic::tx("System", "set_code", (Static(code),)))
					.await?,
				"root",
				None,
				summary,
			)
		}
		Proposal::Yank { version, reason } => {
			let reason = super::yank::yank_reason(reason)?;
			let (id, info) = resolve(chain, version).await?;
			if info.yanked.is_some() {
				bail!("version {id} is already yanked (Registry::AlreadyYanked)");
			}
			(
				chain
					.call_data(&subxt::dynamic::tx(
						"Registry",
						"force_yank_version",
						(Static(id), Static(reason)),
					))
					.await?,
				"registry_admin",
				TWO_THIRDS,
				format!("yank {}@{id}", view::text(&info.record.manifest.repository)),
			)
		}
		Proposal::Unyank { version } => {
			let (id, info) = resolve(chain, version).await?;
			if info.yanked.is_none() {
				bail!("version {id} is not yanked (Registry::NotYanked)");
			}
			(
				chain
					.call_data(&subxt::dynamic::tx(
						"Registry",
						"force_unyank_version",
						(Static(id),),
					))
					.await?,
				"registry_admin",
				TWO_THIRDS,
				format!(
					"unyank {}@{id}",
					view::text(&info.record.manifest.repository)
				),
			)
		}
		Proposal::TransferRepo { repo, new_owner } => {
			let name: RepoName = bounded(repo, "repository", owh_primitives::MAX_REPO_NAME_LEN)?;
			let owner = parse_account(new_owner, &ctx.keystore)?;
			let Some(current) = chain.repository(repo).await? else {
				bail!("repository {repo} does not exist (Registry::UnknownRepository)");
			};
			if current.owner == owner {
				bail!("{owner} already owns {repo}");
			}
			(
				chain
					.call_data(&subxt::dynamic::tx(
						"Registry",
						"force_transfer_repository",
						(Static(name), super::repo::address(owner)),
					))
					.await?,
				"registry_admin",
				TWO_THIRDS,
				format!("give {repo} from {} to {owner}", current.owner),
			)
		}
		Proposal::RetireOffer { offer, reason } => {
			if reason.trim().is_empty() {
				bail!("--reason must not be empty; it is recorded with the retired offer");
			}
			let reason: Reason = bounded(reason, "reason", owh_primitives::MAX_REASON_LEN)?;
			match chain.offer(*offer).await? {
				None => bail!("offer {offer} does not exist (Licensing::UnknownOffer)"),
				Some(o) if o.retired.is_some() => bail!("offer {offer} is already retired"),
				Some(_) => {}
			}
			(
				chain
					.call_data(&subxt::dynamic::tx(
						"Licensing",
						"force_retire_offer",
						(Static(*offer), Static(reason)),
					))
					.await?,
				"registry_admin",
				TWO_THIRDS,
				format!("retire offer {offer}"),
			)
		}
		Proposal::SetParam { name, value } => {
			let names = chain.parameter_names().await?;
			let matches: Vec<_> = names
				.iter()
				.filter(|(module, param)| {
					format!("{module}.{param}").eq_ignore_ascii_case(name)
						|| param.eq_ignore_ascii_case(name)
				})
				.collect();
			let [(module, param)] = matches[..] else {
				bail!(
					"{name:?} is not one parameter of this chain; the parameters are {}",
					names
						.iter()
						.map(|(m, p)| format!("{m}.{p}"))
						.collect::<Vec<_>>()
						.join(", ")
				);
			};
			let amount = parse_amount(value)?;
			let key_value = Value::unnamed_variant(
				module.clone(),
				[Value::unnamed_variant(
					param.clone(),
					[
						Value::unnamed_composite([]),
						Value::unnamed_variant("Some", [Value::u128(amount)]),
					],
				)],
			);
			(
				chain
					.call_data(&subxt::dynamic::tx(
						"Parameters",
						"set_parameter",
						vec![key_value],
					))
					.await?,
				"parameters",
				None,
				format!("set {module}.{param} to {}", format_amount(amount)),
			)
		}
		Proposal::AddMember { account } | Proposal::RemoveMember { account } => {
			let who = parse_account(account, &ctx.keystore)?;
			let members = council::council_members(chain).await?;
			let adding = matches!(what, Proposal::AddMember { .. });
			if adding && members.contains(&who) {
				bail!("{who} is already a council member (Membership::AlreadyMember)");
			}
			if !adding && !members.contains(&who) {
				bail!("{who} is not a council member (Membership::NotMember)");
			}
			let call = if adding {
				"add_member"
			} else {
				"remove_member"
			};
			(
				chain
					.call_data(&subxt::dynamic::tx(
						"Membership",
						call,
						(super::repo::address(who),),
					))
					.await?,
				"root",
				TWO_THIRDS,
				format!(
					"{} council member {who}",
					if adding { "add" } else { "remove" }
				),
			)
		}
		Proposal::AddValidator { account } | Proposal::RemoveValidator { account } => {
			let who = parse_account(account, &ctx.keystore)?;
			let state = ValidatorState::read(chain).await?;
			let adding = matches!(what, Proposal::AddValidator { .. });
			let member = state.planned.contains(&who);
			if adding {
				if member {
					bail!("{who} is already a validator (ValidatorSet::AlreadyAValidator)");
				}
				if state.planned.len() as u32 >= state.max {
					bail!("the set holds {} validators, the most it can (ValidatorSet::TooManyValidators); remove one first", state.max);
				}
				if !super::validator::has_keys(chain, &who).await? {
					bail!("{who} has no session keys (ValidatorSet::NoSessionKeys); its operator runs `owh validator keys` on its node first");
				}
			} else {
				if !member {
					bail!("{who} is not a validator (ValidatorSet::NotAValidator); see `owh validator list`");
				}
				if state.planned.len() as u32 <= state.min {
					bail!("removing {who} would leave fewer than {} validators (ValidatorSet::TooFewValidators); add its replacement first", state.min);
				}
			}
			let call = if adding {
				"add_validator"
			} else {
				"remove_validator"
			};
			(
				chain
					.call_data(&subxt::dynamic::tx(
						"ValidatorSet",
						call,
						(super::repo::address(who),),
					))
					.await?,
				"validator_admin",
				TWO_THIRDS,
				format!(
					"{} validator {who} (from session {} at the earliest)",
					if adding { "add" } else { "remove" },
					state.effective_session()
				),
			)
		}
		Proposal::SessionLength { blocks } => {
			let (min, max) = (
				chain
					.constant("ValidatorSet", "MinSessionLength")
					.await?
					.as_u128()
					.unwrap_or_default(),
				chain
					.constant("ValidatorSet", "MaxSessionLength")
					.await?
					.as_u128()
					.unwrap_or_default(),
			);
			if !(min..=max).contains(&u128::from(*blocks)) {
				bail!("a session must be {min} to {max} blocks long (ValidatorSet::SessionLengthOutOfRange)");
			}
			(
				chain
					.call_data(&subxt::dynamic::tx(
						"ValidatorSet",
						"set_session_length",
						(Static(*blocks),),
					))
					.await?,
				"validator_admin",
				TWO_THIRDS,
				format!("make sessions {blocks} blocks long"),
			)
		}
		Proposal::RegisterAttestor {
			account,
			name,
			metrics,
		} => {
			let who = parse_account(account, &ctx.keystore)?;
			let (call, summary) =
				super::attest::register_attestor(chain, who, name, metrics).await?;
			(call, "registry_admin", TWO_THIRDS, summary)
		}
		Proposal::SuspendAttestor { account } | Proposal::ReinstateAttestor { account } => {
			let who = parse_account(account, &ctx.keystore)?;
			let suspend = matches!(what, Proposal::SuspendAttestor { .. });
			let (call, summary) = super::attest::suspend_attestor(chain, who, suspend).await?;
			(call, "registry_admin", TWO_THIRDS, summary)
		}
		Proposal::RuleDispute {
			id,
			upheld,
			rejected: _,
		} => {
			let (call, summary) = super::attest::rule_dispute(chain, *id, *upheld).await?;
			(call, "registry_admin", TWO_THIRDS, summary)
		}
		Proposal::ApprovePromotion {
			repo,
			alias,
			version,
		} => {
			let (call, summary) =
				super::gate::approve_promotion(chain, repo, alias, version).await?;
			(call, "registry_admin", TWO_THIRDS, summary)
		}
		Proposal::Call { hex: text, track } => {
			let call = hex::decode(text.trim().trim_start_matches("0x")).map_err(|e| {
				anyhow!("the call is not hex ({e}); give the SCALE-encoded call as 0x…")
			})?;
			let (pallet, name) = chain.call_name(&call).await?;
			let needed = track_for_call(&pallet, &name);
			let track = match (needed, track.as_deref()) {
				(Some(needed), Some(given)) if needed != given => bail!(
					"{pallet}::{name} needs the origin of track {needed}; on track {given} its enactment would fail with BadOrigin"
				),
				(Some(needed), _) => needed.to_string(),
				(None, Some(given)) => given.to_string(),
				(None, None) => bail!(
					"the client does not know which origin {pallet}::{name} needs; say which track with --track"
				),
			};
			return Ok(Built {
				summary: format!("{pallet}::{name} ({} bytes)", call.len()),
				call,
				pallet,
				name,
				council: TWO_THIRDS,
				track,
			});
		}
	};
	let (pallet, name) = chain.call_name(&call).await?;
	Ok(Built {
		call,
		pallet,
		name,
		track: track.to_string(),
		council,
		summary,
	})
}

/// Submits a payload with a spinner, naming what it waits for.
pub(super) async fn submit<P: subxt::transactions::Payload>(
	ctx: &Context,
	chain: &Chain,
	what: &str,
	payload: &P,
	signer: &subxt_signer::sr25519::Keypair,
) -> Result<Receipt> {
	let spinner = ctx.spinner(&format!("{what}: waiting for finality"));
	let result = chain.submit_payload(payload, signer).await;
	spinner.finish_and_clear();
	result
}

async fn propose(
	ctx: &Context,
	what: &Proposal,
	enactment: Option<u32>,
	no_deposit: bool,
	dry_run: bool,
	out: &mut dyn Write,
) -> Result<()> {
	let signer = if dry_run {
		None
	} else {
		Some(ctx.keys.signer()?)
	};
	let chain = ctx.chain().await?;
	let built = build(ctx, &chain, what).await?;
	let tracks = gov::tracks(&chain).await?;
	let track = gov::track_named(&tracks, &built.track)?;
	let origin = origin_of_track(&track.name)?;
	let enactment = enactment.unwrap_or(track.min_enactment_period);
	if enactment < track.min_enactment_period {
		bail!(
			"--enactment {enactment} is below the {} track's minimum of {} blocks",
			track.name,
			track.min_enactment_period
		);
	}
	let hash = gov::blake2_256(&built.call);
	let Some(signer) = signer else {
		if ctx.json {
			return print_json(
				out,
				&json!({
					"track": track.name,
					"call": format!("{}::{}", built.pallet, built.name),
					"summary": built.summary,
					"call_hex": format!("0x{}", hex::encode(&built.call)),
					"preimage_hash": format!("0x{}", hex::encode(hash)),
					"preimage_len": built.call.len(),
					"enactment_after": enactment,
				}),
			);
		}
		writeln!(
			out,
			"dry run, nothing submitted: {} on track {}",
			built.summary, track.name
		)?;
		writeln!(
			out,
			"  call {}::{}, preimage 0x{} ({} bytes)",
			built.pallet,
			built.name,
			hex::encode(hash),
			built.call.len()
		)?;
		if built.call.len() <= 4096 {
			writeln!(out, "  0x{}", hex::encode(&built.call))?;
		}
		return Ok(());
	};
	let me = account_of(&signer);
	// Deposits the proposer needs up front: the submission deposit and, unless left to
	// others, the track's decision deposit (the preimage's deposit comes on top).
	let submission_deposit = gov_balance(&chain, "Referenda", "SubmissionDeposit").await?;
	let needed = submission_deposit
		+ if no_deposit {
			0
		} else {
			track.decision_deposit
		};
	let free = chain.account(&me).await?.free;
	if free < needed {
		bail!(
			"{me} has {} free; a proposal on {} takes {} ({} submission{}); top the account up or pass --no-deposit",
			format_amount(free),
			track.name,
			format_amount(needed),
			format_amount(submission_deposit),
			if no_deposit { String::new() } else { format!(" + {} decision deposit", format_amount(track.decision_deposit)) }
		);
	}
	let max_len = normal_block_length(&chain).await?;
	// Room for the batch, the submit call and the signed extrinsic around the preimage.
	if built.call.len() + 1024 > max_len as usize {
		bail!(
			"the call is {} bytes; the largest transaction a block takes is {max_len} bytes, so its preimage cannot be noted",
			built.call.len()
		);
	}
	let len = built.call.len() as u32;
	let already_noted = chain
		.storage_value(
			"Preimage",
			"RequestStatusFor",
			vec![Value::from_bytes(hash)],
		)
		.await?
		.is_some();
	let submit_call = chain
		.call_data(&subxt::dynamic::tx(
			"Referenda",
			"submit",
			vec![
				origin,
				Value::named_variant(
					"Lookup",
					[
						("hash", Value::from_bytes(hash)),
						("len", Value::u128(len.into())),
					],
				),
				Value::unnamed_variant("After", [Value::u128(enactment.into())]),
			],
		))
		.await?;
	let mut calls = Vec::new();
	if !already_noted {
		calls.push(Encoded(
			chain
				.call_data(&subxt::dynamic::tx(
					"Preimage",
					"note_preimage",
					vec![Value::from_bytes(&built.call)],
				))
				.await?,
		));
	}
	calls.push(Encoded(submit_call));
	let batch = subxt::dynamic::tx("Utility", "batch_all", (Static(calls),));
	let receipt = submit(
		ctx,
		&chain,
		&format!("proposing: {}", built.summary),
		&batch,
		&signer,
	)
	.await?;
	let submitted: Vec<(u32, u16)> = receipt.events_of("Referenda", "Submitted")?;
	let (index, _) = *submitted
		.first()
		.ok_or_else(|| anyhow!("the chain recorded no Referenda::Submitted event"))?;
	let deposit_receipt = if no_deposit {
		None
	} else {
		let payload = subxt::dynamic::tx(
			"Referenda",
			"place_decision_deposit",
			vec![Value::u128(index.into())],
		);
		Some(
			submit(ctx, &chain, "placing the decision deposit", &payload, &signer)
				.await
				.with_context(|| {
					format!("referendum {index} was submitted, but its decision deposit was not placed; retry with `owh gov deposit {index}`")
				})?,
		)
	};
	if ctx.json {
		return print_json(
			out,
			&json!({
				"index": index,
				"track": track.name,
				"call": format!("{}::{}", built.pallet, built.name),
				"summary": built.summary,
				"preimage_hash": format!("0x{}", hex::encode(hash)),
				"preimage_len": len,
				"preimage_noted": !already_noted,
				"enactment_after": enactment,
				"decision_deposit": deposit_receipt.as_ref().map(|_| track.decision_deposit.to_string()),
				"receipt": receipt,
				"deposit_receipt": deposit_receipt,
			}),
		);
	}
	writeln!(
		out,
		"referendum {index} on track {}: {} (block #{})",
		track.name, built.summary, receipt.block_number
	)?;
	writeln!(
		out,
		"  call {}::{}, preimage 0x{} ({len} bytes{})",
		built.pallet,
		built.name,
		hex::encode(hash),
		if already_noted { ", already noted" } else { "" }
	)?;
	match deposit_receipt {
		Some(r) => writeln!(
			out,
			"  decision deposit {} placed (block #{}); it decides after {} blocks of preparation",
			format_amount(track.decision_deposit),
			r.block_number,
			track.prepare_period
		)?,
		None => writeln!(
			out,
			"  no decision deposit yet: `owh gov deposit {index}` ({})",
			format_amount(track.decision_deposit)
		)?,
	}
	writeln!(out, "  vote: owh gov vote {index} aye --amount <OWH>")?;
	Ok(())
}

async fn gov_balance(chain: &Chain, pallet: &str, name: &str) -> Result<u128> {
	chain
		.constant(pallet, name)
		.await?
		.as_u128()
		.ok_or_else(|| anyhow!("{pallet}::{name} is not an amount"))
}

/// The largest normal transaction a block takes (`System::BlockLength`).
async fn normal_block_length(chain: &Chain) -> Result<u32> {
	let length = chain.constant("System", "BlockLength").await?;
	length
		.at("max")
		.and_then(|m| m.at("normal"))
		.and_then(|n| n.as_u128())
		.map(|n| n as u32)
		.ok_or_else(|| anyhow!("cannot read System::BlockLength"))
}

async fn ongoing(chain: &Chain, index: u32) -> Result<Referendum> {
	let referendum = Referendum::read(chain, index)
		.await?
		.ok_or_else(|| anyhow!("referendum {index} does not exist; see `owh gov list`"))?;
	if referendum.ongoing.is_none() {
		bail!(
			"referendum {index} is {} already; only ongoing referenda take deposits and votes (Referenda::NotOngoing)",
			referendum.phase
		);
	}
	Ok(referendum)
}

async fn deposit(ctx: &Context, index: u32, out: &mut dyn Write) -> Result<()> {
	let signer = ctx.keys.signer()?;
	let chain = ctx.chain().await?;
	let referendum = ongoing(&chain, index).await?;
	let details = referendum.ongoing.as_ref().expect("checked ongoing");
	if let Some(d) = &details.decision_deposit {
		bail!(
			"referendum {index} already has its decision deposit, from {} (Referenda::HasDeposit)",
			d.who
		);
	}
	let payload = subxt::dynamic::tx(
		"Referenda",
		"place_decision_deposit",
		vec![Value::u128(index.into())],
	);
	let receipt = submit(
		ctx,
		&chain,
		"placing the decision deposit",
		&payload,
		&signer,
	)
	.await?;
	if ctx.json {
		return print_json(out, &json!({ "index": index, "receipt": receipt }));
	}
	writeln!(
		out,
		"decision deposit placed on referendum {index} (block #{})",
		receipt.block_number
	)?;
	Ok(())
}

async fn vote(ctx: &Context, args: &VoteArgs, out: &mut dyn Write) -> Result<()> {
	let signer = ctx.keys.signer()?;
	let me = account_of(&signer);
	let chain = ctx.chain().await?;
	let amount = parse_amount(&args.amount)?;
	if amount == 0 {
		bail!("--amount must be more than 0; a vote counts the balance it locks");
	}
	let referendum = ongoing(&chain, args.index).await?;
	let track = referendum.ongoing.as_ref().expect("checked ongoing").track;
	let balance = chain.account(&me).await?;
	if amount > balance.free + balance.reserved {
		bail!(
			"{me} has {} free; a vote can lock at most the account's balance (ConvictionVoting::InsufficientFunds)",
			format_amount(balance.free)
		);
	}
	let previous = gov::vote_of(&chain, &me, track, args.index).await?;
	let aye = args.side == Side::Aye;
	let payload = subxt::dynamic::tx(
		"ConvictionVoting",
		"vote",
		vec![
			Value::u128(args.index.into()),
			Value::named_variant(
				"Standard",
				[
					(
						"vote",
						Value::unnamed_composite([Value::u128(
							(u8::from(aye) << 7 | args.conviction).into(),
						)]),
					),
					("balance", Value::u128(amount)),
				],
			),
		],
	);
	let receipt = submit(ctx, &chain, "voting", &payload, &signer).await?;
	let side = if aye { "aye" } else { "nay" };
	if ctx.json {
		return print_json(
			out,
			&json!({
				"index": args.index,
				"vote": side,
				"conviction": args.conviction,
				"amount": amount.to_string(),
				"replaced": previous,
				"receipt": receipt,
			}),
		);
	}
	writeln!(
		out,
		"voted {side} on referendum {} with {} at conviction {} (block #{})",
		args.index,
		format_amount(amount),
		args.conviction,
		receipt.block_number
	)?;
	if let Some(p) = previous {
		writeln!(
			out,
			"  it replaces your earlier vote of {} ({})",
			format_amount(p.balance),
			match p.aye {
				Some(true) => "aye",
				Some(false) => "nay",
				None => "split",
			}
		)?;
	}
	Ok(())
}

async fn unvote(ctx: &Context, index: u32, out: &mut dyn Write) -> Result<()> {
	let signer = ctx.keys.signer()?;
	let me = account_of(&signer);
	let chain = ctx.chain().await?;
	let referendum = Referendum::read(&chain, index)
		.await?
		.ok_or_else(|| anyhow!("referendum {index} does not exist; see `owh gov list`"))?;
	// A finished referendum no longer records its track; find the vote on any track.
	let tracks: Vec<u16> = match &referendum.ongoing {
		Some(o) => vec![o.track],
		None => gov::tracks(&chain).await?.iter().map(|t| t.id).collect(),
	};
	let mut found = None;
	for track in tracks {
		if gov::vote_of(&chain, &me, track, index).await?.is_some() {
			found = Some(track);
			break;
		}
	}
	let Some(track) = found else {
		bail!("{me} has no vote on referendum {index} (ConvictionVoting::NotVoter)");
	};
	let calls = vec![
		Encoded(
			chain
				.call_data(&subxt::dynamic::tx(
					"ConvictionVoting",
					"remove_vote",
					vec![
						Value::unnamed_variant("Some", [Value::u128(track.into())]),
						Value::u128(index.into()),
					],
				))
				.await?,
		),
		Encoded(
			chain
				.call_data(&subxt::dynamic::tx(
					"ConvictionVoting",
					"unlock",
					(Static(track), super::repo::address(me)),
				))
				.await?,
		),
	];
	let batch = subxt::dynamic::tx("Utility", "batch_all", (Static(calls),));
	let receipt = submit(ctx, &chain, "removing the vote", &batch, &signer).await?;
	if ctx.json {
		return print_json(out, &json!({ "index": index, "receipt": receipt }));
	}
	writeln!(
		out,
		"removed your vote on referendum {index} (block #{})",
		receipt.block_number
	)?;
	Ok(())
}

/// A referendum with what the chain says around it, for `status` and `list`.
struct Report {
	referendum: Referendum,
	track: Option<Track>,
	proposal: Option<String>,
	phase_end: Option<(u32, &'static str)>,
	approval: Option<(u32, Option<u32>)>,
	support: Option<(u32, Option<u32>)>,
}

/// What every report reads from the chain once: the tracks, the timeout of referenda that
/// never start deciding, the issuance support is counted against, the finalized block.
struct Facts {
	tracks: Vec<Track>,
	undeciding_timeout: u32,
	issuance: u128,
	now: u32,
}

impl Facts {
	async fn read(chain: &Chain) -> Result<Self> {
		Ok(Self {
			tracks: gov::tracks(chain).await?,
			undeciding_timeout: chain
				.constant("Referenda", "UndecidingTimeout")
				.await?
				.as_u128()
				.unwrap_or(0) as u32,
			issuance: gov::active_issuance(chain).await?,
			now: chain.best_block().await?,
		})
	}
}

async fn report(chain: &Chain, facts: &Facts, referendum: Referendum) -> Result<Report> {
	let Some(o) = referendum.ongoing.clone() else {
		return Ok(Report {
			referendum,
			track: None,
			proposal: None,
			phase_end: None,
			approval: None,
			support: None,
		});
	};
	let track = facts.tracks.iter().find(|t| t.id == o.track).cloned();
	let phase_end = referendum.phase_end(track.as_ref(), facts.undeciding_timeout);
	let bytes = match (&o.proposal_inline, &o.proposal_hash, o.proposal_len) {
		(Some(raw), _, _) => Some(raw.clone()),
		(None, Some(hash), Some(len)) => {
			let hash = hex::decode(hash)?;
			chain
				.storage_bytes(
					"Preimage",
					"PreimageFor",
					vec![Value::unnamed_composite([
						Value::from_bytes(&hash),
						Value::u128(len.into()),
					])],
				)
				.await
				.ok()
				.flatten()
				.and_then(|b| <Vec<u8> as codec::Decode>::decode(&mut &b[..]).ok())
		}
		_ => None,
	};
	let proposal = match bytes {
		Some(b) => chain
			.call_name(&b)
			.await
			.ok()
			.map(|(p, c)| format!("{p}::{c}")),
		None => None,
	};
	let elapsed = o
		.deciding_since
		.map(|since| facts.now.saturating_sub(since));
	let needs = |curve: Option<&gov::LinearCurve>| {
		let (curve, track, elapsed) = (curve?, track.as_ref()?, elapsed?);
		Some(curve.threshold(elapsed, track.decision_period))
	};
	let approval = gov::per_billion(o.tally.ayes, o.tally.ayes + o.tally.nays);
	let support = gov::per_billion(o.tally.support, facts.issuance);
	Ok(Report {
		approval: Some((
			approval,
			needs(track.as_ref().and_then(|t| t.min_approval.as_ref())),
		)),
		support: Some((
			support,
			needs(track.as_ref().and_then(|t| t.min_support.as_ref())),
		)),
		referendum,
		track,
		proposal,
		phase_end,
	})
}

fn percent(ppb: u32) -> String {
	format!("{:.2}%", ppb as f64 / 10_000_000.0)
}

fn report_json(r: &Report) -> serde_json::Value {
	let o = r.referendum.ongoing.as_ref();
	json!({
		"index": r.referendum.index,
		"phase": r.referendum.phase,
		"finished_at": r.referendum.finished_at,
		"track": r.track.as_ref().map(|t| t.name.clone()),
		"proposal": r.proposal,
		"origin": o.map(|o| o.origin.clone()),
		"proposal_hash": o.and_then(|o| o.proposal_hash.as_ref().map(|h| format!("0x{h}"))),
		"proposal_len": o.and_then(|o| o.proposal_len),
		"enactment": o.map(|o| o.enactment.clone()),
		"submitted": o.map(|o| o.submitted),
		"submission_deposit": o.map(|o| json!({"who": o.submission_deposit.who, "amount": o.submission_deposit.amount.to_string()})),
		"decision_deposit": o.and_then(|o| o.decision_deposit.as_ref().map(|d| json!({"who": d.who, "amount": d.amount.to_string()}))),
		"deciding_since": o.and_then(|o| o.deciding_since),
		"confirming_until": o.and_then(|o| o.confirming_until),
		"phase_ends": r.phase_end.map(|(block, then)| json!({"block": block, "then": then})),
		"tally": o.map(|o| json!({
			"ayes": o.tally.ayes.to_string(),
			"nays": o.tally.nays.to_string(),
			"support": o.tally.support.to_string(),
		})),
		"approval_ppb": r.approval.map(|a| a.0),
		"approval_needed_ppb": r.approval.and_then(|a| a.1),
		"support_ppb": r.support.map(|s| s.0),
		"support_needed_ppb": r.support.and_then(|s| s.1),
	})
}

fn report_human(r: &Report, out: &mut dyn Write) -> Result<()> {
	let index = r.referendum.index;
	let Some(o) = &r.referendum.ongoing else {
		writeln!(
			out,
			"referendum {index}: {} at block #{}",
			r.referendum.phase,
			r.referendum.finished_at.unwrap_or_default()
		)?;
		return Ok(());
	};
	let track = r.track.as_ref().map(|t| t.name.as_str()).unwrap_or("?");
	write!(out, "referendum {index} · {track} · {}", r.referendum.phase)?;
	match r.phase_end {
		Some((block, then)) => writeln!(out, " until block #{block} (then it {then})")?,
		None => writeln!(out)?,
	}
	writeln!(
		out,
		"  proposal    {} ({} bytes{})",
		r.proposal.as_deref().unwrap_or("preimage not noted"),
		o.proposal_len.unwrap_or_default(),
		o.proposal_hash
			.as_ref()
			.map(|h| format!(", 0x{h}"))
			.unwrap_or_default()
	)?;
	writeln!(out, "  origin      {}", o.origin)?;
	writeln!(
		out,
		"  submitted   block #{} by {} (deposit {})",
		o.submitted,
		o.submission_deposit.who,
		format_amount(o.submission_deposit.amount)
	)?;
	match &o.decision_deposit {
		Some(d) => writeln!(
			out,
			"  decision    deposit {} by {}{}",
			format_amount(d.amount),
			d.who,
			o.deciding_since
				.map(|s| format!("; deciding since block #{s}"))
				.unwrap_or_default()
		)?,
		None => writeln!(
			out,
			"  decision    no deposit yet: `owh gov deposit {index}`"
		)?,
	}
	let needed = |x: Option<(u32, Option<u32>)>| match x {
		Some((have, Some(need))) => format!("{} (needs {})", percent(have), percent(need)),
		Some((have, None)) => percent(have),
		None => "?".into(),
	};
	writeln!(
		out,
		"  tally       ayes {} · nays {} · approval {} · support {}",
		format_amount(o.tally.ayes),
		format_amount(o.tally.nays),
		needed(r.approval),
		needed(r.support)
	)?;
	writeln!(out, "  enactment   {}", o.enactment)?;
	Ok(())
}

async fn status(
	ctx: &Context,
	index: u32,
	wait: Option<Duration>,
	out: &mut dyn Write,
) -> Result<()> {
	let chain = ctx.chain().await?;
	let read = || async {
		Referendum::read(&chain, index)
			.await?
			.ok_or_else(|| anyhow!("referendum {index} does not exist; see `owh gov list`"))
	};
	let mut referendum = read().await?;
	let mut enactment = None;
	if let Some(limit) = wait {
		let started = std::time::Instant::now();
		let spinner = ctx.spinner(&format!("referendum {index}: {}", referendum.phase));
		// The enactment delay, read while the referendum is still ongoing.
		let mut delay = None;
		// The first finalized block not yet searched for the enactment.
		let mut unsearched = None;
		loop {
			if let Some(o) = &referendum.ongoing {
				delay = o.enactment_after;
			}
			match (referendum.phase, referendum.finished_at) {
				(Phase::Approved, Some(at)) => {
					// Enacted in the block `delay` after approval, at least the next one.
					let due = at + delay.unwrap_or(1).max(1);
					let finalized = chain.best_block().await?;
					if finalized >= due {
						// The scheduler may run the call later than asked (the track's minimum
						// enactment period, a full agenda), so every finalized block since the
						// approval is searched, each once.
						let from = unsearched.unwrap_or(at);
						enactment = gov::find_enactment(&chain, index, from, finalized).await?;
						unsearched = Some(finalized + 1);
						if enactment.is_some() {
							break;
						}
					}
					spinner.set_message(format!(
						"referendum {index}: approved at block #{at}, enacted in block #{due}"
					));
				}
				(_, Some(_)) => break,
				_ => spinner.set_message(format!("referendum {index}: {}", referendum.phase)),
			}
			if started.elapsed() > limit {
				spinner.finish_and_clear();
				bail!(
					"referendum {index} is still {} after {} s",
					referendum.phase,
					limit.as_secs()
				);
			}
			tokio::time::sleep(Duration::from_secs(2)).await;
			referendum = read().await?;
		}
		spinner.finish_and_clear();
	}
	let facts = Facts::read(&chain).await?;
	let r = report(&chain, &facts, referendum).await?;
	if ctx.json {
		let mut value = report_json(&r);
		value["block"] = json!(facts.now);
		if wait.is_some() {
			value["enactment"] = json!(enactment);
		}
		print_json(out, &value)?;
	} else {
		report_human(&r, out)?;
		match &enactment {
			Some(gov::Enactment { block, error: None }) => {
				writeln!(out, "  enacted in block #{block}")?
			}
			Some(gov::Enactment {
				block,
				error: Some(e),
			}) => writeln!(out, "  enacted in block #{block}, but the call failed: {e}")?,
			None => {}
		}
	}
	// Waiting for an outcome fails unless the call ran and succeeded.
	if wait.is_some() && r.referendum.phase == Phase::Approved {
		match enactment {
			Some(gov::Enactment { error: None, .. }) => {}
			Some(gov::Enactment { error: Some(e), .. }) => {
				bail!("referendum {index} was approved, but its call failed when enacted: {e}")
			}
			None => bail!("referendum {index} was approved, but its enactment was not found in the blocks after approval"),
		}
	}
	Ok(())
}

async fn list(ctx: &Context, limit: u32, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	let count = gov::referendum_count(&chain).await?;
	let facts = Facts::read(&chain).await?;
	let mut reports = Vec::new();
	for index in (count.saturating_sub(limit)..count).rev() {
		if let Some(r) = Referendum::read(&chain, index).await? {
			reports.push(report(&chain, &facts, r).await?);
		}
	}
	if ctx.json {
		return print_json(
			out,
			&json!({ "count": count, "block": facts.now, "referenda": reports.iter().map(report_json).collect::<Vec<_>>() }),
		);
	}
	if reports.is_empty() {
		writeln!(out, "no referenda yet; see `owh gov propose --help`")?;
	}
	for r in &reports {
		let track = r.track.as_ref().map(|t| t.name.as_str()).unwrap_or("");
		let when = match (r.phase_end, r.referendum.finished_at) {
			(Some((block, _)), _) => format!("until #{block}"),
			(None, Some(at)) => format!("at #{at}"),
			_ => String::new(),
		};
		let tally = r
			.referendum
			.ongoing
			.as_ref()
			.map(|o| {
				format!(
					"ayes {} nays {}",
					format_amount(o.tally.ayes),
					format_amount(o.tally.nays)
				)
			})
			.unwrap_or_default();
		writeln!(
			out,
			"{:>4}  {:<15} {:<11} {:<12} {:<28} {}",
			r.referendum.index,
			track,
			r.referendum.phase.to_string(),
			when,
			r.proposal.as_deref().unwrap_or(""),
			tally
		)?;
	}
	Ok(())
}

async fn show_tracks(ctx: &Context, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	let tracks = gov::tracks(&chain).await?;
	if ctx.json {
		return print_json(
			out,
			&json!(tracks
				.iter()
				.map(|t| {
					let mut v = serde_json::to_value(t).unwrap_or_default();
					v["decision_deposit"] = json!(t.decision_deposit.to_string());
					v
				})
				.collect::<Vec<_>>()),
		);
	}
	writeln!(
		out,
		"{:>3}  {:<16} {:>16} {:>8} {:>9} {:>8} {:>10} {:>6}",
		"id", "name", "decision deposit", "prepare", "decision", "confirm", "enactment", "max"
	)?;
	for t in &tracks {
		writeln!(
			out,
			"{:>3}  {:<16} {:>16} {:>8} {:>9} {:>8} {:>10} {:>6}",
			t.id,
			t.name,
			format_amount(t.decision_deposit),
			t.prepare_period,
			t.decision_period,
			t.confirm_period,
			t.min_enactment_period,
			t.max_deciding
		)?;
	}
	writeln!(out, "periods in blocks; max = referenda deciding at once")?;
	Ok(())
}

async fn runtime(ctx: &Context, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	let (name, version) = chain.runtime_version().await?;
	let block = chain.best_block().await?;
	if ctx.json {
		return print_json(
			out,
			&json!({ "spec_name": name, "spec_version": version, "block": block }),
		);
	}
	writeln!(out, "{name} spec_version {version} (block #{block})")?;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn calls_map_to_the_track_of_the_origin_they_need() {
		assert_eq!(track_for_call("System", "set_code"), Some("root"));
		assert_eq!(track_for_call("Membership", "add_member"), Some("root"));
		assert_eq!(
			track_for_call("Registry", "force_yank_version"),
			Some("registry_admin")
		);
		assert_eq!(
			track_for_call("Licensing", "force_retire_offer"),
			Some("registry_admin")
		);
		assert_eq!(
			track_for_call("Parameters", "set_parameter"),
			Some("parameters")
		);
		for call in [
			"register_attestor",
			"set_attestor_suspended",
			"force_set_gate",
			"approve_promotion",
			"rule_dispute",
		] {
			assert_eq!(track_for_call("Promotion", call), Some("registry_admin"));
		}
		// A maintainer's, owner's or attestor's own call has no governance track.
		assert_eq!(track_for_call("Registry", "yank_version"), None);
		assert_eq!(track_for_call("Promotion", "set_gate"), None);
		assert_eq!(track_for_call("Promotion", "attest"), None);
	}

	#[test]
	fn every_track_has_its_origin_and_unknown_tracks_none() {
		for track in ["root", "registry_admin", "validator_admin", "parameters"] {
			assert!(origin_of_track(track).is_ok(), "{track}");
		}
		assert_eq!(
			gov::variant(&origin_of_track("registry_admin").unwrap()),
			Some("Origins")
		);
		assert!(origin_of_track("treasury").is_err());
	}
}
