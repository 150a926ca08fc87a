//! `owh key generate|import|export|list|show`.

use super::print_json;
use crate::{
	context::Context,
	keys::{check_secret_argument, generate_mnemonic, passphrase, stored_account, Keystore},
	pjs::{p256_from_pem, KeyJson, Scheme},
};
use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand};
use p256::pkcs8::{EncodePublicKey, LineEnding};
use serde_json::json;
use std::{
	io::{BufRead, Write},
	path::PathBuf,
};
use zeroize::Zeroizing;

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
	/// Create a new key (sr25519 from a fresh mnemonic, or P-256) and store it encrypted.
	Generate(GenerateArgs),
	/// Store an existing key: a secret URI on standard input, a polkadot.js JSON export, or a
	/// P-256 PEM private key.
	Import(ImportArgs),
	/// Write a stored key as polkadot.js JSON (sealed with its passphrase), or a P-256 public
	/// key as PEM.
	Export(ExportArgs),
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
	/// Key type: sr25519 signs chain transactions, p256 signs model-signing bundles.
	#[arg(long, default_value = "sr25519")]
	pub scheme: String,
	/// Mnemonic length (sr25519).
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
	/// A dev account such as //Alice. Other secrets are read from standard input, never
	/// taken as an argument.
	#[arg(long = "secret", conflicts_with_all = ["json_file", "pem"])]
	pub secret: Option<String>,
	/// A key exported from polkadot.js apps or the extension (its passphrase is asked for).
	#[arg(long = "json", value_name = "FILE", conflicts_with = "pem")]
	pub json_file: Option<PathBuf>,
	/// A P-256 private key in PEM (PKCS#8 or SEC1), as `openssl ecparam -genkey` writes it.
	#[arg(long, value_name = "FILE")]
	pub pem: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
	/// The stored key's name.
	pub name: String,
	/// Write to this file (mode 0600) instead of standard output.
	#[arg(long, short = 'o')]
	pub output: Option<PathBuf>,
	/// Only the public key, as SubjectPublicKeyInfo PEM (P-256 keys), for `model_signing
	/// verify key --public_key`.
	#[arg(long)]
	pub public: bool,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
	/// A stored key name; without it, the signing key from --suri, OWH_SURI or --key.
	pub name: Option<String>,
}

pub fn run(ctx: &Context, cmd: &KeyCommand, out: &mut dyn Write) -> Result<()> {
	match cmd {
		KeyCommand::Generate(args) => generate(ctx, args, out),
		KeyCommand::Import(args) => import(ctx, args, out),
		KeyCommand::Export(args) => export(ctx, args, out),
		KeyCommand::List => list(ctx, out),
		KeyCommand::Show(args) => show(ctx, args, out),
	}
}

fn new_passphrase(name: &str) -> Result<Zeroizing<String>> {
	passphrase(&format!("passphrase for the new key {name}"), true)
}

fn generate(ctx: &Context, args: &GenerateArgs, out: &mut dyn Write) -> Result<()> {
	let scheme: Scheme = args.scheme.parse()?;
	crate::keys::check_key_name(&args.name)?;
	let mut store = Keystore::open(&ctx.keystore)?;
	if store.get(&args.name).is_some() {
		bail!(
			"a key named {:?} already exists in {}; pick another --name",
			args.name,
			ctx.keystore.display()
		);
	}
	let (sealed, phrase) = match scheme {
		Scheme::Sr25519 => {
			let phrase = Zeroizing::new(generate_mnemonic(args.words)?);
			let pass = new_passphrase(&args.name)?;
			(
				KeyJson::seal_sr25519(&phrase, &pass, &args.name)?,
				Some(phrase),
			)
		}
		Scheme::P256 => {
			if args.show_secret {
				bail!("--show-secret applies to sr25519 mnemonics; a P-256 key has none to show");
			}
			let key = random_p256()?;
			let pass = new_passphrase(&args.name)?;
			(KeyJson::seal_p256(&key, &pass, &args.name)?, None)
		}
	};
	let key = store.add(&args.name, sealed)?;
	let shown = phrase.filter(|_| args.show_secret);
	if ctx.json {
		let mut v = json!({ "name": args.name, "scheme": scheme.name(), "address": key.address, "keystore": ctx.keystore });
		if let Some(phrase) = &shown {
			v["mnemonic"] = json!(phrase.as_str());
		}
		print_json(out, &v)?;
	} else {
		writeln!(
			out,
			"generated {} key {} with address {}",
			scheme.name(),
			args.name,
			key.address
		)?;
		writeln!(
			out,
			"stored encrypted in {} (mode 0600)",
			ctx.keystore.display()
		)?;
		if let Some(phrase) = &shown {
			writeln!(out, "mnemonic: {}", phrase.as_str())?;
		}
	}
	Ok(())
}

