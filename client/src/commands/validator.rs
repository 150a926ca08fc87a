//! `owh validator`: the validator set by session, key rotation with an ownership proof, and
//! proposals to add or remove validators through governance.

use super::{
	gov::{self, council, GovCommand, Proposal},
	print_json,
};
use crate::{chain::Chain, context::Context, keys::account_of};
use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand};
use codec::Decode;
use serde_json::json;
use std::io::Write;
use subxt::{
	dynamic::Value,
	utils::{AccountId32, Encoded, Static},
};

/// Bytes of the runtime's `SessionKeys`: an sr25519 Aura key and an ed25519 GRANDPA key.
const SESSION_KEYS_LEN: usize = 64;

#[derive(Subcommand, Debug)]
pub enum ValidatorCommand {
	/// The session, the active, queued and planned validator sets and blocks authored.
	List,
	/// Rotate session keys on a node with the signing account as owner and register them
	/// with their ownership proof (`ValidatorSet::set_keys`).
	Keys(KeysArgs),
	/// Propose adding a validator (whose keys are registered) through governance.
	ProposeAdd(ProposeArgs),
	/// Propose removing a validator through governance.
	ProposeRemove(ProposeArgs),
}

#[derive(Args, Debug)]
pub struct KeysArgs {
	/// The validator's node, whose keystore receives the new keys (its RPC must allow unsafe
	/// methods: listen on localhost, or `--rpc-methods unsafe`) [default: --url].
	#[arg(long)]
	pub node: Option<String>,
	/// Register these keys (hex, from `author_rotateKeysWithOwner` run elsewhere) instead of
	/// rotating on a node.
	#[arg(long, requires = "proof")]
	pub keys: Option<String>,
	/// The ownership proof that came with --keys (hex).
	#[arg(long, requires = "keys")]
	pub proof: Option<String>,
	/// Rotate and print the keys and proof, register nothing.
	#[arg(long, conflicts_with = "keys")]
	pub dry_run: bool,
}

#[derive(Args, Debug)]
pub struct ProposeArgs {
	/// The validator's account: SS58 address or keystore name.
	pub account: String,
	/// As a council motion (two thirds of the members) instead of a `validator_admin`
	/// referendum.
	#[arg(long)]
	pub council: bool,
	/// Check and encode the proposal, submit nothing.
	#[arg(long)]
	pub dry_run: bool,
}

pub async fn run(ctx: &Context, cmd: &ValidatorCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		ValidatorCommand::List => list(ctx, out).await,
		ValidatorCommand::Keys(args) => keys(ctx, args, out).await,
		ValidatorCommand::ProposeAdd(args) => {
			let what = Proposal::AddValidator {
				account: args.account.clone(),
			};
			propose(ctx, what, args, out).await
		}
		ValidatorCommand::ProposeRemove(args) => {
			let what = Proposal::RemoveValidator {
				account: args.account.clone(),
			};
			propose(ctx, what, args, out).await
		}
	}
}

async fn propose(
	ctx: &Context,
	what: Proposal,
	args: &ProposeArgs,
	out: &mut dyn Write,
) -> Result<()> {
	let cmd = if args.council {
		if args.dry_run {
			bail!("--dry-run is for referenda; `owh gov propose add-validator <account> --dry-run` shows the call a motion would carry");
		}
		GovCommand::Council(council::CouncilCommand::Propose {
			what: council::MotionProposal::Call(what),
			threshold: None,
		})
	} else {
		GovCommand::Propose {
			what,
			enactment: None,
			no_deposit: false,
			dry_run: args.dry_run,
		}
	};
	gov::run(ctx, &cmd, out).await
}

/// What the chain says about its validators now (at the latest finalized block).
pub(crate) struct ValidatorState {
	pub block: u32,
	pub session: u32,
	pub session_length: u32,
	pub session_start: u32,
	/// Validators of the current session, in authority order.
	pub active: Vec<AccountId32>,
	/// Validators of the next session.
	pub queued: Vec<AccountId32>,
	/// The set governance decided, handed to the session at its next start if `pending`.
	pub planned: Vec<AccountId32>,
	pub pending: bool,
	pub disabled: Vec<u32>,
	pub min: u32,
	pub max: u32,
}

