//! Protected aliases: `owh alias protect|unprotect|gate|status`, the gate check `owh alias set`
//! makes before it submits, and the warning `owh install` gives for a flagged promotion.

use super::print_json;
use crate::model::resolve::resolve;
use crate::{
	chain::{bounded, Chain, GateChangeRecord, GateRecord, PromotionRecord},
	context::Context,
	model::refs::{
		alias_name, format_metric, metric_name, metric_value, repo_name, RepoRef, VersionSpec,
	},
	view,
};
use anyhow::{anyhow, bail, Result};
use clap::{Args, ValueEnum};
use owh_primitives::{
	promotion::{
		Approval, Comparison, GateError, GateStatus, PromotionApproval, Threshold,
		ThresholdOutcome, MAX_GATE_THRESHOLDS, MAX_VERSION_ATTESTORS,
	},
	AliasName, RepoName, VersionId,
};
use serde_json::{json, Value};
use std::io::Write;
use subxt::utils::Static;

#[derive(Args, Debug)]
pub struct ProtectArgs {
	pub repo: String,
	pub alias: String,
	/// A threshold on an attested metric: `recall>=0.97` or `false_positive_rate<=0.01`.
	/// Repeatable; every one must hold.
	#[arg(long = "require", required = true)]
	pub require: Vec<String>,
	/// Distinct attestors each threshold needs.
	#[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=MAX_VERSION_ATTESTORS as i64))]
	pub attestors: u8,
	/// Oldest an attestation may be, in blocks, to count (14400 is a day of 6 s blocks).
	#[arg(long, default_value_t = 14_400, value_parser = clap::value_parser!(u32).range(1..))]
	pub max_age: u32,
	/// Governance approval a move also needs.
	#[arg(long, value_enum, default_value_t = ApprovalArg::None)]
	pub approval: ApprovalArg,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ApprovalArg {
	/// The thresholds are enough.
	None,
	/// A council motion must also approve the version (`owh gov council propose
	/// approve-promotion`).
	Council,
	/// A referendum must also approve the version (`owh gov propose approve-promotion`).
	Referendum,
}

impl From<ApprovalArg> for Approval {
	fn from(arg: ApprovalArg) -> Self {
		match arg {
			ApprovalArg::None => Approval::None,
			ApprovalArg::Council => Approval::Council,
			ApprovalArg::Referendum => Approval::Referendum,
		}
	}
}

#[derive(Args, Debug)]
pub struct StatusArgs {
	pub repo: String,
	pub alias: String,
	/// Evaluate the gate for this version (a version id or `<repo>@<ref>`) instead of the one
	/// the alias points at.
	#[arg(long)]
	pub version: Option<VersionSpec>,
}

/// Parses `metric>=value` or `metric<=value`.
pub fn threshold(text: &str) -> Result<Threshold> {
	let (metric, comparison, value) =
		if let Some((m, v)) = text.split_once(">=") {
			(m, Comparison::AtLeast, v)
		} else if let Some((m, v)) = text.split_once("<=") {
			(m, Comparison::AtMost, v)
		} else {
			bail!("invalid threshold {text:?}: write metric>=value or metric<=value, e.g. 'recall>=0.97'");
		};
	Ok(Threshold {
		metric: metric_name(metric.trim()).map_err(|e| anyhow!("{e} (in threshold {text:?})"))?,
		comparison,
		value: metric_value(value.trim())?,
	})
}

/// `recall >= 0.97`.
pub fn threshold_text(t: &Threshold) -> String {
	let op = match t.comparison {
		Comparison::AtLeast => ">=",
		Comparison::AtMost => "<=",
	};
	format!("{} {op} {}", view::text(&t.metric), format_metric(t.value))
}

fn approval_text(approval: Approval) -> &'static str {
	match approval {
		Approval::None => "none",
		Approval::Council => "council",
		Approval::Referendum => "referendum",
	}
}

