//! `owh license offer|retire|contributors|show|buy|grant|revoke|list|report|meter` and
//! `owh balance`.

use super::{print_json, repo::address};
use crate::model::license::buy_offer;
use crate::model::resolve::resolve;
use crate::{
	amount::{format_amount, format_percent, parse_amount, parse_percent},
	chain::{bounded, LicenseRecord, OfferRecord, Split},
	context::Context,
	keys::{account_of, parse_account},
	model::refs::{repo_name, VersionSpec},
	view::{self, kind_name, split_human, terms_human},
};
use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand};
use codec::Decode;
use owh_primitives::{
	licensing::{
		check_shares, Contributor, ContributorRole, LicenseId, LicenseText, OfferId, OfferTarget,
		OfferTerms, Permill, SharesError, SpdxId,
	},
	Reason, RepoName, StorageUri,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::{io::Write, path::PathBuf};
use subxt::utils::{AccountId32, Static};

#[derive(Subcommand, Debug)]
pub enum LicenseCommand {
	/// Offer a license for a version, or with --default for every version of a repository
	/// that has no offer of its own. With --update, change an existing offer's terms.
	Offer(OfferArgs),
	/// Retire an offer: it sells nothing new; licenses already granted stay valid.
	Retire {
		/// The offer id.
		offer: OfferId,
	},
	/// Record a version's contributors and their shares, which must sum to 100%.
	Contributors(ContributorsArgs),
	/// A version's offers, contributors and royalty split; or one license with --license.
	Show(ShowArgs),
	/// Buy a license for a version, paying its contributors and its ancestors.
	Buy(BuyArgs),
	/// Grant a license without payment (maintainers).
	Grant(GrantArgs),
	/// Revoke a license, where its offer allows it (maintainers).
	Revoke(RevokeArgs),
	/// The licenses an account holds (default: the signing key's).
	List {
		/// SS58 address, 0x-hex account id, //Name, or a stored key name.
		account: Option<String>,
	},
	/// Report uses of a license (the licensee, or a metering account of the repository).
	Report {
		/// The license id.
		license: LicenseId,
		/// How many uses.
		count: u64,
	},
	/// Register or remove an account that may report usage of a repository's licenses.
	#[command(subcommand)]
	Meter(MeterCommand),
}

#[derive(Subcommand, Debug)]
pub enum MeterCommand {
	/// Register a metering account (takes a deposit).
	Add {
		repo: String,
		/// SS58 address, 0x-hex account id, //Name, or a stored key name.
		account: String,
	},
	/// Remove a metering account (releases its deposit).
	Rm { repo: String, account: String },
}

#[derive(Args, Debug)]
pub struct OfferArgs {
	/// `<repo>@<alias|version>` or a version id; with --default, a repository name.
	pub target: Option<String>,
	/// The target is a repository: the offer applies to its versions without offers.
	#[arg(long)]
	pub default: bool,
	/// Change this existing offer's terms instead of creating one.
	#[arg(long, conflicts_with_all = ["target", "default"])]
	pub update: Option<OfferId>,
	/// SPDX license expression, e.g. Apache-2.0 or CC-BY-NC-4.0.
	#[arg(long, conflicts_with = "terms")]
	pub spdx: Option<String>,
	/// A custom license document; its SHA-256 is recorded. Needs --terms-uri.
	#[arg(long, requires = "terms_uri")]
	pub terms: Option<PathBuf>,
	/// Where the custom license document can be fetched.
	#[arg(long, requires = "terms")]
	pub terms_uri: Option<String>,
	/// Price in OWH (`12.5`) or units (`3u`); 0 makes the offer free.
	#[arg(long, default_value = "0")]
	pub price: String,
	/// Licenses last this many blocks (the price is per period); default: forever.
	#[arg(long)]
	pub period: Option<u32>,
	/// Most uses a license may report; default: no cap.
	#[arg(long)]
	pub usage_cap: Option<u64>,
	/// Commercial use is allowed.
	#[arg(long)]
	pub commercial: bool,
	/// Derivatives (fine-tunes, quantizations, merges) are allowed.
	#[arg(long)]
	pub derivatives: bool,
	/// Share of every derivative sale that flows to this version, e.g. `10%`. Needs
	/// --derivatives.
	#[arg(long, default_value = "0%")]
	pub royalty: String,
	/// Maintainers may revoke licenses granted under this offer.
	#[arg(long)]
	pub revocable: bool,
}

#[derive(Args, Debug)]
pub struct ContributorsArgs {
	/// `<repo>@<alias|version>` or a version id.
	pub version: VersionSpec,
	/// `ACCOUNT=SHARE[:ROLE]`, e.g. `//Alice=60%:trainer`; roles: data, trainer, architecture,
	/// other (default).
	#[arg(required = true)]
	pub contributors: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
	/// `<repo>@<alias|version>` or a version id.
	#[arg(required_unless_present = "license")]
	pub version: Option<VersionSpec>,
	/// Show this license instead.
	#[arg(long, conflicts_with = "version")]
	pub license: Option<LicenseId>,
	/// Preview the split of this amount instead of each offer's price.
	#[arg(long)]
	pub amount: Option<String>,
}

#[derive(Args, Debug)]
pub struct BuyArgs {
	/// `<repo>@<alias|version>` or a version id.
	pub version: VersionSpec,
	/// The offer to buy; needed when the version has more than one.
	#[arg(long)]
	pub offer: Option<OfferId>,
	/// Buy without asking for confirmation.
	#[arg(long, short = 'y')]
	pub yes: bool,
}

#[derive(Args, Debug)]
pub struct GrantArgs {
	/// `<repo>@<alias|version>` or a version id.
	pub version: VersionSpec,
	/// The offer whose terms apply.
	#[arg(long)]
	pub offer: OfferId,
	/// Who receives the license.
	#[arg(long)]
	pub to: String,
}

#[derive(Args, Debug)]
pub struct RevokeArgs {
	/// The license id.
	pub license: LicenseId,
	/// Why; recorded on chain.
	#[arg(long)]
	pub reason: String,
}

#[derive(Args, Debug)]
pub struct BalanceArgs {
	/// Accounts (SS58, 0x-hex, //Name or a stored key name); default: the signing key's.
	pub accounts: Vec<String>,
}

pub fn role_name(role: ContributorRole) -> &'static str {
	match role {
		ContributorRole::DataProvider => "data",
		ContributorRole::Trainer => "trainer",
		ContributorRole::ArchitectureAuthor => "architecture",
		ContributorRole::Other => "other",
	}
}

