//! `owh-try-runtime`: downloads the state of a live OpenWeightHub node (or reads a snapshot of
//! one), then runs this runtime's storage migrations on it through the body of the runtime's
//! `TryRuntime::on_runtime_upgrade` API, natively, with every check: each migration's `pre_upgrade` and
//! `post_upgrade`, and every pallet's `try_state`. It then runs the migrations a second time and
//! checks that they change nothing (they are versioned, so a repeat must be a no-op).
//!
//! ```text
//! owh-try-runtime --uri ws://127.0.0.1:9944 [--snapshot state.snap]
//! owh-try-runtime --snapshot state.snap
//! ```
//! Exits non-zero when a check fails; the failing check is named in the log.

use owh_runtime::{apis::try_runtime, Block, Runtime};
use polkadot_sdk::{
	frame_remote_externalities::{Builder, Mode, OfflineConfig, OnlineConfig, SnapshotConfig},
	frame_support::traits::{GetStorageVersion, StorageVersion},
	frame_system,
	frame_try_runtime::UpgradeCheckSelect,
	sp_io,
	sp_runtime::StateVersion,
};
use std::process::ExitCode;

const USAGE: &str = "usage: owh-try-runtime [--uri ws://HOST:PORT] [--snapshot FILE]\n\
	With --uri, downloads the node's state (and saves it to FILE when --snapshot is given);\n\
	with only --snapshot, reads the state saved earlier.";

/// The storage items whose entry counts are printed before and after the migrations.
const ITEMS: &[(&str, &[&str])] = &[
	(
		"Registry",
		&[
			"Repositories",
			"Maintainers",
			"Committers",
			"PendingOwners",
			"Versions",
			"VersionMetas",
			"RepoVersions",
			"Children",
			"Yanked",
			"Mirrors",
			"Aliases",
			"AliasMoveCount",
			"AliasHistory",
		],
	),
	(
		"Licensing",
		&[
			"Offers",
			"ActiveOffers",
			"Contributors",
			"Licenses",
			"LicensesOf",
			"EdgeRoyalties",
			"Meters",
		],
	),
];

struct Args {
	uri: Option<String>,
	snapshot: Option<String>,
}

fn parse_args() -> Result<Args, String> {
	let mut args = Args {
		uri: None,
		snapshot: None,
	};
	let mut it = std::env::args().skip(1);
	while let Some(arg) = it.next() {
		let mut value = || {
			it.next()
				.ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
		};
		match arg.as_str() {
			"--uri" => args.uri = Some(value()?),
			"--snapshot" => args.snapshot = Some(value()?),
			"-h" | "--help" => return Err(USAGE.into()),
			other => return Err(format!("unknown argument {other}\n{USAGE}")),
		}
	}
	if args.uri.is_none() && args.snapshot.is_none() {
		return Err(format!("give --uri or --snapshot\n{USAGE}"));
	}
	Ok(args)
}

/// Counts the keys under `twox128(pallet) ++ twox128(item)`, whatever their layout.
fn count_entries(pallet: &str, item: &str) -> usize {
	let prefix = [
		sp_io::hashing::twox_128(pallet.as_bytes()),
		sp_io::hashing::twox_128(item.as_bytes()),
	]
	.concat();
	let mut count = 0;
	let mut key = prefix.clone();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if !next.starts_with(&prefix) {
			break;
		}
		count += 1;
		key = next;
	}
	count
}

fn snapshot_counts() -> Vec<usize> {
	ITEMS
		.iter()
		.flat_map(|(pallet, items)| items.iter().map(move |item| count_entries(pallet, item)))
		.collect()
}

fn storage_versions() -> (StorageVersion, StorageVersion) {
	(
		owh_runtime::Registry::on_chain_storage_version(),
		owh_runtime::Licensing::on_chain_storage_version(),
	)
}

fn ms(ref_time: u64) -> f64 {
	ref_time as f64 / 1e9
}

#[tokio::main]
async fn main() -> ExitCode {
	polkadot_sdk::sp_tracing::try_init_simple();
	let args = match parse_args() {
		Ok(args) => args,
		Err(message) => {
			eprintln!("{message}");
			return ExitCode::from(2);
		}
	};
	let mode = match &args.uri {
		Some(uri) => Mode::Online(OnlineConfig {
			transport_uris: vec![uri.clone()],
			state_snapshot: args.snapshot.as_ref().map(SnapshotConfig::new),
			..Default::default()
		}),
		None => Mode::Offline(OfflineConfig {
			state_snapshot: SnapshotConfig::new(args.snapshot.clone().unwrap_or_default()),
		}),
	};
	let mut ext = match Builder::<Block>::new().mode(mode).build().await {
		Ok(ext) => ext,
		Err(error) => {
			eprintln!("could not load the chain state: {error}");
			return ExitCode::from(1);
		}
	};
	let number = ext.header.number;
	let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
		ext.execute_with(|| {
			let spec_before =
				frame_system::LastRuntimeUpgrade::<Runtime>::get().map(|info| info.spec_version.0);
			let versions_before = storage_versions();
			let counts_before = snapshot_counts();

			let (weight, max_block) = try_runtime::on_runtime_upgrade(UpgradeCheckSelect::All);

			let versions_after = storage_versions();
			let counts_after = snapshot_counts();
			let root = sp_io::storage::root(StateVersion::V1);
			let (repeat_weight, _) = try_runtime::on_runtime_upgrade(UpgradeCheckSelect::None);
			let idempotent = root == sp_io::storage::root(StateVersion::V1);

			println!("state of block #{number}, last upgraded to spec_version {spec_before:?}");
			println!(
				"storage versions: Registry {:?} -> {:?}, Licensing {:?} -> {:?}",
				versions_before.0, versions_after.0, versions_before.1, versions_after.1
			);
			println!("{:<30} {:>8} {:>8}", "entries", "before", "after");
			let names = ITEMS
				.iter()
				.flat_map(|(pallet, items)| items.iter().map(move |i| (pallet, i)));
			for ((pallet, item), (before, after)) in
				names.zip(counts_before.iter().zip(&counts_after))
			{
				println!("{:<30} {before:>8} {after:>8}", format!("{pallet}::{item}"));
			}
			println!(
				"migrations: weight {:.3} ms, proof {} bytes = {:.2}% of the block's {:.0} ms; \
				 pre_upgrade, post_upgrade and try_state of every pallet passed",
				ms(weight.ref_time()),
				weight.proof_size(),
				100.0 * weight.ref_time() as f64 / max_block.ref_time() as f64,
				ms(max_block.ref_time()),
			);
			println!(
				"second run: weight {:.3} ms, storage root {}",
				ms(repeat_weight.ref_time()),
				if idempotent {
					"unchanged (idempotent)"
				} else {
					"CHANGED"
				}
			);
			idempotent
		})
	}));
	match result {
		Ok(true) => ExitCode::SUCCESS,
		Ok(false) => {
			eprintln!("the migrations changed the state when run a second time");
			ExitCode::from(1)
		}
		Err(_) => {
			eprintln!("a try-runtime check failed (see above for which)");
			ExitCode::from(1)
		}
	}
}
