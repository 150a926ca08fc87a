//! `owh install <repo>@<ref> --to <dir>`.

use super::print_json;
use crate::model::resolve::resolve;
use crate::{
	chain::Chain,
	context::Context,
	model::refs::VersionSpec,
	store::LocalStore,
	transfer::read_base,
	transfer::{
		free_space, install_artifact, locations, partial_path, target_path, ChunkIndex,
		FileOptions, Outcome,
	},
	view,
};
use anyhow::{anyhow, bail, Context as _, Result};
use clap::Args;
use owh_primitives::{merkle::LeafRule, Manifest, VersionId};
use serde_json::json;
use std::{
	collections::BTreeSet,
	io::Write,
	path::{Path, PathBuf},
	sync::{
		atomic::{AtomicUsize, Ordering},
		Mutex,
	},
	time::Instant,
};

/// How far up the lineage installs look for chunks to reuse.
const REUSE_DEPTH: u32 = 4;
/// Most ancestor versions whose files are scanned for reusable chunks.
const REUSE_VERSIONS: usize = 8;

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
	/// Another mirror to fetch from, after the recorded ones: `file:///dir`,
	/// `http(s)://host/path` (e.g. an `owh serve` at `http://host:port/v1/blobs`) or
	/// `s3://bucket/prefix`. Repeatable.
	#[arg(long = "from")]
	pub from: Vec<String>,
	/// Artifacts downloaded at the same time (default: twice the number of cores, at most 8, so
	/// one file's hashing overlaps another's receiving and writing).
	#[arg(long, default_value_t = default_jobs(), value_parser = clap::value_parser!(u16).range(1..=64))]
	pub jobs: u16,
	/// Also compute each file's whole-file SHA-256 and require it to match the manifest's. The
	/// Merkle root already authenticates every chunk, so this only catches a manifest whose two
	/// hashes disagree, at the cost of one more pass over the bytes on one core.
	#[arg(long)]
	pub sha256: bool,
	/// Write through the page cache instead of straight to disk. Direct writes spare the copy
	/// into the cache and its writeback (less CPU per GiB); where the filesystem is slow to
	/// take synchronous writes (network filesystems, spinning disks), cached writes may be
	/// faster. Filesystems without direct I/O are written through the cache anyway.
	#[arg(long)]
	pub no_direct_io: bool,
	/// Do not copy chunks from local files (earlier installs, parent versions).
	#[arg(long)]
	pub no_reuse: bool,
	/// If every offer of the version requires payment and the signing key holds no license,
	/// buy the cheapest offer (after confirmation, or at once with --yes).
	#[arg(long)]
	pub accept_license: bool,
	/// Confirm the license purchase without a prompt.
	#[arg(long, short = 'y', requires = "accept_license")]
	pub yes: bool,
}

/// Twice the cores this process may use, at most 8: each job holds about 16 MiB of buffers
/// and a connection to a mirror.
fn default_jobs() -> u16 {
	let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
	(cores * 2).clamp(1, 8) as u16
}

