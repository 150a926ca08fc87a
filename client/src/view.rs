//! Human and JSON renderings of chain data.

use crate::{
	amount::{format_amount, format_percent},
	chain::{AliasEvent, Info, Repository, Split},
	model::refs::{format_metric, relation_name},
};
use anyhow::Result;
use owh_primitives::{
	licensing::{LicenseText, OfferTerms, PayeeKind},
	registry::LineageEdge,
	Manifest,
};
use serde_json::{json, Value};
use std::io::Write;

pub fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

/// `1.5 GiB`-style sizes.
pub fn size(bytes: u64) -> String {
	const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
	let mut value = bytes as f64;
	let mut unit = 0;
	while value >= 1024.0 && unit + 1 < UNITS.len() {
		value /= 1024.0;
		unit += 1;
	}
	if unit == 0 {
		format!("{bytes} B")
	} else {
		format!("{value:.1} {}", UNITS[unit])
	}
}

pub fn manifest_json(m: &Manifest) -> Value {
	json!({
		"format_version": m.format_version,
		"repository": text(&m.repository),
		"parents": m.parents.iter().map(|p| json!({
			"version": p.version.to_string(),
			"relation": relation_name(p.relation),
		})).collect::<Vec<_>>(),
		"artifacts": m.artifacts.iter().map(|a| json!({
			"path": text(&a.path),
			"size": a.size,
			"sha256": hex::encode(a.sha256),
			"chunk_size": a.chunk_size,
			"merkle_root": hex::encode(a.merkle_root),
			"media_type": text(&a.media_type),
			"uris": a.uris.iter().map(|u| text(u)).collect::<Vec<_>>(),
		})).collect::<Vec<_>>(),
		"message": text(&m.message),
		"metrics": m.metrics.iter().map(|x| (text(&x.name), Value::String(format_metric(x.value)))).collect::<serde_json::Map<_, _>>(),
		"license": text(&m.license),
		"tags": m.tags.iter().map(|t| (text(&t.key), Value::String(text(&t.value)))).collect::<serde_json::Map<_, _>>(),
		"tool_version": text(&m.tool_version),
	})
}

pub fn manifest_human(m: &Manifest) -> String {
	let mut s = String::new();
	s += &format!("repository  {}\n", text(&m.repository));
	if !m.message.is_empty() {
		s += &format!("message     {}\n", text(&m.message));
	}
	s += &format!("license     {}\n", text(&m.license));
	for p in m.parents.iter() {
		s += &format!(
			"parent      {} ({})\n",
			p.version,
			relation_name(p.relation)
		);
	}
	for x in m.metrics.iter() {
		s += &format!(
			"metric      {} = {}\n",
			text(&x.name),
			format_metric(x.value)
		);
	}
	for t in m.tags.iter() {
		s += &format!("tag         {} = {}\n", text(&t.key), text(&t.value));
	}
	s += &format!(
		"files       {} ({})\n",
		m.artifacts.len(),
		size(m.total_size())
	);
	for a in m.artifacts.iter() {
		s += &format!(
			"  {:>10}  sha256:{}  {}\n",
			size(a.size),
			hex::encode(a.sha256),
			text(&a.path)
		);
	}
	s
}

pub fn info_json(info: &Info) -> Value {
	let r = &info.record;
	json!({
		"version": info.id.to_string(),
		"repository": text(&r.manifest.repository),
		"index": r.index,
		"committer": r.committer.to_string(),
		"author": r.author.to_string(),
		"author_signed": r.author_signed,
		"block": r.block,
		"timestamp_ms": r.timestamp,
		"deposit": r.deposit.to_string(),
		"yanked": info.yanked.as_ref().map(|y| json!({
			"by": y.by.to_string(), "block": y.block, "reason": text(&y.reason),
		})),
		"mirrors": info.mirrors.iter().map(|m| json!({
			"uri": text(&m.uri), "added_by": m.added_by.to_string(), "block": m.block,
		})).collect::<Vec<_>>(),
		"manifest": manifest_json(&r.manifest),
	})
}

pub fn info_human(info: &Info) -> String {
	let r = &info.record;
	let mut s = format!("version     {}\n", info.id);
	s += &format!("index       {}\n", r.index);
	s += &format!("committer   {}\n", r.committer);
	s += &format!(
		"author      {}{}\n",
		r.author,
		if r.author_signed { " (signed)" } else { "" }
	);
	s += &format!("block       #{} (timestamp {} ms)\n", r.block, r.timestamp);
	match &info.yanked {
		Some(y) => {
			s += &format!(
				"status      YANKED at #{} by {}: {}\n",
				y.block,
				y.by,
				text(&y.reason)
			)
		}
		None => s += "status      active\n",
	}
	for m in &info.mirrors {
		s += &format!(
			"mirror      {} (added at #{} by {})\n",
			text(&m.uri),
			m.block,
			m.added_by
		);
	}
	s + &manifest_human(&r.manifest)
}

pub fn repository_json(repo: &Repository) -> Value {
	json!({
		"name": text(&repo.name),
		"owner": repo.owner.to_string(),
		"maintainers": repo.maintainers.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
		"committers": repo.committers.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
		"created": repo.created,
		"version_count": repo.version_count,
		"deposit": repo.deposit.to_string(),
		"pending_owner": repo.pending_owner.as_ref().map(|a| a.to_string()),
		"aliases": repo.aliases.iter().map(|(a, v)| (text(a), Value::String(v.to_string()))).collect::<serde_json::Map<_, _>>(),
	})
}

