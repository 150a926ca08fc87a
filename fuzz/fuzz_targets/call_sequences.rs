//! Sequences of registry and licensing calls from a handful of accounts on the licensing
//! pallet's mock runtime, with the registry's deposits switched on. Calls may fail (most random ones do); none may panic, and after each one both
//! pallets' `try_state` invariants hold (held deposits equal recorded ones, indexes agree,
//! alias history is contiguous, usage counts add up) and no balance is created or destroyed.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use owh_fuzz::*;
use owh_primitives::{
	licensing::{Contributor, ContributorRole, LicenseText, OfferTarget, OfferTerms},
	registry::Role,
	VersionId,
};
use pallet_licensing::mock::{
	new_test_ext, AccountId, Balance, Balances, Licensing, Registry, RegistryDepositPerByte,
	RegistryDepositPerItem, RuntimeOrigin, System, Test, DEPOSIT_PER_BYTE, DEPOSIT_PER_ITEM,
};
use polkadot_sdk::{frame_support::BoundedVec, sp_runtime::Permill};

#[derive(Arbitrary, Debug)]
enum Op {
	CreateRepo {
		who: u8,
		repo: u8,
	},
	GrantRole {
		who: u8,
		repo: u8,
		to: u8,
		committer: bool,
	},
	RevokeRole {
		who: u8,
		repo: u8,
		to: u8,
		committer: bool,
	},
	TransferOwnership {
		who: u8,
		repo: u8,
		to: u8,
	},
	AcceptOwnership {
		who: u8,
		repo: u8,
	},
	Commit {
		who: u8,
		repo: u8,
		artifacts: u8,
		parents: [u8; 3],
		parent_count: u8,
		salt: u8,
	},
	SetAlias {
		who: u8,
		repo: u8,
		alias: bool,
		version: u8,
	},
	RemoveAlias {
		who: u8,
		repo: u8,
		alias: bool,
	},
	Yank {
		who: u8,
		repo: u8,
		version: u8,
	},
	Unyank {
		who: u8,
		repo: u8,
		version: u8,
	},
	AddMirror {
		who: u8,
		repo: u8,
		version: u8,
		mirror: u8,
	},
	RemoveMirror {
		who: u8,
		repo: u8,
		version: u8,
		mirror: u8,
	},
	CreateOffer {
		who: u8,
		version: u8,
		default_of: Option<u8>,
		terms: Terms,
	},
	UpdateOffer {
		who: u8,
		offer: u8,
		terms: Terms,
	},
	RetireOffer {
		who: u8,
		offer: u8,
	},
	SetContributors {
		who: u8,
		version: u8,
		shares: Vec<(u8, u8)>,
	},
	Purchase {
		who: u8,
		version: u8,
		offer: u8,
		max_price: u16,
	},
	Grant {
		who: u8,
		version: u8,
		offer: u8,
		to: u8,
	},
	Revoke {
		who: u8,
		license: u8,
	},
	Report {
		who: u8,
		license: u8,
		count: u8,
	},
	AddMeter {
		who: u8,
		repo: u8,
		meter: u8,
	},
	RemoveMeter {
		who: u8,
		repo: u8,
		meter: u8,
	},
	NextBlock {
		blocks: u8,
	},
}

#[derive(Arbitrary, Debug)]
struct Terms {
	price: u16,
	rate: u8,
	derivatives: bool,
	revocable: bool,
	period: Option<u8>,
	cap: Option<u8>,
}

impl Terms {
	fn build(&self) -> OfferTerms<Balance, u64> {
		OfferTerms {
			text: LicenseText::Spdx(BoundedVec::truncate_from(b"MIT".to_vec())),
			commercial: true,
			price: self.price.into(),
			period: self.period.map(u64::from),
			usage_cap: self.cap.map(u64::from),
			derivatives: self.derivatives,
			royalty_rate: Permill::from_percent(u32::from(self.rate % 60)),
			revocable: self.revocable,
		}
	}
}

fn signed(who: u8) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(who))
}

fn role(committer: bool) -> Role {
	if committer {
		Role::Committer
	} else {
		Role::Maintainer
	}
}

fn alias(which: bool) -> owh_primitives::AliasName {
	BoundedVec::truncate_from(if which {
		b"production".to_vec()
	} else {
		b"staging".to_vec()
	})
}

fn pick(versions: &[VersionId], index: u8) -> VersionId {
	if versions.is_empty() {
		VersionId([index; 32])
	} else {
		versions[usize::from(index) % versions.len()]
	}
}

fn mirror(index: u8) -> owh_primitives::StorageUri {
	BoundedVec::truncate_from(format!("https://m{}.example/x", index % 3).into_bytes())
}

