//! Storage providers, pledges and challenges: what a storage proof is checked against, and the
//! records the storage-proofs pallet keeps and its runtime API returns.
//!
//! A challenge names one [`SEGMENT_SIZE`] segment of a pledged version by its position among
//! all the version's segments (artifacts in manifest order, chunks in order, segments in
//! order), so drawing one needs only the version's segment total; [`VersionRoots::locate`]
//! turns the position into an artifact, a chunk and a segment.

use crate::{
	manifest::{Manifest, MAX_ARTIFACTS},
	merkle::{
		chunk_count, max_siblings, segment_count, total_segments, verify_segment_proof, Hash32,
		LeafRule, SegmentProof, SEGMENT_SIZE,
	},
	version_id::VersionId,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_core::{bounded::BoundedVec, ConstU32};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// Longest provider endpoint (a URL where the provider serves what it keeps).
pub const MAX_ENDPOINT_LEN: u32 = 256;
/// A provider's endpoint.
pub type Endpoint = BoundedVec<u8, ConstU32<MAX_ENDPOINT_LEN>>;

/// One artifact's commitment: what a segment proof is checked against.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct ArtifactRoot {
	/// Size in bytes.
	pub size: u64,
	/// Chunk size of the Merkle tree.
	pub chunk_size: u32,
	/// Root of the Merkle tree over the chunks.
	pub merkle_root: Hash32,
}

/// The commitments of every artifact of a version, in manifest order, with the manifest's
/// format (which says how a chunk's leaf was computed). 44 bytes per artifact: the registry
/// stores it beside the version record, so that proofs are checked without decoding a whole
/// manifest.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct VersionRoots {
	/// The manifest's format version.
	pub format_version: u16,
	/// Every artifact's commitment, in manifest order.
	pub artifacts: BoundedVec<ArtifactRoot, ConstU32<MAX_ARTIFACTS>>,
}

/// Where a challenged segment lies in a version.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct SegmentPosition {
	/// Index of the artifact in the manifest.
	pub artifact: u32,
	/// Chunk within the artifact.
	pub chunk: u64,
	/// Segment within the chunk.
	pub segment: u64,
}

/// Why a segment proof is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofError {
	/// The version's format has no segment tree (format 1): it cannot be proven.
	Unprovable,
	/// No artifact at the position's index.
	UnknownArtifact,
	/// The proof is for another chunk or segment than the one asked for.
	WrongPosition,
	/// A path holds more siblings than a tree of that size has levels.
	ProofTooLong,
	/// The segment is longer or shorter than the segment at that position.
	WrongSegmentLength,
	/// The segment's hashes do not lead to the registered root.
	Mismatch,
}

impl VersionRoots {
	/// The commitments of a manifest's artifacts.
	pub fn of(manifest: &Manifest) -> Self {
		Self {
			format_version: manifest.format_version,
			artifacts: BoundedVec::truncate_from(
				manifest
					.artifacts
					.iter()
					.map(|a| ArtifactRoot {
						size: a.size,
						chunk_size: a.chunk_size,
						merkle_root: a.merkle_root,
					})
					.collect(),
			),
		}
	}

	/// Whether segment proofs exist for this version: its chunk leaves are segment-tree roots.
	pub fn provable(&self) -> bool {
		LeafRule::for_format(self.format_version) == Some(LeafRule::Segments)
	}

	/// Every artifact's total bytes.
	pub fn total_size(&self) -> u64 {
		self.artifacts
			.iter()
			.fold(0u64, |sum, a| sum.saturating_add(a.size))
	}

	/// Segments of the whole version.
	pub fn total_segments(&self) -> u64 {
		self.artifacts.iter().fold(0u64, |sum, a| {
			sum.saturating_add(total_segments(a.size, a.chunk_size))
		})
	}

	/// The segment at `index` among all the version's segments, or `None` past the end.
	pub fn locate(&self, index: u64) -> Option<SegmentPosition> {
		let mut rest = index;
		for (artifact, root) in self.artifacts.iter().enumerate() {
			let segments = total_segments(root.size, root.chunk_size);
			if rest < segments {
				let per_chunk = u64::from(root.chunk_size / SEGMENT_SIZE).max(1);
				return Some(SegmentPosition {
					artifact: u32::try_from(artifact).ok()?,
					chunk: rest.checked_div(per_chunk)?,
					segment: rest.checked_rem(per_chunk)?,
				});
			}
			rest = rest.saturating_sub(segments);
		}
		None
	}

