//! Access to paid versions: whether a license is needed before an install, and buying one
//! after showing its price and where the money goes.

use crate::{
	amount::format_amount,
	chain::{Chain, OfferRecord},
	context::Context,
	keys::account_of,
	view::{kind_name, split_human, terms_human},
};
use anyhow::{anyhow, bail, Result};
use codec::Decode;
use owh_primitives::{
	licensing::{LicenseId, OfferId, PayeeKind},
	VersionId,
};
use serde_json::{json, Value};
use std::io::Write;
use subxt::utils::{AccountId32, Static};

/// `Licensing::RoyaltyPaid` fields.
#[derive(Decode, Debug)]
struct RoyaltyPaid {
	_license: LicenseId,
	version: VersionId,
	depth: u32,
	payee: AccountId32,
	kind: PayeeKind,
	amount: u128,
}

/// `Licensing::LicensePurchased` fields.
#[derive(Decode, Debug)]
struct LicensePurchased {
	license: LicenseId,
	_version: VersionId,
	_offer: OfferId,
	_licensee: AccountId32,
	price: u128,
	end: Option<u32>,
}

/// What a purchase paid.
pub struct Purchase {
	pub license: LicenseId,
	pub offer: OfferId,
	pub price: u128,
	pub end: Option<u32>,
	pub legs: Vec<Value>,
	pub receipt: crate::chain::Receipt,
}

impl Purchase {
	pub fn json(&self, version: &VersionId) -> Value {
		json!({
			"license": self.license,
			"version": version.to_string(),
			"offer": self.offer,
			"price": self.price.to_string(),
			"price_owh": format_amount(self.price),
			"end": self.end,
			"paid": self.legs,
			"receipt": self.receipt,
		})
	}
}

/// Buys `offer` for `version` after showing the price and the split and getting consent.
pub async fn buy_offer(
	ctx: &Context,
	chain: &Chain,
	version: &VersionId,
	offer_id: OfferId,
	offer: &OfferRecord,
	yes: bool,
) -> Result<Purchase> {
	let signer = ctx.keys.signer()?;
	if chain
		.has_valid_license(&account_of(&signer), version)
		.await?
	{
		ctx.warn(&format!(
			"{} already holds a valid license for {version}; a new one starts now (see `owh license list`)",
			account_of(&signer)
		));
	}
	let price = offer.terms.price;
	let split = chain.royalty_split(version, price).await?.ok_or_else(|| {
		crate::exit::failed(
			crate::exit::Kind::NotFound,
			format!("version {version} does not exist on this chain"),
		)
	})?;
	if !ctx.json && !ctx.quiet {
		let mut err = std::io::stderr();
		writeln!(
			err,
			"offer #{offer_id} for {version}: {}",
			terms_human(&offer.terms)
		)?;
		writeln!(err, "  the price is paid to:")?;
		split_human(&split, &mut err)?;
	}
	crate::context::confirm(
		&format!(
			"buy a license for {version} under offer #{offer_id} for {} from {}?",
			format_amount(price),
			account_of(&signer)
		),
		yes,
		"not bought; nothing was paid",
	)?;
	let receipt = chain
		.submit_licensing(
			"purchase_license",
			// The hash of the terms just shown: if the offer changed since, the chain refuses.
			(
				Static(*version),
				Static(offer_id),
				Static(price),
				Static(offer.terms.hash()),
			),
			&signer,
		)
		.await?;
	let purchased: Vec<LicensePurchased> = receipt.events_of("Licensing", "LicensePurchased")?;
	let purchased = purchased.into_iter().next().ok_or_else(|| {
		anyhow!("the purchase was included, but emitted no LicensePurchased event")
	})?;
	let legs = receipt
		.events_of::<RoyaltyPaid>("Licensing", "RoyaltyPaid")?
		.into_iter()
		.map(|leg| {
			json!({
				"version": leg.version.to_string(),
				"depth": leg.depth,
				"payee": leg.payee.to_string(),
				"kind": kind_name(leg.kind),
				"amount": leg.amount.to_string(),
			})
		})
		.collect();
	Ok(Purchase {
		license: purchased.license,
		offer: offer_id,
		price: purchased.price,
		end: purchased.end,
		legs,
		receipt,
	})
}

/// Before an install: passes for free versions and license holders; otherwise buys the
/// cheapest offer with `accept`, or fails naming the offer to buy.
pub async fn ensure_license(
	ctx: &Context,
	chain: &Chain,
	version: &VersionId,
	accept: bool,
	yes: bool,
) -> Result<Option<Purchase>> {
	let offers = chain.offers(version).await?;
	if offers.is_empty() || offers.iter().any(|(_, o)| o.terms.price == 0) {
		return Ok(None);
	}
	let (cheapest_id, cheapest) = offers
		.iter()
		.min_by_key(|(id, o)| (o.terms.price, *id))
		.expect("offers is not empty");
	let how = format!(
		"offer #{cheapest_id} costs {} ({}); buy it with `owh license buy {version} --offer {cheapest_id}`, or pass --accept-license",
		format_amount(cheapest.terms.price),
		terms_human(&cheapest.terms)
	);
	let who = ctx.keys.account().map_err(|e| {
		anyhow!("version {version} needs a paid license, and no key was given to check for one ({e}); {how}")
	})?;
	if chain.has_valid_license(&who, version).await? {
		return Ok(None);
	}
	if !accept {
		bail!("{who} holds no valid license for version {version}, and every offer requires payment: {how}");
	}
	buy_offer(ctx, chain, version, *cheapest_id, cheapest, yes)
		.await
		.map(Some)
}
