//! Gated promotion: attestors' metric results for a version, the gates protected aliases set on
//! them, and the one evaluation of a gate that the runtime enforces and the client shows.
//!
//! A gate holds for a version when, for each of its thresholds, at least `min_attestors`
//! distinct attestors have a counted attestation of the version that names the threshold's
//! metric, and every such value passes. An attestation is counted when it is its attestor's
//! latest for the version, its attestor is not suspended, it was not ruled false, and it is at
//! most `max_age` blocks old. A dissenting attestor therefore blocks a promotion until its
//! attestation is superseded or ruled false: a gate errs on the side of not promoting.

use crate::{
	manifest::{Metric, MAX_METRIC_NAME_LEN, METRIC_SCALE},
	version_id::VersionId,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	sp_arithmetic::traits::AtLeast32BitUnsigned,
	sp_core::{bounded::BoundedVec, ConstU32},
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// Most metrics in one attestation.
pub const MAX_ATTESTED_METRICS: u32 = 16;
/// Most metric names one attestor may attest.
pub const MAX_ATTESTOR_METRICS: u32 = 16;
/// Longest attestor name, in bytes.
pub const MAX_ATTESTOR_NAME_LEN: u32 = 64;
/// Longest evidence URI, in bytes.
pub const MAX_EVIDENCE_URI_LEN: u32 = 256;
/// Most thresholds in one gate.
pub const MAX_GATE_THRESHOLDS: u32 = 8;
/// Most distinct attestors of one version (each attestor's latest attestation is kept for the
/// gates); also the most attestors a gate can require.
pub const MAX_VERSION_ATTESTORS: u32 = 16;
/// Largest magnitude of an attested value: one billion, in [`METRIC_SCALE`] units.
pub const MAX_METRIC_MAGNITUDE: i64 = 1_000_000_000 * METRIC_SCALE;
/// Domain separation of an attestation signed off-chain.
pub const ATTESTATION_CONTEXT: &[u8] = b"owh/attestation";

/// A metric's name, as in the manifest.
pub type MetricName = BoundedVec<u8, ConstU32<MAX_METRIC_NAME_LEN>>;
/// An attestor's display name.
pub type AttestorName = BoundedVec<u8, ConstU32<MAX_ATTESTOR_NAME_LEN>>;
/// Where an attestation's evidence can be fetched.
pub type EvidenceUri = BoundedVec<u8, ConstU32<MAX_EVIDENCE_URI_LEN>>;
/// The metric values of one attestation, by strictly increasing name.
pub type AttestedMetrics = BoundedVec<Metric, ConstU32<MAX_ATTESTED_METRICS>>;
/// Attestations are numbered in the order the chain records them.
pub type AttestationId = u64;
/// Disputes are numbered in the order they are opened.
pub type DisputeId = u64;
/// Attestation ids a promotion rested on.
pub type AttestationIds = BoundedVec<AttestationId, ConstU32<MAX_VERSION_ATTESTORS>>;

/// How a threshold compares an attested value with its bound.
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
pub enum Comparison {
	/// The value must be at least the bound (`>=`).
	AtLeast,
	/// The value must be at most the bound (`<=`).
	AtMost,
}

/// One condition of a gate: `metric >= value` or `metric <= value`, in [`METRIC_SCALE`] units.
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
pub struct Threshold {
	/// The metric it bounds.
	pub metric: MetricName,
	/// `>=` or `<=`.
	pub comparison: Comparison,
	/// The bound, times [`METRIC_SCALE`].
	pub value: i64,
}

impl Threshold {
	/// Whether an attested `value` meets this threshold.
	pub fn passes(&self, value: i64) -> bool {
		match self.comparison {
			Comparison::AtLeast => value >= self.value,
			Comparison::AtMost => value <= self.value,
		}
	}
}

/// What a protected alias requires of the version it is moved to.
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
pub struct Gate<BlockNumber> {
	/// Every one must hold (at most [`MAX_GATE_THRESHOLDS`], at most one per metric and
	/// comparison).
	pub thresholds: BoundedVec<Threshold, ConstU32<MAX_GATE_THRESHOLDS>>,
	/// Distinct attestors each threshold needs (1 to [`MAX_VERSION_ATTESTORS`]).
	pub min_attestors: u8,
	/// Oldest an attestation may be, in blocks, to count (at least 1).
	pub max_age: BlockNumber,
	/// The governance approval a move to a version also needs, beyond the thresholds.
	pub approval: Approval,
}

/// The governance approval a gate requires before its alias moves to a version. A referendum's
/// approval also satisfies a gate that asks for the council's.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
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
#[serde(rename_all = "snake_case")]
pub enum Approval {
	/// The thresholds are enough.
	#[default]
	None,
	/// A council motion must also approve the version for the alias.
	Council,
	/// A referendum must also approve the version for the alias.
	Referendum,
}

impl Approval {
	/// Whether an approval `given` meets this requirement.
	pub fn satisfied_by(self, given: Approval) -> bool {
		given >= self
	}
}

/// Why a gate cannot be set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateError {
	/// A gate needs at least one threshold.
	NoThresholds,
	/// `min_attestors` is 0 or above [`MAX_VERSION_ATTESTORS`].
	BadAttestorCount,
	/// `max_age` is 0: no attestation could ever count.
	ZeroMaxAge,
	/// A threshold's metric name is empty or has characters a manifest metric cannot have.
	BadMetricName,
	/// A bound is beyond [`MAX_METRIC_MAGNITUDE`].
	ValueOutOfRange,
	/// Two thresholds bound the same metric the same way.
	DuplicateThreshold,
	/// `metric >= a` and `metric <= b` with `a > b`: no value passes both.
	ContradictoryThresholds,
}

