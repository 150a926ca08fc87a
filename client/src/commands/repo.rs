//! `owh repo create|show|grant|revoke|transfer|accept`.

use super::print_json;
use crate::{
	chain::{bounded, Chain},
	context::Context,
	keys::{account_of, parse_account},
	model::refs::repo_name,
	view,
};
use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand, ValueEnum};
use owh_primitives::{registry::Role, RepoName};
use serde_json::json;
use std::io::Write;
use subxt::utils::{AccountId32, MultiAddress, Static};

#[derive(Subcommand, Debug)]
pub enum RepoCommand {
	/// Create a repository owned by the signing key (takes a deposit).
	Create { name: String },
	/// Show a repository: owner, maintainers, committers, aliases, version count.
	Show { name: String },
	/// Give an account a role in a repository (owner only).
	Grant(RoleArgs),
	/// Take a role back (owner only).
	Revoke(RoleArgs),
	/// Offer the repository to a new owner, who takes it with `owh repo accept` (owner
	/// only); `--withdraw` takes a pending offer back.
	Transfer(TransferArgs),
	/// Accept a repository offered to the signing key: it becomes the owner and holds the
	/// repository deposit, which is released to the previous holder.
	Accept { repo: String },
}

#[derive(Args, Debug)]
pub struct RoleArgs {
	pub repo: String,
	/// SS58 address, 0x-hex account id, //Name, or a stored key name.
	pub account: String,
	/// The role. Ownership is never granted or revoked: it moves with `owh repo transfer`.
	#[arg(long, value_enum, default_value_t = RoleArg::Maintainer)]
	pub role: RoleArg,
}

#[derive(Args, Debug)]
pub struct TransferArgs {
	pub repo: String,
	/// The new owner.
	#[arg(required_unless_present = "withdraw", conflicts_with = "withdraw")]
	pub new_owner: Option<String>,
	/// Withdraw the pending offer instead.
	#[arg(long)]
	pub withdraw: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
	/// Commits, aliases, yanks, mirrors, offers, contributors, licenses and meters.
	Maintainer,
	/// Commits versions and adds mirrors only: for CI keys, which then hold no power over
	/// aliases, yanks or money.
	Committer,
}

impl From<RoleArg> for Role {
	fn from(r: RoleArg) -> Role {
		match r {
			RoleArg::Maintainer => Role::Maintainer,
			RoleArg::Committer => Role::Committer,
		}
	}
}

/// The least role a command needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
	/// The owner.
	Owner,
	/// The owner or a maintainer.
	Maintainer,
	/// The owner, a maintainer or a committer.
	Committer,
}

/// Fails unless `who` is the owner (or, when `maintainer_ok`, a maintainer) of `repo`.
/// Fails unless `who` holds at least the role `need` in `repo`; returns the repository view it
/// read, so callers need not read it again.
pub async fn require_role(
	chain: &Chain,
	repo: &str,
	who: &AccountId32,
	need: Need,
) -> Result<crate::chain::Repository> {
	let Some(view) = chain.repository(repo).await? else {
		bail!("repository {repo} does not exist; create it with `owh repo create {repo}`");
	};
	let maintainer = view.maintainers.contains(who);
	let committer = view.committers.contains(who);
	let allowed = view.owner == *who
		|| match need {
			Need::Owner => false,
			Need::Maintainer => maintainer,
			Need::Committer => maintainer || committer,
		};
	if allowed {
		return Ok(view);
	}
	let (needed, grant) = match need {
		Need::Owner => ("the owner", String::new()),
		Need::Maintainer => (
			"a maintainer",
			format!(" or ask them to run `owh repo grant {repo} {who}`"),
		),
		Need::Committer => (
			"a maintainer or committer",
			format!(" or ask them to run `owh repo grant {repo} {who} --role committer`"),
		),
	};
	let held = if committer {
		" (it is a committer, which may only commit and add mirrors)"
	} else {
		""
	};
	bail!(
		"account {who} is not {needed} of {repo}{held} (owner {}); use the owner's key{grant}",
		view.owner
	)
}

/// The signing key, a connection to the chain, and the repository, once the key is known to
/// hold at least the role `need` in `repo`.
pub async fn signed_with_role(
	ctx: &crate::context::Context,
	repo: &str,
	need: Need,
) -> Result<(
	subxt_signer::sr25519::Keypair,
	Chain,
	crate::chain::Repository,
)> {
	let signer = ctx.keys.signer()?;
	let chain = ctx.chain().await?;
	let view = require_role(&chain, repo, &account_of(&signer), need).await?;
	Ok((signer, chain, view))
}

/// An account as a call's `MultiAddress` argument.
pub fn address(id: AccountId32) -> Static<MultiAddress<AccountId32, ()>> {
	Static(MultiAddress::Id(id))
}

