//! Command-line interface.

use polkadot_sdk::{frame_benchmarking_cli, sc_cli};

/// Subcommands besides running the node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (deprecated alias of `export-chain-spec`, kept for tools).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Runtime benchmarks (`benchmark pallet --runtime <wasm built with runtime-benchmarks>`).
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}

/// The `owh-node` command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one, the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Options of a running node.
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// How many blocks behind its best block this validator's GRANDPA votes stay. A lag keeps
	/// finality off blocks that a competing fork may still replace; it costs one slot of
	/// finality time per block. Default: 0 on a development chain (one authority, so no
	/// competing forks), 1 on every other chain.
	#[arg(long, value_name = "BLOCKS", value_parser = clap::value_parser!(u32).range(0..=16))]
	pub finality_lag: Option<u32>,
}
