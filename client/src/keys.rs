//! Signing keys: a keystore file (0600), secret URIs (`//Alice`, mnemonics) and account parsing.

use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::{
	fs,
	io::Write,
	path::{Path, PathBuf},
	str::FromStr,
};
use subxt::utils::AccountId32;
use subxt_signer::{bip39::Mnemonic, sr25519::Keypair, SecretUri};

/// One stored key. The secret is a secret URI: a mnemonic, optionally with derivation paths.
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredKey {
	pub name: String,
	pub scheme: String,
	pub suri: String,
	pub address: String,
}

/// The keystore file: a JSON list of keys, readable by its owner only.
pub struct Keystore {
	path: PathBuf,
	keys: Vec<StoredKey>,
}

/// The default keystore path: `<config dir>/owh/keystore.json`.
pub fn default_keystore_path() -> Result<PathBuf> {
	let dirs = directories::ProjectDirs::from("org", "OpenWeightHub", "owh")
		.ok_or_else(|| anyhow!("cannot find a home directory; pass --keystore <file>"))?;
	Ok(dirs.config_dir().join("keystore.json"))
}

/// Parses a secret URI into an sr25519 key pair.
pub fn keypair_from_suri(suri: &str) -> Result<Keypair> {
	let uri = SecretUri::from_str(suri.trim()).map_err(|e| {
		anyhow!("invalid secret URI ({e}); use a mnemonic phrase or a dev account such as //Alice")
	})?;
	Keypair::from_uri(&uri).map_err(|e| anyhow!("cannot derive a key from the secret URI: {e}"))
}

/// The account id of a key pair.
pub fn account_of(pair: &Keypair) -> AccountId32 {
	pair.public_key().to_account_id()
}

/// Checks that a key name is short and printable.
pub fn check_key_name(name: &str) -> Result<()> {
	if name.is_empty()
		|| name.len() > 64
		|| !name
			.chars()
			.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
	{
		bail!("invalid key name {name:?}: use 1-64 letters, digits, '-', '_' or '.'");
	}
	Ok(())
}

impl Keystore {
	/// Opens the keystore at `path`; a missing file is an empty keystore.
	pub fn open(path: &Path) -> Result<Self> {
		let keys = match fs::read(path) {
			Ok(bytes) => serde_json::from_slice(&bytes)
				.with_context(|| format!("keystore {} is not valid JSON", path.display()))?,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
			Err(e) => {
				return Err(e).with_context(|| format!("cannot read keystore {}", path.display()))
			}
		};
		Ok(Self {
			path: path.to_path_buf(),
			keys,
		})
	}

	pub fn path(&self) -> &Path {
		&self.path
	}

	pub fn keys(&self) -> &[StoredKey] {
		&self.keys
	}

	pub fn get(&self, name: &str) -> Option<&StoredKey> {
		self.keys.iter().find(|k| k.name == name)
	}

	/// Adds a key and saves the keystore. Refuses to overwrite an existing name.
	pub fn add(&mut self, name: &str, suri: &str) -> Result<StoredKey> {
		check_key_name(name)?;
		if self.get(name).is_some() {
			bail!(
				"a key named {name:?} already exists in {}; pick another --name",
				self.path.display()
			);
		}
		let pair = keypair_from_suri(suri)?;
		let key = StoredKey {
			name: name.to_string(),
			scheme: "sr25519".into(),
			suri: suri.trim().to_string(),
			address: account_of(&pair).to_string(),
		};
		self.keys.push(key.clone());
		self.save()?;
		Ok(key)
	}

	/// Writes the keystore atomically with mode 0600.
	fn save(&self) -> Result<()> {
		let dir = self
			.path
			.parent()
			.filter(|p| !p.as_os_str().is_empty())
			.unwrap_or(Path::new("."));
		fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
		let mut tmp = tempfile::NamedTempFile::new_in(dir)
			.with_context(|| format!("cannot write in {}", dir.display()))?;
		set_owner_only(tmp.path())?;
		tmp.write_all(&serde_json::to_vec_pretty(&self.keys)?)?;
		tmp.as_file().sync_all()?;
		tmp.persist(&self.path)
			.with_context(|| format!("cannot write keystore {}", self.path.display()))?;
		Ok(())
	}
}