fn text_json(text: &LicenseText) -> Value {
	match text {
		LicenseText::Spdx(id) => json!({ "spdx": view::text(id) }),
		LicenseText::Custom { sha256, uri } => {
			json!({ "custom": { "sha256": hex::encode(sha256), "uri": view::text(uri) } })
		}
	}
}

fn terms_json(t: &OfferTerms<u128, u32>) -> Value {
	json!({
		"license": text_json(&t.text),
		"commercial": t.commercial,
		"price": t.price.to_string(),
		"price_owh": format_amount(t.price),
		"period_blocks": t.period,
		"usage_cap": t.usage_cap,
		"derivatives": t.derivatives,
		"royalty_rate": format_percent(t.royalty_rate.deconstruct()),
		"revocable": t.revocable,
	})
}

fn offer_json(id: OfferId, o: &OfferRecord) -> Value {
	json!({
		"id": id,
		"target": match &o.target {
			OfferTarget::Version(v) => json!({ "version": v.to_string() }),
			OfferTarget::Repository(r) => json!({ "repository": view::text(r) }),
		},
		"repository": view::text(&o.repository),
		"terms": terms_json(&o.terms),
		"creator": o.creator.to_string(),
		"created": o.created,
		"retired": o.retired,
		"licenses": o.licenses,
	})
}

