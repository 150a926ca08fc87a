//! Chain specifications, built from the runtime's genesis presets.

use owh_runtime::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};
use polkadot_sdk::{sc_service, sp_genesis_builder};

/// A chain spec of the OpenWeightHub runtime.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The chain properties polkadot.js apps reads: token symbol, decimals and address format.
pub fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime wasm is missing: the node was built with SKIP_WASM_BUILD; rebuild without it"
			.to_string()
	})
}

/// Single-validator development chain (Alice).
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("OpenWeightHub Development")
		.with_id("owh_dev")
		.with_chain_type(sc_service::ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// Three-validator local testnet (Alice, Bob, Charlie).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("OpenWeightHub Local Testnet")
		.with_id("owh_local")
		.with_chain_type(sc_service::ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// Four-validator consortium network with production governance periods and no sudo. Its
/// validator and council keys are development placeholders: replace them before launch.
pub fn consortium_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("OpenWeightHub Consortium")
		.with_id("owh_consortium")
		.with_chain_type(sc_service::ChainType::Live)
		.with_genesis_config_preset_name(owh_runtime::genesis_config_presets::CONSORTIUM_PRESET)
		.with_properties(properties())
		.build())
}
