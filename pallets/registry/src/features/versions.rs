//! Committing, yanking and unyanking versions.

use crate::*;
use codec::Encode;
use owh_primitives::validate::{self, Limits, ManifestError};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::Time},
	frame_system, sp_io,
	sp_runtime::{
		traits::{Saturating, Verify},
		SaturatedConversion,
	},
};

impl<T: Config> From<ManifestError> for Error<T> {
	fn from(error: ManifestError) -> Self {
		match error {
			ManifestError::UnsupportedFormat => Error::UnsupportedManifestFormat,
			ManifestError::NoArtifacts => Error::NoArtifacts,
			ManifestError::TooManyArtifacts => Error::TooManyArtifacts,
			ManifestError::TooManyParents => Error::TooManyParents,
			ManifestError::BadChunkSize => Error::BadChunkSize,
			ManifestError::UnsafePath => Error::UnsafePath,
			ManifestError::UnsortedPaths => Error::UnsortedPaths,
			ManifestError::NoStorageUri => Error::NoStorageUri,
			ManifestError::BadStorageUri => Error::BadStorageUri,
			ManifestError::UnsortedParents => Error::UnsortedParents,
			ManifestError::BadMetrics => Error::BadMetrics,
			ManifestError::BadTags => Error::BadTags,
			ManifestError::BadLicense => Error::BadLicense,
			ManifestError::BadText => Error::BadText,
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The deposit for a manifest of `encoded_len` bytes.
	pub fn version_deposit(encoded_len: usize) -> BalanceOf<T> {
		let bytes: BalanceOf<T> = (encoded_len as u64).saturated_into();
		T::VersionDepositBase::get().saturating_add(T::DepositPerByte::get().saturating_mul(bytes))
	}

	/// The limits this runtime puts on manifests.
	pub fn manifest_limits() -> Limits {
		Limits {
			max_artifacts: T::MaxArtifacts::get(),
			max_parents: T::MaxParents::get(),
		}
	}

	pub(crate) fn do_commit_version(
		committer: T::AccountId,
		repo: RepoName,
		manifest: Manifest,
		author_signature: Option<AuthorSignature<T::AccountId, T::Signature>>,
	) -> DispatchResult {
		let mut info = Self::ensure_maintainer(&committer, &repo)?;
		ensure!(manifest.repository == repo, Error::<T>::RepositoryMismatch);
		validate::manifest(&manifest, Self::manifest_limits()).map_err(Error::<T>::from)?;

		let encoded = manifest.encode();
		// The host function gives the same SHA-256 as `Manifest::version_id`, at native speed.
		let version = VersionId(sp_io::hashing::sha2_256(&encoded));
		ensure!(
			!Versions::<T>::contains_key(version),
			Error::<T>::DuplicateVersion
		);
		for parent in manifest.parents.iter() {
			ensure!(
				Versions::<T>::contains_key(parent.version),
				Error::<T>::UnknownParent
			);
		}

		let (author, author_signed) = match author_signature {
			Some(AuthorSignature { author, signature }) => {
				let payload = author_payload(&version);
				ensure!(
					signature.verify(&payload[..], &author),
					Error::<T>::BadSignature
				);
				(author, true)
			}
			None => (committer.clone(), false),
		};

		let index = info.version_count;
		info.version_count = index.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let deposit = Self::version_deposit(encoded.len());
		Self::hold_deposit(HoldReason::Version, &committer, deposit)?;

		for parent in manifest.parents.iter() {
			Children::<T>::insert(parent.version, version, parent.relation);
		}
		let parents = manifest.parents.len() as u32;
		Versions::<T>::insert(
			version,
			VersionRecord {
				manifest,
				committer: committer.clone(),
				author_signed,
				author: author.clone(),
				block: frame_system::Pallet::<T>::block_number(),
				timestamp: T::Time::now(),
				deposit,
				index,
			},
		);
		RepoVersions::<T>::insert(&repo, index, version);
		Repositories::<T>::insert(&repo, info);
		Self::deposit_event(Event::VersionCommitted {
			repo,
			version,
			index,
			committer,
			author,
			parents,
			deposit,
		});
		Ok(())
	}

	/// The version's record, if it belongs to `repo`.
	pub(crate) fn ensure_version_in(
		repo: &RepoName,
		version: &VersionId,
	) -> Result<VersionRecordOf<T>, DispatchError> {
		let record = Versions::<T>::get(version).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(
			&record.manifest.repository == repo,
			Error::<T>::VersionNotInRepository
		);
		Ok(record)
	}

	pub(crate) fn do_yank(
		who: T::AccountId,
		repo: RepoName,
		version: VersionId,
		reason: Reason,
	) -> DispatchResult {
		Self::ensure_maintainer(&who, &repo)?;
		Self::ensure_version_in(&repo, &version)?;
		ensure!(
			!Yanked::<T>::contains_key(version),
			Error::<T>::AlreadyYanked
		);
		ensure!(core::str::from_utf8(&reason).is_ok(), Error::<T>::BadText);
		Yanked::<T>::insert(
			version,
			YankInfo {
				by: who.clone(),
				block: frame_system::Pallet::<T>::block_number(),
				reason: reason.clone(),
			},
		);
		Self::deposit_event(Event::VersionYanked {
			repo,
			version,
			who,
			reason,
		});
		Ok(())
	}

	pub(crate) fn do_unyank(
		who: T::AccountId,
		repo: RepoName,
		version: VersionId,
	) -> DispatchResult {
		Self::ensure_maintainer(&who, &repo)?;
		Self::ensure_version_in(&repo, &version)?;
		ensure!(Yanked::<T>::take(version).is_some(), Error::<T>::NotYanked);
		Self::deposit_event(Event::VersionUnyanked { repo, version, who });
		Ok(())
	}
}
