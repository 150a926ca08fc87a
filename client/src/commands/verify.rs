//! `owh verify <dir> --version <repo>@<ref>`, or offline `owh verify <dir> --receipt <file>`.

use super::print_json;
use crate::model::resolve::resolve;
use crate::{
	context::Context,
	integrity::verify::{describe, verify_dir, FileStatus, Report},
	model::refs::VersionSpec,
	store::LocalStore,
	transfer::{expected_leaves, locations},
	view,
};
use anyhow::{bail, Context as _, Result};
use clap::Args;
use owh_primitives::{Artifact, Manifest, VersionId};
use serde_json::json;
use std::{
	io::Write,
	path::{Path, PathBuf},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::Instant,
};

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
	let store = ctx.existing_store();
	let started = Instant::now();
	let (id, info, receipt, early) = match (&args.receipt, &args.version) {
		(Some(path), _) => {
			let proven = crate::chain::audit::load(path, &ctx.anchors)?;
			(proven.id, proven.info.clone(), Some(proven), None)
		}
		(None, Some(spec)) => {
			// Hashing starts from the store's copy of the manifest while the chain is asked;
			// its result counts only if the chain names the same version.
			let guess = store.as_ref().and_then(|s| guess(s, spec, &args.dir));
			let early = guess.map(|(guessed, manifest)| {
				let (stop, task) = hash_early(ctx, args, store.clone(), manifest);
				(guessed, stop, task)
			});
			// An error here drops the early hashing's stop guard, which ends it.
			let chain = ctx.chain().await?;
			let (id, info) = resolve(&chain, spec).await?;
			let early = match early {
				// A wrong guess: the early hashing is stopped, not waited for.
				Some((guessed, _stop, _)) if guessed != id => None,
				Some((_, _stop, task)) => {
					let report = task.await.context("the hashing thread failed")??;
					// A differing file whose chunks could not be named is checked again with
					// the chain's mirrors.
					report.chunks_named().then_some(report)
				}
				None => None,
			};
			(id, info, None, early)
		}
		(None, None) => bail!("pass --version <repo>@<ref> or --receipt <file>"),
	};
	let manifest = info.record.manifest;
	let started_before_chain = early.is_some();
	let report = match early {
		Some(report) => report,
		None => {
			// Offline with a receipt: chunk lists come from the local store only.
			let mirrors: Vec<String> = match receipt {
				Some(_) => Vec::new(),
				None => info.mirrors.iter().map(|m| view::text(&m.uri)).collect(),
			};
			let bar = ctx.progress(manifest.total_size(), "verifying");
			// Chunk lists are fetched only for files that differ, to name the bad chunks.
			let report = tokio::task::block_in_place(|| -> Result<_> {
				let backends = ctx.backends()?;
				let leaves_for = |a: &Artifact| {
					let offline;
					let a = if receipt.is_some() {
						offline = Artifact {
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
					&AtomicBool::new(false),
					&|n| bar.inc(n),
				)
			})?;
			bar.finish_and_clear();
			report
		}
	};
	let seconds = started.elapsed().as_secs_f64();
	let bad = report
		.files
		.iter()
		.filter(|f| f.status != FileStatus::Ok)
		.count();
	if ctx.json {
		let mut value = json!({ "version": id.to_string(), "dir": args.dir, "seconds": seconds, "started_before_chain": started_before_chain, "report": report });
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

/// The version `spec` most likely names, with the store's copy of its manifest (checked against
/// its id): the id itself, or else the one version recorded as installed in `dir`.
fn guess(store: &LocalStore, spec: &VersionSpec, dir: &Path) -> Option<(VersionId, Manifest)> {
	match spec {
		VersionSpec::Id(id) => Some((*id, store.manifest(id)?)),
		VersionSpec::InRepo { repo, .. } => store
			.installed_in(dir)
			.filter(|(_, manifest)| view::text(&manifest.repository) == *repo),
	}
}

/// Starts verifying `dir` against the store's copy of a manifest on a blocking thread, with
/// chunk lists from the store only; dropping the returned guard stops it.
fn hash_early(
	ctx: &Context,
	args: &VerifyArgs,
	store: Option<LocalStore>,
	manifest: Manifest,
) -> (StopOnDrop, tokio::task::JoinHandle<Result<Report>>) {
	let bar = ctx.progress(manifest.total_size(), "verifying");
	let stop = Arc::new(AtomicBool::new(false));
	let (dir, follow, stopped) = (args.dir.clone(), args.follow_symlinks, stop.clone());
	let task = tokio::task::spawn_blocking(move || {
		let from_store = |a: &Artifact| store.as_ref().and_then(|s| s.checked_leaves(a));
		let report = verify_dir(&dir, &manifest, follow, &from_store, &stopped, &|n| {
			bar.inc(n)
		});
		bar.finish_and_clear();
		report
	});
	(StopOnDrop(stop), task)
}

/// Stops an early hashing when the command no longer needs it (an error, or a wrong guess).
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
	fn drop(&mut self) {
		self.0.store(true, Ordering::Relaxed);
	}
}
