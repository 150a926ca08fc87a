//! Moving artifacts: storage backends behind one trait: local directories (`file://`, the embedded store),
//! `http(s)://` servers (any static server or `owh serve`), S3-compatible object storage and
//! Arweave (`ar://`, through a gateway).
//!
//! A *mirror* is a base URI under which every blob is named by its SHA-256 in hex:
//! `<base>/<hex>` holds the bytes and `<base>/<hex>.leaves` the chunk leaves (32 bytes each).
//! A manifest records each artifact's full URIs; on-chain mirrors record only the base.
//!
//! Reads are blocking (`std::io::Read`) so that hashing stays on plain threads; the async
//! clients run on the command's tokio runtime through a [`Handle`]. Callers must not be on a
//! runtime thread (use `std::thread::scope` or `spawn_blocking`).
//!
//! One file per backend ([`file`], [`http`], [`s3`]); [`fetch`] downloads artifacts with
//! every chunk checked, [`reuse`] finds bytes already on disk, [`partial`] keeps interrupted
//! downloads, [`upload`] stores a version's artifacts, [`reach`] guards URIs read from the chain.

pub mod arweave;
pub mod fetch;
pub mod file;
pub mod http;
pub mod locate;
pub mod partial;
pub mod reach;
pub mod reuse;
pub mod s3;
pub mod upload;

pub use fetch::{chunk_range, install_artifact, FileOptions, Outcome, Supplied};
pub use file::FileBackend;
pub use http::HttpBackend;
pub use locate::{expected_leaves, locations, Located};
pub use partial::{free_space, partial_path, target_path};
pub use reuse::{matches, ChunkIndex};
pub use s3::S3Backend;

use anyhow::{bail, Context, Result};
use bytes::Bytes;
use futures_util::{stream::BoxStream, StreamExt};
use reach::{public_redirects, Origin, PublicOnly};
use std::{
	collections::HashMap,
	io::{self, Read},
	path::{Path, PathBuf},
	sync::{Arc, Mutex},
	time::Duration,
};
use tokio::runtime::Handle;

/// Largest `.leaves` sidecar read (covers 16 GiB at 4 KiB chunks, 16 TiB at 1 MiB).
pub const MAX_LEAVES_LEN: u64 = 128 << 20;
/// Bytes per upload request/part.
const UPLOAD_PART: usize = 16 << 20;

/// The object is absent from this backend (HTTP 404, no such key, no such file).
#[derive(Debug, thiserror::Error)]
#[error("{0} does not exist")]
pub struct NotFound(pub String);

/// One place blobs are stored.
pub trait Backend: Send + Sync {
	/// The base URI, e.g. `s3://bucket/models`.
	fn base(&self) -> &str;
	/// Reads blob `name` from byte `start`, up to `end` (exclusive) or its end.
	fn open(&self, name: &str, start: u64, end: Option<u64>) -> Result<Box<dyn Read + Send>>;
	/// The size of blob `name`, or `None` when it is absent.
	fn size(&self, name: &str) -> Result<Option<u64>>;
	/// Uploads the local file `src` as blob `name`.
	fn put(&self, name: &str, src: &Path, on_bytes: &(dyn Fn(u64) + Sync)) -> Result<()>;

	/// The whole (small) blob `name`, or `None` when it is absent or unreadable.
	fn get_small(&self, name: &str) -> Option<Vec<u8>> {
		let mut data = Vec::new();
		self.open(name, 0, None)
			.ok()?
			.take(MAX_LEAVES_LEN + 1)
			.read_to_end(&mut data)
			.ok()?;
		(data.len() as u64 <= MAX_LEAVES_LEN).then_some(data)
	}
}

/// A blob at one backend.
#[derive(Clone)]
pub struct Location {
	pub backend: Arc<dyn Backend>,
	pub name: String,
}

impl Location {
	/// The full URI, as a manifest records it.
	pub fn uri(&self) -> String {
		format!("{}/{}", self.backend.base(), self.name)
	}
	pub fn open(&self, start: u64, end: Option<u64>) -> Result<Box<dyn Read + Send>> {
		self.backend.open(&self.name, start, end)
	}
	/// The chunk leaves stored beside the blob, if any.
	pub fn leaves(&self) -> Option<Vec<u8>> {
		self.backend.get_small(&format!("{}.leaves", self.name))
	}
}

/// Splits a full blob URI into its base and blob name.
pub fn split_uri(uri: &str) -> Option<(&str, &str)> {
	let (base, name) = uri.rsplit_once('/')?;
	(base.contains("://") && !name.is_empty() && !base.ends_with("://")).then_some((base, name))
}

