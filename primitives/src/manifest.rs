//! The release manifest of a model version.
//!
//! Every collection is a [`BoundedVec`] whose bound is a hard ceiling of the encoding. The
//! registry pallet may configure tighter limits, never looser ones (its `integrity_test` checks
//! this). Byte strings are UTF-8 text unless stated otherwise.

use crate::{merkle::Hash32, version_id::VersionId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_core::{bounded::BoundedVec, ConstU32};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// The manifest format this crate writes and the runtime accepts for new versions. Format 2
/// made a chunk's Merkle leaf the root of its 4 KiB segments ([`crate::merkle::LeafRule`]), so
/// that storage proofs stay small; versions committed as format 1 stay valid and verifiable.
pub const MANIFEST_FORMAT_VERSION: u16 = 2;

/// Longest repository name, in bytes.
pub const MAX_REPO_NAME_LEN: u32 = 64;
/// Longest alias name, in bytes.
pub const MAX_ALIAS_LEN: u32 = 32;
/// Most parents a version may declare.
pub const MAX_PARENTS: u32 = 16;
/// Most artifacts in one version.
pub const MAX_ARTIFACTS: u32 = 1024;
/// Longest artifact path, in bytes.
pub const MAX_PATH_LEN: u32 = 256;
/// Most storage URIs per artifact.
pub const MAX_URIS: u32 = 4;
/// Longest storage URI, in bytes.
pub const MAX_URI_LEN: u32 = 256;
/// Longest media type, in bytes.
pub const MAX_MEDIA_TYPE_LEN: u32 = 64;
/// Longest commit message, in bytes.
pub const MAX_MESSAGE_LEN: u32 = 2048;
/// Most metrics in one version.
pub const MAX_METRICS: u32 = 32;
/// Longest metric name, in bytes.
pub const MAX_METRIC_NAME_LEN: u32 = 64;
/// Longest SPDX license expression, in bytes.
pub const MAX_LICENSE_LEN: u32 = 128;
/// Most tags in one version.
pub const MAX_TAGS: u32 = 32;
/// Longest tag key, in bytes.
pub const MAX_TAG_KEY_LEN: u32 = 64;
/// Longest tag value, in bytes.
pub const MAX_TAG_VALUE_LEN: u32 = 128;
/// Longest tool version string, in bytes.
pub const MAX_TOOL_VERSION_LEN: u32 = 64;
/// Most bytes of free text one manifest can carry ([`Manifest::text_len`]).
pub const MAX_TEXT_LEN: u32 = MAX_MESSAGE_LEN
	+ MAX_METRICS * (MAX_METRIC_NAME_LEN + 8)
	+ MAX_LICENSE_LEN
	+ MAX_TAGS * (MAX_TAG_KEY_LEN + MAX_TAG_VALUE_LEN)
	+ MAX_TOOL_VERSION_LEN;
/// Longest yank reason, in bytes.
pub const MAX_REASON_LEN: u32 = 256;

/// Metric values are fixed-point numbers with this many units per 1.0 (six decimals).
pub const METRIC_SCALE: i64 = 1_000_000;

/// A repository name, such as `acme/llama-3-8b`.
pub type RepoName = BoundedVec<u8, ConstU32<MAX_REPO_NAME_LEN>>;
/// An alias name, such as `production`.
pub type AliasName = BoundedVec<u8, ConstU32<MAX_ALIAS_LEN>>;
/// A relative artifact path, `/`-separated.
pub type ArtifactPath = BoundedVec<u8, ConstU32<MAX_PATH_LEN>>;
/// A storage URI (`owh-store://`, `file://`, `http(s)://`, `s3://`, ...).
pub type StorageUri = BoundedVec<u8, ConstU32<MAX_URI_LEN>>;
/// A yank reason.
pub type Reason = BoundedVec<u8, ConstU32<MAX_REASON_LEN>>;

/// How a version was derived from one of its parents.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
	/// Further training of the parent on new data.
	FineTune,
	/// A lower-precision copy of the parent.
	Quantization,
	/// One of several models merged into this one.
	Merge,
	/// A smaller model trained to imitate the parent.
	Distillation,
	/// The parent's recipe trained again from scratch.
	Retrain,
	/// Any other derivation.
	Other,
}

/// A parent version and how this version derives from it.
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
pub struct Parent {
	/// The parent version, in any repository.
	pub version: VersionId,
	/// How this version derives from the parent.
	pub relation: Relation,
}

