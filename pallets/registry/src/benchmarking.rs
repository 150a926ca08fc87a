//! Benchmarks of the registry pallet (frame-benchmarking v2).

use super::*;
use crate::Pallet as Registry;
use alloc::{boxed::Box, vec, vec::Vec};
use owh_primitives::{
	manifest::*,
	merkle::DEFAULT_CHUNK_SIZE,
	registry::{Role, Yanker},
	Parent, Relation,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		pallet_prelude::{BoundedVec, ConstU32, Get},
		traits::{fungible::Mutate, EnsureOrigin},
	},
	frame_system::RawOrigin,
	sp_core::{crypto::KeyTypeId, sr25519},
	sp_io,
	sp_runtime::traits::{Bounded, IdentifyAccount, StaticLookup},
};

const SEED: u32 = 0;

/// The account that signs the benchmarked call: `whitelisted_caller`, whose `System::Account`
/// entry the harness does not count, as in a real extrinsic the fee payment has already read
/// and written it (that cost is in the extrinsic base weight).
fn signer<T: Config>() -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = whitelisted_caller();
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}
/// The origin the runtime's `ForceOrigin` accepts (governance).
fn force_origin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

const BENCH_KEY: KeyTypeId = KeyTypeId(*b"owhb");

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

fn bounded<const N: u32>(byte: u8, len: u32) -> BoundedVec<u8, ConstU32<N>> {
	BoundedVec::truncate_from(vec![byte; len.min(N) as usize])
}

/// A mirror URI of the longest allowed length, ending in the decimal digits of `n`.
fn mirror_uri(n: u32) -> StorageUri {
	let digits = alloc::format!("{n:010}");
	let mut uri = b"https://mirror.example/".to_vec();
	uri.resize((MAX_URI_LEN as usize).saturating_sub(digits.len()), b'm');
	uri.extend_from_slice(digits.as_bytes());
	StorageUri::truncate_from(uri)
}

fn repo_name(n: u32) -> RepoName {
	let mut name = b"bench/repo-".to_vec();
	name.extend_from_slice(&n.to_le_bytes().map(|b| b'a' + b % 26));
	RepoName::truncate_from(name)
}

/// A manifest at the encoding bounds: `artifacts` files with the longest paths and URIs, and
/// the longest message, license, metrics and tags.
fn heavy_manifest(repo: &RepoName, artifacts: u32, parents: Vec<VersionId>, salt: u32) -> Manifest {
	let artifacts = (0..artifacts)
		.map(|i| {
			let mut path = alloc::format!("shard-{i:06}/").into_bytes();
			path.resize(MAX_PATH_LEN as usize, b'p');
			let uri = |k: u8| {
				let mut uri = alloc::format!("https://mirror{k}.example/").into_bytes();
				uri.resize(MAX_URI_LEN as usize, b'u');
				StorageUri::truncate_from(uri)
			};
			Artifact {
				path: ArtifactPath::truncate_from(path),
				size: u64::MAX / 2,
				sha256: [i as u8; 32],
				chunk_size: DEFAULT_CHUNK_SIZE,
				merkle_root: [i as u8; 32],
				media_type: bounded::<MAX_MEDIA_TYPE_LEN>(b'm', MAX_MEDIA_TYPE_LEN),
				uris: BoundedVec::truncate_from((0..MAX_URIS as u8).map(uri).collect()),
			}
		})
		.collect();
	let mut parents: Vec<Parent> = parents
		.into_iter()
		.map(|version| Parent {
			version,
			relation: Relation::FineTune,
		})
		.collect();
	parents.sort_by_key(|p| p.version);
	let metrics = (0..MAX_METRICS)
		.map(|i| {
			let mut name = alloc::format!("m{i:04}").into_bytes();
			name.resize(MAX_METRIC_NAME_LEN as usize, b'x');
			Metric {
				name: BoundedVec::truncate_from(name),
				value: i64::from(i),
			}
		})
		.collect();
	let tags = (0..MAX_TAGS)
		.map(|i| {
			let mut key = alloc::format!("t{i:04}").into_bytes();
			key.resize(MAX_TAG_KEY_LEN as usize, b'k');
			Tag {
				key: BoundedVec::truncate_from(key),
				value: bounded::<MAX_TAG_VALUE_LEN>(b'v', MAX_TAG_VALUE_LEN),
			}
		})
		.collect();
	let mut message = bounded::<MAX_MESSAGE_LEN>(b'w', MAX_MESSAGE_LEN).into_inner();
	message.truncate(message.len().saturating_sub(8));
	message.extend_from_slice(&salt.to_le_bytes().map(|b| b'a' + b % 26));
	message.extend_from_slice(b"0000");
	Manifest {
		format_version: MANIFEST_FORMAT_VERSION,
		repository: repo.clone(),
		parents: BoundedVec::truncate_from(parents),
		artifacts: BoundedVec::truncate_from(artifacts),
		message: BoundedVec::truncate_from(message),
		metrics: BoundedVec::truncate_from(metrics),
		license: bounded::<MAX_LICENSE_LEN>(b'L', MAX_LICENSE_LEN),
		tags: BoundedVec::truncate_from(tags),
		tool_version: bounded::<MAX_TOOL_VERSION_LEN>(b'o', MAX_TOOL_VERSION_LEN),
	}
}

