//! Hashing cost of the two leaf rules on one core: format 1 (a chunk's leaf is the hash of the
//! whole chunk) against format 2 (the root of its 4 KiB segments). Prints throughput and the
//! ratio for the default and the largest chunk size.
//!
//!   cargo run --release -p owh-primitives --example leaf_rules [MiB]

use owh_primitives::merkle::{LeafRule, DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE};
use std::time::{Duration, Instant};

fn best_of(rounds: usize, mut run: impl FnMut()) -> Duration {
	(0..rounds)
		.map(|_| {
			let start = Instant::now();
			run();
			start.elapsed()
		})
		.min()
		.unwrap_or_default()
}

fn main() {
	let mib: usize = std::env::args()
		.nth(1)
		.and_then(|a| a.parse().ok())
		.unwrap_or(256);
	// Pseudo-random bytes (xorshift), so nothing is special about the data.
	let mut state = 0x9e37_79b9_7f4a_7c15u64;
	let data: Vec<u8> = (0..mib << 20)
		.map(|_| {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			state as u8
		})
		.collect();
	println!("{mib} MiB, one core, best of 3");
	println!("chunk size | format 1 | format 2 | format 2 / format 1");
	for chunk_size in [MIN_CHUNK_SIZE, DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE] {
		let mut leaves = (Vec::new(), Vec::new());
		let whole = best_of(3, || {
			leaves.0 = LeafRule::WholeChunk.leaves_of(&data, chunk_size)
		});
		let segments = best_of(3, || {
			leaves.1 = LeafRule::Segments.leaves_of(&data, chunk_size)
		});
		assert_eq!(leaves.0.len(), leaves.1.len());
		let rate = |d: Duration| mib as f64 / d.as_secs_f64();
		println!(
			"{} KiB | {:.0} MiB/s | {:.0} MiB/s | {:.3}",
			chunk_size >> 10,
			rate(whole),
			rate(segments),
			segments.as_secs_f64() / whole.as_secs_f64()
		);
	}
}
