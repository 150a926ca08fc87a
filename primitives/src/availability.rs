//! Whether the public copies of a version really serve its bytes, as the validators' off-chain
//! workers find out: the probe targets, what one probe found, a validator's signed report, and
//! the per-URI record the storage-proofs pallet keeps and its runtime API returns.
//!
//! A probe fetches one chunk of one artifact from one URI with an HTTP range request and checks
//! it against the artifact's on-chain root, through the chunk list served beside the blob
//! (`<url>.leaves`, accepted only when its root is the on-chain root).

use crate::{manifest::StorageUri, version_id::VersionId};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_core::{bounded::BoundedVec, ConstU32};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// Most probes in one report.
pub const MAX_PROBES_PER_REPORT: u32 = 16;
/// Most URIs tracked per version; a new one replaces the one probed longest ago.
pub const MAX_URIS_TRACKED: u32 = 16;
/// Most validators listed as having seen one URI serve.
pub const MAX_WITNESSES: u32 = 32;
/// What a report's signature covers, before the encoded report.
pub const REPORT_CONTEXT: &[u8] = b"owh/availability-report";

/// One place an artifact can be fetched from over HTTP(S).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeTarget {
	/// What availability is tracked under: the manifest URI, or the on-chain mirror's base.
	pub uri: StorageUri,
	/// The URL fetched: the manifest URI itself, or `<mirror base>/<sha256 hex>`.
	pub url: Vec<u8>,
	/// The artifact's index in the manifest.
	pub artifact: u32,
}

/// Where the off-chain workers find what to probe.
pub trait ProbeTargets {
	/// A version picked by `seed`: the first version id at or after it, wrapping around.
	fn version_at(seed: &[u8; 32]) -> Option<VersionId>;
	/// Every HTTP(S) location of the version's artifacts: manifest URIs and on-chain mirrors.
	fn probe_targets(version: &VersionId) -> Vec<ProbeTarget>;
}

/// What one probe found.
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
#[serde(rename_all = "snake_case")]
pub enum ProbeOutcome {
	/// The chunk arrived and matched the on-chain root.
	Served,
	/// The chunk arrived and did not match the on-chain root.
	WrongBytes,
	/// The server answered with this HTTP status instead of the chunk.
	HttpStatus(u16),
	/// The server ignored the range request and sent the whole file.
	RangeIgnored,
	/// No complete answer before the timeout.
	TimedOut,
	/// The connection failed.
	Unreachable,
	/// The artifact has several chunks and no chunk list matching its root was found, so the
	/// chunk could not be checked.
	NoChunkList,
}

impl ProbeOutcome {
	/// Whether the URI served the right bytes.
	pub fn served(&self) -> bool {
		matches!(self, Self::Served)
	}
}

/// One probe, as reported.
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
pub struct Probe {
	/// The version probed.
	pub version: VersionId,
	/// The URI probed (a manifest URI or a mirror base).
	pub uri: StorageUri,
	/// The artifact's index in the manifest.
	pub artifact: u32,
	/// The chunk fetched.
	pub chunk: u64,
	/// What the probe found.
	pub outcome: ProbeOutcome,
}

/// A validator's probes of one session, signed with its authority key over
/// [`REPORT_CONTEXT`] followed by the encoded report.
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
pub struct AvailabilityReport<Reporter> {
	/// The session the probes ran in.
	pub session: u32,
	/// The validator's authority key.
	pub reporter: Reporter,
	/// The probes.
	pub probes: BoundedVec<Probe, ConstU32<MAX_PROBES_PER_REPORT>>,
}

impl<Reporter: Encode> AvailabilityReport<Reporter> {
	/// The bytes the reporter signs.
	pub fn signing_payload(&self) -> Vec<u8> {
		let mut payload = REPORT_CONTEXT.to_vec();
		self.encode_to(&mut payload);
		payload
	}
}

/// What the chain knows of one URI of a version.
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
pub struct UriAvailability<BlockNumber, Reporter> {
	/// The URI (a manifest URI or a mirror base).
	pub uri: StorageUri,
	/// The block that recorded the latest probe.
	pub last_probe: BlockNumber,
	/// The block that recorded the latest probe that found the right bytes.
	pub last_success: Option<BlockNumber>,
	/// What the latest probe found.
	pub last_outcome: ProbeOutcome,
	/// Probes in a row that did not find the right bytes.
	pub consecutive_failures: u32,
	/// The validators whose latest probe of this URI found the right bytes.
	pub witnesses: BoundedVec<Reporter, ConstU32<MAX_WITNESSES>>,
}

