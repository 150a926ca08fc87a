//! Unit tests of the licensing pallet, against the real registry pallet and real balances.

use crate::{mock::*, *};
use codec::{Decode, Encode};
use owh_primitives::licensing::LicenseText;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::GetDispatchInfo,
		traits::{
			fungible::{Inspect, InspectHold},
			UnfilteredDispatchable,
		},
		BoundedVec,
	},
	sp_runtime::{DispatchError, Permill, TokenError},
};

type Error = crate::Error<Test>;

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn terms(price: Balance) -> OfferTermsOf<Test> {
	OfferTerms {
		text: LicenseText::Spdx(SpdxId::truncate_from(b"Apache-2.0".to_vec())),
		commercial: true,
		price,
		period: None,
		usage_cap: None,
		derivatives: true,
		royalty_rate: Permill::zero(),
		revocable: false,
	}
}

fn royalty_terms(price: Balance, rate: u32) -> OfferTermsOf<Test> {
	OfferTerms {
		royalty_rate: Permill::from_percent(rate),
		..terms(price)
	}
}

fn offer(who: &AccountId, target: OfferTarget, terms: OfferTermsOf<Test>) -> OfferId {
	assert_ok!(Licensing::create_offer(signed(who), target, terms));
	NextOfferId::<Test>::get() - 1
}

fn shares(list: &[(AccountId, u32)]) -> ContributorsOf<Test> {
	BoundedVec::truncate_from(
		list.iter()
			.map(|(account, ppm)| Contributor {
				account: account.clone(),
				share: Permill::from_parts(*ppm),
				role: ContributorRole::Trainer,
			})
			.collect(),
	)
}

fn free(who: &AccountId) -> Balance {
	Balances::balance(who)
}

/// Buys under the offer's current terms, as a buyer who just read them does.
fn buy(
	who: RuntimeOrigin,
	version: VersionId,
	offer: OfferId,
	max_price: Balance,
) -> polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo {
	let terms_hash = Offers::<Test>::get(offer)
		.map(|o| o.terms.hash())
		.unwrap_or_default();
	Licensing::purchase_license(who, version, offer, max_price, terms_hash)
}

/// The deposit rule, written out: per storage entry plus per encoded byte.
fn deposit(items: u32, bytes: usize) -> Balance {
	DEPOSIT_PER_ITEM * items as Balance + DEPOSIT_PER_BYTE * bytes as Balance
}

fn last_license() -> LicenseId {
	NextLicenseId::<Test>::get() - 1
}

/// Runs `test`, then checks the pallet's invariants and that no balance was created or lost:
/// issuance is unchanged, and the accounts' balances (free and held) still add up to it, which
/// a balance written without its issuance (or issuance changed without a balance) would break.
fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		test();
		assert_eq!(
			Balances::total_issuance(),
			issuance,
			"balance created or destroyed"
		);
		let held_and_free: Balance = polkadot_sdk::frame_system::Account::<Test>::iter()
			.map(|(_, account)| account.data.free + account.data.reserved)
			.sum();
		assert_eq!(
			held_and_free, issuance,
			"accounts do not add up to the issuance"
		);
		Licensing::do_try_state().expect("invariants hold");
	});
}

/// base (alice's repo, 10% royalty) <- fine-tune (bob's, 20%) <- quantized (charlie's).
struct Lineage {
	base: VersionId,
	fine_tune: VersionId,
	quantized: VersionId,
	offer: OfferId,
}

/// Each parent offers its royalty before its child is committed, so the child's commit
/// records it.
fn three_levels() -> Lineage {
	let base_repo = create_repo(&alice(), "acme/base");
	let base = commit(&alice(), &base_repo, &[], "base");
	offer(
		&alice(),
		OfferTarget::Version(base),
		royalty_terms(1_000, 10),
	);
	let ft_repo = create_repo(&bob(), "bob/fine-tune");
	let fine_tune = commit(&bob(), &ft_repo, &[base], "ft");
	offer(
		&bob(),
		OfferTarget::Version(fine_tune),
		royalty_terms(1_000, 20),
	);
	let q_repo = create_repo(&charlie(), "charlie/quantized");
	let quantized = commit(&charlie(), &q_repo, &[fine_tune], "q");
	let offer = offer(&charlie(), OfferTarget::Version(quantized), terms(0));
	assert_ok!(Licensing::set_contributors(
		signed(&alice()),
		base,
		shares(&[(alice(), 600_000), (dave(), 400_000)])
	));
	assert_ok!(Licensing::set_contributors(
		signed(&bob()),
		fine_tune,
		shares(&[(bob(), 1_000_000)])
	));
	assert_ok!(Licensing::set_contributors(
		signed(&charlie()),
		quantized,
		shares(&[(charlie(), 700_000), (eve(), 300_000)])
	));
	Lineage {
		base,
		fine_tune,
		quantized,
		offer,
	}
}

/// Sets the quantized offer's price and buys it; returns each payee's balance change.
fn buy_quantized(lineage: &Lineage, price: Balance) -> [i128; 6] {
	assert_ok!(Licensing::update_offer(
		signed(&charlie()),
		lineage.offer,
		terms(price)
	));
	let accounts = [alice(), bob(), charlie(), dave(), eve(), buyer()];
	let before = accounts.clone().map(|a| free(&a) as i128);
	assert_ok!(buy(
		signed(&buyer()),
		lineage.quantized,
		lineage.offer,
		price
	));
	let after = accounts.map(|a| free(&a) as i128);
	core::array::from_fn(|i| after[i] - before[i])
}

#[test]
fn three_level_lineage_pays_every_level_in_proportion() {
	run(|| {
		let lineage = three_levels();
		let [alice, bob, charlie, dave, eve, buyer] = buy_quantized(&lineage, 1_000_000);
		// fine-tune takes 20% = 200_000 and passes 10% of that (20_000) to base.
		assert_eq!(bob, 180_000);
		assert_eq!((alice, dave), (12_000, 8_000));
		// quantized keeps 800_000: 70% / 30%.
		assert_eq!((charlie, eve), (560_000, 240_000));
		let license = Licenses::<Test>::get(last_license()).unwrap();
		assert_eq!(buyer, -1_000_000 - license.deposit as i128);
		// The license pays for its record (8-byte key) and its entry in the holder's index
		// (account, version id and license id), by the deposit rule.
		assert_eq!(
			license.deposit,
			deposit(2, 8 + license.encode().len() + 32 + 32 + 8)
		);
		assert_eq!(license.licensee, mock::buyer());
		assert_eq!(license.paid, 1_000_000);
		assert!(Licensing::has_valid_license(
			&mock::buyer(),
			&lineage.quantized
		));
		// One event per leg, at the depth of the version paid.
		let legs: Vec<_> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Licensing(Event::RoyaltyPaid {
					version,
					depth,
					amount,
					..
				}) => Some((version, depth, amount)),
				_ => None,
			})
			.collect();
		assert_eq!(
			legs,
			vec![
				(lineage.quantized, 0, 560_000),
				(lineage.quantized, 0, 240_000),
				(lineage.fine_tune, 1, 180_000),
				(lineage.base, 2, 12_000),
				(lineage.base, 2, 8_000),
			]
		);
	});
}