fn license_json(id: LicenseId, l: &LicenseRecord, now: u32) -> Value {
	json!({
		"id": id,
		"licensee": l.licensee.to_string(),
		"version": l.version.to_string(),
		"offer": l.offer,
		"terms": terms_json(&l.terms),
		"start": l.start,
		"end": l.end,
		"uses_remaining": l.uses_remaining,
		"uses_reported": l.uses_reported,
		"paid": l.paid.to_string(),
		"granted_by": l.granted_by.as_ref().map(|a| a.to_string()),
		"revoked": l.revoked.as_ref().map(|r| json!({ "by": r.by.to_string(), "block": r.block, "reason": view::text(&r.reason) })),
		"valid": l.is_valid_at(&now),
	})
}

fn license_human(id: LicenseId, l: &LicenseRecord, now: u32) -> String {
	let status = if let Some(r) = &l.revoked {
		format!(
			"revoked at #{} by {}: {}",
			r.block,
			r.by,
			view::text(&r.reason)
		)
	} else if l.is_valid_at(&now) {
		"valid".into()
	} else if l.uses_remaining == Some(0) {
		"usage cap reached".into()
	} else {
		"expired".into()
	};
	let how = match &l.granted_by {
		Some(by) => format!("granted by {by}"),
		None => format!("bought for {}", format_amount(l.paid)),
	};
	let until = l
		.end
		.map_or("no expiry".to_string(), |end| format!("until #{end}"));
	let uses = l
		.uses_remaining
		.map_or(String::new(), |r| format!(", {r} uses left"));
	format!(
		"license #{id}  {status}\n  version   {}\n  licensee  {}\n  offer     #{} ({})\n  {how}, from #{} {until}{uses}, {} uses reported",
		l.version,
		l.licensee,
		l.offer,
		terms_human(&l.terms),
		l.start,
		l.uses_reported
	)
}

fn split_json(split: &Split) -> Value {
	json!({
		"amount": split.amount.to_string(),
		"versions": split.versions,
		"truncated": split.truncated,
		"legs": split.legs.iter().map(|l| json!({
			"version": l.version.to_string(),
			"depth": l.depth,
			"payee": l.payee.to_string(),
			"kind": kind_name(l.kind),
			"amount": l.amount.to_string(),
		})).collect::<Vec<_>>(),
	})
}

fn repo_bytes(name: &str) -> Result<RepoName> {
	bounded(name, "repository name", owh_primitives::MAX_REPO_NAME_LEN)
}

fn build_terms(args: &OfferArgs) -> Result<OfferTerms<u128, u32>> {
	let text = match (&args.spdx, &args.terms, &args.terms_uri) {
		(Some(spdx), None, None) => {
			let id = crate::model::refs::spdx_license(spdx)?;
			LicenseText::Spdx(bounded::<SpdxId>(
				&id,
				"SPDX id",
				owh_primitives::licensing::MAX_SPDX_LEN,
			)?)
		}
		(None, Some(path), Some(uri)) => {
			let bytes = std::fs::read(path)
				.with_context(|| format!("cannot read the license document {}", path.display()))?;
			if !owh_primitives::validate::storage_uri(uri.as_bytes()) {
				bail!(
					"--terms-uri {uri:?} must be `scheme:rest` in printable ASCII without spaces"
				);
			}
			LicenseText::Custom {
				sha256: Sha256::digest(&bytes).into(),
				uri: bounded::<StorageUri>(uri, "terms URI", owh_primitives::MAX_URI_LEN)?,
			}
		}
		_ => bail!(
			"give the license as --spdx <id>, or as --terms <file> --terms-uri <uri> for custom terms"
		),
	};
	let royalty = parse_percent(&args.royalty, "royalty rate")?;
	if royalty > 0 && !args.derivatives {
		bail!("--royalty needs --derivatives: a royalty is what derivatives owe upstream");
	}
	if args.period == Some(0) {
		bail!("--period 0 would expire at once; give at least 1 block, or leave it out for a one-off price");
	}
	if args.usage_cap == Some(0) {
		bail!("--usage-cap 0 allows no use; give at least 1, or leave it out for no cap");
	}
	Ok(OfferTerms {
		text,
		commercial: args.commercial,
		price: parse_amount(&args.price).context("--price")?,
		period: args.period,
		usage_cap: args.usage_cap,
		derivatives: args.derivatives,
		royalty_rate: Permill::from_parts(royalty),
		revocable: args.revocable,
	})
}

