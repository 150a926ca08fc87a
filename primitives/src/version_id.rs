//! Version ids and their text form.
//!
//! A version id is the SHA-256 of the manifest's canonical (SCALE) encoding, so anyone holding
//! a manifest can recompute it, and the chain can check it without trusting the submitter.
//!
//! **Text form.** A CIDv1 with the `raw` codec (0x55) and a `sha2-256` multihash, in base32
//! lower case: `bafkrei…` (59 characters). We chose it because IPFS-style tools (`ipfs cid
//! format`, multiformats libraries) recognise it as a SHA-256 of some bytes, it is
//! case-insensitive-safe for terminals and URLs, and it carries its own hash algorithm should we
//! ever need a second one. Parsing also accepts 64 hex digits (optionally `0x`-prefixed),
//! which is how polkadot.js shows the raw bytes.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Multicodec code of `raw` binary content.
pub const RAW_CODEC: u64 = 0x55;
/// Multihash code of `sha2-256`.
pub const SHA2_256_CODE: u64 = 0x12;

/// The id of a model version: SHA-256 of its canonical manifest encoding.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct VersionId(pub [u8; 32]);

impl VersionId {
	/// The id of an already encoded manifest.
	pub fn of_encoded(encoded_manifest: &[u8]) -> Self {
		Self(Sha256::digest(encoded_manifest).into())
	}

	/// The raw digest bytes.
	pub fn as_bytes(&self) -> &[u8; 32] {
		&self.0
	}
}

impl core::fmt::Debug for VersionId {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "VersionId(0x")?;
		for byte in self.0 {
			write!(f, "{byte:02x}")?;
		}
		write!(f, ")")
	}
}

#[cfg(feature = "std")]
mod text {
	use super::*;
	use cid::{multihash::Multihash, Cid, Version};

	/// Why a text could not be read as a version id.
	#[derive(Debug, Clone, PartialEq, Eq)]
	pub enum ParseVersionIdError {
		/// Neither a CID nor 64 hex digits.
		Malformed(String),
		/// A valid CID, but not CIDv1/raw/sha2-256 with a 32-byte digest.
		WrongCidKind(String),
	}

	impl core::fmt::Display for ParseVersionIdError {
		fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
			match self {
				Self::Malformed(s) => write!(
					f,
					"'{s}' is not a version id: expected a CID such as bafkrei… or 64 hex digits"
				),
				Self::WrongCidKind(s) => write!(
					f,
					"'{s}' is a CID but not an OpenWeightHub version id (CIDv1, raw, sha2-256)"
				),
			}
		}
	}

	impl std::error::Error for ParseVersionIdError {}

	impl VersionId {
		/// The CIDv1 (raw, sha2-256) of this id.
		pub fn to_cid(&self) -> Cid {
			// A 32-byte digest always fits the 64-byte multihash.
			let hash = Multihash::<64>::wrap(SHA2_256_CODE, &self.0).unwrap_or_default();
			Cid::new_v1(RAW_CODEC, hash)
		}

		/// Lower-case hex of the raw digest, without prefix.
		pub fn to_hex(&self) -> String {
			self.0.iter().map(|b| format!("{b:02x}")).collect()
		}
	}

	impl core::fmt::Display for VersionId {
		fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
			write!(f, "{}", self.to_cid())
		}
	}

	impl core::str::FromStr for VersionId {
		type Err = ParseVersionIdError;

		fn from_str(s: &str) -> Result<Self, Self::Err> {
			let trimmed = s.trim();
			let hex = trimmed.strip_prefix("0x").unwrap_or(trimmed);
			if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
				let mut out = [0u8; 32];
				for (i, byte) in out.iter_mut().enumerate() {
					*byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
						.map_err(|_| ParseVersionIdError::Malformed(s.to_owned()))?;
				}
				return Ok(Self(out));
			}
			let cid =
				Cid::try_from(trimmed).map_err(|_| ParseVersionIdError::Malformed(s.to_owned()))?;
			let hash = cid.hash();
			if cid.version() != Version::V1
				|| cid.codec() != RAW_CODEC
				|| hash.code() != SHA2_256_CODE
				|| hash.size() != 32
			{
				return Err(ParseVersionIdError::WrongCidKind(s.to_owned()));
			}
			let mut out = [0u8; 32];
			out.copy_from_slice(hash.digest());
			Ok(Self(out))
		}
	}
}

#[cfg(feature = "std")]
pub use text::ParseVersionIdError;

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn text_round_trip() {
		let id = VersionId::of_encoded(b"hello");
		let text = id.to_string();
		assert!(text.starts_with("bafkrei"), "{text}");
		assert_eq!(text.len(), 59);
		assert_eq!(text.parse::<VersionId>().unwrap(), id);
		assert_eq!(id.to_hex().parse::<VersionId>().unwrap(), id);
		assert_eq!(
			format!("0x{}", id.to_hex()).parse::<VersionId>().unwrap(),
			id
		);
	}

	#[test]
	fn matches_sha256() {
		// sha256("hello")
		assert_eq!(
			VersionId::of_encoded(b"hello").to_hex(),
			"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
		);
	}

	#[test]
	fn rejects_garbage_and_other_cids() {
		assert!(matches!(
			"nope".parse::<VersionId>(),
			Err(ParseVersionIdError::Malformed(_))
		));
		assert!("".parse::<VersionId>().is_err());
		// A CIDv0 (dag-pb) is a valid CID but not one of ours.
		let v0 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";
		assert!(matches!(
			v0.parse::<VersionId>(),
			Err(ParseVersionIdError::WrongCidKind(_))
		));
	}
}