impl<BlockNumber, Reporter> UriAvailability<BlockNumber, Reporter> {
	/// Whether the latest probe found the right bytes.
	pub fn serving(&self) -> bool {
		self.last_outcome.served()
	}
}

impl<BlockNumber: Copy, Reporter: PartialEq> UriAvailability<BlockNumber, Reporter> {
	/// A URI first probed at `now`.
	pub fn new(uri: StorageUri, now: BlockNumber, outcome: ProbeOutcome) -> Self {
		Self {
			uri,
			last_probe: now,
			last_success: None,
			last_outcome: outcome,
			consecutive_failures: 0,
			witnesses: BoundedVec::new(),
		}
	}

	/// Records `reporter`'s probe at `now`.
	pub fn record(&mut self, reporter: Reporter, now: BlockNumber, outcome: ProbeOutcome) {
		self.last_probe = now;
		self.last_outcome = outcome;
		self.witnesses.retain(|w| *w != reporter);
		if outcome.served() {
			self.last_success = Some(now);
			self.consecutive_failures = 0;
			// Full only with more validators than MAX_WITNESSES: the oldest witness goes.
			if self.witnesses.is_full() && !self.witnesses.is_empty() {
				self.witnesses.remove(0);
			}
			let _ = self.witnesses.try_push(reporter);
		} else {
			self.consecutive_failures = self.consecutive_failures.saturating_add(1);
		}
	}
}

/// Where a URI goes when locations are tried in order (a stable sort by this key): those the
/// validators last saw serving first, then those never probed, then those that failed, fewest
/// failures in a row first.
pub fn serving_rank<B, R>(uri: &[u8], known: &[UriAvailability<B, R>]) -> (u8, u32) {
	match known.iter().find(|a| a.uri.as_slice() == uri) {
		Some(a) if a.serving() => (0, 0),
		None => (1, 0),
		Some(a) => (2, a.consecutive_failures),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn uri(s: &str) -> StorageUri {
		StorageUri::truncate_from(s.as_bytes().to_vec())
	}

	#[test]
	fn record_tracks_success_failures_and_witnesses() {
		let mut a = UriAvailability::<u32, u8>::new(uri("https://m"), 1, ProbeOutcome::TimedOut);
		a.record(7, 1, ProbeOutcome::TimedOut);
		assert_eq!((a.consecutive_failures, a.last_success), (1, None));
		a.record(7, 5, ProbeOutcome::Served);
		a.record(8, 5, ProbeOutcome::Served);
		assert_eq!(a.witnesses.to_vec(), vec![7, 8]);
		assert_eq!((a.consecutive_failures, a.last_success), (0, Some(5)));
		a.record(7, 9, ProbeOutcome::WrongBytes);
		assert_eq!(a.witnesses.to_vec(), vec![8]);
		assert_eq!(
			(a.consecutive_failures, a.last_success, a.last_probe),
			(1, Some(5), 9)
		);
		assert!(!a.serving());
	}

	#[test]
	fn witnesses_stay_bounded() {
		let mut a = UriAvailability::<u32, u32>::new(uri("https://m"), 1, ProbeOutcome::Served);
		for v in 0..(MAX_WITNESSES + 5) {
			a.record(v, 2, ProbeOutcome::Served);
		}
		assert_eq!(a.witnesses.len() as u32, MAX_WITNESSES);
		assert_eq!(a.witnesses.last(), Some(&(MAX_WITNESSES + 4)));
	}

	#[test]
	fn serving_uris_come_first() {
		let mut good = UriAvailability::<u32, u8>::new(uri("g"), 1, ProbeOutcome::Served);
		good.record(1, 1, ProbeOutcome::Served);
		let mut bad = UriAvailability::<u32, u8>::new(uri("b"), 1, ProbeOutcome::WrongBytes);
		bad.record(1, 1, ProbeOutcome::WrongBytes);
		let mut worse = UriAvailability::<u32, u8>::new(uri("w"), 1, ProbeOutcome::TimedOut);
		worse.record(1, 1, ProbeOutcome::TimedOut);
		worse.record(1, 2, ProbeOutcome::TimedOut);
		let known = [good, bad, worse];
		let mut uris = ["w", "b", "n", "g"];
		uris.sort_by_key(|u| serving_rank(u.as_bytes(), &known));
		assert_eq!(uris, ["g", "n", "b", "w"]);
	}

	#[test]
	fn the_signature_covers_context_and_report() {
		let report = AvailabilityReport {
			session: 3,
			reporter: 9u8,
			probes: BoundedVec::new(),
		};
		let payload = report.signing_payload();
		assert!(payload.starts_with(REPORT_CONTEXT));
		assert_eq!(&payload[REPORT_CONTEXT.len()..], report.encode().as_slice());
	}
}