#[test]
fn rounding_is_exact_and_dust_goes_to_the_largest_share() {
	run(|| {
		let lineage = three_levels();
		let paid = |price: Balance| {
			-(price as i128) - Licenses::<Test>::get(last_license()).unwrap().deposit as i128
		};
		// 20% of 1 rounds down to 0: everything stays with quantized; 1 is all dust.
		let deltas = buy_quantized(&lineage, 1);
		assert_eq!(deltas, [0, 0, 1, 0, 0, paid(1)]);
		// 20% of 3 rounds down to 0; charlie gets 2 (70%) plus the dust 1, eve 0 (30% of 3).
		let deltas = buy_quantized(&lineage, 3);
		assert_eq!(deltas, [0, 0, 3, 0, 0, paid(3)]);
		let price = 1_000_000_000_001;
		let [alice, bob, charlie, dave, eve, buyer] = buy_quantized(&lineage, price);
		assert_eq!(bob, 180_000_000_000);
		assert_eq!((alice, dave), (12_000_000_000, 8_000_000_000));
		assert_eq!((charlie, eve), (560_000_000_001, 240_000_000_000));
		assert_eq!(alice + bob + charlie + dave + eve, price as i128);
		let license_deposit = Licenses::<Test>::get(last_license()).unwrap().deposit;
		assert_eq!(buyer, -(price as i128) - license_deposit as i128);
		let split = Licensing::royalty_split(lineage.quantized, price).unwrap();
		assert_eq!(split.legs.iter().map(|l| l.amount).sum::<Balance>(), price);
		let dust: Vec<_> = split
			.legs
			.iter()
			.filter(|l| l.kind == PayeeKind::Dust)
			.map(|l| (l.payee.clone(), l.amount))
			.collect();
		assert_eq!(dust, vec![(mock::charlie(), 1)]);
	});
}

#[test]
fn preview_matches_the_payment() {
	run(|| {
		let lineage = three_levels();
		let split = Licensing::royalty_split(lineage.quantized, 777_777).unwrap();
		assert_eq!(split.versions, 3);
		assert!(!split.truncated);
		let before: Vec<_> = split.legs.iter().map(|l| free(&l.payee)).collect();
		buy_quantized(&lineage, 777_777);
		for (leg, before) in split.legs.iter().zip(before) {
			// Payees appear once per leg; sum their legs to compare.
			let expected: Balance = split
				.legs
				.iter()
				.filter(|l| l.payee == leg.payee)
				.map(|l| l.amount)
				.sum();
			assert_eq!(free(&leg.payee) - before, expected);
		}
	});
}

#[test]
fn depth_limit_keeps_the_truncated_share_with_the_child() {
	run(|| {
		MaxRoyaltyDepth::set(1);
		let lineage = three_levels();
		let split = Licensing::royalty_split(lineage.quantized, 1_000_000).unwrap();
		assert!(split.truncated);
		assert_eq!(split.versions, 2);
		let [alice, bob, .., dave, _eve, _buyer] = buy_quantized(&lineage, 1_000_000);
		assert_eq!((alice, dave), (0, 0));
		assert_eq!(bob, 200_000);
		MaxRoyaltyDepth::set(8);
	});
}

#[test]
fn version_without_contributors_pays_its_repository_owner() {
	run(|| {
		let r = create_repo(&alice(), "acme/solo");
		let v = commit(&alice(), &r, &[], "solo");
		let o = offer(&alice(), OfferTarget::Version(v), terms(500));
		let before = free(&alice());
		assert_ok!(buy(signed(&buyer()), v, o, 500));
		assert_eq!(free(&alice()) - before, 500);
		let split = Licensing::royalty_split(v, 500).unwrap();
		assert_eq!(split.legs[0].kind, PayeeKind::Owner);
	});
}

/// base (its owner moved to `pauper`, who has no account) <- child, sold for 30: the base's
/// 3-unit royalty is below the existential deposit (5), so neither the base's contributors nor
/// its owner can receive it.
fn sale_with_a_leg_nobody_can_receive() -> (VersionId, OfferId) {
	let base_repo = create_repo(&alice(), "acme/base");
	let base = commit(&alice(), &base_repo, &[], "base");
	offer(&alice(), OfferTarget::Version(base), royalty_terms(0, 10));
	assert_ok!(Registry::transfer_ownership(
		signed(&alice()),
		base_repo.clone(),
		pauper()
	));
	// The mock's registry holds no deposits, so even an account without funds can accept.
	assert_ok!(Registry::accept_ownership(signed(&pauper()), base_repo));
	let child_repo = create_repo(&bob(), "bob/child");
	let child = commit(&bob(), &child_repo, &[base], "child");
	let o = offer(&bob(), OfferTarget::Version(child), terms(30));
	(child, o)
}

#[test]
fn a_leg_nobody_can_receive_goes_to_the_fallback_payee() {
	run(|| {
		let (child, o) = sale_with_a_leg_nobody_can_receive();
		let fallback = free(&FallbackPayee::get());
		let bob_before = free(&bob());
		// Before, a dead owner blocked every downstream sale; now the sale goes through.
		assert_ok!(buy(signed(&buyer()), child, o, 30));
		assert_eq!(free(&FallbackPayee::get()) - fallback, 3);
		assert_eq!(free(&bob()) - bob_before, 27);
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Licensing(crate::Event::RoyaltyPaid {
				kind: PayeeKind::Fallback,
				amount: 3,
				..
			})
		)));
	});
}

