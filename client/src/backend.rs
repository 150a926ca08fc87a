//! Storage backends behind one trait: local directories (`file://`, the embedded store),
//! `http(s)://` servers (any static server or `owh serve`) and S3-compatible object storage.
//!
//! A *mirror* is a base URI under which every blob is named by its SHA-256 in hex:
//! `<base>/<hex>` holds the bytes and `<base>/<hex>.leaves` the chunk leaves (32 bytes each).
//! A manifest records each artifact's full URIs; on-chain mirrors record only the base.
//!
//! Reads are blocking (`std::io::Read`) so that hashing stays on plain threads; the async
//! clients run on the command's tokio runtime through a [`Handle`]. Callers must not be on a
//! runtime thread (use `std::thread::scope` or `spawn_blocking`).

use crate::reach::{public_redirects, Origin, PublicOnly};
use anyhow::{anyhow, bail, Context, Result};
use bytes::Bytes;
use futures_util::{stream::BoxStream, StreamExt, TryStreamExt};
use object_store::{aws::AmazonS3Builder, path::Path as ObjectPath, GetOptions, GetRange};
use object_store::{ObjectStore, ObjectStoreExt};
use std::{
	collections::HashMap,
	fs::{self, File},
	io::{self, Read, Seek, SeekFrom},
	path::{Path, PathBuf},
	sync::{Arc, Mutex},
	time::Duration,
};
use tokio::{io::AsyncWriteExt, runtime::Handle};

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

