//! The royalty split: how a payment for a version flows to its contributors and up its
//! lineage. See the crate docs for the rules.

use crate::*;
use alloc::{collections::VecDeque, vec::Vec};
use codec::Encode;
use owh_primitives::{deposit::Footprint, licensing::ModelRegistry};
use polkadot_sdk::{
	frame_support::traits::{
		fungible::Inspect,
		tokens::{DepositConsequence, Provenance},
		Get,
	},
	frame_support::weights::Weight,
	sp_runtime::{traits::Zero, DispatchError, Permill, Saturating},
};

/// A split, with what the walk cost.
pub struct SplitPlan<T: Config> {
	/// The legs, summing to the amount.
	pub split: RoyaltySplitOf<T>,
	/// What the walk read, which the call's weight is refunded to.
	pub walk: WalkCost,
}

/// What a royalty walk read: the components of `purchase_license`'s weight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WalkCost {
	/// Versions whose income was split (the licensed one included).
	pub paid_versions: u32,
	/// Parents whose lineage and offers were read but that took nothing (a zero rate, or cut
	/// off by a bound).
	pub unpaid_inspections: u32,
	/// Most contributors of any version whose income was split.
	pub max_contributors: u32,
}

impl<T: Config> Pallet<T> {
	/// The share of a derivative's income that flows to `version` of `repo`: the highest
	/// royalty rate among the active derivative-allowing offers that apply to it.
	pub fn royalty_rate(version: &VersionId, repo: &RepoName) -> Permill {
		Self::applicable_offer_ids(version, repo)
			.iter()
			.filter_map(Offers::<T>::get)
			.filter(|offer| offer.terms.derivatives)
			.map(|offer| offer.terms.royalty_rate)
			.max()
			.unwrap_or_else(Permill::zero)
	}

	/// The rates `version`'s parents offer now, capped at `MaxRoyaltyRate`, for those whose
	/// rate is not zero: what [`EdgeRoyalties`] records when `version` is committed.
	pub fn current_edge_rates(parents: &[(VersionId, RepoName)]) -> EdgeRates {
		let max_rate = T::MaxRoyaltyRate::get();
		let rates: Vec<(VersionId, Permill)> = parents
			.iter()
			.map(|(parent, repo)| (*parent, Self::royalty_rate(parent, repo).min(max_rate)))
			.filter(|(_, rate)| !rate.is_zero())
			.collect();
		// A manifest has at most `MAX_PARENTS` parents, the bound of `EdgeRates`.
		EdgeRates::truncate_from(rates)
	}

	/// What a version's [`EdgeRoyalties`] entry occupies: one entry keyed by its 32-byte id.
	pub fn edge_royalties_footprint(rates: &EdgeRates) -> Footprint {
		Footprint::entry(32usize.saturating_add(rates.encoded_size()))
	}

	/// Splits `amount` paid for `version` into legs. The legs sum to `amount` exactly.
	pub fn plan_split(
		version: VersionId,
		amount: BalanceOf<T>,
	) -> Result<SplitPlan<T>, DispatchError> {
		let (repo, parents) =
			T::Registry::lineage_of(&version).ok_or(Error::<T>::UnknownVersion)?;
		Self::plan_split_of(version, repo, parents, amount)
	}