pub async fn run(ctx: &Context, args: &InstallArgs, out: &mut dyn Write) -> Result<()> {
	let from = args
		.from
		.iter()
		.map(|m| read_base(m))
		.collect::<Result<Vec<_>>>()?;
	let chain = ctx.chain().await?;
	let (id, info) = resolve(&chain, &args.version).await?;
	super::gate::warn_if_flagged(ctx, &chain, &args.version).await?;
	if let Some(yank) = &info.yanked {
		if !args.allow_yanked {
			bail!(
				"version {id} was yanked at block #{} by {}: {:?}; pass --allow-yanked to install it anyway",
				yank.block,
				yank.by,
				view::text(&yank.reason)
			);
		}
		ctx.warn(&format!(
			"installing yanked version {id}: {}",
			view::text(&yank.reason)
		));
	}
	let purchase =
		crate::model::license::ensure_license(ctx, &chain, &id, args.accept_license, args.yes)
			.await?;
	if let Some(p) = &purchase {
		ctx.warn(&format!(
			"bought license #{} under offer #{} for {}",
			p.license,
			p.offer,
			crate::amount::format_amount(p.price)
		));
	}
	let on_chain: Vec<String> = info.mirrors.iter().map(|m| view::text(&m.uri)).collect();
	// URIs the validators last saw serving are tried first, those they saw failing last.
	let known = chain.availability(&id).await?;
	let manifest = info.record.manifest;
	let rule = crate::model::leaf_rule(&manifest)?;
	std::fs::create_dir_all(&args.to)
		.with_context(|| format!("cannot create {}", args.to.display()))?;
	let to = std::fs::canonicalize(&args.to)?;
	let store = ctx.existing_store();
	let started = Instant::now();

	let local = if args.no_reuse {
		ChunkIndex::default()
	} else {
		let candidates = reuse_candidates(&chain, &id, &manifest, &to, store.as_ref()).await;
		let chunk_size = manifest
			.artifacts
			.first()
			.map(|a| a.chunk_size)
			.unwrap_or_default();
		tokio::task::block_in_place(|| ChunkIndex::scan(&candidates, chunk_size, rule))
	};
	check_space(&to, &manifest, rule, &local)?;

	let backends = ctx.backends()?;
	let bar = ctx.progress(manifest.total_size(), "installing");
	let mut order: Vec<usize> = (0..manifest.artifacts.len()).collect();
	order.sort_by_key(|&i| std::cmp::Reverse(manifest.artifacts[i].size));
	let next = AtomicUsize::new(0);
	let results: Vec<Mutex<Option<Result<Outcome>>>> = manifest
		.artifacts
		.iter()
		.map(|_| Mutex::new(None))
		.collect();
	let refused = Mutex::new(std::collections::BTreeSet::new());
	let on_problem = |text: &str| {
		if !ctx.quiet && !ctx.json {
			bar.suspend(|| eprintln!("warning: {text}"));
		}
	};
	tokio::task::block_in_place(|| {
		std::thread::scope(|scope| {
			for _ in 0..args.jobs.min(manifest.artifacts.len() as u16).max(1) {
				scope.spawn(|| loop {
					let k = next.fetch_add(1, Ordering::Relaxed);
					let Some(&i) = order.get(k) else { break };
					let artifact = &manifest.artifacts[i];
					let located = locations(
						artifact,
						store.as_ref(),
						&backends,
						&on_chain,
						&from,
						&known,
					);
					refused
						.lock()
						.expect("not poisoned")
						.extend(located.refused);
					let result = install_artifact(
						artifact,
						rule,
						FileOptions {
							check_sha256: args.sha256,
							direct_io: !args.no_direct_io,
						},
						&to,
						&located.locations,
						&local,
						&|n| bar.inc(n),
						&on_problem,
					);
					*results[i].lock().expect("not poisoned") = Some(result);
				});
			}
		})
	});
	bar.finish_and_clear();
	let seconds = started.elapsed().as_secs_f64();
	let refused = refused.into_inner().expect("not poisoned");
	for uri in &refused {
		ctx.warn(&format!("not reading {uri}"));
	}

	let mut files = Vec::new();
	let mut failures = Vec::new();
	let mut kind = None;
	for (artifact, result) in manifest.artifacts.iter().zip(results) {
		let path = view::text(&artifact.path);
		match result.into_inner().expect("not poisoned") {
			Some(Ok(outcome)) => files.push((path, artifact.size, outcome)),
			Some(Err(e)) => {
				// Bytes that did not match say more than a mirror that could not be reached.
				kind = match (kind, crate::exit::kind_of(&e)) {
					(Some(crate::exit::Kind::Differ), _) => kind,
					(_, Some(k)) => Some(k),
					(k, None) => k,
				};
				failures.push(format!("{e:#}"));
			}
			None => failures.push(format!("{path}: not attempted")),
		}
	}
	if !failures.is_empty() {
		let text = format!(
			"{} of {} files could not be installed: {}{}",
			failures.len(),
			manifest.artifacts.len(),
			failures.join(" | "),
			if refused.is_empty() {
				String::new()
			} else {
				format!(
					" (refused to read {} URI(s) from the chain: {})",
					refused.len(),
					refused.iter().cloned().collect::<Vec<_>>().join("; ")
				)
			}
		);
		return Err(match kind {
			Some(kind) => crate::exit::failed(kind, text),
			None => anyhow::anyhow!(text),
		});
	}
	if let Ok(store) = ctx.open_store() {
		let _ = store.save_manifest(&manifest);
		if let Err(e) = store.record_install(&id, &to) {
			ctx.warn(&format!(
				"cannot remember this install for chunk reuse: {e:#}"
			));
		}
	}
	let total = |f: fn(&Outcome) -> u64| files.iter().map(|(_, _, o)| f(o)).sum::<u64>();
	let (downloaded, reused, resumed) = (
		total(|o| o.downloaded),
		total(|o| o.reused),
		total(|o| o.resumed),
	);
	let refetched = total(|o| o.refetched_chunks);
	if ctx.json {
		let list: Vec<_> = files
			.iter()
			.map(|(path, size, outcome)| json!({ "path": path, "size": size, "result": outcome }))
			.collect();
		return print_json(
			out,
			&json!({
				"version": id.to_string(),
				"repository": view::text(&manifest.repository),
				"to": to,
				"seconds": seconds,
				"bytes": manifest.total_size(),
				"downloaded": downloaded,
				"reused": reused,
				"resumed": resumed,
				"refetched_chunks": refetched,
				"files": list,
				"license_purchase": purchase.as_ref().map(|p| p.json(&id)),
			}),
		);
	}
	for (path, size, outcome) in &files {
		if outcome.already_present {
			writeln!(out, "present    {path} ({})", view::size(*size))?;
			continue;
		}
		let mut notes = Vec::new();
		if outcome.reused > 0 {
			notes.push(format!(
				"{} reused from local files",
				view::size(outcome.reused)
			));
		}
		if outcome.resumed > 0 {
			notes.push(format!("resumed after {}", view::size(outcome.resumed)));
		}
		if outcome.refetched_chunks > 0 {
			notes.push(format!(
				"{} bad chunks fetched again",
				outcome.refetched_chunks
			));
		}
		let from = if outcome.sources.is_empty() {
			"local chunks".to_string()
		} else {
			outcome
				.sources
				.iter()
				.map(|s| s.uri.as_str())
				.collect::<Vec<_>>()
				.join(" + ")
		};
		let notes = if notes.is_empty() {
			String::new()
		} else {
			format!(" ({})", notes.join(", "))
		};
		writeln!(
			out,
			"installed  {path} ({}) from {from}{notes}",
			view::size(*size)
		)?;
	}
	writeln!(
		out,
		"installed {} version {id} into {} ({} files, {}, every chunk verified) in {seconds:.2} s: {} downloaded ({}/s), {} reused, {} resumed",
		view::text(&manifest.repository),
		to.display(),
		files.len(),
		view::size(manifest.total_size()),
		view::size(downloaded),
		view::size((downloaded as f64 / seconds.max(1e-9)) as u64),
		view::size(reused),
		view::size(resumed),
	)?;
	Ok(())
}

