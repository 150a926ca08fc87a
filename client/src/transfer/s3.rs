//! `s3://`: S3-compatible object storage.

use super::{within_time, Backend, NetOptions, NotFound, StreamReader, UPLOAD_PART};
use anyhow::{anyhow, bail, Context, Result};
use futures_util::{StreamExt, TryStreamExt};
use object_store::{aws::AmazonS3Builder, path::Path as ObjectPath, GetOptions, GetRange};
use object_store::{ObjectStore, ObjectStoreExt};
use std::{
	fs::File,
	io::{self, Read},
	path::Path,
	sync::Arc,
	time::Duration,
};
use tokio::{io::AsyncWriteExt, runtime::Handle};

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
	pub(super) fn new(
		base: &str,
		rest: &str,
		runtime: &Handle,
		options: &NetOptions,
	) -> Result<Self> {
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
		Ok(Box::new(StreamReader::new(
			stream,
			&self.runtime,
			self.timeout,
			uri,
		)))
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
			let n = crate::integrity::hashing::fill(&mut file, &mut buf)?;
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
