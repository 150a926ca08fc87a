//! Arweave: permanent storage, paid once and readable through any gateway.
//!
//! - [`tx`] cuts data into Arweave's chunks, builds its `data_root` and each chunk's proof, and
//!   signs format-2 transactions as the reference client does.
//! - [`wallet`] reads RSA wallets (JWK) and signs with RSA-PSS.
//! - [`gateway`] speaks a gateway's HTTP API (prices, balances, posting, confirmation).
//! - [`store`] stores a version's blobs and chunk lists, and a path manifest naming them.
//! - [`ArweaveBackend`] reads `ar://<manifest id>/<hex>` through the configured gateway, as
//!   the HTTP backend reads any mirror (ranges, timeouts, chunk-by-chunk checks).

pub mod gateway;
pub mod store;
pub mod tx;
pub mod wallet;

pub use gateway::{Gateway, Status, DEFAULT_GATEWAY};
pub use tx::{ChunkUpload, DataTree, Tag, Transaction};
pub use wallet::Wallet;

use super::{Backend, HttpBackend};
use anyhow::{bail, Result};
use std::{io::Read, path::Path};

/// Whether `id` has the form of an Arweave transaction id (43 base64url characters).
pub fn is_tx_id(id: &str) -> bool {
	id.len() == 43
		&& id
			.bytes()
			.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `ar://<manifest id>`: the files a path manifest names, read through a gateway at
/// `<gateway>/<manifest id>/<name>`.
pub struct ArweaveBackend {
	base: String,
	http: HttpBackend,
}

impl ArweaveBackend {
	/// The backend for `base` (`ar://<id>`), reading through `http`, whose base is the
	/// gateway's URL for the manifest.
	pub(super) fn new(base: &str, http: HttpBackend) -> Result<Self> {
		let Some(id) = base.strip_prefix("ar://") else {
			bail!("{base} is not an ar:// URI");
		};
		if !is_tx_id(id) {
			bail!(
				"{base}: an ar:// mirror is ar://<id of a path manifest>, 43 base64url characters"
			);
		}
		Ok(Self {
			base: base.to_string(),
			http,
		})
	}
}

impl ArweaveBackend {
	/// Refuses any name but the two a path manifest written by `owh` holds, so that a URI from
	/// the chain cannot reach another path on the gateway (`..`, `\`, query strings).
	fn check(&self, name: &str) -> Result<()> {
		let hex = name.strip_suffix(".leaves").unwrap_or(name);
		if hex.len() != 64 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
			bail!(
				"{}/{name}: an ar:// mirror serves only <sha256 hex> and <sha256 hex>.leaves",
				self.base
			);
		}
		Ok(())
	}
}

impl Backend for ArweaveBackend {
	fn base(&self) -> &str {
		&self.base
	}

	fn open(&self, name: &str, start: u64, end: Option<u64>) -> Result<Box<dyn Read + Send>> {
		self.check(name)?;
		self.http.open(name, start, end)
	}

	fn size(&self, name: &str) -> Result<Option<u64>> {
		self.check(name)?;
		// Gateways may answer HEAD through a path manifest without a length (arlocal does).
		self.http.size_by_get(name)
	}

	fn put(&self, _: &str, _: &Path, _: &(dyn Fn(u64) + Sync)) -> Result<()> {
		bail!("Arweave stores whole versions at once: use `owh mirror add <version> ar://` or `owh publish --mirror ar://`")
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn ar_bases_name_a_transaction() {
		assert!(is_tx_id(&"a".repeat(43)));
		assert!(!is_tx_id(&"a".repeat(42)));
		assert!(!is_tx_id(&format!("{}/", "a".repeat(42))));
		assert!(crate::transfer::mirror_base("ar://").is_ok());
		assert!(crate::transfer::mirror_base(&format!("ar://{}", "a".repeat(43))).is_ok());
		assert!(crate::transfer::mirror_base("ar://example.com/x").is_err());
		assert!(crate::transfer::read_base("ar://").is_err());
	}

	#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
	async fn an_ar_mirror_serves_only_blob_and_chunk_list_names() {
		let backends = crate::transfer::Backends::new(crate::transfer::NetOptions {
			timeout: std::time::Duration::from_secs(1),
			allow_private: false,
			upload_token: None,
			// Nothing listens here: a name that passed the check would fail to connect.
			arweave_gateway: "http://127.0.0.1:9".into(),
		})
		.unwrap();
		let base = format!("ar://{}", "b".repeat(43));
		let backend = backends.get(&base).unwrap();
		let hex = "c".repeat(64);
		for bad in [
			"..\\mine",
			"mine",
			"../info",
			&format!("{hex}?x"),
			&format!("{hex}.leaves/.."),
		] {
			let err = tokio::task::block_in_place(|| backend.size(bad)).unwrap_err();
			assert!(err.to_string().contains("serves only"), "{bad}: {err}");
		}
		let err =
			tokio::task::block_in_place(|| backend.size(&format!("{hex}.leaves"))).unwrap_err();
		assert!(!err.to_string().contains("serves only"), "{err}");
		assert!(backends.get("ar://not-an-id").is_err());
	}

	#[test]
	fn a_signed_transaction_verifies_and_any_change_breaks_it() {
		let wallet = Wallet::from_jwk(wallet::tests::jwk(1024).as_bytes()).unwrap();
		let data = vec![7u8; 300 * 1024];
		let tree = DataTree::of(&data);
		let mut tx = Transaction::storing(
			&tree,
			None,
			vec![Tag::new("App-Name", "OpenWeightHub")],
			&tx::b64(&[1u8; 48]),
			1234,
		);
		tx.sign(&wallet).unwrap();
		assert_eq!(tx.owner, tx::b64(wallet.owner()));
		assert!(tx.verify().unwrap());
		let json = serde_json::to_value(&tx).unwrap();
		assert_eq!(json["format"], 2);
		assert_eq!(json["data_size"], "307200");
		assert_eq!(json["data"], "");
		let mut changed = tx.clone();
		changed.reward = "1235".into();
		assert!(!changed.verify().unwrap());
		let mut retagged = tx.clone();
		retagged.tags[0] = Tag::new("App-Name", "Other");
		assert!(!retagged.verify().unwrap());
		let mut renamed = tx;
		renamed.id = tx::b64(&[0u8; 32]);
		assert!(!renamed.verify().unwrap());
	}
}