fn parse_contributor(text: &str, ctx: &Context) -> Result<Contributor<AccountId32>> {
	let (account, rest) = text.rsplit_once('=').ok_or_else(|| {
		anyhow!("contributor {text:?} is not ACCOUNT=SHARE[:ROLE], e.g. //Alice=60%:trainer")
	})?;
	let (share, role) = rest.split_once(':').unwrap_or((rest, "other"));
	let role = match role {
		"data" => ContributorRole::DataProvider,
		"trainer" => ContributorRole::Trainer,
		"architecture" => ContributorRole::ArchitectureAuthor,
		"other" => ContributorRole::Other,
		other => {
			bail!("contributor role {other:?} is not one of data, trainer, architecture, other")
		}
	};
	let share = parse_percent(share, "share")?;
	Ok(Contributor {
		account: parse_account(account, &ctx.keystore)?,
		share: Permill::from_parts(share),
		role,
	})
}

fn check_contributors(list: &[Contributor<AccountId32>]) -> Result<()> {
	check_shares(list).map_err(|e| match e {
		SharesError::NoContributors => anyhow!("give at least one contributor"),
		SharesError::ZeroShare(i) => anyhow!(
			"{} has a share of 0; leave them out, or give them a share",
			list[i].account
		),
		SharesError::Duplicate(i) => anyhow!(
			"{} is listed twice; list each contributor once with their whole share",
			list[i].account
		),
		SharesError::NotWhole(total) => anyhow!(
			"the shares sum to {}, not 100%",
			format_percent(total.min(u64::from(u32::MAX)) as u32)
		),
	})
}