fuzz_target!(|ops: Vec<Op>| {
	RegistryDepositPerItem::set(DEPOSIT_PER_ITEM);
	RegistryDepositPerByte::set(DEPOSIT_PER_BYTE);
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		let mut versions: Vec<VersionId> = Vec::new();
		for op in ops.into_iter().take(64) {
			let _ = match op {
				Op::CreateRepo { who, repo: r } => {
					Registry::create_repository(signed(who), repo(r))
				}
				Op::GrantRole {
					who,
					repo: r,
					to,
					committer,
				} => Registry::grant_role(signed(who), repo(r), account(to), role(committer)),
				Op::RevokeRole {
					who,
					repo: r,
					to,
					committer,
				} => Registry::revoke_role(signed(who), repo(r), account(to), role(committer)),
				Op::TransferOwnership { who, repo: r, to } => {
					Registry::transfer_ownership(signed(who), repo(r), account(to))
				}
				Op::AcceptOwnership { who, repo: r } => {
					Registry::accept_ownership(signed(who), repo(r))
				}
				Op::Commit {
					who,
					repo: r,
					artifacts,
					parents,
					parent_count,
					salt,
				} => {
					let chosen: Vec<VersionId> = parents
						.iter()
						.take(usize::from(parent_count % 4))
						.map(|p| pick(&versions, *p))
						.collect();
					let manifest = manifest(&repo(r), artifacts, &chosen, salt);
					let id = manifest.version_id();
					let result =
						Registry::commit_version(signed(who), repo(r), Box::new(manifest), None);
					if result.is_ok() {
						versions.push(id);
					}
					result
				}
				Op::SetAlias {
					who,
					repo: r,
					alias: a,
					version,
				} => Registry::set_alias(signed(who), repo(r), alias(a), pick(&versions, version)),
				Op::RemoveAlias {
					who,
					repo: r,
					alias: a,
				} => Registry::remove_alias(signed(who), repo(r), alias(a)),
				Op::Yank {
					who,
					repo: r,
					version,
				} => Registry::yank_version(
					signed(who),
					repo(r),
					pick(&versions, version),
					BoundedVec::truncate_from(b"bad weights".to_vec()),
				),
				Op::Unyank {
					who,
					repo: r,
					version,
				} => Registry::unyank_version(signed(who), repo(r), pick(&versions, version)),
				Op::AddMirror {
					who,
					repo: r,
					version,
					mirror: m,
				} => Registry::add_mirror(signed(who), repo(r), pick(&versions, version), mirror(m)),
				Op::RemoveMirror {
					who,
					repo: r,
					version,
					mirror: m,
				} => Registry::remove_mirror(
					signed(who),
					repo(r),
					pick(&versions, version),
					mirror(m),
				),
				Op::CreateOffer {
					who,
					version,
					default_of,
					terms,
				} => {
					let target = match default_of {
						Some(r) => OfferTarget::Repository(repo(r)),
						None => OfferTarget::Version(pick(&versions, version)),
					};
					Licensing::create_offer(signed(who), target, terms.build())
				}
				Op::UpdateOffer { who, offer, terms } => {
					Licensing::update_offer(signed(who), u32::from(offer % 8), terms.build())
				}
				Op::RetireOffer { who, offer } => {
					Licensing::retire_offer(signed(who), u32::from(offer % 8))
				}
				Op::SetContributors {
					who,
					version,
					shares,
				} => {
					let mut left = 1_000_000u32;
					let mut list: Vec<Contributor<AccountId>> = Vec::new();
					for (i, (to, share)) in shares.iter().take(3).enumerate() {
						let last = i + 1 == shares.len().min(3);
						let part = if last {
							left
						} else {
							(u32::from(*share) * 4_000).min(left)
						};
						left -= part;
						list.push(Contributor {
							account: account(*to),
							share: Permill::from_parts(part),
							role: ContributorRole::Trainer,
						});
					}
					Licensing::set_contributors(
						signed(who),
						pick(&versions, version),
						BoundedVec::truncate_from(list),
					)
				}
				Op::Purchase {
					who,
					version,
					offer,
					max_price,
				} => {
					let offer = u32::from(offer % 8);
					let hash = pallet_licensing::Offers::<Test>::get(offer)
						.map(|o| o.terms.hash())
						.unwrap_or_default();
					Licensing::purchase_license(
						signed(who),
						pick(&versions, version),
						offer,
						max_price.into(),
						hash,
					)
					.map(|_| ())
					.map_err(|e| e.error)
				}
				Op::Grant {
					who,
					version,
					offer,
					to,
				} => Licensing::grant_license(
					signed(who),
					pick(&versions, version),
					u32::from(offer % 8),
					account(to),
				),
				Op::Revoke { who, license } => Licensing::revoke_license(
					signed(who),
					u64::from(license % 8),
					BoundedVec::truncate_from(b"ended".to_vec()),
				),
				Op::Report {
					who,
					license,
					count,
				} => Licensing::report_usage(signed(who), u64::from(license % 8), count.into()),
				Op::AddMeter {
					who,
					repo: r,
					meter,
				} => Licensing::add_meter(signed(who), repo(r), account(meter)),
				Op::RemoveMeter {
					who,
					repo: r,
					meter,
				} => Licensing::remove_meter(signed(who), repo(r), account(meter)),
				Op::NextBlock { blocks } => {
					System::set_block_number(System::block_number() + u64::from(blocks));
					Ok(())
				}
			};
			Registry::do_try_state().expect("registry invariants hold after every call");
			Licensing::do_try_state().expect("licensing invariants hold after every call");
			assert_eq!(
				Balances::total_issuance(),
				issuance,
				"balance created or destroyed"
			);
		}
	});
});
