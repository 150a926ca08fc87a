//! Genesis presets:
//! - `development`: Alice authors alone and holds the sudo key; Alice, Bob and Charlie sit on
//!   the council; referenda run on development periods;
//! - `local_testnet`: Alice, Bob and Charlie author, finalize and sit on the council; no sudo;
//!   development periods;
//! - `consortium`: the shape of a production network: four validators (Alice, Bob, Charlie
//!   and Dave as placeholders a real network replaces) that also sit on the council, no sudo,
//!   production periods and hour-long sessions. A full node needs nothing in genesis.
//!
//! The development presets challenge storage pledges every 10 blocks and fund the storage pot
//! with 10,000 OWH; the consortium preset challenges hourly and leaves the pot at the
//! existential deposit for governance to fund.
//!
//! Validators enter genesis with their session keys (`pallet-session`), which seat them as
//! the Aura and GRANDPA authorities of sessions 0 and 1 and as the validator set governance
//! changes later; the development presets use minute-long sessions.

use crate::{
	configs::{
		storage::{StoragePot, CHALLENGE_PERIOD, DEV_CHALLENGE_PERIOD, DEV_POT_FUNDS},
		validators::{DEV_SESSION_LENGTH, SESSION_LENGTH},
	},
	AccountId, Balance, BalancesConfig, BlockNumber, MembershipConfig, OriginsConfig,
	RuntimeGenesisConfig, SessionConfig, SessionKeys, StorageProofsConfig, SudoConfig,
	ValidatorSetConfig, EXISTENTIAL_DEPOSIT, UNIT,
};
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	frame_support::{build_struct_json_patch, BoundedVec},
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};
use serde_json::Value;

/// Every endowed account starts with this many OWH.
pub const ENDOWMENT: u128 = 1_000_000 * UNIT;

/// The id of the `consortium` preset.
pub const CONSORTIUM_PRESET: &str = "consortium";

/// What a preset decides.
struct Network {
	validators: Vec<(AccountId, SessionKeys)>,
	endowed: Vec<AccountId>,
	council: Vec<AccountId>,
	sudo: Option<AccountId>,
	development_periods: bool,
}

impl Network {
	fn challenge_period(&self) -> BlockNumber {
		if self.development_periods {
			DEV_CHALLENGE_PERIOD
		} else {
			CHALLENGE_PERIOD
		}
	}

	fn storage_pot(&self) -> Balance {
		if self.development_periods {
			DEV_POT_FUNDS
		} else {
			EXISTENTIAL_DEPOSIT
		}
	}

	fn session_length(&self) -> BlockNumber {
		if self.development_periods {
			DEV_SESSION_LENGTH
		} else {
			SESSION_LENGTH
		}
	}
}

fn genesis(network: Network) -> Value {
	let mut patch = build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: network
				.endowed
				.iter()
				.cloned()
				.map(|k| (k, ENDOWMENT))
				// The licensing fallback payee must hold the existential deposit to receive
				// any leg, however small.
				.chain([(crate::configs::licensing::FallbackPayee::get(), EXISTENTIAL_DEPOSIT)])
				// The storage pot pays answer rewards; a real network funds it by transfer
				// or referendum.
				.chain([(StoragePot::get(), network.storage_pot())])
				.collect::<Vec<_>>(),
		},
		storage_proofs: StorageProofsConfig {
			challenge_period: network.challenge_period(),
		},
		validator_set: ValidatorSetConfig {
			session_length: network.session_length()
		},
		session: SessionConfig {
			keys: network
				.validators
				.iter()
				.map(|(who, keys)| (who.clone(), who.clone(), keys.clone()))
				.collect::<Vec<_>>(),
		},
		membership: MembershipConfig {
			members: BoundedVec::truncate_from(network.council),
		},
		origins: OriginsConfig {
			development_periods: network.development_periods,
		},
	});
	if let Some(key) = network.sudo {
		let sudo = build_struct_json_patch!(RuntimeGenesisConfig {
			sudo: SudoConfig { key: Some(key) },
		});
		if let (Some(patch), Value::Object(sudo)) = (patch.as_object_mut(), sudo) {
			patch.extend(sudo);
		}
	}
	patch
}

/// A well-known development key in its sr25519 form (account, Aura) and its ed25519 form
/// (GRANDPA).
type DevKey = (Sr25519Keyring, Ed25519Keyring);
const ALICE: DevKey = (Sr25519Keyring::Alice, Ed25519Keyring::Alice);
const BOB: DevKey = (Sr25519Keyring::Bob, Ed25519Keyring::Bob);
const CHARLIE: DevKey = (Sr25519Keyring::Charlie, Ed25519Keyring::Charlie);
const DAVE: DevKey = (Sr25519Keyring::Dave, Ed25519Keyring::Dave);

/// Each key's account with its session keys (Aura: its sr25519 key, GRANDPA: its ed25519
/// key).
fn validators(keys: &[DevKey]) -> Vec<(AccountId, SessionKeys)> {
	keys.iter()
		.map(|(sr, ed)| {
			let keys = SessionKeys {
				aura: sr.public().into(),
				grandpa: ed.public().into(),
			};
			(sr.to_account_id(), keys)
		})
		.collect()
}

/// The accounts of `keys`, sorted as `pallet-membership` keeps its members.
fn accounts(keys: &[DevKey]) -> Vec<AccountId> {
	let mut accounts: Vec<AccountId> = keys.iter().map(|(sr, _)| sr.to_account_id()).collect();
	accounts.sort();
	accounts
}

fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

/// The `development` preset: a single validator, Alice, who also holds the sudo key.
pub fn development_config_genesis() -> Value {
	genesis(Network {
		validators: validators(&[ALICE]),
		endowed: dev_accounts(),
		council: accounts(&[ALICE, BOB, CHARLIE]),
		sudo: Some(ALICE.0.to_account_id()),
		development_periods: true,
	})
}

/// The `local_testnet` preset: Alice, Bob and Charlie validate and sit on the council.
pub fn local_config_genesis() -> Value {
	let members = [ALICE, BOB, CHARLIE];
	genesis(Network {
		validators: validators(&members),
		endowed: dev_accounts(),
		council: accounts(&members),
		sudo: None,
		development_periods: true,
	})
}

/// The `consortium` preset: four validators and four council members, production periods.
/// The keys are the well-known development keys Alice, Bob, Charlie and Dave as
/// placeholders; a real network replaces them in its chain spec.
pub fn consortium_config_genesis() -> Value {
	let members = [ALICE, BOB, CHARLIE, DAVE];
	genesis(Network {
		validators: validators(&members),
		endowed: accounts(&members),
		council: accounts(&members),
		sudo: None,
		development_periods: false,
	})
}

/// The JSON patch of a preset, or `None` for an unknown id.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		CONSORTIUM_PRESET => consortium_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch)
		.ok()
		.map(alloc::string::String::into_bytes)
}

/// The preset names.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(CONSORTIUM_PRESET),
	]
}