/// Cuts every text field of a [`heavy_manifest`] to the share `text_len / MAX_TEXT_LEN` of its
/// longest, keeping the license valid (one character at least).
fn shorten_text(manifest: &mut Manifest, text_len: u32) {
	let share =
		|max: u32| (u64::from(max) * u64::from(text_len) / u64::from(MAX_TEXT_LEN)) as usize;
	manifest.message.truncate(share(MAX_MESSAGE_LEN));
	manifest.metrics.truncate(share(MAX_METRICS));
	manifest.license.truncate(share(MAX_LICENSE_LEN).max(1));
	manifest.tags.truncate(share(MAX_TAGS));
	manifest.tool_version.truncate(share(MAX_TOOL_VERSION_LEN));
}

fn create_repo<T: Config>(owner: &T::AccountId, n: u32) -> RepoName
where
	T::Currency: Mutate<T::AccountId>,
{
	let repo = repo_name(n);
	Registry::<T>::do_create_repository(owner.clone(), repo.clone()).expect("fresh repository");
	repo
}

fn commit<T: Config>(owner: &T::AccountId, repo: &RepoName, salt: u32) -> VersionId {
	let manifest = heavy_manifest(repo, 1, Vec::new(), salt);
	let id = manifest.version_id();
	Registry::<T>::do_commit_version(owner.clone(), repo.clone(), manifest, None)
		.expect("valid version");
	id
}

/// The heaviest version a call can touch: `MaxArtifacts` artifacts at their longest and
/// `MaxParents` parents, so that a call that decoded the record would show it.
fn commit_heaviest<T: Config>(owner: &T::AccountId, repo: &RepoName, salt: u32) -> VersionId {
	let parents: Vec<VersionId> = (0..T::MaxParents::get())
		.map(|i| commit::<T>(owner, repo, salt.saturating_mul(1000).saturating_add(i + 1)))
		.collect();
	let manifest = heavy_manifest(repo, T::MaxArtifacts::get(), parents, salt);
	let id = manifest.version_id();
	Registry::<T>::do_commit_version(owner.clone(), repo.clone(), manifest, None)
		.expect("valid version");
	id
}

fn fill_maintainers<T: Config>(owner: &T::AccountId, repo: &RepoName, leave_free: u32)
where
	T::Currency: Mutate<T::AccountId>,
{
	let count = T::MaxMaintainers::get().saturating_sub(leave_free);
	for i in 0..count {
		let m: T::AccountId = account("maintainer", i, SEED);
		Registry::<T>::do_grant_role(owner.clone(), repo.clone(), m, Role::Maintainer)
			.expect("room for maintainers");
	}
}