	/// Checks that `proof` shows the segment at `position`. The cheap checks (position, path
	/// lengths, segment length) come before any hashing.
	pub fn check(
		&self,
		position: &SegmentPosition,
		proof: &SegmentProof,
	) -> Result<(), ProofError> {
		if !self.provable() {
			return Err(ProofError::Unprovable);
		}
		let root = usize::try_from(position.artifact)
			.ok()
			.and_then(|i| self.artifacts.get(i))
			.ok_or(ProofError::UnknownArtifact)?;
		if proof.in_artifact.index != position.chunk || proof.in_chunk.index != position.segment {
			return Err(ProofError::WrongPosition);
		}
		let chunks = chunk_count(root.size, root.chunk_size);
		let segments = segment_count(root.size, root.chunk_size, position.chunk);
		if proof.in_artifact.siblings.len() as u32 > max_siblings(chunks)
			|| proof.in_chunk.siblings.len() as u32 > max_siblings(segments)
		{
			return Err(ProofError::ProofTooLong);
		}
		let start = position
			.chunk
			.saturating_mul(u64::from(root.chunk_size))
			.saturating_add(position.segment.saturating_mul(u64::from(SEGMENT_SIZE)));
		let expected_len = root.size.saturating_sub(start).min(u64::from(SEGMENT_SIZE));
		if proof.segment.len() as u64 != expected_len {
			return Err(ProofError::WrongSegmentLength);
		}
		if verify_segment_proof(&root.merkle_root, root.size, root.chunk_size, proof) {
			Ok(())
		} else {
			Err(ProofError::Mismatch)
		}
	}
}

/// What other pallets read about a version's artifacts.
pub trait VersionRootsProvider {
	/// The version's artifact commitments, if the version exists.
	fn roots_of(version: &VersionId) -> Option<VersionRoots>;
}

/// Registers versions for the storage-proofs benchmarks.
pub trait VersionRootsBenchmarkHelper {
	/// Makes `roots_of(version)` return `roots`, without the registry's checks and deposits.
	fn insert_roots(version: VersionId, roots: VersionRoots);
}

/// A storage provider.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct ProviderInfo<Balance, BlockNumber> {
	/// Where the provider serves what it keeps (informational).
	pub endpoint: Endpoint,
	/// Bytes the provider offers to keep.
	pub capacity: u64,
	/// Bytes of its active pledges.
	pub pledged: u64,
	/// Its active pledges.
	pub pledges: u32,
	/// Stake held now (slashes lower it).
	pub stake: Balance,
	/// Reputation, 0 to [`MAX_REPUTATION`]: up for every answered challenge, down for every
	/// missed one.
	pub reputation: u32,
	/// Challenges answered in time, ever.
	pub answered: u32,
	/// Challenges missed, ever.
	pub missed: u32,
	/// The block it registered in.
	pub registered: BlockNumber,
}

/// The highest reputation, which a new provider starts with.
pub const MAX_REPUTATION: u32 = 1000;
/// Reputation a missed challenge costs.
pub const REPUTATION_PER_MISS: u32 = 100;
/// Reputation an answered challenge earns back.
pub const REPUTATION_PER_ANSWER: u32 = 10;

/// Index of a pledge.
pub type PledgeId = u32;
/// Index of a challenge.
pub type ChallengeId = u64;

/// A provider's promise to keep every artifact of a version until `end`.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct Pledge<AccountId, Balance, BlockNumber> {
	/// The pledging provider.
	pub provider: AccountId,
	/// The version kept.
	pub version: VersionId,
	/// The version's total bytes, counted against the provider's capacity.
	pub bytes: u64,
	/// The version's total segments, which challenges are drawn from.
	pub segments: u64,
	/// The block the pledge was made in.
	pub start: BlockNumber,
	/// The last block of its term; challenged until then.
	pub end: BlockNumber,
	/// The deposit held for the pledge's storage.
	pub deposit: Balance,
	/// Challenges missed since the last answered one; the pledge ends at the runtime's limit.
	pub misses_in_a_row: u32,
	/// Challenges answered in time.
	pub answered: u32,
	/// Challenges missed.
	pub missed: u32,
	/// Times the term was renewed by the retention rule.
	pub auto_renewals: u32,
}

/// An open challenge: the provider must answer with a proof of the segment by `deadline`.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct Challenge<AccountId, BlockNumber> {
	/// The pledge challenged.
	pub pledge: PledgeId,
	/// The provider that must answer.
	pub provider: AccountId,
	/// The version challenged.
	pub version: VersionId,
	/// The segment asked for, by its position among all the version's segments
	/// ([`VersionRoots::locate`]).
	pub index: u64,
	/// The block it was drawn in.
	pub issued: BlockNumber,
	/// The last block an answer is accepted in.
	pub deadline: BlockNumber,
	/// The block it was answered in, once answered.
	pub answered: Option<BlockNumber>,
}

/// A closed challenge, kept in the pledge's bounded history.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct ChallengeRecord<Balance, BlockNumber> {
	/// The challenge.
	pub id: ChallengeId,
	/// The segment asked for, by its position among all the version's segments.
	pub index: u64,
	/// The block it was drawn in.
	pub issued: BlockNumber,
	/// The block it was answered in; `None` when it was missed.
	pub answered: Option<BlockNumber>,
	/// The reward paid for the answer, or the stake slashed for the miss.
	pub amount: Balance,
}