#[test]
fn a_failing_leg_undoes_every_leg() {
	new_test_ext().execute_with(|| {
		let (child, o) = sale_with_a_leg_nobody_can_receive();
		// Only a fallback payee that lost its existential deposit (which no call can do) lets a
		// leg fail: then no leg is paid at all.
		<Balances as polkadot_sdk::frame_support::traits::fungible::Mutate<AccountId>>::set_balance(
			&FallbackPayee::get(),
			0,
		);
		let before = (free(&bob()), free(&buyer()));
		let call = RuntimeCall::Licensing(Call::purchase_license {
			version: child,
			offer: o,
			max_price: 30,
			terms_hash: Offers::<Test>::get(o).unwrap().terms.hash(),
		});
		assert!(call.get_dispatch_info().call_weight.ref_time() > 0);
		let result = call.dispatch_bypass_filter(signed(&buyer()));
		assert_eq!(
			result.map_err(|e| e.error),
			Err(DispatchError::Token(TokenError::BelowMinimum))
		);
		assert_eq!((free(&bob()), free(&buyer())), before);
		assert_eq!(NextLicenseId::<Test>::get(), 0);
		assert_eq!(
			Licensing::do_try_state(),
			Err("fallback payee below the existential deposit".into())
		);
	});
}

#[test]
fn terms_changed_after_the_quote_are_refused() {
	run(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v");
		let id = offer(&alice(), OfferTarget::Version(v), terms(100));
		let seen = Offers::<Test>::get(id).unwrap().terms.hash();
		// Same price, but now revocable, for one block, with one use.
		assert_ok!(Licensing::update_offer(
			signed(&alice()),
			id,
			OfferTerms {
				revocable: true,
				period: Some(1),
				usage_cap: Some(1),
				..terms(100)
			}
		));
		let before = free(&buyer());
		assert_noop!(
			Licensing::purchase_license(signed(&buyer()), v, id, 100, seen),
			Error::TermsChanged
		);
		assert_eq!(free(&buyer()), before);
		assert_ok!(buy(signed(&buyer()), v, id, 100));
	});
}

#[test]
fn parents_take_at_most_max_royalty_rate_together() {
	run(|| {
		let greedy = create_repo(&alice(), "acme/greedy");
		assert_noop!(
			Licensing::create_offer(
				signed(&alice()),
				OfferTarget::Repository(greedy),
				royalty_terms(1, 51)
			),
			Error::RoyaltyRateTooHigh
		);
		let a_repo = create_repo(&alice(), "acme/a");
		let a = commit(&alice(), &a_repo, &[], "a");
		offer(&alice(), OfferTarget::Version(a), royalty_terms(1, 40));
		let b_repo = create_repo(&dave(), "dave/b");
		let b = commit(&dave(), &b_repo, &[], "b");
		offer(&dave(), OfferTarget::Version(b), royalty_terms(1, 40));
		let c_repo = create_repo(&bob(), "bob/merge");
		let c = commit(&bob(), &c_repo, &[a, b], "merge");
		let o = offer(&bob(), OfferTarget::Version(c), terms(1_000));
		let split = Licensing::royalty_split(c, 1_000).unwrap();
		let kept: Balance = split
			.legs
			.iter()
			.filter(|l| l.version == c)
			.map(|l| l.amount)
			.sum();
		// 40% + 40% would leave 20%; the seller keeps half, whoever the parents are.
		assert_eq!(kept, 500);
		let bob_before = free(&bob());
		assert_ok!(buy(signed(&buyer()), c, o, 1_000));
		assert_eq!(free(&bob()) - bob_before, 500);
	});
}

#[test]
fn repository_default_offer_applies_until_the_version_has_its_own() {
	run(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v1");
		let default = offer(&alice(), OfferTarget::Repository(r.clone()), terms(100));
		assert_eq!(
			Licensing::offers_for(v)
				.iter()
				.map(|(id, _)| *id)
				.collect::<Vec<_>>(),
			vec![default]
		);
		assert_ok!(buy(signed(&buyer()), v, default, 100));
		let own = offer(&alice(), OfferTarget::Version(v), terms(50));
		assert_eq!(
			Licensing::offers_for(v)
				.iter()
				.map(|(id, _)| *id)
				.collect::<Vec<_>>(),
			vec![own]
		);
		assert_noop!(
			buy(signed(&buyer()), v, default, 100),
			Error::OfferNotForVersion
		);
	});
}

#[test]
fn create_offer_holds_a_deposit_and_checks_its_terms() {
	run(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v1");
		let id = offer(&alice(), OfferTarget::Version(v), royalty_terms(10, 5));
		// The record (8-byte key) and the id in the target's active list.
		let stored = Offers::<Test>::get(id).unwrap();
		let expected = deposit(1, 8 + stored.encode().len() + 8);
		assert_eq!(stored.deposit, expected);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Offer.into(), &alice()),
			expected
		);
		System::assert_last_event(
			Event::OfferCreated {
				offer: id,
				target: OfferTarget::Version(v),
				who: alice(),
				price: 10,
				deposit: expected,
			}
			.into(),
		);
		let target = OfferTarget::Version(v);
		let bad = |t: OfferTermsOf<Test>, e: Error| {
			assert_noop!(
				Licensing::create_offer(signed(&alice()), target.clone(), t),
				e
			);
		};
		bad(
			OfferTerms {
				text: LicenseText::Spdx(SpdxId::truncate_from(b"MIT;rm".to_vec())),
				..terms(1)
			},
			Error::BadSpdxId,
		);
		bad(
			OfferTerms {
				text: LicenseText::Spdx(SpdxId::default()),
				..terms(1)
			},
			Error::BadSpdxId,
		);
		bad(
			OfferTerms {
				text: LicenseText::Custom {
					sha256: [1; 32],
					uri: StorageUri::truncate_from(b"no uri here".to_vec()),
				},
				..terms(1)
			},
			Error::BadTermsUri,
		);
		bad(
			OfferTerms {
				period: Some(0),
				..terms(1)
			},
			Error::ZeroPeriod,
		);
		bad(
			OfferTerms {
				usage_cap: Some(0),
				..terms(1)
			},
			Error::ZeroUsageCap,
		);
		bad(
			OfferTerms {
				derivatives: false,
				..royalty_terms(1, 5)
			},
			Error::RoyaltyWithoutDerivatives,
		);
		// A price beyond the whole supply (the largest representable one included).
		bad(terms(Balance::MAX), Error::PriceTooHigh);
		bad(terms(Balances::total_issuance() + 1), Error::PriceTooHigh);
		assert_noop!(
			Licensing::create_offer(signed(&bob()), target.clone(), terms(1)),
			Error::NotMaintainer
		);
		assert_noop!(
			Licensing::create_offer(
				signed(&alice()),
				OfferTarget::Version(VersionId([9; 32])),
				terms(1)
			),
			Error::UnknownVersion
		);
		assert_noop!(
			Licensing::create_offer(
				signed(&alice()),
				OfferTarget::Repository(repo("acme/none")),
				terms(1)
			),
			Error::UnknownRepository
		);
		for _ in 1..4 {
			offer(&alice(), target.clone(), terms(1));
		}
		assert_noop!(
			Licensing::create_offer(signed(&alice()), target.clone(), terms(1)),
			Error::TooManyOffers
		);
	});
}

