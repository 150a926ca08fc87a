//! `owh alias set|rm|history`, and the gates of protected aliases (`protect`, `unprotect`,
//! `gate`, `status`; see `gate.rs`).

use super::print_json;
use crate::model::resolve::resolve;
use crate::{
	chain::bounded,
	context::Context,
	model::refs::{alias_name, repo_name, VersionSpec},
	view,
};
use anyhow::{bail, Result};
use clap::Subcommand;
use owh_primitives::{AliasName, RepoName};
use serde_json::json;
use std::io::Write;
use subxt::utils::Static;

#[derive(Subcommand, Debug)]
pub enum AliasCommand {
	/// Point an alias (e.g. `production`) at a version of the repository.
	Set {
		repo: String,
		alias: String,
		/// A version id, or `<repo>@<alias>`.
		version: VersionSpec,
	},
	/// Remove an alias.
	Rm { repo: String, alias: String },
	/// Every move of an alias, oldest first.
	History { repo: String, alias: String },
	/// Protect an alias with a gate: it moves only to versions whose attested metrics meet
	/// the thresholds (repository owner).
	Protect(super::gate::ProtectArgs),
	/// Remove an alias's gate (repository owner).
	Unprotect { repo: String, alias: String },
	/// An alias's gate and every change of it.
	Gate { repo: String, alias: String },
	/// The gate evaluated for a version, threshold by threshold, and how the alias was
	/// promoted.
	Status(super::gate::StatusArgs),
}

pub async fn run(ctx: &Context, cmd: &AliasCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		AliasCommand::Set {
			repo,
			alias,
			version,
		} => {
			let repo = repo_name(repo)?;
			let alias = alias_name(alias)?;
			let (signer, chain, _) =
				super::repo::signed_with_role(ctx, &repo, super::repo::Need::Maintainer).await?;
			let (id, info) = resolve(&chain, version).await?;
			if view::text(&info.record.manifest.repository) != repo {
				bail!(
					"version {id} belongs to {}, not {repo}",
					view::text(&info.record.manifest.repository)
				);
			}
			if info.yanked.is_some() {
				bail!("version {id} is yanked; an alias cannot point at it (unyank it first)");
			}
			let gate = super::gate::check_move(ctx, &chain, &repo, &alias, id).await?;
			let (r, a): (RepoName, AliasName) = (
				bounded(&repo, "repository", owh_primitives::MAX_REPO_NAME_LEN)?,
				bounded(&alias, "alias", owh_primitives::MAX_ALIAS_LEN)?,
			);
			let receipt = chain
				.submit("set_alias", (Static(r), Static(a), Static(id)), &signer)
				.await?;
			if ctx.json {
				print_json(
					out,
					&json!({ "repository": repo, "alias": alias, "version": id.to_string(), "gate_status": gate, "receipt": receipt }),
				)?;
			} else {
				writeln!(
					out,
					"{repo}@{alias} -> {id} (block #{})",
					receipt.block_number
				)?;
			}
		}
		AliasCommand::Rm { repo, alias } => {
			let repo = repo_name(repo)?;
			let alias = alias_name(alias)?;
			let (signer, chain, _) =
				super::repo::signed_with_role(ctx, &repo, super::repo::Need::Maintainer).await?;
			if super::gate::gate_of(&chain, &repo, &alias).await?.is_some() {
				bail!("{repo}@{alias} is protected (Promotion::ProtectedAlias); remove its gate first with `owh alias unprotect {repo} {alias}`");
			}
			let view = chain.repository(&repo).await?;
			if !view.is_some_and(|v| {
				v.aliases
					.iter()
					.any(|(a, _)| a.as_slice() == alias.as_bytes())
			}) {
				bail!("{repo} has no alias {alias:?}; see `owh repo show {repo}`");
			}
			let (r, a): (RepoName, AliasName) = (
				bounded(&repo, "repository", owh_primitives::MAX_REPO_NAME_LEN)?,
				bounded(&alias, "alias", owh_primitives::MAX_ALIAS_LEN)?,
			);
			let receipt = chain
				.submit("remove_alias", (Static(r), Static(a)), &signer)
				.await?;
			if ctx.json {
				print_json(
					out,
					&json!({ "repository": repo, "alias": alias, "removed": true, "receipt": receipt }),
				)?;
			} else {
				writeln!(
					out,
					"removed {repo}@{alias} (block #{})",
					receipt.block_number
				)?;
			}
		}
		AliasCommand::History { repo, alias } => {
			let repo = repo_name(repo)?;
			let alias = alias_name(alias)?;
			let chain = ctx.chain().await?;
			if chain.repository(&repo).await?.is_none() {
				bail!("repository {repo} does not exist");
			}
			let moves = chain.alias_history(&repo, &alias).await?;
			if ctx.json {
				return print_json(
					out,
					&json!(moves.iter().map(view::alias_move_json).collect::<Vec<_>>()),
				);
			}
			if moves.is_empty() {
				writeln!(out, "{repo}@{alias} has never been set")?;
			}
			let short = |v: Option<owh_primitives::VersionId>| {
				v.map_or("(none)".to_string(), |v| v.to_string())
			};
			for m in moves {
				writeln!(
					out,
					"#{:<6} {} -> {}  by {}",
					m.block,
					short(m.from),
					short(m.to),
					m.who
				)?;
			}
		}
		AliasCommand::Protect(args) => super::gate::protect(ctx, args, out).await?,
		AliasCommand::Unprotect { repo, alias } => {
			super::gate::unprotect(ctx, repo, alias, out).await?
		}
		AliasCommand::Gate { repo, alias } => super::gate::show_gate(ctx, repo, alias, out).await?,
		AliasCommand::Status(args) => super::gate::status(ctx, args, out).await?,
	}
	Ok(())
}
