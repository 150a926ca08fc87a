//! Merkle tree over the fixed-size chunks of an artifact.
//!
//! - **Chunks.** A file of `size` bytes is cut into `chunk_size`-byte chunks; the last one may
//!   be shorter. An empty file has exactly one chunk, the empty one, so every file has at least
//!   one leaf ([`chunk_count`]).
//! - **Hash.** SHA-256, which the client computes with SHA-NI where the CPU has it.
//! - **Domain separation.** A leaf is `SHA-256(0x00 ‖ chunk)`, an inner node is
//!   `SHA-256(0x01 ‖ left ‖ right)`, so a leaf can never be passed off as a node or back.
//! - **Odd levels.** Nodes are paired left to right; when a level has an odd count, its last
//!   node is promoted to the next level unchanged (it is not duplicated, so two different leaf
//!   lists never share a root).
//! - **Segments (format 2).** A chunk's leaf is the root of the same kind of tree over the
//!   chunk's [`SEGMENT_SIZE`] segments ([`chunk_leaf`]), so a storage proof carries one 4 KiB
//!   segment and two paths ([`SegmentProof`]) whatever the chunk size; a chunk of one segment
//!   (4 KiB or less) has the same leaf as before. Format 1 manifests hashed the whole chunk as
//!   the leaf ([`LeafRule`]).
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

/// Bytes per segment, the unit a storage proof carries: 4 KiB, the smallest chunk size.
pub const SEGMENT_SIZE: u32 = MIN_CHUNK_SIZE;

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

/// A chunk's leaf under manifest format 2: the root of the tree over its [`SEGMENT_SIZE`]
/// segments, which is [`leaf_hash`] of the chunk itself when it has one segment.
pub fn chunk_leaf(chunk: &[u8]) -> Hash32 {
	if chunk.len() <= SEGMENT_SIZE as usize {
		return leaf_hash(chunk);
	}
	let segments: Vec<Hash32> = chunk.chunks(SEGMENT_SIZE as usize).map(leaf_hash).collect();
	root_from_leaves(&segments)
}

/// How a manifest's format turns a chunk into its Merkle leaf.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LeafRule {
	/// Format 1: `SHA-256(0x00 ‖ chunk)` over the whole chunk.
	WholeChunk,
	/// Format 2: the root of the chunk's segment tree ([`chunk_leaf`]).
	#[default]
	Segments,
}

impl LeafRule {
	/// The rule new manifests use.
	pub const CURRENT: LeafRule = LeafRule::Segments;

	/// The rule of a manifest format, or `None` for a format this code does not know.
	pub fn for_format(format_version: u16) -> Option<LeafRule> {
		match format_version {
			1 => Some(LeafRule::WholeChunk),
			2 => Some(LeafRule::Segments),
			_ => None,
		}
	}

	/// The leaf of one chunk.
	pub fn leaf(self, chunk: &[u8]) -> Hash32 {
		match self {
			LeafRule::WholeChunk => leaf_hash(chunk),
			LeafRule::Segments => chunk_leaf(chunk),
		}
	}

	/// The leaves of an in-memory buffer cut into `chunk_size` chunks; one empty chunk for
	/// empty data.
	pub fn leaves_of(self, data: &[u8], chunk_size: u32) -> Vec<Hash32> {
		if data.is_empty() || chunk_size == 0 {
			return alloc::vec![leaf_hash(&[])];
		}
		data.chunks(chunk_size as usize)
			.map(|c| self.leaf(c))
			.collect()
	}
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

/// Leaf hashes of an in-memory buffer under the current format, sequentially. The client
/// hashes leaves in parallel while streaming; this is the reference for tests and small data.
pub fn leaves_of(data: &[u8], chunk_size: u32) -> Vec<Hash32> {
	LeafRule::CURRENT.leaves_of(data, chunk_size)
}

/// Root of an in-memory buffer under the current format.
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

/// Proof that one [`SEGMENT_SIZE`] segment belongs to an artifact under format 2: the segment's
/// bytes, its path up to its chunk's leaf and that leaf's path up to the artifact's root. At
/// most 4 KiB + 76 hashes, whatever the chunk size.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct SegmentProof {
	/// The segment's bytes (shorter than [`SEGMENT_SIZE`] only at the end of a chunk).
	pub segment: BoundedVec<u8, ConstU32<SEGMENT_SIZE>>,
	/// The segment inside its chunk; `index` is the segment's position in the chunk.
	pub in_chunk: MerkleProof,
	/// The chunk inside the artifact; `index` is the chunk's position.
	pub in_artifact: MerkleProof,
}