/// The mirror `owh mirror add` and `owh publish --mirror` take for "a new upload to Arweave";
/// what is recorded is `ar://<path manifest id>`.
pub const NEW_ARWEAVE_MIRROR: &str = "ar://";

/// Normalizes a mirror base given by a user: trims a trailing `/` and checks the scheme. A
/// bare `ar://` comes back as [`NEW_ARWEAVE_MIRROR`]; only uploads accept it.
pub fn mirror_base(uri: &str) -> Result<String> {
	let base = uri.trim_end_matches('/');
	if base == "ar:" {
		return Ok(NEW_ARWEAVE_MIRROR.to_string());
	}
	if let Some(id) = base.strip_prefix("ar://") {
		if !arweave::is_tx_id(id) {
			bail!("{uri:?} is not an Arweave mirror; use ar://<path manifest id> (43 base64url characters), or ar:// alone to upload");
		}
		return Ok(base.to_string());
	}
	let supported = ["file:///", "http://", "https://", "s3://"];
	if !supported.iter().any(|s| base.starts_with(s)) || base.ends_with(':') {
		bail!("{uri:?} is not a mirror URI; use file:///<dir>, http(s)://<host>/<path>, s3://<bucket>[/<prefix>] or ar://<id>");
	}
	if !base.bytes().all(|b| b.is_ascii_graphic()) {
		bail!("mirror URI {uri:?} must be printable ASCII without spaces");
	}
	if base.len() + 72 > owh_primitives::MAX_URI_LEN as usize {
		bail!(
			"mirror URI {uri:?} is too long: with the 64-digit blob name and .leaves a URI must fit in {} bytes",
			owh_primitives::MAX_URI_LEN
		);
	}
	Ok(base.to_string())
}

/// A mirror base to read from (`--from`): as [`mirror_base`], but a bare `ar://` names nothing
/// to read.
pub fn read_base(uri: &str) -> Result<String> {
	let base = mirror_base(uri)?;
	if base == NEW_ARWEAVE_MIRROR {
		bail!("ar:// alone means a new upload; to read from Arweave name the path manifest: ar://<id>");
	}
	Ok(base)
}

/// How the backends behave on the network.
#[derive(Clone, Debug)]
pub struct NetOptions {
	/// Longest wait for a connection, a response or the next bytes of a body.
	pub timeout: Duration,
	/// Whether URIs read from the chain may reach loopback, private and link-local hosts.
	pub allow_private: bool,
	/// The bearer token sent with HTTP uploads (`owh serve --writable` requires one).
	pub upload_token: Option<String>,
	/// The Arweave gateway `ar://` URIs are read through.
	pub arweave_gateway: String,
}

/// Opens backends by base URI and shares them (and their connection pools).
pub struct Backends {
	runtime: Handle,
	options: NetOptions,
	http: reqwest::Client,
	/// For URIs read from the chain: resolves and redirects to public addresses only.
	http_chain: reqwest::Client,
	open: Mutex<HashMap<(Origin, String), Arc<dyn Backend>>>,
}

impl Backends {
	/// Must be called on the tokio runtime that will drive the network clients.
	pub fn new(options: NetOptions) -> Result<Self> {
		install_crypto_provider();
		let builder = || {
			reqwest::Client::builder()
				.connect_timeout(options.timeout)
				.read_timeout(options.timeout)
				.user_agent(concat!("owh/", env!("CARGO_PKG_VERSION")))
		};
		let http = builder().build().context("cannot set up the HTTP client")?;
		let http_chain = if options.allow_private {
			http.clone()
		} else {
			builder()
				.dns_resolver(Arc::new(PublicOnly))
				.redirect(public_redirects())
				.build()
				.context("cannot set up the HTTP client")?
		};
		Ok(Self {
			runtime: Handle::current(),
			options,
			http,
			http_chain,
			open: Mutex::new(HashMap::new()),
		})
	}

	/// The shared HTTP client (timeouts and user agent set), for one-off downloads.
	pub fn http(&self) -> &reqwest::Client {
		&self.http
	}

	/// Whether URIs read from the chain may reach local and private hosts.
	pub fn allow_private(&self) -> bool {
		self.options.allow_private
	}

	/// The backend for a base URI the user named.
	pub fn get(&self, base: &str) -> Result<Arc<dyn Backend>> {
		self.get_from(base, Origin::User)
	}

