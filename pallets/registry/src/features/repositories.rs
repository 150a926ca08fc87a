//! Repositories and roles.

use crate::*;
use owh_primitives::{registry::Role, validate};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::fungible::MutateHold},
	frame_system,
};

impl<T: Config> Pallet<T> {
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

	pub(crate) fn do_create_repository(owner: T::AccountId, name: RepoName) -> DispatchResult {
		ensure!(
			validate::repo_name(&name),
			Error::<T>::InvalidRepositoryName
		);
		ensure!(
			!Repositories::<T>::contains_key(&name),
			Error::<T>::RepositoryExists
		);
		let deposit = T::RepositoryDeposit::get();
		Self::hold_deposit(HoldReason::Repository, &owner, deposit)?;
		Repositories::<T>::insert(
			&name,
			RepositoryInfo {
				owner: owner.clone(),
				depositor: owner.clone(),
				deposit,
				created: frame_system::Pallet::<T>::block_number(),
				version_count: 0,
			},
		);
		Self::deposit_event(Event::RepositoryCreated {
			repo: name,
			owner,
			deposit,
		});
		Ok(())
	}

	/// The repository, if `who` owns it.
	pub(crate) fn ensure_owner(
		who: &T::AccountId,
		repo: &RepoName,
	) -> Result<RepositoryInfoOf<T>, DispatchError> {
		let info = Repositories::<T>::get(repo).ok_or(Error::<T>::UnknownRepository)?;
		ensure!(&info.owner == who, Error::<T>::NotOwner);
		Ok(info)
	}

	/// The repository, if `who` owns or maintains it.
	pub(crate) fn ensure_maintainer(
		who: &T::AccountId,
		repo: &RepoName,
	) -> Result<RepositoryInfoOf<T>, DispatchError> {
		let info = Repositories::<T>::get(repo).ok_or(Error::<T>::UnknownRepository)?;
		ensure!(
			&info.owner == who || Maintainers::<T>::get(repo).contains(who),
			Error::<T>::NotMaintainer
		);
		Ok(info)
	}

	/// The repository, if `who` owns, maintains or commits to it.
	pub(crate) fn ensure_committer(
		who: &T::AccountId,
		repo: &RepoName,
	) -> Result<RepositoryInfoOf<T>, DispatchError> {
		let info = Repositories::<T>::get(repo).ok_or(Error::<T>::UnknownRepository)?;
		ensure!(
			&info.owner == who
				|| Maintainers::<T>::get(repo).contains(who)
				|| Committers::<T>::get(repo).contains(who),
			Error::<T>::NotCommitter
		);
		Ok(info)
	}

	/// The list a granted or revoked role lives in.
	fn role_list(repo: &RepoName, role: Role) -> Result<MaintainersOf<T>, DispatchError> {
		match role {
			Role::Owner => Err(Error::<T>::UseTransferOwnership.into()),
			Role::Maintainer => Ok(Maintainers::<T>::get(repo)),
			Role::Committer => Ok(Committers::<T>::get(repo)),
		}
	}

	/// Stores the list of a role, removing the entry when the list is empty.
	fn put_role_list(repo: &RepoName, role: Role, list: MaintainersOf<T>) {
		match (role, list.is_empty()) {
			(Role::Committer, true) => Committers::<T>::remove(repo),
			(Role::Committer, false) => Committers::<T>::insert(repo, list),
			(_, true) => Maintainers::<T>::remove(repo),
			(_, false) => Maintainers::<T>::insert(repo, list),
		}
	}

	pub(crate) fn do_grant_role(
		caller: T::AccountId,
		repo: RepoName,
		who: T::AccountId,
		role: Role,
	) -> DispatchResult {
		let info = Self::ensure_owner(&caller, &repo)?;
		let mut list = Self::role_list(&repo, role)?;
		ensure!(info.owner != who, Error::<T>::AlreadyOwner);
		ensure!(!list.contains(&who), Error::<T>::AlreadyMaintainer);
		list.try_push(who.clone())
			.map_err(|_| Error::<T>::TooManyMaintainers)?;
		// One role per account: granting one takes the other away.
		let other = match role {
			Role::Committer => Role::Maintainer,
			_ => Role::Committer,
		};
		let mut others = Self::role_list(&repo, other)?;
		others.retain(|m| m != &who);
		Self::put_role_list(&repo, other, others);
		Self::put_role_list(&repo, role, list);
		Self::deposit_event(Event::RoleGranted { repo, who, role });
		Ok(())
	}

	pub(crate) fn do_revoke_role(
		caller: T::AccountId,
		repo: RepoName,
		who: T::AccountId,
		role: Role,
	) -> DispatchResult {
		let info = Repositories::<T>::get(&repo).ok_or(Error::<T>::UnknownRepository)?;
		let mut list = Self::role_list(&repo, role)?;
		ensure!(info.owner == caller || caller == who, Error::<T>::NotOwner);
		let position = list
			.iter()
			.position(|m| m == &who)
			.ok_or(Error::<T>::NotAMaintainerOfRepository)?;
		list.remove(position);
		Self::put_role_list(&repo, role, list);
		Self::deposit_event(Event::RoleRevoked { repo, who, role });
		Ok(())
	}

	pub(crate) fn do_transfer_ownership(
		caller: T::AccountId,
		repo: RepoName,
		new_owner: T::AccountId,
	) -> DispatchResult {
		let mut info = Self::ensure_owner(&caller, &repo)?;
		ensure!(info.owner != new_owner, Error::<T>::AlreadyOwner);
		for role in [Role::Maintainer, Role::Committer] {
			let mut list = Self::role_list(&repo, role)?;
			list.retain(|m| m != &new_owner);
			Self::put_role_list(&repo, role, list);
		}
		info.owner = new_owner.clone();
		Repositories::<T>::insert(&repo, info);
		Self::deposit_event(Event::OwnershipTransferred {
			repo,
			from: caller,
			to: new_owner,
		});
		Ok(())
	}
}
