//! `owh author-payload <version-id>`: the bytes an author signs to claim a version on this
//! chain, for a signer outside `owh` (a hardware wallet, polkadot.js, a CI key held elsewhere).
//! The signature then goes to `owh publish --author <account> --author-signature <hex>`.

use super::print_json;
use crate::{
	chain::author_payload,
	context::Context,
	model::refs::{hex_bytes, version_id},
};
use anyhow::Result;
use clap::Args;
use owh_primitives::registry::wrapped_payload;
use serde_json::json;
use std::io::Write;

#[derive(Args, Debug)]
pub struct AuthorPayloadArgs {
	/// The version id, as `owh publish --dry-run` prints it (bafkrei... or 64 hex digits).
	pub version: String,
	/// The chain's genesis hash as 64 hex digits, to prepare a payload without a node;
	/// by default it is read from the node at --url.
	#[arg(long)]
	pub genesis: Option<String>,
}

pub async fn run(ctx: &Context, args: &AuthorPayloadArgs, out: &mut dyn Write) -> Result<()> {
	let id = version_id(&args.version)?;
	let genesis = match &args.genesis {
		Some(text) => hex_bytes::<32>(text, "--genesis")?,
		None => ctx.chain().await?.genesis_hash(),
	};
	let payload = author_payload(&genesis, &id);
	let wrapped = wrapped_payload(&payload);
	if ctx.json {
		print_json(
			out,
			&json!({
				"version": id.to_string(),
				"genesis_hash": format!("0x{}", hex::encode(genesis)),
				"payload": format!("0x{}", hex::encode(&payload)),
				"wrapped_payload": format!("0x{}", hex::encode(&wrapped)),
			}),
		)
	} else {
		writeln!(out, "version       {id}")?;
		writeln!(out, "genesis hash  0x{}", hex::encode(genesis))?;
		writeln!(out, "payload       0x{}", hex::encode(&payload))?;
		writeln!(
			out,
			"Sign the payload (raw, or as polkadot.js signRaw does, wrapped in <Bytes>...</Bytes>) with the author's sr25519 key, then run\n  owh publish ... --author <account> --author-signature 0x<signature>"
		)?;
		Ok(())
	}
}