pub async fn run(ctx: &Context, cmd: &RepoCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		RepoCommand::Create { name } => {
			let name = repo_name(name)?;
			let signer = ctx.keys.signer()?;
			let chain = ctx.chain().await?;
			if chain.repository(&name).await?.is_some() {
				bail!("repository {name} already exists; pick another name");
			}
			let repo: RepoName =
				bounded(&name, "repository name", owh_primitives::MAX_REPO_NAME_LEN)?;
			let receipt = chain
				.submit("create_repository", (Static(repo),), &signer)
				.await?;
			if ctx.json {
				print_json(
					out,
					&json!({ "repository": name, "owner": account_of(&signer).to_string(), "receipt": receipt }),
				)?;
			} else {
				writeln!(
					out,
					"created repository {name} owned by {}",
					account_of(&signer)
				)?;
				writeln!(
					out,
					"block #{} {}",
					receipt.block_number, receipt.block_hash
				)?;
			}
		}
		RepoCommand::Show { name } => {
			let name = repo_name(name)?;
			let chain = ctx.chain().await?;
			let view = chain
				.repository(&name)
				.await?
				.ok_or_else(|| anyhow!("repository {name} does not exist"))?;
			if ctx.json {
				print_json(out, &view::repository_json(&view))?;
			} else {
				writeln!(out, "repository  {name}")?;
				writeln!(out, "owner       {}", view.owner)?;
				for m in &view.maintainers {
					writeln!(out, "maintainer  {m}")?;
				}
				for c in &view.committers {
					writeln!(out, "committer   {c}")?;
				}
				if let Some(pending) = &view.pending_owner {
					writeln!(
						out,
						"offered to  {pending} (until it runs `owh repo accept`)"
					)?;
				}
				writeln!(out, "created     #{}", view.created)?;
				writeln!(out, "versions    {}", view.version_count)?;
				for (alias, version) in &view.aliases {
					writeln!(out, "alias       {} -> {version}", view::text(alias))?;
				}
			}
		}
		RepoCommand::Grant(args) | RepoCommand::Revoke(args) => {
			let granting = matches!(cmd, RepoCommand::Grant(_));
			let name = repo_name(&args.repo)?;
			let who = parse_account(&args.account, &ctx.keystore)?;
			let signer = ctx.keys.signer()?;
			let chain = ctx.chain().await?;
			require_role(&chain, &name, &account_of(&signer), Need::Owner).await?;
			let repo: RepoName =
				bounded(&name, "repository name", owh_primitives::MAX_REPO_NAME_LEN)?;
			let call = if granting {
				"grant_role"
			} else {
				"revoke_role"
			};
			let role = Role::from(args.role);
			let receipt = chain
				.submit(call, (Static(repo), address(who), Static(role)), &signer)
				.await?;
			let verb = if granting { "granted" } else { "revoked" };
			if ctx.json {
				print_json(
					out,
					&json!({ "repository": name, "account": who.to_string(), "role": format!("{:?}", args.role).to_lowercase(), "action": verb, "receipt": receipt }),
				)?;
			} else {
				writeln!(
					out,
					"{verb} {:?} role on {name} for {who} in block #{}",
					args.role, receipt.block_number
				)?;
			}
		}
		RepoCommand::Transfer(args) => {
			let name = repo_name(&args.repo)?;
			let offered_to = match &args.new_owner {
				Some(account) => Some(parse_account(account, &ctx.keystore)?),
				None => None,
			};
			let signer = ctx.keys.signer()?;
			let owner = account_of(&signer);
			let chain = ctx.chain().await?;
			let view = require_role(&chain, &name, &owner, Need::Owner).await?;
			// Offering the repository to its owner withdraws the pending offer.
			let who = match offered_to {
				Some(account) => account,
				None => {
					if view.pending_owner.is_none() {
						bail!("no transfer of {name} is pending; nothing to withdraw");
					}
					owner
				}
			};
			if who == owner && !args.withdraw {
				bail!("account {who} already owns {name}");
			}
			let repo: RepoName =
				bounded(&name, "repository name", owh_primitives::MAX_REPO_NAME_LEN)?;
			let receipt = chain
				.submit("transfer_ownership", (Static(repo), address(who)), &signer)
				.await?;
			if ctx.json {
				let (action, to) = if args.withdraw {
					(
						"withdrawn",
						view.pending_owner.as_ref().map(|a| a.to_string()),
					)
				} else {
					("offered", Some(who.to_string()))
				};
				print_json(
					out,
					&json!({ "repository": name, "action": action, "offered_to": to, "receipt": receipt }),
				)?;
			} else if args.withdraw {
				writeln!(
					out,
					"withdrew the offer of {name} in block #{}",
					receipt.block_number
				)?;
			} else {
				writeln!(
					out,
					"offered {name} to {who} in block #{}; it becomes the owner when it runs `owh repo accept {name}`",
					receipt.block_number
				)?;
			}
		}
		RepoCommand::Accept { repo } => {
			let name = repo_name(repo)?;
			let signer = ctx.keys.signer()?;
			let me = account_of(&signer);
			let chain = ctx.chain().await?;
			let Some(view) = chain.repository(&name).await? else {
				bail!("repository {name} does not exist");
			};
			if view.pending_owner.as_ref() != Some(&me) {
				bail!(
					"{name} is not offered to {me}; ask its owner ({}) to run `owh repo transfer {name} {me}`",
					view.owner
				);
			}
			let repo: RepoName =
				bounded(&name, "repository name", owh_primitives::MAX_REPO_NAME_LEN)?;
			let receipt = chain
				.submit("accept_ownership", (Static(repo),), &signer)
				.await?;
			if ctx.json {
				print_json(
					out,
					&json!({ "repository": name, "owner": me.to_string(), "previous_owner": view.owner.to_string(), "receipt": receipt }),
				)?;
			} else {
				writeln!(
					out,
					"{me} now owns {name} (was {}) as of block #{}",
					view.owner, receipt.block_number
				)?;
			}
		}
	}
	Ok(())
}
