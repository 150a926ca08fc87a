//! Storage invariants, checked by `try_state` (try-runtime) and after the unit tests.

use crate::*;
use polkadot_sdk::{
	frame_support::{ensure, traits::Get},
	sp_runtime::{traits::Zero, TryRuntimeError},
};

impl<T: Config> Pallet<T> {
	/// Checks that attestations, their indexes, gates, promotions and disputes agree with each
	/// other and with the registry's aliases.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_attestations()?;
		Self::check_gates_and_promotions()?;
		Self::check_disputes()
	}

	fn check_attestations() -> Result<(), TryRuntimeError> {
		ensure!(
			Attestors::<T>::count() <= T::MaxAttestors::get(),
			"more attestors than MaxAttestors"
		);
		for (_, info) in Attestors::<T>::iter() {
			ensure!(
				info.metrics
					.windows(2)
					.all(|w| matches!(w, [a, b] if a < b)),
				"an attestor's allowed metrics are not strictly increasing"
			);
		}
		let next = NextAttestationId::<T>::get();
		for (id, attestation) in Attestations::<T>::iter() {
			ensure!(
				id < next,
				"an attestation id is not below NextAttestationId"
			);
			ensure!(
				VersionAttestations::<T>::contains_key(attestation.version, id),
				"an attestation is missing from its version's index"
			);
			if attestation.status == AttestationStatus::RuledFalse {
				ensure!(
					AttestationDisputes::<T>::iter_key_prefix(id).any(|dispute| {
						Disputes::<T>::get(dispute)
							.is_some_and(|d| d.status == DisputeStatus::Upheld)
					}),
					"an attestation ruled false has no upheld dispute"
				);
			}
		}
		for (version, id, ()) in VersionAttestations::<T>::iter() {
			ensure!(
				Attestations::<T>::get(id).is_some_and(|a| a.version == version),
				"a version's index names a missing or foreign attestation"
			);
		}
		for (version, latest) in Latest::<T>::iter() {
			for (i, (who, id)) in latest.iter().enumerate() {
				ensure!(
					Attestations::<T>::get(id)
						.is_some_and(|a| a.version == version && a.attestor == *who),
					"a latest attestation is missing or of another version or attestor"
				);
				ensure!(
					!latest
						.iter()
						.skip(i.saturating_add(1))
						.any(|(other, _)| other == who),
					"an attestor appears twice among a version's latest attestations"
				);
			}
		}
		Ok(())
	}

	fn check_gates_and_promotions() -> Result<(), TryRuntimeError> {
		for (repo, alias, gate) in Gates::<T>::iter() {
			ensure!(gate.check().is_ok(), "a stored gate is invalid");
			ensure!(
				!GateChangeCount::<T>::get(&repo, &alias).is_zero(),
				"a gate has no history"
			);
		}
		for ((repo, alias), index, _) in GateHistory::<T>::iter() {
			ensure!(
				index < GateChangeCount::<T>::get(&repo, &alias),
				"a gate change lies beyond its alias's count"
			);
		}
		for (repo, alias, promotion) in Promotions::<T>::iter() {
			ensure!(
				Gates::<T>::contains_key(&repo, &alias),
				"an unprotected alias has a promotion record"
			);
			ensure!(
				T::Registry::alias_target(&repo, &alias) == Some(promotion.version),
				"a promotion record disagrees with the registry's alias"
			);
			ensure!(
				PromotedAliases::<T>::get(promotion.version).contains(&alias),
				"a promoted alias is missing from its version's list"
			);
			ensure!(
				promotion.attestations.iter().all(|id| {
					Attestations::<T>::get(id).is_some_and(|a| a.version == promotion.version)
				}),
				"a promotion counts a missing attestation or one of another version"
			);
			if let Some(flagged) = promotion.flagged {
				ensure!(
					promotion.attestations.contains(&flagged)
						&& Attestations::<T>::get(flagged)
							.is_some_and(|a| a.status == AttestationStatus::RuledFalse),
					"a flag names an attestation the promotion did not count, or one that stands"
				);
			}
		}
		for (version, aliases) in PromotedAliases::<T>::iter() {
			ensure!(
				!aliases.is_empty(),
				"an empty list of promoted aliases is stored"
			);
			let repo = T::Registry::repository_of(&version)
				.ok_or("promoted aliases point at an unknown version")?;
			for alias in aliases.iter() {
				ensure!(
					Promotions::<T>::get(&repo, alias).is_some_and(|p| p.version == version),
					"a listed promoted alias has no promotion record at that version"
				);
			}
		}
		Ok(())
	}

	fn check_disputes() -> Result<(), TryRuntimeError> {
		let next = NextDisputeId::<T>::get();
		for (id, dispute) in Disputes::<T>::iter() {
			ensure!(id < next, "a dispute id is not below NextDisputeId");
			ensure!(
				Attestations::<T>::contains_key(dispute.attestation),
				"a dispute of a missing attestation"
			);
			ensure!(
				AttestationDisputes::<T>::contains_key(dispute.attestation, id),
				"a dispute is missing from its attestation's index"
			);
			let open = OpenDisputes::<T>::get(dispute.attestation) == Some(id);
			if dispute.status == DisputeStatus::Open {
				ensure!(
					open && dispute.ruled.is_none() && dispute.slashed.is_zero(),
					"an open dispute is not its attestation's open dispute, or carries a ruling"
				);
			} else {
				ensure!(
					!open && dispute.ruled.is_some(),
					"a ruled dispute is still open, or has no ruling block"
				);
			}
		}
		for (attestation, id) in OpenDisputes::<T>::iter() {
			ensure!(
				Disputes::<T>::get(id).is_some_and(|d| {
					d.status == DisputeStatus::Open && d.attestation == attestation
				}),
				"an attestation's open dispute is missing, ruled, or of another attestation"
			);
		}
		Ok(())
	}
}
