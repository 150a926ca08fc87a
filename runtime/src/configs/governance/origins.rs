//! The origins of the referendum tracks besides `root`, and the switch between production and
//! development track periods. A pallet of its own, so that each origin is a `RuntimeOrigin`
//! variant a referendum can dispatch with and a pallet can require.

pub use pallet_origins::*;

// The pallet macro's generated metadata code uses `expect`; this module's own code does not.
#[allow(clippy::expect_used)]
#[polkadot_sdk::frame_support::pallet]
pub mod pallet_origins {
	use polkadot_sdk::frame_support::pallet_prelude::*;

	/// Configuration: nothing beyond the system's.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origin a referendum on a governance track dispatches its call with.
	#[derive(
		PartialEq,
		Eq,
		Clone,
		Copy,
		MaxEncodedLen,
		Encode,
		Decode,
		DecodeWithMemTracking,
		TypeInfo,
		Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// The `registry_admin` track: forced registry and licensing actions (force-yank,
		/// force-transfer a repository, force-retire an offer).
		RegistryAdmin,
		/// The `validator_admin` track: changes to the validator set.
		ValidatorAdmin,
		/// The `parameters` track: deposits and limits held in `pallet-parameters`.
		ParameterAdmin,
	}

	/// Whether the referendum tracks run on development periods (a few blocks each), set in
	/// genesis by the `development` and `local_testnet` presets. Production chains keep the
	/// default, `false`; only `root` (`system.set_storage`) can change it.
	#[pallet::storage]
	pub type DevelopmentPeriods<T: Config> = StorageValue<_, bool, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Run the tracks on development periods.
		pub development_periods: bool,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			DevelopmentPeriods::<T>::put(self.development_periods);
		}
	}

	macro_rules! ensure_origin {
		($($(#[$doc:meta])* $name:ident),* $(,)?) => { $(
			$(#[$doc])*
			pub struct $name;
			impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for $name {
				type Success = ();
				fn try_origin(o: O) -> Result<Self::Success, O> {
					o.into().and_then(|o| match o {
						Origin::$name => Ok(()),
						other => Err(O::from(other)),
					})
				}
				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$name))
				}
			}
		)* };
	}

	ensure_origin!(
		/// A passed `registry_admin` referendum.
		RegistryAdmin,
		/// A passed `validator_admin` referendum.
		ValidatorAdmin,
		/// A passed `parameters` referendum.
		ParameterAdmin,
	);
}
