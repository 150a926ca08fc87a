//! The polkadot.js JSON key format (`KeyringPair$Json`, version 3): a PKCS#8-like body sealed
//! with scrypt and xsalsa20-poly1305. Files written here import into polkadot.js apps and the
//! browser extension as they are, and their exports import here.
//!
//! `encoded` = base64(salt 32 ‖ N, p, r as u32 LE ‖ nonce 24 ‖ tag 16 ‖ ciphertext). The body is
//! `HEADER ‖ secret 64 ‖ DIVIDER ‖ public 32` for sr25519 (the secret in schnorrkel's ed25519
//! form: key × cofactor ‖ nonce). P-256 keys, which polkadot.js does not know, use the same
//! envelope with content `["pkcs8", "p256"]` and a real PKCS#8 document as the body.

use anyhow::{anyhow, bail, Context as _, Result};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use crypto_secretbox::{aead::Aead, KeyInit, XSalsa20Poly1305};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::str::FromStr;
use subxt_signer::{sr25519::Keypair, ExposeSecret, SecretUri};
use zeroize::Zeroizing;

const HEADER: [u8; 16] = [
	0x30, 0x53, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
const DIVIDER: [u8; 5] = [0xa1, 0x23, 0x03, 0x21, 0x00];
const SALT_LEN: usize = 32;
const PARAMS_LEN: usize = 12;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const SEALED_HEADER: usize = SALT_LEN + PARAMS_LEN + NONCE_LEN;
/// The scrypt parameters (log2 N, p, r) of our exports: the only ones every polkadot.js
/// release accepts (32 MiB of memory).
pub const EXPORT_PARAMS: (u8, u32, u32) = (15, 1, 8);
/// The (N, p, r) triples polkadot.js 14 accepts; anything else is refused before scrypt runs.
const ALLOWED_PARAMS: [(u32, u32, u32); 6] = [
	(1 << 13, 10, 8),
	(1 << 14, 5, 8),
	(1 << 15, 3, 8),
	(1 << 15, 1, 8),
	(1 << 16, 2, 8),
	(1 << 17, 1, 8),
];

/// The key types the keystore holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
	/// Chain accounts (extrinsics, attestations).
	Sr25519,
	/// ECDSA over NIST P-256, for OpenSSF model-signing bundles.
	P256,
}

impl Scheme {
	pub fn name(self) -> &'static str {
		match self {
			Scheme::Sr25519 => "sr25519",
			Scheme::P256 => "p256",
		}
	}
}

impl FromStr for Scheme {
	type Err = anyhow::Error;
	fn from_str(s: &str) -> Result<Self> {
		match s {
			"sr25519" => Ok(Scheme::Sr25519),
			"p256" => Ok(Scheme::P256),
			other => bail!("unsupported key type {other:?}: owh keeps sr25519 and p256 keys"),
		}
	}
}

/// One key in the polkadot.js JSON format.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeyJson {
	pub encoded: String,
	pub encoding: Encoding,
	pub address: String,
	#[serde(default)]
	pub meta: Map<String, Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Encoding {
	pub content: Vec<String>,
	/// A list (`["scrypt", "xsalsa20-poly1305"]`), or a single string in older exports.
	#[serde(rename = "type")]
	pub kind: Value,
	pub version: String,
}

impl KeyJson {
	/// Parses one exported key, refusing batch exports and unencrypted ones with a hint.
	pub fn parse(text: &str) -> Result<Self> {
		let key: KeyJson =
			serde_json::from_str(text).map_err(|e| anyhow!("not a polkadot.js key file ({e})"))?;
		if key.encoding.content.iter().any(|c| c == "batch-pkcs8") {
			bail!("this is a batch export of several accounts; export each account on its own in polkadot.js and import them one by one");
		}
		if key.encoding.version != "3"
			|| key.encoding.content.first().map(String::as_str) != Some("pkcs8")
		{
			bail!(
				"unsupported key file encoding (version {:?}, content {:?}); export it again from a current polkadot.js",
				key.encoding.version,
				key.encoding.content
			);
		}
		let kinds: Vec<&str> = match &key.encoding.kind {
			Value::String(s) => vec![s.as_str()],
			Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
			_ => Vec::new(),
		};
		if !(kinds.contains(&"scrypt") && kinds.contains(&"xsalsa20-poly1305")) {
			bail!("the key file is not encrypted (type {kinds:?}); export it with a password");
		}
		key.scheme()?;
		Ok(key)
	}

	/// The key type, from `encoding.content[1]`.
	pub fn scheme(&self) -> Result<Scheme> {
		let name = self
			.encoding
			.content
			.get(1)
			.map(String::as_str)
			.unwrap_or("");
		name.parse()
	}

