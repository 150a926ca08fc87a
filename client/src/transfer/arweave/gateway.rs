//! An Arweave gateway's HTTP API, as far as storing and finding data needs it: prices,
//! balances, anchors, posting transactions and chunks, and confirmation status.

use super::tx::{ChunkUpload, Transaction};
use anyhow::{bail, Context, Result};
use reqwest::StatusCode;
use std::time::Duration;

/// The gateway used unless `--arweave-gateway` (or `OWH_ARWEAVE_GATEWAY`) names another.
pub const DEFAULT_GATEWAY: &str = "https://arweave.net";

/// Where a transaction stands at a gateway.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
	/// The gateway does not know it (never posted, or dropped before it was mined).
	Unknown,
	/// Posted, not mined yet.
	Pending,
	/// Mined into a block.
	Confirmed {
		block_height: u64,
		confirmations: u64,
	},
}

/// One gateway, e.g. `https://arweave.net` or a local `arlocal` at `http://127.0.0.1:1984`.
#[derive(Clone)]
pub struct Gateway {
	url: String,
	client: reqwest::Client,
	timeout: Duration,
}

impl Gateway {
	/// A gateway at `url` (http or https, no trailing slash needed).
	pub fn new(url: &str, client: reqwest::Client, timeout: Duration) -> Result<Self> {
		let url = url.trim_end_matches('/');
		if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains(' ') {
			bail!("{url:?} is not an Arweave gateway URL; give http(s)://host[:port], e.g. {DEFAULT_GATEWAY}");
		}
		Ok(Self {
			url: url.to_string(),
			client,
			timeout,
		})
	}

	pub fn url(&self) -> &str {
		&self.url
	}

	fn unreachable(&self, e: impl std::fmt::Display) -> anyhow::Error {
		crate::exit::failed(
			crate::exit::Kind::Unreachable,
			format!(
				"cannot reach the Arweave gateway at {}: {e:#}; check the address (--arweave-gateway, OWH_ARWEAVE_GATEWAY) and that it is up",
				self.url
			),
		)
	}

	async fn get(&self, path: &str) -> Result<(StatusCode, String)> {
		let url = format!("{}{path}", self.url);
		let response = tokio::time::timeout(self.timeout, async {
			let response = self.client.get(&url).send().await?;
			let status = response.status();
			Ok::<_, reqwest::Error>((status, response.text().await?))
		})
		.await
		.map_err(|_| self.unreachable(format!("no answer within {} s", self.timeout.as_secs())))?
		.map_err(|e| self.unreachable(e))?;
		Ok(response)
	}

	async fn get_ok(&self, path: &str) -> Result<String> {
		let (status, body) = self.get(path).await?;
		if !status.is_success() {
			bail!("GET {}{path}: HTTP {status} {}", self.url, body.trim());
		}
		Ok(body)
	}

	/// What storing `bytes` bytes costs now, in winston.
	pub async fn price(&self, bytes: u64) -> Result<u128> {
		let body = self.get_ok(&format!("/price/{bytes}")).await?;
		parse_amount(&body).with_context(|| format!("the gateway's price for {bytes} bytes"))
	}

	/// The balance of a wallet address, in winston.
	pub async fn balance(&self, address: &str) -> Result<u128> {
		let body = self.get_ok(&format!("/wallet/{address}/balance")).await?;
		parse_amount(&body).with_context(|| format!("the gateway's balance of {address}"))
	}

	/// A recent block to anchor a transaction to (it expires about 50 blocks later).
	pub async fn anchor(&self) -> Result<String> {
		let body = self.get_ok("/tx_anchor").await?;
		let anchor = body.trim().to_string();
		if anchor.is_empty() || anchor.len() > 96 {
			bail!("the gateway's anchor {anchor:?} is not a block id");
		}
		Ok(anchor)
	}

	async fn post(&self, path: &str, body: &impl serde::Serialize) -> Result<(StatusCode, String)> {
		let url = format!("{}{path}", self.url);
		let body = serde_json::to_vec(body)?;
		tokio::time::timeout(self.timeout, async {
			let response = self
				.client
				.post(&url)
				.header(reqwest::header::CONTENT_TYPE, "application/json")
				.body(body)
				.send()
				.await?;
			let status = response.status();
			Ok::<_, reqwest::Error>((status, response.text().await?))
		})
		.await
		.map_err(|_| self.unreachable(format!("no answer within {} s", self.timeout.as_secs())))?
		.map_err(|e| self.unreachable(e))
	}