#[test]
fn a_royalty_rate_above_100_percent_cannot_be_submitted() {
	// The rate is a `Permill`: parts per million above 1,000,000 do not decode, so such a
	// call is refused before it reaches the pallet.
	let mut encoded = royalty_terms(1, 5).encode();
	let rate_at = encoded.len() - 1 - 4;
	encoded[rate_at..rate_at + 4].copy_from_slice(&1_000_001u32.to_le_bytes());
	assert!(OfferTermsOf::<Test>::decode(&mut &encoded[..]).is_err());
	encoded[rate_at..rate_at + 4].copy_from_slice(&1_000_000u32.to_le_bytes());
	let decoded = OfferTermsOf::<Test>::decode(&mut &encoded[..]).unwrap();
	assert_eq!(decoded.royalty_rate, Permill::one());
}

#[test]
fn a_maintainer_without_funds_cannot_offer() {
	run(|| {
		let r = create_repo(&alice(), "acme/model");
		assert_ok!(Registry::grant_role(
			signed(&alice()),
			r.clone(),
			pauper(),
			owh_primitives::registry::Role::Maintainer
		));
		assert_noop!(
			Licensing::create_offer(signed(&pauper()), OfferTarget::Repository(r), terms(1)),
			Error::InsufficientBalance
		);
	});
}

#[test]
fn update_and_retire_offers() {
	run(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v1");
		let id = offer(&alice(), OfferTarget::Version(v), terms(100));
		assert_noop!(
			Licensing::update_offer(signed(&bob()), id, terms(1)),
			Error::NotMaintainer
		);
		assert_noop!(
			Licensing::update_offer(signed(&alice()), 99, terms(1)),
			Error::UnknownOffer
		);
		assert_noop!(
			Licensing::update_offer(
				signed(&alice()),
				id,
				OfferTerms {
					usage_cap: Some(0),
					..terms(1)
				}
			),
			Error::ZeroUsageCap
		);
		// A buyer who saw 100 is protected from a raise.
		assert_ok!(Licensing::update_offer(signed(&alice()), id, terms(150)));
		assert_noop!(buy(signed(&buyer()), v, id, 100), Error::PriceAboveLimit);
		assert_ok!(buy(signed(&buyer()), v, id, 150));
		let license = last_license();
		assert_noop!(
			Licensing::retire_offer(signed(&bob()), id),
			Error::NotMaintainer
		);
		assert_ok!(Licensing::retire_offer(signed(&alice()), id));
		assert_noop!(
			Licensing::retire_offer(signed(&alice()), id),
			Error::OfferRetired
		);
		assert_noop!(
			Licensing::update_offer(signed(&alice()), id, terms(1)),
			Error::OfferRetired
		);
		assert_noop!(buy(signed(&buyer()), v, id, 150), Error::OfferRetired);
		assert_noop!(
			Licensing::grant_license(signed(&alice()), v, id, bob()),
			Error::OfferRetired
		);
		// Retiring revokes nothing.
		assert!(Licensing::has_valid_license(&buyer(), &v));
		assert_eq!(Licensing::license(license).unwrap().revoked, None);
		assert!(Licensing::offers_for(v).is_empty());
		assert_eq!(Licensing::offer(id).unwrap().retired, Some(1));
	});
}

#[test]
fn force_retire_offer_needs_governance_and_keeps_licenses() {
	run(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v1");
		let id = offer(&alice(), OfferTarget::Version(v), terms(100));
		assert_ok!(buy(signed(&buyer()), v, id, 100));
		let license = last_license();
		let why = |s: &str| Reason::truncate_from(s.as_bytes().to_vec());
		assert_noop!(
			Licensing::force_retire_offer(signed(&alice()), id, why("misleading terms")),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Licensing::force_retire_offer(RuntimeOrigin::root(), 99, why("x")),
			Error::UnknownOffer
		);
		assert_noop!(
			Licensing::force_retire_offer(RuntimeOrigin::root(), id, why(" ")),
			Error::BadReason
		);
		let held = Balances::balance_on_hold(&HoldReason::Offer.into(), &alice());
		assert_ok!(Licensing::force_retire_offer(
			RuntimeOrigin::root(),
			id,
			why("misleading terms")
		));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Licensing(crate::Event::OfferForceRetired {
				offer: id,
				reason: why("misleading terms"),
			})));
		assert_noop!(
			Licensing::force_retire_offer(RuntimeOrigin::root(), id, why("again")),
			Error::OfferRetired
		);
		assert_noop!(buy(signed(&buyer()), v, id, 100), Error::OfferRetired);
		// The record stays, retired; the license sold under it stays valid; the deposit
		// stays held as after an ordinary retirement.
		assert_eq!(Licensing::offer(id).unwrap().retired, Some(1));
		assert!(Licensing::has_valid_license(&buyer(), &v));
		assert_eq!(Licensing::license(license).unwrap().revoked, None);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Offer.into(), &alice()),
			held
		);
	});
}

#[test]
fn contributor_shares_must_sum_to_exactly_100_percent() {
	run(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v1");
		let set = |list: &[(AccountId, u32)]| {
			Licensing::set_contributors(signed(&alice()), v, shares(list))
		};
		assert_noop!(set(&[]), Error::NoContributors);
		assert_noop!(set(&[(bob(), 990_000)]), Error::SharesNotWhole);
		assert_noop!(
			set(&[(bob(), 600_000), (charlie(), 500_000)]),
			Error::SharesNotWhole
		);
		assert_noop!(set(&[(bob(), 1_000_000), (charlie(), 0)]), Error::ZeroShare);
		assert_noop!(
			set(&[(bob(), 500_000), (bob(), 500_000)]),
			Error::DuplicateContributor
		);
		assert_noop!(
			Licensing::set_contributors(signed(&bob()), v, shares(&[(bob(), 1_000_000)])),
			Error::NotMaintainer
		);
		assert_noop!(
			Licensing::set_contributors(
				signed(&alice()),
				VersionId([3; 32]),
				shares(&[(bob(), 1_000_000)])
			),
			Error::UnknownVersion
		);
		assert_ok!(set(&[
			(bob(), 333_334),
			(charlie(), 333_333),
			(dave(), 333_333)
		]));
		let list = Contributors::<Test>::get(v).unwrap();
		assert_eq!(list.deposit, deposit(1, 32 + list.encode().len()));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Contributors.into(), &alice()),
			list.deposit
		);
		// Replacing the list releases the old deposit; the shorter list holds less.
		assert_ok!(set(&[(bob(), 1_000_000)]));
		let shorter = Contributors::<Test>::get(v).unwrap();
		assert_eq!(shorter.deposit, deposit(1, 32 + shorter.encode().len()));
		assert!(shorter.deposit < list.deposit);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Contributors.into(), &alice()),
			shorter.deposit
		);
		assert_eq!(Licensing::contributors_of(v).len(), 1);
	});
}