	/// The key's name in `meta.name`, if any.
	pub fn name(&self) -> Option<&str> {
		self.meta.get("name").and_then(Value::as_str)
	}

	pub fn set_name(&mut self, name: &str) {
		self.meta.insert("name".into(), json!(name));
	}

	/// Seals an sr25519 key given as a secret URI (mnemonic, hex seed, derivation paths).
	pub fn seal_sr25519(suri: &str, passphrase: &str, name: &str) -> Result<Self> {
		let (secret, public) = sr25519_secret(suri)?;
		let mut body = Zeroizing::new(Vec::with_capacity(117));
		body.extend_from_slice(&HEADER);
		body.extend_from_slice(&secret[..]);
		body.extend_from_slice(&DIVIDER);
		body.extend_from_slice(&public);
		let address = subxt::utils::AccountId32(public).to_string();
		Ok(Self::new(
			Scheme::Sr25519,
			seal(&body, passphrase)?,
			address,
			name,
		))
	}

	/// Seals a P-256 signing key; the body is its PKCS#8 document.
	pub fn seal_p256(key: &p256::ecdsa::SigningKey, passphrase: &str, name: &str) -> Result<Self> {
		let doc = key
			.to_pkcs8_der()
			.map_err(|e| anyhow!("cannot encode the P-256 key: {e}"))?;
		let address = p256_address(key.verifying_key());
		Ok(Self::new(
			Scheme::P256,
			seal(doc.as_bytes(), passphrase)?,
			address,
			name,
		))
	}

	fn new(scheme: Scheme, sealed: Vec<u8>, address: String, name: &str) -> Self {
		let when_created = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.as_millis() as u64)
			.unwrap_or(0);
		let mut meta = Map::new();
		meta.insert("name".into(), json!(name));
		meta.insert("genesisHash".into(), json!(""));
		meta.insert("whenCreated".into(), json!(when_created));
		KeyJson {
			encoded: STANDARD.encode(sealed),
			encoding: Encoding {
				content: vec!["pkcs8".into(), scheme.name().into()],
				kind: json!(["scrypt", "xsalsa20-poly1305"]),
				version: "3".into(),
			},
			address,
			meta,
		}
	}

	/// Opens an sr25519 key: the pair that signs extrinsics.
	pub fn sr25519(&self, passphrase: &str) -> Result<Keypair> {
		if self.scheme()? != Scheme::Sr25519 {
			bail!(
				"key {} is a P-256 key; chain transactions need an sr25519 key",
				self.label()
			);
		}
		// Checked here: the decoder indexes the first bytes unguarded and runs scrypt with
		// whatever parameters it finds.
		let sealed = self.sealed()?;
		check_params(&sealed)?;
		let text = serde_json::to_string(self)?;
		subxt_signer::polkadot_js_compat::decrypt_json(&text, passphrase).map_err(|e| match e {
			subxt_signer::polkadot_js_compat::Error::Secretbox(_) => wrong_passphrase(self),
			other => anyhow!("cannot open key {}: {other}", self.label()),
		})
	}

	/// Opens a P-256 key and checks it against the stored public key.
	pub fn p256(&self, passphrase: &str) -> Result<p256::ecdsa::SigningKey> {
		if self.scheme()? != Scheme::P256 {
			bail!(
				"key {} is an sr25519 key; model-signing bundles need a P-256 key (owh key generate --scheme p256)",
				self.label()
			);
		}
		let body = open(&self.sealed()?, passphrase).map_err(|_| wrong_passphrase(self))?;
		let key = p256::ecdsa::SigningKey::from_pkcs8_der(&body)
			.map_err(|e| anyhow!("key {} holds no valid P-256 key: {e}", self.label()))?;
		if p256_address(key.verifying_key()) != self.address {
			bail!(
				"key {} does not match its stored public key; the file was altered",
				self.label()
			);
		}
		Ok(key)
	}

	fn sealed(&self) -> Result<Vec<u8>> {
		let bytes = STANDARD
			.decode(self.encoded.trim())
			.with_context(|| format!("key {}: `encoded` is not base64", self.label()))?;
		if bytes.len() < SEALED_HEADER + TAG_LEN {
			bail!(
				"key {}: `encoded` is truncated ({} bytes)",
				self.label(),
				bytes.len()
			);
		}
		Ok(bytes)
	}

	fn label(&self) -> String {
		match self.name() {
			Some(name) => format!("{name:?}"),
			None => self.address.clone(),
		}
	}
}