impl<BlockNumber: AtLeast32BitUnsigned + Copy> Gate<BlockNumber> {
	/// Whether the gate can be set: some thresholds, none repeated or contradicting another, a
	/// possible attestor count and a non-zero age.
	pub fn check(&self) -> Result<(), GateError> {
		if self.thresholds.is_empty() {
			return Err(GateError::NoThresholds);
		}
		if self.min_attestors == 0 || u32::from(self.min_attestors) > MAX_VERSION_ATTESTORS {
			return Err(GateError::BadAttestorCount);
		}
		if self.max_age.is_zero() {
			return Err(GateError::ZeroMaxAge);
		}
		for (i, t) in self.thresholds.iter().enumerate() {
			if !crate::validate::metric_name(&t.metric) {
				return Err(GateError::BadMetricName);
			}
			if t.value.unsigned_abs() > MAX_METRIC_MAGNITUDE.unsigned_abs() {
				return Err(GateError::ValueOutOfRange);
			}
			for other in self.thresholds.iter().skip(i.saturating_add(1)) {
				if other.metric != t.metric {
					continue;
				}
				if other.comparison == t.comparison {
					return Err(GateError::DuplicateThreshold);
				}
				let (low, high) = match t.comparison {
					Comparison::AtLeast => (t.value, other.value),
					Comparison::AtMost => (other.value, t.value),
				};
				if low > high {
					return Err(GateError::ContradictoryThresholds);
				}
			}
		}
		Ok(())
	}

	/// Whether an attestation recorded in `block` is young enough to count at block `now`.
	pub fn is_fresh(&self, now: BlockNumber, block: BlockNumber) -> bool {
		now.saturating_sub(block) <= self.max_age
	}

	/// Whether an attestation of `metrics` names the metric of one of the thresholds.
	pub fn bounds_any(&self, metrics: &[Metric]) -> bool {
		metrics
			.iter()
			.any(|m| self.thresholds.iter().any(|t| t.metric == m.name))
	}

	/// Evaluates the gate at block `now` over `attestations`: each attestor's latest
	/// attestation of the version with its block, already restricted to the counted ones
	/// (attestor not suspended, not ruled false).
	pub fn status<'a>(
		&self,
		now: BlockNumber,
		attestations: impl IntoIterator<Item = (&'a [Metric], BlockNumber)>,
	) -> GateStatus {
		let mut thresholds: Vec<ThresholdStatus> = self
			.thresholds
			.iter()
			.map(|_| ThresholdStatus::default())
			.collect();
		for (metrics, block) in attestations {
			if !self.is_fresh(now, block) {
				continue;
			}
			for (threshold, status) in self.thresholds.iter().zip(thresholds.iter_mut()) {
				let Some(metric) = metrics.iter().find(|m| m.name == threshold.metric) else {
					continue;
				};
				status.counted = status.counted.saturating_add(1);
				let worse = match (status.worst, threshold.comparison) {
					(None, _) => true,
					(Some(w), Comparison::AtLeast) => metric.value < w,
					(Some(w), Comparison::AtMost) => metric.value > w,
				};
				if worse {
					status.worst = Some(metric.value);
				}
			}
		}
		for (threshold, status) in self.thresholds.iter().zip(thresholds.iter_mut()) {
			status.outcome = if status.counted < self.min_attestors {
				ThresholdOutcome::TooFewAttestors
			} else if status.worst.is_some_and(|w| threshold.passes(w)) {
				ThresholdOutcome::Passes
			} else {
				ThresholdOutcome::NotMet
			};
		}
		GateStatus { thresholds }
	}
}