/// One file of a model version.
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
pub struct Artifact {
	/// Path relative to the model directory, `/`-separated; see [`crate::validate::path`].
	pub path: ArtifactPath,
	/// Size in bytes.
	pub size: u64,
	/// SHA-256 of the whole file.
	pub sha256: Hash32,
	/// Chunk size of the Merkle tree, a power of two within
	/// [`crate::merkle::MIN_CHUNK_SIZE`]..=[`crate::merkle::MAX_CHUNK_SIZE`].
	pub chunk_size: u32,
	/// Root of the Merkle tree over the file's chunks; see [`crate::merkle`].
	pub merkle_root: Hash32,
	/// IANA media type, e.g. `application/octet-stream`.
	pub media_type: BoundedVec<u8, ConstU32<MAX_MEDIA_TYPE_LEN>>,
	/// Where others can fetch the bytes, in order of preference. Empty when the publisher keeps
	/// them only in a local store (they may be mirrored later, see `add_mirror`).
	pub uris: BoundedVec<StorageUri, ConstU32<MAX_URIS>>,
}

/// A named evaluation result, as a fixed-point number scaled by [`METRIC_SCALE`].
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
pub struct Metric {
	/// Metric name, e.g. `mmlu`.
	pub name: BoundedVec<u8, ConstU32<MAX_METRIC_NAME_LEN>>,
	/// Value times [`METRIC_SCALE`]: 0.6512 is stored as 651_200.
	pub value: i64,
}

/// A free-form key/value label.
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
pub struct Tag {
	/// Tag key, e.g. `framework`.
	pub key: BoundedVec<u8, ConstU32<MAX_TAG_KEY_LEN>>,
	/// Tag value, e.g. `pytorch`.
	pub value: BoundedVec<u8, ConstU32<MAX_TAG_VALUE_LEN>>,
}

/// The signed release manifest of one model version.
///
/// Its canonical encoding is its SCALE encoding, with artifacts sorted by path, parents by
/// version id, metrics by name and tags by key, each without duplicates
/// ([`crate::validate::manifest`] enforces this). The version id is the SHA-256 of that
/// encoding ([`Manifest::version_id`]).
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
pub struct Manifest {
	/// Format version, [`MANIFEST_FORMAT_VERSION`].
	pub format_version: u16,
	/// The repository this version belongs to.
	pub repository: RepoName,
	/// Versions this one was derived from (lineage).
	pub parents: BoundedVec<Parent, ConstU32<MAX_PARENTS>>,
	/// The files of this version, sorted by path.
	pub artifacts: BoundedVec<Artifact, ConstU32<MAX_ARTIFACTS>>,
	/// A human-readable message.
	pub message: BoundedVec<u8, ConstU32<MAX_MESSAGE_LEN>>,
	/// Evaluation results, sorted by name.
	pub metrics: BoundedVec<Metric, ConstU32<MAX_METRICS>>,
	/// SPDX license expression, e.g. `Apache-2.0` or `MIT OR Apache-2.0`.
	pub license: BoundedVec<u8, ConstU32<MAX_LICENSE_LEN>>,
	/// Labels, sorted by key.
	pub tags: BoundedVec<Tag, ConstU32<MAX_TAGS>>,
	/// The tool that built the manifest, e.g. `owh/0.1.0`.
	pub tool_version: BoundedVec<u8, ConstU32<MAX_TOOL_VERSION_LEN>>,
}

impl Manifest {
	/// The version id: SHA-256 of the canonical (SCALE) encoding.
	pub fn version_id(&self) -> VersionId {
		VersionId::of_encoded(&self.encode())
	}

	/// Bytes of free text (message, metric names and values, license, tags, tool version):
	/// what `commit_version`'s weight charges by length. At most [`MAX_TEXT_LEN`].
	pub fn text_len(&self) -> u32 {
		let metrics = self
			.metrics
			.iter()
			.map(|m| m.name.len().saturating_add(8))
			.sum::<usize>();
		let tags = self
			.tags
			.iter()
			.map(|t| t.key.len().saturating_add(t.value.len()))
			.sum::<usize>();
		[
			self.message.len(),
			metrics,
			self.license.len(),
			tags,
			self.tool_version.len(),
		]
		.iter()
		.fold(0u32, |acc, n| acc.saturating_add(*n as u32))
	}

	/// Sum of the artifact sizes, saturating.
	pub fn total_size(&self) -> u64 {
		self.artifacts
			.iter()
			.fold(0u64, |acc, a| acc.saturating_add(a.size))
	}
}
