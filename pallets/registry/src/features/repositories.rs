//! Repositories and roles.

use crate::*;
use owh_primitives::{registry::Role, validate};
use polkadot_sdk::{frame_support::pallet_prelude::*, frame_system, sp_runtime::traits::Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_repository(owner: T::AccountId, name: RepoName) -> DispatchResult {
		ensure!(
			validate::repo_name(&name),
			Error::<T>::InvalidRepositoryName
		);
		ensure!(
			!Repositories::<T>::contains_key(&name),
			Error::<T>::RepositoryExists
		);
		let mut info = RepositoryInfo {
			owner: owner.clone(),
			depositor: owner.clone(),
			deposit: Zero::zero(),
			created: frame_system::Pallet::<T>::block_number(),
			version_count: 0,
		};
		let none = MaintainersOf::<T>::default();
		Self::settle_repository_deposit(&name, &mut info, &none, &none, None)?;
		let deposit = info.deposit;
		Repositories::<T>::insert(&name, info);
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
		let mut info = Self::ensure_owner(&caller, &repo)?;
		let mut list = Self::role_list(&repo, role)?;
		ensure!(info.owner != who, Error::<T>::AlreadyOwner);
		ensure!(!list.contains(&who), Error::<T>::AlreadyMaintainer);
		list.try_push(who.clone())
			.map_err(|_| Error::<T>::TooManyMaintainers)?;
		// One role per account: granting one takes the other away.
		let other = other_role(role);
		let mut others = Self::role_list(&repo, other)?;
		others.retain(|m| m != &who);
		Self::settle_roles(&repo, &mut info, role, &list, &others)?;
		Self::put_role_list(&repo, other, others);
		Self::put_role_list(&repo, role, list);
		Repositories::<T>::insert(&repo, info);
		Self::deposit_event(Event::RoleGranted { repo, who, role });
		Ok(())
	}

	pub(crate) fn do_revoke_role(
		caller: T::AccountId,
		repo: RepoName,
		who: T::AccountId,
		role: Role,
	) -> DispatchResult {
		let mut info = Repositories::<T>::get(&repo).ok_or(Error::<T>::UnknownRepository)?;
		let mut list = Self::role_list(&repo, role)?;
		ensure!(info.owner == caller || caller == who, Error::<T>::NotOwner);
		let position = list
			.iter()
			.position(|m| m == &who)
			.ok_or(Error::<T>::NotAMaintainerOfRepository)?;
		list.remove(position);
		let others = Self::role_list(&repo, other_role(role))?;
		Self::settle_roles(&repo, &mut info, role, &list, &others)?;
		Self::put_role_list(&repo, role, list);
		Repositories::<T>::insert(&repo, info);
		Self::deposit_event(Event::RoleRevoked { repo, who, role });
		Ok(())
	}

	/// Settles the repository deposit for role lists about to be stored: `list` of `role`
	/// and `others` of the other role.
	fn settle_roles(
		repo: &RepoName,
		info: &mut RepositoryInfoOf<T>,
		role: Role,
		list: &MaintainersOf<T>,
		others: &MaintainersOf<T>,
	) -> DispatchResult {
		let (maintainers, committers) = match role {
			Role::Committer => (others, list),
			_ => (list, others),
		};
		let pending = PendingOwners::<T>::get(repo);
		Self::settle_repository_deposit(repo, info, maintainers, committers, pending.as_ref())
	}

	pub(crate) fn do_transfer_ownership(
		caller: T::AccountId,
		repo: RepoName,
		new_owner: T::AccountId,
	) -> DispatchResult {
		let mut info = Self::ensure_owner(&caller, &repo)?;
		let pending = PendingOwners::<T>::get(&repo);
		let maintainers = Maintainers::<T>::get(&repo);
		let committers = Committers::<T>::get(&repo);
		if info.owner == new_owner {
			// Offering the repository to its owner withdraws a pending offer.
			let withdrawn = pending.ok_or(Error::<T>::AlreadyOwner)?;
			Self::settle_repository_deposit(&repo, &mut info, &maintainers, &committers, None)?;
			PendingOwners::<T>::remove(&repo);
			Repositories::<T>::insert(&repo, info);
			Self::deposit_event(Event::OwnershipOfferWithdrawn {
				repo,
				to: withdrawn,
			});
			return Ok(());
		}
		Self::settle_repository_deposit(
			&repo,
			&mut info,
			&maintainers,
			&committers,
			Some(&new_owner),
		)?;
		PendingOwners::<T>::insert(&repo, &new_owner);
		Repositories::<T>::insert(&repo, info);
		Self::deposit_event(Event::OwnershipOffered {
			repo,
			from: caller,
			to: new_owner,
		});
		Ok(())
	}

	pub(crate) fn do_accept_ownership(new_owner: T::AccountId, repo: RepoName) -> DispatchResult {
		let info = Repositories::<T>::get(&repo).ok_or(Error::<T>::UnknownRepository)?;
		ensure!(
			PendingOwners::<T>::get(&repo).as_ref() == Some(&new_owner),
			Error::<T>::NotPendingOwner
		);
		let from = Self::hand_over(&repo, info, &new_owner)?;
		Self::deposit_event(Event::OwnershipTransferred {
			repo,
			from,
			to: new_owner,
		});
		Ok(())
	}

	pub(crate) fn do_force_transfer_repository(
		repo: RepoName,
		new_owner: T::AccountId,
	) -> DispatchResult {
		let info = Repositories::<T>::get(&repo).ok_or(Error::<T>::UnknownRepository)?;
		ensure!(info.owner != new_owner, Error::<T>::AlreadyOwner);
		let from = Self::hand_over(&repo, info, &new_owner)?;
		Self::deposit_event(Event::RepositoryForceTransferred {
			repo,
			from,
			to: new_owner,
		});
		Ok(())
	}

	/// Makes `new_owner` the owner of `repo`, returning the previous owner. The deposit
	/// moves with the repository; a pending offer is dropped; a role of the new owner is
	/// folded into ownership.
	fn hand_over(
		repo: &RepoName,
		mut info: RepositoryInfoOf<T>,
		new_owner: &T::AccountId,
	) -> Result<T::AccountId, DispatchError> {
		let mut maintainers = Maintainers::<T>::get(repo);
		let mut committers = Committers::<T>::get(repo);
		maintainers.retain(|m| m != new_owner);
		committers.retain(|m| m != new_owner);
		// The deposit moves with the repository: the new owner holds all of it, and the
		// previous depositor gets theirs back.
		let previous = info.clone();
		info.owner = new_owner.clone();
		info.depositor = new_owner.clone();
		info.deposit = Zero::zero();
		Self::settle_repository_deposit(repo, &mut info, &maintainers, &committers, None)?;
		Self::release_deposit(
			HoldReason::Repository,
			&previous.depositor,
			previous.deposit,
		)?;
		Self::put_role_list(repo, Role::Maintainer, maintainers);
		Self::put_role_list(repo, Role::Committer, committers);
		PendingOwners::<T>::remove(repo);
		Repositories::<T>::insert(repo, info);
		Ok(previous.owner)
	}
}

/// The role granted or revoked besides `role`: an account holds one of the two at most.
fn other_role(role: Role) -> Role {
	match role {
		Role::Committer => Role::Maintainer,
		_ => Role::Committer,
	}
}