fn wrong_passphrase(key: &KeyJson) -> anyhow::Error {
	anyhow!(
		"wrong passphrase for key {}: set OWH_PASSPHRASE to the one it was stored with, or type it at the prompt",
		key.label()
	)
}

/// The public identity of a P-256 key: `0x` + its compressed SEC1 point.
pub fn p256_address(key: &p256::ecdsa::VerifyingKey) -> String {
	format!("0x{}", hex::encode(key.to_encoded_point(true).as_bytes()))
}

/// Reads a PEM private key as PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`).
pub fn p256_from_pem(pem: &str) -> Result<p256::ecdsa::SigningKey> {
	if let Ok(key) = p256::ecdsa::SigningKey::from_pkcs8_pem(pem) {
		return Ok(key);
	}
	use p256::elliptic_curve::SecretKey;
	let secret = SecretKey::<p256::NistP256>::from_sec1_pem(pem).map_err(|_| {
		anyhow!("not a P-256 private key in PEM (PKCS#8 `BEGIN PRIVATE KEY` or SEC1 `BEGIN EC PRIVATE KEY`); an encrypted PEM must be decrypted first (openssl pkcs8 -topk8 -nocrypt)")
	})?;
	Ok(p256::ecdsa::SigningKey::from(secret))
}

/// Seals `body` under `passphrase` with fresh salt and nonce.
fn seal(body: &[u8], passphrase: &str) -> Result<Vec<u8>> {
	let mut salt = [0u8; SALT_LEN];
	let mut nonce = [0u8; NONCE_LEN];
	getrandom::getrandom(&mut salt).map_err(|e| anyhow!("no random source: {e}"))?;
	getrandom::getrandom(&mut nonce).map_err(|e| anyhow!("no random source: {e}"))?;
	seal_with(body, passphrase, &salt, &nonce, EXPORT_PARAMS)
}

fn seal_with(
	body: &[u8],
	passphrase: &str,
	salt: &[u8; SALT_LEN],
	nonce: &[u8; NONCE_LEN],
	(log_n, p, r): (u8, u32, u32),
) -> Result<Vec<u8>> {
	let key = derive_key(passphrase, salt, log_n, p, r)?;
	let cipher = XSalsa20Poly1305::new((&*key).into());
	let sealed = cipher
		.encrypt(nonce.into(), body)
		.map_err(|_| anyhow!("encryption failed"))?;
	let mut out = Vec::with_capacity(SEALED_HEADER + sealed.len());
	out.extend_from_slice(salt);
	out.extend_from_slice(&(1u32 << log_n).to_le_bytes());
	out.extend_from_slice(&p.to_le_bytes());
	out.extend_from_slice(&r.to_le_bytes());
	out.extend_from_slice(nonce);
	out.extend_from_slice(&sealed);
	Ok(out)
}