/// Why the client refuses a gate, in the words of the chain's error.
fn gate_error_text(error: GateError) -> &'static str {
	match error {
		GateError::NoThresholds => "a gate needs at least one --require (Promotion::NoThresholds)",
		GateError::BadAttestorCount => {
			"--attestors must be 1 to 16 (Promotion::BadAttestorCount)"
		}
		GateError::ZeroMaxAge => "--max-age must be at least 1 block (Promotion::ZeroMaxAge)",
		GateError::BadMetricName => "a threshold names an invalid metric (Promotion::BadMetricName)",
		GateError::ValueOutOfRange => {
			"a threshold's bound is beyond ±1e9 (Promotion::ThresholdOutOfRange)"
		}
		GateError::DuplicateThreshold => {
			"two thresholds bound the same metric the same way; keep the stricter one (Promotion::DuplicateThreshold)"
		}
		GateError::ContradictoryThresholds => {
			"a metric must be >= a bound above its <= bound: no version could pass (Promotion::ContradictoryThresholds)"
		}
	}
}

pub fn gate_json(gate: &GateRecord) -> Value {
	json!({
		"thresholds": gate.thresholds.iter().map(threshold_text).collect::<Vec<_>>(),
		"min_attestors": gate.min_attestors,
		"max_age": gate.max_age,
		"approval": approval_text(gate.approval),
	})
}

fn gate_human(gate: &GateRecord) -> String {
	format!(
		"requires {}; {} attestor(s) each, attested within {} blocks; approval: {}",
		gate.thresholds
			.iter()
			.map(threshold_text)
			.collect::<Vec<_>>()
			.join(", "),
		gate.min_attestors,
		gate.max_age,
		approval_text(gate.approval)
	)
}

fn outcome_text(outcome: ThresholdOutcome) -> &'static str {
	match outcome {
		ThresholdOutcome::Passes => "passes",
		ThresholdOutcome::TooFewAttestors => "too few attestors",
		ThresholdOutcome::NotMet => "not met",
	}
}

pub fn status_json(gate: &GateRecord, status: &GateStatus) -> Value {
	json!({
		"passes": status.passes(),
		"thresholds": gate.thresholds.iter().zip(&status.thresholds).map(|(t, s)| json!({
			"threshold": threshold_text(t),
			"counted": s.counted,
			"worst": s.worst.map(format_metric),
			"outcome": s.outcome,
		})).collect::<Vec<_>>(),
	})
}

/// One line per threshold: `recall >= 0.97  passes  (2 attestors, worst 0.98)`.
pub fn status_human(gate: &GateRecord, status: &GateStatus) -> String {
	let mut text = String::new();
	for (t, s) in gate.thresholds.iter().zip(&status.thresholds) {
		let worst = s
			.worst
			.map_or(String::new(), |w| format!(", worst {}", format_metric(w)));
		text.push_str(&format!(
			"  {:<36} {:<18} ({} of {} attestor(s){worst})\n",
			threshold_text(t),
			outcome_text(s.outcome),
			s.counted,
			gate.min_attestors
		));
	}
	text
}

/// The first failing threshold as an error that names the metric and the chain's error.
pub fn failure_text(gate: &GateRecord, status: &GateStatus) -> Option<String> {
	let (index, outcome) = status.first_failure()?;
	let threshold = gate.thresholds.get(index)?;
	let state = status.thresholds.get(index)?;
	let metric = view::text(&threshold.metric);
	Some(match outcome {
		ThresholdOutcome::TooFewAttestors => format!(
			"{metric}: {} fresh attestation(s) name it, the gate needs {} (Promotion::TooFewAttestations); ask a registered attestor to run `owh attest`",
			state.counted, gate.min_attestors
		),
		_ => format!(
			"{metric}: attested {}, the gate requires {} (Promotion::ThresholdNotMet)",
			state.worst.map_or("nothing".into(), format_metric),
			threshold_text(threshold)
		),
	})
}

fn names(repo: &str, alias: &str) -> Result<(RepoName, AliasName)> {
	Ok((
		bounded(repo, "repository", owh_primitives::MAX_REPO_NAME_LEN)?,
		bounded(alias, "alias", owh_primitives::MAX_ALIAS_LEN)?,
	))
}

