//! Merkle tree over the fixed-size chunks of an artifact.
//!
//! - **Chunks.** A file of `size` bytes is cut into `chunk_size`-byte chunks; the last one may
//!   be shorter. An empty file has exactly one chunk, the empty one, so every file has at least
//!   one leaf ([`chunk_count`]).
//! - **Hash.** SHA-256, which the client computes with SHA-NI where the CPU has it. The runtime
//!   never builds these trees or checks their proofs today (it hashes only the manifest, for the
//!   version id, with the `sp_io::hashing::sha2_256` host function).
//! - **Domain separation.** A leaf is `SHA-256(0x00 ‖ chunk)`, an inner node is
//!   `SHA-256(0x01 ‖ left ‖ right)`, so a leaf can never be passed off as a node or back.
//! - **Odd levels.** Nodes are paired left to right; when a level has an odd count, its last
//!   node is promoted to the next level unchanged (it is not duplicated, so two different leaf
//!   lists never share a root).
//! - **Proofs.** A proof for chunk `i` lists the sibling hashes from the leaf level up, skipping
//!   the levels where the node was promoted. The verifier needs the leaf count to know where
//!   promotions happen; it comes from the artifact's size and chunk size.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_core::{bounded::BoundedVec, ConstU32};
use scale_info::TypeInfo;
use sha2::{Digest, Sha256};

/// A 32-byte SHA-256 digest.
pub type Hash32 = [u8; 32];

/// Smallest allowed chunk size: 4 KiB.
pub const MIN_CHUNK_SIZE: u32 = 1 << 12;
/// Largest allowed chunk size: 16 MiB.
pub const MAX_CHUNK_SIZE: u32 = 1 << 24;
/// The chunk size the client uses unless told otherwise: 1 MiB.
pub const DEFAULT_CHUNK_SIZE: u32 = 1 << 20;
/// The deepest tree a proof can describe (2^64 leaves).
pub const MAX_PROOF_DEPTH: u32 = 64;

const LEAF_PREFIX: u8 = 0x00;
const NODE_PREFIX: u8 = 0x01;

/// Whether `chunk_size` is a power of two within [`MIN_CHUNK_SIZE`]..=[`MAX_CHUNK_SIZE`].
pub fn is_valid_chunk_size(chunk_size: u32) -> bool {
	chunk_size.is_power_of_two() && (MIN_CHUNK_SIZE..=MAX_CHUNK_SIZE).contains(&chunk_size)
}

/// Number of leaves of a file of `size` bytes: `ceil(size / chunk_size)`, and 1 for an empty
/// file. Returns 0 only when `chunk_size` is 0.
pub fn chunk_count(size: u64, chunk_size: u32) -> u64 {
	if chunk_size == 0 {
		return 0;
	}
	size.div_ceil(u64::from(chunk_size)).max(1)
}

/// Hash of one chunk: `SHA-256(0x00 ‖ chunk)`.
pub fn leaf_hash(chunk: &[u8]) -> Hash32 {
	let mut hasher = Sha256::new();
	hasher.update([LEAF_PREFIX]);
	hasher.update(chunk);
	hasher.finalize().into()
}

/// Hash of an inner node: `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash32, right: &Hash32) -> Hash32 {
	let mut hasher = Sha256::new();
	hasher.update([NODE_PREFIX]);
	hasher.update(left);
	hasher.update(right);
	hasher.finalize().into()
}

fn next_level(level: &[Hash32]) -> Vec<Hash32> {
	level
		.chunks(2)
		.map(|pair| match pair {
			[left, right] => node_hash(left, right),
			// `chunks(2)` yields one or two nodes; a single one is promoted unchanged.
			single => single.first().copied().unwrap_or_default(),
		})
		.collect()
}

/// Root over already computed leaf hashes. An empty list is treated as one empty chunk.
pub fn root_from_leaves(leaves: &[Hash32]) -> Hash32 {
	if leaves.is_empty() {
		return leaf_hash(&[]);
	}
	let mut level = leaves.to_vec();
	while level.len() > 1 {
		level = next_level(&level);
	}
	level.first().copied().unwrap_or_default()
}

/// Leaf hashes of an in-memory buffer, sequentially. The client hashes leaves in parallel
/// while streaming; this is the reference for tests and small data.
pub fn leaves_of(data: &[u8], chunk_size: u32) -> Vec<Hash32> {
	if data.is_empty() || chunk_size == 0 {
		return alloc::vec![leaf_hash(&[])];
	}
	data.chunks(chunk_size as usize).map(leaf_hash).collect()
}