/// Asks on the terminal; refuses without a terminal unless `yes`.
pub async fn run(ctx: &Context, cmd: &LicenseCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		LicenseCommand::Offer(args) => offer(ctx, args, out).await,
		LicenseCommand::Retire { offer } => {
			let signer = ctx.keys.signer()?;
			let chain = ctx.chain().await?;
			let record = chain
				.offer(*offer)
				.await?
				.ok_or_else(|| anyhow!("offer #{offer} does not exist"))?;
			if record.retired.is_some() {
				bail!("offer #{offer} is already retired");
			}
			let receipt = chain
				.submit_licensing("retire_offer", (Static(*offer),), &signer)
				.await?;
			if ctx.json {
				print_json(
					out,
					&json!({ "offer": offer, "action": "retired", "receipt": receipt }),
				)
			} else {
				writeln!(
					out,
					"retired offer #{offer} in block #{}; its {} licenses stay valid",
					receipt.block_number, record.licenses
				)?;
				Ok(())
			}
		}
		LicenseCommand::Contributors(args) => {
			let list = args
				.contributors
				.iter()
				.map(|c| parse_contributor(c, ctx))
				.collect::<Result<Vec<_>>>()?;
			check_contributors(&list)?;
			let signer = ctx.keys.signer()?;
			let chain = ctx.chain().await?;
			let (id, _) = resolve(&chain, &args.version).await?;
			let receipt = chain
				.submit_licensing(
					"set_contributors",
					(Static(id), Static(list.clone())),
					&signer,
				)
				.await?;
			if ctx.json {
				print_json(
					out,
					&json!({
						"version": id.to_string(),
						"contributors": list.iter().map(|c| json!({ "account": c.account.to_string(), "share": format_percent(c.share.deconstruct()), "role": role_name(c.role) })).collect::<Vec<_>>(),
						"receipt": receipt,
					}),
				)
			} else {
				let noun = if list.len() == 1 {
					"contributor"
				} else {
					"contributors"
				};
				writeln!(
					out,
					"recorded {} {noun} of {id} in block #{}",
					list.len(),
					receipt.block_number
				)?;
				Ok(())
			}
		}
		LicenseCommand::Show(args) => show(ctx, args, out).await,
		LicenseCommand::Buy(args) => {
			let chain = ctx.chain().await?;
			let (id, _) = resolve(&chain, &args.version).await?;
			let offers = chain.offers(&id).await?;
			let list = || {
				offers
					.iter()
					.map(|(oid, o)| format!("#{oid}: {}", terms_human(&o.terms)))
					.collect::<Vec<_>>()
					.join("; ")
			};
			let (offer_id, offer) = match args.offer {
				Some(wanted) => offers
					.iter()
					.find(|(oid, _)| *oid == wanted)
					.ok_or_else(|| {
						if offers.is_empty() {
							anyhow!("offer #{wanted} does not apply to {id}, which has no active offers")
						} else {
							anyhow!(
								"offer #{wanted} does not apply to {id}; its offers are {}",
								list()
							)
						}
					})?,
				None => match offers.as_slice() {
					[] => bail!("version {id} has no active license offers; nothing to buy"),
					[one] => one,
					_ => bail!(
						"version {id} has several offers; pick one with --offer: {}",
						list()
					),
				},
			};
			let purchase = buy_offer(ctx, &chain, &id, *offer_id, offer, args.yes).await?;
			if ctx.json {
				print_json(out, &purchase.json(&id))
			} else {
				writeln!(
					out,
					"bought license #{} for {id} under offer #{} for {} in block #{}{}",
					purchase.license,
					purchase.offer,
					format_amount(purchase.price),
					purchase.receipt.block_number,
					purchase
						.end
						.map_or(String::new(), |e| format!("; valid until block #{e}"))
				)?;
				Ok(())
			}
		}
		LicenseCommand::Grant(args) => {
			let to = parse_account(&args.to, &ctx.keystore)?;
			let signer = ctx.keys.signer()?;
			let chain = ctx.chain().await?;
			let (id, _) = resolve(&chain, &args.version).await?;
			let receipt = chain
				.submit_licensing(
					"grant_license",
					(Static(id), Static(args.offer), address(to)),
					&signer,
				)
				.await?;
			let license = granted_id(&receipt)?;
			if ctx.json {
				print_json(
					out,
					&json!({ "license": license, "version": id.to_string(), "offer": args.offer, "licensee": to.to_string(), "receipt": receipt }),
				)
			} else {
				writeln!(
					out,
					"granted license #{license} for {id} to {to} under offer #{} in block #{}",
					args.offer, receipt.block_number
				)?;
				Ok(())
			}
		}
		LicenseCommand::Revoke(args) => {
			if args.reason.trim().is_empty() {
				bail!("--reason must not be empty; it is recorded on chain with the revocation");
			}
			let reason: Reason = bounded(&args.reason, "reason", owh_primitives::MAX_REASON_LEN)?;
			let signer = ctx.keys.signer()?;
			let chain = ctx.chain().await?;
			let license = chain
				.license(args.license)
				.await?
				.ok_or_else(|| anyhow!("license #{} does not exist", args.license))?;
			if !license.terms.revocable {
				bail!(
					"license #{} was granted under terms that do not allow revoking it",
					args.license
				);
			}
			let receipt = chain
				.submit_licensing(
					"revoke_license",
					(Static(args.license), Static(reason)),
					&signer,
				)
				.await?;
			if ctx.json {
				print_json(
					out,
					&json!({ "license": args.license, "action": "revoked", "reason": args.reason, "receipt": receipt }),
				)
			} else {
				writeln!(
					out,
					"revoked license #{} in block #{}",
					args.license, receipt.block_number
				)?;
				Ok(())
			}
		}
		LicenseCommand::List { account } => {
			let who = match account {
				Some(a) => parse_account(a, &ctx.keystore)?,
				None => ctx.keys.account()?,
			};
			let chain = ctx.chain().await?;
			let now = chain.best_block().await?;
			let licenses = chain.licenses_of(&who).await?;
			if ctx.json {
				print_json(
					out,
					&json!({ "account": who.to_string(), "block": now, "licenses": licenses.iter().map(|(id, l)| license_json(*id, l, now)).collect::<Vec<_>>() }),
				)
			} else {
				if licenses.is_empty() {
					writeln!(out, "{who} holds no licenses")?;
				}
				for (id, l) in &licenses {
					writeln!(out, "{}", license_human(*id, l, now))?;
				}
				Ok(())
			}
		}
		LicenseCommand::Report { license, count } => {
			if *count == 0 {
				bail!("a usage report must count at least 1 use");
			}
			let signer = ctx.keys.signer()?;
			let chain = ctx.chain().await?;
			let receipt = chain
				.submit_licensing("report_usage", (Static(*license), Static(*count)), &signer)
				.await?;
			let record = chain.license(*license).await?;
			let remaining = record.and_then(|l| l.uses_remaining);
			if ctx.json {
				print_json(
					out,
					&json!({ "license": license, "count": count, "uses_remaining": remaining, "receipt": receipt }),
				)
			} else {
				writeln!(
					out,
					"reported {count} uses of license #{license} in block #{}{}",
					receipt.block_number,
					remaining.map_or(String::new(), |r| format!("; {r} left"))
				)?;
				Ok(())
			}
		}
		LicenseCommand::Meter(cmd) => {
			let (repo, account, call, verb) = match cmd {
				MeterCommand::Add { repo, account } => (repo, account, "add_meter", "added"),
				MeterCommand::Rm { repo, account } => (repo, account, "remove_meter", "removed"),
			};
			let name = repo_name(repo)?;
			let who = parse_account(account, &ctx.keystore)?;
			let signer = ctx.keys.signer()?;
			let chain = ctx.chain().await?;
			super::repo::require_role(
				&chain,
				&name,
				&account_of(&signer),
				super::repo::Need::Maintainer,
			)
			.await?;
			let receipt = chain
				.submit_licensing(call, (Static(repo_bytes(&name)?), address(who)), &signer)
				.await?;
			if ctx.json {
				print_json(
					out,
					&json!({ "repository": name, "meter": who.to_string(), "action": verb, "receipt": receipt }),
				)
			} else {
				writeln!(
					out,
					"{verb} metering account {who} for {name} in block #{}",
					receipt.block_number
				)?;
				Ok(())
			}
		}
	}
}

