//! `owh verify <dir> --version <repo>@<ref>`, or offline `owh verify <dir> --receipt <file>`.

use crate::model::resolve::resolve;
use super::print_json;
use crate::{
	context::Context,
	transfer::{expected_leaves, locations},
	model::refs::VersionSpec,
	integrity::verify::{describe, verify_dir},
	view,
};
use anyhow::{bail, Result};
use clap::Args;
use serde_json::json;
use std::{io::Write, path::PathBuf, time::Instant};

#[derive(Args, Debug)]
pub struct VerifyArgs {
	/// The directory to check.
	pub dir: PathBuf,
	/// The version it should hold: `<repo>@<alias|version>`, `<repo>` or a version id.
	#[arg(long, required_unless_present = "receipt", conflicts_with = "receipt")]
	pub version: Option<VersionSpec>,
	/// Check against an audit receipt (`owh receipt`) instead of the chain: offline, with no
	/// node, from the trust anchor of the receipt's chain (`--anchors`).
	#[arg(long)]
	pub receipt: Option<PathBuf>,
	/// Read the files symbolic links point to (by default a link is refused).
	#[arg(long)]
	pub follow_symlinks: bool,
}

pub async fn run(ctx: &Context, args: &VerifyArgs, out: &mut dyn Write) -> Result<()> {
	if !args.dir.is_dir() {
		bail!("{} is not a directory", args.dir.display());
	}
	let (id, info, receipt) = match (&args.receipt, &args.version) {
		(Some(path), _) => {
			let proven = crate::chain::audit::load(path, &ctx.anchors)?;
			(proven.id, proven.info.clone(), Some(proven))
		}
		(None, Some(spec)) => {
			let chain = ctx.chain().await?;
			let (id, info) = resolve(&chain, spec).await?;
			(id, info, None)
		}
		(None, None) => bail!("pass --version <repo>@<ref> or --receipt <file>"),
	};
	let manifest = info.record.manifest;
	let store = ctx.existing_store();
	// Offline with a receipt: chunk lists come from the local store only.
	let mirrors: Vec<String> = match receipt {
		Some(_) => Vec::new(),
		None => info.mirrors.iter().map(|m| view::text(&m.uri)).collect(),
	};
	let bar = ctx.progress(manifest.total_size(), "verifying");
	let started = Instant::now();
	// Chunk lists are fetched only for files that differ, to name the bad chunks.
	let report = tokio::task::block_in_place(|| -> Result<_> {
		let backends = ctx.backends()?;
		let leaves_for = |a: &owh_primitives::Artifact| {
			let offline;
			let a = if receipt.is_some() {
				offline = owh_primitives::Artifact {
					uris: Default::default(),
					..a.clone()
				};
				&offline
			} else {
				a
			};
			let located = locations(a, store.as_ref(), &backends, &mirrors, &[], &[]);
			expected_leaves(a, &located.locations)
		};
		verify_dir(
			&args.dir,
			&manifest,
			args.follow_symlinks,
			&leaves_for,
			&|n| bar.inc(n),
		)
	})?;
	bar.finish_and_clear();
	let seconds = started.elapsed().as_secs_f64();
	let bad = report
		.files
		.iter()
		.filter(|f| f.status != crate::integrity::verify::FileStatus::Ok)
		.count();
	if ctx.json {
		let mut value = json!({ "version": id.to_string(), "dir": args.dir, "seconds": seconds, "report": report });
		if let Some(proven) = &receipt {
			value["receipt"] = super::receipt::summary_json(proven);
		}
		print_json(out, &value)?;
	} else {
		if let Some(proven) = &receipt {
			writeln!(
				out,
				"receipt checked offline: {}",
				super::receipt::summary_line(proven)
			)?;
		}
		for line in describe(&report) {
			writeln!(out, "{line}")?;
		}
		if report.ok {
			writeln!(
				out,
				"verified {} files ({}) against {} version {id} in {seconds:.2} s: all match",
				report.files.len(),
				view::size(manifest.total_size()),
				view::text(&manifest.repository)
			)?;
		}
	}
	if !report.ok {
		return Err(crate::exit::failed(
			crate::exit::Kind::Differ,
			format!(
				"verification failed: {bad} of {} files differ, {} extra file(s) in {}",
				report.files.len(),
				report.extra.len(),
				args.dir.display()
			),
		));
	}
	Ok(())
}