#[test]
fn purchase_refuses_bad_input_and_loses_nothing() {
	run(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v1");
		let other = commit(&alice(), &r, &[], "v2");
		let id = offer(&alice(), OfferTarget::Version(v), terms(1_000));
		assert_noop!(
			buy(signed(&buyer()), VersionId([5; 32]), id, 1_000),
			Error::UnknownVersion
		);
		assert_noop!(buy(signed(&buyer()), v, 42, 1_000), Error::UnknownOffer);
		assert_noop!(
			buy(signed(&buyer()), other, id, 1_000),
			Error::OfferNotForVersion
		);
		assert_noop!(
			buy(signed(&pauper()), v, id, 1_000),
			Error::InsufficientBalance
		);
		// Licenses under one offer have the same size, so the buyer's shows the deposit.
		assert_ok!(buy(signed(&buyer()), v, id, 1_000));
		let license_deposit = Licenses::<Test>::get(last_license()).unwrap().deposit;
		// Enough for the price, not for the price, the deposit and staying alive.
		assert_ok!(Balances::transfer_allow_death(
			signed(&buyer()),
			pauper(),
			1_000 + license_deposit
		));
		let before = free(&alice());
		assert_noop!(
			buy(signed(&pauper()), v, id, 1_000),
			Error::InsufficientBalance
		);
		assert_eq!(free(&alice()), before);
		assert_ok!(Balances::transfer_allow_death(
			signed(&buyer()),
			pauper(),
			EXISTENTIAL_DEPOSIT
		));
		assert_ok!(buy(signed(&pauper()), v, id, 1_000));
		assert_eq!(free(&alice()), before + 1_000);
	});
}

#[test]
fn periods_expire_and_caps_run_out() {
	run(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v1");
		let id = offer(
			&alice(),
			OfferTarget::Version(v),
			OfferTerms {
				period: Some(10),
				usage_cap: Some(5),
				..terms(7)
			},
		);
		assert_ok!(buy(signed(&buyer()), v, id, 7));
		let license = last_license();
		assert_eq!(Licensing::license(license).unwrap().end, Some(11));
		assert_noop!(
			Licensing::report_usage(signed(&buyer()), license, 0),
			Error::ZeroUsage
		);
		assert_ok!(Licensing::report_usage(signed(&buyer()), license, 3));
		assert_noop!(
			Licensing::report_usage(signed(&buyer()), license, 3),
			Error::UsageCapExceeded
		);
		assert_ok!(Licensing::report_usage(signed(&buyer()), license, 2));
		System::assert_last_event(
			Event::UsageReported {
				license,
				by: buyer(),
				count: 2,
				remaining: Some(0),
			}
			.into(),
		);
		// The cap is hit: the license is no longer valid.
		assert!(!Licensing::has_valid_license(&buyer(), &v));
		assert_noop!(
			Licensing::report_usage(signed(&buyer()), license, 1),
			Error::UsageCapExceeded
		);
		// A second license, then expiry.
		assert_ok!(buy(signed(&buyer()), v, id, 7));
		let second = last_license();
		assert!(Licensing::has_valid_license(&buyer(), &v));
		System::set_block_number(11);
		assert!(!Licensing::has_valid_license(&buyer(), &v));
		assert_noop!(
			Licensing::report_usage(signed(&buyer()), second, 1),
			Error::LicenseExpired
		);
		assert_eq!(Licensing::licenses_of(buyer()).len(), 2);
	});
}

#[test]
fn usage_is_reported_by_the_licensee_or_a_meter_only() {
	run(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v1");
		let id = offer(&alice(), OfferTarget::Version(v), terms(0));
		assert_ok!(buy(signed(&buyer()), v, id, 0));
		let license = last_license();
		assert_noop!(
			Licensing::report_usage(signed(&eve()), license, 1),
			Error::NotLicensee
		);
		assert_noop!(
			Licensing::report_usage(signed(&buyer()), 77, 1),
			Error::UnknownLicense
		);
		assert_noop!(
			Licensing::add_meter(signed(&bob()), r.clone(), eve()),
			Error::NotMaintainer
		);
		assert_noop!(
			Licensing::add_meter(signed(&alice()), repo("acme/none"), eve()),
			Error::UnknownRepository
		);
		assert_ok!(Licensing::add_meter(signed(&alice()), r.clone(), eve()));
		let meter = Meters::<Test>::get(&r)[0].clone();
		assert_eq!(meter.deposit, deposit(1, meter.encode().len()));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Meter.into(), &alice()),
			meter.deposit
		);
		assert_noop!(
			Licensing::add_meter(signed(&alice()), r.clone(), eve()),
			Error::MeterExists
		);
		assert_ok!(Licensing::add_meter(signed(&alice()), r.clone(), dave()));
		assert_noop!(
			Licensing::add_meter(signed(&alice()), r.clone(), charlie()),
			Error::TooManyMeters
		);
		assert_ok!(Licensing::report_usage(signed(&eve()), license, 4));
		assert_eq!(Licensing::license(license).unwrap().uses_reported, 4);
		assert_ok!(Licensing::remove_meter(signed(&alice()), r.clone(), eve()));
		assert_noop!(
			Licensing::remove_meter(signed(&alice()), r.clone(), eve()),
			Error::UnknownMeter
		);
		assert_noop!(
			Licensing::report_usage(signed(&eve()), license, 1),
			Error::NotLicensee
		);
		assert_ok!(Licensing::remove_meter(signed(&alice()), r, dave()));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::Meter.into(), &alice()),
			0
		);
	});
}

