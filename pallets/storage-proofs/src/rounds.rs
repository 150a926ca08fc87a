//! Providers, pledges, answers and the rounds that draw and close challenges.

use crate::*;
use alloc::vec::Vec;
use codec::{Encode, MaxEncodedLen};
use owh_primitives::{
	deposit::Footprint,
	storage::{ChallengeView, MAX_REPUTATION, REPUTATION_PER_ANSWER, REPUTATION_PER_MISS},
};
use polkadot_sdk::{
	frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Mutate, MutateHold},
			tokens::{Fortitude, Precision, Preservation, Restriction},
		},
	},
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_io::hashing::blake2_256,
	sp_runtime::traits::{AccountIdConversion, CheckedAdd, One, Saturating, Zero},
};

impl<T: Config> From<ProofError> for Error<T> {
	fn from(error: ProofError) -> Self {
		match error {
			ProofError::Unprovable => Error::UnprovableVersion,
			ProofError::UnknownArtifact | ProofError::WrongPosition => Error::WrongPosition,
			ProofError::ProofTooLong => Error::ProofTooLong,
			ProofError::WrongSegmentLength => Error::WrongSegmentLength,
			ProofError::Mismatch => Error::ProofMismatch,
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The pot: slashes go in, rewards come out.
	pub fn pot() -> T::AccountId {
		T::PotId::get().into_account_truncating()
	}

	/// The deposit every pledge holds: its record, its `(version, provider)` index entry and
	/// its history at full depth, by the registry's rule.
	pub fn pledge_deposit() -> BalanceOf<T> {
		// Twox64Concat adds 8 bytes to the 4-byte pledge id; Blake2_128Concat 16 to the account.
		let index_key = 32usize
			.saturating_add(16)
			.saturating_add(T::AccountId::max_encoded_len());
		let pledge_key = 12usize;
		Footprint::entry(pledge_key.saturating_add(PledgeOf::<T>::max_encoded_len()))
			.and(Footprint::entry(index_key.saturating_add(4)))
			.and(Footprint::entry(
				pledge_key.saturating_add(HistoryOf::<T>::max_encoded_len()),
			))
			.deposit(T::DepositPerItem::get(), T::DepositPerByte::get())
	}

	fn check_endpoint(endpoint: &Endpoint) -> DispatchResult {
		ensure!(
			owh_primitives::validate::provider_endpoint(endpoint),
			Error::<T>::BadEndpoint
		);
		Ok(())
	}

	fn check_term(term: BlockNumberFor<T>) -> DispatchResult {
		ensure!(term >= T::MinTerm::get(), Error::<T>::TermTooShort);
		ensure!(term <= T::MaxTerm::get(), Error::<T>::TermTooLong);
		Ok(())
	}

	pub(crate) fn do_register_provider(
		who: T::AccountId,
		endpoint: Endpoint,
		capacity: u64,
	) -> DispatchResult {
		ensure!(
			!Providers::<T>::contains_key(&who),
			Error::<T>::AlreadyProvider
		);
		Self::check_endpoint(&endpoint)?;
		ensure!(capacity > 0, Error::<T>::ZeroCapacity);
		let stake = T::ProviderStake::get();
		T::Currency::hold(&HoldReason::ProviderStake.into(), &who, stake)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Providers::<T>::insert(
			&who,
			ProviderInfo {
				endpoint,
				capacity,
				pledged: 0,
				pledges: 0,
				stake,
				reputation: MAX_REPUTATION,
				answered: 0,
				missed: 0,
				registered: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::ProviderRegistered {
			provider: who,
			capacity,
			stake,
		});
		Ok(())
	}

	pub(crate) fn do_update_provider(
		who: T::AccountId,
		endpoint: Endpoint,
		capacity: u64,
	) -> DispatchResult {
		let mut info = Providers::<T>::get(&who).ok_or(Error::<T>::NotProvider)?;
		Self::check_endpoint(&endpoint)?;
		ensure!(capacity > 0, Error::<T>::ZeroCapacity);
		ensure!(capacity >= info.pledged, Error::<T>::CapacityBelowPledged);
		info.endpoint = endpoint;
		info.capacity = capacity;
		Providers::<T>::insert(&who, info);
		Self::deposit_event(Event::ProviderUpdated {
			provider: who,
			capacity,
		});
		Ok(())
	}

	pub(crate) fn do_add_stake(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		let mut info = Providers::<T>::get(&who).ok_or(Error::<T>::NotProvider)?;
		info.stake = info
			.stake
			.checked_add(&amount)
			.ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::ProviderStake.into(), &who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Providers::<T>::insert(&who, info);
		Self::deposit_event(Event::StakeAdded {
			provider: who,
			amount,
		});
		Ok(())
	}

	pub(crate) fn do_deregister_provider(who: T::AccountId) -> DispatchResult {
		let info = Providers::<T>::get(&who).ok_or(Error::<T>::NotProvider)?;
		ensure!(info.pledges == 0, Error::<T>::HasPledges);
		let stake = T::Currency::release(
			&HoldReason::ProviderStake.into(),
			&who,
			info.stake,
			Precision::BestEffort,
		)?;
		Providers::<T>::remove(&who);
		Self::deposit_event(Event::ProviderDeregistered {
			provider: who,
			stake,
		});
		Ok(())
	}

	pub(crate) fn do_pledge(
		who: T::AccountId,
		version: VersionId,
		term: BlockNumberFor<T>,
	) -> DispatchResult {
		let mut provider = Providers::<T>::get(&who).ok_or(Error::<T>::NotProvider)?;
		ensure!(
			provider.stake >= T::ProviderStake::get(),
			Error::<T>::StakeTooLow
		);
		Self::check_term(term)?;
		let roots = T::Versions::roots_of(&version).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(roots.provable(), Error::<T>::UnprovableVersion);
		ensure!(
			!PledgeIds::<T>::contains_key(version, &who),
			Error::<T>::AlreadyPledged
		);
		let bytes = roots.total_size();
		let pledged = provider
			.pledged
			.checked_add(bytes)
			.filter(|total| *total <= provider.capacity)
			.ok_or(Error::<T>::CapacityExceeded)?;
		let id = NextPledgeId::<T>::get();
		NextPledgeId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		ActivePledges::<T>::try_mutate(|active| active.try_push(id))
			.map_err(|_| Error::<T>::TooManyPledges)?;
		let deposit = Self::pledge_deposit();
		T::Currency::hold(&HoldReason::Pledge.into(), &who, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		provider.pledged = pledged;
		provider.pledges = provider
			.pledges
			.checked_add(1)
			.ok_or(Error::<T>::Overflow)?;
		Providers::<T>::insert(&who, provider);
		let now = frame_system::Pallet::<T>::block_number();
		let end = now.saturating_add(term);
		Pledges::<T>::insert(
			id,
			Pledge {
				provider: who.clone(),
				version,
				bytes,
				segments: roots.total_segments(),
				start: now,
				end,
				deposit,
				misses_in_a_row: 0,
				answered: 0,
				missed: 0,
				auto_renewals: 0,
			},
		);
		PledgeIds::<T>::insert(version, &who, id);
		Self::deposit_event(Event::Pledged {
			pledge: id,
			provider: who,
			version,
			end,
			deposit,
		});
		Ok(())
	}

	pub(crate) fn do_renew(
		who: T::AccountId,
		id: PledgeId,
		term: BlockNumberFor<T>,
	) -> DispatchResult {
		let mut pledge = Pledges::<T>::get(id).ok_or(Error::<T>::UnknownPledge)?;
		ensure!(pledge.provider == who, Error::<T>::NotPledger);
		ensure!(term >= T::MinTerm::get(), Error::<T>::TermTooShort);
		let now = frame_system::Pallet::<T>::block_number();
		let end = pledge.end.max(now).saturating_add(term);
		ensure!(
			end.saturating_sub(now) <= T::MaxTerm::get(),
			Error::<T>::TermTooLong
		);
		pledge.end = end;
		Pledges::<T>::insert(id, pledge);
		Self::deposit_event(Event::Renewed {
			pledge: id,
			end,
			automatic: false,
			reward: Zero::zero(),
		});
		Ok(())
	}

	pub(crate) fn do_release(who: T::AccountId, id: PledgeId) -> DispatchResult {
		let pledge = Pledges::<T>::get(id).ok_or(Error::<T>::UnknownPledge)?;
		ensure!(pledge.provider == who, Error::<T>::NotPledger);
		ensure!(
			frame_system::Pallet::<T>::block_number() > pledge.end,
			Error::<T>::TermNotOver
		);
		Self::end_pledge(id, pledge, PledgeEnd::Released);
		Ok(())
	}

	/// Removes a pledge with its history, frees its capacity and releases its deposit.
	fn end_pledge(id: PledgeId, pledge: PledgeOf<T>, reason: PledgeEnd) {
		Pledges::<T>::remove(id);
		PledgeIds::<T>::remove(pledge.version, &pledge.provider);
		History::<T>::remove(id);
		ActivePledges::<T>::mutate(|active| active.retain(|p| *p != id));
		let _ = T::Currency::release(
			&HoldReason::Pledge.into(),
			&pledge.provider,
			pledge.deposit,
			Precision::BestEffort,
		);
		Providers::<T>::mutate(&pledge.provider, |provider| {
			if let Some(provider) = provider {
				provider.pledged = provider.pledged.saturating_sub(pledge.bytes);
				provider.pledges = provider.pledges.saturating_sub(1);
			}
		});
		Self::deposit_event(Event::PledgeEnded {
			pledge: id,
			provider: pledge.provider,
			version: pledge.version,
			reason,
		});
	}

	pub(crate) fn do_answer(
		who: T::AccountId,
		id: ChallengeId,
		proof: &SegmentProof,
	) -> DispatchResult {
		let Some(mut challenge) = Challenges::<T>::get(id) else {
			return Err(if id < CurrentRound::<T>::get().first {
				Error::<T>::ChallengeClosed
			} else {
				Error::<T>::UnknownChallenge
			}
			.into());
		};
		ensure!(challenge.provider == who, Error::<T>::NotChallengedProvider);
		ensure!(challenge.answered.is_none(), Error::<T>::AlreadyAnswered);
		let roots = T::Versions::roots_of(&challenge.version).ok_or(Error::<T>::UnknownVersion)?;
		let position = roots
			.locate(challenge.index)
			.ok_or(Error::<T>::UnknownVersion)?;
		roots.check(&position, proof).map_err(Error::<T>::from)?;

		let now = frame_system::Pallet::<T>::block_number();
		challenge.answered = Some(now);
		Challenges::<T>::insert(id, &challenge);
		let reward = Self::pay_from_pot(&who, T::AnswerReward::get());
		Providers::<T>::mutate(&who, |provider| {
			if let Some(provider) = provider {
				provider.answered = provider.answered.saturating_add(1);
				provider.reputation = provider
					.reputation
					.saturating_add(REPUTATION_PER_ANSWER)
					.min(MAX_REPUTATION);
			}
		});
		Pledges::<T>::mutate(challenge.pledge, |pledge| {
			if let Some(pledge) = pledge {
				pledge.answered = pledge.answered.saturating_add(1);
				pledge.misses_in_a_row = 0;
			}
		});
		Self::record(
			challenge.pledge,
			ChallengeRecord {
				id,
				index: challenge.index,
				issued: challenge.issued,
				answered: Some(now),
				amount: reward,
			},
		);
		Self::deposit_event(Event::ChallengeAnswered {
			challenge: id,
			pledge: challenge.pledge,
			provider: who,
			reward,
		});
		Ok(())
	}

	pub(crate) fn do_set_retained(version: VersionId, retained: bool) -> DispatchResult {
		if retained {
			ensure!(
				T::Versions::roots_of(&version).is_some(),
				Error::<T>::UnknownVersion
			);
			ensure!(
				!Retained::<T>::contains_key(version),
				Error::<T>::RetentionUnchanged
			);
			ensure!(
				Retained::<T>::count() < T::MaxRetained::get(),
				Error::<T>::TooManyRetained
			);
			Retained::<T>::insert(version, ());
		} else {
			ensure!(
				Retained::<T>::contains_key(version),
				Error::<T>::RetentionUnchanged
			);
			Retained::<T>::remove(version);
		}
		Self::deposit_event(Event::RetentionSet { version, retained });
		Ok(())
	}

	/// Pays `amount` from the pot, keeping the pot alive; what was paid (nothing when the pot
	/// cannot pay all of it).
	fn pay_from_pot(to: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		match T::Currency::transfer(&Self::pot(), to, amount, Preservation::Preserve) {
			Ok(_) => amount,
			Err(_) => Zero::zero(),
		}
	}

	/// Appends a closed challenge to its pledge's history, dropping the oldest when full.
	fn record(pledge: PledgeId, record: ChallengeRecordOf<T>) {
		History::<T>::mutate(pledge, |history| {
			if history.len() as u32 >= T::HistoryDepth::get() && !history.is_empty() {
				history.remove(0);
			}
			let _ = history.try_push(record);
		});
	}

	/// The round's work for block `now`: nothing until the next round is due.
	pub(crate) fn on_block(now: BlockNumberFor<T>) -> Weight {
		let round = CurrentRound::<T>::get();
		let read = T::DbWeight::get().reads(1);
		if now < round.next {
			return read;
		}
		let active = ActivePledges::<T>::decode_len().unwrap_or(0) as u32;
		Self::start_round(now, round);
		read.saturating_add(T::WeightInfo::round(active))
	}

	/// Closes the previous round (its unanswered challenges are missed), ends the pledges that
	/// missed too often or expired, renews retained ones, and draws the new challenges.
	pub(crate) fn start_round(now: BlockNumberFor<T>, previous: RoundOf<T>) {
		for id in previous.first..previous.end {
			if let Some(challenge) = Challenges::<T>::take(id) {
				if challenge.answered.is_none() {
					Self::miss(id, challenge);
				}
			}
		}

		let period = ChallengePeriod::<T>::get().max(One::one());
		let deadline = now.saturating_add(period).saturating_sub(One::one());
		let seed = blake2_256(
			&(
				Seed::<T>::get(),
				frame_system::Pallet::<T>::parent_hash(),
				now,
			)
				.encode(),
		);
		Seed::<T>::put(seed);

		let mut next_id = previous.end;
		let mut ended = Vec::new();
		for id in ActivePledges::<T>::get() {
			let Some(mut pledge) = Pledges::<T>::get(id) else {
				continue;
			};
			if pledge.misses_in_a_row >= T::MaxMissesInARow::get() {
				ended.push((id, pledge, PledgeEnd::TooManyMisses));
				continue;
			}
			if pledge.end < deadline && Retained::<T>::contains_key(pledge.version) {
				Self::renew_retained(id, &mut pledge, now);
			}
			if pledge.end < now {
				ended.push((id, pledge, PledgeEnd::Expired));
				continue;
			}
			if pledge.end < deadline {
				// The term ends inside this round: nothing is asked that it does not cover.
				continue;
			}
			for k in 0..T::ChallengesPerPledge::get() {
				Challenges::<T>::insert(
					next_id,
					Challenge {
						pledge: id,
						provider: pledge.provider.clone(),
						version: pledge.version,
						index: draw(&seed, id, k, pledge.segments),
						issued: now,
						deadline,
						answered: None,
					},
				);
				next_id = next_id.saturating_add(1);
			}
		}
		for (id, pledge, reason) in ended {
			Self::end_pledge(id, pledge, reason);
		}
		CurrentRound::<T>::put(Round {
			first: previous.end,
			end: next_id,
			next: now.saturating_add(period),
		});
		Self::deposit_event(Event::RoundStarted {
			first: previous.end,
			end: next_id,
			deadline,
		});
	}

	/// Extends a retained version's pledge by `RetentionTerm` if the pot pays the provider's
	/// `RetentionReward`.
	fn renew_retained(id: PledgeId, pledge: &mut PledgeOf<T>, now: BlockNumberFor<T>) {
		let reward = T::RetentionReward::get();
		if Self::pay_from_pot(&pledge.provider, reward) != reward {
			return;
		}
		pledge.end = pledge.end.max(now).saturating_add(T::RetentionTerm::get());
		pledge.auto_renewals = pledge.auto_renewals.saturating_add(1);
		Pledges::<T>::insert(id, &*pledge);
		Self::deposit_event(Event::Renewed {
			pledge: id,
			end: pledge.end,
			automatic: true,
			reward,
		});
	}

	/// A challenge closed unanswered: slash, lower the reputation, count the miss.
	fn miss(id: ChallengeId, challenge: ChallengeOf<T>) {
		let mut slashed = Zero::zero();
		if let Some(mut provider) = Providers::<T>::get(&challenge.provider) {
			let amount = T::SlashPerMiss::get().mul_floor(provider.stake);
			slashed = T::Currency::transfer_on_hold(
				&HoldReason::ProviderStake.into(),
				&challenge.provider,
				&Self::pot(),
				amount,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)
			.unwrap_or_else(|_| Zero::zero());
			provider.stake = provider.stake.saturating_sub(slashed);
			provider.missed = provider.missed.saturating_add(1);
			provider.reputation = provider.reputation.saturating_sub(REPUTATION_PER_MISS);
			Providers::<T>::insert(&challenge.provider, provider);
		}
		Pledges::<T>::mutate(challenge.pledge, |pledge| {
			if let Some(pledge) = pledge {
				pledge.missed = pledge.missed.saturating_add(1);
				pledge.misses_in_a_row = pledge.misses_in_a_row.saturating_add(1);
			}
		});
		Self::record(
			challenge.pledge,
			ChallengeRecord {
				id,
				index: challenge.index,
				issued: challenge.issued,
				answered: None,
				amount: slashed,
			},
		);
		Self::deposit_event(Event::ChallengeMissed {
			challenge: id,
			pledge: challenge.pledge,
			provider: challenge.provider,
			slashed,
		});
	}

	/// A provider, for the runtime API.
	pub fn provider(who: &T::AccountId) -> Option<ProviderInfoOf<T>> {
		Providers::<T>::get(who)
	}

	/// A version's pledges, for the runtime API.
	pub fn pledges_of_version(version: &VersionId) -> Vec<(PledgeId, PledgeOf<T>)> {
		PledgeIds::<T>::iter_prefix_values(version)
			.filter_map(|id| Pledges::<T>::get(id).map(|pledge| (id, pledge)))
			.collect()
	}

	/// A provider's pledges, for the runtime API.
	pub fn pledges_of_provider(who: &T::AccountId) -> Vec<(PledgeId, PledgeOf<T>)> {
		ActivePledges::<T>::get()
			.into_iter()
			.filter_map(|id| Pledges::<T>::get(id).map(|pledge| (id, pledge)))
			.filter(|(_, pledge)| &pledge.provider == who)
			.collect()
	}

	/// A provider's unanswered challenges of the current round, each with the segment it
	/// asks for located, for the runtime API.
	pub fn open_challenges(
		who: &T::AccountId,
	) -> Vec<ChallengeView<T::AccountId, BlockNumberFor<T>>> {
		let round = CurrentRound::<T>::get();
		(round.first..round.end)
			.filter_map(|id| Challenges::<T>::get(id).map(|challenge| (id, challenge)))
			.filter(|(_, c)| &c.provider == who && c.answered.is_none())
			.filter_map(|(id, challenge)| {
				let position =
					T::Versions::roots_of(&challenge.version)?.locate(challenge.index)?;
				Some(ChallengeView {
					id,
					challenge,
					position,
				})
			})
			.collect()
	}

	/// A pledge's closed challenges, oldest first, for the runtime API.
	pub fn history(pledge: PledgeId) -> Vec<ChallengeRecordOf<T>> {
		History::<T>::get(pledge).into_inner()
	}

	#[cfg(any(feature = "try-runtime", test))]
	pub(crate) fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use polkadot_sdk::frame_support::traits::fungible::InspectHold;
		let active = ActivePledges::<T>::get();
		ensure!(
			active.len() == Pledges::<T>::iter_keys().count(),
			"active list and pledges differ"
		);
		let mut per_provider: BTreeMap<T::AccountId, (u64, u32, BalanceOf<T>)> = BTreeMap::new();
		for id in active.iter() {
			let pledge = Pledges::<T>::get(id).ok_or("active pledge missing")?;
			ensure!(
				PledgeIds::<T>::get(pledge.version, &pledge.provider) == Some(*id),
				"pledge index entry missing"
			);
			let entry = per_provider
				.entry(pledge.provider.clone())
				.or_insert((0, 0, Zero::zero()));
			entry.0 = entry.0.saturating_add(pledge.bytes);
			entry.1 = entry.1.saturating_add(1);
			entry.2 = entry.2.saturating_add(pledge.deposit);
		}
		ensure!(
			PledgeIds::<T>::iter().count() == active.len(),
			"stray pledge index entry"
		);
		for (who, info) in Providers::<T>::iter() {
			let (bytes, count, deposits) = per_provider.remove(&who).unwrap_or_default();
			ensure!(
				info.pledged == bytes && info.pledges == count,
				"provider totals differ from its pledges"
			);
			ensure!(info.pledged <= info.capacity, "provider over capacity");
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ProviderStake.into(), &who) == info.stake,
				"held stake differs from the recorded stake"
			);
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Pledge.into(), &who) == deposits,
				"held pledge deposits differ from the pledges"
			);
		}
		ensure!(per_provider.is_empty(), "pledge of an unknown provider");
		let round = CurrentRound::<T>::get();
		for id in Challenges::<T>::iter_keys() {
			ensure!(
				(round.first..round.end).contains(&id),
				"challenge outside the current round"
			);
		}
		ensure!(
			Retained::<T>::count() <= T::MaxRetained::get(),
			"too many retained versions"
		);
		Ok(())
	}
}

/// Challenge `k` of pledge `pledge` in the round with this seed: a segment index below
/// `segments`.
fn draw(seed: &[u8; 32], pledge: PledgeId, k: u32, segments: u64) -> u64 {
	let hash = blake2_256(&(seed, pledge, k).encode());
	let Some(first) = hash.first_chunk::<16>() else {
		return 0;
	};
	let value = u128::from_le_bytes(*first);
	value
		.checked_rem(u128::from(segments))
		.and_then(|index| u64::try_from(index).ok())
		.unwrap_or(0)
}
