//! Mirrors added to versions after their commit.

use crate::*;
use owh_primitives::validate;
use polkadot_sdk::{frame_support::pallet_prelude::*, frame_system, sp_runtime::traits::Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_mirror(
		who: T::AccountId,
		repo: RepoName,
		version: VersionId,
		uri: StorageUri,
	) -> DispatchResult {
		Self::ensure_committer(&who, &repo)?;
		Self::ensure_version_in(&repo, &version)?;
		ensure!(validate::storage_uri(&uri), Error::<T>::BadStorageUri);
		let mut mirrors = Mirrors::<T>::get(version);
		ensure!(
			!mirrors.iter().any(|m| m.uri == uri),
			Error::<T>::MirrorExists
		);
		let mut mirror = Mirror {
			uri: uri.clone(),
			added_by: who.clone(),
			deposit: Zero::zero(),
			block: frame_system::Pallet::<T>::block_number(),
		};
		mirror.deposit = Self::deposit_for(Self::mirror_footprint(&mirror));
		let deposit = mirror.deposit;
		mirrors
			.try_push(mirror)
			.map_err(|_| Error::<T>::TooManyMirrors)?;
		Self::hold_deposit(HoldReason::Mirror, &who, deposit)?;
		Mirrors::<T>::insert(version, mirrors);
		Self::deposit_event(Event::MirrorAdded {
			repo,
			version,
			uri,
			who,
			deposit,
		});
		Ok(())
	}

	pub(crate) fn do_remove_mirror(
		who: T::AccountId,
		repo: RepoName,
		version: VersionId,
		uri: StorageUri,
	) -> DispatchResult {
		Self::ensure_maintainer(&who, &repo)?;
		Self::ensure_version_in(&repo, &version)?;
		let mut mirrors = Mirrors::<T>::get(version);
		let position = mirrors
			.iter()
			.position(|m| m.uri == uri)
			.ok_or(Error::<T>::UnknownMirror)?;
		let removed = mirrors.remove(position);
		Self::release_deposit(HoldReason::Mirror, &removed.added_by, removed.deposit)?;
		if mirrors.is_empty() {
			Mirrors::<T>::remove(version);
		} else {
			Mirrors::<T>::insert(version, mirrors);
		}
		Self::deposit_event(Event::MirrorRemoved {
			repo,
			version,
			uri,
			who,
		});
		Ok(())
	}
}
