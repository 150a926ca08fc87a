//! Benchmarks of the licensing pallet (frame-benchmarking v2), each at its worst case.

use super::*;
use crate::Pallet as Licensing;
use alloc::{vec, vec::Vec};
use owh_primitives::licensing::ModelRegistryBenchmarkHelper;
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		pallet_prelude::{BoundedVec, Get},
		traits::{
			fungible::{Inspect, Mutate},
			EnsureOrigin,
		},
	},
	frame_system::RawOrigin,
	sp_runtime::{
		traits::{Bounded, StaticLookup},
		Permill,
	},
};

const SEED: u32 = 0;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

fn repo_name(prefix: &str, n: u32) -> RepoName {
	RepoName::truncate_from(alloc::format!("bench/{prefix}-{n}").into_bytes())
}

/// A version of its own repository owned by `owner`, with `parents`.
fn version<T: Config>(owner: &T::AccountId, n: u32, parents: Vec<VersionId>) -> VersionId {
	T::BenchmarkHelper::register_version(owner, &repo_name("model", n), parents, n)
}

/// The longest terms: a custom document with the longest URI, period and cap set.
fn heavy_terms<T: Config>(price: BalanceOf<T>, rate: Permill) -> OfferTermsOf<T> {
	let mut uri = b"https://terms.example/".to_vec();
	uri.resize(owh_primitives::MAX_URI_LEN as usize, b'u');
	OfferTerms {
		text: LicenseText::Custom {
			sha256: [7; 32],
			uri: StorageUri::truncate_from(uri),
		},
		commercial: true,
		price,
		period: Some(1_000u32.into()),
		usage_cap: Some(u64::MAX),
		derivatives: true,
		royalty_rate: rate,
		revocable: true,
	}
}

/// `count` contributors (new accounts) with equal shares, the remainder on the first.
fn contributors<T: Config>(version: u32, count: u32) -> ContributorsOf<T> {
	let each = 1_000_000 / count;
	let list = (0..count)
		.map(|i| Contributor {
			account: account("contributor", version * 1_000 + i, SEED),
			share: Permill::from_parts(if i == 0 {
				1_000_000 - each * (count - 1)
			} else {
				each
			}),
			role: ContributorRole::Trainer,
		})
		.collect();
	BoundedVec::truncate_from(list)
}

/// Fills the target's active offers up to `MaxOffersPerTarget - leave_free`.
fn fill_offers<T: Config>(owner: &T::AccountId, target: &OfferTarget, leave_free: u32) {
	for _ in 0..T::MaxOffersPerTarget::get().saturating_sub(leave_free) {
		Licensing::<T>::do_create_offer(
			owner.clone(),
			target.clone(),
			heavy_terms::<T>(1u32.into(), Permill::from_percent(1)),
		)
		.expect("room for an offer");
	}
}

/// Fills the target's active offers, each allowing derivatives at `rate`.
fn fill_offers_at<T: Config>(owner: &T::AccountId, target: &OfferTarget, rate: Permill) {
	for _ in 0..T::MaxOffersPerTarget::get() {
		Licensing::<T>::do_create_offer(
			owner.clone(),
			target.clone(),
			heavy_terms::<T>(1u32.into(), rate),
		)
		.expect("room for an offer");
	}
}

/// A version with an active offer, and a license bought under it by `buyer`.
fn licensed<T: Config>(owner: &T::AccountId, buyer: &T::AccountId) -> (VersionId, LicenseId) {
	let v = version::<T>(owner, 0, Vec::new());
	let offer = Licensing::<T>::do_create_offer(
		owner.clone(),
		OfferTarget::Version(v),
		heavy_terms::<T>(1_000u32.into(), Permill::zero()),
	)
	.expect("valid offer");
	let terms_hash = Offers::<T>::get(offer).expect("just created").terms.hash();
	Licensing::<T>::do_purchase_license(buyer.clone(), v, offer, 1_000u32.into(), terms_hash)
		.expect("funded buyer");
	(v, NextLicenseId::<T>::get() - 1)
}

