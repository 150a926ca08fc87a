//! Committing, yanking and unyanking versions.

use crate::*;
use alloc::vec::Vec;
use codec::{Encode, EncodeLike, Output};
use owh_primitives::{
	registry::OnVersionCommitted,
	validate::{self, Limits, ManifestError},
};
use polkadot_sdk::{
	frame_support::{pallet_prelude::*, traits::Time},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_io,
	sp_runtime::traits::{Verify, Zero},
};

/// A [`VersionRecord`] whose manifest is already SCALE-encoded, so that committing encodes the
/// manifest (up to about 1.5 MB) once: the record's encoding is its fields' encodings in order.
pub(crate) struct EncodedRecord<'a, T: Config> {
	pub manifest: &'a [u8],
	pub committer: &'a T::AccountId,
	pub author: &'a T::AccountId,
	pub author_signed: bool,
	pub block: BlockNumberFor<T>,
	pub timestamp: MomentOf<T>,
	pub deposit: BalanceOf<T>,
	pub index: u32,
}

impl<T: Config> Encode for EncodedRecord<'_, T> {
	fn size_hint(&self) -> usize {
		self.manifest
			.len()
			.saturating_add(self.committer.size_hint())
			.saturating_add(self.author.size_hint())
			.saturating_add(1)
			.saturating_add(self.block.size_hint())
			.saturating_add(self.timestamp.size_hint())
			.saturating_add(self.deposit.size_hint())
			.saturating_add(4)
	}

	fn encode_to<W: Output + ?Sized>(&self, dest: &mut W) {
		dest.write(self.manifest);
		self.committer.encode_to(dest);
		self.author.encode_to(dest);
		self.author_signed.encode_to(dest);
		self.block.encode_to(dest);
		self.timestamp.encode_to(dest);
		self.deposit.encode_to(dest);
		self.index.encode_to(dest);
	}
}

