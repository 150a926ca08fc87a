//! `owh publish <dir> --repo <r>`.

use super::arweave::{store_blobs, ArBlob};
use super::print_json;
use crate::model::resolve::resolve;
use crate::{
	chain::{
		author_signature_valid, bounded, sign_version, AuthorSignature, MultiSignature, Receipt,
		Wait,
	},
	context::Context,
	integrity::hashing::digest_stream,
	keys::{account_of, parse_account},
	model::refs::{
		alias_name, hex_bytes, key_value, metric_value, parent, repo_name, spdx_license,
	},
	model::{self, build_manifest, HashedFile, ManifestInput},
	store::{blob_name, LocalStore},
	transfer::{mirror_base, NEW_ARWEAVE_MIRROR},
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
	/// A mirror to upload every file to before committing, recorded in the manifest as
	/// `<mirror>/<sha256 hex>`: `s3://bucket/prefix`, `file:///dir`, an `owh serve
	/// --writable` at `http://host:port/v1/blobs`, or `ar://` to store the files on Arweave
	/// (recorded as `ar://<path manifest id>/<sha256 hex>`). Repeatable, up to 4. Without one,
	/// the manifest records no URI: the bytes stay in the local store until mirrored.
	#[arg(long = "mirror")]
	pub mirrors: Vec<String>,
	#[command(flatten)]
	pub arweave: super::arweave::ArweaveArgs,
	/// Publish the files symbolic links point to, as regular files (by default a link is
	/// refused), e.g. for a Hugging Face cache snapshot.
	#[arg(long)]
	pub follow_symlinks: bool,
	/// Files uploaded to mirrors at the same time.
	#[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
	pub jobs: u16,
	/// Hash and print the manifest and version id; store and submit nothing.
	#[arg(long)]
	pub dry_run: bool,
	/// Return once the commit is in a block, or (the default) once that block is finalized.
	/// "in block #N" is printed as soon as it is included either way.
	#[arg(long, value_enum, default_value_t = Wait::Finalized)]
	pub wait: Wait,
	/// The author, when someone other than the signing key signed the version (SS58, 0x hex,
	/// //Name or a key name). Needs --author-signature.
	#[arg(long, requires = "author_signature")]
	pub author: Option<String>,
	/// The author's sr25519 signature (0x + 128 hex digits) over the payload that
	/// `owh author-payload <version>` prints, raw or wrapped in <Bytes>...</Bytes>. Without it
	/// the signing key signs as the author.
	#[arg(long, requires = "author")]
	pub author_signature: Option<String>,
}