pub async fn gate_of(chain: &Chain, repo: &str, alias: &str) -> Result<Option<GateRecord>> {
	let (r, a) = names(repo, alias)?;
	chain.promotion("gate", (Static(r), Static(a))).await
}

pub async fn promotion_of(
	chain: &Chain,
	repo: &str,
	alias: &str,
) -> Result<Option<PromotionRecord>> {
	let (r, a) = names(repo, alias)?;
	chain.promotion("promotion", (Static(r), Static(a))).await
}

async fn gate_status(
	chain: &Chain,
	repo: &str,
	alias: &str,
	version: VersionId,
) -> Result<Option<GateStatus>> {
	let (r, a) = names(repo, alias)?;
	chain
		.promotion("gate_status", (Static(r), Static(a), Static(version)))
		.await
}

async fn pending_approval(
	chain: &Chain,
	repo: &str,
	alias: &str,
) -> Result<Option<PromotionApproval<u32>>> {
	let (r, a) = names(repo, alias)?;
	chain.promotion("approval", (Static(r), Static(a))).await
}

/// Before `owh alias set` moves a protected alias: the gate's status for `version` (printed
/// unless `--json`), and an error naming the first failing threshold or the missing approval.
/// `None` for an unprotected alias.
pub async fn check_move(
	ctx: &Context,
	chain: &Chain,
	repo: &str,
	alias: &str,
	version: VersionId,
) -> Result<Option<Value>> {
	let Some(gate) = gate_of(chain, repo, alias).await? else {
		return Ok(None);
	};
	let status = gate_status(chain, repo, alias, version)
		.await?
		.ok_or_else(|| anyhow!("{repo}@{alias} lost its gate while it was read"))?;
	if !ctx.json && !ctx.quiet {
		eprintln!(
			"{repo}@{alias} is protected: {}\ngate status for {version}:\n{}",
			gate_human(&gate),
			status_human(&gate, &status).trim_end()
		);
	}
	if let Some(failure) = failure_text(&gate, &status) {
		bail!("{repo}@{alias} cannot move to {version}: {failure}");
	}
	if gate.approval != Approval::None {
		let approved = pending_approval(chain, repo, alias)
			.await?
			.filter(|a| a.version == version && gate.approval.satisfied_by(a.approval));
		if approved.is_none() {
			let how = match gate.approval {
				Approval::Council => "`owh gov council propose approve-promotion",
				_ => "`owh gov propose approve-promotion",
			};
			bail!(
				"{repo}@{alias} needs {} approval of {version} first (Promotion::ApprovalRequired): {how} {repo} {alias} {version}`",
				approval_text(gate.approval)
			);
		}
	}
	Ok(Some(status_json(&gate, &status)))
}

/// `owh install <repo>@<alias>` warns when the alias was promoted on an attestation since
/// ruled false.
pub async fn warn_if_flagged(ctx: &Context, chain: &Chain, spec: &VersionSpec) -> Result<()> {
	let VersionSpec::InRepo {
		repo,
		reference: RepoRef::Alias(alias),
	} = spec
	else {
		return Ok(());
	};
	if let Some(flagged) = promotion_of(chain, repo, alias)
		.await?
		.and_then(|p| p.flagged)
	{
		ctx.warn(&format!(
			"{repo}@{alias} was promoted on attestation #{flagged}, which governance has since ruled false; see `owh alias status {repo} {alias}`"
		));
	}
	Ok(())
}