/// Root of an in-memory buffer.
pub fn root_of(data: &[u8], chunk_size: u32) -> Hash32 {
	root_from_leaves(&leaves_of(data, chunk_size))
}

/// The sibling hashes that prove one chunk, from the leaf level up.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct MerkleProof {
	/// Index of the proven chunk.
	pub index: u64,
	/// Sibling hashes, bottom-up, without the levels where the node was promoted.
	pub siblings: BoundedVec<Hash32, ConstU32<MAX_PROOF_DEPTH>>,
}

/// Proof for leaf `index`, or `None` when it is out of range.
pub fn build_proof(leaves: &[Hash32], index: u64) -> Option<MerkleProof> {
	let mut pos = usize::try_from(index).ok()?;
	if pos >= leaves.len() {
		return None;
	}
	let mut siblings = Vec::new();
	let mut level = leaves.to_vec();
	while level.len() > 1 {
		let sibling = pos ^ 1;
		if let Some(hash) = level.get(sibling) {
			siblings.push(*hash);
		}
		level = next_level(&level);
		pos /= 2;
	}
	Some(MerkleProof {
		index,
		siblings: BoundedVec::try_from(siblings).ok()?,
	})
}

/// Whether `chunk` is chunk `proof.index` of a tree with `leaf_count` leaves and this `root`.
pub fn verify_proof(root: &Hash32, leaf_count: u64, chunk: &[u8], proof: &MerkleProof) -> bool {
	verify_leaf(root, leaf_count, &leaf_hash(chunk), proof)
}