#[test]
fn grants_and_revocations() {
	run(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v1");
		let fixed = offer(&alice(), OfferTarget::Version(v), terms(1_000));
		let revocable = offer(
			&alice(),
			OfferTarget::Version(v),
			OfferTerms {
				revocable: true,
				..terms(1_000)
			},
		);
		assert_noop!(
			Licensing::grant_license(signed(&bob()), v, fixed, bob()),
			Error::NotMaintainer
		);
		let before = free(&alice());
		assert_ok!(Licensing::grant_license(signed(&alice()), v, fixed, bob()));
		let granted = last_license();
		let record = Licensing::license(granted).unwrap();
		assert_eq!((record.paid, record.granted_by.clone()), (0, Some(alice())));
		assert_eq!(free(&alice()), before - record.deposit);
		assert!(Licensing::has_valid_license(&bob(), &v));
		let reason = Reason::truncate_from(b"partner agreement ended".to_vec());
		assert_noop!(
			Licensing::revoke_license(signed(&alice()), granted, reason.clone()),
			Error::NotRevocable
		);
		assert_ok!(Licensing::grant_license(
			signed(&alice()),
			v,
			revocable,
			charlie()
		));
		let second = last_license();
		assert_noop!(
			Licensing::revoke_license(signed(&bob()), second, reason.clone()),
			Error::NotMaintainer
		);
		assert_noop!(
			Licensing::revoke_license(signed(&alice()), second, Reason::default()),
			Error::BadReason
		);
		assert_noop!(
			Licensing::revoke_license(signed(&alice()), 99, reason.clone()),
			Error::UnknownLicense
		);
		assert_ok!(Licensing::revoke_license(
			signed(&alice()),
			second,
			reason.clone()
		));
		assert_noop!(
			Licensing::revoke_license(signed(&alice()), second, reason.clone()),
			Error::AlreadyRevoked
		);
		assert!(!Licensing::has_valid_license(&charlie(), &v));
		assert_noop!(
			Licensing::report_usage(signed(&charlie()), second, 1),
			Error::LicenseRevoked
		);
		let record = Licensing::license(second).unwrap();
		assert_eq!(record.revoked.unwrap().reason, reason);
		assert_eq!(Licensing::offer(revocable).unwrap().licenses, 1);
	});
}

#[test]
fn try_state_catches_a_broken_share_sum() {
	new_test_ext().execute_with(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v1");
		assert_ok!(Licensing::set_contributors(
			signed(&alice()),
			v,
			shares(&[(bob(), 1_000_000)])
		));
		assert_ok!(Licensing::do_try_state());
		Contributors::<Test>::mutate(v, |list| {
			list.as_mut().unwrap().contributors[0].share = Permill::from_percent(99);
		});
		assert!(Licensing::do_try_state().is_err());
	});
}

#[test]
fn try_state_catches_a_license_count_mismatch() {
	new_test_ext().execute_with(|| {
		let r = create_repo(&alice(), "acme/model");
		let v = commit(&alice(), &r, &[], "v1");
		let id = offer(&alice(), OfferTarget::Version(v), terms(0));
		assert_ok!(buy(signed(&buyer()), v, id, 0));
		assert_ok!(Licensing::do_try_state());
		Offers::<Test>::mutate(id, |o| o.as_mut().unwrap().licenses = 5);
		assert!(Licensing::do_try_state().is_err());
	});
}

#[test]
fn try_state_catches_broken_usage_deposits_and_references() {
	let broken = |break_it: &dyn Fn(LicenseId, OfferId), expected: &'static str| {
		new_test_ext().execute_with(|| {
			let r = create_repo(&alice(), "acme/model");
			let v = commit(&alice(), &r, &[], "v1");
			let id = offer(
				&alice(),
				OfferTarget::Version(v),
				OfferTerms {
					usage_cap: Some(10),
					..terms(0)
				},
			);
			assert_ok!(buy(signed(&buyer()), v, id, 0));
			let license = last_license();
			assert_ok!(Licensing::report_usage(signed(&buyer()), license, 3));
			assert_ok!(Licensing::do_try_state());
			break_it(license, id);
			assert_eq!(
				Licensing::do_try_state(),
				Err(DispatchError::Other(expected)),
				"{expected}"
			);
		});
	};
	broken(
		&|license, _| Licenses::<Test>::mutate(license, |l| l.as_mut().unwrap().uses_reported = 4),
		"uses reported and remaining do not add up to the cap",
	);
	broken(
		&|license, _| {
			Licenses::<Test>::mutate(license, |l| l.as_mut().unwrap().uses_remaining = None)
		},
		"uses reported and remaining do not add up to the cap",
	);
	broken(
		&|_, _| {
			Meters::<Test>::insert(
				repo("nobody/here"),
				MetersOf::<Test>::truncate_from(vec![Meter {
					account: eve(),
					added_by: alice(),
					deposit: 0,
				}]),
			)
		},
		"meters of a missing repository",
	);
	broken(
		&|_, _| {
			use polkadot_sdk::frame_support::traits::{fungible::MutateHold, tokens::Precision};
			<Balances as MutateHold<AccountId>>::release(
				&HoldReason::Offer.into(),
				&alice(),
				1,
				Precision::Exact,
			)
			.unwrap();
		},
		"held deposit differs from the recorded deposits",
	);
}

#[test]
fn a_yanked_version_cannot_be_licensed() {
	run(|| {
		let lineage = three_levels();
		assert_ok!(pallet_registry::Pallet::<Test>::yank_version(
			signed(&charlie()),
			repo("charlie/quantized"),
			lineage.quantized,
			BoundedVec::truncate_from(b"leaked eval set".to_vec()),
		));
		assert_noop!(
			buy(signed(&buyer()), lineage.quantized, lineage.offer, 0),
			Error::VersionYanked
		);
		assert_noop!(
			Licensing::grant_license(signed(&charlie()), lineage.quantized, lineage.offer, eve()),
			Error::VersionYanked
		);
		assert_ok!(pallet_registry::Pallet::<Test>::unyank_version(
			signed(&charlie()),
			repo("charlie/quantized"),
			lineage.quantized,
		));
		assert_ok!(buy(signed(&buyer()), lineage.quantized, lineage.offer, 0));
	});
}

/// licensed <- (paid: 10%, zero-rate x2); paid <- zero-rate. The zero-rate parents offered 5%
/// (repository default) when their children were committed and lowered it to 0% since, so the
/// walk reads them and they take nothing.
fn walk_with_unpaid_parents() -> (VersionId, OfferId) {
	let zero_repo = create_repo(&alice(), "acme/zero");
	let zeros: Vec<VersionId> = (0..3)
		.map(|i| commit(&alice(), &zero_repo, &[], &format!("zero {i}")))
		.collect();
	let zero_offer = offer(
		&alice(),
		OfferTarget::Repository(zero_repo),
		royalty_terms(1, 5),
	);
	let paid_repo = create_repo(&bob(), "bob/paid");
	let paid = commit(&bob(), &paid_repo, &[zeros[2]], "paid");
	offer(&bob(), OfferTarget::Version(paid), royalty_terms(1, 10));
	let licensed_repo = create_repo(&charlie(), "charlie/licensed");
	let licensed = commit(
		&charlie(),
		&licensed_repo,
		&[paid, zeros[0], zeros[1]],
		"licensed",
	);
	assert_ok!(Licensing::update_offer(
		signed(&alice()),
		zero_offer,
		royalty_terms(1, 0)
	));
	let offer = offer(&charlie(), OfferTarget::Version(licensed), terms(1_000));
	(licensed, offer)
}