pub async fn protect(ctx: &Context, args: &ProtectArgs, out: &mut dyn Write) -> Result<()> {
	let repo = repo_name(&args.repo)?;
	let alias = alias_name(&args.alias)?;
	if args.require.len() > MAX_GATE_THRESHOLDS as usize {
		bail!("a gate holds at most {MAX_GATE_THRESHOLDS} thresholds");
	}
	let thresholds = args
		.require
		.iter()
		.map(|t| threshold(t))
		.collect::<Result<Vec<_>>>()?;
	let gate = GateRecord {
		thresholds: thresholds
			.try_into()
			.map_err(|_| anyhow!("a gate holds at most {MAX_GATE_THRESHOLDS} thresholds"))?,
		min_attestors: args.attestors,
		max_age: args.max_age,
		approval: args.approval.into(),
	};
	gate.check()
		.map_err(|e| anyhow!("{}", gate_error_text(e)))?;
	let (signer, chain, _) =
		super::repo::signed_with_role(ctx, &repo, super::repo::Need::Owner).await?;
	if gate_of(&chain, &repo, &alias).await?.as_ref() == Some(&gate) {
		bail!("{repo}@{alias} already has this gate (Promotion::GateUnchanged)");
	}
	let (r, a) = names(&repo, &alias)?;
	let receipt = chain
		.submit_to(
			"Promotion",
			"set_gate",
			(Static(r), Static(a), Static(Some(gate.clone()))),
			&signer,
		)
		.await?;
	if ctx.json {
		return print_json(
			out,
			&json!({ "repository": repo, "alias": alias, "gate": gate_json(&gate), "receipt": receipt }),
		);
	}
	writeln!(
		out,
		"protected {repo}@{alias} (block #{}): {}",
		receipt.block_number,
		gate_human(&gate)
	)?;
	Ok(())
}

pub async fn unprotect(ctx: &Context, repo: &str, alias: &str, out: &mut dyn Write) -> Result<()> {
	let repo = repo_name(repo)?;
	let alias = alias_name(alias)?;
	let (signer, chain, _) =
		super::repo::signed_with_role(ctx, &repo, super::repo::Need::Owner).await?;
	if gate_of(&chain, &repo, &alias).await?.is_none() {
		bail!("{repo}@{alias} is not protected (Promotion::NoGate)");
	}
	let (r, a) = names(&repo, &alias)?;
	let receipt = chain
		.submit_to(
			"Promotion",
			"set_gate",
			(Static(r), Static(a), Static(None::<GateRecord>)),
			&signer,
		)
		.await?;
	if ctx.json {
		return print_json(
			out,
			&json!({ "repository": repo, "alias": alias, "gate": null, "receipt": receipt }),
		);
	}
	writeln!(
		out,
		"{repo}@{alias} is no longer protected (block #{})",
		receipt.block_number
	)?;
	Ok(())
}

/// `owh alias gate`: the gate and every change of it.
pub async fn show_gate(ctx: &Context, repo: &str, alias: &str, out: &mut dyn Write) -> Result<()> {
	let repo = repo_name(repo)?;
	let alias = alias_name(alias)?;
	let chain = ctx.chain().await?;
	if chain.repository(&repo).await?.is_none() {
		bail!("repository {repo} does not exist");
	}
	let gate = gate_of(&chain, &repo, &alias).await?;
	let (r, a) = names(&repo, &alias)?;
	let history: Vec<GateChangeRecord> = chain
		.promotion("gate_history", (Static(r), Static(a)))
		.await?;
	if ctx.json {
		return print_json(
			out,
			&json!({
				"repository": repo,
				"alias": alias,
				"gate": gate.as_ref().map(gate_json),
				"history": history.iter().map(|c| json!({
					"block": c.block,
					"by": c.by.as_ref().map_or("governance".to_string(), |a| a.to_string()),
					"deposit": c.deposit.to_string(),
					"gate": c.gate.as_ref().map(gate_json),
				})).collect::<Vec<_>>(),
			}),
		);
	}
	match &gate {
		Some(gate) => writeln!(out, "{repo}@{alias}: {}", gate_human(gate))?,
		None => writeln!(out, "{repo}@{alias} is not protected")?,
	}
	if !history.is_empty() {
		writeln!(out, "changes, oldest first:")?;
	}
	for change in &history {
		let by = change
			.by
			.as_ref()
			.map_or("governance".to_string(), |a| a.to_string());
		let what = change
			.gate
			.as_ref()
			.map_or("unprotected".to_string(), gate_human);
		writeln!(out, "  #{:<6} by {by}: {what}", change.block)?;
	}
	Ok(())
}

