//! `owh key generate|import|list|show`.

use super::print_json;
use crate::{
	context::Context,
	keys::{account_of, generate_mnemonic, keypair_from_suri, Keystore},
};
use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use serde_json::json;
use std::io::{BufRead, Write};

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
	/// Create a new sr25519 key from a fresh mnemonic and store it.
	Generate(GenerateArgs),
	/// Store an existing key given as a secret URI (mnemonic, or //Alice on dev chains).
	Import(ImportArgs),
	/// List stored keys.
	List,
	/// Show a key's address (a stored name, or the signing key from --suri/--key).
	Show(ShowArgs),
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
	/// Name to store the key under.
	#[arg(long)]
	pub name: String,
	/// Mnemonic length.
	#[arg(long, default_value_t = 12)]
	pub words: usize,
	/// Also print the mnemonic (write it down; it is the only backup).
	#[arg(long)]
	pub show_secret: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
	/// Name to store the key under.
	#[arg(long)]
	pub name: String,
	/// The secret URI. Without it, one line is read from standard input (keeps it out of the
	/// shell history).
	#[arg(long = "secret")]
	pub secret: Option<String>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
	/// A stored key name; without it, the signing key from --suri, OWH_SURI or --key.
	pub name: Option<String>,
}

pub fn run(ctx: &Context, cmd: &KeyCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		KeyCommand::Generate(args) => {
			let phrase = generate_mnemonic(args.words)?;
			let mut store = Keystore::open(&ctx.keystore)?;
			let key = store.add(&args.name, &phrase)?;
			if ctx.json {
				let mut v =
					json!({ "name": key.name, "address": key.address, "keystore": ctx.keystore });
				if args.show_secret {
					v["mnemonic"] = json!(phrase);
				}
				print_json(out, &v)?;
			} else {
				writeln!(
					out,
					"generated key {} with address {}",
					key.name, key.address
				)?;
				writeln!(out, "stored in {} (mode 0600)", ctx.keystore.display())?;
				if args.show_secret {
					writeln!(out, "mnemonic: {phrase}")?;
				}
			}
		}
		KeyCommand::Import(args) => {
			let secret = match &args.secret {
				Some(s) => s.clone(),
				None => {
					let mut line = String::new();
					std::io::stdin().lock().read_line(&mut line)?;
					line.trim().to_string()
				}
			};
			if secret.is_empty() {
				bail!("no secret given: pass --secret <uri> or write it on standard input");
			}
			let mut store = Keystore::open(&ctx.keystore)?;
			let key = store.add(&args.name, &secret)?;
			if ctx.json {
				print_json(out, &json!({ "name": key.name, "address": key.address }))?;
			} else {
				writeln!(
					out,
					"imported key {} with address {}",
					key.name, key.address
				)?;
			}
		}
		KeyCommand::List => {
			let store = Keystore::open(&ctx.keystore)?;
			if ctx.json {
				let keys: Vec<_> = store
					.keys()
					.iter()
					.map(|k| json!({ "name": k.name, "scheme": k.scheme, "address": k.address }))
					.collect();
				print_json(out, &json!(keys))?;
			} else if store.keys().is_empty() {
				writeln!(
					out,
					"no keys in {}; create one with `owh key generate --name <name>`",
					ctx.keystore.display()
				)?;
			} else {
				for k in store.keys() {
					writeln!(out, "{:<20} {:<8} {}", k.name, k.scheme, k.address)?;
				}
			}
		}
		KeyCommand::Show(args) => {
			let (name, pair) = match &args.name {
				Some(name) => {
					let store = Keystore::open(&ctx.keystore)?;
					let key = store
						.get(name)
						.ok_or_else(|| anyhow!("no key named {name:?}; see `owh key list`"))?;
					(name.clone(), keypair_from_suri(&key.suri)?)
				}
				None => ("(signing key)".to_string(), ctx.keys.signer()?),
			};
			let account = account_of(&pair);
			if ctx.json {
				print_json(
					out,
					&json!({ "name": name, "address": account.to_string(), "public_key": format!("0x{}", hex::encode(account.0)) }),
				)?;
			} else {
				writeln!(out, "name        {name}")?;
				writeln!(out, "address     {account}")?;
				writeln!(out, "public key  0x{}", hex::encode(account.0))?;
			}
		}
	}
	Ok(())
}