/// Fills the committer list up to `MaxMaintainers - leave_free`.
fn fill_committers<T: Config>(owner: &T::AccountId, repo: &RepoName, leave_free: u32)
where
	T::Currency: Mutate<T::AccountId>,
{
	let count = T::MaxMaintainers::get().saturating_sub(leave_free);
	for i in 0..count {
		let c: T::AccountId = account("committer-n", i, SEED);
		Registry::<T>::do_grant_role(owner.clone(), repo.clone(), c, Role::Committer)
			.expect("room for committers");
	}
}

/// A repository whose acting account holds `role` and comes last in its full list: the
/// longest role check a call makes. For a committer, the maintainer list is full too, since
/// `ensure_committer` reads it first.
fn repo_with_last<T: Config>(role: Role) -> (T::AccountId, T::AccountId, RepoName)
where
	T::Currency: Mutate<T::AccountId>,
{
	let owner = funded::<T>("owner", 0);
	let repo = create_repo::<T>(&owner, 0);
	if role == Role::Committer {
		fill_maintainers::<T>(&owner, &repo, 0);
		fill_committers::<T>(&owner, &repo, 1);
	} else {
		fill_maintainers::<T>(&owner, &repo, 1);
	}
	let actor = signer::<T>();
	Registry::<T>::do_grant_role(owner.clone(), repo.clone(), actor.clone(), role)
		.expect("room for one more");
	(owner, actor, repo)
}

/// A commit ready to submit: a committer of a repository whose role lists are full, a manifest
/// at its longest, its author signature if any, and the author the record must name.
struct CommitSetup<T: Config> {
	committer: T::AccountId,
	repo: RepoName,
	manifest: Manifest,
	author_signature: Option<AuthorSignature<T::AccountId, T::Signature>>,
	author: T::AccountId,
}

/// A commit of `artifacts` artifacts with `parents` committed parents, signed by a generated
/// author in the `<Bytes>`-wrapped form when `signed`.
fn commit_setup<T: Config>(artifacts: u32, parents: u32, signed: bool) -> CommitSetup<T>
where
	T::Currency: Mutate<T::AccountId>,
	T::Signature: From<sr25519::Signature>,
	T::Signer: From<sr25519::Public>,
{
	let (owner, committer, repo) = repo_with_last::<T>(Role::Committer);
	let parents: Vec<VersionId> = (0..parents)
		.map(|i| commit::<T>(&owner, &repo, i + 1))
		.collect();
	let manifest = heavy_manifest(&repo, artifacts, parents, 0);
	if !signed {
		let author = committer.clone();
		return CommitSetup {
			committer,
			repo,
			manifest,
			author_signature: None,
			author,
		};
	}
	let public = sp_io::crypto::sr25519_generate(BENCH_KEY, None);
	let payload = author_payload(&Registry::<T>::genesis_hash(), &manifest.version_id());
	let signature = sp_io::crypto::sr25519_sign(BENCH_KEY, &public, &wrapped_payload(&payload))
		.expect("the key was just generated in the keystore");
	let author = <T::Signer as From<sr25519::Public>>::from(public).into_account();
	let author_signature = Some(AuthorSignature {
		author: author.clone(),
		signature: signature.into(),
	});
	CommitSetup {
		committer,
		repo,
		manifest,
		author_signature,
		author,
	}
}

impl<T: Config> CommitSetup<T> {
	/// Submits the commit as its committer.
	fn submit(self) -> polkadot_sdk::sp_runtime::DispatchResult {
		Registry::<T>::commit_version(
			RawOrigin::Signed(self.committer).into(),
			self.repo,
			Box::new(self.manifest),
			self.author_signature,
		)
	}
}

