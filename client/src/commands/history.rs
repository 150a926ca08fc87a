//! `owh log`, `owh show` and `owh lineage`: reading history.

use super::print_json;
use crate::model::resolve::resolve;
use crate::{
	context::Context,
	model::refs::{relation_name, repo_name, VersionSpec},
	view,
};
use anyhow::{anyhow, bail, Result};
use clap::Args;
use owh_primitives::{registry::LineageEdge, VersionId};
use serde_json::json;
use std::{collections::BTreeMap, io::Write};

#[derive(Args, Debug)]
pub struct LogArgs {
	pub repo: String,
	/// Show at most this many versions.
	#[arg(long, short = 'n', default_value_t = 50)]
	pub limit: u32,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
	/// `<repo>@<alias|version>`, `<repo>` (newest version) or a version id.
	pub version: VersionSpec,
}

#[derive(Args, Debug)]
pub struct LineageArgs {
	/// A version id, `<repo>@<alias|version>` or `<repo>`.
	pub version: VersionSpec,
	/// How many generations to walk.
	#[arg(long, default_value_t = 8)]
	pub depth: u32,
	/// Walk to the versions derived from this one instead of its ancestors.
	#[arg(long)]
	pub descendants: bool,
	/// With --descendants: list at most this many edges (the chain pages through any
	/// number of children).
	#[arg(long, default_value_t = 1000)]
	pub limit: usize,
}

pub async fn log(ctx: &Context, args: &LogArgs, out: &mut dyn Write) -> Result<()> {
	let repo = repo_name(&args.repo)?;
	if args.limit == 0 {
		bail!("--limit must be at least 1");
	}
	let chain = ctx.chain().await?;
	let view = chain
		.repository(&repo)
		.await?
		.ok_or_else(|| anyhow!("repository {repo} does not exist"))?;
	let mut aliases: BTreeMap<VersionId, Vec<String>> = BTreeMap::new();
	for (alias, id) in &view.aliases {
		aliases.entry(*id).or_default().push(view::text(alias));
	}
	let mut items = Vec::new();
	let mut cursor = None;
	while (items.len() as u32) < args.limit {
		let page = chain
			.versions(&repo, cursor, args.limit - items.len() as u32)
			.await?;
		items.extend(page.items);
		match page.next_cursor {
			Some(c) => cursor = Some(c),
			None => break,
		}
	}
	let mut rows = Vec::new();
	for (index, id) in items {
		let info = chain
			.version(&id)
			.await?
			.ok_or_else(|| anyhow!("version {id} vanished"))?;
		rows.push((index, id, info));
	}
	if ctx.json {
		let list: Vec<_> = rows
			.iter()
			.map(|(index, id, info)| {
				json!({
					"index": index,
					"version": id.to_string(),
					"block": info.record.block,
					"timestamp_ms": info.record.timestamp,
					"author": info.record.author.to_string(),
					"message": view::text(&info.record.manifest.message),
					"aliases": aliases.get(id).cloned().unwrap_or_default(),
					"yanked": info.yanked.is_some(),
				})
			})
			.collect();
		return print_json(out, &json!(list));
	}
	if rows.is_empty() {
		writeln!(
			out,
			"{repo} has no versions yet; publish one with `owh publish <dir> --repo {repo}`"
		)?;
	}
	for (index, id, info) in rows {
		let mut labels = aliases.get(&id).cloned().unwrap_or_default();
		if info.yanked.is_some() {
			labels.push("YANKED".into());
		}
		let labels = if labels.is_empty() {
			String::new()
		} else {
			format!(" ({})", labels.join(", "))
		};
		writeln!(out, "#{index:<4} {id}{labels}")?;
		writeln!(
			out,
			"      block #{}  author {}",
			info.record.block, info.record.author
		)?;
		let message = view::text(&info.record.manifest.message);
		if !message.is_empty() {
			writeln!(out, "      {message}")?;
		}
	}
	Ok(())
}

