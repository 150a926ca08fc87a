//! `owh receipt <repo>@<ref> -o receipt.json`: an audit receipt of a version, checked offline by
//! `owh verify <dir> --receipt receipt.json`.

use super::{print_json, write_output};
use crate::model::resolve::resolve;
use crate::{
	chain::audit::{self, Proven},
	context::Context,
	model::refs::{RepoRef, VersionSpec},
	view,
};
use anyhow::{bail, Result};
use clap::Args;
use serde_json::{json, Value};
use std::{io::Write, path::PathBuf};

#[derive(Args, Debug)]
pub struct ReceiptArgs {
	/// The version: `<repo>@<alias>` (the receipt then proves the alias too),
	/// `<repo>@<version>`, `<repo>` or a version id.
	pub version: VersionSpec,
	/// The receipt file to write.
	#[arg(long, short = 'o')]
	pub output: PathBuf,
	/// Replace the output file if it exists.
	#[arg(long)]
	pub force: bool,
}

pub async fn run(ctx: &Context, args: &ReceiptArgs, out: &mut dyn Write) -> Result<()> {
	if args.output.exists() && !args.force {
		bail!(
			"{} already exists; pass --force to replace it",
			args.output.display()
		);
	}
	let chain = ctx.chain().await?;
	let (id, info) = resolve(&chain, &args.version).await?;
	let repo = view::text(&info.record.manifest.repository);
	let alias = match &args.version {
		VersionSpec::InRepo {
			reference: RepoRef::Alias(alias),
			..
		} => Some(alias.as_str()),
		_ => None,
	};
	let proven = audit::create(&chain, &repo, alias, id).await?;
	let bytes = audit::to_bytes(&proven.receipt)?;
	write_output(&args.output, &bytes, args.force)?;
	if ctx.json {
		let mut summary = summary_json(&proven);
		summary["file"] = json!(args.output);
		summary["bytes"] = json!(bytes.len());
		print_json(out, &summary)?;
	} else {
		writeln!(
			out,
			"wrote {} ({}): {}",
			args.output.display(),
			view::size(bytes.len() as u64),
			summary_line(&proven)
		)?;
		writeln!(
			out,
			"check a copy of the files against it, offline: owh verify <dir> --receipt {}",
			args.output.display()
		)?;
	}
	Ok(())
}

/// What a receipt proves, for `--json`.
pub fn summary_json(proven: &Proven) -> Value {
	let r = &proven.receipt;
	json!({
		"version": proven.id.to_string(),
		"repository": r.repository,
		"alias": r.alias,
		"genesis_hash": r.genesis_hash,
		"block_number": r.block_number,
		"block_hash": r.block_hash,
		"set_id": proven.set_id,
		"yanked": r.version.get("yanked"),
	})
}

/// What a receipt proves, in a line.
pub fn summary_line(proven: &Proven) -> String {
	let r = &proven.receipt;
	let named = match &r.alias {
		Some(alias) => format!("{}@{alias} = version {}", r.repository, proven.id),
		None => format!("version {} of {}", proven.id, r.repository),
	};
	let status = match &proven.info.yanked {
		Some(y) => format!("YANKED at #{}: {}", y.block, view::text(&y.reason)),
		None => "not yanked".into(),
	};
	format!(
		"{named}, {status}, at block #{} {} finalized by authority set {} of chain {}",
		r.block_number, r.block_hash, proven.set_id, r.genesis_hash
	)
}
