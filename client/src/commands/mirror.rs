//! `owh mirror add|list|rm`: copy an existing version to another mirror and record it on
//! chain (the version id does not change), list a version's mirrors, or remove one.

use super::{
	arweave::{store_blobs, ArBlob, ArweaveArgs},
	print_json,
};
use crate::model::resolve::resolve;
use crate::{
	chain::bounded,
	context::Context,
	integrity::hashing::{file_leaves, FileDigest},
	keys::account_of,
	model::refs::VersionSpec,
	store::LocalStore,
	transfer::{install_artifact, locations, ChunkIndex, FileOptions},
	transfer::{
		mirror_base,
		upload::{upload, Blob, LeavesFrom, Uploaded},
		Backends, NEW_ARWEAVE_MIRROR,
	},
	view,
};
use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand};
use owh_primitives::{merkle::LeafRule, Artifact, RepoName, StorageUri};
use serde_json::json;
use std::io::Write;
use subxt::utils::Static;

#[derive(Subcommand, Debug)]
pub enum MirrorCommand {
	/// Upload every file of a version (and its chunk lists) to a mirror, then record the
	/// mirror on chain so that every client also fetches from it.
	Add(AddArgs),
	/// The mirrors recorded for a version, besides the URIs in its manifest.
	List(ListArgs),
	/// Remove a mirror from a version's on-chain record (the files stay where they are).
	Rm(MirrorArgs),
}

#[derive(Args, Debug)]
pub struct MirrorArgs {
	/// `<repo>@<alias|version>` or a version id.
	pub version: VersionSpec,
	/// The mirror: `s3://bucket/prefix`, `file:///dir`, `http(s)://host/path` (an `owh serve
	/// --writable` at `http://host:port/v1/blobs`), `ar://` to store the version on Arweave
	/// (paid by `--arweave-wallet`), or `ar://<id>` for a path manifest already there.
	pub uri: String,
}

#[derive(Args, Debug)]
pub struct AddArgs {
	#[command(flatten)]
	pub mirror: MirrorArgs,
	#[command(flatten)]
	pub arweave: ArweaveArgs,
}

#[derive(Args, Debug)]
pub struct ListArgs {
	/// `<repo>@<alias|version>` or a version id.
	pub version: VersionSpec,
}

pub async fn run(ctx: &Context, cmd: &MirrorCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		MirrorCommand::Add(args) => add(ctx, args, out).await,
		MirrorCommand::List(args) => list(ctx, args, out).await,
		MirrorCommand::Rm(args) => remove(ctx, args, out).await,
	}
}

/// What adding and removing a mirror both check first: the URI, the key, the version and the
/// signer's role in its repository.
struct Change {
	base: String,
	uri: StorageUri,
	signer: subxt_signer::sr25519::Keypair,
	chain: crate::chain::Chain,
	id: owh_primitives::VersionId,
	info: crate::chain::Info,
	repo_text: String,
	repo: RepoName,
}

/// Resolves the version and checks the signing key's role: adding a mirror needs a committer,
/// removing one a maintainer.
async fn prepare(ctx: &Context, args: &MirrorArgs, need: super::repo::Need) -> Result<Change> {
	let base = mirror_base(&args.uri)?;
	let uri: StorageUri = bounded(&base, "mirror URI", owh_primitives::MAX_URI_LEN)?;
	let signer = ctx.keys.signer()?;
	let chain = ctx.chain().await?;
	let (id, info) = resolve(&chain, &args.version).await?;
	let repo_text = view::text(&info.record.manifest.repository);
	super::repo::require_role(&chain, &repo_text, &account_of(&signer), need).await?;
	let repo: RepoName = bounded(&repo_text, "repository", owh_primitives::MAX_REPO_NAME_LEN)?;
	Ok(Change {
		base,
		uri,
		signer,
		chain,
		id,
		info,
		repo_text,
		repo,
	})
}

