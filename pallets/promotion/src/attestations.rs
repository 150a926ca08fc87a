//! Attestors and their attestations.

use crate::*;
use codec::Encode;
use owh_primitives::{deposit::Footprint, promotion::check_attested_metrics, validate};
use polkadot_sdk::{
	frame_support::{
		ensure,
		pallet_prelude::*,
		traits::{fungible::MutateHold, Get},
	},
	frame_system,
	sp_runtime::{traits::Verify, Saturating},
};

impl<T: Config> Pallet<T> {
	/// This chain's genesis hash, which off-chain attestations are bound to.
	pub fn genesis_hash() -> [u8; 32] {
		let hash = frame_system::Pallet::<T>::block_hash(
			polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor::<T>::default(),
		);
		let mut out = [0u8; 32];
		let bytes = hash.as_ref();
		if bytes.len() == 32 {
			out.copy_from_slice(bytes);
		}
		out
	}

	/// The deposit for `footprint` at this chain's rates.
	pub(crate) fn deposit_for(footprint: Footprint) -> BalanceOf<T> {
		footprint.deposit(T::DepositPerItem::get(), T::DepositPerByte::get())
	}

	pub(crate) fn do_register_attestor(
		attestor: T::AccountId,
		name: AttestorName,
		metrics: AllowedMetrics,
	) -> DispatchResult {
		ensure!(
			!Attestors::<T>::contains_key(&attestor),
			Error::<T>::AlreadyAttestor
		);
		ensure!(
			Attestors::<T>::count() < T::MaxAttestors::get(),
			Error::<T>::TooManyAttestors
		);
		ensure!(
			core::str::from_utf8(&name)
				.is_ok_and(|text| !text.trim().is_empty() && !text.chars().any(char::is_control)),
			Error::<T>::BadAttestorName
		);
		ensure!(
			!metrics.is_empty()
				&& metrics.iter().all(|m| validate::metric_name(m))
				&& metrics.windows(2).all(|w| matches!(w, [a, b] if a < b)),
			Error::<T>::BadAllowedMetrics
		);
		let bond = T::AttestorBond::get();
		T::Currency::hold(&HoldReason::AttestorBond.into(), &attestor, bond)
			.map_err(|_| Error::<T>::InsufficientBond)?;
		Attestors::<T>::insert(
			&attestor,
			AttestorInfo {
				name: name.clone(),
				metrics,
				bond,
				suspended: false,
				nonce: 0,
			},
		);
		Self::deposit_event(Event::AttestorRegistered {
			attestor,
			name,
			bond,
		});
		Ok(())
	}

	pub(crate) fn do_set_suspended(attestor: T::AccountId, suspended: bool) -> DispatchResult {
		Attestors::<T>::try_mutate(&attestor, |info| {
			let info = info.as_mut().ok_or(Error::<T>::NotAttestor)?;
			ensure!(info.suspended != suspended, Error::<T>::SuspensionUnchanged);
			let bond = T::AttestorBond::get();
			if !suspended && info.bond < bond {
				// Reinstated after a slash: the bond is held again.
				T::Currency::hold(
					&HoldReason::AttestorBond.into(),
					&attestor,
					bond.saturating_sub(info.bond),
				)
				.map_err(|_| Error::<T>::InsufficientBond)?;
				info.bond = bond;
			}
			info.suspended = suspended;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::AttestorSuspended {
			attestor,
			suspended,
		});
		Ok(())
	}

	/// Checks an attestation signed off-chain, and uses up its nonce.
	pub(crate) fn check_signed_attestation(
		attestor: &T::AccountId,
		nonce: u32,
		version: &VersionId,
		metrics: &AttestedMetrics,
		evidence: &Evidence,
		signature: &T::Signature,
	) -> DispatchResult {
		let info = Attestors::<T>::get(attestor).ok_or(Error::<T>::NotAttestor)?;
		let payload = AttestationPayload {
			genesis: Self::genesis_hash(),
			nonce,
			version: *version,
			metrics,
			evidence,
		};
		ensure!(
			signature.verify(&payload.signing_bytes()[..], attestor),
			Error::<T>::BadSignature
		);
		ensure!(nonce == info.nonce, Error::<T>::WrongNonce);
		let next = nonce.checked_add(1).ok_or(Error::<T>::Overflow)?;
		Attestors::<T>::mutate(attestor, |info| {
			if let Some(info) = info {
				info.nonce = next;
			}
		});
		Ok(())
	}

	/// Records `attestor`'s attestation, with its deposit held from `depositor`.
	pub(crate) fn do_attest(
		attestor: T::AccountId,
		depositor: T::AccountId,
		version: VersionId,
		metrics: AttestedMetrics,
		evidence: Evidence,
	) -> DispatchResult {
		let info = Attestors::<T>::get(&attestor).ok_or(Error::<T>::NotAttestor)?;
		ensure!(!info.suspended, Error::<T>::AttestorSuspended);
		ensure!(
			T::Registry::repository_of(&version).is_some(),
			Error::<T>::UnknownVersion
		);
		check_attested_metrics(&metrics, &info.metrics).map_err(|e| match e {
			MetricsError::Empty => Error::<T>::NoMetrics,
			MetricsError::NotSorted => Error::<T>::MetricsNotSorted,
			MetricsError::NotAllowed => Error::<T>::MetricNotAllowed,
			MetricsError::OutOfRange => Error::<T>::MetricOutOfRange,
		})?;
		ensure!(
			validate::storage_uri(&evidence.uri),
			Error::<T>::BadEvidenceUri
		);
		let id = NextAttestationId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let mut latest = Latest::<T>::get(version);
		let supersedes = match latest.iter_mut().find(|(who, _)| *who == attestor) {
			Some((_, previous)) => Some(core::mem::replace(previous, id)),
			None => {
				latest
					.try_push((attestor.clone(), id))
					.map_err(|_| Error::<T>::TooManyVersionAttestors)?;
				None
			}
		};
		let mut attestation = AttestationOf::<T> {
			attestor: attestor.clone(),
			version,
			metrics,
			evidence,
			block: frame_system::Pallet::<T>::block_number(),
			depositor: depositor.clone(),
			deposit: Default::default(),
			status: AttestationStatus::Standing,
		};
		// The record, its key, and its entry in the version's index.
		let footprint = Footprint::entry(attestation.encoded_size().saturating_add(8))
			.and(Footprint::entry(version.encoded_size().saturating_add(8)));
		attestation.deposit = Self::deposit_for(footprint);
		T::Currency::hold(&HoldReason::Deposit.into(), &depositor, attestation.deposit)
			.map_err(|_| Error::<T>::InsufficientDeposit)?;
		Attestations::<T>::insert(id, attestation);
		VersionAttestations::<T>::insert(version, id, ());
		Latest::<T>::insert(version, latest);
		NextAttestationId::<T>::put(next);
		Self::deposit_event(Event::Attested {
			id,
			version,
			attestor,
			supersedes,
		});
		Ok(())
	}
}
