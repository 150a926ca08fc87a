//! What every command gets: global options, output mode, lazily opened chain and store.

use crate::{chain::Chain, keys::KeySource, store::LocalStore};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;

pub struct Context {
	pub url: String,
	pub json: bool,
	pub quiet: bool,
	pub keystore: PathBuf,
	pub store: PathBuf,
	pub keys: KeySource,
}

impl Context {
	pub async fn chain(&self) -> Result<Chain> {
		Chain::connect(&self.url).await
	}

	pub fn open_store(&self) -> Result<LocalStore> {
		LocalStore::open(&self.store)
	}

	pub fn existing_store(&self) -> Option<LocalStore> {
		LocalStore::existing(&self.store)
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
