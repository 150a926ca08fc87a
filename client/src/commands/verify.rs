//! `owh verify <dir> --version <repo>@<ref>`.

use super::{print_json, resolve};
use crate::{
	context::Context,
	install::{expected_leaves, locations},
	refs::VersionSpec,
	verify::{describe, verify_dir},
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
	#[arg(long)]
	pub version: VersionSpec,
	/// Read the files symbolic links point to (by default a link is refused).
	#[arg(long)]
	pub follow_symlinks: bool,
}

pub async fn run(ctx: &Context, args: &VerifyArgs, out: &mut dyn Write) -> Result<()> {
	if !args.dir.is_dir() {
		bail!("{} is not a directory", args.dir.display());
	}
	let chain = ctx.chain().await?;
	let (id, info) = resolve(&chain, &args.version).await?;
	let manifest = info.record.manifest;
	let store = ctx.existing_store();
	let mirrors: Vec<String> = info.mirrors.iter().map(|m| view::text(&m.uri)).collect();
	let bar = ctx.progress(manifest.total_size(), "verifying");
	let started = Instant::now();
	// Chunk lists are fetched only for files that differ, to name the bad chunks.
	let report = tokio::task::block_in_place(|| -> Result<_> {
		let backends = ctx.backends()?;
		let leaves_for = |a: &owh_primitives::Artifact| {
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
		.filter(|f| f.status != crate::verify::FileStatus::Ok)
		.count();
	if ctx.json {
		print_json(
			out,
			&json!({ "version": id.to_string(), "dir": args.dir, "seconds": seconds, "report": report }),
		)?;
	} else {
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