async fn add(ctx: &Context, add_args: &AddArgs, out: &mut dyn Write) -> Result<()> {
	let args = &add_args.mirror;
	let Change {
		base,
		uri,
		signer,
		chain,
		id,
		info,
		repo_text,
		repo,
	} = prepare(ctx, args, super::repo::Need::Committer).await?;
	if info.mirrors.iter().any(|m| m.uri == uri) {
		bail!("{base} is already a mirror of version {id}");
	}
	let to_arweave = base == NEW_ARWEAVE_MIRROR;
	if to_arweave {
		// Fail before any download if the upload could not be paid for.
		ctx.arweave_wallet()?;
	}
	let manifest = info.record.manifest;
	let rule = crate::model::leaf_rule(&manifest)?;
	let mirrors: Vec<String> = info.mirrors.iter().map(|m| view::text(&m.uri)).collect();
	let store = ctx.open_store()?;
	let backends = ctx.backends()?;
	let bar = ctx.progress(manifest.total_size(), "mirroring");
	let uploaded = tokio::task::block_in_place(|| -> Result<Gathered> {
		// Upload only verified bytes: from the store, or fetched and checked first.
		bar.set_message("fetching");
		let mut blobs = Vec::with_capacity(manifest.artifacts.len());
		let paths: Vec<String> = manifest
			.artifacts
			.iter()
			.map(|a| view::text(&a.path))
			.collect();
		for (artifact, path) in manifest.artifacts.iter().zip(&paths) {
			ensure_in_store(&store, artifact, rule, &backends, &mirrors, &[])
				.with_context(|| format!("cannot fetch {path} to upload it"))?;
			let leaves_path = store.leaves_path(&artifact.sha256);
			let leaves = if !leaves_path.is_file() {
				LeavesFrom::Absent
			} else if store.checked_leaves(artifact).is_some() {
				LeavesFrom::File(leaves_path)
			} else {
				bail!(
					"the local store's chunk list of {path} ({}) does not match the on-chain Merkle root; \
					 remove it and run `owh verify` or `owh install` again before mirroring",
					leaves_path.display()
				);
			};
			blobs.push(Blob {
				label: path,
				sha256: artifact.sha256,
				size: artifact.size,
				src: store.object_path(&artifact.sha256),
				leaves,
			});
		}
		if to_arweave {
			bar.finish_and_clear();
			return Ok(Gathered::ForArweave(
				blobs
					.iter()
					.map(|b| ArBlob {
						label: b.label.to_string(),
						sha256: b.sha256,
						src: b.src.clone(),
						leaves: match &b.leaves {
							LeavesFrom::File(path) => Some(path.clone()),
							_ => None,
						},
					})
					.collect(),
			));
		}
		bar.set_message("mirroring");
		upload(&backends, &blobs, std::slice::from_ref(&base), 1, &|n| {
			bar.inc(n)
		})
		.map(Gathered::Uploaded)
		.context("cannot upload")
	})?;
	bar.finish_and_clear();
	let (base, uri, uploaded, present, arweave) = match uploaded {
		Gathered::Uploaded(done) => (base, uri, done.sent, done.present, None),
		Gathered::ForArweave(blobs) => {
			let stored = store_blobs(
				ctx,
				&repo_text,
				&blobs,
				add_args.arweave.yes,
				add_args.arweave.wait(),
				&|base| format!("record it with `owh mirror add {id} {base}`"),
			)
			.await?;
			let uri: StorageUri = bounded(&stored.base, "mirror URI", owh_primitives::MAX_URI_LEN)?;
			(stored.base.clone(), uri, stored.bytes, 0, Some(stored))
		}
	};
	let submitted = chain
		.submit(
			"add_mirror",
			(Static(repo), Static(id), Static(uri)),
			&signer,
		)
		.await;
	let receipt = match (submitted, &arweave) {
		(Err(e), Some(stored)) => {
			return Err(e.context(format!(
				"the upload to Arweave is paid for; record it with `owh mirror add {id} {}`",
				stored.base
			)))
		}
		(submitted, _) => submitted?,
	};
	if ctx.json {
		return print_json(
			out,
			&json!({ "version": id.to_string(), "mirror": base, "uploaded": uploaded, "already_present": present, "arweave": arweave, "receipt": receipt }),
		);
	}
	if let Some(stored) = &arweave {
		writeln!(
			out,
			"stored on Arweave in {} transactions for {} ({}), path manifest {}",
			stored.transactions.len(),
			crate::transfer::arweave::gateway::ar(stored.cost),
			if stored.confirmed {
				"mined"
			} else {
				"not mined yet: gateways may not serve it until it is"
			},
			stored.base
		)?;
	}
	writeln!(
		out,
		"mirrored {repo_text} version {id} to {base}: {} uploaded, {} already there",
		view::size(uploaded),
		view::size(present)
	)?;
	writeln!(out, "recorded on chain in block #{}", receipt.block_number)?;
	Ok(())
}

