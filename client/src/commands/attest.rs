//! `owh attest` (on chain, signed off-chain, or submitting someone's signed attestation),
//! `owh attestor list` and `owh dispute open|show|list`.

use super::print_json;
use crate::model::resolve::resolve;
use crate::{
	amount::format_amount,
	chain::{AttestationRecord, AttestorRecord, Chain, DisputeRecord, MultiSignature},
	context::Context,
	keys::account_of,
	model::refs::{format_metric, key_value, metric_name, metric_value, version_id, VersionSpec},
	view,
};
use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand};
use codec::Decode;
use owh_primitives::{
	manifest::Metric,
	promotion::{
		AttestationId, AttestationPayload, AttestationStatus, AttestedMetrics, DisputeId,
		DisputeStatus, Evidence, MAX_ATTESTED_METRICS,
	},
	validate, VersionId,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::{io::Write, path::PathBuf};
use subxt::{
	dynamic::Value as DynValue,
	utils::{AccountId32, Static},
};

/// Largest evidence report hashed from a URL.
const MAX_EVIDENCE_DOWNLOAD: u64 = 1 << 30;

#[derive(Args, Debug)]
pub struct AttestArgs {
	/// `<repo>@<alias|version>` or a version id.
	#[arg(required_unless_present = "signed")]
	pub version: Option<VersionSpec>,
	/// An attested result `name=value` (decimal, up to 6 decimals). Repeatable.
	#[arg(long = "metric", required_unless_present = "signed")]
	pub metrics: Vec<String>,
	/// The evaluation report or logs: a local file (hashed here; say where it is published with
	/// --evidence-uri) or an http(s) URL (downloaded and hashed).
	#[arg(long, required_unless_present = "signed")]
	pub evidence: Option<String>,
	/// Where others can fetch the evidence (`https://…`, `ipfs://…`) [default: --evidence
	/// when it is a URL].
	#[arg(long)]
	pub evidence_uri: Option<String>,
	/// Sign the attestation for this chain without submitting it; print it as JSON for anyone
	/// to submit with `owh attest --signed <file>` (the attestor needs no funds).
	#[arg(long, conflicts_with = "signed")]
	pub sign_only: bool,
	/// Submit an attestation an attestor signed with --sign-only (the signing key pays the fee
	/// and the storage deposit).
	#[arg(long, conflicts_with_all = ["version", "metrics", "evidence", "evidence_uri"])]
	pub signed: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum AttestorCommand {
	/// Every registered attestor: name, bond, the metrics it may attest, whether suspended.
	List,
}

#[derive(Subcommand, Debug)]
pub enum DisputeCommand {
	/// Challenge an attestation as false, holding the dispute bond until governance rules.
	Open {
		/// The attestation's id (`owh show <version>` lists them).
		attestation: AttestationId,
		/// Why it is false: a local file (say where it is published with --evidence-uri) or
		/// an http(s) URL.
		#[arg(long)]
		evidence: String,
		/// Where others can fetch the evidence [default: --evidence when it is a URL].
		#[arg(long)]
		evidence_uri: Option<String>,
	},
	/// One dispute: the attestation, the bonds, and the ruling.
	Show { id: DisputeId },
	/// Every dispute of a version's attestations, oldest first.
	List {
		/// `<repo>@<alias|version>` or a version id.
		version: VersionSpec,
	},
}

/// Parses `--metric name=value` into attested metrics, sorted by name as the chain wants.
pub fn attested_metrics(args: &[String]) -> Result<AttestedMetrics> {
	let mut metrics = args
		.iter()
		.map(|m| {
			let (name, value) = key_value(m, "--metric")?;
			Ok(Metric {
				name: metric_name(&name)?,
				value: metric_value(&value)?,
			})
		})
		.collect::<Result<Vec<_>>>()?;
	metrics.sort_by(|a, b| a.name.cmp(&b.name));
	if let Some(pair) = metrics.windows(2).find(|w| w[0].name == w[1].name) {
		bail!(
			"--metric {} is given twice; attest each metric once",
			view::text(&pair[0].name)
		);
	}
	let count = metrics.len();
	metrics.try_into().map_err(|_| {
		anyhow!("{count} metrics given; an attestation holds at most {MAX_ATTESTED_METRICS}")
	})
}

fn metrics_json(metrics: &[Metric]) -> Value {
	metrics
		.iter()
		.map(|m| (view::text(&m.name), json!(format_metric(m.value))))
		.collect::<serde_json::Map<_, _>>()
		.into()
}

fn metrics_text(metrics: &[Metric]) -> String {
	metrics
		.iter()
		.map(|m| format!("{}={}", view::text(&m.name), format_metric(m.value)))
		.collect::<Vec<_>>()
		.join(" ")
}

/// Hashes the evidence: a local file, or an http(s) URL downloaded here.
pub async fn evidence(ctx: &Context, source: &str, uri: Option<&str>) -> Result<Evidence> {
	let is_url = source.starts_with("http://") || source.starts_with("https://");
	let uri = match (uri, is_url) {
		(Some(uri), _) => uri.to_string(),
		(None, true) => source.to_string(),
		(None, false) => bail!(
			"--evidence {source} is a local file; say where others can fetch it with --evidence-uri (https://…, ipfs://…)"
		),
	};
	if !validate::storage_uri(uri.as_bytes()) {
		bail!("invalid evidence URI {uri:?}: write scheme:rest in printable ASCII, e.g. https://ci.example.org/runs/42/report.json (Promotion::BadEvidenceUri)");
	}
	let sha256 = if is_url {
		download_hash(ctx, source).await?
	} else {
		let mut file = std::fs::File::open(source)
			.with_context(|| format!("cannot read the evidence file {source}"))?;
		let mut sha = Sha256::new();
		std::io::copy(&mut file, &mut sha)
			.with_context(|| format!("cannot read the evidence file {source}"))?;
		sha.finalize().into()
	};
	Ok(Evidence {
		sha256,
		uri: crate::chain::bounded(
			&uri,
			"evidence URI",
			owh_primitives::promotion::MAX_EVIDENCE_URI_LEN,
		)?,
	})
}

async fn download_hash(ctx: &Context, url: &str) -> Result<[u8; 32]> {
	use futures_util::StreamExt;
	let response = ctx
		.backends()?
		.http()
		.get(url)
		.send()
		.await
		.and_then(|r| r.error_for_status())
		.with_context(|| format!("cannot download the evidence {url}"))?;
	let mut sha = Sha256::new();
	let mut read = 0u64;
	let mut body = response.bytes_stream();
	while let Some(chunk) = body.next().await {
		let chunk = chunk.with_context(|| format!("cannot download the evidence {url}"))?;
		read += chunk.len() as u64;
		if read > MAX_EVIDENCE_DOWNLOAD {
			bail!("the evidence {url} is larger than 1 GiB; hash it locally and pass the file with --evidence-uri {url}");
		}
		sha.update(&chunk);
	}
	Ok(sha.finalize().into())
}

pub async fn attestors(chain: &Chain) -> Result<Vec<(AccountId32, AttestorRecord)>> {
	chain.promotion("attestors", ()).await
}

/// The attestor record of `who`, or an error saying how to become one.
async fn registered(chain: &Chain, who: &AccountId32) -> Result<AttestorRecord> {
	let info = attestors(chain)
		.await?
		.into_iter()
		.find(|(a, _)| a == who)
		.map(|(_, info)| info)
		.ok_or_else(|| {
			anyhow!("{who} is not a registered attestor (Promotion::NotAttestor); governance registers attestors: `owh gov council propose register-attestor {who} --name <name> --metric <name>`")
		})?;
	if info.suspended {
		bail!("attestor {who} ({}) is suspended (Promotion::AttestorSuspended); governance must reinstate it first", view::text(&info.name));
	}
	Ok(info)
}

fn check_allowed(info: &AttestorRecord, metrics: &[Metric]) -> Result<()> {
	if let Some(m) = metrics
		.iter()
		.find(|m| info.metrics.binary_search(&m.name).is_err())
	{
		bail!(
			"attestor {} may not attest {} (Promotion::MetricNotAllowed); it may attest {}",
			view::text(&info.name),
			view::text(&m.name),
			info.metrics
				.iter()
				.map(|n| view::text(n))
				.collect::<Vec<_>>()
				.join(", ")
		);
	}
	Ok(())
}

/// An attestation signed off-chain, as `--sign-only` prints it and `--signed` reads it.
#[derive(serde::Serialize, serde::Deserialize)]
struct SignedAttestation {
	/// The genesis hash (hex) of the chain it is valid on.
	chain: String,
	attestor: String,
	nonce: u32,
	version: String,
	metrics: Vec<String>,
	evidence_sha256: String,
	evidence_uri: String,
	signature: String,
}

pub async fn attest(ctx: &Context, args: &AttestArgs, out: &mut dyn Write) -> Result<()> {
	if let Some(file) = &args.signed {
		return submit_signed(ctx, file, out).await;
	}
	let (Some(spec), Some(source)) = (&args.version, &args.evidence) else {
		bail!("give the version, --metric and --evidence, or --signed <file>");
	};
	let metrics = attested_metrics(&args.metrics)?;
	let evidence = evidence(ctx, source, args.evidence_uri.as_deref()).await?;
	let signer = ctx.keys.signer()?;
	let who = account_of(&signer);
	let chain = ctx.chain().await?;
	let info = registered(&chain, &who).await?;
	check_allowed(&info, &metrics)?;
	let (id, version) = resolve(&chain, spec).await?;
	if version.yanked.is_some() {
		ctx.warn(&format!(
			"version {id} is yanked; the attestation is recorded anyway"
		));
	}
	if args.sign_only {
		let genesis = chain.genesis_hash();
		let payload = AttestationPayload {
			genesis,
			nonce: info.nonce,
			version: id,
			metrics: &metrics,
			evidence: &evidence,
		};
		let signature = signer.sign(&payload.signing_bytes()).0;
		let signed = SignedAttestation {
			chain: format!("0x{}", hex::encode(genesis)),
			attestor: who.to_string(),
			nonce: info.nonce,
			version: id.to_string(),
			metrics: metrics
				.iter()
				.map(|m| format!("{}={}", view::text(&m.name), format_metric(m.value)))
				.collect(),
			evidence_sha256: hex::encode(evidence.sha256),
			evidence_uri: view::text(&evidence.uri),
			signature: format!("0x{}", hex::encode(signature)),
		};
		writeln!(out, "{}", serde_json::to_string_pretty(&signed)?)?;
		return Ok(());
	}
	let receipt = chain
		.submit_to(
			"Promotion",
			"attest",
			(
				Static(id),
				Static(metrics.clone()),
				Static(evidence.clone()),
			),
			&signer,
		)
		.await?;
	report_attested(ctx, &receipt, id, &metrics, out)
}

#[derive(Decode)]
struct Attested {
	id: AttestationId,
	_version: VersionId,
	_attestor: AccountId32,
	supersedes: Option<AttestationId>,
}

fn report_attested(
	ctx: &Context,
	receipt: &crate::chain::Receipt,
	version: VersionId,
	metrics: &[Metric],
	out: &mut dyn Write,
) -> Result<()> {
	let event = receipt
		.events_of::<Attested>("Promotion", "Attested")?
		.into_iter()
		.next()
		.ok_or_else(|| anyhow!("the block has no Promotion::Attested event"))?;
	if ctx.json {
		return print_json(
			out,
			&json!({
				"attestation": event.id,
				"version": version.to_string(),
				"metrics": metrics_json(metrics),
				"supersedes": event.supersedes,
				"receipt": receipt,
			}),
		);
	}
	let supersedes = event
		.supersedes
		.map_or(String::new(), |s| format!("; supersedes #{s}"));
	writeln!(
		out,
		"attestation #{} of {version}: {} (block #{}){supersedes}",
		event.id,
		metrics_text(metrics),
		receipt.block_number
	)?;
	Ok(())
}

async fn submit_signed(ctx: &Context, file: &PathBuf, out: &mut dyn Write) -> Result<()> {
	let text = std::fs::read_to_string(file)
		.with_context(|| format!("cannot read the signed attestation {}", file.display()))?;
	let signed: SignedAttestation = serde_json::from_str(&text).with_context(|| {
		format!(
			"{} is not a signed attestation from `owh attest --sign-only`",
			file.display()
		)
	})?;
	let attestor = crate::keys::parse_account(&signed.attestor, &ctx.keystore)?;
	let version = version_id(&signed.version)?;
	let metrics = attested_metrics(&signed.metrics)?;
	let evidence = Evidence {
		sha256: crate::model::refs::hex_bytes::<32>(&signed.evidence_sha256, "evidence_sha256")?,
		uri: crate::chain::bounded(
			&signed.evidence_uri,
			"evidence URI",
			owh_primitives::promotion::MAX_EVIDENCE_URI_LEN,
		)?,
	};
	let signature = crate::model::refs::hex_bytes::<64>(&signed.signature, "signature")?;
	let submitter = ctx.keys.signer()?;
	let chain = ctx.chain().await?;
	let genesis = chain.genesis_hash();
	if crate::model::refs::hex_bytes::<32>(&signed.chain, "chain")? != genesis {
		bail!(
			"{} was signed for the chain with genesis {}, not this one (Promotion::BadSignature)",
			file.display(),
			signed.chain
		);
	}
	let payload = AttestationPayload {
		genesis,
		nonce: signed.nonce,
		version,
		metrics: &metrics,
		evidence: &evidence,
	};
	if !subxt_signer::sr25519::verify(
		&subxt_signer::sr25519::Signature(signature),
		payload.signing_bytes(),
		&subxt_signer::sr25519::PublicKey(attestor.0),
	) {
		bail!(
			"the signature in {} does not cover its content for attestor {attestor} (Promotion::BadSignature)",
			file.display()
		);
	}
	let info = registered(&chain, &attestor).await?;
	if info.nonce != signed.nonce {
		bail!(
			"{} carries nonce {}, the attestor's next is {} (Promotion::WrongNonce); it was submitted already or signed out of order",
			file.display(),
			signed.nonce,
			info.nonce
		);
	}
	check_allowed(&info, &metrics)?;
	resolve(&chain, &VersionSpec::Id(version)).await?;
	let receipt = chain
		.submit_to(
			"Promotion",
			"submit_attestation",
			(
				Static(attestor),
				Static(signed.nonce),
				Static(version),
				Static(metrics.clone()),
				Static(evidence),
				Static(MultiSignature::Sr25519(signature)),
			),
			&submitter,
		)
		.await?;
	report_attested(ctx, &receipt, version, &metrics, out)
}

fn status_text(status: AttestationStatus, counted: bool) -> &'static str {
	match (status, counted) {
		(AttestationStatus::RuledFalse, _) => "ruled false",
		(_, true) => "counted",
		(_, false) => "not counted (superseded or attestor suspended)",
	}
}

/// The attestations of a version, for `owh show`.
pub async fn of_version(
	chain: &Chain,
	version: VersionId,
) -> Result<Vec<(AttestationId, AttestationRecord, bool)>> {
	chain.promotion("attestations", (Static(version),)).await
}

pub fn attestations_json(list: &[(AttestationId, AttestationRecord, bool)]) -> Value {
	list.iter()
		.map(|(id, a, counted)| {
			json!({
				"id": id,
				"attestor": a.attestor.to_string(),
				"metrics": metrics_json(&a.metrics),
				"evidence": { "sha256": hex::encode(a.evidence.sha256), "uri": view::text(&a.evidence.uri) },
				"block": a.block,
				"status": a.status,
				"counted": counted,
			})
		})
		.collect()
}

pub fn attestations_human(
	list: &[(AttestationId, AttestationRecord, bool)],
	names: &[(AccountId32, AttestorRecord)],
) -> String {
	if list.is_empty() {
		return String::new();
	}
	let mut text = String::from("attestations:\n");
	for (id, a, counted) in list {
		let name = names
			.iter()
			.find(|(who, _)| *who == a.attestor)
			.map_or(a.attestor.to_string(), |(_, info)| view::text(&info.name));
		text.push_str(&format!(
			"  #{id:<4} {name} at #{}: {}  [{}]\n        evidence {} sha256:{}\n",
			a.block,
			metrics_text(&a.metrics),
			status_text(a.status, *counted),
			view::text(&a.evidence.uri),
			hex::encode(a.evidence.sha256)
		));
	}
	text
}

pub async fn attestor(ctx: &Context, cmd: &AttestorCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		AttestorCommand::List => {
			let chain = ctx.chain().await?;
			let list = attestors(&chain).await?;
			if ctx.json {
				return print_json(
					out,
					&json!(list
						.iter()
						.map(|(who, info)| json!({
							"account": who.to_string(),
							"name": view::text(&info.name),
							"metrics": info.metrics.iter().map(|m| view::text(m)).collect::<Vec<_>>(),
							"bond": info.bond.to_string(),
							"suspended": info.suspended,
							"nonce": info.nonce,
						}))
						.collect::<Vec<_>>()),
				);
			}
			if list.is_empty() {
				writeln!(out, "no attestors are registered; governance registers them (`owh gov council propose register-attestor`)")?;
			}
			for (who, info) in &list {
				let suspended = if info.suspended { "  SUSPENDED" } else { "" };
				writeln!(
					out,
					"{who} {:?} bond {} may attest {}{suspended}",
					view::text(&info.name),
					format_amount(info.bond),
					info.metrics
						.iter()
						.map(|m| view::text(m))
						.collect::<Vec<_>>()
						.join(", ")
				)?;
			}
			Ok(())
		}
	}
}