impl ValidatorState {
	pub async fn read(chain: &Chain) -> Result<Self> {
		let no_pallet = || {
			anyhow!("this chain has no ValidatorSet pallet (runtime spec 107 or later); its authorities are fixed in genesis")
		};
		let planned: Vec<AccountId32> = decode(
			chain
				.storage_bytes("ValidatorSet", "Validators", vec![])
				.await
				.map_err(|_| no_pallet())?,
		)?;
		let queued: Vec<(AccountId32, [u8; SESSION_KEYS_LEN])> =
			decode(chain.storage_bytes("Session", "QueuedKeys", vec![]).await?)?;
		// `(index, OffenceSeverity)`, the severity a `Perbill`: the index is all that is shown.
		let disabled: Vec<(u32, u32)> = decode(
			chain
				.storage_bytes("Session", "DisabledValidators", vec![])
				.await?,
		)?;
		let disabled = disabled.into_iter().map(|(index, _)| index).collect();
		Ok(Self {
			block: chain.best_block().await?,
			session: decode(
				chain
					.storage_bytes("Session", "CurrentIndex", vec![])
					.await?,
			)?,
			session_length: decode(
				chain
					.storage_bytes("ValidatorSet", "SessionLength", vec![])
					.await?,
			)?,
			session_start: decode(
				chain
					.storage_bytes("ValidatorSet", "SessionStart", vec![])
					.await?,
			)?,
			active: decode(chain.storage_bytes("Session", "Validators", vec![]).await?)?,
			queued: queued.into_iter().map(|(who, _)| who).collect(),
			planned,
			pending: decode(
				chain
					.storage_bytes("ValidatorSet", "Changed", vec![])
					.await?,
			)?,
			disabled,
			min: constant_u32(chain, "MinValidators").await?,
			max: constant_u32(chain, "MaxValidators").await?,
		})
	}

	/// The first block of the next session.
	pub fn next_rotation(&self) -> u32 {
		self.session_start.saturating_add(self.session_length)
	}

	/// The session from which a change made now is active.
	pub fn effective_session(&self) -> u32 {
		self.session + 2
	}
}

/// A SCALE value stored under a `ValueQuery` entry (absent means the default).
fn decode<T: Decode + Default>(bytes: Option<Vec<u8>>) -> Result<T> {
	match bytes {
		None => Ok(T::default()),
		Some(bytes) => T::decode(&mut &bytes[..])
			.map_err(|e| anyhow!("cannot decode a validator-set entry: {e}")),
	}
}

async fn constant_u32(chain: &Chain, name: &str) -> Result<u32> {
	chain
		.constant("ValidatorSet", name)
		.await?
		.as_u128()
		.map(|v| v as u32)
		.ok_or_else(|| anyhow!("ValidatorSet::{name} is not a number"))
}

/// Whether `who` has session keys registered.
pub(crate) async fn has_keys(chain: &Chain, who: &AccountId32) -> Result<bool> {
	Ok(chain
		.storage_bytes("Session", "NextKeys", vec![Value::from_bytes(who.0)])
		.await?
		.is_some())
}

async fn authored(chain: &Chain, who: &AccountId32) -> Result<u32> {
	decode(
		chain
			.storage_bytes(
				"ValidatorSet",
				"AuthoredBlocks",
				vec![Value::from_bytes(who.0)],
			)
			.await?,
	)
}

async fn list(ctx: &Context, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	let state = ValidatorState::read(&chain).await?;
	let mut active = Vec::with_capacity(state.active.len());
	for (index, who) in state.active.iter().enumerate() {
		let disabled = state.disabled.contains(&(index as u32));
		active.push((*who, authored(&chain, who).await?, disabled));
	}
	if ctx.json {
		return print_json(
			out,
			&json!({
				"block": state.block,
				"session": state.session,
				"session_length": state.session_length,
				"session_start": state.session_start,
				"next_rotation": state.next_rotation(),
				"active": active.iter().map(|(who, blocks, disabled)| json!({
					"account": who.to_string(),
					"authored_blocks": blocks,
					"disabled": disabled,
				})).collect::<Vec<_>>(),
				"queued": state.queued.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
				"planned": state.planned.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
				"planned_pending": state.pending,
				"min_validators": state.min,
				"max_validators": state.max,
			}),
		);
	}
	writeln!(
		out,
		"session {} since #{} ({} blocks per session; the next starts at #{}, now #{})",
		state.session,
		state.session_start,
		state.session_length,
		state.next_rotation(),
		state.block
	)?;
	writeln!(
		out,
		"active in session {} ({}):",
		state.session,
		state.active.len()
	)?;
	for (who, blocks, disabled) in &active {
		let note = if *disabled { ", disabled" } else { "" };
		writeln!(out, "  {who}  {blocks} blocks authored this session{note}")?;
	}
	let describe = |set: &[AccountId32]| -> String {
		let added: Vec<String> = set
			.iter()
			.filter(|a| !state.active.contains(a))
			.map(|a| format!("+{a}"))
			.collect();
		let removed: Vec<String> = state
			.active
			.iter()
			.filter(|a| !set.contains(a))
			.map(|a| format!("-{a}"))
			.collect();
		if added.is_empty() && removed.is_empty() {
			"same as active".into()
		} else {
			[added, removed].concat().join(" ")
		}
	};
	writeln!(
		out,
		"queued for session {}: {}",
		state.session + 1,
		describe(&state.queued)
	)?;
	if state.pending {
		writeln!(
			out,
			"planned by governance, active from session {}: {}",
			state.session + 2,
			describe(&state.planned)
		)?;
	}
	writeln!(out, "limits: {} to {} validators", state.min, state.max)?;
	Ok(())
}

