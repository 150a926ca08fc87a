//! Signing keys: a keystore file (0600), secret URIs (`//Alice`, mnemonics) and account parsing.

use crate::pjs::{KeyJson, Scheme};
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
use zeroize::Zeroizing;

/// The keystore file: `{"version": 2, "keys": [...]}`, each key in the polkadot.js JSON format,
/// sealed with its passphrase; mode 0600. Writers hold an exclusive lock on `<file>.lock`.
#[derive(Debug)]
pub struct Keystore {
	path: PathBuf,
	keys: Vec<KeyJson>,
}

const KEYSTORE_VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
struct KeystoreFile {
	version: u32,
	keys: Vec<KeyJson>,
}

/// A key as the first keystores held it: the secret URI in plain JSON.
#[derive(Deserialize)]
struct PlainKey {
	name: String,
	suri: String,
}

enum OnDisk {
	Sealed(Vec<KeyJson>),
	Plain(Vec<PlainKey>),
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

/// Refuses a secret given as a command-line argument, where `ps` and the shell history show it.
/// Dev accounts (`//Alice`: the public development phrase) are allowed.
pub fn check_secret_argument(suri: &str, option: &str) -> Result<()> {
	if suri.trim_start().starts_with("//") {
		return Ok(());
	}
	bail!(
		"{option} on the command line is visible to every user of this machine (ps, shell history); only dev accounts such as //Alice may be passed this way. Store the key with `owh key import` (it reads the secret from standard input) and use --key, or set OWH_SURI"
	)
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

/// A passphrase: `OWH_PASSPHRASE` if set, else typed at a prompt on the terminal (twice when
/// `confirm`), never a command-line argument.
pub fn passphrase(prompt: &str, confirm: bool) -> Result<Zeroizing<String>> {
	if let Ok(pass) = std::env::var("OWH_PASSPHRASE") {
		let pass = Zeroizing::new(pass);
		if pass.is_empty() {
			bail!("OWH_PASSPHRASE is empty; an empty passphrase would leave the keys readable by anyone who copies the keystore");
		}
		return Ok(pass);
	}
	let no_terminal = |e: std::io::Error| {
		anyhow!("no passphrase: set OWH_PASSPHRASE, or run owh in a terminal to be asked ({e})")
	};
	let pass =
		Zeroizing::new(rpassword::prompt_password(format!("{prompt}: ")).map_err(no_terminal)?);
	if pass.is_empty() {
		bail!("an empty passphrase is not allowed");
	}
	if confirm {
		let again = Zeroizing::new(rpassword::prompt_password("repeat it: ").map_err(no_terminal)?);
		if *again != *pass {
			bail!("the passphrases differ; nothing was stored");
		}
	}
	Ok(pass)
}

impl Keystore {
	/// Opens the keystore at `path`; a missing file is an empty keystore. A plain keystore of
	/// an earlier owh is encrypted in place first (asking for a passphrase), with a message.
	pub fn open(path: &Path) -> Result<Self> {
		let keys = match read_keystore(path)? {
			OnDisk::Sealed(keys) => keys,
			OnDisk::Plain(_) => {
				let _lock = lock(path)?;
				match read_keystore(path)? {
					OnDisk::Sealed(keys) => keys,
					OnDisk::Plain(plain) => migrate(path, plain)?,
				}
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

	pub fn keys(&self) -> &[KeyJson] {
		&self.keys
	}

	pub fn get(&self, name: &str) -> Option<&KeyJson> {
		self.keys.iter().find(|k| k.name() == Some(name))
	}

	/// The key named `name`, or an error pointing at `owh key list`.
	pub fn require(&self, name: &str) -> Result<&KeyJson> {
		self.get(name).ok_or_else(|| {
			anyhow!(
				"no key named {name:?} in {}; see `owh key list`",
				self.path.display()
			)
		})
	}

	/// Adds a sealed key under `name` and saves, under the keystore lock so that concurrent
	/// writers cannot lose a key. Refuses to overwrite an existing name.
	pub fn add(&mut self, name: &str, mut key: KeyJson) -> Result<KeyJson> {
		check_key_name(name)?;
		key.set_name(name);
		let _lock = lock(&self.path)?;
		self.keys = match read_keystore(&self.path)? {
			OnDisk::Sealed(keys) => keys,
			OnDisk::Plain(plain) => migrate(&self.path, plain)?,
		};
		if self.get(name).is_some() {
			bail!(
				"a key named {name:?} already exists in {}; pick another --name",
				self.path.display()
			);
		}
		self.keys.push(key.clone());
		save(&self.path, &self.keys)?;
		Ok(key)
	}
}

fn read_keystore(path: &Path) -> Result<OnDisk> {
	let bytes = match fs::read(path) {
		Ok(bytes) => bytes,
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
			return Ok(OnDisk::Sealed(Vec::new()))
		}
		Err(e) => {
			return Err(e).with_context(|| format!("cannot read keystore {}", path.display()))
		}
	};
	if let Ok(file) = serde_json::from_slice::<KeystoreFile>(&bytes) {
		if file.version != KEYSTORE_VERSION {
			bail!(
				"keystore {} has version {}, this owh reads version {KEYSTORE_VERSION}; upgrade owh",
				path.display(),
				file.version
			);
		}
		return Ok(OnDisk::Sealed(file.keys));
	}
	if let Ok(plain) = serde_json::from_slice::<Vec<PlainKey>>(&bytes) {
		return Ok(OnDisk::Plain(plain));
	}
	bail!("keystore {} is not a valid owh keystore", path.display())
}

/// Seals the secrets of a plain keystore and replaces it.
fn migrate(path: &Path, plain: Vec<PlainKey>) -> Result<Vec<KeyJson>> {
	eprintln!(
		"owh: keystore {} holds {} secret(s) in plain text; encrypting it (polkadot.js format, scrypt + xsalsa20-poly1305)",
		path.display(),
		plain.len()
	);
	let pass = passphrase("new passphrase for the keystore", true)?;
	let mut keys = Vec::with_capacity(plain.len());
	for old in plain {
		let suri = Zeroizing::new(old.suri);
		keys.push(
			KeyJson::seal_sr25519(&suri, &pass, &old.name)
				.with_context(|| format!("key {:?} of the plain keystore", old.name))?,
		);
	}
	save(path, &keys)?;
	eprintln!(
		"owh: keystore {} is encrypted; the plain secrets are gone from it",
		path.display()
	);
	Ok(keys)
}

/// Takes the keystore's write lock (`<file>.lock`, blocking until free).
fn lock(path: &Path) -> Result<fs::File> {
	use std::os::fd::AsRawFd;
	let dir = parent_dir(path);
	fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
	let mut name = path.file_name().unwrap_or_default().to_os_string();
	name.push(".lock");
	let lock_path = dir.join(name);
	let file = fs::OpenOptions::new()
		.create(true)
		.truncate(false)
		.write(true)
		.open(&lock_path)
		.with_context(|| format!("cannot open {}", lock_path.display()))?;
	// SAFETY: flock on a file descriptor this function owns.
	if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
		return Err(std::io::Error::last_os_error())
			.with_context(|| format!("cannot lock {}", lock_path.display()));
	}
	Ok(file)
}

fn parent_dir(path: &Path) -> &Path {
	path.parent()
		.filter(|p| !p.as_os_str().is_empty())
		.unwrap_or(Path::new("."))
}

/// Writes the keystore atomically with mode 0600.
fn save(path: &Path, keys: &[KeyJson]) -> Result<()> {
	let dir = parent_dir(path);
	fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
	let mut tmp = tempfile::NamedTempFile::new_in(dir)
		.with_context(|| format!("cannot write in {}", dir.display()))?;
	set_owner_only(tmp.path())?;
	let file = KeystoreFile {
		version: KEYSTORE_VERSION,
		keys: keys.to_vec(),
	};
	tmp.write_all(&serde_json::to_vec_pretty(&file)?)?;
	tmp.as_file().sync_all()?;
	tmp.persist(path)
		.with_context(|| format!("cannot write keystore {}", path.display()))?;
	Ok(())
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
	fn no_key() -> anyhow::Error {
		anyhow!("no signing key: pass --suri (e.g. //Alice on a dev chain), set OWH_SURI, or pass --key <name> from `owh key list`")
	}

	/// The signing key pair (asking for the key's passphrase), or an error that says how to
	/// provide one.
	pub fn signer(&self) -> Result<Keypair> {
		if let Some(suri) = &self.suri {
			return keypair_from_suri(suri);
		}
		let name = self.key.as_ref().ok_or_else(Self::no_key)?;
		let store = Keystore::open(&self.keystore)?;
		let key = store.require(name)?;
		let pass = passphrase(&format!("passphrase for key {name}"), false)?;
		key.sr25519(&pass)
	}

	/// The signing account, read without unlocking a stored key.
	pub fn account(&self) -> Result<AccountId32> {
		if let Some(suri) = &self.suri {
			return Ok(account_of(&keypair_from_suri(suri)?));
		}
		let name = self.key.as_ref().ok_or_else(Self::no_key)?;
		stored_account(Keystore::open(&self.keystore)?.require(name)?)
	}
}

/// The account of a stored sr25519 key.
pub fn stored_account(key: &KeyJson) -> Result<AccountId32> {
	if key.scheme()? != Scheme::Sr25519 {
		bail!(
			"key {:?} is a {} key, not a chain account",
			key.name().unwrap_or(""),
			key.scheme()?.name()
		);
	}
	AccountId32::from_str(&key.address).map_err(|e| anyhow!("stored address {}: {e}", key.address))
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
		return stored_account(key);
	}
	bail!("{text:?} is not an account: use an SS58 address, 0x-prefixed hex, //Name or a key name")
}

#[cfg(test)]
mod tests {
	use super::*;

	fn sealed(suri: &str, name: &str) -> KeyJson {
		KeyJson::seal_sr25519(suri, "unit-test-pass", name).unwrap()
	}

	#[test]
	fn keystore_round_trip_is_owner_only() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("sub/keystore.json");
		let mut store = Keystore::open(&path).unwrap();
		let key = store.add("alice", sealed("//Alice", "x")).unwrap();
		assert_eq!(key.name(), Some("alice"));
		assert_eq!(
			key.address,
			"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
		);
		assert!(
			store.add("alice", sealed("//Bob", "x")).is_err(),
			"duplicate names are refused"
		);
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
			assert_eq!(mode, 0o600);
		}
		let text = fs::read_to_string(&path).unwrap();
		assert!(!text.contains("//Alice"), "no secret in the clear");
		let reopened = Keystore::open(&path).unwrap();
		assert_eq!(reopened.keys().len(), 1);
		let account = parse_account("alice", &path).unwrap();
		assert_eq!(account.to_string(), key.address);
		assert_eq!(
			reopened
				.get("alice")
				.unwrap()
				.sr25519("unit-test-pass")
				.unwrap()
				.public_key()
				.0,
			account.0
		);
	}

