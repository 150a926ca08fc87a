//! The referendum tracks: which origin each dispatches with, its deposit, its periods and
//! the approval and support it needs. `docs/governance.md` gives the reasons for each value.

use super::origins;
use crate::{Balance, BlockNumber, OriginCaller, Runtime, DAYS, HOURS, MINUTES, UNIT};
use alloc::borrow::Cow;
use polkadot_sdk::{
	frame_system::RawOrigin,
	pallet_referenda::{Curve, Track, TrackInfo},
	sp_runtime::{str_array as name, Perbill},
};

/// Track ids, in the order `tracks()` returns them.
pub mod ids {
	/// `root`: runtime upgrades and anything else only `Root` may do.
	pub const ROOT: u16 = 0;
	/// `registry_admin`: forced registry and licensing actions.
	pub const REGISTRY_ADMIN: u16 = 1;
	/// `validator_admin`: validator-set changes.
	pub const VALIDATOR_ADMIN: u16 = 2;
	/// `parameters`: deposits and limits in `pallet-parameters`.
	pub const PARAMETERS: u16 = 3;
}

const fn percent(x: u32) -> Perbill {
	Perbill::from_percent(x)
}

/// Approval falls linearly from 100% to `floor` over the decision period.
const fn approval(floor: u32) -> Curve {
	Curve::LinearDecreasing {
		length: percent(100),
		floor: percent(floor),
		ceil: percent(100),
	}
}

/// Support (turnout of ayes against issuance) falls linearly from `ceil` to `floor`.
const fn support(floor: u32, ceil: u32) -> Curve {
	Curve::LinearDecreasing {
		length: percent(100),
		floor: percent(floor),
		ceil: percent(ceil),
	}
}

type OwhTrack = Track<u16, Balance, BlockNumber>;

/// `root`: runtime upgrades.
pub const ROOT_TRACK: OwhTrack = Track {
	id: ids::ROOT,
	info: TrackInfo {
		name: name("root"),
		max_deciding: 1,
		decision_deposit: 10_000 * UNIT,
		prepare_period: 2 * HOURS,
		decision_period: 14 * DAYS,
		confirm_period: DAYS,
		min_enactment_period: DAYS,
		min_approval: approval(50),
		min_support: support(0, 50),
	},
};

/// `registry_admin`: forced registry and licensing actions.
pub const REGISTRY_ADMIN_TRACK: OwhTrack = Track {
	id: ids::REGISTRY_ADMIN,
	info: TrackInfo {
		name: name("registry_admin"),
		max_deciding: 10,
		decision_deposit: 500 * UNIT,
		prepare_period: 10 * MINUTES,
		decision_period: 7 * DAYS,
		confirm_period: 3 * HOURS,
		min_enactment_period: MINUTES,
		min_approval: approval(50),
		min_support: support(1, 25),
	},
};

/// `validator_admin`: validator-set changes.
pub const VALIDATOR_ADMIN_TRACK: OwhTrack = Track {
	id: ids::VALIDATOR_ADMIN,
	info: TrackInfo {
		name: name("validator_admin"),
		max_deciding: 5,
		decision_deposit: 2_000 * UNIT,
		prepare_period: HOURS,
		decision_period: 7 * DAYS,
		confirm_period: DAYS,
		min_enactment_period: HOURS,
		min_approval: approval(60),
		min_support: support(5, 50),
	},
};

/// `parameters`: deposits in `pallet-parameters`.
pub const PARAMETERS_TRACK: OwhTrack = Track {
	id: ids::PARAMETERS,
	info: TrackInfo {
		name: name("parameters"),
		max_deciding: 5,
		decision_deposit: 1_000 * UNIT,
		prepare_period: HOURS,
		decision_period: 7 * DAYS,
		confirm_period: DAYS,
		min_enactment_period: HOURS,
		min_approval: approval(50),
		min_support: support(1, 25),
	},
};

/// The production tracks, sorted by id.
pub const TRACKS: [OwhTrack; 4] = [
	ROOT_TRACK,
	REGISTRY_ADMIN_TRACK,
	VALIDATOR_ADMIN_TRACK,
	PARAMETERS_TRACK,
];

/// Development periods: a referendum that gets the votes passes in about ten blocks.
const fn development(track: OwhTrack) -> OwhTrack {
	let Track { id, info } = track;
	Track {
		id,
		info: TrackInfo {
			prepare_period: 1,
			decision_period: 20,
			confirm_period: 2,
			min_enactment_period: 1,
			..info
		},
	}
}

/// The tracks of the `development` and `local_testnet` presets, sorted by id.
pub const DEVELOPMENT_TRACKS: [OwhTrack; 4] = [
	development(ROOT_TRACK),
	development(REGISTRY_ADMIN_TRACK),
	development(VALIDATOR_ADMIN_TRACK),
	development(PARAMETERS_TRACK),
];

/// The tracks of this runtime: [`TRACKS`], or [`DEVELOPMENT_TRACKS`] where genesis chose them.
pub struct TracksInfo;

impl polkadot_sdk::pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin = OriginCaller;

	fn tracks() -> impl Iterator<Item = Cow<'static, OwhTrack>> {
		let tracks: &'static [OwhTrack] = if origins::DevelopmentPeriods::<Runtime>::get() {
			&DEVELOPMENT_TRACKS
		} else {
			&TRACKS
		};
		tracks.iter().map(Cow::Borrowed)
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		match origin {
			OriginCaller::system(RawOrigin::Root) => Ok(ids::ROOT),
			OriginCaller::Origins(origins::Origin::RegistryAdmin) => Ok(ids::REGISTRY_ADMIN),
			OriginCaller::Origins(origins::Origin::ValidatorAdmin) => Ok(ids::VALIDATOR_ADMIN),
			OriginCaller::Origins(origins::Origin::ParameterAdmin) => Ok(ids::PARAMETERS),
			_ => Err(()),
		}
	}
}
