//! # Validator Set Pallet
//!
//! Who authors blocks (Aura) and votes on finality (GRANDPA), decided by governance and applied
//! at session boundaries through `pallet-session`.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the [`Config`](pallet::Config), the dispatchable calls
//! ([`Call`](pallet::Call)), the [`Event`](pallet::Event)s and the [`Error`](pallet::Error)s.
//!
//! ## Overview
//!
//! - The [`AdminOrigin`](pallet::Config::AdminOrigin) (the runtime's `validator_admin`
//!   referendum track or a council motion) **adds** and **removes** validators and sets the
//!   **session length**. The set never exceeds `MaxValidators` and never drops below
//!   `MinValidators`.
//! - A candidate first registers its **session keys** with [`Pallet::set_keys`], proving with
//!   an ownership proof that it holds the private keys (nodes create both with the
//!   `author_rotateKeysWithOwner` RPC). Keys can change again only after `KeyChangeCooldown`
//!   blocks. Governance can add only an account whose keys are registered.
//! - The pallet is `pallet-session`'s session manager, end-of-session rule and rotation
//!   estimate. A change made during session `i` is handed to `pallet-session` when session
//!   `i + 1` starts (as the queued set) and becomes the active set when session `i + 2` starts:
//!   the new validator authors and votes from then on, a removed one stops. So a change takes
//!   effect between one and two session lengths after it is made.
//! - Genesis needs no list of its own: the accounts with session keys in `pallet-session`'s
//!   genesis are the first set (so tools that write session keys into a chain spec, such as
//!   zombienet, decide it).
//! - It counts the blocks each validator authored in the current session
//!   ([`AuthoredBlocks`](pallet::AuthoredBlocks)).
//!
//! `pallet-session`'s own `set_keys` and `purge_keys` must be filtered out of the runtime's
//! calls, so that the cooldown and the checks here cannot be bypassed.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
// The session hooks run in every block: the wasm build denies the usual sources of panics
// there, as in the other pallets' logic modules.
#[cfg_attr(
	not(feature = "std"),
	deny(
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing,
		clippy::arithmetic_side_effects,
		clippy::panic
	)
)]
mod session;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use codec::Encode;
	use polkadot_sdk::{
		frame_support::{pallet_prelude::*, traits::FindAuthor},
		frame_system,
		frame_system::pallet_prelude::*,
		pallet_session,
		sp_runtime::traits::{OpaqueKeys, Saturating, StaticLookup, Zero},
		sp_staking::SessionIndex,
	};

	/// An account id or an address that resolves to one.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the validator-set pallet.
	#[pallet::config]
	pub trait Config:
		polkadot_sdk::frame_system::Config
		+ pallet_session::Config<
			ValidatorId = <Self as polkadot_sdk::frame_system::Config>::AccountId,
		>
	{
		/// Adds and removes validators and sets the session length.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The author of the block being built (Aura's author index mapped to its validator).
		type FindAuthor: FindAuthor<Self::AccountId>;

		/// Most validators; at most the consensus pallets' `MaxAuthorities`.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// Fewest validators: a removal that would leave fewer is refused.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// Blocks an account must wait between two changes of its session keys.
		#[pallet::constant]
		type KeyChangeCooldown: Get<BlockNumberFor<Self>>;

		/// Shortest session the admin origin may set, in blocks.
		#[pallet::constant]
		type MinSessionLength: Get<BlockNumberFor<Self>>;

		/// Longest session the admin origin may set, in blocks.
		#[pallet::constant]
		type MaxSessionLength: Get<BlockNumberFor<Self>>;

		/// Weights of the calls and hooks.
		type WeightInfo: WeightInfo;

		/// Creates session keys with a valid ownership proof for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self>;
	}

	/// The validators of the next session governance plans: sorted, unique, each with session
	/// keys. `pallet-session` receives it at the next session start after a change.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Whether [`Validators`] changed since `pallet-session` last took it.
	#[pallet::storage]
	pub type Changed<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Blocks per session.
	#[pallet::storage]
	pub type SessionLength<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The block the current session started at.
	#[pallet::storage]
	pub type SessionStart<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The block each account last set its session keys at. An entry lives as long as the
	/// keys, which hold `pallet-session`'s key deposit.
	#[pallet::storage]
	pub type LastKeyChange<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BlockNumberFor<T>, OptionQuery>;

	/// Blocks each validator authored in the current session; cleared when a session starts,
	/// so it holds at most one entry per active validator.
	#[pallet::storage]
	pub type AuthoredBlocks<T: Config> = StorageMap<_, Twox64Concat, T::AccountId, u32, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Blocks per session; `0` means `MinSessionLength`. The first validators are the
		/// accounts with session keys in `pallet-session`'s genesis, adopted when session 0
		/// starts.
		pub session_length: BlockNumberFor<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let length = if self.session_length.is_zero() {
				T::MinSessionLength::get()
			} else {
				self.session_length
			};
			assert!(
				(T::MinSessionLength::get()..=T::MaxSessionLength::get()).contains(&length),
				"genesis session length out of range"
			);
			SessionLength::<T>::put(length);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` joins the set; it authors and votes from session `from_session` on.
		ValidatorAdded {
			who: T::AccountId,
			from_session: SessionIndex,
		},
		/// `who` leaves the set; it stops authoring and voting when session `from_session`
		/// starts.
		ValidatorRemoved {
			who: T::AccountId,
			from_session: SessionIndex,
		},
		/// `pallet-session` took the changed set; it is active from session `session` on.
		NewSetPlanned {
			session: SessionIndex,
			validators: u32,
		},
		/// `who` registered new session keys; they are used from the next session on.
		KeysSet { who: T::AccountId },
		/// `who` removed its session keys, releasing the key deposit.
		KeysPurged { who: T::AccountId },
		/// Sessions are now `blocks` long, starting with the current one.
		SessionLengthSet { blocks: BlockNumberFor<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already in the validator set; `owh validator list` shows the set.
		AlreadyAValidator,
		/// The account is not in the validator set; `owh validator list` shows the set.
		NotAValidator,
		/// The set holds `MaxValidators` already; remove one first.
		TooManyValidators,
		/// The removal would leave fewer than `MinValidators`; add the replacement first.
		TooFewValidators,
		/// The account has no session keys; its node must rotate keys and submit them with
		/// `set_keys` (`owh validator keys`) before governance adds it.
		NoSessionKeys,
		/// `set_keys` needs the ownership proof that `author_rotateKeysWithOwner` returns
		/// together with the keys.
		MissingOwnershipProof,
		/// The ownership proof was not made by these keys for this account: rotate the keys
		/// with the submitting account as owner (`owh validator keys`) and submit both as
		/// returned.
		InvalidOwnershipProof,
		/// One of the keys is registered to another account; rotate new keys on the node.
		KeysInUse,
		/// Session keys changed less than `KeyChangeCooldown` blocks ago; wait until the
		/// cooldown ends.
		KeyChangeTooSoon,
		/// A validator of the planned, queued or active set cannot remove its keys; ask
		/// governance to remove it and purge after it has left the active set.
		StillAValidator,
		/// The session length must lie between `MinSessionLength` and `MaxSessionLength`.
		SessionLengthOutOfRange,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			<T as Config>::WeightInfo::note_author()
		}

		/// Counts the block's author after `pallet-session` rotated (in `on_initialize`), so a
		/// session's first block counts towards that session.
		fn on_finalize(_: BlockNumberFor<T>) {
			Self::note_author();
		}

		fn integrity_test() {
			assert!(
				T::MinValidators::get() >= 1,
				"MinValidators must be at least 1"
			);
			assert!(
				T::MinValidators::get() <= T::MaxValidators::get(),
				"MinValidators must not exceed MaxValidators"
			);
			assert!(
				!T::MinSessionLength::get().is_zero()
					&& T::MinSessionLength::get() <= T::MaxSessionLength::get(),
				"session length bounds must be non-zero and ordered"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Add `who` to the validator set from the session after next.
		///
		/// - Origin: [`Config::AdminOrigin`].
		/// - Errors: [`Error::NoSessionKeys`], [`Error::AlreadyAValidator`],
		///   [`Error::TooManyValidators`].
		/// - Event: [`Event::ValidatorAdded`].
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::add_validator())]
		pub fn add_validator(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let who = T::Lookup::lookup(who)?;
			ensure!(
				pallet_session::NextKeys::<T>::contains_key(&who),
				Error::<T>::NoSessionKeys
			);
			Validators::<T>::try_mutate(|set| match set.binary_search(&who) {
				Ok(_) => Err(Error::<T>::AlreadyAValidator),
				Err(at) => set
					.try_insert(at, who.clone())
					.map_err(|_| Error::<T>::TooManyValidators),
			})?;
			Changed::<T>::put(true);
			Self::deposit_event(Event::ValidatorAdded {
				who,
				from_session: Self::effective_session(),
			});
			Ok(())
		}

		/// Remove `who` from the validator set from the session after next.
		///
		/// - Origin: [`Config::AdminOrigin`].
		/// - Errors: [`Error::NotAValidator`], [`Error::TooFewValidators`].
		/// - Event: [`Event::ValidatorRemoved`].
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::remove_validator())]
		pub fn remove_validator(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let who = T::Lookup::lookup(who)?;
			Validators::<T>::try_mutate(|set| {
				let at = set
					.binary_search(&who)
					.map_err(|_| Error::<T>::NotAValidator)?;
				ensure!(
					set.len() > T::MinValidators::get() as usize,
					Error::<T>::TooFewValidators
				);
				set.remove(at);
				Ok::<_, Error<T>>(())
			})?;
			Changed::<T>::put(true);
			Self::deposit_event(Event::ValidatorRemoved {
				who,
				from_session: Self::effective_session(),
			});
			Ok(())
		}

		/// Register the caller's session keys, with the proof that they belong to the caller
		/// (both from the node's `author_rotateKeysWithOwner`, owner = the caller's account).
		/// Holds `pallet-session`'s key deposit on the first registration. The keys are used
		/// from the next session on.
		///
		/// - Origin: signed.
		/// - Errors: [`Error::MissingOwnershipProof`], [`Error::KeyChangeTooSoon`],
		///   [`Error::InvalidOwnershipProof`], [`Error::KeysInUse`]; `pallet-session`'s
		///   `NoAccount` when the caller cannot hold the deposit.
		/// - Event: [`Event::KeysSet`].
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::set_keys())]
		pub fn set_keys(
			origin: OriginFor<T>,
			keys: T::Keys,
			proof: BoundedVec<u8, ConstU32<MAX_OWNERSHIP_PROOF_LEN>>,
		) -> DispatchResult {
			let who = ensure_signed(origin.clone())?;
			ensure!(!proof.is_empty(), Error::<T>::MissingOwnershipProof);
			let now = frame_system::Pallet::<T>::block_number();
			if let Some(last) = LastKeyChange::<T>::get(&who) {
				ensure!(
					now >= last.saturating_add(T::KeyChangeCooldown::get()),
					Error::<T>::KeyChangeTooSoon
				);
			}
			ensure!(
				keys.ownership_proof_is_valid(&who.encode(), &proof),
				Error::<T>::InvalidOwnershipProof
			);
			for id in T::Keys::key_ids() {
				if let Some(owner) = pallet_session::Pallet::<T>::key_owner(*id, keys.get_raw(*id))
				{
					ensure!(owner == who, Error::<T>::KeysInUse);
				}
			}
			pallet_session::Pallet::<T>::set_keys(origin, keys, proof.into_inner())?;
			LastKeyChange::<T>::insert(&who, now);
			Self::deposit_event(Event::KeysSet { who });
			Ok(())
		}

		/// Remove the caller's session keys and release the key deposit.
		///
		/// - Origin: signed.
		/// - Errors: [`Error::StillAValidator`]; `pallet-session`'s `NoKeys` when there are none.
		/// - Event: [`Event::KeysPurged`].
		#[pallet::call_index(3)]
		#[pallet::weight(<T as Config>::WeightInfo::purge_keys())]
		pub fn purge_keys(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin.clone())?;
			ensure!(!Self::in_any_set(&who), Error::<T>::StillAValidator);
			pallet_session::Pallet::<T>::purge_keys(origin)?;
			LastKeyChange::<T>::remove(&who);
			Self::deposit_event(Event::KeysPurged { who });
			Ok(())
		}

		/// Set the session length in blocks, from the current session on: the current session
		/// ends once it is `blocks` long (at the next block if it already is).
		///
		/// - Origin: [`Config::AdminOrigin`].
		/// - Errors: [`Error::SessionLengthOutOfRange`].
		/// - Event: [`Event::SessionLengthSet`].
		#[pallet::call_index(4)]
		#[pallet::weight(<T as Config>::WeightInfo::set_session_length())]
		pub fn set_session_length(
			origin: OriginFor<T>,
			blocks: BlockNumberFor<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(
				(T::MinSessionLength::get()..=T::MaxSessionLength::get()).contains(&blocks),
				Error::<T>::SessionLengthOutOfRange
			);
			SessionLength::<T>::put(blocks);
			Self::deposit_event(Event::SessionLengthSet { blocks });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The session from which a change made now is active.
		pub fn effective_session() -> SessionIndex {
			pallet_session::CurrentIndex::<T>::get().saturating_add(2)
		}

		/// Whether `who` is in the planned, queued or active set.
		pub fn in_any_set(who: &T::AccountId) -> bool {
			Validators::<T>::get().binary_search(who).is_ok()
				|| pallet_session::Validators::<T>::get().contains(who)
				|| pallet_session::QueuedKeys::<T>::get()
					.iter()
					.any(|(v, _)| v == who)
		}

		/// Adds the current block to its author's count.
		pub(crate) fn note_author() {
			let digest = frame_system::Pallet::<T>::digest();
			let pre_runtime = digest.logs.iter().filter_map(|log| log.as_pre_runtime());
			if let Some(author) = T::FindAuthor::find_author(pre_runtime) {
				AuthoredBlocks::<T>::mutate(author, |n| *n = n.saturating_add(1));
			}
		}

		/// Checks the invariants: the planned set is sorted, unique, within bounds and every
		/// member has session keys; the session length is within bounds.
		pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			let set = Validators::<T>::get();
			ensure!(
				set.windows(2).all(|w| w[0] < w[1]),
				"validators not sorted and unique"
			);
			ensure!(
				set.len() >= T::MinValidators::get() as usize,
				"fewer than MinValidators"
			);
			ensure!(
				set.iter().all(pallet_session::NextKeys::<T>::contains_key),
				"a validator has no session keys"
			);
			ensure!(
				(T::MinSessionLength::get()..=T::MaxSessionLength::get())
					.contains(&SessionLength::<T>::get()),
				"session length out of range"
			);
			ensure!(
				AuthoredBlocks::<T>::iter_keys().count() <= T::MaxValidators::get() as usize,
				"more authors counted than MaxValidators"
			);
			Ok(())
		}
	}
}