	/// Posts a signed transaction (its data inline, or to be sent as chunks next).
	pub async fn post_tx(&self, tx: &Transaction) -> Result<()> {
		let (status, body) = self.post("/tx", tx).await?;
		match status {
			s if s.is_success() => Ok(()),
			StatusCode::PAYMENT_REQUIRED | StatusCode::GONE | StatusCode::FORBIDDEN => bail!(
				"the gateway refused transaction {}: the wallet cannot pay for it (HTTP {status}: {}); fund the wallet and try again",
				tx.id,
				body.trim()
			),
			StatusCode::BAD_REQUEST => bail!(
				"the gateway refused transaction {} as invalid (HTTP 400: {}): its anchor may have expired or the gateway checks signatures differently; try again",
				tx.id,
				body.trim()
			),
			_ => bail!("the gateway refused transaction {} (HTTP {status}: {})", tx.id, body.trim()),
		}
	}

	/// Posts one chunk of a transaction's data with its proof.
	pub async fn post_chunk(&self, chunk: &ChunkUpload) -> Result<()> {
		let (status, body) = self.post("/chunk", chunk).await?;
		if !status.is_success() {
			bail!(
				"the gateway refused the chunk ending at byte {} (HTTP {status}: {})",
				chunk.offset,
				body.trim()
			);
		}
		Ok(())
	}

	/// Where transaction `id` stands.
	pub async fn status(&self, id: &str) -> Result<Status> {
		let (status, body) = self.get(&format!("/tx/{id}/status")).await?;
		if status == StatusCode::NOT_FOUND {
			return Ok(Status::Unknown);
		}
		if status == StatusCode::ACCEPTED || body.trim() == "Pending" {
			return Ok(Status::Pending);
		}
		if !status.is_success() {
			bail!(
				"GET {}/tx/{id}/status: HTTP {status} {}",
				self.url,
				body.trim()
			);
		}
		let value: serde_json::Value = serde_json::from_str(&body)
			.with_context(|| format!("the gateway's status of {id} is not JSON: {body:?}"))?;
		let number = |field: &str| value.get(field).and_then(serde_json::Value::as_u64);
		match (number("block_height"), number("number_of_confirmations")) {
			(Some(block_height), confirmations) => Ok(Status::Confirmed {
				block_height,
				confirmations: confirmations.unwrap_or(0),
			}),
			_ => bail!("the gateway's status of {id} names no block: {body}"),
		}
	}
}

/// An amount of winston as gateways print it: an integer, or (from some test gateways) a JSON
/// number in exponent form.
fn parse_amount(text: &str) -> Result<u128> {
	let text = text.trim().trim_matches('"');
	if let Ok(n) = text.parse::<u128>() {
		return Ok(n);
	}
	match text.parse::<f64>() {
		Ok(x) if x.is_finite() && x >= 0.0 => Ok(x as u128),
		_ => bail!("{text:?} is not an amount of winston"),
	}
}

/// Winston as AR (10^12 winston), for people.
pub fn ar(winston: u128) -> String {
	format!(
		"{}.{:012} AR",
		winston / 1_000_000_000_000,
		winston % 1_000_000_000_000
	)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_parse_as_gateways_print_them() {
		assert_eq!(parse_amount("65595508\n").unwrap(), 65_595_508);
		assert_eq!(parse_amount("\"12\"").unwrap(), 12);
		assert_eq!(
			parse_amount("1e+21").unwrap(),
			1_000_000_000_000_000_000_000
		);
		assert!(parse_amount("-1").is_err());
		assert!(parse_amount("lots").is_err());
		assert_eq!(ar(1_500_000_000_000), "1.500000000000 AR");
	}

	#[test]
	fn a_gateway_is_an_http_url() {
		let _ = rustls::crypto::ring::default_provider().install_default();
		let client = reqwest::Client::new();
		let t = Duration::from_secs(1);
		assert_eq!(
			Gateway::new("http://127.0.0.1:1984/", client.clone(), t)
				.unwrap()
				.url(),
			"http://127.0.0.1:1984"
		);
		assert!(Gateway::new("ar://x", client, t).is_err());
	}
}