fn granted_id(receipt: &crate::chain::Receipt) -> Result<LicenseId> {
	#[derive(Decode)]
	struct Granted {
		license: LicenseId,
	}
	receipt
		.events_of::<Granted>("Licensing", "LicenseGranted")?
		.first()
		.map(|g| g.license)
		.ok_or_else(|| anyhow!("the grant was included, but emitted no LicenseGranted event"))
}

async fn offer(ctx: &Context, args: &OfferArgs, out: &mut dyn Write) -> Result<()> {
	let terms = build_terms(args)?;
	let signer = ctx.keys.signer()?;
	let chain = ctx.chain().await?;
	let (receipt, description) = if let Some(id) = args.update {
		let existing = chain
			.offer(id)
			.await?
			.ok_or_else(|| anyhow!("offer #{id} does not exist"))?;
		if existing.retired.is_some() {
			bail!("offer #{id} is retired; create a new offer instead");
		}
		let receipt = chain
			.submit_licensing("update_offer", (Static(id), Static(terms.clone())), &signer)
			.await?;
		(receipt, format!("updated offer #{id}"))
	} else {
		let Some(target) = &args.target else {
			bail!("give the version (or with --default, the repository) to offer a license for");
		};
		let (target, label) = if args.default {
			let name = repo_name(target)?;
			if chain.repository(&name).await?.is_none() {
				bail!("repository {name} does not exist");
			}
			(
				OfferTarget::Repository(repo_bytes(&name)?),
				format!("every version of {name} without its own offer"),
			)
		} else {
			let spec: VersionSpec = target.parse()?;
			let (id, _) = resolve(&chain, &spec).await?;
			(OfferTarget::Version(id), format!("version {id}"))
		};
		let receipt = chain
			.submit_licensing(
				"create_offer",
				(Static(target), Static(terms.clone())),
				&signer,
			)
			.await?;
		(receipt, format!("offered a license for {label}"))
	};
	#[derive(Decode)]
	struct Created {
		offer: OfferId,
	}
	let created: Vec<Created> = receipt.events_of("Licensing", "OfferCreated")?;
	let id = created.first().map(|c| c.offer).or(args.update);
	if ctx.json {
		print_json(
			out,
			&json!({ "offer": id, "terms": terms_json(&terms), "receipt": receipt }),
		)
	} else {
		writeln!(
			out,
			"{description}: offer #{} — {} (block #{})",
			id.map_or("?".into(), |i| i.to_string()),
			terms_human(&terms),
			receipt.block_number
		)?;
		Ok(())
	}
}