fn le_u32(bytes: &[u8], at: usize) -> u32 {
	u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Refuses scrypt parameters polkadot.js would not accept (and that could exhaust memory).
fn check_params(sealed: &[u8]) -> Result<(u8, u32, u32)> {
	let (n, p, r) = (
		le_u32(sealed, SALT_LEN),
		le_u32(sealed, SALT_LEN + 4),
		le_u32(sealed, SALT_LEN + 8),
	);
	if !ALLOWED_PARAMS.contains(&(n, p, r)) {
		bail!("unsupported scrypt parameters N={n}, p={p}, r={r}; polkadot.js allows {ALLOWED_PARAMS:?}");
	}
	Ok((n.trailing_zeros() as u8, p, r))
}

/// Opens a sealed body; fails on a wrong passphrase or any changed byte.
fn open(sealed: &[u8], passphrase: &str) -> Result<Zeroizing<Vec<u8>>> {
	if sealed.len() < SEALED_HEADER + TAG_LEN {
		bail!("sealed key is truncated");
	}
	let (log_n, p, r) = check_params(sealed)?;
	let salt = &sealed[..SALT_LEN];
	let nonce = &sealed[SALT_LEN + PARAMS_LEN..SEALED_HEADER];
	let key = derive_key(passphrase, salt, log_n, p, r)?;
	let cipher = XSalsa20Poly1305::new((&*key).into());
	let body = cipher
		.decrypt(nonce.into(), &sealed[SEALED_HEADER..])
		.map_err(|_| anyhow!("wrong passphrase, or the key file was altered"))?;
	Ok(Zeroizing::new(body))
}

fn derive_key(
	passphrase: &str,
	salt: &[u8],
	log_n: u8,
	p: u32,
	r: u32,
) -> Result<Zeroizing<[u8; 32]>> {
	let params = scrypt::Params::new(log_n, r, p, 32).map_err(|e| anyhow!("scrypt: {e}"))?;
	let mut key = Zeroizing::new([0u8; 32]);
	scrypt::scrypt(passphrase.as_bytes(), salt, &params, &mut key[..])
		.map_err(|e| anyhow!("scrypt: {e}"))?;
	Ok(key)
}

/// The 64-byte secret (schnorrkel's ed25519 form, as polkadot.js stores it) and the public key
/// of an sr25519 secret URI, derived exactly as subxt-signer's `Keypair::from_uri` does.
fn sr25519_secret(suri: &str) -> Result<(Zeroizing<[u8; 64]>, [u8; 32])> {
	use schnorrkel::{
		derive::{ChainCode, Derivation},
		ExpansionMode, MiniSecretKey,
	};
	let uri = SecretUri::from_str(suri.trim()).map_err(|e| {
		anyhow!("invalid secret URI ({e}); use a mnemonic phrase or a dev account such as //Alice")
	})?;
	let phrase = uri.phrase.expose_secret();
	let mut seed = Zeroizing::new([0u8; 32]);
	if let Some(hex_seed) = phrase.strip_prefix("0x") {
		let bytes = Zeroizing::new(
			hex::decode(hex_seed).map_err(|_| anyhow!("a 0x seed must be 64 hex digits"))?,
		);
		if bytes.len() != 32 {
			bail!("a 0x seed must be 64 hex digits");
		}
		seed.copy_from_slice(&bytes);
	} else {
		let mnemonic = subxt_signer::bip39::Mnemonic::from_str(phrase)
			.map_err(|e| anyhow!("invalid mnemonic: {e}"))?;
		let (entropy, len) = mnemonic.to_entropy_array();
		let entropy = Zeroizing::new(entropy);
		let salt = Zeroizing::new(format!(
			"mnemonic{}",
			uri.password
				.as_ref()
				.map(|p| p.expose_secret())
				.unwrap_or("")
		));
		let mut big = Zeroizing::new([0u8; 64]);
		pbkdf2::pbkdf2::<hmac::Hmac<sha2::Sha512>>(
			&entropy[..len],
			salt.as_bytes(),
			2048,
			&mut big[..],
		)
		.map_err(|e| anyhow!("seed derivation: {e}"))?;
		seed.copy_from_slice(&big[..32]);
	}
	let mini = MiniSecretKey::from_bytes(&seed[..]).map_err(|e| anyhow!("invalid seed: {e}"))?;
	let secret = uri
		.junctions
		.iter()
		.fold(mini.expand(ExpansionMode::Ed25519), |acc, j| {
			if j.is_soft() {
				acc.derived_key_simple(ChainCode(*j.inner()), []).0
			} else {
				acc.hard_derive_mini_secret_key(Some(ChainCode(*j.inner())), b"")
					.0
					.expand(ExpansionMode::Ed25519)
			}
		});
	let public = secret.to_public().to_bytes();
	Ok((Zeroizing::new(secret.to_ed25519_bytes()), public))
}

#[cfg(test)]
mod tests {
	use super::*;

	const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

	#[test]
	fn sealing_alice_matches_polkadot_js_byte_for_byte() {
		// `pair.toJson('test')` from @polkadot/keyring 14.0.3 with salt 32×0x11, nonce 24×0x22,
		// N = 2^15, p = 1, r = 8.
		let expected = "EREREREREREREREREREREREREREREREREREREREREREAgAAAAQAAAAgAAAAiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiLIUyNPNMcuL3CKYFwJOGzLY9Keqd+uPw/N+UPJOKGHXHqAli5AVv1sKo9YCnG0FLi8qQM7a3Gi8KASr6QrccFCu/Ym6nq88yDRk9VqH4V63+ylsSnRz/Ivy2MmvDYjW1kJID9fe+2kGV8GM8P7XDbAvyQ6Ybo+nA3zs4IgARTQ81Gz1nZZ";
		let (secret, public) = sr25519_secret("//Alice").unwrap();
		let mut body = HEADER.to_vec();
		body.extend_from_slice(&secret[..]);
		body.extend_from_slice(&DIVIDER);
		body.extend_from_slice(&public);
		let sealed = seal_with(&body, "test", &[0x11; 32], &[0x22; 24], EXPORT_PARAMS).unwrap();
		assert_eq!(STANDARD.encode(&sealed), expected);
		assert_eq!(&*open(&sealed, "test").unwrap(), &body);
	}

	#[test]
	fn derived_keys_match_subxt_signer() {
		for suri in [
			"//Alice",
			"//Alice/stash",
			"//Bob//0/soft",
			"bottom drive obey lake curtain smoke basket hold race lonely fit walk///pw",
			"0x0000000000000000000000000000000000000000000000000000000000000001//x",
		] {
			let key = KeyJson::seal_sr25519(suri, "pw", "k").unwrap();
			let expected = crate::keys::keypair_from_suri(suri).unwrap().public_key().0;
			assert_eq!(
				key.address,
				subxt::utils::AccountId32(expected).to_string(),
				"{suri}"
			);
			let pair = key.sr25519("pw").unwrap();
			assert_eq!(pair.public_key().0, expected, "{suri}");
		}
	}

	#[test]
	fn wrong_passphrase_and_altered_files_are_refused() {
		let key = KeyJson::seal_sr25519("//Alice", "right", "alice").unwrap();
		assert_eq!(key.address, ALICE);
		let err = key.sr25519("wrong").unwrap_err().to_string();
		assert!(err.contains("wrong passphrase for key \"alice\""), "{err}");
		let mut sealed = STANDARD.decode(&key.encoded).unwrap();
		let last = sealed.len() - 1;
		sealed[last] ^= 1;
		let mut altered = key.clone();
		altered.encoded = STANDARD.encode(&sealed);
		assert!(altered.sr25519("right").is_err());
		let mut short = key.clone();
		short.encoded = STANDARD.encode([0u8; 40]);
		assert!(short
			.sr25519("right")
			.unwrap_err()
			.to_string()
			.contains("truncated"));
		// N = 2^20 would cost a gigabyte of memory: refused before scrypt runs.
		let mut sealed = STANDARD.decode(&key.encoded).unwrap();
		sealed[32..36].copy_from_slice(&(1u32 << 20).to_le_bytes());
		let mut greedy = key.clone();
		greedy.encoded = STANDARD.encode(&sealed);
		assert!(greedy
			.sr25519("right")
			.unwrap_err()
			.to_string()
			.contains("scrypt parameters"));
	}

	#[test]
	fn reads_keys_sealed_with_the_polkadot_js_14_default() {
		// polkadot.js 14 exports with N = 2^17; the polkadot.js suite imports a real one.
		let (secret, public) = sr25519_secret("//Bob").unwrap();
		let mut body = HEADER.to_vec();
		body.extend_from_slice(&secret[..]);
		body.extend_from_slice(&DIVIDER);
		body.extend_from_slice(&public);
		let sealed = seal_with(&body, "whoisbob", &[3; 32], &[4; 24], (17, 1, 8)).unwrap();
		let mut key = KeyJson::seal_sr25519("//Bob", "x", "Bob").unwrap();
		key.encoded = STANDARD.encode(&sealed);
		let key = KeyJson::parse(&serde_json::to_string(&key).unwrap()).unwrap();
		assert_eq!(key.name(), Some("Bob"));
		let pair = key.sr25519("whoisbob").unwrap();
		assert_eq!(
			subxt::utils::AccountId32(pair.public_key().0).to_string(),
			key.address
		);
	}

	#[test]
	fn p256_keys_round_trip_and_bad_files_are_named() {
		let sk = p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
		let key = KeyJson::seal_p256(&sk, "pw", "release").unwrap();
		assert_eq!(key.scheme().unwrap(), Scheme::P256);
		assert_eq!(key.p256("pw").unwrap(), sk);
		assert!(key.sr25519("pw").unwrap_err().to_string().contains("P-256"));
		assert!(key
			.p256("nope")
			.unwrap_err()
			.to_string()
			.contains("wrong passphrase"));
		let pem = sk.to_pkcs8_pem(p256::pkcs8::LineEnding::LF).unwrap();
		assert_eq!(p256_from_pem(&pem).unwrap(), sk);
		assert!(
			p256_from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
				.is_err()
		);
		assert!(KeyJson::parse("{}")
			.unwrap_err()
			.to_string()
			.contains("not a polkadot.js key file"));
		let plain = r#"{"encoded":"AA==","encoding":{"content":["pkcs8","sr25519"],"type":["none"],"version":"3"},"address":"x"}"#;
		assert!(KeyJson::parse(plain)
			.unwrap_err()
			.to_string()
			.contains("not encrypted"));
		let batch = r#"{"encoded":"AA==","encoding":{"content":["batch-pkcs8"],"type":["scrypt","xsalsa20-poly1305"],"version":"3"},"address":"x"}"#;
		assert!(KeyJson::parse(batch)
			.unwrap_err()
			.to_string()
			.contains("batch export"));
	}
}
