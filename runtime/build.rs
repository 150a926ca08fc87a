#[cfg(feature = "std")]
fn main() {
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("OWH", 12)
		.build();
}

/// The wasm builder is deactivated when compiling this crate for wasm.
#[cfg(not(feature = "std"))]
fn main() {}