/// `owh alias status`: the gate evaluated for a version, the alias's promotion record and any
/// pending approval.
pub async fn status(ctx: &Context, args: &StatusArgs, out: &mut dyn Write) -> Result<()> {
	let repo = repo_name(&args.repo)?;
	let alias = alias_name(&args.alias)?;
	let chain = ctx.chain().await?;
	let Some(gate) = gate_of(&chain, &repo, &alias).await? else {
		bail!("{repo}@{alias} is not protected; protect it with `owh alias protect {repo} {alias} --require 'metric>=value'`");
	};
	let spec = match &args.version {
		Some(spec) => spec.clone(),
		None => VersionSpec::InRepo {
			repo: repo.clone(),
			reference: RepoRef::Alias(alias.clone()),
		},
	};
	let (version, info) = resolve(&chain, &spec)
		.await
		.map_err(|e| anyhow!("{e}; name the version to evaluate with --version"))?;
	if view::text(&info.record.manifest.repository) != repo {
		bail!(
			"version {version} belongs to {}, not {repo}",
			view::text(&info.record.manifest.repository)
		);
	}
	let status = gate_status(&chain, &repo, &alias, version)
		.await?
		.ok_or_else(|| anyhow!("{repo}@{alias} lost its gate while it was read"))?;
	let promotion = promotion_of(&chain, &repo, &alias).await?;
	let approval = pending_approval(&chain, &repo, &alias).await?;
	if ctx.json {
		let mut value = status_json(&gate, &status);
		value["repository"] = json!(repo);
		value["alias"] = json!(alias);
		value["version"] = json!(version.to_string());
		value["gate"] = gate_json(&gate);
		value["promotion"] = promotion.as_ref().map_or(Value::Null, |p| {
			json!({
				"version": p.version.to_string(),
				"attestations": p.attestations.to_vec(),
				"approval": approval_text(p.approval),
				"block": p.block,
				"flagged": p.flagged,
			})
		});
		value["approval"] = approval.as_ref().map_or(Value::Null, |a| {
			json!({ "version": a.version.to_string(), "approval": approval_text(a.approval), "block": a.block })
		});
		return print_json(out, &value);
	}
	writeln!(out, "{repo}@{alias}: {}", gate_human(&gate))?;
	let verdict = if status.passes() { "passes" } else { "fails" };
	writeln!(out, "gate for {version}: {verdict}")?;
	write!(out, "{}", status_human(&gate, &status))?;
	if let Some(p) = &promotion {
		let on = if p.attestations.is_empty() {
			"protected in place".to_string()
		} else {
			format!(
				"on attestation(s) {}",
				p.attestations
					.iter()
					.map(|id| format!("#{id}"))
					.collect::<Vec<_>>()
					.join(", ")
			)
		};
		writeln!(
			out,
			"promoted to {} at block #{} {on}; approval: {}",
			p.version,
			p.block,
			approval_text(p.approval)
		)?;
		if let Some(flagged) = p.flagged {
			writeln!(
				out,
				"FLAGGED: attestation #{flagged} was ruled false after the promotion"
			)?;
		}
	}
	if let Some(a) = &approval {
		writeln!(
			out,
			"pending {} approval of {} (block #{})",
			approval_text(a.approval),
			a.version,
			a.block
		)?;
	}
	Ok(())
}

/// The call and summary of a proposal to approve `version` for a protected alias.
pub async fn approve_promotion(
	chain: &Chain,
	repo: &str,
	alias: &str,
	version: &VersionSpec,
) -> Result<(Vec<u8>, String)> {
	let repo = repo_name(repo)?;
	let alias = alias_name(alias)?;
	let Some(gate) = gate_of(chain, &repo, &alias).await? else {
		bail!("{repo}@{alias} is not protected, so it needs no approval (Promotion::ApprovalNotRequired)");
	};
	if gate.approval == Approval::None {
		bail!("the gate of {repo}@{alias} asks for no governance approval (Promotion::ApprovalNotRequired)");
	}
	let (id, info) = resolve(chain, version).await?;
	if view::text(&info.record.manifest.repository) != repo {
		bail!(
			"version {id} belongs to {}, not {repo} (Promotion::VersionNotInRepository)",
			view::text(&info.record.manifest.repository)
		);
	}
	if info.yanked.is_some() {
		bail!("version {id} is yanked; it cannot be approved (Promotion::VersionYanked)");
	}
	let (r, a) = names(&repo, &alias)?;
	let call = chain
		.call_data(&subxt::dynamic::tx(
			"Promotion",
			"approve_promotion",
			(Static(r), Static(a), Static(id)),
		))
		.await?;
	Ok((
		call,
		format!(
			"approve {id} for {repo}@{alias} (the gate asks for {} approval)",
			approval_text(gate.approval)
		),
	))
}