impl<T: Config> EncodeLike<VersionRecordOf<T>> for EncodedRecord<'_, T> {}

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
	/// The limits this runtime puts on manifests.
	pub fn manifest_limits() -> Limits {
		Limits {
			max_artifacts: T::MaxArtifacts::get(),
			max_parents: T::MaxParents::get(),
		}
	}

	/// This chain's genesis hash, which author signatures are bound to. Block 0's hash is
	/// never pruned from `frame_system::BlockHash`.
	pub fn genesis_hash() -> [u8; 32] {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut out = [0u8; 32];
		for (byte, source) in out.iter_mut().zip(hash.as_ref()) {
			*byte = *source;
		}
		out
	}

	/// Whether `signature` by `author` covers `version` on this chain, raw or wrapped in
	/// `<Bytes>…</Bytes>` as polkadot.js and wallet extensions sign.
	pub fn author_signature_valid(
		version: &VersionId,
		author: &T::AccountId,
		signature: &T::Signature,
	) -> bool {
		let payload = author_payload(&Self::genesis_hash(), version);
		signature.verify(&payload[..], author)
			|| signature.verify(&wrapped_payload(&payload)[..], author)
	}

	/// `commit_version`'s benchmarked weight, from four benchmarks, each varying one thing on an
	/// unsigned one-artifact commit without parents, where its cost is not lost in the noise of
	/// a large one: its text (`commit_version_text(t)`, `text_len` bytes of
	/// [`Manifest::text_len`]), its artifacts (`commit_version(a)`, each at its longest), its
	/// parents (`commit_version_parents(p)`) and its author signature (`commit_version_signed`).
	/// Each of the last three is charged what it added to the one-artifact commit it was
	/// measured on.
	pub fn commit_version_weight(
		artifacts: u32,
		parents: u32,
		signed: bool,
		text_len: u32,
	) -> Weight {
		let one_artifact = T::WeightInfo::commit_version_parents(0);
		let artifacts_weight = T::WeightInfo::commit_version(artifacts.max(1))
			.saturating_sub(T::WeightInfo::commit_version(1));
		let parents_weight =
			T::WeightInfo::commit_version_parents(parents).saturating_sub(one_artifact);
		let signature_weight = if signed {
			T::WeightInfo::commit_version_signed().saturating_sub(one_artifact)
		} else {
			Weight::zero()
		};
		T::WeightInfo::commit_version_text(text_len)
			.saturating_add(artifacts_weight)
			.saturating_add(parents_weight)
			.saturating_add(signature_weight)
	}

	pub(crate) fn do_commit_version(
		committer: T::AccountId,
		repo: RepoName,
		manifest: Manifest,
		author_signature: Option<AuthorSignature<T::AccountId, T::Signature>>,
	) -> DispatchResult {
		let mut info = Self::ensure_committer(&committer, &repo)?;
		ensure!(manifest.repository == repo, Error::<T>::RepositoryMismatch);
		validate::manifest(&manifest, Self::manifest_limits()).map_err(Error::<T>::from)?;

		// Encoded once: hashed for the id, and written as the record's first field.
		let encoded = manifest.encode();
		// The host function gives the same SHA-256 as `Manifest::version_id`, at native speed.
		let version = VersionId(sp_io::hashing::sha2_256(&encoded));
		ensure!(
			!VersionMetas::<T>::contains_key(version),
			Error::<T>::DuplicateVersion
		);
		let mut parents = Vec::with_capacity(manifest.parents.len());
		for parent in manifest.parents.iter() {
			let meta = VersionMetas::<T>::get(parent.version).ok_or(Error::<T>::UnknownParent)?;
			parents.push((parent.version, meta.repository));
		}

		let (author, author_signed) = match author_signature {
			Some(AuthorSignature { author, signature }) => {
				ensure!(
					Self::author_signature_valid(&version, &author, &signature),
					Error::<T>::BadSignature
				);
				(author, true)
			}
			None => (committer.clone(), false),
		};

		let index = info.version_count;
		info.version_count = index.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let mut record = EncodedRecord::<T> {
			manifest: &encoded,
			committer: &committer,
			author: &author,
			author_signed,
			block: frame_system::Pallet::<T>::block_number(),
			timestamp: T::Time::now(),
			deposit: Zero::zero(),
			index,
		};
		let meta = VersionMeta::of(&manifest);
		let roots = VersionRoots::of(&manifest);
		let recorded_elsewhere = T::OnVersionCommitted::on_version_committed(&version, &parents);
		let deposit = Self::deposit_for(
			Self::version_footprint(record.encoded_size(), &meta, &roots).and(recorded_elsewhere),
		);
		record.deposit = deposit;
		Self::hold_deposit(HoldReason::Version, &committer, deposit)?;

		for parent in manifest.parents.iter() {
			Children::<T>::insert(parent.version, version, parent.relation);
		}
		let parents = parents.len() as u32;
		Versions::<T>::insert(version, record);
		VersionMetas::<T>::insert(version, meta);
		ArtifactRoots::<T>::insert(version, roots);
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

	/// The version's index entry, if it belongs to `repo`.
	pub(crate) fn ensure_version_in(
		repo: &RepoName,
		version: &VersionId,
	) -> Result<VersionMeta, DispatchError> {
		let meta = VersionMetas::<T>::get(version).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(&meta.repository == repo, Error::<T>::VersionNotInRepository);
		Ok(meta)
	}

	pub(crate) fn do_yank(
		who: T::AccountId,
		repo: RepoName,
		version: VersionId,
		reason: Reason,
	) -> DispatchResult {
		Self::ensure_maintainer(&who, &repo)?;
		let meta = Self::ensure_version_in(&repo, &version)?;
		ensure!(
			!Yanked::<T>::contains_key(version),
			Error::<T>::AlreadyYanked
		);
		ensure!(
			meta.aliases == T::AliasGuard::protected_aliases_at(&version),
			Error::<T>::VersionHasAliases
		);
		ensure!(core::str::from_utf8(&reason).is_ok(), Error::<T>::BadText);
		T::AliasGuard::on_yank(Some(&who), &version)?;
		let mut yank = YankInfo {
			by: Yanker::Maintainer(who.clone()),
			deposit: Zero::zero(),
			block: frame_system::Pallet::<T>::block_number(),
			reason: reason.clone(),
		};
		yank.deposit = Self::deposit_for(Self::yank_footprint(&yank));
		Self::hold_deposit(HoldReason::Yank, &who, yank.deposit)?;
		Yanked::<T>::insert(version, yank);
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
		let yank = Yanked::<T>::get(version).ok_or(Error::<T>::NotYanked)?;
		let yanker = yank.by.maintainer().ok_or(Error::<T>::YankedByGovernance)?;
		Self::release_deposit(HoldReason::Yank, yanker, yank.deposit)?;
		Yanked::<T>::remove(version);
		Self::deposit_event(Event::VersionUnyanked { repo, version, who });
		Ok(())
	}

	pub(crate) fn do_force_yank(version: VersionId, reason: Reason) -> DispatchResult {
		let meta = VersionMetas::<T>::get(version).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(core::str::from_utf8(&reason).is_ok(), Error::<T>::BadText);
		let replaced = match Yanked::<T>::get(version) {
			Some(YankInfo {
				by: Yanker::Maintainer(who),
				deposit,
				..
			}) => {
				Self::release_deposit(HoldReason::Yank, &who, deposit)?;
				Some(who)
			}
			Some(_) => return Err(Error::<T>::AlreadyYanked.into()),
			None => {
				T::AliasGuard::on_yank(None, &version)?;
				None
			}
		};
		Yanked::<T>::insert(
			version,
			YankInfo {
				by: Yanker::Governance,
				deposit: Zero::zero(),
				block: frame_system::Pallet::<T>::block_number(),
				reason: reason.clone(),
			},
		);
		Self::deposit_event(Event::VersionForceYanked {
			repo: meta.repository,
			version,
			reason,
			replaced,
		});
		Ok(())
	}

	pub(crate) fn do_force_unyank(version: VersionId) -> DispatchResult {
		let meta = VersionMetas::<T>::get(version).ok_or(Error::<T>::UnknownVersion)?;
		let yank = Yanked::<T>::take(version).ok_or(Error::<T>::NotYanked)?;
		if let Yanker::Maintainer(who) = &yank.by {
			Self::release_deposit(HoldReason::Yank, who, yank.deposit)?;
		}
		Self::deposit_event(Event::VersionForceUnyanked {
			repo: meta.repository,
			version,
		});
		Ok(())
	}
}
