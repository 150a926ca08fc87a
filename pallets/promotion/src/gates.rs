//! Gates of protected aliases: setting them, their history, and the check before an alias
//! moves.

use crate::*;
use alloc::vec::Vec;
use codec::Encode;
use owh_primitives::{deposit::Footprint, validate, Metric};
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*, traits::fungible::MutateHold},
	frame_system,
	sp_runtime::traits::Zero,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_gate(
		by: Option<T::AccountId>,
		repo: RepoName,
		alias: AliasName,
		gate: Option<GateOf<T>>,
	) -> DispatchResult {
		ensure!(validate::alias_name(&alias), Error::<T>::BadAliasName);
		let current = Gates::<T>::get(&repo, &alias);
		match (&current, &gate) {
			(None, None) => return Err(Error::<T>::NoGate.into()),
			(Some(a), Some(b)) if a == b => return Err(Error::<T>::GateUnchanged.into()),
			_ => {}
		}
		if let Some(gate) = &gate {
			gate.check().map_err(|e| match e {
				GateError::NoThresholds => Error::<T>::NoThresholds,
				GateError::BadAttestorCount => Error::<T>::BadAttestorCount,
				GateError::ZeroMaxAge => Error::<T>::ZeroMaxAge,
				GateError::BadMetricName => Error::<T>::BadMetricName,
				GateError::ValueOutOfRange => Error::<T>::ThresholdOutOfRange,
				GateError::DuplicateThreshold => Error::<T>::DuplicateThreshold,
				GateError::ContradictoryThresholds => Error::<T>::ContradictoryThresholds,
			})?;
		}
		let index = GateChangeCount::<T>::get(&repo, &alias);
		let next = index.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let mut change = GateChangeOf::<T> {
			by: by.clone(),
			deposit: Zero::zero(),
			block: frame_system::Pallet::<T>::block_number(),
			gate: gate.clone(),
		};
		if let Some(owner) = &by {
			let key = (&repo, &alias).encoded_size();
			// The history entry, the live gate, and the promotion record it will keep.
			let footprint =
				Footprint::entry(key.saturating_add(4).saturating_add(change.encoded_size()))
					.and(Footprint::entry(key.saturating_add(gate.encoded_size())))
					.and(Footprint::entry(
						key.saturating_add(PromotionOf::<T>::max_encoded_len())
							.saturating_add(alias.encoded_size()),
					));
			change.deposit = Self::deposit_for(footprint);
			T::Currency::hold(&HoldReason::Deposit.into(), owner, change.deposit)
				.map_err(|_| Error::<T>::InsufficientDeposit)?;
		}
		GateHistory::<T>::insert((repo.clone(), alias.clone()), index, change);
		GateChangeCount::<T>::insert(&repo, &alias, next);
		match (&current, &gate) {
			(None, Some(_)) => {
				if let Some(version) = T::Registry::alias_target(&repo, &alias) {
					Self::record_promotion(
						&repo,
						&alias,
						version,
						Default::default(),
						Approval::None,
					)?;
				}
			}
			(Some(_), None) => Self::clear_promotion(&repo, &alias),
			_ => {}
		}
		match &gate {
			Some(gate) => Gates::<T>::insert(&repo, &alias, gate),
			None => Gates::<T>::remove(&repo, &alias),
		}
		Self::deposit_event(Event::GateChanged {
			repo,
			alias,
			gate,
			by,
		});
		Ok(())
	}

	/// The attestations of `version` the gates count now: each unsuspended attestor's latest,
	/// unless it was ruled false; with their blocks. Ages are the gate's to judge.
	pub fn counted_attestations(version: &VersionId) -> Vec<(AttestationId, AttestationOf<T>)> {
		Latest::<T>::get(version)
			.into_iter()
			.filter(|(attestor, _)| {
				Attestors::<T>::get(attestor).is_some_and(|info| !info.suspended)
			})
			.filter_map(|(_, id)| Attestations::<T>::get(id).map(|a| (id, a)))
			.filter(|(_, a)| a.status == AttestationStatus::Standing)
			.collect()
	}

	/// `gate` evaluated for `version` at the current block.
	pub fn evaluate(gate: &GateOf<T>, version: &VersionId) -> GateStatus {
		Self::evaluate_with_ids(gate, version).0
	}

	/// `gate` evaluated for `version` at the current block, with the ids of the attestations
	/// it counted (fresh, and naming a metric of one of its thresholds).
	pub(crate) fn evaluate_with_ids(
		gate: &GateOf<T>,
		version: &VersionId,
	) -> (GateStatus, AttestationIds) {
		let now = frame_system::Pallet::<T>::block_number();
		let counted = Self::counted_attestations(version);
		let status = gate.status(
			now,
			counted
				.iter()
				.map(|(_, a)| (&a.metrics[..] as &[Metric], a.block)),
		);
		let ids: Vec<AttestationId> = counted
			.iter()
			.filter(|(_, a)| gate.is_fresh(now, a.block) && gate.bounds_any(&a.metrics))
			.map(|(id, _)| *id)
			.collect();
		// `Latest` holds at most `MAX_VERSION_ATTESTORS`, so nothing is cut.
		(status, AttestationIds::truncate_from(ids))
	}

	/// The gate of `alias` in `repo` evaluated for `version`, if the alias is protected.
	pub fn gate_status(
		repo: &RepoName,
		alias: &AliasName,
		version: &VersionId,
	) -> Option<GateStatus> {
		Gates::<T>::get(repo, alias).map(|gate| Self::evaluate(&gate, version))
	}
}