pub async fn show(ctx: &Context, args: &ShowArgs, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	let (id, info) = resolve(&chain, &args.version).await?;
	let (pledges, availability) = chain.storage_of(&id).await?;
	let attestations = super::attest::of_version(&chain, id).await?;
	if ctx.json {
		let mut value = view::info_json(&info);
		value["attestations"] = super::attest::attestations_json(&attestations);
		value["pledges"] = pledges
			.iter()
			.map(|(n, p)| view::pledge_json(*n, p))
			.collect();
		value["availability"] = availability.iter().map(view::availability_json).collect();
		print_json(out, &value)
	} else {
		write!(out, "{}", view::info_human(&info))?;
		write!(out, "{}", view::storage_human(&pledges, &availability))?;
		if !attestations.is_empty() {
			let attestors = super::attest::attestors(&chain).await?;
			write!(
				out,
				"{}",
				super::attest::attestations_human(&attestations, &attestors)
			)?;
		}
		Ok(())
	}
}

pub async fn lineage(ctx: &Context, args: &LineageArgs, out: &mut dyn Write) -> Result<()> {
	if args.depth == 0 {
		bail!("--depth must be at least 1");
	}
	if args.limit == 0 {
		bail!("--limit must be at least 1");
	}
	let chain = ctx.chain().await?;
	let (root, _) = resolve(&chain, &args.version).await?;
	let (edges, truncated) = if args.descendants {
		chain.descendants(&root, args.depth, args.limit).await?
	} else {
		(chain.ancestors(&root, args.depth).await?, false)
	};
	if ctx.json {
		return print_json(
			out,
			&json!({
				"version": root.to_string(),
				"direction": if args.descendants { "descendants" } else { "ancestors" },
				"edges": edges.iter().map(view::edge_json).collect::<Vec<_>>(),
				"truncated": truncated,
			}),
		);
	}
	let mut names = BTreeMap::new();
	for id in edges.iter().flat_map(|e| [e.parent, e.child]).chain([root]) {
		if let std::collections::btree_map::Entry::Vacant(slot) = names.entry(id) {
			let label = match chain.version(&id).await? {
				Some(info) => {
					let repo = view::text(&info.record.manifest.repository);
					let yanked = if info.yanked.is_some() { " YANKED" } else { "" };
					format!("{repo}#{}{yanked}", info.record.index)
				}
				None => "unknown".into(),
			};
			slot.insert(label);
		}
	}
	writeln!(out, "{root} {}", names[&root])?;
	let mut seen = std::collections::BTreeSet::new();
	print_tree(out, &edges, root, args.descendants, "", &names, &mut seen)?;
	if truncated {
		writeln!(
			out,
			"(more descendants not shown: raise --limit above {})",
			args.limit
		)?;
	}
	Ok(())
}

fn print_tree(
	out: &mut dyn Write,
	edges: &[LineageEdge],
	node: VersionId,
	down: bool,
	prefix: &str,
	names: &BTreeMap<VersionId, String>,
	seen: &mut std::collections::BTreeSet<VersionId>,
) -> Result<()> {
	if !seen.insert(node) {
		return Ok(());
	}
	let next: Vec<&LineageEdge> = edges
		.iter()
		.filter(|e| {
			if down {
				e.parent == node
			} else {
				e.child == node
			}
		})
		.collect();
	for (i, edge) in next.iter().enumerate() {
		let last = i + 1 == next.len();
		let other = if down { edge.child } else { edge.parent };
		let arrow = if down {
			"derived by"
		} else {
			"derived from, by"
		};
		writeln!(
			out,
			"{prefix}{} {other} {} [{arrow} {}]",
			if last { "└──" } else { "├──" },
			names.get(&other).map(String::as_str).unwrap_or(""),
			relation_name(edge.relation)
		)?;
		let child_prefix = format!("{prefix}{}", if last { "    " } else { "│   " });
		print_tree(out, edges, other, down, &child_prefix, names, seen)?;
	}
	Ok(())
}