#[cfg(unix)]
fn set_owner_only(path: &Path) -> Result<()> {
	use std::os::unix::fs::PermissionsExt;
	fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
	Ok(())
}

#[cfg(not(unix))]
fn set_owner_only(_path: &Path) -> Result<()> {
	Ok(())
}

/// A fresh 12- or 24-word mnemonic from the operating system's random source.
pub fn generate_mnemonic(words: usize) -> Result<String> {
	let mut entropy = [0u8; 32];
	let len = match words {
		12 => 16,
		24 => 32,
		_ => bail!("--words must be 12 or 24, not {words}"),
	};
	getrandom::getrandom(&mut entropy[..len]).map_err(|e| anyhow!("no random source: {e}"))?;
	let phrase = Mnemonic::from_entropy(&entropy[..len]).map_err(|e| anyhow!("{e}"))?;
	Ok(phrase.to_string())
}

/// Where the signing key comes from, highest priority first: `--suri`/`OWH_SURI`, then
/// `--key`/`OWH_KEY` (a keystore name).
pub struct KeySource {
	pub suri: Option<String>,
	pub key: Option<String>,
	pub keystore: PathBuf,
}

impl KeySource {
	/// The signing key pair, or an error that says how to provide one.
	pub fn signer(&self) -> Result<Keypair> {
		if let Some(suri) = &self.suri {
			return keypair_from_suri(suri);
		}
		let Some(name) = &self.key else {
			bail!(
				"no signing key: pass --suri (e.g. //Alice on a dev chain), set OWH_SURI, or pass --key <name> from `owh key list`"
			);
		};
		let store = Keystore::open(&self.keystore)?;
		let key = store.get(name).ok_or_else(|| {
			anyhow!(
				"no key named {name:?} in {}; see `owh key list`",
				self.keystore.display()
			)
		})?;
		keypair_from_suri(&key.suri)
	}
}

/// Parses an account: an SS58 address, `0x` + 64 hex digits, a secret URI such as `//Bob`, or
/// the name of a keystore key.
pub fn parse_account(text: &str, keystore: &Path) -> Result<AccountId32> {
	if let Ok(id) = AccountId32::from_str(text) {
		return Ok(id);
	}
	if let Some(hex_text) = text.strip_prefix("0x") {
		let bytes = hex::decode(hex_text).ok().filter(|b| b.len() == 32);
		if let Some(bytes) = bytes {
			let mut raw = [0u8; 32];
			raw.copy_from_slice(&bytes);
			return Ok(AccountId32(raw));
		}
	}
	if text.starts_with("//") {
		return Ok(account_of(&keypair_from_suri(text)?));
	}
	if let Some(key) = Keystore::open(keystore)?.get(text) {
		return AccountId32::from_str(&key.address).map_err(|e| anyhow!("{e}"));
	}
	bail!("{text:?} is not an account: use an SS58 address, 0x-prefixed hex, //Name or a key name")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn keystore_round_trip_is_owner_only() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("sub/keystore.json");
		let mut store = Keystore::open(&path).unwrap();
		let key = store.add("alice", "//Alice").unwrap();
		assert_eq!(
			key.address,
			"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
		);
		assert!(
			store.add("alice", "//Bob").is_err(),
			"duplicate names are refused"
		);
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
			assert_eq!(mode, 0o600);
		}
		let reopened = Keystore::open(&path).unwrap();
		assert_eq!(reopened.keys().len(), 1);
		let account = parse_account("alice", &path).unwrap();
		assert_eq!(account.to_string(), key.address);
	}

	#[test]
	fn bad_key_input_is_refused_with_a_hint() {
		assert!(check_key_name("has space").is_err());
		assert!(keypair_from_suri("not a valid phrase at all").is_err());
		assert!(generate_mnemonic(13).is_err());
		let phrase = generate_mnemonic(12).unwrap();
		assert_eq!(phrase.split(' ').count(), 12);
		assert!(keypair_from_suri(&phrase).is_ok());
		let err = parse_account("nobody", Path::new("/nonexistent/ks.json")).unwrap_err();
		assert!(err.to_string().contains("is not an account"), "{err}");
		let src = KeySource {
			suri: None,
			key: None,
			keystore: PathBuf::from("/nonexistent"),
		};
		assert!(src.signer().unwrap_err().to_string().contains("--suri"));
	}
}