	/// [`Self::plan_split`] for a version whose repository and parents were already read.
	pub(crate) fn plan_split_of(
		version: VersionId,
		repo: RepoName,
		parents: Vec<VersionId>,
		amount: BalanceOf<T>,
	) -> Result<SplitPlan<T>, DispatchError> {
		let max_depth = T::MaxRoyaltyDepth::get();
		let max_versions = T::MaxRoyaltyVersions::get() as usize;
		let max_inspections = T::MaxRoyaltyInspections::get();
		let mut legs = Vec::new();
		let mut visited: u32 = 0;
		let mut inspected: u32 = 0;
		let mut max_contributors: u32 = 0;
		let mut truncated = false;
		// Each queued version carries its repository and parents, so every version record is
		// read once.
		let mut queue = VecDeque::from([(version, repo, parents, amount, 0u32)]);
		let max_rate = T::MaxRoyaltyRate::get();
		while let Some((current, repo, parents, incoming, depth)) = queue.pop_front() {
			visited = visited.saturating_add(1);
			let mut kept = incoming;
			// All parents together take at most `MaxRoyaltyRate` of what flows in.
			let guaranteed = incoming.saturating_sub(max_rate.mul_floor(incoming));
			// What each parent offered when `current` was committed; the others take nothing
			// and are not read.
			let snapshot = if parents.is_empty() {
				EdgeRates::default()
			} else {
				EdgeRoyalties::<T>::get(current).unwrap_or_default()
			};
			for parent in parents {
				let Some(committed_rate) = snapshot
					.iter()
					.find(|(edge_parent, _)| *edge_parent == parent)
					.map(|(_, rate)| *rate)
				else {
					continue;
				};
				if inspected >= max_inspections {
					truncated = true;
					break;
				}
				inspected = inspected.saturating_add(1);
				let Some((parent_repo, grandparents)) = T::Registry::lineage_of(&parent) else {
					continue;
				};
				let take = Self::royalty_rate(&parent, &parent_repo)
					.min(committed_rate)
					.min(max_rate)
					.mul_floor(incoming)
					.min(kept.saturating_sub(guaranteed));
				if take.is_zero() {
					continue;
				}
				if depth >= max_depth
					|| (visited as usize).saturating_add(queue.len()) >= max_versions
				{
					truncated = true;
					continue;
				}
				kept = kept.saturating_sub(take);
				queue.push_back((
					parent,
					parent_repo,
					grandparents,
					take,
					depth.saturating_add(1),
				));
			}
			let count = Self::split_income(current, &repo, depth, kept, &mut legs)?;
			max_contributors = max_contributors.max(count);
		}
		// Every paid version but the licensed one was read as someone's parent.
		let unpaid_inspections = inspected.saturating_sub(visited.saturating_sub(1));
		Ok(SplitPlan {
			split: RoyaltySplit {
				amount,
				legs,
				versions: visited,
				truncated,
			},
			walk: WalkCost {
				paid_versions: visited,
				unpaid_inspections,
				max_contributors,
			},
		})
	}

	/// Appends the legs paying `income` of `version` to its contributors (or its repository
	/// owner); returns how many contributors it has.
	fn split_income(
		version: VersionId,
		repo: &RepoName,
		depth: u32,
		income: BalanceOf<T>,
		legs: &mut Vec<RoyaltyLeg<T::AccountId, BalanceOf<T>>>,
	) -> Result<u32, DispatchError> {
		let owner = T::Registry::owner_of(repo).ok_or(Error::<T>::UnknownRepository)?;
		let list = Contributors::<T>::get(version);
		let count = list.as_ref().map_or(0, |l| l.contributors.len() as u32);
		if income.is_zero() {
			return Ok(count);
		}
		let mut shares: Vec<(T::AccountId, PayeeKind, BalanceOf<T>)> = Vec::new();
		match list {
			None => shares.push((owner.clone(), PayeeKind::Owner, income)),
			Some(list) => {
				let mut paid = BalanceOf::<T>::zero();
				for c in list.contributors.iter() {
					let amount = c.share.mul_floor(income);
					paid = paid.saturating_add(amount);
					shares.push((c.account.clone(), PayeeKind::Contributor, amount));
				}
				let dust = income.saturating_sub(paid);
				// The largest share, first listed on a tie (`max_by_key` keeps the last).
				let largest = list
					.contributors
					.iter()
					.rev()
					.max_by_key(|c| c.share)
					.map(|c| c.account.clone())
					.unwrap_or_else(|| owner.clone());
				shares.push((largest, PayeeKind::Dust, dust));
			}
		}
		for (payee, kind, amount) in shares {
			if amount.is_zero() {
				continue;
			}
			let receivable = |who: &T::AccountId| {
				T::Currency::can_deposit(who, amount, Provenance::Extant)
					== DepositConsequence::Success
			};
			// The payee, else the repository owner, else the fallback payee, which genesis
			// funds above the existential deposit and which nothing can spend from, so it can
			// always receive.
			let (payee, kind) = if receivable(&payee) {
				(payee, kind)
			} else if receivable(&owner) {
				(owner.clone(), PayeeKind::Owner)
			} else {
				(T::FallbackPayee::get(), PayeeKind::Fallback)
			};
			legs.push(RoyaltyLeg {
				version,
				depth,
				payee,
				kind,
				amount,
			});
		}
		Ok(count)
	}
}

impl<T: Config> owh_primitives::registry::OnVersionCommitted for Pallet<T> {
	/// Snapshots the parents' current royalty rates into [`EdgeRoyalties`].
	fn on_version_committed(version: &VersionId, parents: &[(VersionId, RepoName)]) -> Footprint {
		let rates = Self::current_edge_rates(parents);
		if rates.is_empty() {
			return Footprint::default();
		}
		let footprint = Self::edge_royalties_footprint(&rates);
		EdgeRoyalties::<T>::insert(version, rates);
		footprint
	}

	/// Nothing for a version without parents: the snapshot returns before any read or write.
	fn weight(parents: u32) -> Weight {
		if parents == 0 {
			Weight::zero()
		} else {
			T::WeightInfo::snapshot_edge_royalties(parents)
		}
	}
}