/// Segments in chunk `chunk` of an artifact of `size` bytes cut into `chunk_size` chunks (1 for
/// an empty file), or 0 when the chunk does not exist.
pub fn segment_count(size: u64, chunk_size: u32, chunk: u64) -> u64 {
	let chunks = chunk_count(size, chunk_size);
	if chunk >= chunks {
		return 0;
	}
	let start = chunk.saturating_mul(u64::from(chunk_size));
	let len = size.saturating_sub(start).min(u64::from(chunk_size));
	len.div_ceil(u64::from(SEGMENT_SIZE)).max(1)
}

/// Segments in a whole artifact of `size` bytes cut into `chunk_size` chunks: every chunk's
/// [`segment_count`] summed (1 for an empty file), or 0 for an invalid chunk size.
pub fn total_segments(size: u64, chunk_size: u32) -> u64 {
	if !is_valid_chunk_size(chunk_size) {
		return 0;
	}
	let per_chunk = u64::from(chunk_size / SEGMENT_SIZE);
	let full_chunks = size.checked_div(u64::from(chunk_size)).unwrap_or(0);
	let rest = size.checked_rem(u64::from(chunk_size)).unwrap_or(0);
	let segments = full_chunks
		.saturating_mul(per_chunk)
		.saturating_add(rest.div_ceil(u64::from(SEGMENT_SIZE)));
	segments.max(1)
}

/// Most siblings a proof needs in a tree of `leaf_count` leaves: `ceil(log2(leaf_count))`.
pub fn max_siblings(leaf_count: u64) -> u32 {
	if leaf_count <= 1 {
		0
	} else {
		u64::BITS.saturating_sub(leaf_count.saturating_sub(1).leading_zeros())
	}
}

/// Proof for segment `segment` of chunk `chunk`, given the chunk's bytes and the artifact's
/// leaves; `None` when either index is out of range.
pub fn build_segment_proof(
	leaves: &[Hash32],
	chunk: u64,
	chunk_bytes: &[u8],
	segment: u64,
) -> Option<SegmentProof> {
	let segments: Vec<&[u8]> = if chunk_bytes.is_empty() {
		alloc::vec![&[][..]]
	} else {
		chunk_bytes.chunks(SEGMENT_SIZE as usize).collect()
	};
	let bytes = *segments.get(usize::try_from(segment).ok()?)?;
	let segment_leaves: Vec<Hash32> = segments.iter().map(|s| leaf_hash(s)).collect();
	Some(SegmentProof {
		segment: BoundedVec::try_from(bytes.to_vec()).ok()?,
		in_chunk: build_proof(&segment_leaves, segment)?,
		in_artifact: build_proof(leaves, chunk)?,
	})
}

/// Whether `proof` shows its segment in an artifact of `size` bytes, `chunk_size`-byte chunks
/// and this format-2 `root`. The segment's length must be the one its position implies, so
/// a proof for the wrong position or a truncated segment fails.
pub fn verify_segment_proof(
	root: &Hash32,
	size: u64,
	chunk_size: u32,
	proof: &SegmentProof,
) -> bool {
	let chunk = proof.in_artifact.index;
	let segments = segment_count(size, chunk_size, chunk);
	if segments == 0 || proof.in_chunk.index >= segments {
		return false;
	}
	let start = chunk
		.saturating_mul(u64::from(chunk_size))
		.saturating_add(proof.in_chunk.index.saturating_mul(u64::from(SEGMENT_SIZE)));
	let expected_len = size.saturating_sub(start).min(u64::from(SEGMENT_SIZE));
	if proof.segment.len() as u64 != expected_len {
		return false;
	}
	let mut chunk_leaf = leaf_hash(&proof.segment);
	// Climb to the chunk's leaf: the segment path's root is what the artifact tree holds.
	if !climb(&mut chunk_leaf, segments, &proof.in_chunk) {
		return false;
	}
	verify_leaf(
		root,
		chunk_count(size, chunk_size),
		&chunk_leaf,
		&proof.in_artifact,
	)
}