#[test]
fn upstream_cannot_raise_its_rate_after_a_derivative_is_committed() {
	run(|| {
		RegistryDepositPerItem::set(DEPOSIT_PER_ITEM);
		RegistryDepositPerByte::set(DEPOSIT_PER_BYTE);
		let base_repo = create_repo(&alice(), "acme/base");
		let base = commit(&alice(), &base_repo, &[], "base");
		let base_offer = offer(&alice(), OfferTarget::Version(base), royalty_terms(1, 10));
		let late = commit(&alice(), &base_repo, &[], "late");
		let ft_repo = create_repo(&bob(), "bob/fine-tune");
		let ft = commit(&bob(), &ft_repo, &[base, late], "ft");
		// The commit recorded base's 10%; `late` offered nothing, so nothing is recorded for it.
		let expected_rate: EdgeRates =
			BoundedVec::truncate_from(vec![(base, Permill::from_percent(10))]);
		assert_eq!(
			crate::EdgeRoyalties::<Test>::get(ft),
			Some(expected_rate.clone())
		);
		// The version's deposit pays for the snapshot too: one entry keyed by its id.
		let record = pallet_registry::Versions::<Test>::get(ft).unwrap();
		let meta = pallet_registry::VersionMetas::<Test>::get(ft).unwrap();
		let roots = pallet_registry::ArtifactRoots::<Test>::get(ft).unwrap();
		let without_snapshot = pallet_registry::Pallet::<Test>::deposit_for(
			pallet_registry::Pallet::<Test>::version_footprint(
				record.encoded_size(),
				&meta,
				&roots,
			),
		);
		assert_eq!(
			record.deposit - without_snapshot,
			deposit(1, 32 + expected_rate.encoded_size())
		);
		assert_eq!(
			Balances::balance_on_hold(&pallet_registry::HoldReason::Version.into(), &bob()),
			record.deposit
		);
		let ft_offer = offer(&bob(), OfferTarget::Version(ft), terms(1_000));
		let base_take = |split: &RoyaltySplitOf<Test>| -> Balance {
			split
				.legs
				.iter()
				.filter(|l| l.version == base)
				.map(|l| l.amount)
				.sum()
		};

		// Raising the rate to 50% after the derivative exists changes nothing.
		assert_ok!(Licensing::update_offer(
			signed(&alice()),
			base_offer,
			royalty_terms(1, 50)
		));
		offer(&alice(), OfferTarget::Version(late), royalty_terms(1, 50));
		let split = Licensing::royalty_split(ft, 1_000).unwrap();
		assert_eq!(base_take(&split), 100);
		assert!(split.legs.iter().all(|l| l.version != late));
		let plan = Licensing::plan_split(ft, 1_000).unwrap();
		assert_eq!(
			plan.walk.unpaid_inspections, 0,
			"a parent with no recorded rate is not read"
		);

		// Lowering it applies at once.
		assert_ok!(Licensing::update_offer(
			signed(&alice()),
			base_offer,
			royalty_terms(1, 4)
		));
		assert_eq!(base_take(&Licensing::royalty_split(ft, 1_000).unwrap()), 40);
		let alice_before = free(&alice());
		assert_ok!(buy(signed(&buyer()), ft, ft_offer, 1_000));
		assert_eq!(free(&alice()) - alice_before, 40);

		// A derivative committed after the raise records the new rate.
		let q_repo = create_repo(&charlie(), "charlie/q");
		let q = commit(&charlie(), &q_repo, &[late], "q");
		assert_eq!(
			crate::EdgeRoyalties::<Test>::get(q),
			Some(BoundedVec::truncate_from(vec![(
				late,
				Permill::from_percent(50)
			)]))
		);
		RegistryDepositPerItem::set(0);
		RegistryDepositPerByte::set(0);
	});
}

#[test]
fn every_parent_read_is_charged_and_the_reads_are_capped() {
	run(|| {
		let (licensed, offer) = walk_with_unpaid_parents();
		let plan = Licensing::plan_split(licensed, 1_000).unwrap();
		// Paid: licensed and `paid`. Read but unpaid: two zero-rate parents of licensed and one
		// of `paid`.
		assert_eq!(plan.walk.paid_versions, 2);
		assert_eq!(plan.walk.unpaid_inspections, 3);
		assert!(!plan.split.truncated);
		let result = buy(signed(&buyer()), licensed, offer, 1_000);
		let post = result.expect("purchase succeeds");
		assert_eq!(
			post.actual_weight,
			Some(<() as WeightInfo>::purchase_license(2, 3, 0)),
			"refunded to what the walk read, unpaid parents included"
		);
		let call = crate::Call::<Test>::purchase_license {
			version: licensed,
			offer,
			max_price: 1_000,
			terms_hash: [0; 32],
		};
		assert_eq!(
			call.get_dispatch_info().call_weight,
			<() as WeightInfo>::purchase_license(16, 64, 5),
			"charged up front for the most versions, parent reads and contributors"
		);

		// With a cap of two parent reads, the walk stops and says so.
		MaxRoyaltyInspections::set(2);
		let capped = Licensing::plan_split(licensed, 1_000).unwrap();
		MaxRoyaltyInspections::set(64);
		assert!(capped.split.truncated);
		assert_eq!(
			capped.walk.unpaid_inspections + capped.walk.paid_versions - 1,
			2
		);
		let sum: Balance = capped.split.legs.iter().map(|l| l.amount).sum();
		assert_eq!(sum, 1_000);
	});
}