/// Whether a threshold holds.
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
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdOutcome {
	/// Enough attestors, and every counted value passes.
	Passes,
	/// Fewer counted attestations name the metric than the gate requires.
	#[default]
	TooFewAttestors,
	/// Enough attestors, but at least one counted value fails the bound.
	NotMet,
}

/// One threshold of a gate, evaluated.
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct ThresholdStatus {
	/// Counted attestations that name the metric (distinct attestors).
	pub counted: u8,
	/// The value furthest on the failing side among them.
	pub worst: Option<i64>,
	/// The verdict.
	pub outcome: ThresholdOutcome,
}

/// A gate evaluated for one version: its thresholds' statuses, in the gate's order.
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
pub struct GateStatus {
	/// One per threshold, in the gate's order.
	pub thresholds: Vec<ThresholdStatus>,
}

impl GateStatus {
	/// Whether every threshold passes.
	pub fn passes(&self) -> bool {
		self.thresholds
			.iter()
			.all(|t| t.outcome == ThresholdOutcome::Passes)
	}

	/// The first threshold that fails, by index, and how.
	pub fn first_failure(&self) -> Option<(usize, ThresholdOutcome)> {
		self.thresholds
			.iter()
			.enumerate()
			.find(|(_, t)| t.outcome != ThresholdOutcome::Passes)
			.map(|(i, t)| (i, t.outcome))
	}
}

/// The evaluation report or logs an attestation rests on.
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
pub struct Evidence {
	/// SHA-256 of the report.
	pub sha256: [u8; 32],
	/// Where it can be fetched (`scheme:rest`, printable ASCII).
	pub uri: EvidenceUri,
}

/// Whether an attestation stands.
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
pub enum AttestationStatus {
	/// Counted by gates (while it is its attestor's latest and fresh).
	Standing,
	/// Found false by governance: no gate counts it.
	RuledFalse,
}

/// An attestor's signed metric results for a version. Never changed, except that a ruling
/// can mark it false.
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
pub struct Attestation<AccountId, Balance, BlockNumber> {
	/// Who attests.
	pub attestor: AccountId,
	/// The version attested.
	pub version: VersionId,
	/// The results, by strictly increasing name.
	pub metrics: AttestedMetrics,
	/// What they rest on.
	pub evidence: Evidence,
	/// The block it was recorded in.
	pub block: BlockNumber,
	/// Who paid its storage deposit (the attestor, or whoever submitted it for the attestor).
	pub depositor: AccountId,
	/// The deposit held from `depositor`; kept for good, like the attestation.
	pub deposit: Balance,
	/// Standing or ruled false.
	pub status: AttestationStatus,
}

/// A registered attestor.
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
pub struct AttestorInfo<Balance> {
	/// A display name (`ci.example.org`, `Example Evaluation Lab`).
	pub name: AttestorName,
	/// The metric names it may attest, strictly increasing.
	pub metrics: BoundedVec<MetricName, ConstU32<MAX_ATTESTOR_METRICS>>,
	/// The bond held from it, which a ruling against one of its attestations slashes.
	pub bond: Balance,
	/// A suspended attestor cannot attest, and gates do not count its attestations.
	pub suspended: bool,
	/// The nonce the next attestation it signs off-chain must carry.
	pub nonce: u32,
}

/// What an attestor signs off-chain, so that anyone can submit its attestation.
#[derive(Clone, Debug, PartialEq, Eq, Encode)]
pub struct AttestationPayload<'a> {
	/// The chain's genesis hash: the signature is valid on this chain only.
	pub genesis: [u8; 32],
	/// The attestor's next nonce: each signature is used once.
	pub nonce: u32,
	/// The version attested.
	pub version: VersionId,
	/// The results.
	pub metrics: &'a [Metric],
	/// The evidence.
	pub evidence: &'a Evidence,
}

