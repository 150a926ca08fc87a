//! Deposits: every stored item pays `DepositPerItem × entries + DepositPerByte × bytes`
//! ([`Footprint::deposit`]) for the storage entries it adds and their encoded keys and values.

use crate::*;
use codec::Encode;
use owh_primitives::deposit::Footprint;
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{fungible::MutateHold, tokens::Precision},
	},
	sp_runtime::traits::Saturating,
};

/// Encoded bytes of a version id key.
const ID_BYTES: usize = 32;

impl<T: Config> Pallet<T> {
	/// The deposit for `footprint` under this runtime's rule.
	pub fn deposit_for(footprint: Footprint) -> BalanceOf<T> {
		footprint.deposit(T::DepositPerItem::get(), T::DepositPerByte::get())
	}

	/// What a repository occupies: its record, its non-empty role lists and a pending
	/// ownership transfer, each an entry keyed by the name.
	pub fn repository_footprint(
		repo: &RepoName,
		info: &RepositoryInfoOf<T>,
		maintainers: &MaintainersOf<T>,
		committers: &MaintainersOf<T>,
		pending_owner: Option<&T::AccountId>,
	) -> Footprint {
		let key = repo.encoded_size();
		let mut footprint = Footprint::entry(key.saturating_add(info.encoded_size()));
		for list in [maintainers, committers] {
			if !list.is_empty() {
				footprint =
					footprint.and(Footprint::entry(key.saturating_add(list.encoded_size())));
			}
		}
		if let Some(owner) = pending_owner {
			footprint = footprint.and(Footprint::entry(key.saturating_add(owner.encoded_size())));
		}
		footprint
	}

	/// What a version occupies: its record, its index entry, its artifact commitments, its
	/// place in the repository's list and one lineage edge per parent.
	pub fn version_footprint(
		record_bytes: usize,
		meta: &VersionMeta,
		roots: &VersionRoots,
	) -> Footprint {
		let edge = ID_BYTES
			.saturating_add(ID_BYTES)
			.saturating_add(owh_primitives::Relation::FineTune.encoded_size());
		let list_entry = meta
			.repository
			.encoded_size()
			.saturating_add(4)
			.saturating_add(ID_BYTES);
		Footprint::entry(ID_BYTES.saturating_add(record_bytes))
			.and(Footprint::entry(
				ID_BYTES.saturating_add(meta.encoded_size()),
			))
			.and(Footprint::entry(
				ID_BYTES.saturating_add(roots.encoded_size()),
			))
			.and(Footprint::entry(list_entry))
			.and(Footprint::entries(meta.parents.len() as u32, edge))
	}

	/// What one alias history entry occupies.
	pub fn alias_move_footprint(
		repo: &RepoName,
		alias: &AliasName,
		entry: &AliasMoveOf<T>,
	) -> Footprint {
		Footprint::entry(
			repo.encoded_size()
				.saturating_add(alias.encoded_size())
				.saturating_add(4)
				.saturating_add(entry.encoded_size()),
		)
	}

	/// What a yank record occupies.
	pub fn yank_footprint(yank: &YankInfoOf<T>) -> Footprint {
		Footprint::entry(ID_BYTES.saturating_add(yank.encoded_size()))
	}

	/// What one mirror occupies in its version's mirror list.
	pub fn mirror_footprint(mirror: &MirrorOf<T>) -> Footprint {
		Footprint::entry(mirror.encoded_size())
	}

	/// Holds `amount` from `who` for `reason`, mapping any failure to `InsufficientBalance`.
	pub(crate) fn hold_deposit(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Ok(())
	}

	/// Releases `amount` held from `who` for `reason` (at most what is held).
	pub(crate) fn release_deposit(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::release(&reason.into(), who, amount, Precision::BestEffort)?;
		Ok(())
	}

	/// Brings the repository deposit held from its depositor to what its footprint needs now,
	/// holding or releasing the difference, and records it in `info`.
	pub(crate) fn settle_repository_deposit(
		repo: &RepoName,
		info: &mut RepositoryInfoOf<T>,
		maintainers: &MaintainersOf<T>,
		committers: &MaintainersOf<T>,
		pending_owner: Option<&T::AccountId>,
	) -> DispatchResult {
		let needed = Self::deposit_for(Self::repository_footprint(
			repo,
			info,
			maintainers,
			committers,
			pending_owner,
		));
		if needed > info.deposit {
			Self::hold_deposit(
				HoldReason::Repository,
				&info.depositor,
				needed.saturating_sub(info.deposit),
			)?;
		} else if needed < info.deposit {
			Self::release_deposit(
				HoldReason::Repository,
				&info.depositor,
				info.deposit.saturating_sub(needed),
			)?;
		}
		info.deposit = needed;
		Ok(())
	}
}