/// A round of challenges: ids `first..end` were drawn in it, and the next round starts at
/// block `next` (answers are accepted until the block before).
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct Round<BlockNumber> {
	/// The first challenge of the round.
	pub first: ChallengeId,
	/// One past the last challenge of the round (the next round's first).
	pub end: ChallengeId,
	/// The block the next round starts in; `0` before the first round.
	pub next: BlockNumber,
}

/// An open challenge with the segment it asks for located in the version.
#[derive(
	Clone,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct ChallengeView<AccountId, BlockNumber> {
	/// The challenge's id, which `answer` takes.
	pub id: ChallengeId,
	/// The challenge.
	pub challenge: Challenge<AccountId, BlockNumber>,
	/// The artifact, chunk and segment asked for.
	pub position: SegmentPosition,
}

/// Why a pledge ended.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum PledgeEnd {
	/// Its provider released it after its term.
	Released,
	/// Its term ran out and the retention rule did not renew it.
	Expired,
	/// Its provider missed the runtime's limit of challenges in a row.
	TooManyMisses,
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::merkle::{
		build_segment_proof, root_from_leaves, DEFAULT_CHUNK_SIZE, MIN_CHUNK_SIZE,
	};

	fn roots_of_files(files: &[(&[u8], u32)]) -> VersionRoots {
		VersionRoots {
			format_version: 2,
			artifacts: BoundedVec::truncate_from(
				files
					.iter()
					.map(|(data, chunk_size)| ArtifactRoot {
						size: data.len() as u64,
						chunk_size: *chunk_size,
						merkle_root: root_from_leaves(
							&LeafRule::Segments.leaves_of(data, *chunk_size),
						),
					})
					.collect(),
			),
		}
	}

	fn proof_at(data: &[u8], chunk_size: u32, position: &SegmentPosition) -> SegmentProof {
		let leaves = LeafRule::Segments.leaves_of(data, chunk_size);
		let start = (position.chunk * u64::from(chunk_size)) as usize;
		let end = (start + chunk_size as usize).min(data.len());
		build_segment_proof(&leaves, position.chunk, &data[start..end], position.segment).unwrap()
	}

	#[test]
	fn every_located_segment_proves() {
		let a: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
		let b: Vec<u8> = (0..9_000u32).map(|i| (i % 13) as u8).collect();
		let empty: Vec<u8> = Vec::new();
		let files: [(&[u8], u32); 3] = [
			(&a, 8192),
			(&empty, MIN_CHUNK_SIZE),
			(&b, DEFAULT_CHUNK_SIZE),
		];
		let roots = roots_of_files(&files);
		// a: chunks of 8 KiB → 2 + 2 + 1 segments; empty: 1; b: 3 segments in one chunk.
		assert_eq!(roots.total_segments(), 9);
		assert_eq!(roots.locate(9), None);
		for index in 0..roots.total_segments() {
			let position = roots.locate(index).unwrap();
			let (data, chunk_size) = files[position.artifact as usize];
			let proof = proof_at(data, chunk_size, &position);
			assert_eq!(roots.check(&position, &proof), Ok(()), "segment {index}");
		}
		assert_eq!(
			roots.locate(4),
			Some(SegmentPosition {
				artifact: 0,
				chunk: 2,
				segment: 0
			})
		);
		assert_eq!(
			roots.locate(5),
			Some(SegmentPosition {
				artifact: 1,
				chunk: 0,
				segment: 0
			})
		);
	}

	#[test]
	fn bad_proofs_are_refused_with_their_reason() {
		let data: Vec<u8> = (0..40_000u32).map(|i| (i % 241) as u8).collect();
		let roots = roots_of_files(&[(&data, 16_384)]);
		let position = roots.locate(5).unwrap();
		let good = proof_at(&data, 16_384, &position);
		assert_eq!(roots.check(&position, &good), Ok(()));

		let mut flipped = good.clone();
		flipped.segment[0] ^= 1;
		assert_eq!(roots.check(&position, &flipped), Err(ProofError::Mismatch));

		let mut bad_path = good.clone();
		bad_path.in_artifact.siblings[0][0] ^= 1;
		assert_eq!(roots.check(&position, &bad_path), Err(ProofError::Mismatch));

		let other = roots.locate(6).unwrap();
		assert_eq!(roots.check(&other, &good), Err(ProofError::WrongPosition));

		let mut long = good.clone();
		long.in_chunk.siblings.try_push([0; 32]).unwrap();
		long.in_chunk.siblings.try_push([0; 32]).unwrap();
		assert_eq!(roots.check(&position, &long), Err(ProofError::ProofTooLong));

		let mut short = good.clone();
		short.segment.pop();
		assert_eq!(
			roots.check(&position, &short),
			Err(ProofError::WrongSegmentLength)
		);

		let elsewhere = SegmentPosition {
			artifact: 1,
			..position
		};
		assert_eq!(
			roots.check(&elsewhere, &good),
			Err(ProofError::UnknownArtifact)
		);

		let old = VersionRoots {
			format_version: 1,
			..roots.clone()
		};
		assert_eq!(old.check(&position, &good), Err(ProofError::Unprovable));
	}
}