impl AttestationPayload<'_> {
	/// The bytes the attestor signs: [`ATTESTATION_CONTEXT`] ‖ SCALE encoding.
	pub fn signing_bytes(&self) -> Vec<u8> {
		let mut bytes = ATTESTATION_CONTEXT.to_vec();
		self.encode_to(&mut bytes);
		bytes
	}
}

/// One change of an alias's gate, kept for good.
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
pub struct GateChange<AccountId, Balance, BlockNumber> {
	/// The repository owner who changed it, or `None` for governance.
	pub by: Option<AccountId>,
	/// The deposit held from `by` for this entry and the gate it set.
	pub deposit: Balance,
	/// The block of the change.
	pub block: BlockNumber,
	/// The gate from then on; `None` when the alias stopped being protected.
	pub gate: Option<Gate<BlockNumber>>,
}

/// How a dispute stands.
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
pub enum DisputeStatus {
	/// Awaiting governance's ruling.
	Open,
	/// The attestation was ruled false: the attestor's bond was slashed.
	Upheld,
	/// The attestation stands: the disputer's bond went to the attestor.
	Rejected,
}

/// A challenge of an attestation, bonded by the disputer and ruled on by governance.
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
pub struct Dispute<AccountId, Balance, BlockNumber> {
	/// The attestation disputed.
	pub attestation: AttestationId,
	/// Who opened it.
	pub disputer: AccountId,
	/// The disputer's bond: returned if upheld, paid to the attestor if rejected.
	pub bond: Balance,
	/// The storage deposit of the record, held from the disputer for good.
	pub deposit: Balance,
	/// Why the attestation is false.
	pub evidence: Evidence,
	/// The block it was opened in.
	pub opened: BlockNumber,
	/// Open, upheld or rejected.
	pub status: DisputeStatus,
	/// The block of the ruling.
	pub ruled: Option<BlockNumber>,
	/// Slashed from the attestor when upheld.
	pub slashed: Balance,
}

/// How a protected alias came to point at its version: recorded at each move of a protected
/// alias (or when an alias is protected in place) and replaced by the next.
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
pub struct Promotion<BlockNumber> {
	/// The version the alias points at.
	pub version: VersionId,
	/// The attestations the gate counted at the move; empty when protected in place.
	pub attestations: AttestationIds,
	/// The governance approval it used.
	pub approval: Approval,
	/// The block of the move.
	pub block: BlockNumber,
	/// The first of its attestations since ruled false: `owh install` warns.
	pub flagged: Option<AttestationId>,
}

/// Governance's approval of a version for a gated alias, used by the move it approves.
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
pub struct PromotionApproval<BlockNumber> {
	/// The version approved.
	pub version: VersionId,
	/// Council or referendum.
	pub approval: Approval,
	/// The block of the approval.
	pub block: BlockNumber,
}

/// The protected aliases that pointed at a version when it was yanked, kept for good.
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
pub struct YankSnapshot<AccountId, Balance, BlockNumber> {
	/// The maintainer who yanked, or `None` for governance.
	pub by: Option<AccountId>,
	/// The deposit held from `by`.
	pub deposit: Balance,
	/// Each protected alias at the version, with its promotion.
	pub aliases:
		BoundedVec<(crate::AliasName, Promotion<BlockNumber>), ConstU32<MAX_VERSION_ATTESTORS>>,
}

/// Why attested metrics are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricsError {
	/// No metric.
	Empty,
	/// Names not strictly increasing (a repeated or unordered name).
	NotSorted,
	/// A name the attestor may not attest.
	NotAllowed,
	/// A value beyond [`MAX_METRIC_MAGNITUDE`].
	OutOfRange,
}