#[benchmarks(
	where
		T::Currency: Mutate<T::AccountId>,
		T::Signature: From<sr25519::Signature>,
		T::Signer: From<sr25519::Public>,
)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_repository() {
		let owner = signer::<T>();
		let repo = repo_name(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), repo.clone());
		assert_eq!(Repositories::<T>::get(&repo).map(|r| r.owner), Some(owner));
	}

	/// Promotes the last of a full committer list into the last free maintainer slot, which
	/// rewrites both lists.
	#[benchmark]
	fn grant_role() {
		let owner = signer::<T>();
		let repo = create_repo::<T>(&owner, 0);
		fill_maintainers::<T>(&owner, &repo, 1);
		fill_committers::<T>(&owner, &repo, 0);
		let who: T::AccountId = account(
			"committer-n",
			T::MaxMaintainers::get().saturating_sub(1),
			SEED,
		);
		let lookup = T::Lookup::unlookup(who.clone());
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			repo.clone(),
			lookup,
			Role::Maintainer,
		);
		assert!(Maintainers::<T>::get(&repo).contains(&who));
	}

	#[benchmark]
	fn revoke_role() {
		let owner = signer::<T>();
		let repo = create_repo::<T>(&owner, 0);
		fill_maintainers::<T>(&owner, &repo, 0);
		// The last maintainer is the worst case for the linear search.
		let who: T::AccountId = account(
			"maintainer",
			T::MaxMaintainers::get().saturating_sub(1),
			SEED,
		);
		let lookup = T::Lookup::unlookup(who.clone());
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			repo.clone(),
			lookup,
			Role::Maintainer,
		);
		assert!(!Maintainers::<T>::get(&repo).contains(&who));
	}

	#[benchmark]
	fn transfer_ownership() {
		let owner = signer::<T>();
		let repo = create_repo::<T>(&owner, 0);
		fill_maintainers::<T>(&owner, &repo, 0);
		let new_owner: T::AccountId = account("maintainer", 0, SEED);
		let lookup = T::Lookup::unlookup(new_owner.clone());
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), repo.clone(), lookup);
		assert_eq!(PendingOwners::<T>::get(&repo), Some(new_owner));
	}

	/// The new owner is the last of a full maintainer list, and both lists are full, so the
	/// deposit and role lists are at their largest.
	#[benchmark]
	fn accept_ownership() {
		let owner = funded::<T>("owner", 0);
		let repo = create_repo::<T>(&owner, 0);
		fill_maintainers::<T>(&owner, &repo, 0);
		fill_committers::<T>(&owner, &repo, 0);
		let new_owner: T::AccountId = account(
			"maintainer",
			T::MaxMaintainers::get().saturating_sub(1),
			SEED,
		);
		T::Currency::set_balance(&new_owner, BalanceOf::<T>::max_value() / 4u32.into());
		Registry::<T>::transfer_ownership(
			RawOrigin::Signed(owner).into(),
			repo.clone(),
			T::Lookup::unlookup(new_owner.clone()),
		)
		.expect("the owner offers the repository");
		#[extrinsic_call]
		_(RawOrigin::Signed(new_owner.clone()), repo.clone());
		assert_eq!(
			Repositories::<T>::get(&repo).map(|r| r.owner),
			Some(new_owner)
		);
	}

	/// An unsigned commit of `a` artifacts at their longest and no parents. Parents and the
	/// author signature are measured apart, on one-artifact commits, where their cost is not
	/// lost in the noise of a 1,024-artifact call (`Pallet::commit_version_weight` adds them).
	#[benchmark]
	fn commit_version(a: Linear<1, { T::MaxArtifacts::get() }>) {
		let CommitSetup {
			committer,
			repo,
			manifest,
			author_signature,
			author,
		} = commit_setup::<T>(a, 0, false);
		let id = manifest.version_id();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(committer),
			repo,
			Box::new(manifest),
			author_signature,
		);
		assert_eq!(Versions::<T>::get(id).map(|r| r.author), Some(author));
	}

	/// An unsigned one-artifact commit with `p` parents.
	#[benchmark]
	fn commit_version_parents(
		p: Linear<0, { T::MaxParents::get() }>,
	) -> Result<(), BenchmarkError> {
		let commit = commit_setup::<T>(1, p, false);
		let id = commit.manifest.version_id();
		#[block]
		{
			commit.submit()?;
		}
		assert_eq!(
			VersionMetas::<T>::get(id).map(|m| m.parents.len() as u32),
			Some(p)
		);
		Ok(())
	}

	/// An unsigned one-artifact commit without parents whose free text (message, metrics,
	/// license, tags, tool version) is `t` bytes, every field cut to the same share of its
	/// longest.
	#[benchmark]
	fn commit_version_text(t: Linear<0, MAX_TEXT_LEN>) -> Result<(), BenchmarkError> {
		let mut commit = commit_setup::<T>(1, 0, false);
		assert_eq!(commit.manifest.text_len(), MAX_TEXT_LEN);
		shorten_text(&mut commit.manifest, t);
		let id = commit.manifest.version_id();
		#[block]
		{
			commit.submit()?;
		}
		assert!(VersionMetas::<T>::contains_key(id));
		Ok(())
	}

	/// A one-artifact commit without parents, signed by an author in the `<Bytes>`-wrapped
	/// form (which costs a failed raw check first).
	#[benchmark]
	fn commit_version_signed() -> Result<(), BenchmarkError> {
		let commit = commit_setup::<T>(1, 0, true);
		let (id, author) = (commit.manifest.version_id(), commit.author.clone());
		#[block]
		{
			commit.submit()?;
		}
		assert_eq!(Versions::<T>::get(id).map(|r| r.author), Some(author));
		Ok(())
	}

	#[benchmark]
	fn set_alias() {
		let (owner, committer, repo) = repo_with_last::<T>(Role::Maintainer);
		let old = commit_heaviest::<T>(&owner, &repo, 1);
		let new = commit_heaviest::<T>(&owner, &repo, 2);
		let alias = AliasName::truncate_from(vec![b'a'; MAX_ALIAS_LEN as usize]);
		Registry::<T>::do_set_alias(owner, repo.clone(), alias.clone(), old).expect("valid alias");
		#[extrinsic_call]
		_(
			RawOrigin::Signed(committer),
			repo.clone(),
			alias.clone(),
			new,
		);
		assert_eq!(Aliases::<T>::get(&repo, &alias), Some(new));
	}

	#[benchmark]
	fn remove_alias() {
		let (owner, committer, repo) = repo_with_last::<T>(Role::Maintainer);
		let version = commit_heaviest::<T>(&owner, &repo, 1);
		let alias = AliasName::truncate_from(vec![b'a'; MAX_ALIAS_LEN as usize]);
		Registry::<T>::do_set_alias(owner, repo.clone(), alias.clone(), version)
			.expect("valid alias");
		#[extrinsic_call]
		_(RawOrigin::Signed(committer), repo.clone(), alias.clone());
		assert_eq!(Aliases::<T>::get(&repo, &alias), None);
	}

	#[benchmark]
	fn yank_version() {
		let (owner, committer, repo) = repo_with_last::<T>(Role::Maintainer);
		let version = commit_heaviest::<T>(&owner, &repo, 1);
		let reason = bounded::<MAX_REASON_LEN>(b'r', MAX_REASON_LEN);
		#[extrinsic_call]
		_(RawOrigin::Signed(committer), repo, version, reason);
		assert!(Yanked::<T>::contains_key(version));
	}

	#[benchmark]
	fn unyank_version() {
		let (owner, committer, repo) = repo_with_last::<T>(Role::Maintainer);
		let version = commit_heaviest::<T>(&owner, &repo, 1);
		let reason = bounded::<MAX_REASON_LEN>(b'r', MAX_REASON_LEN);
		Registry::<T>::do_yank(owner, repo.clone(), version, reason).expect("not yet yanked");
		#[extrinsic_call]
		_(RawOrigin::Signed(committer), repo, version);
		assert!(!Yanked::<T>::contains_key(version));
	}

	/// Replacing a maintainer's yank with the longest reason, releasing its deposit: the
	/// heaviest force-yank.
	#[benchmark]
	fn force_yank_version() -> Result<(), BenchmarkError> {
		let origin = force_origin::<T>()?;
		let (owner, _, repo) = repo_with_last::<T>(Role::Maintainer);
		let version = commit_heaviest::<T>(&owner, &repo, 1);
		let reason = bounded::<MAX_REASON_LEN>(b'r', MAX_REASON_LEN);
		Registry::<T>::do_yank(owner, repo, version, reason.clone()).expect("not yet yanked");
		#[extrinsic_call]
		_(origin, version, reason);
		assert_eq!(
			Yanked::<T>::get(version).map(|y| y.by),
			Some(Yanker::Governance)
		);
		Ok(())
	}

	/// Withdrawing a maintainer's yank, releasing its deposit.
	#[benchmark]
	fn force_unyank_version() -> Result<(), BenchmarkError> {
		let origin = force_origin::<T>()?;
		let (owner, _, repo) = repo_with_last::<T>(Role::Maintainer);
		let version = commit_heaviest::<T>(&owner, &repo, 1);
		let reason = bounded::<MAX_REASON_LEN>(b'r', MAX_REASON_LEN);
		Registry::<T>::do_yank(owner, repo, version, reason).expect("not yet yanked");
		#[extrinsic_call]
		_(origin, version);
		assert!(!Yanked::<T>::contains_key(version));
		Ok(())
	}

	/// A repository whose role lists are full and whose transfer is pending, moved to the
	/// last maintainer: the most the hand-over reads, writes and settles.
	#[benchmark]
	fn force_transfer_repository() -> Result<(), BenchmarkError> {
		let origin = force_origin::<T>()?;
		let owner = funded::<T>("owner", 0);
		let repo = create_repo::<T>(&owner, 0);
		fill_maintainers::<T>(&owner, &repo, 0);
		fill_committers::<T>(&owner, &repo, 0);
		let pending = funded::<T>("pending", 0);
		Registry::<T>::transfer_ownership(
			RawOrigin::Signed(owner).into(),
			repo.clone(),
			T::Lookup::unlookup(pending),
		)
		.expect("the owner offers the repository");
		let new_owner: T::AccountId = account(
			"maintainer",
			T::MaxMaintainers::get().saturating_sub(1),
			SEED,
		);
		T::Currency::set_balance(&new_owner, BalanceOf::<T>::max_value() / 4u32.into());
		#[extrinsic_call]
		_(origin, repo.clone(), T::Lookup::unlookup(new_owner.clone()));
		assert_eq!(
			Repositories::<T>::get(&repo).map(|r| r.owner),
			Some(new_owner)
		);
		Ok(())
	}

	/// A version with `count` mirrors of the longest URI, each ending in its index.
	fn with_mirrors<T: Config>(
		owner: &T::AccountId,
		repo: &RepoName,
		version: VersionId,
		count: u32,
	) where
		T::Currency: Mutate<T::AccountId>,
	{
		for i in 0..count {
			Registry::<T>::do_add_mirror(owner.clone(), repo.clone(), version, mirror_uri(i))
				.expect("room for the mirror");
		}
	}

	#[benchmark]
	fn add_mirror() {
		let (owner, committer, repo) = repo_with_last::<T>(Role::Committer);
		let version = commit_heaviest::<T>(&owner, &repo, 1);
		let max = T::MaxMirrors::get();
		with_mirrors::<T>(&owner, &repo, version, max.saturating_sub(1));
		let uri = mirror_uri(max);
		#[extrinsic_call]
		_(RawOrigin::Signed(committer), repo, version, uri);
		assert_eq!(Mirrors::<T>::get(version).len() as u32, max);
	}

	#[benchmark]
	fn remove_mirror() {
		let (owner, committer, repo) = repo_with_last::<T>(Role::Maintainer);
		let version = commit_heaviest::<T>(&owner, &repo, 1);
		let max = T::MaxMirrors::get();
		with_mirrors::<T>(&owner, &repo, version, max);
		let uri = mirror_uri(max.saturating_sub(1));
		#[extrinsic_call]
		_(RawOrigin::Signed(committer), repo, version, uri);
		assert_eq!(
			Mirrors::<T>::get(version).len() as u32,
			max.saturating_sub(1)
		);
	}

	impl_benchmark_test_suite!(Registry, crate::mock::new_test_ext(), crate::mock::Test);
}