/// Like [`verify_proof`], for an already hashed leaf.
pub fn verify_leaf(root: &Hash32, leaf_count: u64, leaf: &Hash32, proof: &MerkleProof) -> bool {
	if proof.index >= leaf_count {
		return false;
	}
	let mut pos = proof.index;
	let mut width = leaf_count;
	let mut hash = *leaf;
	let mut siblings = proof.siblings.iter();
	while width > 1 {
		let is_right = pos % 2 == 1;
		let has_right_sibling = pos.saturating_add(1) < width;
		if is_right || has_right_sibling {
			let Some(sibling) = siblings.next() else {
				return false;
			};
			hash = if is_right {
				node_hash(sibling, &hash)
			} else {
				node_hash(&hash, sibling)
			};
		}
		pos /= 2;
		width = width.div_ceil(2);
	}
	siblings.next().is_none() && &hash == root
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	#[test]
	fn empty_file_has_one_empty_leaf() {
		assert_eq!(chunk_count(0, MIN_CHUNK_SIZE), 1);
		assert_eq!(root_of(&[], MIN_CHUNK_SIZE), leaf_hash(&[]));
		assert_ne!(root_of(&[], MIN_CHUNK_SIZE), [0u8; 32]);
	}

	#[test]
	fn single_chunk_root_is_its_leaf_hash() {
		let data = [7u8; 100];
		assert_eq!(root_of(&data, MIN_CHUNK_SIZE), leaf_hash(&data));
	}

	#[test]
	fn odd_leaf_is_promoted_not_duplicated() {
		let leaves = [leaf_hash(b"a"), leaf_hash(b"b"), leaf_hash(b"c")];
		let expected = node_hash(&node_hash(&leaves[0], &leaves[1]), &leaves[2]);
		assert_eq!(root_from_leaves(&leaves), expected);
		// Duplicating the last leaf must give another root (no CVE-2012-2459 style ambiguity).
		let four = [leaves[0], leaves[1], leaves[2], leaves[2]];
		assert_ne!(root_from_leaves(&four), expected);
	}

	#[test]
	fn leaf_and_node_domains_differ() {
		let a = leaf_hash(b"x");
		let b = leaf_hash(b"y");
		let mut concatenated = a.to_vec();
		concatenated.extend_from_slice(&b);
		assert_ne!(node_hash(&a, &b), leaf_hash(&concatenated));
	}

	#[test]
	fn known_vector() {
		// SHA-256(0x00) — a fixed reference so both sides agree on the prefix byte.
		assert_eq!(
			leaf_hash(&[]),
			[
				0x6e, 0x34, 0x0b, 0x9c, 0xff, 0xb3, 0x7a, 0x98, 0x9c, 0xa5, 0x44, 0xe6, 0xbb, 0x78,
				0x0a, 0x2c, 0x78, 0x90, 0x1d, 0x3f, 0xb3, 0x37, 0x38, 0x76, 0x85, 0x11, 0xa3, 0x06,
				0x17, 0xaf, 0xa0, 0x1d
			]
		);
	}

	#[test]
	fn chunk_sizes() {
		assert!(is_valid_chunk_size(MIN_CHUNK_SIZE));
		assert!(is_valid_chunk_size(MAX_CHUNK_SIZE));
		assert!(is_valid_chunk_size(DEFAULT_CHUNK_SIZE));
		assert!(!is_valid_chunk_size(MIN_CHUNK_SIZE / 2));
		assert!(!is_valid_chunk_size(MAX_CHUNK_SIZE * 2));
		assert!(!is_valid_chunk_size(MIN_CHUNK_SIZE + 1));
		assert!(!is_valid_chunk_size(0));
		assert_eq!(chunk_count(MIN_CHUNK_SIZE as u64, MIN_CHUNK_SIZE), 1);
		assert_eq!(chunk_count(MIN_CHUNK_SIZE as u64 + 1, MIN_CHUNK_SIZE), 2);
	}

	#[test]
	fn out_of_range_index_has_no_proof() {
		let leaves = [leaf_hash(b"a"), leaf_hash(b"b")];
		assert!(build_proof(&leaves, 2).is_none());
	}

	fn chunks_strategy() -> impl Strategy<Value = Vec<Vec<u8>>> {
		prop::collection::vec(prop::collection::vec(any::<u8>(), 0..48), 1..40)
	}

	proptest! {
		#[test]
		fn every_honest_proof_verifies(chunks in chunks_strategy()) {
			let leaves: Vec<Hash32> = chunks.iter().map(|c| leaf_hash(c)).collect();
			let root = root_from_leaves(&leaves);
			let count = leaves.len() as u64;
			for (i, chunk) in chunks.iter().enumerate() {
				let proof = build_proof(&leaves, i as u64).expect("index in range");
				prop_assert!(verify_proof(&root, count, chunk, &proof));
			}
		}

		#[test]
		fn flipped_chunk_bit_fails(chunks in chunks_strategy(), pick in any::<prop::sample::Index>(), bit in 0usize..384) {
			let mut chunks = chunks;
			let i = pick.index(chunks.len());
			let leaves: Vec<Hash32> = chunks.iter().map(|c| leaf_hash(c)).collect();
			let root = root_from_leaves(&leaves);
			let proof = build_proof(&leaves, i as u64).expect("index in range");
			if chunks[i].is_empty() {
				chunks[i].push(0);
			} else {
				let len = chunks[i].len();
				chunks[i][(bit / 8) % len] ^= 1 << (bit % 8);
			}
			prop_assert!(!verify_proof(&root, leaves.len() as u64, &chunks[i], &proof));
		}

		#[test]
		fn flipped_path_bit_fails(chunks in chunks_strategy(), pick in any::<prop::sample::Index>(), which in any::<prop::sample::Index>(), bit in 0usize..256) {
			prop_assume!(chunks.len() > 1);
			let i = pick.index(chunks.len());
			let leaves: Vec<Hash32> = chunks.iter().map(|c| leaf_hash(c)).collect();
			let root = root_from_leaves(&leaves);
			let mut proof = build_proof(&leaves, i as u64).expect("index in range");
			let s = which.index(proof.siblings.len());
			proof.siblings[s][bit / 8] ^= 1 << (bit % 8);
			prop_assert!(!verify_proof(&root, leaves.len() as u64, &chunks[i], &proof));
		}

		#[test]
		fn flipped_index_bit_fails(chunks in chunks_strategy(), pick in any::<prop::sample::Index>(), bit in 0u32..64) {
			let i = pick.index(chunks.len());
			let leaves: Vec<Hash32> = chunks.iter().map(|c| leaf_hash(c)).collect();
			let root = root_from_leaves(&leaves);
			let mut proof = build_proof(&leaves, i as u64).expect("index in range");
			proof.index ^= 1u64 << bit;
			// Two chunks with equal bytes are the same leaf; only a different leaf must fail.
			let j = proof.index as usize;
			prop_assume!(j >= chunks.len() || chunks[j] != chunks[i]);
			prop_assert!(!verify_proof(&root, leaves.len() as u64, &chunks[i], &proof));
		}
	}
}
