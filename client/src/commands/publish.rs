//! `owh publish <dir> --repo <r>`.

use super::{print_json, resolve};
use crate::{
	chain::{bounded, sign_version},
	context::Context,
	hashing::digest_stream,
	keys::account_of,
	model::{self, build_manifest, HashedFile, ManifestInput},
	refs::{alias_name, key_value, metric_value, parent, repo_name, spdx_license},
	store::{object_key, LocalStore},
	view,
};
use anyhow::{bail, Context as _, Result};
use clap::Args;
use owh_primitives::{merkle, AliasName, Parent, RepoName};
use rayon::prelude::*;
use serde_json::json;
use std::{fs::File, io::Write, path::PathBuf, time::Instant};
use subxt::utils::{Encoded, Static};

#[derive(Args, Debug)]
pub struct PublishArgs {
	/// The directory holding the model files (all files below it are published).
	pub dir: PathBuf,
	/// The repository to publish into.
	#[arg(long)]
	pub repo: String,
	/// A version this one derives from: `<version>[:relation]`, where version is an id or
	/// `repo@alias` and relation one of fine-tune (default), quantization, merge, distillation,
	/// retrain, other. Repeatable.
	#[arg(long = "parent")]
	pub parents: Vec<String>,
	/// Message describing the version.
	#[arg(short = 'm', long = "message", default_value = "")]
	pub message: String,
	/// Evaluation metric `name=value` (decimal, up to 6 decimals). Repeatable.
	#[arg(long = "metric")]
	pub metrics: Vec<String>,
	/// SPDX license expression.
	#[arg(long, default_value = "Apache-2.0")]
	pub license: String,
	/// Label `key=value`. Repeatable.
	#[arg(long = "tag")]
	pub tags: Vec<String>,
	/// Point this alias at the new version, in the same transaction.
	#[arg(long)]
	pub alias: Option<String>,
	/// Chunk size of the Merkle tree, in bytes (a power of two from 4 KiB to 16 MiB).
	#[arg(long, default_value_t = merkle::DEFAULT_CHUNK_SIZE)]
	pub chunk_size: u32,
	/// A mirror base URL that will serve the store layout (`<base>/objects/sha256/<hex>`);
	/// recorded as an extra URI. Repeatable, up to 3.
	#[arg(long = "mirror")]
	pub mirrors: Vec<String>,
	/// Hash and print the manifest and version id; store and submit nothing.
	#[arg(long)]
	pub dry_run: bool,
}

/// The validated non-file inputs (everything checked before any file is read).
struct Checked {
	repo: String,
	parents: Vec<(crate::refs::VersionSpec, owh_primitives::Relation)>,
	metrics: Vec<(String, i64)>,
	tags: Vec<(String, String)>,
	license: String,
	alias: Option<String>,
	mirrors: Vec<String>,
}

fn check(args: &PublishArgs) -> Result<Checked> {
	let repo = repo_name(&args.repo)?;
	if !merkle::is_valid_chunk_size(args.chunk_size) {
		bail!(
			"--chunk-size {} is not a power of two from 4096 to 16777216",
			args.chunk_size
		);
	}
	let parents = args
		.parents
		.iter()
		.map(|p| parent(p))
		.collect::<Result<Vec<_>>>()?;
	let metrics = args
		.metrics
		.iter()
		.map(|m| {
			let (k, v) = key_value(m, "--metric")?;
			Ok((k, metric_value(&v)?))
		})
		.collect::<Result<Vec<_>>>()?;
	let tags = args
		.tags
		.iter()
		.map(|t| key_value(t, "--tag"))
		.collect::<Result<Vec<_>>>()?;
	let license = spdx_license(&args.license)?;
	let alias = args.alias.as_deref().map(alias_name).transpose()?;
	if args.mirrors.len() > 3 {
		bail!("at most 3 --mirror (a manifest holds 4 URIs per file, one is the local store)");
	}
	for m in &args.mirrors {
		if !(m.starts_with("http://") || m.starts_with("https://")) {
			bail!("--mirror {m:?} must start with http:// or https://");
		}
	}
	if args.message.len() > owh_primitives::MAX_MESSAGE_LEN as usize {
		bail!(
			"the message is longer than {} bytes",
			owh_primitives::MAX_MESSAGE_LEN
		);
	}
	let mirrors = args
		.mirrors
		.iter()
		.map(|m| m.trim_end_matches('/').to_string())
		.collect();
	Ok(Checked {
		repo,
		parents,
		metrics,
		tags,
		license,
		alias,
		mirrors,
	})
}