	#[test]
	fn a_stale_handle_does_not_drop_another_writers_key() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("keystore.json");
		let mut first = Keystore::open(&path).unwrap();
		let mut second = Keystore::open(&path).unwrap();
		first.add("a", sealed("//Alice", "a")).unwrap();
		second.add("b", sealed("//Bob", "b")).unwrap();
		let names: Vec<_> = Keystore::open(&path)
			.unwrap()
			.keys()
			.iter()
			.map(|k| k.name().unwrap().to_string())
			.collect();
		assert_eq!(names, ["a", "b"]);
	}

	#[test]
	fn bad_key_input_is_refused_with_a_hint() {
		assert!(check_key_name("has space").is_err());
		assert!(keypair_from_suri("not a valid phrase at all").is_err());
		assert!(generate_mnemonic(13).is_err());
		let phrase = generate_mnemonic(12).unwrap();
		assert_eq!(phrase.split(' ').count(), 12);
		assert!(keypair_from_suri(&phrase).is_ok());
		assert!(check_secret_argument("//Alice", "--suri").is_ok());
		let err = check_secret_argument(&phrase, "--suri")
			.unwrap_err()
			.to_string();
		assert!(err.contains("visible to every user"), "{err}");
		let err = parse_account("nobody", Path::new("/nonexistent/ks.json")).unwrap_err();
		assert!(err.to_string().contains("is not an account"), "{err}");
		let src = KeySource {
			suri: None,
			key: None,
			keystore: PathBuf::from("/nonexistent"),
		};
		assert!(src.signer().unwrap_err().to_string().contains("--suri"));
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("keystore.json");
		fs::write(&path, "{\"version\": 9, \"keys\": []}").unwrap();
		assert!(Keystore::open(&path)
			.unwrap_err()
			.to_string()
			.contains("upgrade owh"));
		fs::write(&path, "not json").unwrap();
		assert!(Keystore::open(&path)
			.unwrap_err()
			.to_string()
			.contains("not a valid owh keystore"));
	}
}