/// Local files that may hold chunks of this version: the target directory's files, earlier
/// installs of this version and of its ancestors, and the ancestors' objects in the store.
async fn reuse_candidates(
	chain: &Chain,
	id: &VersionId,
	manifest: &Manifest,
	to: &Path,
	store: Option<&LocalStore>,
) -> Vec<PathBuf> {
	let mut files = BTreeSet::new();
	for artifact in manifest.artifacts.iter() {
		if let Ok(path) = target_path(to, artifact) {
			files.insert(path);
		}
	}
	let Some(store) = store else {
		return files.into_iter().collect();
	};
	let mut versions = vec![(*id, manifest.clone())];
	if let Ok(edges) = chain.ancestors(id, REUSE_DEPTH).await {
		let mut seen = BTreeSet::new();
		for edge in edges {
			if versions.len() > REUSE_VERSIONS || !seen.insert(edge.parent) {
				continue;
			}
			if let Ok(Some(info)) = chain.version(&edge.parent).await {
				versions.push((edge.parent, info.record.manifest));
			}
		}
	}
	for (version, m) in &versions {
		let dirs = store.installs_of(version);
		for artifact in m.artifacts.iter() {
			if store.has(&artifact.sha256, artifact.size) {
				files.insert(store.object_path(&artifact.sha256));
			}
			for dir in &dirs {
				if let Ok(path) = target_path(dir, artifact) {
					if std::fs::metadata(&path).is_ok_and(|md| md.len() == artifact.size) {
						files.insert(path);
					}
				}
			}
		}
	}
	files.into_iter().collect()
}

/// Refuses to start when the files cannot fit, rather than failing half-way.
fn check_space(to: &Path, manifest: &Manifest, rule: LeafRule, local: &ChunkIndex) -> Result<()> {
	let mut need = 0u64;
	for artifact in manifest.artifacts.iter() {
		let target = target_path(to, artifact)?;
		if local.holds(&target, artifact, rule) {
			continue;
		}
		let partial = std::fs::metadata(partial_path(&target))
			.map(|m| m.len())
			.unwrap_or(0);
		need += artifact.size.saturating_sub(partial);
	}
	let free =
		free_space(to).ok_or_else(|| anyhow!("cannot read the free space of {}", to.display()))?;
	if need > free {
		bail!(
			"not enough space in {}: this install needs {} more but {} is free; free some space or pass another --to",
			to.display(),
			view::size(need),
			view::size(free)
		);
	}
	Ok(())
}
