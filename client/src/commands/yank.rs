//! `owh yank` and `owh unyank`.

use super::print_json;
use crate::model::resolve::resolve;
use crate::{chain::bounded, context::Context, keys::account_of, model::refs::VersionSpec, view};
use anyhow::{bail, Result};
use clap::Args;
use owh_primitives::{Reason, RepoName};
use serde_json::json;
use std::io::Write;
use subxt::utils::Static;

#[derive(Args, Debug)]
pub struct YankArgs {
	/// `<repo>@<alias|version>` or a version id.
	pub version: VersionSpec,
	/// Why it is yanked; shown to everyone who tries to install it.
	#[arg(long)]
	pub reason: String,
}

#[derive(Args, Debug)]
pub struct UnyankArgs {
	/// `<repo>@<alias|version>` or a version id.
	pub version: VersionSpec,
}

/// A yank's `--reason`: not blank, and short enough for the chain.
pub fn yank_reason(text: &str) -> Result<Reason> {
	if text.trim().is_empty() {
		bail!("--reason must not be empty; users who try to install the version will see it");
	}
	bounded(text, "reason", owh_primitives::MAX_REASON_LEN)
}

pub async fn yank(ctx: &Context, args: &YankArgs, out: &mut dyn Write) -> Result<()> {
	change(ctx, &args.version, Some(yank_reason(&args.reason)?), out).await
}

pub async fn unyank(ctx: &Context, args: &UnyankArgs, out: &mut dyn Write) -> Result<()> {
	change(ctx, &args.version, None, out).await
}

async fn change(
	ctx: &Context,
	spec: &VersionSpec,
	reason: Option<Reason>,
	out: &mut dyn Write,
) -> Result<()> {
	let signer = ctx.keys.signer()?;
	let chain = ctx.chain().await?;
	let (id, info) = resolve(&chain, spec).await?;
	let repo_text = view::text(&info.record.manifest.repository);
	let repository = super::repo::require_role(
		&chain,
		&repo_text,
		&account_of(&signer),
		super::repo::Need::Maintainer,
	)
	.await?;
	let repo: RepoName = bounded(&repo_text, "repository", owh_primitives::MAX_REPO_NAME_LEN)?;
	let yanking = reason.is_some();
	match (yanking, info.yanked.is_some()) {
		(true, true) => bail!("version {id} is already yanked"),
		(false, false) => bail!("version {id} is not yanked"),
		_ => {}
	}
	// Protected aliases stay at a yanked version (security first; the chain keeps a snapshot
	// of them), any other alias must be moved first.
	let mut protected = Vec::new();
	if yanking {
		let mut unprotected = Vec::new();
		for (alias, target) in repository.aliases {
			if target != id {
				continue;
			}
			let alias = view::text(&alias);
			if super::gate::gate_of(&chain, &repo_text, &alias)
				.await?
				.is_some()
			{
				protected.push(alias);
			} else {
				unprotected.push(alias);
			}
		}
		if !unprotected.is_empty() {
			bail!(
				"alias {} of {repo_text} points at version {id}; only protected aliases may stay at a yanked version, so move it first (`owh alias set {repo_text} <alias> <version>`) or remove it (`owh alias rm {repo_text} <alias>`)",
				unprotected.join(", ")
			);
		}
	}
	let receipt = match reason {
		Some(reason) => {
			chain
				.submit(
					"yank_version",
					(Static(repo), Static(id), Static(reason)),
					&signer,
				)
				.await?
		}
		None => {
			chain
				.submit("unyank_version", (Static(repo), Static(id)), &signer)
				.await?
		}
	};
	let verb = if yanking { "yanked" } else { "unyanked" };
	if ctx.json {
		print_json(
			out,
			&json!({ "version": id.to_string(), "repository": repo_text, "action": verb, "protected_aliases": protected, "receipt": receipt }),
		)
	} else {
		writeln!(
			out,
			"{verb} {repo_text} version {id} (block #{})",
			receipt.block_number
		)?;
		if !protected.is_empty() {
			writeln!(
				out,
				"protected alias(es) {} still point at it; the chain recorded their promotion with the yank (move them with `owh alias set`)",
				protected.join(", ")
			)?;
		}
		Ok(())
	}
}
