//! The royalty split: how a payment for a version flows to its contributors and up its
//! lineage. See the crate docs for the rules.

use crate::*;
use alloc::{collections::VecDeque, vec::Vec};
use owh_primitives::licensing::ModelRegistry;
use polkadot_sdk::{
	frame_support::traits::{
		fungible::Inspect,
		tokens::{DepositConsequence, Provenance},
		Get,
	},
	sp_runtime::{traits::Zero, DispatchError, Permill, Saturating},
};

/// A split, with what the walk cost.
pub struct SplitPlan<T: Config> {
	/// The legs, summing to the amount.
	pub split: RoyaltySplitOf<T>,
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
		let mut legs = Vec::new();
		let mut visited: u32 = 0;
		let mut max_contributors: u32 = 0;
		let mut truncated = false;
		// Each queued version carries its repository and parents, so every version record is
		// read once.
		let mut queue = VecDeque::from([(version, repo, parents, amount, 0u32)]);
		while let Some((current, repo, parents, incoming, depth)) = queue.pop_front() {
			visited = visited.saturating_add(1);
			let mut kept = incoming;
			for parent in parents {
				let Some((parent_repo, grandparents)) = T::Registry::lineage_of(&parent) else {
					continue;
				};
				let take = Self::royalty_rate(&parent, &parent_repo)
					.mul_floor(incoming)
					.min(kept);
				if take.is_zero() {
					continue;
				}
				if depth >= max_depth || visited as usize + queue.len() >= max_versions {
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
		Ok(SplitPlan {
			split: RoyaltySplit {
				amount,
				legs,
				versions: visited,
				truncated,
			},
			max_contributors,
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
			let receivable = T::Currency::can_deposit(&payee, amount, Provenance::Extant)
				== DepositConsequence::Success;
			let (payee, kind) = if receivable {
				(payee, kind)
			} else {
				(owner.clone(), PayeeKind::Owner)
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