async fn attestation(chain: &Chain, id: AttestationId) -> Result<Option<AttestationRecord>> {
	chain
		.storage_bytes("Promotion", "Attestations", vec![DynValue::u128(id.into())])
		.await?
		.map(|bytes| {
			AttestationRecord::decode(&mut &bytes[..])
				.map_err(|e| anyhow!("cannot decode attestation #{id}: {e}"))
		})
		.transpose()
}

fn dispute_json(id: DisputeId, d: &DisputeRecord) -> Value {
	json!({
		"id": id,
		"attestation": d.attestation,
		"disputer": d.disputer.to_string(),
		"bond": d.bond.to_string(),
		"deposit": d.deposit.to_string(),
		"evidence": { "sha256": hex::encode(d.evidence.sha256), "uri": view::text(&d.evidence.uri) },
		"opened": d.opened,
		"status": d.status,
		"ruled": d.ruled,
		"slashed": d.slashed.to_string(),
	})
}

fn dispute_human(id: DisputeId, d: &DisputeRecord) -> String {
	let ruling = match (d.status, d.ruled) {
		(DisputeStatus::Open, _) => "open, awaiting governance's ruling".to_string(),
		(DisputeStatus::Upheld, ruled) => format!(
			"upheld at #{}: the attestation is false, {} slashed from the attestor, the bond returned",
			ruled.unwrap_or_default(),
			format_amount(d.slashed)
		),
		(DisputeStatus::Rejected, ruled) => format!(
			"rejected at #{}: the attestation stands, the bond went to the attestor",
			ruled.unwrap_or_default()
		),
	};
	format!(
		"dispute #{id} of attestation #{} by {} at #{}: {ruling}\n  bond {}, deposit {}\n  evidence {} sha256:{}\n",
		d.attestation,
		d.disputer,
		d.opened,
		format_amount(d.bond),
		format_amount(d.deposit),
		view::text(&d.evidence.uri),
		hex::encode(d.evidence.sha256)
	)
}