#[cfg(test)]
mod tests {
	use super::*;
	use owh_primitives::promotion::ThresholdStatus;

	fn gate(thresholds: &[&str], min_attestors: u8) -> GateRecord {
		GateRecord {
			thresholds: thresholds
				.iter()
				.map(|t| threshold(t).unwrap())
				.collect::<Vec<_>>()
				.try_into()
				.unwrap(),
			min_attestors,
			max_age: 100,
			approval: Approval::None,
		}
	}

	#[test]
	fn thresholds_parse_exactly() {
		let t = threshold("recall>=0.97").unwrap();
		assert_eq!(
			(t.metric.as_slice(), t.comparison, t.value),
			(&b"recall"[..], Comparison::AtLeast, 970_000)
		);
		let t = threshold(" false_positive_rate <= 0.01 ").unwrap();
		assert_eq!(
			(t.metric.as_slice(), t.comparison, t.value),
			(&b"false_positive_rate"[..], Comparison::AtMost, 10_000)
		);
		assert_eq!(threshold_text(&t), "false_positive_rate <= 0.01");
	}

	#[test]
	fn bad_thresholds_are_named() {
		for (text, says) in [
			("recall=0.97", "write metric>=value"),
			("recall>0.97", "write metric>=value"),
			("re call>=0.97", "invalid metric name"),
			("recall>=high", "invalid metric value"),
			("recall>=0.1234567", "invalid metric value"),
		] {
			let error = threshold(text).unwrap_err().to_string();
			assert!(error.contains(says), "{text}: {error}");
		}
	}

	#[test]
	fn gate_errors_name_the_chain_error() {
		let contradictory = gate(&["recall>=0.9", "recall<=0.8"], 1)
			.check()
			.unwrap_err();
		assert!(gate_error_text(contradictory).contains("Promotion::ContradictoryThresholds"));
		let duplicate = gate(&["recall>=0.9", "recall>=0.8"], 1)
			.check()
			.unwrap_err();
		assert!(gate_error_text(duplicate).contains("Promotion::DuplicateThreshold"));
	}

	#[test]
	fn failure_names_the_first_failing_metric() {
		let gate = gate(&["recall>=0.97", "false_positive_rate<=0.01"], 2);
		let status = |recall: ThresholdOutcome, worst: Option<i64>, counted: u8| GateStatus {
			thresholds: vec![
				ThresholdStatus {
					counted,
					worst,
					outcome: recall,
				},
				ThresholdStatus {
					counted: 2,
					worst: Some(10_000),
					outcome: ThresholdOutcome::Passes,
				},
			],
		};
		let passing = status(ThresholdOutcome::Passes, Some(980_000), 2);
		assert_eq!(failure_text(&gate, &passing), None);
		assert_eq!(
			failure_text(&gate, &status(ThresholdOutcome::NotMet, Some(950_000), 2)).unwrap(),
			"recall: attested 0.95, the gate requires recall >= 0.97 (Promotion::ThresholdNotMet)"
		);
		let too_few = failure_text(
			&gate,
			&status(ThresholdOutcome::TooFewAttestors, Some(980_000), 1),
		)
		.unwrap();
		assert!(
			too_few.starts_with(
				"recall: 1 fresh attestation(s) name it, the gate needs 2 (Promotion::TooFewAttestations)"
			),
			"{too_few}"
		);
	}
}
