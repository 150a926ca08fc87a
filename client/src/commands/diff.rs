//! `owh diff <v1> <v2>`: files added, removed and changed, and the metrics delta.

use super::print_json;
use crate::model::resolve::resolve;
use crate::{
	context::Context,
	model::refs::{format_metric, VersionSpec},
	view,
};
use anyhow::Result;
use clap::Args;
use serde_json::json;
use std::{collections::BTreeMap, io::Write};

#[derive(Args, Debug)]
pub struct DiffArgs {
	/// The old version.
	pub from: VersionSpec,
	/// The new version.
	pub to: VersionSpec,
}

pub async fn run(ctx: &Context, args: &DiffArgs, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	let (from_id, from) = resolve(&chain, &args.from).await?;
	let (to_id, to) = resolve(&chain, &args.to).await?;
	let files = |m: &owh_primitives::Manifest| -> BTreeMap<String, (u64, [u8; 32])> {
		m.artifacts
			.iter()
			.map(|a| (view::text(&a.path), (a.size, a.sha256)))
			.collect()
	};
	let (old, new) = (files(&from.record.manifest), files(&to.record.manifest));
	let added: Vec<&String> = new.keys().filter(|p| !old.contains_key(*p)).collect();
	let removed: Vec<&String> = old.keys().filter(|p| !new.contains_key(*p)).collect();
	let changed: Vec<&String> = new
		.iter()
		.filter(|(p, v)| old.get(*p).is_some_and(|o| o != *v))
		.map(|(p, _)| p)
		.collect();
	let metrics = |m: &owh_primitives::Manifest| -> BTreeMap<String, i64> {
		m.metrics
			.iter()
			.map(|x| (view::text(&x.name), x.value))
			.collect()
	};
	let (old_m, new_m) = (metrics(&from.record.manifest), metrics(&to.record.manifest));
	let names: std::collections::BTreeSet<&String> = old_m.keys().chain(new_m.keys()).collect();
	let deltas: Vec<(String, Option<i64>, Option<i64>)> = names
		.into_iter()
		.map(|n| (n.clone(), old_m.get(n).copied(), new_m.get(n).copied()))
		.collect();
	if ctx.json {
		let metric_json: Vec<_> = deltas
			.iter()
			.map(|(n, a, b)| {
				json!({
					"name": n,
					"from": a.map(format_metric),
					"to": b.map(format_metric),
					"delta": a.zip(*b).map(|(a, b)| format_metric(b - a)),
				})
			})
			.collect();
		return print_json(
			out,
			&json!({ "from": from_id.to_string(), "to": to_id.to_string(), "added": added, "removed": removed, "changed": changed, "metrics": metric_json }),
		);
	}
	writeln!(out, "from {from_id}\nto   {to_id}")?;
	for p in &added {
		writeln!(out, "+ {p} ({})", view::size(new[*p].0))?;
	}
	for p in &removed {
		writeln!(out, "- {p} ({})", view::size(old[*p].0))?;
	}
	for p in &changed {
		writeln!(
			out,
			"~ {p} ({} -> {})",
			view::size(old[*p].0),
			view::size(new[*p].0)
		)?;
	}
	if added.is_empty() && removed.is_empty() && changed.is_empty() {
		writeln!(out, "no file changes")?;
	}
	for (name, a, b) in &deltas {
		let show = |v: &Option<i64>| v.map_or("-".to_string(), format_metric);
		let delta = a
			.zip(*b)
			.map(|(a, b)| {
				format!(
					" ({}{})",
					if b >= a { "+" } else { "" },
					format_metric(b - a)
				)
			})
			.unwrap_or_default();
		writeln!(out, "metric {name}: {} -> {}{delta}", show(a), show(b))?;
	}
	Ok(())
}
