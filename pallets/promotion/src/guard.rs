//! What the registry asks before an alias moves and tells when a version is yanked: the gate
//! check, governance approvals, the record of each promotion, and yank snapshots.

use crate::*;
use codec::Encode;
use owh_primitives::{deposit::Footprint, promotion::YankSnapshot};
use polkadot_sdk::{
	frame_support::{ensure, pallet_prelude::*, traits::fungible::MutateHold},
	frame_system,
};

impl<T: Config> Pallet<T> {
	/// Whether `alias` of `repo` may move to `to` (`None`: be removed), recording the promotion
	/// when it may: always, unless the alias is protected; then only to a version whose gate
	/// status passes and, if the gate says so, that governance approved (the approval is used
	/// up), and never away. The error names the first failing threshold by its index in the
	/// gate.
	pub fn on_alias_move(
		repo: &RepoName,
		alias: &AliasName,
		to: Option<&VersionId>,
	) -> DispatchResult {
		let Some(gate) = Gates::<T>::get(repo, alias) else {
			return Ok(());
		};
		let version = *to.ok_or(Error::<T>::ProtectedAlias)?;
		let (status, attestations) = Self::evaluate_with_ids(&gate, &version);
		if let Some((index, outcome)) = status.first_failure() {
			let threshold = u8::try_from(index).unwrap_or(u8::MAX);
			return Err(match outcome {
				ThresholdOutcome::NotMet => Error::<T>::ThresholdNotMet { threshold },
				_ => Error::<T>::TooFewAttestations { threshold },
			}
			.into());
		}
		let approval = if gate.approval == Approval::None {
			Approval::None
		} else {
			let approved = Approvals::<T>::take(repo, alias)
				.filter(|a| a.version == version && gate.approval.satisfied_by(a.approval))
				.ok_or(Error::<T>::ApprovalRequired)?;
			approved.approval
		};
		Self::clear_promotion(repo, alias);
		Self::record_promotion(repo, alias, version, attestations.clone(), approval)?;
		Self::deposit_event(Event::Promoted {
			repo: repo.clone(),
			alias: alias.clone(),
			version,
			attestations,
		});
		Ok(())
	}

	/// Records that the protected `alias` of `repo` now points at `version`.
	pub(crate) fn record_promotion(
		repo: &RepoName,
		alias: &AliasName,
		version: VersionId,
		attestations: AttestationIds,
		approval: Approval,
	) -> DispatchResult {
		PromotedAliases::<T>::try_mutate(version, |aliases| {
			aliases
				.try_push(alias.clone())
				.map_err(|_| Error::<T>::TooManyProtectedAliases)
		})?;
		Promotions::<T>::insert(
			repo,
			alias,
			PromotionOf::<T> {
				version,
				attestations,
				approval,
				block: frame_system::Pallet::<T>::block_number(),
				flagged: None,
			},
		);
		Ok(())
	}

	/// Forgets the promotion of `alias` of `repo` (it moves, or stops being protected).
	pub(crate) fn clear_promotion(repo: &RepoName, alias: &AliasName) {
		if let Some(old) = Promotions::<T>::take(repo, alias) {
			PromotedAliases::<T>::mutate_exists(old.version, |aliases| {
				if let Some(list) = aliases {
					list.retain(|a| a != alias);
					if list.is_empty() {
						*aliases = None;
					}
				}
			});
		}
	}

	pub(crate) fn do_approve(
		repo: RepoName,
		alias: AliasName,
		version: VersionId,
		approval: Approval,
	) -> DispatchResult {
		let home = T::Registry::repository_of(&version).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(home == repo, Error::<T>::VersionNotInRepository);
		ensure!(!T::Registry::is_yanked(&version), Error::<T>::VersionYanked);
		let gate = Gates::<T>::get(&repo, &alias).ok_or(Error::<T>::NoGate)?;
		ensure!(
			gate.approval != Approval::None,
			Error::<T>::ApprovalNotRequired
		);
		Approvals::<T>::insert(
			&repo,
			&alias,
			PromotionApprovalOf::<T> {
				version,
				approval,
				block: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::PromotionApproved {
			repo,
			alias,
			version,
			approval,
		});
		Ok(())
	}

	/// How many protected aliases point at `version`.
	pub fn protected_aliases_at(version: &VersionId) -> u32 {
		PromotedAliases::<T>::decode_len(version)
			.and_then(|n| u32::try_from(n).ok())
			.unwrap_or(0)
	}

	/// Records the protected aliases at `version` as it is yanked, with a deposit from `who`
	/// (a maintainer; governance pays none). Nothing is stored when none points at it.
	pub fn on_yank(who: Option<&T::AccountId>, version: &VersionId) -> DispatchResult {
		let aliases = PromotedAliases::<T>::get(version);
		if aliases.is_empty() {
			return Ok(());
		}
		let repo = T::Registry::repository_of(version).ok_or(Error::<T>::UnknownVersion)?;
		let promoted: alloc::vec::Vec<_> = aliases
			.iter()
			.filter_map(|alias| Promotions::<T>::get(&repo, alias).map(|p| (alias.clone(), p)))
			.collect();
		let mut snapshot = YankSnapshot {
			by: who.cloned(),
			deposit: Default::default(),
			aliases: BoundedVec::truncate_from(promoted),
		};
		if let Some(who) = who {
			let block = frame_system::Pallet::<T>::block_number();
			snapshot.deposit = Self::deposit_for(Footprint::entry(
				version
					.encoded_size()
					.saturating_add(block.encoded_size())
					.saturating_add(snapshot.encoded_size()),
			));
			T::Currency::hold(&HoldReason::Deposit.into(), who, snapshot.deposit)
				.map_err(|_| Error::<T>::InsufficientDeposit)?;
		}
		YankSnapshots::<T>::insert(version, frame_system::Pallet::<T>::block_number(), snapshot);
		Self::deposit_event(Event::PromotedVersionYanked {
			version: *version,
			aliases,
		});
		Ok(())
	}

	/// Whether `alias` was protected and pointed at `version` when it was yanked.
	pub fn yanked_while_protected(version: &VersionId, alias: &AliasName) -> bool {
		YankSnapshots::<T>::iter_prefix_values(version)
			.any(|snapshot| snapshot.aliases.iter().any(|(a, _)| a == alias))
	}
}
