//! `owh export <repo>@<ref> --format model-signing`: a signature bundle over the version's
//! files that OpenSSF's `model_signing verify key` checks, signed with a P-256 keystore key.

use super::print_json;
use crate::model::resolve::resolve;
use crate::{
	context::Context,
	keys::{passphrase, Keystore},
	model::refs::VersionSpec,
	model::signing::{bundle, is_git_path, statement, Resource},
	view,
};
use anyhow::{anyhow, bail, Result};
use clap::{Args, ValueEnum};
use serde_json::json;
use std::{io::Write, path::PathBuf};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportFormat {
	/// A Sigstore bundle (DSSE, in-toto statement) for the PyPI `model-signing` tool.
	ModelSigning,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
	/// The version: `<repo>@<alias|version>`, `<repo>` or a version id.
	pub version: VersionSpec,
	/// What to write.
	#[arg(long, value_enum)]
	pub format: ExportFormat,
	/// The bundle file. Verify with `model_signing verify key --signature <file>
	/// --public_key <pem> <model dir>`; inside the model directory it is ignored by name.
	#[arg(long, short = 'o', default_value = "model.sig")]
	pub output: PathBuf,
	/// Replace the output file if it exists.
	#[arg(long)]
	pub force: bool,
	/// Sign a yanked version anyway.
	#[arg(long)]
	pub allow_yanked: bool,
}

pub async fn run(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<()> {
	let ExportFormat::ModelSigning = args.format;
	let key_name = ctx.keys.key.as_deref().ok_or_else(|| {
		anyhow!("no signing key: pass --key <name> of a P-256 key (create one with `owh key generate --scheme p256`, or import a PEM with `owh key import --pem`)")
	})?;
	let bundle_name = args
		.output
		.file_name()
		.and_then(|n| n.to_str())
		.ok_or_else(|| anyhow!("-o must name a file"))?
		.to_string();
	if args.output.exists() && !args.force {
		bail!(
			"{} already exists; pass --force to replace it",
			args.output.display()
		);
	}
	let store = Keystore::open(&ctx.keystore)?;
	let stored = store.require(key_name)?;
	// Checked before the passphrase is asked for.
	if stored.scheme()? != crate::pjs::Scheme::P256 {
		bail!("key {key_name:?} is an sr25519 key; model-signing bundles need a P-256 key (owh key generate --scheme p256)");
	}

	let chain = ctx.chain().await?;
	let (id, info) = resolve(&chain, &args.version).await?;
	if let Some(yank) = &info.yanked {
		if !args.allow_yanked {
			bail!(
				"version {id} was yanked at block #{}: {:?}; pass --allow-yanked to sign it anyway",
				yank.block,
				view::text(&yank.reason)
			);
		}
	}
	let manifest = &info.record.manifest;
	let mut skipped = Vec::new();
	let mut resources = Vec::new();
	for artifact in manifest.artifacts.iter() {
		let name = view::text(&artifact.path);
		if is_git_path(&name) {
			skipped.push(name);
			continue;
		}
		resources.push(Resource {
			name,
			sha256: artifact.sha256,
		});
	}
	let files = resources.len();
	let subject = format!("{}@{id}", view::text(&manifest.repository));
	let statement = statement(&subject, resources, &bundle_name)?;
	let key = stored.p256(&passphrase(
		&format!("passphrase for key {key_name}"),
		false,
	)?)?;
	let text = bundle(&statement, &key)?;
	super::write_output(&args.output, text.as_bytes(), args.force)?;

	let digest = statement["subject"][0]["digest"]["sha256"]
		.as_str()
		.unwrap_or("");
	if ctx.json {
		print_json(
			out,
			&json!({
				"version": id.to_string(),
				"file": args.output,
				"files": files,
				"skipped": skipped,
				"subject_sha256": digest,
				"key": key_name,
				"public_key": stored.address,
			}),
		)?;
	} else {
		writeln!(
			out,
			"wrote a model-signing bundle for {subject} to {}",
			args.output.display()
		)?;
		writeln!(
			out,
			"  {files} file(s), subject sha256 {digest}, signed with P-256 key {key_name}"
		)?;
		if !skipped.is_empty() {
			writeln!(
				out,
				"  left out (model_signing ignores top-level git paths): {}",
				skipped.join(", ")
			)?;
		}
		writeln!(
			out,
			"verify: owh key export {key_name} --public -o {key_name}.pub && model_signing verify key --signature {} --public_key {key_name}.pub <model dir>",
			args.output.display()
		)?;
	}
	Ok(())
}
