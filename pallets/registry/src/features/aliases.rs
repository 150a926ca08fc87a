//! Aliases and their append-only history.

use crate::*;
use owh_primitives::validate;
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::Time},
	frame_system,
	sp_runtime::traits::Zero,
};

impl<T: Config> Pallet<T> {
	/// Appends a move to the alias history, holding its deposit from `who`.
	pub(crate) fn record_alias_move(
		who: &T::AccountId,
		repo: &RepoName,
		alias: &AliasName,
		from: Option<VersionId>,
		to: Option<VersionId>,
	) -> DispatchResult {
		let count = AliasMoveCount::<T>::get(repo, alias);
		let next = count.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let mut entry = AliasMove {
			who: who.clone(),
			deposit: Zero::zero(),
			block: frame_system::Pallet::<T>::block_number(),
			timestamp: T::Time::now(),
			from,
			to,
		};
		entry.deposit = Self::deposit_for(Self::alias_move_footprint(repo, alias, &entry));
		Self::hold_deposit(HoldReason::Alias, who, entry.deposit)?;
		AliasHistory::<T>::insert((repo.clone(), alias.clone()), count, entry);
		AliasMoveCount::<T>::insert(repo, alias, next);
		Ok(())
	}

	/// Counts one alias fewer pointing at `version`.
	fn release_alias_target(version: &VersionId) {
		VersionMetas::<T>::mutate(version, |meta| {
			if let Some(meta) = meta {
				meta.aliases = meta.aliases.saturating_sub(1);
			}
		});
	}

	pub(crate) fn do_set_alias(
		who: T::AccountId,
		repo: RepoName,
		alias: AliasName,
		version: VersionId,
	) -> DispatchResult {
		Self::ensure_maintainer(&who, &repo)?;
		ensure!(validate::alias_name(&alias), Error::<T>::InvalidAliasName);
		let mut meta = Self::ensure_version_in(&repo, &version)?;
		ensure!(
			!Yanked::<T>::contains_key(version),
			Error::<T>::VersionIsYanked
		);
		let from = Aliases::<T>::get(&repo, &alias);
		ensure!(from != Some(version), Error::<T>::AliasUnchanged);
		T::AliasGuard::on_alias_move(&repo, &alias, Some(&version))?;
		meta.aliases = meta.aliases.checked_add(1).ok_or(Error::<T>::Overflow)?;
		Self::record_alias_move(&who, &repo, &alias, from, Some(version))?;
		if let Some(old) = from {
			Self::release_alias_target(&old);
		}
		VersionMetas::<T>::insert(version, meta);
		Aliases::<T>::insert(&repo, &alias, version);
		Self::deposit_event(Event::AliasSet {
			repo,
			alias,
			from,
			to: version,
			who,
		});
		Ok(())
	}

	pub(crate) fn do_remove_alias(
		who: T::AccountId,
		repo: RepoName,
		alias: AliasName,
	) -> DispatchResult {
		Self::ensure_maintainer(&who, &repo)?;
		let from = Aliases::<T>::get(&repo, &alias).ok_or(Error::<T>::UnknownAlias)?;
		T::AliasGuard::on_alias_move(&repo, &alias, None)?;
		Self::record_alias_move(&who, &repo, &alias, Some(from), None)?;
		Self::release_alias_target(&from);
		Aliases::<T>::remove(&repo, &alias);
		Self::deposit_event(Event::AliasRemoved {
			repo,
			alias,
			from,
			who,
		});
		Ok(())
	}
}