async fn show(ctx: &Context, args: &ShowArgs, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	let now = chain.best_block().await?;
	if let Some(id) = args.license {
		let license = chain
			.license(id)
			.await?
			.ok_or_else(|| anyhow!("license #{id} does not exist"))?;
		return if ctx.json {
			print_json(out, &license_json(id, &license, now))
		} else {
			writeln!(out, "{}", license_human(id, &license, now))?;
			Ok(())
		};
	}
	let spec = args.version.as_ref().expect("clap requires a version");
	let (id, info) = resolve(&chain, spec).await?;
	let offers = chain.offers(&id).await?;
	let contributors = chain.contributors(&id).await?;
	let amount = args.amount.as_deref().map(parse_amount).transpose()?;
	let mut splits = Vec::new();
	for (oid, o) in &offers {
		let price = amount.unwrap_or(o.terms.price);
		if let Some(split) = chain.royalty_split(&id, price).await? {
			splits.push((Some(*oid), split));
		}
	}
	if offers.is_empty() {
		if let Some(amount) = amount {
			if let Some(split) = chain.royalty_split(&id, amount).await? {
				splits.push((None, split));
			}
		}
	}
	if ctx.json {
		return print_json(
			out,
			&json!({
				"version": id.to_string(),
				"repository": view::text(&info.record.manifest.repository),
				"offers": offers.iter().map(|(oid, o)| offer_json(*oid, o)).collect::<Vec<_>>(),
				"contributors": contributors.iter().map(|c| json!({ "account": c.account.to_string(), "share": format_percent(c.share.deconstruct()), "role": role_name(c.role) })).collect::<Vec<_>>(),
				"splits": splits.iter().map(|(oid, s)| json!({ "offer": oid, "split": split_json(s) })).collect::<Vec<_>>(),
			}),
		);
	}
	writeln!(
		out,
		"version  {id} ({})",
		view::text(&info.record.manifest.repository)
	)?;
	if offers.is_empty() {
		writeln!(out, "offers   none: no license is needed to install it")?;
	}
	for (oid, o) in &offers {
		let scope = match o.target {
			OfferTarget::Version(_) => "version",
			OfferTarget::Repository(_) => "repository default",
		};
		writeln!(
			out,
			"offer #{oid} ({scope}, {} sold or granted): {}",
			o.licenses,
			terms_human(&o.terms)
		)?;
	}
	if contributors.is_empty() {
		writeln!(
			out,
			"contributors  none recorded: the repository owner receives this version's income"
		)?;
	}
	for c in &contributors {
		writeln!(
			out,
			"contributor  {} {} ({})",
			c.account,
			format_percent(c.share.deconstruct()),
			role_name(c.role)
		)?;
	}
	for (oid, split) in &splits {
		match oid {
			Some(oid) => writeln!(
				out,
				"buying offer #{oid} for {} pays:",
				format_amount(split.amount)
			)?,
			None => writeln!(
				out,
				"a payment of {} would go to:",
				format_amount(split.amount)
			)?,
		}
		split_human(split, out)?;
	}
	Ok(())
}