/// Checks attested `metrics` against the names an attestor may attest (`allowed`, sorted).
pub fn check_attested_metrics(
	metrics: &[Metric],
	allowed: &[MetricName],
) -> Result<(), MetricsError> {
	if metrics.is_empty() {
		return Err(MetricsError::Empty);
	}
	if !metrics
		.windows(2)
		.all(|w| matches!(w, [a, b] if a.name < b.name))
	{
		return Err(MetricsError::NotSorted);
	}
	for metric in metrics {
		if allowed.binary_search(&metric.name).is_err() {
			return Err(MetricsError::NotAllowed);
		}
		if metric.value.unsigned_abs() > MAX_METRIC_MAGNITUDE.unsigned_abs() {
			return Err(MetricsError::OutOfRange);
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn name(text: &str) -> MetricName {
		text.as_bytes().to_vec().try_into().unwrap()
	}

	fn metric(text: &str, value: f64) -> Metric {
		Metric {
			name: name(text),
			value: (value * METRIC_SCALE as f64).round() as i64,
		}
	}

	fn threshold(text: &str, comparison: Comparison, value: f64) -> Threshold {
		Threshold {
			metric: name(text),
			comparison,
			value: (value * METRIC_SCALE as f64).round() as i64,
		}
	}

	fn gate(thresholds: Vec<Threshold>, min_attestors: u8) -> Gate<u32> {
		Gate {
			thresholds: thresholds.try_into().unwrap(),
			min_attestors,
			max_age: 100,
			approval: Approval::None,
		}
	}

	fn fraud_gate() -> Gate<u32> {
		gate(
			vec![
				threshold("recall", Comparison::AtLeast, 0.97),
				threshold("false_positive_rate", Comparison::AtMost, 0.01),
			],
			2,
		)
	}

	#[test]
	fn a_referendum_satisfies_a_council_requirement() {
		assert!(Approval::None.satisfied_by(Approval::None));
		assert!(Approval::Council.satisfied_by(Approval::Council));
		assert!(Approval::Council.satisfied_by(Approval::Referendum));
		assert!(!Approval::Council.satisfied_by(Approval::None));
		assert!(!Approval::Referendum.satisfied_by(Approval::Council));
	}

	#[test]
	fn comparisons_include_the_bound() {
		let at_least = threshold("recall", Comparison::AtLeast, 0.97);
		assert!(at_least.passes(970_000));
		assert!(at_least.passes(980_000));
		assert!(!at_least.passes(969_999));
		let at_most = threshold("fpr", Comparison::AtMost, 0.01);
		assert!(at_most.passes(10_000));
		assert!(at_most.passes(-5));
		assert!(!at_most.passes(10_001));
	}

	#[test]
	fn two_attestors_meeting_every_threshold_pass() {
		let a = [metric("false_positive_rate", 0.01), metric("recall", 0.98)];
		let b = [metric("false_positive_rate", 0.005), metric("recall", 0.99)];
		let status = fraud_gate().status(50, [(&a[..], 40), (&b[..], 45)]);
		assert!(status.passes(), "{status:?}");
		assert_eq!(status.thresholds[0].counted, 2);
		assert_eq!(status.thresholds[0].worst, Some(980_000));
		assert_eq!(status.thresholds[1].worst, Some(10_000));
		assert_eq!(status.first_failure(), None);
	}

	#[test]
	fn one_attestor_is_too_few_for_two() {
		let a = [metric("false_positive_rate", 0.01), metric("recall", 0.98)];
		let status = fraud_gate().status(50, [(&a[..], 40)]);
		assert!(!status.passes());
		assert_eq!(
			status.first_failure(),
			Some((0, ThresholdOutcome::TooFewAttestors))
		);
	}

	#[test]
	fn a_dissenting_attestor_fails_the_threshold_it_misses() {
		let a = [metric("false_positive_rate", 0.01), metric("recall", 0.98)];
		let b = [metric("false_positive_rate", 0.01), metric("recall", 0.95)];
		let status = fraud_gate().status(50, [(&a[..], 40), (&b[..], 40)]);
		assert_eq!(status.first_failure(), Some((0, ThresholdOutcome::NotMet)));
		assert_eq!(status.thresholds[0].worst, Some(950_000));
		assert_eq!(status.thresholds[1].outcome, ThresholdOutcome::Passes);
	}

	#[test]
	fn stale_attestations_and_missing_metrics_do_not_count() {
		let fresh = [metric("false_positive_rate", 0.001), metric("recall", 0.99)];
		let stale = [metric("false_positive_rate", 0.001), metric("recall", 0.99)];
		let recall_only = [metric("recall", 0.99)];
		// 151 - 50 = 101 blocks old: one past max_age.
		let status = fraud_gate().status(
			151,
			[(&fresh[..], 140), (&stale[..], 50), (&recall_only[..], 150)],
		);
		assert_eq!(status.thresholds[0].counted, 2);
		assert_eq!(status.thresholds[0].outcome, ThresholdOutcome::Passes);
		assert_eq!(status.thresholds[1].counted, 1);
		assert_eq!(
			status.first_failure(),
			Some((1, ThresholdOutcome::TooFewAttestors))
		);
		// Exactly max_age old still counts.
		let status = fraud_gate().status(150, [(&fresh[..], 140), (&stale[..], 50)]);
		assert!(status.passes(), "{status:?}");
	}

	#[test]
	fn gates_are_checked_before_they_are_set() {
		assert_eq!(fraud_gate().check(), Ok(()));
		assert_eq!(gate(vec![], 1).check(), Err(GateError::NoThresholds));
		let one = || vec![threshold("recall", Comparison::AtLeast, 0.9)];
		assert_eq!(gate(one(), 0).check(), Err(GateError::BadAttestorCount));
		assert_eq!(gate(one(), 17).check(), Err(GateError::BadAttestorCount));
		assert_eq!(gate(one(), 16).check(), Ok(()));
		let mut zero_age = gate(one(), 1);
		zero_age.max_age = 0;
		assert_eq!(zero_age.check(), Err(GateError::ZeroMaxAge));
		assert_eq!(
			gate(vec![threshold("re call", Comparison::AtLeast, 0.9)], 1).check(),
			Err(GateError::BadMetricName)
		);
		assert_eq!(
			gate(
				vec![Threshold {
					metric: name("loss"),
					comparison: Comparison::AtMost,
					value: MAX_METRIC_MAGNITUDE + 1
				}],
				1
			)
			.check(),
			Err(GateError::ValueOutOfRange)
		);
		assert_eq!(
			gate(
				vec![
					threshold("recall", Comparison::AtLeast, 0.9),
					threshold("recall", Comparison::AtLeast, 0.95)
				],
				1
			)
			.check(),
			Err(GateError::DuplicateThreshold)
		);
		assert_eq!(
			gate(
				vec![
					threshold("recall", Comparison::AtMost, 0.9),
					threshold("recall", Comparison::AtLeast, 0.95)
				],
				1
			)
			.check(),
			Err(GateError::ContradictoryThresholds)
		);
		// A band is fine, including a single point.
		assert_eq!(
			gate(
				vec![
					threshold("temperature", Comparison::AtLeast, 0.5),
					threshold("temperature", Comparison::AtMost, 0.5)
				],
				1
			)
			.check(),
			Ok(())
		);
	}

	#[test]
	fn attested_metrics_are_sorted_allowed_and_in_range() {
		let allowed = [name("false_positive_rate"), name("recall")];
		let ok = [metric("false_positive_rate", 0.01), metric("recall", 0.98)];
		assert_eq!(check_attested_metrics(&ok, &allowed), Ok(()));
		assert_eq!(
			check_attested_metrics(&[], &allowed),
			Err(MetricsError::Empty)
		);
		let unsorted = [metric("recall", 0.98), metric("false_positive_rate", 0.01)];
		assert_eq!(
			check_attested_metrics(&unsorted, &allowed),
			Err(MetricsError::NotSorted)
		);
		let repeated = [metric("recall", 0.98), metric("recall", 0.97)];
		assert_eq!(
			check_attested_metrics(&repeated, &allowed),
			Err(MetricsError::NotSorted)
		);
		let other = [metric("mmlu", 0.7)];
		assert_eq!(
			check_attested_metrics(&other, &allowed),
			Err(MetricsError::NotAllowed)
		);
		let huge = [Metric {
			name: name("recall"),
			value: i64::MIN,
		}];
		assert_eq!(
			check_attested_metrics(&huge, &allowed),
			Err(MetricsError::OutOfRange)
		);
	}

	#[test]
	fn the_signed_payload_is_bound_to_the_chain_and_the_nonce() {
		let evidence = Evidence {
			sha256: [7; 32],
			uri: b"https://ci.example.org/run/1".to_vec().try_into().unwrap(),
		};
		let metrics = [metric("recall", 0.98)];
		let payload = |genesis, nonce| AttestationPayload {
			genesis,
			nonce,
			version: VersionId([1; 32]),
			metrics: &metrics,
			evidence: &evidence,
		};
		let bytes = payload([0; 32], 0).signing_bytes();
		assert!(bytes.starts_with(ATTESTATION_CONTEXT));
		assert_ne!(bytes, payload([1; 32], 0).signing_bytes());
		assert_ne!(bytes, payload([0; 32], 1).signing_bytes());
	}
}