	/// The backend for a base URI from `origin`; HTTP for chain URIs reaches public hosts only
	/// (the caller checks literal hosts and `file://` paths with [`chain_uri_refusal`]).
	///
	/// [`chain_uri_refusal`]: crate::transfer::reach::chain_uri_refusal
	pub fn get_from(&self, base: &str, origin: Origin) -> Result<Arc<dyn Backend>> {
		let mut open = self.open.lock().expect("not poisoned");
		if let Some(b) = open.get(&(origin, base.to_string())) {
			return Ok(b.clone());
		}
		let backend: Arc<dyn Backend> = if let Some(dir) = base.strip_prefix("file://") {
			if !dir.starts_with('/') {
				bail!("{base}: file:// URIs need an absolute path (file:///dir)");
			}
			Arc::new(FileBackend::new(PathBuf::from(dir)))
		} else if base.starts_with("http://") || base.starts_with("https://") {
			Arc::new(HttpBackend {
				base: base.to_string(),
				client: match origin {
					Origin::User => self.http.clone(),
					Origin::Chain => self.http_chain.clone(),
				},
				runtime: self.runtime.clone(),
				timeout: self.options.timeout,
				upload_token: self.options.upload_token.clone(),
			})
		} else if let Some(rest) = base.strip_prefix("s3://") {
			Arc::new(S3Backend::new(base, rest, &self.runtime, &self.options)?)
		} else if let Some(id) = base.strip_prefix("ar://") {
			// The gateway is the user's choice, so it is read like a mirror they named.
			Arc::new(arweave::ArweaveBackend::new(
				base,
				HttpBackend {
					base: format!(
						"{}/{id}",
						self.options.arweave_gateway.trim_end_matches('/')
					),
					client: self.http.clone(),
					runtime: self.runtime.clone(),
					timeout: self.options.timeout,
					upload_token: None,
				},
			)?)
		} else {
			bail!("{base}: unsupported storage scheme; use file://, http(s)://, s3:// or ar://");
		};
		open.insert((origin, base.to_string()), backend.clone());
		Ok(backend)
	}

	/// The location of a full blob URI from `origin`, or `None` for URIs this client cannot
	/// read.
	pub fn locate(&self, uri: &str, origin: Origin) -> Option<Location> {
		let (base, name) = split_uri(uri)?;
		let backend = self.get_from(base, origin).ok()?;
		Some(Location {
			backend,
			name: name.to_string(),
		})
	}
}

/// Bytes a body's frames are gathered into before they cross to the reading thread.
const BATCH_BYTES: usize = 1 << 20;
/// Batches in flight per body: the network runs this far ahead of the reader.
const BATCHES_AHEAD: usize = 8;

/// A body read on a plain thread. A task on the runtime receives the frames, gathers them
/// into batches of about [`BATCH_BYTES`] (without copying) and queues up to [`BATCHES_AHEAD`]
/// of them, so receiving overlaps the reader's hashing and writing and the reader waits on a
/// queue, not on a `block_on` per frame. The task gives up after `timeout` without data, and
/// stops when the reader is dropped.
struct StreamReader {
	/// Batches, then `Ok(None)` at the end of the body (a channel closed without it means the
	/// task died, which is an error, not an end).
	batches: tokio::sync::mpsc::Receiver<io::Result<Option<Vec<Bytes>>>>,
	batch: std::collections::VecDeque<Bytes>,
	done: bool,
}

impl StreamReader {
	fn new(
		mut stream: BoxStream<'static, io::Result<Bytes>>,
		runtime: &Handle,
		timeout: Duration,
		what: String,
	) -> Self {
		let (sender, batches) = tokio::sync::mpsc::channel(BATCHES_AHEAD);
		runtime.spawn(async move {
			let mut batch = Vec::new();
			let mut gathered = 0;
			loop {
				let next = match within_time(timeout, stream.next()).await {
					Err(_) => Some(Err(io::Error::new(
						io::ErrorKind::TimedOut,
						format!("{what} sent nothing for {} s", timeout.as_secs()),
					))),
					Ok(next) => next,
				};
				match next {
					Some(Ok(bytes)) => {
						gathered += bytes.len();
						batch.push(bytes);
						if gathered < BATCH_BYTES {
							continue;
						}
					}
					end => {
						// What arrived before the end or the error is delivered first.
						if !batch.is_empty() && sender.send(Ok(Some(batch))).await.is_err() {
							return;
						}
						let _ = sender
							.send(match end {
								Some(Err(e)) => Err(e),
								_ => Ok(None),
							})
							.await;
						return;
					}
				}
				if sender
					.send(Ok(Some(std::mem::take(&mut batch))))
					.await
					.is_err()
				{
					return;
				}
				gathered = 0;
			}
		});
		Self {
			batches,
			batch: Default::default(),
			done: false,
		}
	}
}

