//! What every command gets: global options, output mode, lazily opened chain and store.

use crate::{
	chain::Chain,
	keys::KeySource,
	store::LocalStore,
	transfer::{Backends, NetOptions},
};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::{
	path::PathBuf,
	sync::{Arc, OnceLock},
	time::Duration,
};

/// Asks `question` on the terminal unless `yes`; refuses without a terminal. A "no" fails
/// with `declined`.
pub fn confirm(question: &str, yes: bool, declined: &str) -> Result<()> {
	use std::io::{BufRead, IsTerminal};
	if yes {
		return Ok(());
	}
	if !std::io::stdin().is_terminal() {
		anyhow::bail!("{question} — not confirmed: pass --yes to confirm without a prompt");
	}
	eprint!("{question} [y/N] ");
	let mut answer = String::new();
	std::io::stdin().lock().read_line(&mut answer)?;
	if matches!(answer.trim(), "y" | "Y" | "yes") {
		Ok(())
	} else {
		anyhow::bail!("{declined}")
	}
}

pub struct Context {
	pub url: String,
	/// Where trust anchors are kept, one file per genesis hash.
	pub anchors: PathBuf,
	/// Accept ws:// off this machine.
	pub insecure_rpc: bool,
	/// Let chain-sourced storage URIs reach local and private hosts.
	pub allow_private_mirrors: bool,
	pub json: bool,
	pub quiet: bool,
	pub keystore: PathBuf,
	pub store: PathBuf,
	pub keys: KeySource,
	/// Longest wait for a storage connection, response or the next bytes of a body.
	pub io_timeout: Duration,
	/// The Arweave gateway that reads `ar://` URIs and takes uploads.
	pub arweave_gateway: String,
	/// The Arweave wallet (JWK file) that pays for uploads.
	pub arweave_wallet: Option<PathBuf>,
	pub backends: OnceLock<Arc<Backends>>,
}

impl Context {
	pub async fn chain(&self) -> Result<Chain> {
		crate::transfer::reach::check_rpc_url(&self.url, self.insecure_rpc)?;
		Chain::connect_anchored(&self.url, &self.anchors).await
	}

	pub fn open_store(&self) -> Result<LocalStore> {
		LocalStore::open(&self.store)
	}

	pub fn existing_store(&self) -> Option<LocalStore> {
		LocalStore::existing(&self.store)
	}

	/// The storage backends (opened on first use, on the current tokio runtime).
	pub fn backends(&self) -> Result<Arc<Backends>> {
		if let Some(b) = self.backends.get() {
			return Ok(b.clone());
		}
		let created = Arc::new(Backends::new(NetOptions {
			timeout: self.io_timeout,
			allow_private: self.allow_private_mirrors,
			upload_token: std::env::var("OWH_UPLOAD_TOKEN")
				.ok()
				.filter(|t| !t.is_empty()),
			arweave_gateway: self.arweave_gateway.clone(),
		})?);
		Ok(self.backends.get_or_init(|| created).clone())
	}

	/// The Arweave gateway, with the shared HTTP client.
	pub fn gateway(&self) -> Result<crate::transfer::arweave::Gateway> {
		crate::transfer::arweave::Gateway::new(
			&self.arweave_gateway,
			self.backends()?.http().clone(),
			self.io_timeout,
		)
	}

	/// The Arweave wallet that pays for uploads (`--arweave-wallet`).
	pub fn arweave_wallet(&self) -> Result<crate::transfer::arweave::Wallet> {
		let Some(path) = &self.arweave_wallet else {
			anyhow::bail!("storing on Arweave needs a wallet: pass --arweave-wallet <JWK file> or set OWH_ARWEAVE_WALLET");
		};
		let text = std::fs::read(path).map_err(|e| {
			anyhow::anyhow!("cannot read the Arweave wallet {}: {e}", path.display())
		})?;
		crate::transfer::arweave::Wallet::from_jwk(&text)
			.map_err(|e| anyhow::anyhow!("{}: {e:#}", path.display()))
	}

	/// Prints a warning on stderr unless `--quiet`.
	pub fn warn(&self, text: &str) {
		if !self.quiet {
			eprintln!("warning: {text}");
		}
	}

	/// A spinner with a message on stderr while waiting; hidden like [`Self::progress`].
	pub fn spinner(&self, message: &str) -> ProgressBar {
		let target = if self.json || self.quiet {
			ProgressDrawTarget::hidden()
		} else {
			ProgressDrawTarget::stderr()
		};
		let bar = ProgressBar::with_draw_target(None, target);
		bar.set_style(
			ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
		);
		bar.set_message(message.to_string());
		bar.enable_steady_tick(Duration::from_millis(200));
		bar
	}

	/// A byte progress bar on stderr; hidden for `--json`, `--quiet` and non-terminals.
	pub fn progress(&self, total: u64, message: &str) -> ProgressBar {
		let target = if self.json || self.quiet {
			ProgressDrawTarget::hidden()
		} else {
			ProgressDrawTarget::stderr()
		};
		let bar = ProgressBar::with_draw_target(Some(total), target);
		bar.set_style(
			ProgressStyle::with_template(
				"{msg:10} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
			)
			.expect("valid template")
			.progress_chars("=> "),
		);
		bar.set_message(message.to_string());
		bar
	}
}
