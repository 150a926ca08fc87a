//! Arweave wallets: RSA keys in the JWK form Arweave's tools write (`n`, `e`, `d`, `p`, `q`,
//! ... as base64url big-endian integers), signing with RSA-PSS over SHA-256.

use super::tx::{b64, unb64};
use anyhow::{bail, Context, Result};
use rsa::{
	pss,
	signature::{RandomizedSigner, SignatureEncoding, Verifier},
	BigUint, RsaPrivateKey, RsaPublicKey,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The public exponent every Arweave wallet uses, and the only one its verifiers accept.
const PUBLIC_EXPONENT: u64 = 65537;
/// The PSS salt length `owh` signs with (the digest's length, as Arweave's web client uses).
const SALT_LEN: usize = 32;

#[derive(Deserialize)]
struct Jwk {
	kty: String,
	n: String,
	e: String,
	d: Option<String>,
	p: Option<String>,
	q: Option<String>,
}

/// An Arweave wallet: the RSA private key that owns transactions.
pub struct Wallet {
	key: RsaPrivateKey,
	owner: Vec<u8>,
}

impl Wallet {
	/// Reads a wallet from its JWK (JSON) text.
	pub fn from_jwk(text: &[u8]) -> Result<Self> {
		let jwk: Jwk = serde_json::from_slice(text)
			.context("an Arweave wallet is a JSON Web Key with the fields kty, n, e, d, p and q")?;
		if jwk.kty != "RSA" {
			bail!(
				"an Arweave wallet is an RSA key (kty \"RSA\"), not {:?}",
				jwk.kty
			);
		}
		let int = |field: &str, value: &Option<String>| -> Result<BigUint> {
			let text = value.as_deref().with_context(|| {
				format!("the wallet has no {field}: it is a public key only, and signing needs the private one")
			})?;
			Ok(BigUint::from_bytes_be(&unb64(field, text)?))
		};
		let owner = unb64("n", &jwk.n)?;
		let e = BigUint::from_bytes_be(&unb64("e", &jwk.e)?);
		if e != BigUint::from(PUBLIC_EXPONENT) {
			bail!("the wallet's public exponent is not 65537 (AQAB), which Arweave requires");
		}
		let key = RsaPrivateKey::from_components(
			BigUint::from_bytes_be(&owner),
			e,
			int("d", &jwk.d)?,
			vec![int("p", &jwk.p)?, int("q", &jwk.q)?],
		)
		.context("the wallet's numbers do not make an RSA key")?;
		key.validate()
			.context("the wallet's numbers do not make a consistent RSA key")?;
		Ok(Self { key, owner })
	}

	/// The modulus, which transactions carry as their `owner`.
	pub fn owner(&self) -> &[u8] {
		&self.owner
	}

	/// The wallet's address: the base64url SHA-256 of its modulus.
	pub fn address(&self) -> String {
		address_of(&self.owner)
	}

	/// An RSA-PSS (SHA-256, MGF1 with SHA-256) signature of `message`.
	pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
		let key = pss::BlindedSigningKey::<Sha256>::new_with_salt_len(self.key.clone(), SALT_LEN);
		let signature = key
			.try_sign_with_rng(&mut rsa::rand_core::OsRng, message)
			.context("signing with the Arweave wallet failed")?;
		Ok(signature.to_vec())
	}
}

/// The address owning transactions signed by the modulus `owner`.
pub fn address_of(owner: &[u8]) -> String {
	b64(&Sha256::digest(owner))
}

/// Whether `signature` is the RSA-PSS signature of `message` by the modulus `owner`, with the
/// salt lengths Arweave's clients sign with (the digest's, or the largest the key allows).
pub fn verify(owner: &[u8], message: &[u8], signature: &[u8]) -> bool {
	let Ok(public) = RsaPublicKey::new(
		BigUint::from_bytes_be(owner),
		BigUint::from(PUBLIC_EXPONENT),
	) else {
		return false;
	};
	let Ok(signature) = pss::Signature::try_from(signature) else {
		return false;
	};
	let largest = owner.len().saturating_sub(32 + 2);
	[SALT_LEN, largest].iter().any(|&salt| {
		pss::VerifyingKey::<Sha256>::new_with_salt_len(public.clone(), salt)
			.verify(message, &signature)
			.is_ok()
	})
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use rsa::traits::{PrivateKeyParts, PublicKeyParts};

	/// A JWK for a fresh key of `bits` bits (small keys keep the tests fast).
	pub(crate) fn jwk(bits: usize) -> String {
		let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, bits).unwrap();
		let enc = |n: &BigUint| b64(&n.to_bytes_be());
		serde_json::json!({
			"kty": "RSA",
			"n": enc(key.n()),
			"e": enc(key.e()),
			"d": enc(key.d()),
			"p": enc(&key.primes()[0]),
			"q": enc(&key.primes()[1]),
		})
		.to_string()
	}

	#[test]
	fn a_wallet_signs_what_its_owner_verifies_and_nothing_else() {
		let wallet = Wallet::from_jwk(jwk(1024).as_bytes()).unwrap();
		assert_eq!(wallet.address().len(), 43);
		let signature = wallet.sign(b"message").unwrap();
		assert!(verify(wallet.owner(), b"message", &signature));
		assert!(!verify(wallet.owner(), b"massage", &signature));
		let other = Wallet::from_jwk(jwk(1024).as_bytes()).unwrap();
		assert!(!verify(other.owner(), b"message", &signature));
	}

	#[test]
	fn bad_wallets_are_refused_with_the_reason() {
		let err = |text: &str| Wallet::from_jwk(text.as_bytes()).err().unwrap().to_string();
		assert!(err("nope").contains("JSON Web Key"));
		assert!(err(r#"{"kty":"EC","n":"AQ","e":"AQAB"}"#).contains("RSA key"));
		let full: serde_json::Value = serde_json::from_str(&jwk(1024)).unwrap();
		let mut public = full.clone();
		public.as_object_mut().unwrap().remove("d");
		assert!(err(&public.to_string()).contains("no d"));
		let mut exponent = full.clone();
		exponent["e"] = "Aw".into();
		assert!(err(&exponent.to_string()).contains("65537"));
		let mut broken = full;
		broken["p"] = "Aw".into();
		assert!(err(&broken.to_string()).contains("RSA key"));
	}
}