fn random_p256() -> Result<p256::ecdsa::SigningKey> {
	loop {
		let mut bytes = Zeroizing::new([0u8; 32]);
		getrandom::getrandom(&mut bytes[..]).map_err(|e| anyhow!("no random source: {e}"))?;
		// Zero or above the group order: about 2^-32 likely; draw again.
		if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&bytes[..]) {
			return Ok(key);
		}
	}
}

fn import(ctx: &Context, args: &ImportArgs, out: &mut dyn Write) -> Result<()> {
	crate::keys::check_key_name(&args.name)?;
	let sealed = if let Some(path) = &args.json_file {
		let text = std::fs::read_to_string(path)
			.with_context(|| format!("cannot read {}", path.display()))?;
		let key = KeyJson::parse(&text).with_context(|| format!("{}", path.display()))?;
		// Checks the passphrase and the stored public key before storing anything.
		let pass = passphrase(&format!("passphrase of {}", path.display()), false)?;
		match key.scheme()? {
			Scheme::Sr25519 => {
				key.sr25519(&pass)?;
			}
			Scheme::P256 => {
				key.p256(&pass)?;
			}
		}
		key
	} else if let Some(path) = &args.pem {
		let pem = Zeroizing::new(
			std::fs::read_to_string(path)
				.with_context(|| format!("cannot read {}", path.display()))?,
		);
		let key = p256_from_pem(&pem).with_context(|| format!("{}", path.display()))?;
		KeyJson::seal_p256(&key, &new_passphrase(&args.name)?, &args.name)?
	} else {
		let secret = match &args.secret {
			Some(s) => {
				check_secret_argument(s, "--secret")?;
				Zeroizing::new(s.clone())
			}
			None => {
				let mut line = Zeroizing::new(String::new());
				std::io::stdin().lock().read_line(&mut line)?;
				Zeroizing::new(line.trim().to_string())
			}
		};
		if secret.is_empty() {
			bail!("no secret given: write the secret URI on standard input, pass --json <file> or --pem <file>");
		}
		crate::keys::keypair_from_suri(&secret)?;
		KeyJson::seal_sr25519(&secret, &new_passphrase(&args.name)?, &args.name)?
	};
	let mut store = Keystore::open(&ctx.keystore)?;
	let key = store.add(&args.name, sealed)?;
	let scheme = key.scheme()?.name();
	if ctx.json {
		print_json(
			out,
			&json!({ "name": args.name, "scheme": scheme, "address": key.address }),
		)?;
	} else {
		writeln!(
			out,
			"imported {scheme} key {} with address {}",
			args.name, key.address
		)?;
	}
	Ok(())
}