/// `author_rotateKeysWithOwner`'s answer.
#[derive(serde::Deserialize)]
struct GeneratedKeys {
	keys: String,
	proof: Option<String>,
}

fn from_hex(text: &str, what: &str) -> Result<Vec<u8>> {
	hex::decode(text.trim().trim_start_matches("0x"))
		.map_err(|e| anyhow!("the {what} is not hex ({e})"))
}

/// Rotates keys on `node` with `owner` as the proof's owner: (keys, proof).
async fn rotate_on_node(node: &str, owner: &AccountId32) -> Result<(Vec<u8>, Vec<u8>)> {
	use subxt::rpcs::{rpc_params, RpcClient};
	let client = RpcClient::from_insecure_url(node).await.map_err(|e| {
		anyhow!("cannot reach the node at {node} ({e}); pass its RPC address with --node")
	})?;
	let owner_hex = format!("0x{}", hex::encode(owner.0));
	let generated: GeneratedKeys = client
		.request("author_rotateKeysWithOwner", rpc_params![owner_hex])
		.await
		.map_err(|e| {
			anyhow!(
				"{node} refused author_rotateKeysWithOwner ({e}); it is an unsafe RPC method: run this on the validator's machine against its localhost RPC, or start the node with --rpc-methods unsafe behind a firewall"
			)
		})?;
	let proof = generated.proof.ok_or_else(|| {
		anyhow!("the node's runtime returned no ownership proof; it predates SessionKeys API version 2 and cannot register keys here")
	})?;
	Ok((
		from_hex(&generated.keys, "keys")?,
		from_hex(&proof, "proof")?,
	))
}

async fn keys(ctx: &Context, args: &KeysArgs, out: &mut dyn Write) -> Result<()> {
	let signer = ctx.keys.signer()?;
	let me = account_of(&signer);
	let chain = ctx.chain().await?;
	let state = ValidatorState::read(&chain).await?;
	// The cooldown, checked before the node's keystore gets keys that could not be used.
	let last = chain
		.storage_bytes(
			"ValidatorSet",
			"LastKeyChange",
			vec![Value::from_bytes(me.0)],
		)
		.await?
		.map(|bytes| decode::<u32>(Some(bytes)))
		.transpose()?;
	let cooldown = chain
		.constant("ValidatorSet", "KeyChangeCooldown")
		.await?
		.as_u128()
		.unwrap_or_default() as u32;
	if let Some(last) = last {
		let ready = last.saturating_add(cooldown);
		if state.block < ready {
			bail!(
				"{me} changed its session keys at #{last}; the next change is allowed from #{ready}, {} blocks from now (ValidatorSet::KeyChangeTooSoon)",
				ready - state.block
			);
		}
	}
	let (keys, proof) = match (&args.keys, &args.proof) {
		(Some(keys), Some(proof)) => (from_hex(keys, "keys")?, from_hex(proof, "proof")?),
		_ => rotate_on_node(args.node.as_deref().unwrap_or(&ctx.url), &me).await?,
	};
	if keys.len() != SESSION_KEYS_LEN {
		bail!(
			"the keys are {} bytes; this runtime's session keys are {SESSION_KEYS_LEN} (Aura sr25519 + GRANDPA ed25519)",
			keys.len()
		);
	}
	if proof.is_empty() {
		bail!("the ownership proof is empty (ValidatorSet::MissingOwnershipProof)");
	}
	let keys_hex = format!("0x{}", hex::encode(&keys));
	let proof_hex = format!("0x{}", hex::encode(&proof));
	if args.dry_run {
		if ctx.json {
			return print_json(
				out,
				&json!({ "account": me.to_string(), "keys": keys_hex, "proof": proof_hex }),
			);
		}
		writeln!(out, "dry run, nothing registered: keys {keys_hex}")?;
		writeln!(out, "  proof {proof_hex}")?;
		writeln!(
			out,
			"  register with: owh validator keys --keys {keys_hex} --proof {proof_hex}"
		)?;
		return Ok(());
	}
	let call = subxt::dynamic::tx(
		"ValidatorSet",
		"set_keys",
		(Static(Encoded(keys)), Static(proof)),
	);
	let spinner = ctx.spinner("registering the session keys: waiting for finality");
	let receipt = chain.submit_payload(&call, &signer).await;
	spinner.finish_and_clear();
	let receipt = receipt.context("registering the session keys failed")?;
	let validating = state.planned.contains(&me);
	if ctx.json {
		return print_json(
			out,
			&json!({
				"account": me.to_string(),
				"keys": keys_hex,
				"block": receipt.block_number,
				"validator": validating,
				"effective_session": state.effective_session(),
			}),
		);
	}
	writeln!(
		out,
		"registered session keys {keys_hex} for {me} in block #{}",
		receipt.block_number
	)?;
	if validating {
		writeln!(
			out,
			"  {me} validates with them from session {}",
			state.effective_session()
		)?;
	} else {
		writeln!(
			out,
			"  next: governance adds {me} (owh validator propose-add {me})"
		)?;
	}
	Ok(())
}
