//! OpenSSF model-signing bundles (the PyPI `model-signing` 1.x key flow): a Sigstore bundle
//! (v0.3) whose DSSE envelope carries an in-toto statement listing every file's SHA-256,
//! signed with ECDSA P-256. The per-file digests are the ones the owh manifest commits.

use anyhow::{bail, Result};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use p256::{
	ecdsa::{signature::Signer, DerSignature, SigningKey},
	pkcs8::{EncodePublicKey, LineEnding},
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const BUNDLE_MEDIA_TYPE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
pub const PREDICATE_TYPE: &str = "https://model_signing/signature/v1.0";
/// Top-level paths `model_signing verify` skips by default; they are left out of the bundle.
pub const GIT_PATHS: [&str; 4] = [".git", ".gitattributes", ".github", ".gitignore"];

/// One signed file: its path in the model directory and its SHA-256.
pub struct Resource {
	pub name: String,
	pub sha256: [u8; 32],
}

/// Whether model-signing skips `path` by default (a top-level git path, or inside one).
pub fn is_git_path(path: &str) -> bool {
	let first = path.split('/').next().unwrap_or("");
	GIT_PATHS.contains(&first)
}

/// The in-toto statement over `resources`: sorted by path components as model-signing sorts
/// them, the subject digest being the SHA-256 of the digests concatenated in that order.
pub fn statement(subject: &str, mut resources: Vec<Resource>, bundle_name: &str) -> Result<Value> {
	resources.sort_by(|a, b| a.name.split('/').cmp(b.name.split('/')));
	if let Some(same) = resources.windows(2).find(|w| w[0].name == w[1].name) {
		bail!("{} is listed twice", same[0].name);
	}
	if resources.iter().any(|r| r.name == bundle_name) {
		bail!(
			"the version has a file named {bundle_name}; write the bundle under another name (-o)"
		);
	}
	let mut all = Sha256::new();
	for r in &resources {
		all.update(r.sha256);
	}
	let mut ignore: Vec<&str> = GIT_PATHS.to_vec();
	ignore.push(bundle_name);
	Ok(json!({
		"_type": STATEMENT_TYPE,
		"subject": [{ "name": subject, "digest": { "sha256": hex::encode(all.finalize()) } }],
		"predicateType": PREDICATE_TYPE,
		"predicate": {
			"serialization": {
				"method": "files",
				"hash_type": "sha256",
				"allow_symlinks": false,
				"ignore_paths": ignore,
			},
			"resources": resources.iter().map(|r| json!({
				"name": r.name,
				"algorithm": "sha256",
				"digest": hex::encode(r.sha256),
			})).collect::<Vec<_>>(),
		},
	}))
}

/// DSSE's pre-authentication encoding of `payload`.
fn pae(payload: &[u8]) -> Vec<u8> {
	let mut out = format!(
		"DSSEv1 {} {PAYLOAD_TYPE} {} ",
		PAYLOAD_TYPE.len(),
		payload.len()
	)
	.into_bytes();
	out.extend_from_slice(payload);
	out
}

/// The signed bundle (compact JSON) of `statement`.
pub fn bundle(statement: &Value, key: &SigningKey) -> Result<String> {
	let payload = serde_json::to_vec(statement)?;
	let signature: DerSignature = key.sign(&pae(&payload));
	let pem = key
		.verifying_key()
		.to_public_key_pem(LineEnding::LF)
		.map_err(|e| anyhow::anyhow!("cannot encode the public key: {e}"))?;
	let bundle = json!({
		"mediaType": BUNDLE_MEDIA_TYPE,
		"verificationMaterial": {
			"publicKey": { "hint": hex::encode(Sha256::digest(pem.as_bytes())) },
			"tlogEntries": [],
		},
		"dsseEnvelope": {
			"payload": STANDARD.encode(&payload),
			"payloadType": PAYLOAD_TYPE,
			"signatures": [{ "sig": STANDARD.encode(signature.as_bytes()), "keyid": "" }],
		},
	});
	Ok(serde_json::to_string(&bundle)?)
}

#[cfg(test)]
mod tests {
	use super::*;
	use p256::ecdsa::{signature::Verifier, VerifyingKey};

	fn resource(name: &str, content: &[u8]) -> Resource {
		Resource {
			name: name.into(),
			sha256: Sha256::digest(content).into(),
		}
	}

	#[test]
	fn statement_matches_what_model_signing_writes() {
		// The five-file directory model_signing 1.1.1 `sign key` was run on; the subject digest
		// is the one it wrote.
		let files = vec![
			resource("sub/weights.bin", &[b'x'; 3000]),
			resource("empty.txt", b""),
			resource("config.json", b"hello"),
			resource("a.txt", b"z"),
			resource("a/b", b"y"),
		];
		let st = statement("model", files, "model.sig").unwrap();
		assert_eq!(
			st["subject"][0]["digest"]["sha256"],
			"3c795eab2188d1c84abe3bc82a09394a1588a4ce45ed7ce3767fbceb46387eb4"
		);
		let names: Vec<_> = st["predicate"]["resources"]
			.as_array()
			.unwrap()
			.iter()
			.map(|r| r["name"].as_str().unwrap())
			.collect();
		// Component order: "a/b" before "a.txt" (a byte sort would put it after).
		assert_eq!(
			names,
			[
				"a/b",
				"a.txt",
				"config.json",
				"empty.txt",
				"sub/weights.bin"
			]
		);
		assert_eq!(
			st["predicate"]["serialization"]["ignore_paths"][4],
			"model.sig"
		);
	}

	#[test]
	fn the_bundle_signature_verifies_over_the_dsse_encoding() {
		let key = SigningKey::from_slice(&[9u8; 32]).unwrap();
		let st = statement("m", vec![resource("w.bin", b"w")], "m.sig").unwrap();
		let bundle: Value = serde_json::from_str(&bundle(&st, &key).unwrap()).unwrap();
		assert_eq!(bundle["mediaType"], BUNDLE_MEDIA_TYPE);
		let payload = STANDARD
			.decode(bundle["dsseEnvelope"]["payload"].as_str().unwrap())
			.unwrap();
		assert_eq!(serde_json::from_slice::<Value>(&payload).unwrap(), st);
		let sig = STANDARD
			.decode(
				bundle["dsseEnvelope"]["signatures"][0]["sig"]
					.as_str()
					.unwrap(),
			)
			.unwrap();
		let sig = p256::ecdsa::Signature::from_der(&sig).unwrap();
		let vk: &VerifyingKey = key.verifying_key();
		let mut signed = b"DSSEv1 28 application/vnd.in-toto+json ".to_vec();
		signed.extend_from_slice(format!("{} ", payload.len()).as_bytes());
		signed.extend_from_slice(&payload);
		assert!(vk.verify(&signed, &sig).is_ok());
		let mut other = signed.clone();
		*other.last_mut().unwrap() ^= 1;
		assert!(vk.verify(&other, &sig).is_err());
	}

	#[test]
	fn git_paths_and_clashes_are_handled() {
		assert!(is_git_path(".gitattributes"));
		assert!(is_git_path(".git/config"));
		assert!(!is_git_path("sub/.gitignore"));
		assert!(!is_git_path(".gitkeep"));
		let clash = statement("m", vec![resource("m.sig", b"")], "m.sig");
		assert!(clash.unwrap_err().to_string().contains("another name"));
	}
}