#[derive(Decode)]
struct DisputeOpened {
	id: DisputeId,
	_attestation: AttestationId,
	_disputer: AccountId32,
	bond: crate::chain::Balance,
}

pub async fn dispute(ctx: &Context, cmd: &DisputeCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		DisputeCommand::Open {
			attestation: id,
			evidence: source,
			evidence_uri,
		} => {
			let evidence = evidence(ctx, source, evidence_uri.as_deref()).await?;
			let signer = ctx.keys.signer()?;
			let chain = ctx.chain().await?;
			let Some(record) = attestation(&chain, *id).await? else {
				bail!("attestation #{id} does not exist (Promotion::UnknownAttestation); `owh show <version>` lists a version's attestations");
			};
			if record.status == AttestationStatus::RuledFalse {
				bail!(
					"attestation #{id} was already ruled false (Promotion::AttestationRuledFalse)"
				);
			}
			let open = chain
				.storage_bytes(
					"Promotion",
					"OpenDisputes",
					vec![DynValue::u128((*id).into())],
				)
				.await?;
			if let Some(bytes) = open {
				let dispute = DisputeId::decode(&mut &bytes[..]).unwrap_or_default();
				bail!("attestation #{id} already has an open dispute, #{dispute} (Promotion::DisputeAlreadyOpen); wait for its ruling: `owh dispute show {dispute}`");
			}
			let bond: u128 = chain
				.constant("Promotion", "DisputeBond")
				.await?
				.as_u128()
				.ok_or_else(|| anyhow!("Promotion::DisputeBond is not a number"))?;
			let free = chain.account(&account_of(&signer)).await?.free;
			if free < bond {
				bail!(
					"a dispute holds a bond of {} plus a storage deposit; {} has {} free (Promotion::InsufficientDisputeBond)",
					format_amount(bond),
					account_of(&signer),
					format_amount(free)
				);
			}
			let receipt = chain
				.submit_to(
					"Promotion",
					"open_dispute",
					(Static(*id), Static(evidence)),
					&signer,
				)
				.await?;
			let opened = receipt
				.events_of::<DisputeOpened>("Promotion", "DisputeOpened")?
				.into_iter()
				.next()
				.ok_or_else(|| anyhow!("the block has no Promotion::DisputeOpened event"))?;
			if ctx.json {
				return print_json(
					out,
					&json!({ "dispute": opened.id, "attestation": id, "bond": opened.bond.to_string(), "receipt": receipt }),
				);
			}
			writeln!(
				out,
				"dispute #{} of attestation #{id} opened, bond {} held (block #{}); governance rules with `owh gov council propose rule-dispute {} --upheld|--rejected`",
				opened.id,
				format_amount(opened.bond),
				receipt.block_number,
				opened.id
			)?;
			Ok(())
		}
		DisputeCommand::Show { id } => {
			let chain = ctx.chain().await?;
			let record: Option<DisputeRecord> = chain.promotion("dispute", (Static(*id),)).await?;
			let Some(record) = record else {
				bail!("dispute #{id} does not exist (Promotion::UnknownDispute)");
			};
			let disputed = attestation(&chain, record.attestation).await?;
			if ctx.json {
				let mut value = dispute_json(*id, &record);
				value["attested"] = disputed.as_ref().map_or(Value::Null, |a| {
					json!({
						"attestor": a.attestor.to_string(),
						"version": a.version.to_string(),
						"metrics": metrics_json(&a.metrics),
						"status": a.status,
					})
				});
				return print_json(out, &value);
			}
			write!(out, "{}", dispute_human(*id, &record))?;
			if let Some(a) = disputed {
				writeln!(
					out,
					"  disputes: {} attested {} for {} at #{}",
					a.attestor,
					metrics_text(&a.metrics),
					a.version,
					a.block
				)?;
			}
			Ok(())
		}
		DisputeCommand::List { version } => {
			let chain = ctx.chain().await?;
			let (id, _) = resolve(&chain, version).await?;
			let list: Vec<(DisputeId, DisputeRecord)> =
				chain.promotion("disputes", (Static(id),)).await?;
			if ctx.json {
				return print_json(
					out,
					&json!(list
						.iter()
						.map(|(n, d)| dispute_json(*n, d))
						.collect::<Vec<_>>()),
				);
			}
			if list.is_empty() {
				writeln!(out, "no attestation of {id} is disputed")?;
			}
			for (n, d) in &list {
				write!(out, "{}", dispute_human(*n, d))?;
			}
			Ok(())
		}
	}
}