/// What the first step of `mirror add` produced: an upload done, or the blobs to store on
/// Arweave (which runs on the async runtime).
enum Gathered {
	Uploaded(Uploaded),
	ForArweave(Vec<ArBlob>),
}

async fn list(ctx: &Context, args: &ListArgs, out: &mut dyn Write) -> Result<()> {
	let chain = ctx.chain().await?;
	let (id, info) = resolve(&chain, &args.version).await?;
	if ctx.json {
		let list: Vec<_> = info
			.mirrors
			.iter()
			.map(|m| json!({ "uri": view::text(&m.uri), "added_by": m.added_by.to_string(), "block": m.block, "deposit": m.deposit.to_string() }))
			.collect();
		return print_json(out, &json!({ "version": id.to_string(), "mirrors": list }));
	}
	if info.mirrors.is_empty() {
		writeln!(
			out,
			"version {id} has no mirrors besides the URIs in its manifest"
		)?;
	}
	for m in &info.mirrors {
		writeln!(
			out,
			"{}  added by {} in block #{}",
			view::text(&m.uri),
			m.added_by,
			m.block
		)?;
	}
	Ok(())
}

async fn remove(ctx: &Context, args: &MirrorArgs, out: &mut dyn Write) -> Result<()> {
	let Change {
		base,
		uri,
		signer,
		chain,
		id,
		info,
		repo,
		..
	} = prepare(ctx, args, super::repo::Need::Maintainer).await?;
	if !info.mirrors.iter().any(|m| m.uri == uri) {
		bail!("{base} is not a mirror of version {id}; see `owh mirror list {id}`");
	}
	let receipt = chain
		.submit(
			"remove_mirror",
			(Static(repo), Static(id), Static(uri)),
			&signer,
		)
		.await?;
	if ctx.json {
		return print_json(
			out,
			&json!({ "version": id.to_string(), "removed": base, "receipt": receipt }),
		);
	}
	writeln!(
		out,
		"removed mirror {base} from version {id} (block #{})",
		receipt.block_number
	)?;
	Ok(())
}

/// Makes sure `store` holds `artifact`'s bytes and chunk list: if it does not, fetches them
/// from the manifest's URIs, the on-chain `mirrors` and the user's `given` mirrors, checking
/// every chunk against the on-chain root, and
/// imports them. Blocking.
pub(crate) fn ensure_in_store(
	store: &LocalStore,
	artifact: &Artifact,
	rule: LeafRule,
	backends: &Backends,
	mirrors: &[String],
	given: &[String],
) -> Result<()> {
	if store.has(&artifact.sha256, artifact.size) {
		return Ok(());
	}
	let staging = tempfile::tempdir_in(store.root().join("tmp"))?;
	let located = locations(artifact, None, backends, mirrors, given, &[]);
	if located.locations.is_empty() && !located.refused.is_empty() {
		return Err(crate::exit::failed(
			crate::exit::Kind::Unreachable,
			format!(
				"{}: no URI of it may be read here: {}",
				view::text(&artifact.path),
				located.refused.join("; ")
			),
		));
	}
	// The file enters the store under its SHA-256, so that is checked too; the store then
	// copies it, so the staging copy goes through the page cache.
	install_artifact(
		artifact,
		rule,
		FileOptions {
			check_sha256: true,
			direct_io: false,
		},
		staging.path(),
		&located.locations,
		&ChunkIndex::default(),
		&|_| {},
		&|_| {},
	)?;
	let file = crate::transfer::target_path(staging.path(), artifact)?;
	let (size, leaves) = file_leaves(&file, artifact.chunk_size, rule, &|_| {})?;
	store.import(
		&file,
		&FileDigest {
			size,
			sha256: artifact.sha256,
			leaves,
		},
	)?;
	Ok(())
}
