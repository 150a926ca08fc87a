//! The `owh` command line: global options and the command tree.

use crate::{
	commands::{
		self, alias::AliasCommand, key::KeyCommand, license::LicenseCommand, repo::RepoCommand,
	},
	context::Context,
	keys::{default_keystore_path, KeySource},
	store::default_store_path,
};
use anyhow::Result;
use clap::{Parser, Subcommand};
use std::{io::Write, path::PathBuf};

#[derive(Parser, Debug)]
#[command(
	name = "owh",
	version,
	about = "OpenWeightHub: publish, install and verify AI model versions on the OWH chain"
)]
pub struct Cli {
	/// WebSocket RPC endpoint of an owh-node.
	#[arg(
		long,
		global = true,
		env = "OWH_URL",
		default_value = "ws://127.0.0.1:9944"
	)]
	pub url: String,
	/// Print machine-readable JSON.
	#[arg(long, global = true)]
	pub json: bool,
	/// No progress bars.
	#[arg(long, short = 'q', global = true)]
	pub quiet: bool,
	/// The keystore file [default: <config dir>/owh/keystore.json].
	#[arg(long, global = true, env = "OWH_KEYSTORE")]
	pub keystore: Option<PathBuf>,
	/// The local artifact store [default: <data dir>/owh/store].
	#[arg(long, global = true, env = "OWH_STORE")]
	pub store: Option<PathBuf>,
	/// Signing key as a secret URI: a dev account such as //Alice. A real mnemonic is
	/// refused as an argument (other users see it in `ps`); set OWH_SURI or use --key.
	#[arg(long, global = true, env = "OWH_SURI", hide_env_values = true)]
	pub suri: Option<String>,
	/// Whether --suri came from the command line rather than OWH_SURI.
	#[arg(skip)]
	pub suri_is_argument: bool,
	/// Signing key by keystore name (see `owh key list`).
	#[arg(long, global = true, env = "OWH_KEY")]
	pub key: Option<String>,
	/// Seconds to wait for a storage server to connect, answer or send more bytes before
	/// moving on to the next mirror.
	#[arg(long, global = true, env = "OWH_IO_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
	pub io_timeout: u64,
	/// Accept a plain ws:// endpoint off this machine (anyone on the path could answer for
	/// the chain).
	#[arg(long, global = true, env = "OWH_INSECURE_RPC")]
	pub insecure_rpc: bool,
	/// Let storage URIs read from the chain (manifest URIs, on-chain mirrors) reach this
	/// machine's loopback, private and link-local addresses, as on a test network.
	#[arg(long, global = true, env = "OWH_ALLOW_PRIVATE_MIRRORS")]
	pub allow_private_mirrors: bool,
	/// Trust anchors of chains (`owh trust init`) [default: <config dir>/owh/anchors]. With an
	/// anchor for the chain, aliases, versions, yanks and mirrors are read with proofs.
	#[arg(long, global = true, env = "OWH_ANCHORS")]
	pub anchors: Option<PathBuf>,
	/// The Arweave gateway that reads `ar://` URIs and takes uploads.
	#[arg(long, global = true, env = "OWH_ARWEAVE_GATEWAY", default_value = crate::transfer::arweave::DEFAULT_GATEWAY)]
	pub arweave_gateway: String,
	/// The Arweave wallet (a JWK file, as Arweave's tools write) that pays for uploads to ar://.
	#[arg(long, global = true, env = "OWH_ARWEAVE_WALLET")]
	pub arweave_wallet: Option<PathBuf>,
	#[command(subcommand)]
	pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
	/// Manage signing keys.
	#[command(subcommand)]
	Key(KeyCommand),
	/// Create and manage repositories.
	#[command(subcommand)]
	Repo(RepoCommand),
	/// Hash, store, sign and commit a new version of a model directory.
	Publish(commands::publish::PublishArgs),
	/// The bytes an author signs to claim a version on this chain, for an external signer.
	AuthorPayload(commands::author::AuthorPayloadArgs),
	/// Versions of a repository, newest first, with aliases.
	Log(commands::history::LogArgs),
	/// A version's manifest, committer, block and yank status.
	Show(commands::history::ShowArgs),
	/// The ancestors (or descendants) of a version, as a tree.
	Lineage(commands::history::LineageArgs),
	/// Set, remove and list the history of aliases such as `production`; protect them with
	/// gates on attested metrics.
	#[command(subcommand)]
	Alias(AliasCommand),
	/// Record an attestor's evaluation results for a version (or sign them off-chain).
	Attest(commands::attest::AttestArgs),
	/// Attestors: who may attest which metrics, their bonds.
	#[command(subcommand)]
	Attestor(commands::attest::AttestorCommand),
	/// Challenge a false attestation with a bond; show disputes and rulings.
	#[command(subcommand)]
	Dispute(commands::attest::DisputeCommand),
	/// Mark a version as bad; it stays on chain, but installs refuse it.
	Yank(commands::yank::YankArgs),
	/// Undo a yank.
	Unyank(commands::yank::UnyankArgs),
	/// Download a version into a directory, verifying every chunk.
	Install(commands::install::InstallArgs),
	/// Check a directory against a version's on-chain hashes.
	Verify(commands::verify::VerifyArgs),
	/// Write an audit receipt: a version's record with the finality and storage proofs that
	/// let anyone check it offline (`owh verify <dir> --receipt`).
	Receipt(commands::receipt::ReceiptArgs),
	/// Files added, removed and changed between two versions, and the metrics delta.
	Diff(commands::diff::DiffArgs),
	/// Write a version in another format: an OpenSSF model-signing bundle over its files.
	Export(commands::export::ExportArgs),
	/// Copy a version to more mirrors and record them on chain; list or remove mirrors.
	#[command(subcommand)]
	Mirror(commands::mirror::MirrorCommand),
	/// Serve a store over HTTP: blobs with Range support, and manifests; a mirror for others.
	Serve(commands::serve::ServeArgs),
	/// License offers, contributors, buying, granting, revoking and usage of licenses.
	#[command(subcommand)]
	License(LicenseCommand),
	/// Free and held balances of accounts.
	Balance(commands::license::BalanceArgs),
	/// Governance: referenda on tracks, votes, the council, runtime upgrades.
	#[command(subcommand)]
	Gov(commands::gov::GovCommand),
	/// Trust anchors: check chain state with proofs from the genesis on (GRANDPA finality and
	/// storage proofs) instead of believing the node.
	#[command(subcommand)]
	Trust(commands::trust::TrustCommand),
	/// Validators: the set by session, session keys, proposals to add or remove one.
	#[command(subcommand)]
	Validator(commands::validator::ValidatorCommand),
	/// Storage providers: register, pledge versions, answer the runtime's challenges.
	#[command(subcommand)]
	Provider(commands::provider::ProviderCommand),
}