impl Read for StreamReader {
	fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
		if buf.is_empty() {
			return Ok(0);
		}
		loop {
			if let Some(front) = self.batch.front_mut() {
				let n = buf.len().min(front.len());
				buf[..n].copy_from_slice(&front.split_to(n));
				if front.is_empty() {
					self.batch.pop_front();
				}
				if n > 0 {
					return Ok(n);
				}
				continue;
			}
			if self.done {
				return Ok(0);
			}
			match self.batches.blocking_recv() {
				Some(Ok(Some(batch))) => self.batch.extend(batch),
				Some(Ok(None)) => self.done = true,
				Some(Err(e)) => {
					self.done = true;
					return Err(e);
				}
				None => {
					self.done = true;
					return Err(io::Error::other(
						"the download task stopped before the end of the body",
					));
				}
			}
		}
	}
}

/// rustls needs one process-wide crypto provider; ours is ring (already built for the node).
fn install_crypto_provider() {
	let _ = rustls::crypto::ring::default_provider().install_default();
}

/// `fut` with a deadline. The timer is created inside the runtime (`block_on` enters it), so
/// this works from plain threads.
async fn within_time<F: std::future::Future>(
	limit: Duration,
	fut: F,
) -> Result<F::Output, tokio::time::error::Elapsed> {
	tokio::time::timeout(limit, fut).await
}

/// Whether an error chain says the object is absent.
pub fn is_not_found(error: &anyhow::Error) -> bool {
	error.chain().any(|e| e.is::<NotFound>())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn uris_split_into_base_and_name() {
		assert_eq!(
			split_uri("s3://bucket/models/abcd"),
			Some(("s3://bucket/models", "abcd"))
		);
		assert_eq!(split_uri("file:///a/b"), Some(("file:///a", "b")));
		assert_eq!(split_uri("s3://bucket"), None);
		assert_eq!(split_uri("https://host/"), None);
		assert_eq!(split_uri("no-scheme/x"), None);
	}

	#[test]
	fn mirror_bases_are_checked() {
		assert_eq!(mirror_base("s3://b/p/").unwrap(), "s3://b/p");
		assert!(mirror_base("ftp://x/y").is_err());
		assert!(mirror_base("file://relative").is_err());
		assert!(mirror_base("https://with space/x").is_err());
		assert!(mirror_base(&format!("https://h/{}", "a".repeat(200))).is_err());
	}

	#[test]
	fn bodies_arrive_whole_in_order_then_end_or_fail() {
		use futures_util::stream;
		let rt = tokio::runtime::Runtime::new().unwrap();
		let frames: Vec<io::Result<Bytes>> = (0..3000u32)
			.map(|i| Ok(Bytes::from(vec![(i % 251) as u8; 1000 + (i as usize % 7)])))
			.collect();
		let expected: Vec<u8> = frames
			.iter()
			.flat_map(|f| f.as_ref().unwrap().to_vec())
			.collect();
		let body = stream::iter(frames).boxed();
		let mut reader = StreamReader::new(body, rt.handle(), Duration::from_secs(5), "t".into());
		let mut got = Vec::new();
		reader.read_to_end(&mut got).unwrap();
		assert_eq!(got, expected);

		// The bytes before a failure are delivered, then the failure.
		let failing = stream::iter(vec![
			Ok(Bytes::from_static(b"abc")),
			Err(io::Error::other("connection reset")),
		])
		.boxed();
		let mut reader =
			StreamReader::new(failing, rt.handle(), Duration::from_secs(5), "t".into());
		let mut buf = [0u8; 8];
		assert_eq!(reader.read(&mut buf).unwrap(), 3);
		assert_eq!(
			reader.read(&mut buf).unwrap_err().to_string(),
			"connection reset"
		);

		// A receiving task that dies is an error, not a short body.
		let dying = stream::iter(vec![Ok(Bytes::from_static(b"abc"))])
			.chain(stream::poll_fn(
				|_| -> std::task::Poll<Option<io::Result<Bytes>>> {
					panic!("the receiving task dies")
				},
			))
			.boxed();
		let mut reader = StreamReader::new(dying, rt.handle(), Duration::from_secs(5), "t".into());
		let mut got = Vec::new();
		let err = reader.read_to_end(&mut got).unwrap_err();
		assert!(err.to_string().contains("stopped before the end"), "{err}");
		assert_eq!(reader.read(&mut []).unwrap(), 0);

		// A body that stalls fails after the timeout, naming what went silent.
		let stalled = stream::pending().boxed();
		let mut reader = StreamReader::new(
			stalled,
			rt.handle(),
			Duration::from_millis(200),
			"GET x".into(),
		);
		let err = reader.read(&mut buf).unwrap_err();
		assert_eq!(err.kind(), io::ErrorKind::TimedOut);
		assert!(err.to_string().starts_with("GET x sent nothing"), "{err}");
	}
}