/// Fills the repository's metering accounts up to `MaxMeters - leave_free`; the last added
/// is returned.
fn fill_meters<T: Config>(owner: &T::AccountId, repo: &RepoName, leave_free: u32) -> T::AccountId {
	let mut last = owner.clone();
	for i in 0..T::MaxMeters::get().saturating_sub(leave_free) {
		last = account("meter", i, SEED);
		Licensing::<T>::do_add_meter(owner.clone(), repo.clone(), last.clone())
			.expect("room for a meter");
	}
	last
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_offer() {
		let owner = funded::<T>("owner", 0);
		let v = version::<T>(&owner, 0, Vec::new());
		let target = OfferTarget::Version(v);
		fill_offers::<T>(&owner, &target, 1);
		let terms = heavy_terms::<T>(1_000u32.into(), Permill::from_percent(5));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), target.clone(), terms);

		assert_eq!(
			ActiveOffers::<T>::get(&target).len() as u32,
			T::MaxOffersPerTarget::get()
		);
	}

	#[benchmark]
	fn update_offer() {
		let owner = funded::<T>("owner", 0);
		let v = version::<T>(&owner, 0, Vec::new());
		fill_offers::<T>(&owner, &OfferTarget::Version(v), 0);
		let terms = heavy_terms::<T>(2_000u32.into(), Permill::from_percent(7));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), 0, terms.clone());

		assert_eq!(Offers::<T>::get(0).expect("offer").terms, terms);
	}

	#[benchmark]
	fn retire_offer() {
		let owner = funded::<T>("owner", 0);
		let v = version::<T>(&owner, 0, Vec::new());
		let target = OfferTarget::Version(v);
		fill_offers::<T>(&owner, &target, 0);
		let last = T::MaxOffersPerTarget::get() - 1;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), last);

		assert!(Offers::<T>::get(last).expect("offer").retired.is_some());
	}

	#[benchmark]
	fn force_retire_offer() -> Result<(), BenchmarkError> {
		let origin =
			T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let owner = funded::<T>("owner", 0);
		let v = version::<T>(&owner, 0, Vec::new());
		let target = OfferTarget::Version(v);
		fill_offers::<T>(&owner, &target, 0);
		let last = T::MaxOffersPerTarget::get() - 1;
		let reason = Reason::truncate_from(vec![
			b'r';
			owh_primitives::manifest::MAX_REASON_LEN as usize
		]);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, last, reason);

		assert!(Offers::<T>::get(last).expect("offer").retired.is_some());
		Ok(())
	}

	#[benchmark]
	fn set_contributors(c: Linear<1, { T::MaxContributors::get() }>) {
		let owner = funded::<T>("owner", 0);
		let v = version::<T>(&owner, 0, Vec::new());
		// Replacing a full list, whose deposit is released.
		Licensing::<T>::do_set_contributors(
			owner.clone(),
			v,
			contributors::<T>(1, T::MaxContributors::get()),
		)
		.expect("valid list");
		let list = contributors::<T>(0, c);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), v, list);

		assert_eq!(
			Contributors::<T>::get(v).expect("list").contributors.len() as u32,
			c
		);
	}

	/// `v` versions are paid: the licensed one and `v - 1` parents, each with a royalty from
	/// full repository-default offers and `c` contributors (new accounts). `z` more parents are
	/// read but take nothing: they offered a royalty when their child was committed (so the
	/// walk reads them) and have since lowered every full repository-default offer to a zero
	/// rate, and they have `MAX_PARENTS` parents of their own in their index entry, which the
	/// walk never reaches.
	/// The unpaid parents fill the licensed version's free parent slots first, then the paid
	/// parents'.
	#[benchmark]
	fn purchase_license(
		v: Linear<1, { T::MaxRoyaltyVersions::get() }>,
		z: Linear<0, { owh_primitives::MAX_PARENTS }>,
		c: Linear<1, { T::MaxContributors::get() }>,
	) {
		let owner = funded::<T>("owner", 0);
		let buyer = funded::<T>("buyer", 0);
		let max_parents = owh_primitives::MAX_PARENTS;
		let unpaid: Vec<VersionId> = (0..z)
			.map(|k| {
				let n = 10_000 + k;
				let far = (0..max_parents)
					.map(|j| VersionId([j as u8 + 1; 32]))
					.collect();
				let id = version::<T>(&owner, n, far);
				fill_offers_at::<T>(
					&owner,
					&OfferTarget::Repository(repo_name("model", n)),
					Permill::from_percent(1),
				);
				id
			})
			.collect();
		let free_on_licensed = (max_parents - (v - 1)).min(z) as usize;
		let (on_licensed, on_parents) = unpaid.split_at(free_on_licensed);
		let mut on_parents = on_parents.chunks(max_parents as usize);
		let mut parents: Vec<VersionId> = (1..v)
			.map(|i| {
				let own = on_parents.next().map(|c| c.to_vec()).unwrap_or_default();
				let parent = version::<T>(&owner, i, own);
				fill_offers::<T>(&owner, &OfferTarget::Repository(repo_name("model", i)), 0);
				Licensing::<T>::do_set_contributors(owner.clone(), parent, contributors::<T>(i, c))
					.expect("valid list");
				parent
			})
			.collect();
		parents.extend_from_slice(on_licensed);
		let licensed = version::<T>(&owner, 0, parents);
		Licensing::<T>::do_set_contributors(owner.clone(), licensed, contributors::<T>(0, c))
			.expect("valid list");
		// The unpaid parents' rates fall to zero after their children were committed.
		for k in 0..z {
			let target = OfferTarget::Repository(repo_name("model", 10_000 + k));
			for id in ActiveOffers::<T>::get(&target) {
				Licensing::<T>::do_update_offer(
					owner.clone(),
					id,
					heavy_terms::<T>(1u32.into(), Permill::zero()),
				)
				.expect("the maintainer updates its offer");
			}
		}
		let price = T::Currency::total_issuance() / 64u32.into();
		let offer = Licensing::<T>::do_create_offer(
			owner.clone(),
			OfferTarget::Version(licensed),
			heavy_terms::<T>(price, Permill::zero()),
		)
		.expect("valid offer");
		let terms_hash = Offers::<T>::get(offer).expect("just created").terms.hash();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(buyer.clone()),
			licensed,
			offer,
			price,
			terms_hash,
		);

		let plan = Licensing::<T>::plan_split(licensed, price).expect("exists");
		assert_eq!(plan.split.versions, v);
		assert_eq!(plan.walk.unpaid_inspections, z);
		assert!(Licensing::<T>::has_valid_license(&buyer, &licensed));
	}

	/// What the registry's commit calls: `p` parents, each of its own repository, whose
	/// version has no offer of its own and whose repository has full default offers at a
	/// royalty rate, so every offer list and offer is read and every rate is recorded.
	#[benchmark]
	fn snapshot_edge_royalties(p: Linear<0, { owh_primitives::MAX_PARENTS }>) {
		use owh_primitives::registry::OnVersionCommitted;
		let owner = funded::<T>("owner", 0);
		let parents: Vec<(VersionId, RepoName)> = (0..p)
			.map(|i| {
				let repo = repo_name("model", i + 1);
				let version = version::<T>(&owner, i + 1, Vec::new());
				fill_offers_at::<T>(
					&owner,
					&OfferTarget::Repository(repo.clone()),
					Permill::from_percent(1 + i),
				);
				(version, repo)
			})
			.collect();
		let child = VersionId([0xcc; 32]);

		#[block]
		{
			Licensing::<T>::on_version_committed(&child, &parents);
		}

		let recorded = EdgeRoyalties::<T>::get(child).map_or(0, |rates| rates.len() as u32);
		assert_eq!(recorded, p);
	}

	#[benchmark]
	fn grant_license() {
		let owner = funded::<T>("owner", 0);
		let v = version::<T>(&owner, 0, Vec::new());
		fill_offers::<T>(&owner, &OfferTarget::Version(v), 0);
		let licensee: T::AccountId = account("licensee", 0, SEED);
		let lookup = T::Lookup::unlookup(licensee.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), v, 0, lookup);

		assert!(Licensing::<T>::has_valid_license(&licensee, &v));
	}

	#[benchmark]
	fn revoke_license() {
		let owner = funded::<T>("owner", 0);
		let buyer = funded::<T>("buyer", 0);
		let (_, license) = licensed::<T>(&owner, &buyer);
		let reason = Reason::truncate_from(vec![b'r'; owh_primitives::MAX_REASON_LEN as usize]);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), license, reason);

		assert!(Licenses::<T>::get(license)
			.expect("license")
			.revoked
			.is_some());
	}

	/// Reported by the last of a full list of metering accounts.
	#[benchmark]
	fn report_usage() {
		let owner = funded::<T>("owner", 0);
		let buyer = funded::<T>("buyer", 0);
		let (_, license) = licensed::<T>(&owner, &buyer);
		let meter = fill_meters::<T>(&owner, &repo_name("model", 0), 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(meter), license, 1);

		assert_eq!(
			Licenses::<T>::get(license).expect("license").uses_reported,
			1
		);
	}

	#[benchmark]
	fn add_meter() {
		let owner = funded::<T>("owner", 0);
		version::<T>(&owner, 0, Vec::new());
		let repo = repo_name("model", 0);
		fill_meters::<T>(&owner, &repo, 1);
		let meter: T::AccountId = account("new-meter", 0, SEED);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			repo.clone(),
			T::Lookup::unlookup(meter),
		);

		assert_eq!(Meters::<T>::get(&repo).len() as u32, T::MaxMeters::get());
	}

	#[benchmark]
	fn remove_meter() {
		let owner = funded::<T>("owner", 0);
		version::<T>(&owner, 0, Vec::new());
		let repo = repo_name("model", 0);
		let last = fill_meters::<T>(&owner, &repo, 0);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			repo.clone(),
			T::Lookup::unlookup(last),
		);

		assert_eq!(
			Meters::<T>::get(&repo).len() as u32,
			T::MaxMeters::get() - 1
		);
	}

	impl_benchmark_test_suite!(Licensing, crate::mock::new_test_ext(), crate::mock::Test);
}