/// `owh balance`: free, reserved (held) and frozen balances.
pub async fn balance(ctx: &Context, args: &BalanceArgs, out: &mut dyn Write) -> Result<()> {
	let accounts = if args.accounts.is_empty() {
		vec![ctx.keys.account()?]
	} else {
		args.accounts
			.iter()
			.map(|a| parse_account(a, &ctx.keystore))
			.collect::<Result<Vec<_>>>()?
	};
	let chain = ctx.chain().await?;
	let mut rows = Vec::new();
	for who in accounts {
		rows.push((who, chain.account(&who).await?));
	}
	if ctx.json {
		print_json(
			out,
			&json!(rows.iter().map(|(who, a)| json!({ "account": who.to_string(), "free": a.free.to_string(), "reserved": a.reserved.to_string(), "frozen": a.frozen.to_string() })).collect::<Vec<_>>()),
		)
	} else {
		for (who, a) in rows {
			writeln!(
				out,
				"{who}  free {}  held {}",
				format_amount(a.free),
				format_amount(a.reserved)
			)?;
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn offer_args(extra: &[&str]) -> OfferArgs {
		use clap::Parser;
		#[derive(Parser)]
		struct Wrapper {
			#[command(flatten)]
			args: OfferArgs,
		}
		let mut argv = vec!["owh", "acme/m@production"];
		argv.extend_from_slice(extra);
		Wrapper::try_parse_from(argv).unwrap().args
	}

	fn error(args: &OfferArgs) -> String {
		build_terms(args).unwrap_err().to_string()
	}

	#[test]
	fn offer_terms_from_flags() {
		let terms = build_terms(&offer_args(&[
			"--spdx",
			"Apache-2.0",
			"--derivatives",
			"--royalty",
			"12.5%",
			"--price",
			"3u",
			"--period",
			"100",
			"--commercial",
		]))
		.unwrap();
		assert_eq!(terms.royalty_rate, Permill::from_parts(125_000));
		assert_eq!((terms.price, terms.period), (3, Some(100)));
		assert!(terms.commercial && terms.derivatives && !terms.revocable);
		assert!(error(&offer_args(&["--spdx", "MIT", "--royalty", "5%"]))
			.contains("needs --derivatives"));
		assert!(error(&offer_args(&[
			"--spdx",
			"MIT",
			"--derivatives",
			"--royalty",
			"100.5%"
		]))
		.contains("above 100%"));
		assert!(
			error(&offer_args(&["--spdx", "MIT", "--period", "0"])).contains("at least 1 block")
		);
		assert!(error(&offer_args(&["--spdx", "MIT", "--usage-cap", "0"])).contains("no use"));
		assert!(format!(
			"{:#}",
			build_terms(&offer_args(&["--spdx", "MIT", "--price", "1e9"])).unwrap_err()
		)
		.contains("not an amount"));
		assert!(error(&offer_args(&[])).contains("--spdx"));
		assert!(error(&offer_args(&["--spdx", "Not A License"])).contains("SPDX"));
	}

	#[test]
	fn contributor_lists() {
		let c = |byte: u8, ppm: u32| Contributor {
			account: AccountId32([byte; 32]),
			share: Permill::from_parts(ppm),
			role: ContributorRole::Other,
		};
		assert!(check_contributors(&[c(1, 600_000), c(2, 400_000)]).is_ok());
		let err = check_contributors(&[c(1, 600_000), c(2, 300_000)]).unwrap_err();
		assert_eq!(err.to_string(), "the shares sum to 90%, not 100%");
		let err = check_contributors(&[c(1, 500_000), c(1, 500_000)]).unwrap_err();
		assert!(err.to_string().contains("listed twice"), "{err}");
	}
}