/// Normalizes a mirror base given by a user: trims a trailing `/` and checks the scheme.
pub fn mirror_base(uri: &str) -> Result<String> {
	let base = uri.trim_end_matches('/');
	let supported = ["file:///", "http://", "https://", "s3://"];
	if !supported.iter().any(|s| base.starts_with(s)) || base.ends_with(':') {
		bail!("{uri:?} is not a mirror URI; use file:///<dir>, http(s)://<host>/<path> or s3://<bucket>[/<prefix>]");
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

/// How the backends behave on the network.
#[derive(Clone, Debug)]
pub struct NetOptions {
	/// Longest wait for a connection, a response or the next bytes of a body.
	pub timeout: Duration,
	/// Whether URIs read from the chain may reach loopback, private and link-local hosts.
	pub allow_private: bool,
	/// The bearer token sent with HTTP uploads (`owh serve --writable` requires one).
	pub upload_token: Option<String>,
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
	/// [`chain_uri_refusal`]: crate::reach::chain_uri_refusal
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
		} else {
			bail!("{base}: unsupported storage scheme; use file://, http(s):// or s3://");
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

/// rustls needs one process-wide crypto provider; ours is ring (already built for the node).
fn install_crypto_provider() {
	let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A directory of blobs (`file:///dir`; the store's `objects/sha256`).
pub struct FileBackend {
	base: String,
	dir: PathBuf,
}

impl FileBackend {
	pub fn new(dir: PathBuf) -> Self {
		Self {
			base: format!("file://{}", dir.display()),
			dir,
		}
	}
	fn path(&self, name: &str) -> Result<PathBuf> {
		if name.contains('/') || name.starts_with('.') {
			bail!("{name:?} is not a blob name");
		}
		Ok(self.dir.join(name))
	}
}

impl Backend for FileBackend {
	fn base(&self) -> &str {
		&self.base
	}

	fn open(&self, name: &str, start: u64, end: Option<u64>) -> Result<Box<dyn Read + Send>> {
		let path = self.path(name)?;
		let mut file = match File::open(&path) {
			Err(e) if e.kind() == io::ErrorKind::NotFound => {
				return Err(NotFound(path.display().to_string()).into())
			}
			other => other.with_context(|| format!("cannot open {}", path.display()))?,
		};
		file.seek(SeekFrom::Start(start))?;
		Ok(match end {
			Some(end) => Box::new(file.take(end.saturating_sub(start))),
			None => Box::new(file),
		})
	}

	fn size(&self, name: &str) -> Result<Option<u64>> {
		match fs::metadata(self.path(name)?) {
			Ok(m) => Ok(Some(m.len())),
			Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
			Err(e) => Err(e).with_context(|| format!("cannot inspect {}/{name}", self.base)),
		}
	}

	fn put(&self, name: &str, src: &Path, on_bytes: &(dyn Fn(u64) + Sync)) -> Result<()> {
		let target = self.path(name)?;
		fs::create_dir_all(&self.dir)
			.with_context(|| format!("cannot create {}", self.dir.display()))?;
		let tmp = tempfile::NamedTempFile::new_in(&self.dir)
			.with_context(|| format!("cannot write into {}", self.dir.display()))?;
		let copied = fs::copy(src, tmp.path())
			.with_context(|| format!("cannot copy {} to {}", src.display(), self.base))?;
		tmp.as_file().sync_all()?;
		tmp.persist(&target)
			.with_context(|| format!("cannot store {}", target.display()))?;
		on_bytes(copied);
		Ok(())
	}
}

/// Turns an async byte stream into a blocking reader that gives up after `timeout` without
/// data.
struct StreamReader {
	stream: BoxStream<'static, io::Result<Bytes>>,
	current: Bytes,
	runtime: Handle,
	timeout: Duration,
	what: String,
}

impl Read for StreamReader {
	fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
		while self.current.is_empty() {
			let next = self
				.runtime
				.block_on(within_time(self.timeout, self.stream.next()));
			match next {
				Err(_) => {
					return Err(io::Error::new(
						io::ErrorKind::TimedOut,
						format!(
							"{} sent nothing for {} s",
							self.what,
							self.timeout.as_secs()
						),
					))
				}
				Ok(None) => return Ok(0),
				Ok(Some(Err(e))) => return Err(e),
				Ok(Some(Ok(bytes))) => self.current = bytes,
			}
		}
		let n = buf.len().min(self.current.len());
		buf[..n].copy_from_slice(&self.current.split_to(n));
		Ok(n)
	}
}

/// An HTTP(S) server with blobs at `<base>/<hex>`; uploads are `PUT` (as `owh serve
/// --writable` accepts).
pub struct HttpBackend {
	base: String,
	client: reqwest::Client,
	runtime: Handle,
	timeout: Duration,
	upload_token: Option<String>,
}

impl HttpBackend {
	fn url(&self, name: &str) -> String {
		format!("{}/{name}", self.base)
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
		let response = self
			.runtime
			.block_on(async { within_time(self.timeout, request.send()).await })
			.map_err(|_| self.silent("GET", &url))?
			.map_err(|e| self.request_error("GET", &url, e))?;
		let status = response.status();
		if status == reqwest::StatusCode::NOT_FOUND {
			return Err(NotFound(url).into());
		}
		if !status.is_success() {
			bail!("GET {url}: HTTP {status}");
		}
		let partial = status == reqwest::StatusCode::PARTIAL_CONTENT;
		let stream = response.bytes_stream().map_err(io::Error::other).boxed();
		let mut reader: Box<dyn Read + Send> = Box::new(StreamReader {
			stream,
			current: Bytes::new(),
			runtime: self.runtime.clone(),
			timeout: self.timeout,
			what: url.clone(),
		});
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
		let response = self
			.runtime
			.block_on(async { within_time(self.timeout, self.client.head(&url).send()).await })
			.map_err(|_| self.silent("HEAD", &url))?
			.map_err(|e| self.request_error("HEAD", &url, e))?;
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

/// An S3-compatible bucket, `s3://<bucket>[/<prefix>]`. Credentials, region and endpoint come
/// from the usual `AWS_*` environment variables (`AWS_ENDPOINT_URL` for non-AWS servers).
pub struct S3Backend {
	base: String,
	prefix: String,
	store: Arc<dyn ObjectStore>,
	runtime: Handle,
	timeout: Duration,
}

impl S3Backend {
	fn new(base: &str, rest: &str, runtime: &Handle, options: &NetOptions) -> Result<Self> {
		let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
		if bucket.is_empty() {
			bail!("{base}: the bucket name is missing (s3://<bucket>[/<prefix>])");
		}
		let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
		let endpoint = std::env::var("AWS_ENDPOINT_URL")
			.or_else(|_| std::env::var("AWS_ENDPOINT"))
			.ok();
		if std::env::var("AWS_REGION").is_err() && std::env::var("AWS_DEFAULT_REGION").is_err() {
			builder = builder.with_region("us-east-1");
		}
		if let Some(endpoint) = endpoint.filter(|e| e.starts_with("http://")) {
			builder = builder.with_allow_http(true).with_endpoint(endpoint);
		}
		let client = object_store::ClientOptions::new()
			.with_connect_timeout(options.timeout)
			.with_allow_http(true);
		let store = builder
			.with_client_options(client)
			.build()
			.with_context(|| format!("{base}: cannot configure S3 (set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for a non-AWS server, AWS_ENDPOINT_URL)"))?;
		Ok(Self {
			base: base.to_string(),
			prefix: prefix.trim_matches('/').to_string(),
			store: Arc::new(store),
			runtime: runtime.clone(),
			timeout: options.timeout,
		})
	}

	fn key(&self, name: &str) -> ObjectPath {
		if self.prefix.is_empty() {
			ObjectPath::from(name)
		} else {
			ObjectPath::from(format!("{}/{name}", self.prefix))
		}
	}

	fn within<T>(&self, what: &str, fut: impl std::future::Future<Output = T>) -> Result<T> {
		self.runtime
			.block_on(within_time(self.timeout, fut))
			.map_err(|_| anyhow!("{what}: no response within {} s", self.timeout.as_secs()))
	}
}

impl Backend for S3Backend {
	fn base(&self) -> &str {
		&self.base
	}

	fn open(&self, name: &str, start: u64, end: Option<u64>) -> Result<Box<dyn Read + Send>> {
		let uri = format!("{}/{name}", self.base);
		let range = match end {
			Some(end) if end > start => Some(GetRange::Bounded(start..end)),
			Some(_) => return Ok(Box::new(io::empty())),
			None if start > 0 => Some(GetRange::Offset(start)),
			None => None,
		};
		let options = GetOptions {
			range,
			..Default::default()
		};
		let key = self.key(name);
		let result = match self.within(&uri, self.store.get_opts(&key, options))? {
			Err(object_store::Error::NotFound { .. }) => return Err(NotFound(uri).into()),
			other => other.with_context(|| format!("GET {uri}"))?,
		};
		let stream = result.into_stream().map_err(io::Error::other).boxed();
		Ok(Box::new(StreamReader {
			stream,
			current: Bytes::new(),
			runtime: self.runtime.clone(),
			timeout: self.timeout,
			what: uri,
		}))
	}

	fn size(&self, name: &str) -> Result<Option<u64>> {
		let uri = format!("{}/{name}", self.base);
		match self.within(&uri, self.store.head(&self.key(name)))? {
			Ok(meta) => Ok(Some(meta.size)),
			Err(object_store::Error::NotFound { .. }) => Ok(None),
			Err(e) => Err(e).with_context(|| format!("HEAD {uri}")),
		}
	}

	fn put(&self, name: &str, src: &Path, on_bytes: &(dyn Fn(u64) + Sync)) -> Result<()> {
		let uri = format!("{}/{name}", self.base);
		let mut file = File::open(src).with_context(|| format!("cannot read {}", src.display()))?;
		let mut writer = object_store::buffered::BufWriter::with_capacity(
			self.store.clone(),
			self.key(name),
			UPLOAD_PART,
		);
		let mut buf = vec![0u8; UPLOAD_PART];
		loop {
			let n = crate::hashing::fill(&mut file, &mut buf)?;
			if n == 0 {
				break;
			}
			self.runtime
				.block_on(writer.write_all(&buf[..n]))
				.with_context(|| format!("PUT {uri}"))?;
			on_bytes(n as u64);
		}
		self.runtime
			.block_on(writer.shutdown())
			.with_context(|| format!("PUT {uri}"))?;
		Ok(())
	}
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
	fn file_backend_reads_ranges_and_reports_absence() {
		let dir = tempfile::tempdir().unwrap();
		let backend = FileBackend::new(dir.path().to_path_buf());
		fs::write(dir.path().join("blob"), b"0123456789").unwrap();
		let mut text = String::new();
		backend
			.open("blob", 2, Some(5))
			.unwrap()
			.read_to_string(&mut text)
			.unwrap();
		assert_eq!(text, "234");
		assert_eq!(backend.size("blob").unwrap(), Some(10));
		assert_eq!(backend.size("other").unwrap(), None);
		let err = backend.open("other", 0, None).err().unwrap();
		assert!(is_not_found(&err));
		let src = dir.path().join("src");
		fs::write(&src, b"abc").unwrap();
		let out = tempfile::tempdir().unwrap();
		let target = FileBackend::new(out.path().join("m"));
		target.put("x", &src, &|_| {}).unwrap();
		assert_eq!(fs::read(out.path().join("m/x")).unwrap(), b"abc");
		assert!(backend.open("../etc", 0, None).is_err());
	}
}
