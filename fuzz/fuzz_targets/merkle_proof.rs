//! A proof built for a chunk verifies for exactly that chunk; changing the chunk, the index,
//! the leaf count or any proof hash makes it fail; an arbitrary decoded proof never panics the
//! verifier.
#![no_main]

use arbitrary::Arbitrary;
use codec::Decode;
use libfuzzer_sys::fuzz_target;
use owh_primitives::merkle::{
	build_proof, chunk_leaf, root_from_leaves, verify_proof, verify_segment_proof, MerkleProof,
	SegmentProof, MIN_CHUNK_SIZE,
};

#[derive(Arbitrary, Debug)]
struct Input {
	chunks: Vec<Vec<u8>>,
	index: u16,
	flip: u16,
	bit: u8,
	raw_proof: Vec<u8>,
	raw_count: u64,
}

fuzz_target!(|input: Input| {
	let mut chunks = input.chunks;
	chunks.truncate(300);
	if chunks.is_empty() {
		chunks.push(Vec::new());
	}
	let leaves: Vec<_> = chunks.iter().map(|c| chunk_leaf(c)).collect();
	let root = root_from_leaves(&leaves);
	let count = leaves.len() as u64;
	let index = input.index as usize % leaves.len();
	let proof = build_proof(&leaves, index as u64).expect("index is in range");
	assert!(verify_proof(&root, count, &chunks[index], &proof));

	// A different chunk at that place fails.
	let mut other = chunks[index].clone();
	other.push(input.bit);
	assert!(!verify_proof(&root, count, &other, &proof));
	// So does one flipped bit anywhere in the proof's hashes.
	let mut tampered = proof.clone();
	let bits = tampered.siblings.len() * 256;
	if bits > 0 {
		let at = input.flip as usize % bits;
		tampered.siblings[at / 256][(at % 256) / 8] ^= 1 << (at % 8);
		assert!(!verify_proof(&root, count, &chunks[index], &tampered));
	}
	// The same proof for another index of a different chunk fails (unless the chunks are equal).
	let other_index = (index + 1) % leaves.len();
	if chunks[other_index] != chunks[index] {
		let mut moved = proof.clone();
		moved.index = other_index as u64;
		assert!(!verify_proof(&root, count, &chunks[other_index], &moved));
	}

	// Any decoded proof and leaf count: no panic, whatever the answer.
	if let Ok(proof) = MerkleProof::decode(&mut &input.raw_proof[..]) {
		let _ = verify_proof(&root, input.raw_count, &chunks[0], &proof);
	}
	// Any decoded segment proof, size and chunk size: no panic either.
	if let Ok(proof) = SegmentProof::decode(&mut &input.raw_proof[..]) {
		let chunk_size = MIN_CHUNK_SIZE << (input.bit % 13);
		let _ = verify_segment_proof(&root, input.raw_count, chunk_size, &proof);
	}
});