impl Cli {
	/// Parses the process arguments, noting where the secret URI came from.
	pub fn parse_args() -> Self {
		Self::parse_args_from(std::env::args_os()).unwrap_or_else(|e| e.exit())
	}

	/// [`Cli::parse_args`] over given arguments.
	pub fn parse_args_from<I, T>(args: I) -> Result<Self, clap::Error>
	where
		I: IntoIterator<Item = T>,
		T: Into<std::ffi::OsString> + Clone,
	{
		use clap::{parser::ValueSource, CommandFactory, FromArgMatches};
		let matches = Self::command().try_get_matches_from(args)?;
		let mut cli = Self::from_arg_matches(&matches)?;
		cli.suri_is_argument = matches.value_source("suri") == Some(ValueSource::CommandLine);
		Ok(cli)
	}

	/// The context commands run in, with defaults filled in.
	pub fn context(&self) -> Result<Context> {
		if let (Some(suri), true) = (&self.suri, self.suri_is_argument) {
			crate::keys::check_secret_argument(suri, "--suri")?;
		}
		let keystore = match &self.keystore {
			Some(p) => p.clone(),
			None => default_keystore_path()?,
		};
		let store = match &self.store {
			Some(p) => p.clone(),
			None => default_store_path()?,
		};
		let anchors = match &self.anchors {
			Some(p) => p.clone(),
			None => crate::keys::default_keystore_path()?.with_file_name("anchors"),
		};
		Ok(Context {
			anchors,
			url: self.url.clone(),
			insecure_rpc: self.insecure_rpc,
			allow_private_mirrors: self.allow_private_mirrors,
			json: self.json,
			quiet: self.quiet,
			keys: KeySource {
				suri: self.suri.clone(),
				key: self.key.clone(),
				keystore: keystore.clone(),
			},
			keystore,
			store,
			io_timeout: std::time::Duration::from_secs(self.io_timeout),
			arweave_gateway: self.arweave_gateway.clone(),
			arweave_wallet: self.arweave_wallet.clone(),
			backends: Default::default(),
		})
	}
}

/// Runs one command, writing its output to `out`.
pub async fn run(cli: &Cli, out: &mut dyn Write) -> Result<()> {
	let ctx = cli.context()?;
	match &cli.command {
		Command::Key(cmd) => commands::key::run(&ctx, cmd, out),
		Command::Repo(cmd) => commands::repo::run(&ctx, cmd, out).await,
		Command::Publish(args) => commands::publish::run(&ctx, args, out).await,
		Command::AuthorPayload(args) => commands::author::run(&ctx, args, out).await,
		Command::Log(args) => commands::history::log(&ctx, args, out).await,
		Command::Show(args) => commands::history::show(&ctx, args, out).await,
		Command::Lineage(args) => commands::history::lineage(&ctx, args, out).await,
		Command::Alias(cmd) => commands::alias::run(&ctx, cmd, out).await,
		Command::Attest(args) => commands::attest::attest(&ctx, args, out).await,
		Command::Attestor(cmd) => commands::attest::attestor(&ctx, cmd, out).await,
		Command::Dispute(cmd) => commands::attest::dispute(&ctx, cmd, out).await,
		Command::Yank(args) => commands::yank::yank(&ctx, args, out).await,
		Command::Unyank(args) => commands::yank::unyank(&ctx, args, out).await,
		Command::Install(args) => commands::install::run(&ctx, args, out).await,
		Command::Verify(args) => commands::verify::run(&ctx, args, out).await,
		Command::Receipt(args) => commands::receipt::run(&ctx, args, out).await,
		Command::Diff(args) => commands::diff::run(&ctx, args, out).await,
		Command::Export(args) => commands::export::run(&ctx, args, out).await,
		Command::Mirror(cmd) => commands::mirror::run(&ctx, cmd, out).await,
		Command::Serve(args) => commands::serve::run(&ctx, args, out).await,
		Command::License(cmd) => commands::license::run(&ctx, cmd, out).await,
		Command::Balance(args) => commands::license::balance(&ctx, args, out).await,
		Command::Gov(cmd) => commands::gov::run(&ctx, cmd, out).await,
		Command::Trust(cmd) => commands::trust::run(&ctx, cmd, out).await,
		Command::Validator(cmd) => commands::validator::run(&ctx, cmd, out).await,
		Command::Provider(cmd) => commands::provider::run(&ctx, cmd, out).await,
	}
}
