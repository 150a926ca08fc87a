//! Disputes over attestations: opening them with a bond, and governance's ruling.

use crate::*;
use codec::Encode;
use owh_primitives::{deposit::Footprint, validate};
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
			Get,
		},
	},
	frame_system,
	sp_runtime::{traits::Zero, Saturating},
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_open_dispute(
		disputer: T::AccountId,
		attestation: AttestationId,
		evidence: Evidence,
	) -> DispatchResult {
		let record = Attestations::<T>::get(attestation).ok_or(Error::<T>::UnknownAttestation)?;
		ensure!(
			record.status == AttestationStatus::Standing,
			Error::<T>::AttestationRuledFalse
		);
		ensure!(
			!OpenDisputes::<T>::contains_key(attestation),
			Error::<T>::DisputeAlreadyOpen
		);
		ensure!(
			validate::storage_uri(&evidence.uri),
			Error::<T>::BadEvidenceUri
		);
		let id = NextDisputeId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let bond = T::DisputeBond::get();
		let mut dispute = DisputeOf::<T> {
			attestation,
			disputer: disputer.clone(),
			bond,
			deposit: Zero::zero(),
			evidence,
			opened: frame_system::Pallet::<T>::block_number(),
			status: DisputeStatus::Open,
			ruled: None,
			slashed: Zero::zero(),
		};
		// The record and its entry in the attestation's index.
		dispute.deposit = Self::deposit_for(
			Footprint::entry(dispute.encoded_size().saturating_add(8)).and(Footprint::entry(16)),
		);
		T::Currency::hold(&HoldReason::DisputeBond.into(), &disputer, bond)
			.and_then(|_| {
				T::Currency::hold(&HoldReason::Deposit.into(), &disputer, dispute.deposit)
			})
			.map_err(|_| Error::<T>::InsufficientDisputeBond)?;
		Disputes::<T>::insert(id, dispute);
		AttestationDisputes::<T>::insert(attestation, id, ());
		OpenDisputes::<T>::insert(attestation, id);
		NextDisputeId::<T>::put(next);
		Self::deposit_event(Event::DisputeOpened {
			id,
			attestation,
			disputer,
			bond,
		});
		Ok(())
	}

	pub(crate) fn do_rule_dispute(id: DisputeId, upheld: bool) -> DispatchResult {
		let mut dispute = Disputes::<T>::get(id).ok_or(Error::<T>::UnknownDispute)?;
		ensure!(
			dispute.status == DisputeStatus::Open,
			Error::<T>::DisputeClosed
		);
		let mut attestation =
			Attestations::<T>::get(dispute.attestation).ok_or(Error::<T>::UnknownAttestation)?;
		let attestor = attestation.attestor.clone();
		dispute.ruled = Some(frame_system::Pallet::<T>::block_number());
		if upheld {
			dispute.status = DisputeStatus::Upheld;
			dispute.slashed = Self::slash_attestor(&attestor, &dispute.disputer)?;
			T::Currency::release(
				&HoldReason::DisputeBond.into(),
				&dispute.disputer,
				dispute.bond,
				Precision::BestEffort,
			)?;
			attestation.status = AttestationStatus::RuledFalse;
			Attestations::<T>::insert(dispute.attestation, &attestation);
			Self::flag_promotions(&attestation.version, dispute.attestation);
			Self::deposit_event(Event::DisputeUpheld {
				id,
				attestation: dispute.attestation,
				attestor,
				slashed: dispute.slashed,
				to_disputer: T::DisputerShare::get().mul_floor(dispute.slashed),
			});
		} else {
			dispute.status = DisputeStatus::Rejected;
			T::Currency::transfer_on_hold(
				&HoldReason::DisputeBond.into(),
				&dispute.disputer,
				&attestor,
				dispute.bond,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)?;
			Self::deposit_event(Event::DisputeRejected {
				id,
				attestation: dispute.attestation,
				attestor,
				bond: dispute.bond,
			});
		}
		OpenDisputes::<T>::remove(dispute.attestation);
		Disputes::<T>::insert(id, dispute);
		Ok(())
	}

	/// Takes `attestor`'s whole bond: `DisputerShare` to `disputer`, the rest to
	/// `SlashDestination`. Suspends the attestor. Returns the amount slashed.
	pub(crate) fn slash_attestor(
		attestor: &T::AccountId,
		disputer: &T::AccountId,
	) -> Result<BalanceOf<T>, DispatchError> {
		let Some(mut info) = Attestors::<T>::get(attestor) else {
			return Ok(Zero::zero());
		};
		let slashed = info.bond;
		let to_disputer = T::DisputerShare::get().mul_floor(slashed);
		let reason = HoldReason::AttestorBond.into();
		for (to, amount) in [
			(disputer.clone(), to_disputer),
			(
				T::SlashDestination::get(),
				slashed.saturating_sub(to_disputer),
			),
		] {
			if !amount.is_zero() {
				T::Currency::transfer_on_hold(
					&reason,
					attestor,
					&to,
					amount,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Force,
				)?;
			}
		}
		info.bond = Zero::zero();
		let was_suspended = core::mem::replace(&mut info.suspended, true);
		Attestors::<T>::insert(attestor, info);
		if !was_suspended {
			Self::deposit_event(Event::AttestorSuspended {
				attestor: attestor.clone(),
				suspended: true,
			});
		}
		Ok(slashed)
	}

	/// Flags the protected aliases at `version` whose promotion counted `attestation`.
	fn flag_promotions(version: &VersionId, attestation: AttestationId) {
		let Some(repo) = T::Registry::repository_of(version) else {
			return;
		};
		for alias in PromotedAliases::<T>::get(version) {
			let flagged = Promotions::<T>::mutate(&repo, &alias, |promotion| match promotion {
				Some(p) if p.flagged.is_none() && p.attestations.contains(&attestation) => {
					p.flagged = Some(attestation);
					true
				}
				_ => false,
			});
			if flagged {
				Self::deposit_event(Event::AliasFlagged {
					repo: repo.clone(),
					alias,
					version: *version,
					attestation,
				});
			}
		}
	}
}
