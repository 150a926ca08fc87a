//! `http(s)://`: any static server, or `owh serve`.

use super::{within_time, Backend, NotFound, StreamReader};
use anyhow::{anyhow, bail, Context, Result};
use futures_util::{StreamExt, TryStreamExt};
use std::{
	fs::{self},
	io::{self, Read},
	path::Path,
	time::Duration,
};
use tokio::runtime::Handle;

/// An HTTP(S) server with blobs at `<base>/<hex>`; uploads are `PUT` (as `owh serve
/// --writable` accepts).
pub struct HttpBackend {
	pub(super) base: String,
	pub(super) client: reqwest::Client,
	pub(super) runtime: Handle,
	pub(super) timeout: Duration,
	pub(super) upload_token: Option<String>,
}

impl HttpBackend {
	fn url(&self, name: &str) -> String {
		format!("{}/{name}", self.base)
	}

	/// The size of blob `name` from a `GET` of its first byte, for servers whose `HEAD` answers
	/// carry no length: the total of a `206`'s `Content-Range`, or a `200`'s length (its body
	/// is not read).
	pub(super) fn size_by_get(&self, name: &str) -> Result<Option<u64>> {
		let url = self.url(name);
		let request = self.client.get(&url).header("Range", "bytes=0-0");
		let response = self.send("GET", &url, request)?;
		let status = response.status();
		match status {
			reqwest::StatusCode::NOT_FOUND => Ok(None),
			// An empty blob has no first byte: `Content-Range: bytes */0`.
			reqwest::StatusCode::PARTIAL_CONTENT | reqwest::StatusCode::RANGE_NOT_SATISFIABLE => {
				let total = response
					.headers()
					.get(reqwest::header::CONTENT_RANGE)
					.and_then(|v| v.to_str().ok())
					.and_then(|v| v.rsplit_once('/'))
					.and_then(|(_, total)| total.parse().ok());
				Ok(total)
			}
			s if s.is_success() => Ok(response.content_length()),
			s => bail!("GET {url}: HTTP {s}"),
		}
	}

	/// Sends `request` within the timeout, naming `method` and `url` in its errors.
	fn send(
		&self,
		method: &str,
		url: &str,
		request: reqwest::RequestBuilder,
	) -> Result<reqwest::Response> {
		self.runtime
			.block_on(async { within_time(self.timeout, request.send()).await })
			.map_err(|_| self.silent(method, url))?
			.map_err(|e| self.request_error(method, url, e))
	}

	fn silent(&self, method: &str, url: &str) -> anyhow::Error {
		anyhow!(
			"{method} {url}: no response within {} s",
			self.timeout.as_secs()
		)
	}

	fn request_error(&self, method: &str, url: &str, e: reqwest::Error) -> anyhow::Error {
		if e.is_timeout() {
			self.silent(method, url)
		} else {
			anyhow::Error::new(e).context(format!("{method} {url}"))
		}
	}
}

impl Backend for HttpBackend {
	fn base(&self) -> &str {
		&self.base
	}

	fn open(&self, name: &str, start: u64, end: Option<u64>) -> Result<Box<dyn Read + Send>> {
		let url = self.url(name);
		let mut request = self.client.get(&url);
		if start > 0 || end.is_some() {
			let last = end
				.map(|e| e.saturating_sub(1).to_string())
				.unwrap_or_default();
			request = request.header("Range", format!("bytes={start}-{last}"));
		}
		let response = self.send("GET", &url, request)?;
		let status = response.status();
		if status == reqwest::StatusCode::NOT_FOUND {
			return Err(NotFound(url).into());
		}
		if !status.is_success() {
			bail!("GET {url}: HTTP {status}");
		}
		let partial = status == reqwest::StatusCode::PARTIAL_CONTENT;
		let stream = response.bytes_stream().map_err(io::Error::other).boxed();
		let mut reader: Box<dyn Read + Send> = Box::new(StreamReader::new(
			stream,
			&self.runtime,
			self.timeout,
			url.clone(),
		));
		if start > 0 && !partial {
			// The server ignored Range: skip what is not wanted.
			let skipped = io::copy(&mut (&mut reader).take(start), &mut io::sink())?;
			if skipped < start {
				bail!("{url} is shorter than {start} bytes");
			}
		}
		Ok(match end {
			Some(end) => Box::new(reader.take(end.saturating_sub(start))),
			None => reader,
		})
	}

	fn size(&self, name: &str) -> Result<Option<u64>> {
		let url = self.url(name);
		let response = self.send("HEAD", &url, self.client.head(&url))?;
		match response.status() {
			s if s == reqwest::StatusCode::NOT_FOUND => Ok(None),
			s if s.is_success() => Ok(response.content_length()),
			s => bail!("HEAD {url}: HTTP {s}"),
		}
	}

	fn put(&self, name: &str, src: &Path, on_bytes: &(dyn Fn(u64) + Sync)) -> Result<()> {
		let url = self.url(name);
		let len = fs::metadata(src)
			.with_context(|| format!("cannot read {}", src.display()))?
			.len();
		let file = self
			.runtime
			.block_on(tokio::fs::File::open(src))
			.with_context(|| format!("cannot read {}", src.display()))?;
		let body =
			reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(file, 1 << 20));
		let response = self
			.runtime
			.block_on(async {
				let mut request = self
					.client
					.put(&url)
					.header(reqwest::header::CONTENT_LENGTH, len);
				if let Some(token) = &self.upload_token {
					request = request.bearer_auth(token);
				}
				request.body(body).send().await
			})
			.with_context(|| format!("PUT {url}"))?;
		let status = response.status();
		if !status.is_success() {
			let body = self.runtime.block_on(response.text()).unwrap_or_default();
			let hint = if status == reqwest::StatusCode::UNAUTHORIZED {
				"set OWH_UPLOAD_TOKEN to the gateway's token"
			} else {
				"the server must accept uploads (owh serve --writable)"
			};
			bail!("PUT {url}: HTTP {status} {}; {hint}", body.trim());
		}
		on_bytes(len);
		Ok(())
	}
}