/// The call and summary of a proposal to register `who` as an attestor of `metrics`.
pub async fn register_attestor(
	chain: &Chain,
	who: AccountId32,
	name: &str,
	metrics: &[String],
) -> Result<(Vec<u8>, String)> {
	if name.trim().is_empty() || !name.chars().all(|c| !c.is_control()) {
		bail!("--name must be non-empty printable text (Promotion::BadAttestorName)");
	}
	let name: owh_primitives::promotion::AttestorName = crate::chain::bounded(
		name,
		"attestor name",
		owh_primitives::promotion::MAX_ATTESTOR_NAME_LEN,
	)?;
	let mut allowed = metrics
		.iter()
		.map(|m| metric_name(m).map_err(|e| anyhow!("{e} (Promotion::BadAllowedMetrics)")))
		.collect::<Result<Vec<_>>>()?;
	allowed.sort();
	allowed.dedup();
	if allowed.len() > owh_primitives::promotion::MAX_ATTESTOR_METRICS as usize {
		bail!(
			"{} metrics given; an attestor may attest at most {} (Promotion::BadAllowedMetrics)",
			allowed.len(),
			owh_primitives::promotion::MAX_ATTESTOR_METRICS
		);
	}
	if attestors(chain).await?.iter().any(|(a, _)| *a == who) {
		bail!("{who} is already an attestor (Promotion::AlreadyAttestor); see `owh attestor list`");
	}
	let bond: u128 = chain
		.constant("Promotion", "AttestorBond")
		.await?
		.as_u128()
		.ok_or_else(|| anyhow!("Promotion::AttestorBond is not a number"))?;
	let free = chain.account(&who).await?.free;
	if free < bond {
		bail!(
			"{who} has {} free and cannot cover the attestor bond of {} (Promotion::InsufficientBond); fund it first",
			format_amount(free),
			format_amount(bond)
		);
	}
	let summary = format!(
		"register attestor {who} {:?} for {} (bond {})",
		view::text(&name),
		allowed
			.iter()
			.map(|m| view::text(m))
			.collect::<Vec<_>>()
			.join(", "),
		format_amount(bond)
	);
	let call = chain
		.call_data(&subxt::dynamic::tx(
			"Promotion",
			"register_attestor",
			(Static(who), Static(name), Static(allowed)),
		))
		.await?;
	Ok((call, summary))
}

