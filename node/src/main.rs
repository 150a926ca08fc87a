//! `owh-node`: the OpenWeightHub validator and full node.

// `sc_cli::Error` and `sc_service::Error` are large, and their use in return types is dictated by
// the polkadot-sdk APIs this binary implements.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