/// Replaces `hash` (leaf `proof.index` of a `leaf_count`-leaf tree) with the root the proof
/// leads to; false when the proof has too few or too many siblings.
fn climb(hash: &mut Hash32, leaf_count: u64, proof: &MerkleProof) -> bool {
	if proof.index >= leaf_count {
		return false;
	}
	let mut pos = proof.index;
	let mut width = leaf_count;
	let mut siblings = proof.siblings.iter();
	while width > 1 {
		let is_right = pos % 2 == 1;
		let has_right_sibling = pos.saturating_add(1) < width;
		if is_right || has_right_sibling {
			let Some(sibling) = siblings.next() else {
				return false;
			};
			*hash = if is_right {
				node_hash(sibling, hash)
			} else {
				node_hash(hash, sibling)
			};
		}
		pos /= 2;
		width = width.div_ceil(2);
	}
	siblings.next().is_none()
}

/// Whether `chunk` is chunk `proof.index` of a tree with `leaf_count` leaves and this `root`,
/// under the current format.
pub fn verify_proof(root: &Hash32, leaf_count: u64, chunk: &[u8], proof: &MerkleProof) -> bool {
	verify_leaf(root, leaf_count, &chunk_leaf(chunk), proof)
}

/// Like [`verify_proof`], for an already hashed leaf.
pub fn verify_leaf(root: &Hash32, leaf_count: u64, leaf: &Hash32, proof: &MerkleProof) -> bool {
	let mut hash = *leaf;
	climb(&mut hash, leaf_count, proof) && &hash == root
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	#[test]
	fn total_segments_is_the_sum_over_chunks() {
		for chunk_size in [MIN_CHUNK_SIZE, 1 << 14, DEFAULT_CHUNK_SIZE] {
			for size in [0u64, 1, 4095, 4096, 4097, 16_383, 16_384, 70_000, 3 << 20] {
				let sum: u64 = (0..chunk_count(size, chunk_size))
					.map(|chunk| segment_count(size, chunk_size, chunk))
					.sum();
				assert_eq!(
					total_segments(size, chunk_size),
					sum,
					"{size} / {chunk_size}"
				);
			}
		}
		assert_eq!(total_segments(10, 1000), 0);
	}

	#[test]
	fn max_siblings_bounds_every_proof() {
		for count in 1..=70u64 {
			let leaves: Vec<Hash32> = (0..count).map(|i| leaf_hash(&i.to_le_bytes())).collect();
			let longest = (0..count)
				.map(|i| build_proof(&leaves, i).map_or(0, |p| p.siblings.len() as u32))
				.max()
				.unwrap_or(0);
			assert_eq!(max_siblings(count), longest, "{count} leaves");
		}
	}

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

	#[test]
	fn a_chunk_leaf_is_the_root_of_its_segments() {
		let small = [3u8; SEGMENT_SIZE as usize];
		assert_eq!(chunk_leaf(&small), leaf_hash(&small));
		let big: Vec<u8> = (0..2 * SEGMENT_SIZE + 5).map(|i| i as u8).collect();
		let (a, rest) = big.split_at(SEGMENT_SIZE as usize);
		let (b, c) = rest.split_at(SEGMENT_SIZE as usize);
		let expected = node_hash(&node_hash(&leaf_hash(a), &leaf_hash(b)), &leaf_hash(c));
		assert_eq!(chunk_leaf(&big), expected);
		assert_ne!(
			chunk_leaf(&big),
			leaf_hash(&big),
			"format 2 differs from format 1"
		);
		assert_eq!(
			LeafRule::for_format(1).map(|r| r.leaf(&big)),
			Some(leaf_hash(&big))
		);
		assert_eq!(
			LeafRule::for_format(2).map(|r| r.leaf(&big)),
			Some(expected)
		);
		assert_eq!(LeafRule::for_format(3), None);
	}

	#[test]
	fn segment_proof_of_an_empty_file() {
		let leaves = leaves_of(&[], MIN_CHUNK_SIZE);
		let root = root_from_leaves(&leaves);
		let proof = build_segment_proof(&leaves, 0, &[], 0).expect("one empty segment");
		assert!(verify_segment_proof(&root, 0, MIN_CHUNK_SIZE, &proof));
		assert!(build_segment_proof(&leaves, 0, &[], 1).is_none());
		assert!(build_segment_proof(&leaves, 1, &[], 0).is_none());
	}

	#[test]
	fn largest_segment_proof_is_bounded() {
		// The encoding bound lets both paths reach the 64-hash limit (a real proof has at most
		// 12 + 64 hashes): one segment and two full paths, under 8.3 KB.
		let bound = SegmentProof::max_encoded_len();
		assert!(bound < SEGMENT_SIZE as usize + 2 * 33 * MAX_PROOF_DEPTH as usize + 32);
	}

	/// An artifact of up to 12 segments, in chunks of 1, 2 or 4 segments.
	fn artifact_strategy() -> impl Strategy<Value = (Vec<u8>, u32)> {
		(0usize..12 * SEGMENT_SIZE as usize, 0u32..3).prop_flat_map(|(len, shift)| {
			(
				prop::collection::vec(any::<u8>(), len..=len),
				Just(MIN_CHUNK_SIZE << shift),
			)
		})
	}

	fn segment_proofs(data: &[u8], chunk_size: u32) -> (Hash32, Vec<SegmentProof>) {
		let leaves = leaves_of(data, chunk_size);
		let chunks: Vec<&[u8]> = if data.is_empty() {
			alloc::vec![&[][..]]
		} else {
			data.chunks(chunk_size as usize).collect()
		};
		let mut proofs = Vec::new();
		for (c, bytes) in chunks.iter().enumerate() {
			let segments = segment_count(data.len() as u64, chunk_size, c as u64);
			for s in 0..segments {
				proofs.push(
					build_segment_proof(&leaves, c as u64, bytes, s).expect("indices in range"),
				);
			}
			assert!(build_segment_proof(&leaves, c as u64, bytes, segments).is_none());
		}
		(root_from_leaves(&leaves), proofs)
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(64))]

		#[test]
		fn every_honest_segment_proof_verifies((data, chunk_size) in artifact_strategy()) {
			let size = data.len() as u64;
			let (root, proofs) = segment_proofs(&data, chunk_size);
			for proof in &proofs {
				prop_assert!(verify_segment_proof(&root, size, chunk_size, proof));
			}
		}

		#[test]
		fn altered_segment_proof_fails(
			(data, chunk_size) in artifact_strategy(),
			pick in any::<prop::sample::Index>(),
			how in 0u8..5,
			bit in any::<u16>(),
		) {
			let size = data.len() as u64;
			let (root, proofs) = segment_proofs(&data, chunk_size);
			let mut proof = proofs[pick.index(proofs.len())].clone();
			let original = proof.clone();
			match how {
				0 if !proof.segment.is_empty() => {
					let at = usize::from(bit) % proof.segment.len();
					proof.segment[at] ^= 1 << (bit % 8);
				}
				1 if !proof.in_chunk.siblings.is_empty() => {
					let at = usize::from(bit) % proof.in_chunk.siblings.len();
					proof.in_chunk.siblings[at][usize::from(bit) % 32] ^= 1;
				}
				2 if !proof.in_artifact.siblings.is_empty() => {
					let at = usize::from(bit) % proof.in_artifact.siblings.len();
					proof.in_artifact.siblings[at][usize::from(bit) % 32] ^= 1;
				}
				3 => proof.in_chunk.index ^= 1 << (bit % 16),
				4 => proof.in_artifact.index ^= 1 << (bit % 16),
				_ => {
					// Nothing to flip there: drop the segment's last byte, or add one.
					if proof.segment.pop().is_none() {
						proof.segment.try_push(0).expect("room in an empty segment");
					}
				}
			}
			// Only a claim no honest proof makes must fail.
			prop_assume!(proof != original && !proofs.contains(&proof));
			prop_assert!(!verify_segment_proof(&root, size, chunk_size, &proof));
		}
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