/// The call and summary of a proposal to suspend (or reinstate) an attestor.
pub async fn suspend_attestor(
	chain: &Chain,
	who: AccountId32,
	suspend: bool,
) -> Result<(Vec<u8>, String)> {
	let Some((_, info)) = attestors(chain).await?.into_iter().find(|(a, _)| *a == who) else {
		bail!(
			"{who} is not a registered attestor (Promotion::NotAttestor); see `owh attestor list`"
		);
	};
	if info.suspended == suspend {
		let state = if suspend { "suspended" } else { "active" };
		bail!("attestor {who} is already {state} (Promotion::SuspensionUnchanged)");
	}
	let verb = if suspend { "suspend" } else { "reinstate" };
	let call = chain
		.call_data(&subxt::dynamic::tx(
			"Promotion",
			"set_attestor_suspended",
			(Static(who), Static(suspend)),
		))
		.await?;
	Ok((
		call,
		format!("{verb} attestor {who} {:?}", view::text(&info.name)),
	))
}

/// The call and summary of a proposal to rule on a dispute.
pub async fn rule_dispute(chain: &Chain, id: DisputeId, upheld: bool) -> Result<(Vec<u8>, String)> {
	let record: Option<DisputeRecord> = chain.promotion("dispute", (Static(id),)).await?;
	let Some(record) = record else {
		bail!("dispute #{id} does not exist (Promotion::UnknownDispute); see `owh dispute list <version>`");
	};
	if record.status != DisputeStatus::Open {
		bail!("dispute #{id} was already ruled on (Promotion::DisputeClosed)");
	}
	let ruling = if upheld {
		"uphold (the attestation is false; slash the attestor)"
	} else {
		"reject (the attestation stands; the disputer's bond goes to the attestor)"
	};
	let call = chain
		.call_data(&subxt::dynamic::tx(
			"Promotion",
			"rule_dispute",
			(Static(id), Static(upheld)),
		))
		.await?;
	Ok((
		call,
		format!(
			"{ruling} dispute #{id} of attestation #{}",
			record.attestation
		),
	))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn args(list: &[&str]) -> Vec<String> {
		list.iter().map(|s| s.to_string()).collect()
	}

	#[test]
	fn metrics_are_sorted_by_name_and_exact() {
		let metrics =
			attested_metrics(&args(&["recall=0.98", "false_positive_rate=0.01"])).unwrap();
		let pairs: Vec<_> = metrics
			.iter()
			.map(|m| (view::text(&m.name), m.value))
			.collect();
		assert_eq!(
			pairs,
			[
				("false_positive_rate".to_string(), 10_000),
				("recall".to_string(), 980_000)
			]
		);
	}

	#[test]
	fn bad_metrics_are_named() {
		for (given, says) in [
			(&["recall=0.9", "recall=0.8"][..], "given twice"),
			(&["recall"][..], "expected key=value"),
			(&["re call=0.9"][..], "invalid metric name"),
			(&["recall=0.9x"][..], "invalid metric value"),
		] {
			let error = attested_metrics(&args(given)).unwrap_err().to_string();
			assert!(error.contains(says), "{given:?}: {error}");
		}
		let many: Vec<String> = (0..=MAX_ATTESTED_METRICS)
			.map(|i| format!("m{i:02}=1"))
			.collect();
		assert!(attested_metrics(&many)
			.unwrap_err()
			.to_string()
			.contains("at most 16"));
	}

	#[test]
	fn signed_attestations_verify_only_unchanged() {
		let pair = crate::keys::keypair_from_suri("//Eve").unwrap();
		let metrics = attested_metrics(&args(&["recall=0.98"])).unwrap();
		let evidence = Evidence {
			sha256: [7; 32],
			uri: b"https://lab.example.org/r.json"
				.to_vec()
				.try_into()
				.unwrap(),
		};
		let payload = |genesis, nonce, metrics| AttestationPayload {
			genesis,
			nonce,
			version: VersionId([1; 32]),
			metrics,
			evidence: &evidence,
		};
		let signature = pair.sign(&payload([9; 32], 0, &metrics).signing_bytes());
		let verify =
			|bytes: Vec<u8>| subxt_signer::sr25519::verify(&signature, bytes, &pair.public_key());
		assert!(verify(payload([9; 32], 0, &metrics).signing_bytes()));
		assert!(!verify(payload([8; 32], 0, &metrics).signing_bytes()));
		assert!(!verify(payload([9; 32], 1, &metrics).signing_bytes()));
		let other = attested_metrics(&args(&["recall=0.99"])).unwrap();
		assert!(!verify(payload([9; 32], 0, &other).signing_bytes()));
	}
}
