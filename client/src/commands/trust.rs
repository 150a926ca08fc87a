//! `owh trust init|show`: the trust anchor proven reads start from.

use super::print_json;
use crate::{
	chain::proof::Anchor,
	context::Context,
	exit::{failed, Kind},
};
use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use serde_json::json;
use std::{io::Write, path::PathBuf, time::Instant};

#[derive(Subcommand, Debug)]
pub enum TrustCommand {
	/// Anchor a chain from its raw chain spec: the genesis hash is computed from the genesis
	/// storage, and the first GRANDPA authority set read from it.
	Init(InitArgs),
	/// Prove the newest finalized block from the anchor, through the node on --url.
	Show,
}

#[derive(Args, Debug)]
pub struct InitArgs {
	/// A raw chain spec (`owh-node build-spec --chain <chain> --raw`), obtained from a source
	/// you trust, not from the node you will query.
	#[arg(long)]
	pub chain_spec: PathBuf,
	/// Replace an existing anchor (and its checkpoint) of the same chain.
	#[arg(long)]
	pub force: bool,
}

pub async fn run(ctx: &Context, cmd: &TrustCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		TrustCommand::Init(args) => init(ctx, args, out),
		TrustCommand::Show => show(ctx, out).await,
	}
}

fn init(ctx: &Context, args: &InitArgs, out: &mut dyn Write) -> Result<()> {
	let text = std::fs::read_to_string(&args.chain_spec)
		.with_context(|| format!("cannot read {}", args.chain_spec.display()))?;
	let spec: serde_json::Value = serde_json::from_str(&text)
		.with_context(|| format!("{} is not JSON", args.chain_spec.display()))?;
	let anchor = Anchor::from_raw_chain_spec(&spec)
		.with_context(|| format!("{}", args.chain_spec.display()))?;
	let genesis = crate::chain::proof::hex32_of(&anchor.genesis_hash)?;
	let path = Anchor::path(&ctx.anchors, &genesis);
	if path.exists() && !args.force {
		anyhow::bail!(
			"{} already anchors this chain (perhaps at a later checkpoint); pass --force to start again from the genesis",
			path.display()
		);
	}
	let path = anchor.save(&ctx.anchors)?;
	if ctx.json {
		print_json(
			out,
			&json!({ "genesis_hash": anchor.genesis_hash, "authorities": anchor.authorities.len(), "file": path }),
		)?;
	} else {
		writeln!(out, "anchored chain {} at its genesis", anchor.genesis_hash)?;
		writeln!(
			out,
			"  {} GRANDPA authorities in set 0",
			anchor.authorities.len()
		)?;
		writeln!(out, "  {}", path.display())?;
		writeln!(
			out,
			"reads from this chain are now proven; check with `owh trust show`"
		)?;
	}
	Ok(())
}

async fn show(ctx: &Context, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	let genesis = format!("0x{}", hex::encode(chain.genesis_hash()));
	let started = Instant::now();
	// Proves the block and saves an advanced checkpoint, as every anchored read does.
	let finalized = chain.finalized().await?.ok_or_else(|| {
		failed(
			Kind::NotFound,
			format!(
				"no trust anchor for chain {genesis} in {}; create one with `owh trust init --chain-spec <raw spec>`",
				ctx.anchors.display()
			),
		)
	})?;
	let seconds = started.elapsed().as_secs_f64();
	if ctx.json {
		print_json(
			out,
			&json!({
				"genesis_hash": genesis,
				"finalized_number": finalized.header.number,
				"finalized_hash": format!("{:?}", finalized.hash),
				"state_root": format!("{:?}", finalized.header.state_root),
				"set_id": finalized.set_id,
				"set_changes_followed": finalized.set_changes,
				"seconds": seconds,
			}),
		)?;
	} else {
		writeln!(out, "chain {genesis}")?;
		writeln!(
			out,
			"finalized block #{} {:?}, proven by authority set {} ({} set change(s) followed, {seconds:.2} s)",
			finalized.header.number, finalized.hash, finalized.set_id, finalized.set_changes
		)?;
	}
	Ok(())
}