fn export(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> Result<()> {
	let store = Keystore::open(&ctx.keystore)?;
	let key = store.require(&args.name)?;
	let text = if args.public {
		if key.scheme()? != Scheme::P256 {
			bail!("--public exports P-256 keys; an sr25519 key's public key is its address (owh key show {})", args.name);
		}
		p256_public_pem(key)?
	} else {
		let mut text = serde_json::to_string_pretty(key)?;
		text.push('\n');
		text
	};
	match &args.output {
		Some(path) => {
			write_new_file(path, text.as_bytes(), !args.public)?;
			if ctx.json {
				print_json(
					out,
					&json!({ "name": args.name, "file": path, "public": args.public }),
				)?;
			} else {
				writeln!(
					out,
					"wrote {} of key {} to {}",
					if args.public {
						"the public key"
					} else {
						"the encrypted key"
					},
					args.name,
					path.display()
				)?;
			}
		}
		None => out.write_all(text.as_bytes())?,
	}
	Ok(())
}

/// The SubjectPublicKeyInfo PEM of a stored P-256 key, from its stored public point.
pub fn p256_public_pem(key: &KeyJson) -> Result<String> {
	let point = hex::decode(key.address.trim_start_matches("0x"))
		.map_err(|_| anyhow!("stored public key {} is not hex", key.address))?;
	let public = p256::PublicKey::from_sec1_bytes(&point)
		.map_err(|_| anyhow!("stored public key {} is not a P-256 point", key.address))?;
	public
		.to_public_key_pem(LineEnding::LF)
		.map_err(|e| anyhow!("cannot encode the public key: {e}"))
}

/// Writes a file that must not exist yet (mode 0600 when `secret`).
fn write_new_file(path: &std::path::Path, bytes: &[u8], secret: bool) -> Result<()> {
	use std::os::unix::fs::OpenOptionsExt;
	let mut file = std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(if secret { 0o600 } else { 0o644 })
		.open(path)
		.map_err(|e| {
			if e.kind() == std::io::ErrorKind::AlreadyExists {
				anyhow!(
					"{} already exists; remove it or pick another -o",
					path.display()
				)
			} else {
				anyhow!("cannot create {}: {e}", path.display())
			}
		})?;
	file.write_all(bytes)?;
	file.sync_all()?;
	Ok(())
}

fn list(ctx: &Context, out: &mut dyn Write) -> Result<()> {
	let store = Keystore::open(&ctx.keystore)?;
	let scheme = |k: &KeyJson| k.scheme().map(Scheme::name).unwrap_or("unknown");
	if ctx.json {
		let keys: Vec<_> = store
			.keys()
			.iter()
			.map(|k| json!({ "name": k.name(), "scheme": scheme(k), "address": k.address }))
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
			writeln!(
				out,
				"{:<20} {:<8} {}",
				k.name().unwrap_or("?"),
				scheme(k),
				k.address
			)?;
		}
	}
	Ok(())
}

fn show(ctx: &Context, args: &ShowArgs, out: &mut dyn Write) -> Result<()> {
	let (name, account) = match &args.name {
		Some(name) => {
			let store = Keystore::open(&ctx.keystore)?;
			let key = store.require(name)?;
			if key.scheme()? == Scheme::P256 {
				let pem = p256_public_pem(key)?;
				if ctx.json {
					print_json(
						out,
						&json!({ "name": name, "scheme": "p256", "public_key": key.address, "pem": pem }),
					)?;
				} else {
					writeln!(out, "name        {name}")?;
					writeln!(out, "scheme      p256")?;
					writeln!(out, "public key  {}", key.address)?;
					write!(out, "{pem}")?;
				}
				return Ok(());
			}
			(name.clone(), stored_account(key)?)
		}
		None => ("(signing key)".to_string(), ctx.keys.account()?),
	};
	if ctx.json {
		print_json(
			out,
			&json!({ "name": name, "scheme": "sr25519", "address": account.to_string(), "public_key": format!("0x{}", hex::encode(account.0)) }),
		)?;
	} else {
		writeln!(out, "name        {name}")?;
		writeln!(out, "scheme      sr25519")?;
		writeln!(out, "address     {account}")?;
		writeln!(out, "public key  0x{}", hex::encode(account.0))?;
	}
	Ok(())
}