pub fn edge_json(e: &LineageEdge) -> Value {
	json!({
		"parent": e.parent.to_string(),
		"child": e.child.to_string(),
		"relation": relation_name(e.relation),
		"depth": e.depth,
	})
}

pub fn alias_move_json(m: &AliasEvent) -> Value {
	json!({
		"who": m.who.to_string(),
		"block": m.block,
		"timestamp_ms": m.timestamp,
		"from": m.from.map(|v| v.to_string()),
		"to": m.to.map(|v| v.to_string()),
	})
}

pub fn pledge_json(id: u32, p: &crate::chain::PledgeRecord) -> Value {
	json!({
		"pledge": id,
		"provider": p.provider.to_string(),
		"start": p.start,
		"end": p.end,
		"answered": p.answered,
		"missed": p.missed,
		"misses_in_a_row": p.misses_in_a_row,
		"auto_renewals": p.auto_renewals,
	})
}

pub fn availability_json(a: &crate::chain::UriAvailability) -> Value {
	json!({
		"uri": text(&a.uri),
		"serving": a.serving(),
		"last_outcome": a.last_outcome,
		"last_probe": a.last_probe,
		"last_success": a.last_success,
		"consecutive_failures": a.consecutive_failures,
		"witnesses": a.witnesses.iter().map(|w| format!("0x{}", hex::encode(w))).collect::<Vec<_>>(),
	})
}

/// Why a probe failed, in words.
pub fn outcome_text(outcome: &owh_primitives::availability::ProbeOutcome) -> String {
	use owh_primitives::availability::ProbeOutcome::*;
	match outcome {
		Served => "served the right bytes".into(),
		WrongBytes => "served WRONG BYTES".into(),
		HttpStatus(code) => format!("answered HTTP {code}"),
		RangeIgnored => "ignored the range request".into(),
		TimedOut => "timed out".into(),
		Unreachable => "unreachable".into(),
		NoChunkList => "no chunk list to check against".into(),
	}
}

/// The storage part of `owh show`: pledges, then what the validators found at each URI.
pub fn storage_human(
	pledges: &[(u32, crate::chain::PledgeRecord)],
	availability: &[crate::chain::UriAvailability],
) -> String {
	let mut s = String::new();
	for (id, p) in pledges {
		s += &format!(
			"pledge      #{id} by {} until #{}: {} answered, {} missed ({} in a row)\n",
			p.provider, p.end, p.answered, p.missed, p.misses_in_a_row
		);
	}
	for a in availability {
		let last_success = a
			.last_success
			.map_or("never".to_string(), |b| format!("#{b}"));
		s += &format!(
			"probed      {} {} at #{} (last success {last_success}, {} failure(s) in a row, {} validator(s) saw it serve)\n",
			text(&a.uri),
			outcome_text(&a.last_outcome),
			a.last_probe,
			a.consecutive_failures,
			a.witnesses.len()
		);
	}
	s
}

/// How a royalty payee was chosen.
pub fn kind_name(kind: PayeeKind) -> &'static str {
	match kind {
		PayeeKind::Contributor => "contributor",
		PayeeKind::Dust => "dust",
		PayeeKind::Owner => "owner",
		PayeeKind::Fallback => "fallback",
	}
}

/// A license text: its SPDX id, or its URI and digest.
pub fn text_human(license: &LicenseText) -> String {
	match license {
		LicenseText::Spdx(id) => text(id),
		LicenseText::Custom { sha256, uri } => {
			format!(
				"custom terms {} (sha256 {})",
				text(uri),
				hex::encode(sha256)
			)
		}
	}
}

/// An offer's terms on one line.
pub fn terms_human(t: &OfferTerms<u128, u32>) -> String {
	let mut parts = vec![text_human(&t.text)];
	parts.push(if t.price == 0 {
		"free".into()
	} else {
		match t.period {
			Some(p) => format!("{} per {p} blocks", format_amount(t.price)),
			None => format!("{} once", format_amount(t.price)),
		}
	});
	parts.push(
		if t.commercial {
			"commercial use"
		} else {
			"non-commercial"
		}
		.into(),
	);
	if t.derivatives {
		parts.push(format!(
			"derivatives allowed, royalty {}",
			format_percent(t.royalty_rate.deconstruct())
		));
	} else {
		parts.push("no derivatives".into());
	}
	if let Some(cap) = t.usage_cap {
		parts.push(format!("up to {cap} uses"));
	}
	if t.revocable {
		parts.push("revocable".into());
	}
	parts.join(", ")
}

/// A royalty split, one payee per line.
pub fn split_human(split: &Split, out: &mut dyn Write) -> Result<()> {
	for leg in &split.legs {
		writeln!(
			out,
			"    {:>24}  {}  {} (version {}, depth {})",
			format_amount(leg.amount),
			leg.payee,
			kind_name(leg.kind),
			leg.version,
			leg.depth
		)?;
	}
	if split.truncated {
		writeln!(
			out,
			"    (the lineage walk stopped at the runtime's depth or version limit)"
		)?;
	}
	Ok(())
}