/// The validated non-file inputs (everything checked before any file is read).
struct Checked {
	repo: String,
	parents: Vec<(crate::model::refs::VersionSpec, owh_primitives::Relation)>,
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
	if let Some(signature) = &args.author_signature {
		hex_bytes::<64>(signature, "--author-signature")?;
	}
	let alias = args.alias.as_deref().map(alias_name).transpose()?;
	if args.mirrors.len() > owh_primitives::MAX_URIS as usize {
		bail!(
			"at most {} --mirror (a manifest holds {} URIs per file); add more later with `owh mirror add`",
			owh_primitives::MAX_URIS,
			owh_primitives::MAX_URIS
		);
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
		.map(|m| mirror_base(m))
		.collect::<Result<Vec<_>>>()?;
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
	let mut checked = check(args)?;
	// Arweave names the upload only once it is made: `ar://` is stored after the others.
	let to_arweave = checked.mirrors.iter().any(|m| m == NEW_ARWEAVE_MIRROR);
	if to_arweave && !args.dry_run {
		// Fail before hashing if the upload could not be paid for.
		ctx.arweave_wallet()?;
	}
	let plain_mirrors: Vec<String> = checked
		.mirrors
		.iter()
		.filter(|m| *m != NEW_ARWEAVE_MIRROR)
		.cloned()
		.collect();
	let files = model::walk(&args.dir, args.follow_symlinks)?;

	// Everything the chain can refuse is checked before the files are read.
	let mut chain_parts = None;
	let mut parents = Vec::new();
	let mut parent_manifests = Vec::new();
	if !args.dry_run {
		let signer = ctx.keys.signer()?;
		let chain = ctx.chain().await?;
		// A committer may publish, but moving an alias with --alias needs a maintainer.
		let need = if checked.alias.is_some() {
			super::repo::Need::Maintainer
		} else {
			super::repo::Need::Committer
		};
		super::repo::require_role(&chain, &checked.repo, &account_of(&signer), need).await?;
		if let Some(alias) = &checked.alias {
			if super::gate::gate_of(&chain, &checked.repo, alias)
				.await?
				.is_some()
			{
				bail!(
					"{}@{alias} is protected: a new version has no attestations yet, so it cannot move there (Promotion::TooFewAttestations); publish without --alias, have it attested (`owh attest`), then `owh alias set {} {alias} <version>`",
					checked.repo,
					checked.repo
				);
			}
		}
		for (spec, relation) in &checked.parents {
			let (id, info) = resolve(&chain, spec).await?;
			if info.yanked.is_some() {
				ctx.warn(&format!("parent {id} is yanked"));
			}
			parents.push(Parent {
				version: id,
				relation: *relation,
			});
			parent_manifests.push(info.record.manifest);
		}
		chain_parts = Some((chain, signer));
	} else {
		for (spec, relation) in &checked.parents {
			match spec {
				crate::model::refs::VersionSpec::Id(id) => parents.push(Parent {
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
	let mut results = files
		.par_iter()
		.map(|f| {
			hash_one(
				f,
				args.chunk_size,
				&store,
				!args.dry_run,
				&plain_mirrors,
				&|n| bar.inc(n),
			)
		})
		.collect::<Result<Vec<_>>>()?;
	bar.finish_and_clear();
	let elapsed = started.elapsed().as_secs_f64();
	let copied: u64 = results
		.iter()
		.filter(|r| r.copied)
		.map(|r| r.file.size)
		.sum();
	let novelty = new_bytes(&results, &parent_manifests, &store, args.chunk_size);
	if !args.dry_run && !plain_mirrors.is_empty() {
		upload(ctx, &store, &results, &plain_mirrors, args.jobs)?;
	}
	let mut arweave = None;
	if to_arweave && !args.dry_run {
		let blobs: Vec<ArBlob> = results
			.iter()
			.map(|r| ArBlob {
				label: r.file.rel.clone(),
				sha256: r.file.sha256,
				src: store.object_path(&r.file.sha256),
				leaves: Some(store.leaves_path(&r.file.sha256)).filter(|p| p.is_file()),
			})
			.collect();
		let stored = store_blobs(
			ctx,
			&checked.repo,
			&blobs,
			args.arweave.yes,
			args.arweave.wait(),
			&|base| format!("publish again with --mirror {base} (nothing is paid twice)"),
		)
		.await
		.context("storing on Arweave failed, so nothing was committed")?;
		for r in results.iter_mut() {
			r.file
				.uris
				.push(format!("{}/{}", stored.base, blob_name(&r.file.sha256)));
		}
		for mirror in checked
			.mirrors
			.iter_mut()
			.filter(|m| *m == NEW_ARWEAVE_MIRROR)
		{
			mirror.clone_from(&stored.base);
		}
		arweave = Some(stored);
	}
	let hashed: Vec<HashedFile> = results.into_iter().map(|r| r.file).collect();

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
	if !args.dry_run {
		store.save_manifest(&manifest)?;
	}
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
	let genesis = chain.genesis_hash();
	let signature = match (&args.author, &args.author_signature) {
		(Some(author), Some(signature)) => {
			let author = parse_account(author, &ctx.keystore)?;
			let signature = hex_bytes::<64>(signature, "--author-signature")?;
			if !author_signature_valid(&genesis, &id, &author, &signature) {
				bail!(
					"--author-signature does not verify for {author} and version {id} on this chain (genesis 0x{}); sign the payload `owh author-payload {id}` prints",
					hex::encode(genesis)
				);
			}
			AuthorSignature {
				author,
				signature: MultiSignature::Sr25519(signature),
			}
		}
		_ => sign_version(&signer, &genesis, &id),
	};
	let commit = subxt::dynamic::tx(
		"Registry",
		"commit_version",
		(
			Static(repo.clone()),
			Static(Box::new(manifest.clone())),
			Static(Some(signature)),
		),
	);
	let submitted = Instant::now();
	let mut in_block_seconds = 0.0;
	let json = ctx.json;
	let mut included = |r: &Receipt| {
		in_block_seconds = submitted.elapsed().as_secs_f64();
		if !json {
			let next = match args.wait {
				Wait::Finalized => "; waiting for finality",
				Wait::InBlock => "",
			};
			let _ = writeln!(
				out,
				"in block #{} {} after {in_block_seconds:.1} s{next}",
				r.block_number, r.block_hash
			);
			let _ = out.flush();
		}
	};
	let committed: Result<Receipt> = async {
		Ok(match &checked.alias {
			None => {
				chain
					.submit_payload_waiting(&commit, &signer, args.wait, &mut included)
					.await?
			}
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
				chain
					.submit_payload_waiting(&batch, &signer, args.wait, &mut included)
					.await?
			}
		})
	}
	.await;
	let receipt = match (committed, &arweave) {
		(Err(e), Some(stored)) => {
			return Err(e.context(format!(
				"the files are stored on Arweave as {} and paid for; publish again with --mirror {} to use them without paying again",
				stored.base, stored.base
			)))
		}
		(committed, _) => committed?,
	};
	let final_seconds = submitted.elapsed().as_secs_f64();
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
				"finalized": receipt.finalized,
				"in_block_seconds": in_block_seconds,
				"finalized_seconds": receipt.finalized.then_some(final_seconds),
				"store": store.root().display().to_string(),
				"bytes_copied_to_store": copied,
				"new_bytes_vs_parents": novelty.map(|(n, basis)| json!({ "bytes": n, "basis": basis })),
				"mirrors": checked.mirrors,
				"arweave": arweave,
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
		writeln!(
			out,
			"store: {} copied, {} already there",
			view::size(copied),
			view::size(total - copied)
		)?;
		if let Some((new, basis)) = novelty {
			writeln!(
				out,
				"new compared with the parent version(s): {} of {} ({:.1}%, by {basis})",
				view::size(new),
				view::size(total),
				new as f64 * 100.0 / total.max(1) as f64
			)?;
		}
		for mirror in &checked.mirrors {
			writeln!(out, "mirrored to {mirror}")?;
		}
		writeln!(out, "published {} version {id}", checked.repo)?;
		if let Some(alias) = &checked.alias {
			writeln!(out, "alias {alias} -> {id}")?;
		}
		if receipt.finalized {
			writeln!(
				out,
				"finalized in block #{} {} after {final_seconds:.1} s",
				receipt.block_number, receipt.block_hash
			)?;
		} else {
			writeln!(
				out,
				"not waiting for finality (--wait in-block): check with `owh show {id}`"
			)?;
		}
	}
	Ok(())
}

/// One hashed file with its leaves, and whether it was copied into the store.
struct Hashed {
	file: HashedFile,
	abs: PathBuf,
	leaves: Vec<merkle::Hash32>,
	copied: bool,
}

/// Hashes one file, then copies it into the store when `write` is set and the store does not
/// already hold that digest.
fn hash_one(
	file: &model::LocalFile,
	chunk_size: u32,
	store: &LocalStore,
	write: bool,
	mirrors: &[String],
	on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<Hashed> {
	let stamp =
		|p: &std::path::Path| std::fs::metadata(p).and_then(|m| Ok((m.len(), m.modified()?)));
	let before = stamp(&file.abs).with_context(|| format!("cannot read {}", file.abs.display()))?;
	let mut reader =
		File::open(&file.abs).with_context(|| format!("cannot read {}", file.abs.display()))?;
	let digest = digest_stream(&mut reader, chunk_size, None, on_bytes)
		.with_context(|| format!("cannot read {}", file.abs.display()))?;
	let copied = if write {
		store.import(&file.abs, &digest)?
	} else {
		false
	};
	if digest.size != file.size || stamp(&file.abs).ok() != Some(before) {
		bail!(
			"{} changed while it was being read; publish again when it is stable",
			file.rel
		);
	}
	// The local store is a path on this machine that nobody else can read: only the mirrors
	// are recorded.
	let uris = mirrors
		.iter()
		.map(|m| format!("{m}/{}", blob_name(&digest.sha256)))
		.collect();
	let merkle_root = digest.merkle_root();
	Ok(Hashed {
		file: HashedFile {
			rel: file.rel.clone(),
			size: digest.size,
			sha256: digest.sha256,
			merkle_root,
			uris,
		},
		abs: file.abs.clone(),
		leaves: digest.leaves,
		copied,
	})
}

/// Bytes not present in any parent: by chunks where the parents' chunk lists are in the
/// store, else by whole files. `None` without parents.
fn new_bytes(
	results: &[Hashed],
	parents: &[owh_primitives::Manifest],
	store: &LocalStore,
	chunk_size: u32,
) -> Option<(u64, &'static str)> {
	if parents.is_empty() {
		return None;
	}
	let artifacts: Vec<_> = parents.iter().flat_map(|m| m.artifacts.iter()).collect();
	let files: std::collections::HashSet<_> = artifacts.iter().map(|a| a.sha256).collect();
	let mut chunks = std::collections::HashSet::new();
	let mut all_chunks_known = true;
	for a in &artifacts {
		match store.leaves(&a.sha256) {
			Some(leaves) => chunks.extend(leaves),
			None => all_chunks_known = false,
		}
	}
	let mut new = 0u64;
	for r in results {
		if files.contains(&r.file.sha256) {
			continue;
		}
		if chunks.is_empty() {
			new += r.file.size;
			continue;
		}
		for (i, leaf) in r.leaves.iter().enumerate() {
			if !chunks.contains(leaf) {
				let (start, end) = crate::transfer::chunk_range(r.file.size, chunk_size, i as u64);
				new += end - start;
			}
		}
	}
	let basis = if chunks.is_empty() {
		"whole files"
	} else if all_chunks_known {
		"chunks"
	} else {
		"chunks where the parents' chunk lists are in the store"
	};
	Some((new, basis))
}

/// Uploads every file and its chunk list to every mirror, skipping blobs a mirror already
/// holds at the right size.
fn upload(
	ctx: &Context,
	store: &LocalStore,
	results: &[Hashed],
	mirrors: &[String],
	jobs: u16,
) -> Result<()> {
	use crate::transfer::upload::{upload, Blob, LeavesFrom};
	let backends = ctx.backends()?;
	let total: u64 = results.iter().map(|r| r.file.size).sum::<u64>() * mirrors.len() as u64;
	let bar = ctx.progress(total, "uploading");
	let blobs: Vec<Blob> = results
		.iter()
		.map(|r| Blob {
			label: &r.file.rel,
			sha256: r.file.sha256,
			size: r.file.size,
			src: if store.has(&r.file.sha256, r.file.size) {
				store.object_path(&r.file.sha256)
			} else {
				r.abs.clone()
			},
			leaves: LeavesFrom::Memory(&r.leaves),
		})
		.collect();
	let uploaded =
		tokio::task::block_in_place(|| upload(&backends, &blobs, mirrors, jobs, &|n| bar.inc(n)));
	bar.finish_and_clear();
	uploaded.context("uploading to the mirrors failed, so nothing was committed")?;
	Ok(())
}
