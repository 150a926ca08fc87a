//! `owh install <repo>@<ref> --to <dir>`.

use super::{print_json, resolve};
use crate::{context::Context, install::install_artifact, refs::VersionSpec, view};
use anyhow::{bail, Context as _, Result};
use clap::Args;
use serde_json::json;
use std::{io::Write, path::PathBuf, time::Instant};

#[derive(Args, Debug)]
pub struct InstallArgs {
	/// `<repo>@<alias|version>`, `<repo>` (newest version) or a version id.
	pub version: VersionSpec,
	/// The directory to install into (created if missing).
	#[arg(long)]
	pub to: PathBuf,
	/// Install even if the version is yanked.
	#[arg(long)]
	pub allow_yanked: bool,
}

pub async fn run(ctx: &Context, args: &InstallArgs, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	let (id, info) = resolve(&chain, &args.version).await?;
	if let Some(yank) = &info.yanked {
		if !args.allow_yanked {
			bail!(
				"version {id} was yanked at block #{} by {}: {:?}; pass --allow-yanked to install it anyway",
				yank.block,
				yank.by,
				view::text(&yank.reason)
			);
		}
		eprintln!(
			"warning: installing yanked version {id}: {}",
			view::text(&yank.reason)
		);
	}
	let manifest = info.record.manifest;
	std::fs::create_dir_all(&args.to)
		.with_context(|| format!("cannot create {}", args.to.display()))?;
	let store = ctx.existing_store();
	let bar = ctx.progress(manifest.total_size(), "installing");
	let started = Instant::now();
	let mut results = Vec::new();
	for artifact in manifest.artifacts.iter() {
		let outcome = install_artifact(artifact, &args.to, store.as_ref(), &|n| bar.inc(n))?;
		results.push((view::text(&artifact.path), artifact.size, outcome));
	}
	bar.finish_and_clear();
	let seconds = started.elapsed().as_secs_f64();
	if ctx.json {
		let files: Vec<_> = results
			.iter()
			.map(|(path, size, outcome)| json!({ "path": path, "size": size, "result": outcome }))
			.collect();
		return print_json(
			out,
			&json!({ "version": id.to_string(), "repository": view::text(&manifest.repository), "to": args.to, "seconds": seconds, "files": files }),
		);
	}
	for (path, size, outcome) in &results {
		match outcome {
			crate::install::Outcome::AlreadyPresent => {
				writeln!(out, "present    {path} ({})", view::size(*size))?
			}
			crate::install::Outcome::Installed {
				source,
				resumed_bytes,
			} => {
				let resumed = if *resumed_bytes > 0 {
					format!(", resumed after {}", view::size(*resumed_bytes))
				} else {
					String::new()
				};
				writeln!(
					out,
					"installed  {path} ({}) from {source}{resumed}",
					view::size(*size)
				)?
			}
		}
	}
	writeln!(
		out,
		"installed {} version {id} into {} ({} files, {}, every chunk verified) in {seconds:.2} s",
		view::text(&manifest.repository),
		args.to.display(),
		results.len(),
		view::size(manifest.total_size())
	)?;
	Ok(())
}