pub async fn run(ctx: &Context, args: &PublishArgs, out: &mut dyn Write) -> Result<()> {
	let checked = check(args)?;
	let files = model::walk(&args.dir)?;

	// Everything the chain can refuse is checked before the files are read.
	let mut chain_parts = None;
	let mut parents = Vec::new();
	if !args.dry_run {
		let signer = ctx.keys.signer()?;
		let chain = ctx.chain().await?;
		super::repo::require_role(&chain, &checked.repo, &account_of(&signer), true).await?;
		for (spec, relation) in &checked.parents {
			let (id, info) = resolve(&chain, spec).await?;
			if info.yanked.is_some() {
				eprintln!("warning: parent {id} is yanked");
			}
			parents.push(Parent {
				version: id,
				relation: *relation,
			});
		}
		chain_parts = Some((chain, signer));
	} else {
		for (spec, relation) in &checked.parents {
			match spec {
				crate::refs::VersionSpec::Id(id) => parents.push(Parent {
					version: *id,
					relation: *relation,
				}),
				_ => bail!("--dry-run does not contact the chain; give parents as version ids"),
			}
		}
	}

	let store = if args.dry_run {
		LocalStore::planned(&ctx.store)?
	} else {
		ctx.open_store()?
	};
	let total: u64 = files.iter().map(|f| f.size).sum();
	let bar = ctx.progress(total, "hashing");
	let started = Instant::now();
	let hashed = files
		.par_iter()
		.map(|f| {
			hash_one(
				f,
				args.chunk_size,
				&store,
				!args.dry_run,
				&checked.mirrors,
				&|n| bar.inc(n),
			)
		})
		.collect::<Result<Vec<_>>>()?;
	bar.finish_and_clear();
	let elapsed = started.elapsed().as_secs_f64();

	let input = ManifestInput {
		repository: checked.repo.clone(),
		chunk_size: args.chunk_size,
		parents,
		message: args.message.clone(),
		metrics: checked.metrics.clone(),
		license: checked.license.clone(),
		tags: checked.tags.clone(),
	};
	let manifest = build_manifest(&input, &hashed)?;
	let id = manifest.version_id();
	let rate = total as f64 / elapsed.max(1e-9);
	let Some((chain, signer)) = chain_parts else {
		if ctx.json {
			print_json(
				out,
				&json!({ "version": id.to_string(), "dry_run": true, "bytes": total, "seconds": elapsed, "manifest": view::manifest_json(&manifest) }),
			)?;
		} else {
			write!(out, "{}", view::manifest_human(&manifest))?;
			writeln!(
				out,
				"hashed {} in {elapsed:.2} s ({}/s)",
				view::size(total),
				view::size(rate as u64)
			)?;
			writeln!(out, "version {id} (dry run: nothing stored or submitted)")?;
		}
		return Ok(());
	};

	let repo: RepoName = bounded(
		&checked.repo,
		"repository name",
		owh_primitives::MAX_REPO_NAME_LEN,
	)?;
	let signature = sign_version(&signer, &id);
	let commit = subxt::dynamic::tx(
		"Registry",
		"commit_version",
		(
			Static(repo.clone()),
			Static(Box::new(manifest.clone())),
			Static(Some(signature)),
		),
	);
	let receipt = match &checked.alias {
		None => chain.submit_payload(&commit, &signer).await?,
		Some(alias) => {
			let alias: AliasName = bounded(alias, "alias", owh_primitives::MAX_ALIAS_LEN)?;
			let set = subxt::dynamic::tx(
				"Registry",
				"set_alias",
				(Static(repo), Static(alias), Static(id)),
			);
			let calls = vec![
				Encoded(chain.call_data(&commit).await?),
				Encoded(chain.call_data(&set).await?),
			];
			let batch = subxt::dynamic::tx("Utility", "batch_all", (Static(calls),));
			chain.submit_payload(&batch, &signer).await?
		}
	};
	if ctx.json {
		print_json(
			out,
			&json!({
				"version": id.to_string(),
				"repository": checked.repo,
				"alias": checked.alias,
				"files": hashed.len(),
				"bytes": total,
				"hash_seconds": elapsed,
				"block_number": receipt.block_number,
				"block_hash": receipt.block_hash,
				"extrinsic_hash": receipt.extrinsic_hash,
				"store": store.root().display().to_string(),
			}),
		)?;
	} else {
		writeln!(
			out,
			"hashed and stored {} files, {} in {elapsed:.2} s ({}/s)",
			hashed.len(),
			view::size(total),
			view::size(rate as u64)
		)?;
		writeln!(out, "published {} version {id}", checked.repo)?;
		if let Some(alias) = &checked.alias {
			writeln!(out, "alias {alias} -> {id}")?;
		}
		writeln!(
			out,
			"finalized in block #{} {}",
			receipt.block_number, receipt.block_hash
		)?;
	}
	Ok(())
}

/// Hashes one file, copying it into the store in the same pass when `write` is set.
fn hash_one(
	file: &model::LocalFile,
	chunk_size: u32,
	store: &LocalStore,
	write: bool,
	mirrors: &[String],
	on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<HashedFile> {
	let mut reader =
		File::open(&file.abs).with_context(|| format!("cannot read {}", file.abs.display()))?;
	let read_error = || format!("cannot read {}", file.abs.display());
	let digest = if write {
		let mut tmp = store.temp_file()?;
		let digest = {
			let mut sink = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
			let d = digest_stream(&mut reader, chunk_size, Some(&mut sink), on_bytes)
				.with_context(read_error)?;
			sink.flush()?;
			d
		};
		store.commit(tmp, &digest)?;
		digest
	} else {
		digest_stream(&mut reader, chunk_size, None, on_bytes).with_context(read_error)?
	};
	if digest.size != file.size {
		bail!(
			"{} changed while it was being read; publish again when it is stable",
			file.rel
		);
	}
	let mut uris = vec![store.file_uri(&digest.sha256)?];
	uris.extend(
		mirrors
			.iter()
			.map(|m| format!("{m}/{}", object_key(&digest.sha256))),
	);
	let merkle_root = digest.merkle_root();
	Ok(HashedFile {
		rel: file.rel.clone(),
		size: digest.size,
		sha256: digest.sha256,
		merkle_root,
		uris,
	})
}