mod royalty_properties {
	use super::*;
	use proptest::prelude::*;

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(48))]

		/// For random lineages (each version's parents drawn from the earlier ones), rates,
		/// contributor lists and prices, the legs sum to the price, the preview equals what the
		/// purchase pays, and no balance is created or destroyed.
		#[test]
		fn legs_always_sum_to_the_price(
			parents in proptest::collection::vec(proptest::collection::vec(any::<prop::sample::Index>(), 0..4), 1..7),
			rates in proptest::collection::vec(0u32..=50, 7),
			splits in proptest::collection::vec(proptest::collection::vec(1u32..=1_000_000, 0..4), 7),
			price in 0u128..=1_000_000_000_000,
		) {
			run(|| {
				let owners = [alice(), bob(), charlie(), dave(), eve()];
				let mut versions: Vec<VersionId> = Vec::new();
				for (i, picks) in parents.iter().enumerate() {
					let owner = &owners[i % owners.len()];
					let repo = create_repo(owner, &format!("prop/v{i}"));
					let mut chosen: Vec<VersionId> = if versions.is_empty() {
						Vec::new()
					} else {
						picks.iter().map(|p| versions[p.index(versions.len())]).collect()
					};
					chosen.sort();
					chosen.dedup();
					let id = commit(owner, &repo, &chosen, &format!("v{i}"));
					offer(owner, OfferTarget::Version(id), royalty_terms(1, rates[i]));
					// Contributor shares that sum to exactly 100%.
					let raw = &splits[i];
					if !raw.is_empty() {
						let total: u64 = raw.iter().map(|r| u64::from(*r)).sum();
						let mut list: Vec<(AccountId, u32)> = raw
							.iter()
							.enumerate()
							.map(|(k, r)| {
								let share = (u64::from(*r) * 1_000_000 / total).max(1) as u32;
								(owners[(i + k + 1) % owners.len()].clone(), share)
							})
							.collect();
						list.sort_by(|a, b| a.0.cmp(&b.0));
						list.dedup_by(|a, b| {
							if a.0 == b.0 {
								b.1 += a.1;
								true
							} else {
								false
							}
						});
						// The rounding goes to the largest share, so every share stays non-zero.
						let assigned: i64 = list.iter().map(|(_, s)| i64::from(*s)).sum();
						let largest = list.iter_mut().max_by_key(|(_, s)| *s).unwrap();
						largest.1 = (i64::from(largest.1) + 1_000_000 - assigned) as u32;
						assert_ok!(Licensing::set_contributors(signed(owner), id, shares(&list)));
					}
					versions.push(id);
				}
				let licensed = *versions.last().unwrap();
				let owner = &owners[(versions.len() - 1) % owners.len()];
				let offer_id = offer(owner, OfferTarget::Version(licensed), terms(price));
				let preview = Licensing::royalty_split(licensed, price).unwrap();
				let sum: Balance = preview.legs.iter().map(|l| l.amount).sum();
				assert_eq!(sum, price, "legs sum to the price");
				let before: Vec<Balance> = owners.iter().map(free).collect();
				assert_ok!(buy(signed(&buyer()), licensed, offer_id, price));
				for (k, who) in owners.iter().enumerate() {
					let expected: Balance = preview.legs.iter().filter(|l| &l.payee == who).map(|l| l.amount).sum();
					assert_eq!(free(who) - before[k], expected, "paid as previewed");
				}
			});
		}
	}
}

/// The balance check in `run` can fail: a balance written without its issuance breaks it.
#[test]
#[should_panic(expected = "accounts do not add up to the issuance")]
fn the_balance_check_catches_a_balance_written_without_issuance() {
	run(|| {
		use polkadot_sdk::frame_support::traits::fungible::Unbalanced;
		let _ = <Balances as Unbalanced<AccountId>>::write_balance(&eve(), free(&eve()) + 1);
	});
}

#[test]
fn migration_to_v1_snapshots_the_rates_parents_offer_at_the_upgrade() {
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	type V0ToV1 = crate::migrations::v1::MigrateV0ToV1<Test>;
	run(|| {
		// Version 0 state: a lineage committed before rates were snapshotted, offers made later.
		let base_repo = create_repo(&alice(), "acme/base");
		let base = commit(&alice(), &base_repo, &[], "base");
		let free_parent = commit(&alice(), &base_repo, &[], "free");
		let ft_repo = create_repo(&bob(), "bob/fine-tune");
		let ft = commit(&bob(), &ft_repo, &[base, free_parent], "ft");
		let q_repo = create_repo(&charlie(), "charlie/q");
		let q = commit(&charlie(), &q_repo, &[ft], "q");
		let unrelated = commit(&charlie(), &q_repo, &[free_parent], "unrelated");
		offer(&alice(), OfferTarget::Version(base), royalty_terms(1, 10));
		offer(
			&bob(),
			OfferTarget::Repository(ft_repo),
			royalty_terms(1, 20),
		);
		assert_eq!(crate::EdgeRoyalties::<Test>::iter().count(), 0);
		StorageVersion::new(0).put::<Licensing>();

		#[cfg(feature = "try-runtime")]
		let state = <V0ToV1 as OnRuntimeUpgrade>::pre_upgrade().expect("pre_upgrade");
		<V0ToV1 as OnRuntimeUpgrade>::on_runtime_upgrade();
		#[cfg(feature = "try-runtime")]
		<V0ToV1 as OnRuntimeUpgrade>::post_upgrade(state).expect("post_upgrade");
		assert_eq!(
			Licensing::on_chain_storage_version(),
			StorageVersion::new(1)
		);

		let rates = |v: VersionId| crate::EdgeRoyalties::<Test>::get(v).map(|r| r.into_inner());
		assert_eq!(rates(ft), Some(vec![(base, Permill::from_percent(10))]));
		assert_eq!(rates(q), Some(vec![(ft, Permill::from_percent(20))]));
		assert_eq!(rates(unrelated), None, "no parent offers a royalty");
		assert_eq!(crate::EdgeRoyalties::<Test>::iter().count(), 2);
		// Royalties flow as before the upgrade: 20% to ft, 10% of that to base.
		let split = Licensing::royalty_split(q, 1_000).unwrap();
		let to = |v: VersionId| -> Balance {
			split
				.legs
				.iter()
				.filter(|l| l.version == v)
				.map(|l| l.amount)
				.sum()
		};
		assert_eq!((to(q), to(ft), to(base)), (800, 180, 20));

		// Run again, it does nothing: the storage version is already 1.
		crate::EdgeRoyalties::<Test>::remove(q);
		<V0ToV1 as OnRuntimeUpgrade>::on_runtime_upgrade();
		assert_eq!(rates(q), None);
		crate::EdgeRoyalties::<Test>::insert(
			q,
			EdgeRates::truncate_from(vec![(ft, Permill::from_percent(20))]),
		);
	});
}

#[test]
fn try_state_catches_royalty_rates_of_a_non_parent() {
	run(|| {
		let repo = create_repo(&alice(), "acme/base");
		let a = commit(&alice(), &repo, &[], "a");
		let b = commit(&alice(), &repo, &[], "b");
		crate::EdgeRoyalties::<Test>::insert(
			b,
			EdgeRates::truncate_from(vec![(a, Permill::from_percent(5))]),
		);
		assert!(Licensing::do_try_state().is_err());
		crate::EdgeRoyalties::<Test>::insert(b, EdgeRates::default());
		assert!(Licensing::do_try_state().is_err());
		crate::EdgeRoyalties::<Test>::remove(b);
	});
}
