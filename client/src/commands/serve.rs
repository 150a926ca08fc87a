//! `owh serve`: an HTTP gateway over a local store, usable as a mirror by other clients.
//!
//! ```text
//! GET|HEAD /v1/blobs/<sha256 hex>            the blob (Range, Content-Length, ETag)
//! GET|HEAD /v1/blobs/<sha256 hex>.leaves     its chunk leaves
//! PUT      /v1/blobs/<sha256 hex>[.leaves]   upload (only with --writable and the bearer token)
//! GET      /v1/versions/<id>/manifest        the manifest as JSON (from the store or the chain)
//! GET      /v1/health                        "ok"
//! ```
//!
//! Limits: uploads need `Authorization: Bearer <token>`; bodies are at most `--max-upload`
//! bytes; at most `--max-connections` connections are served at once; a client that takes
//! longer than `--client-timeout` to send its headers or the next bytes of a body, or to take
//! the next bytes of a response, is dropped. Uploads are hashed and written on blocking
//! threads. A blob is stored only if it hashes to its name, a chunk list only if it is the
//! chunk list of the stored blob.

use crate::{chain::Chain, context::Context, store::LocalStore, view};
use anyhow::{bail, Context as _, Result};
use bytes::Bytes;
use clap::Args;
use http_body_util::{combinators::UnsyncBoxBody, BodyExt, Full};
use hyper::{body::Incoming, header, Method, Request, Response, StatusCode};
use owh_primitives::{
	merkle::{self, LeafRule},
	Manifest, VersionId,
};
use sha2::{Digest, Sha256};
use std::{
	collections::HashMap,
	io::Write,
	net::SocketAddr,
	path::PathBuf,
	sync::Arc,
	time::{Duration, Instant},
};
use tokio::sync::{Mutex, Semaphore};
use tower_service::Service;

type Body = UnsyncBoxBody<Bytes, std::io::Error>;

/// Bytes read from a blob per body frame when serving it.
const SERVE_READ_BYTES: usize = 1 << 20;

#[derive(Args, Debug)]
pub struct ServeArgs {
	/// Address to listen on. Loopback by default; `0.0.0.0:<port>` serves other machines.
	#[arg(long, default_value = "127.0.0.1:7070")]
	pub addr: SocketAddr,
	/// Accept uploads (`PUT /v1/blobs/<sha256>`) from clients presenting the bearer token
	/// (`--token-file`, or the environment variable OWH_SERVE_TOKEN). A blob is stored only if
	/// its bytes hash to its name.
	#[arg(long)]
	pub writable: bool,
	/// A file whose first line is the bearer token uploads must present.
	#[arg(long, requires = "writable")]
	pub token_file: Option<PathBuf>,
	/// The largest upload accepted, in bytes.
	#[arg(long, default_value_t = 64 << 30, value_parser = clap::value_parser!(u64).range(1..))]
	pub max_upload: u64,
	/// Connections served at once; more wait in the listen queue.
	#[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=65536))]
	pub max_connections: u32,
	/// Seconds a client may take to send its request headers, the next bytes of a body, or to
	/// take the next bytes of a response, before it is dropped.
	#[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
	pub client_timeout: u64,
}

/// Largest request head (request line and headers).
const MAX_HEAD_BYTES: usize = 64 << 10;
/// Most request headers.
const MAX_HEADERS: usize = 64;
/// How long a failed manifest look-up is remembered before the chain is asked again.
const MISS_TTL: Duration = Duration::from_secs(30);

struct State {
	store: LocalStore,
	writable: bool,
	token: Option<Vec<u8>>,
	max_upload: u64,
	client_timeout: Duration,
	url: String,
	/// One chain connection for every manifest look-up, opened on first use and replaced
	/// after it fails.
	chain: Mutex<Option<Arc<Chain>>>,
	/// Manifests looked up on the chain: found (kept), or missing (until [`MISS_TTL`]).
	looked_up: Mutex<HashMap<VersionId, (Option<Manifest>, Instant)>>,
}

/// The upload token: `--token-file`'s first line, else OWH_SERVE_TOKEN. Required to write.
fn upload_token(args: &ServeArgs) -> Result<Option<Vec<u8>>> {
	if !args.writable {
		return Ok(None);
	}
	let token = match &args.token_file {
		Some(path) => std::fs::read_to_string(path)
			.with_context(|| format!("cannot read the token file {}", path.display()))?
			.lines()
			.next()
			.unwrap_or_default()
			.trim()
			.to_string(),
		None => std::env::var("OWH_SERVE_TOKEN").unwrap_or_default(),
	};
	if token.len() < 16 {
		bail!(
			"--writable needs a bearer token of at least 16 characters, from --token-file <file> or OWH_SERVE_TOKEN (e.g. `openssl rand -hex 32 > token`); uploaders set OWH_UPLOAD_TOKEN to it"
		);
	}
	Ok(Some(token.into_bytes()))
}

pub async fn run(ctx: &Context, args: &ServeArgs, out: &mut dyn Write) -> Result<()> {
	let token = upload_token(args)?;
	crate::transfer::reach::check_rpc_url(&ctx.url, ctx.insecure_rpc)?;
	let store = ctx.open_store()?;
	let listener = tokio::net::TcpListener::bind(args.addr)
		.await
		.with_context(|| {
			format!(
				"cannot listen on {}; is another server using it? pass --addr",
				args.addr
			)
		})?;
	let addr = listener.local_addr()?;
	let base = format!("http://{addr}/v1/blobs");
	if ctx.json {
		super::print_json(
			out,
			&serde_json::json!({ "listening": addr.to_string(), "mirror": base, "store": store.root(), "writable": args.writable }),
		)?;
	} else {
		writeln!(
			out,
			"serving {} on http://{addr} (mirror URI {base}{}); Ctrl-C stops",
			store.root().display(),
			if args.writable {
				", uploads accepted"
			} else {
				""
			}
		)?;
	}
	out.flush()?;
	let state = Arc::new(State {
		store,
		writable: args.writable,
		token,
		max_upload: args.max_upload,
		client_timeout: Duration::from_secs(args.client_timeout),
		url: ctx.url.clone(),
		chain: Mutex::new(None),
		looked_up: Mutex::new(HashMap::new()),
	});
	let slots = Arc::new(Semaphore::new(args.max_connections as usize));
	let shutdown = tokio::signal::ctrl_c();
	tokio::pin!(shutdown);
	loop {
		let slot = tokio::select! {
			slot = slots.clone().acquire_owned() => slot.expect("never closed"),
			_ = &mut shutdown => break,
		};
		let accepted = tokio::select! {
			accepted = listener.accept() => accepted,
			_ = &mut shutdown => break,
		};
		let Ok((stream, _)) = accepted else { continue };
		let state = state.clone();
		tokio::spawn(async move {
			let _slot = slot;
			let timeout = state.client_timeout;
			let service = hyper::service::service_fn(move |req| handle(state.clone(), req));
			let io = hyper_util::rt::TokioIo::new(crate::idle::Idle::new(stream, timeout));
			let _ = hyper::server::conn::http1::Builder::new()
				.timer(hyper_util::rt::TokioTimer::new())
				.header_read_timeout(timeout)
				.max_buf_size(MAX_HEAD_BYTES)
				.max_headers(MAX_HEADERS)
				.serve_connection(io, service)
				.await;
		});
	}
	Ok(())
}

fn full(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
	let mut response = Response::new(
		Full::new(body.into())
			.map_err(|e| match e {})
			.boxed_unsync(),
	);
	*response.status_mut() = status;
	response.headers_mut().insert(
		header::CONTENT_TYPE,
		header::HeaderValue::from_str(content_type).expect("valid content type"),
	);
	response
}

fn error(status: StatusCode, message: &str) -> Response<Body> {
	full(
		status,
		"application/json",
		serde_json::json!({ "error": message }).to_string(),
	)
}

async fn handle(
	state: Arc<State>,
	req: Request<Incoming>,
) -> Result<Response<Body>, std::convert::Infallible> {
	let path = req.uri().path().to_string();
	let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
	Ok(match (req.method(), parts.as_slice()) {
		(&Method::GET, ["v1", "health"]) => full(StatusCode::OK, "text/plain", "ok"),
		(&Method::GET | &Method::HEAD, ["v1", "blobs", name]) => get_blob(&state, name, req).await,
		(&Method::PUT, ["v1", "blobs", name]) => put_blob(state.clone(), name, req).await,
		(&Method::GET, ["v1", "versions", id, "manifest"]) => manifest(&state, id).await,
		(_, ["v1", "blobs", _]) => error(StatusCode::METHOD_NOT_ALLOWED, "use GET, HEAD or PUT"),
		_ => error(
			StatusCode::NOT_FOUND,
			"no such endpoint; see /v1/blobs/<sha256>, /v1/versions/<id>/manifest",
		),
	})
}

/// `<hex>` or `<hex>.leaves` → (sha256, whether the leaves are meant).
fn parse_name(name: &str) -> Option<([u8; 32], bool)> {
	let (hex_part, leaves) = match name.strip_suffix(".leaves") {
		Some(h) => (h, true),
		None => (name, false),
	};
	if hex_part.len() != 64 || hex_part.bytes().any(|b| b.is_ascii_uppercase()) {
		return None;
	}
	let mut sha = [0u8; 32];
	hex::decode_to_slice(hex_part, &mut sha).ok()?;
	Some((sha, leaves))
}

async fn get_blob(state: &State, name: &str, req: Request<Incoming>) -> Response<Body> {
	let Some((sha, leaves)) = parse_name(name) else {
		return error(
			StatusCode::BAD_REQUEST,
			"a blob name is 64 lower-case hex digits, optionally with .leaves",
		);
	};
	let path = if leaves {
		state.store.leaves_path(&sha)
	} else {
		state.store.object_path(&sha)
	};
	if !path.is_file() {
		return error(StatusCode::NOT_FOUND, &format!("this store has no {name}"));
	}
	let etag = format!("\"{name}\"");
	if req
		.headers()
		.get(header::IF_NONE_MATCH)
		.is_some_and(|v| v.as_bytes() == etag.as_bytes())
	{
		let mut response = full(
			StatusCode::NOT_MODIFIED,
			"application/octet-stream",
			Bytes::new(),
		);
		response.headers_mut().insert(
			header::ETAG,
			header::HeaderValue::from_str(&etag).expect("ascii"),
		);
		return response;
	}
	let mime = "application/octet-stream".parse().expect("valid mime");
	// Large reads: tower-http reads 64 KiB at a time by default, a syscall and a frame each.
	let mut service = tower_http::services::ServeFile::new_with_mime(&path, &mime)
		.with_buf_chunk_size(SERVE_READ_BYTES);
	let response = match service.call(req).await {
		Ok(r) => r,
		Err(e) => match e {},
	};
	let mut response = response.map(|b| b.boxed_unsync());
	let headers = response.headers_mut();
	headers.insert(
		header::ETAG,
		header::HeaderValue::from_str(&etag).expect("ascii"),
	);
	headers.insert(
		header::CACHE_CONTROL,
		header::HeaderValue::from_static("public, max-age=31536000, immutable"),
	);
	response
}

/// Whether the request presents the upload token (`Authorization: Bearer <token>`). The
/// comparison is of SHA-256 digests, so its time says nothing about the token.
fn authorized(state: &State, headers: &header::HeaderMap) -> bool {
	let (Some(token), Some(given)) = (&state.token, headers.get(header::AUTHORIZATION)) else {
		return false;
	};
	let given = given
		.as_bytes()
		.strip_prefix(b"Bearer ")
		.unwrap_or_default();
	Sha256::digest(given) == Sha256::digest(token)
}

async fn put_blob(state: Arc<State>, name: &str, req: Request<Incoming>) -> Response<Body> {
	if !state.writable {
		return error(
			StatusCode::FORBIDDEN,
			"this gateway is read-only; start it with --writable to accept uploads",
		);
	}
	if !authorized(&state, req.headers()) {
		let mut response = error(
			StatusCode::UNAUTHORIZED,
			"uploads need the gateway's token: Authorization: Bearer <token> (owh sends OWH_UPLOAD_TOKEN)",
		);
		response.headers_mut().insert(
			header::WWW_AUTHENTICATE,
			header::HeaderValue::from_static("Bearer"),
		);
		return response;
	}
	let Some((sha, leaves)) = parse_name(name) else {
		return error(
			StatusCode::BAD_REQUEST,
			"a blob name is 64 lower-case hex digits, optionally with .leaves",
		);
	};
	let blob = state.store.object_path(&sha);
	if leaves && !blob.is_file() {
		return error(
			StatusCode::UNPROCESSABLE_ENTITY,
			"a chunk list is uploaded after its blob",
		);
	}
	let limit = if leaves {
		state.max_upload.min(crate::transfer::MAX_LEAVES_LEN)
	} else {
		state.max_upload
	};
	let too_large = || {
		error(
			StatusCode::PAYLOAD_TOO_LARGE,
			&format!("this gateway accepts uploads of at most {limit} bytes (--max-upload)"),
		)
	};
	let declared = req
		.headers()
		.get(header::CONTENT_LENGTH)
		.and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
	if declared.is_some_and(|len| len > limit) {
		return too_large();
	}
	let tmp = match state.store.temp_file() {
		Ok(t) => t,
		Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e:#}")),
	};
	// Hashing and writing run on a blocking thread, fed through a bounded channel.
	let (tx, mut rx) = tokio::sync::mpsc::channel::<Bytes>(8);
	let writer = tokio::task::spawn_blocking(move || -> std::io::Result<_> {
		let mut tmp = tmp;
		let mut hasher = Sha256::new();
		while let Some(data) = rx.blocking_recv() {
			hasher.update(&data);
			tmp.write_all(&data)?;
		}
		tmp.as_file().sync_all()?;
		Ok((tmp, <[u8; 32]>::from(hasher.finalize())))
	});
	let mut size = 0u64;
	let mut body = req.into_body();
	loop {
		let frame = match tokio::time::timeout(state.client_timeout, body.frame()).await {
			Err(_) => {
				return error(
					StatusCode::REQUEST_TIMEOUT,
					"the upload stalled longer than --client-timeout",
				)
			}
			Ok(None) => break,
			Ok(Some(Err(e))) => {
				return error(StatusCode::BAD_REQUEST, &format!("upload broken off: {e}"))
			}
			Ok(Some(Ok(frame))) => frame,
		};
		if let Ok(data) = frame.into_data() {
			size += data.len() as u64;
			if size > limit {
				return too_large();
			}
			if tx.send(data).await.is_err() {
				break;
			}
		}
	}
	drop(tx);
	let (tmp, actual) = match writer.await {
		Ok(Ok(done)) => done,
		Ok(Err(e)) => {
			return error(
				StatusCode::INSUFFICIENT_STORAGE,
				&format!("cannot store the upload: {e}"),
			)
		}
		Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
	};
	let target = if leaves {
		state.store.leaves_path(&sha)
	} else {
		blob.clone()
	};
	let stored = tokio::task::spawn_blocking(move || -> Result<(), (StatusCode, String)> {
		let unprocessable = |text: &str| (StatusCode::UNPROCESSABLE_ENTITY, text.to_string());
		if leaves {
			let list = std::fs::read(tmp.path()).map_err(|e| unprocessable(&e.to_string()))?;
			if !is_chunk_list_of(&blob, &list) {
				return Err(unprocessable(
					"this is not the chunk list of the stored blob (for any chunk size and manifest format); nothing was stored",
				));
			}
		} else if actual != sha {
			return Err(unprocessable(
				"the bytes do not hash to the blob's name; nothing was stored",
			));
		}
		tmp.persist(&target).map(|_| ()).map_err(|e| {
			(
				StatusCode::INTERNAL_SERVER_ERROR,
				format!("cannot store the upload: {e}"),
			)
		})
	})
	.await;
	match stored {
		Ok(Ok(())) => full(
			StatusCode::CREATED,
			"application/json",
			serde_json::json!({ "stored": name, "size": size }).to_string(),
		),
		Ok(Err((status, text))) => error(status, &text),
		Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
	}
}

/// Whether `list` is the chunk list (32-byte leaves) of the blob at `blob`, under a chunk size
/// and leaf rule some manifest could give it. The blob is stored under its SHA-256, so the
/// list that matches its bytes is the one whose root a manifest registers for that file.
fn is_chunk_list_of(blob: &std::path::Path, list: &[u8]) -> bool {
	let Ok(size) = std::fs::metadata(blob).map(|m| m.len()) else {
		return false;
	};
	if list.is_empty() || !list.len().is_multiple_of(32) {
		return false;
	}
	let count = (list.len() / 32) as u64;
	// The one chunk size giving `count` chunks (the smallest, when the file is one chunk).
	let Some(chunk_size) = (merkle::MIN_CHUNK_SIZE.trailing_zeros()
		..=merkle::MAX_CHUNK_SIZE.trailing_zeros())
		.map(|bits| 1u32 << bits)
		.find(|&cs| merkle::chunk_count(size, cs) == count)
	else {
		return false;
	};
	[1u16, 2]
		.iter()
		.filter_map(|&f| LeafRule::for_format(f))
		.any(|rule| {
			crate::integrity::hashing::file_leaves(blob, chunk_size, rule, &|_| {})
				.is_ok_and(|(_, leaves)| leaves.concat() == list)
		})
}

/// Most manifest look-ups remembered.
const MAX_LOOKED_UP: usize = 4096;

async fn manifest(state: &State, id: &str) -> Response<Body> {
	let Ok(id) = id.parse::<VersionId>() else {
		return error(
			StatusCode::BAD_REQUEST,
			"not a version id (bafkrei... or 64 hex digits)",
		);
	};
	let manifest = match state.store.manifest(&id) {
		Some(m) => Some(m),
		None => look_up(state, &id).await,
	};
	match manifest {
		Some(m) => {
			let mut body = view::manifest_json(&m);
			body["version"] = serde_json::Value::String(id.to_string());
			let mut response = full(StatusCode::OK, "application/json", body.to_string());
			response.headers_mut().insert(
				header::ETAG,
				header::HeaderValue::from_str(&format!("\"{id}\"")).expect("ascii"),
			);
			response
		}
		None => error(
			StatusCode::NOT_FOUND,
			"no such version in this store or on the chain",
		),
	}
}

/// A manifest from the chain, through the shared connection; remembered (found ones kept in
/// the store, misses for [`MISS_TTL`]).
async fn look_up(state: &State, id: &VersionId) -> Option<Manifest> {
	if let Some((known, at)) = state.looked_up.lock().await.get(id) {
		if known.is_some() || at.elapsed() < MISS_TTL {
			return known.clone();
		}
	}
	let answer = tokio::time::timeout(Duration::from_secs(10), async {
		let chain = {
			let mut shared = state.chain.lock().await;
			if shared.is_none() {
				*shared = Some(Arc::new(Chain::connect(&state.url).await.ok()?));
			}
			shared.clone()?
		};
		match chain.version(id).await {
			Ok(info) => Some(info.map(|i| i.record.manifest)),
			Err(_) => {
				// A broken connection (or a node that lied) is replaced on the next look-up.
				*state.chain.lock().await = None;
				None
			}
		}
	})
	.await
	.ok()
	.flatten()?;
	if let Some(m) = &answer {
		let _ = state.store.save_manifest(m);
	}
	let mut looked_up = state.looked_up.lock().await;
	if looked_up.len() >= MAX_LOOKED_UP {
		looked_up.retain(|_, (m, _)| m.is_some());
		if looked_up.len() >= MAX_LOOKED_UP {
			looked_up.clear();
		}
	}
	looked_up.insert(*id, (answer.clone(), Instant::now()));
	answer
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn blob_names_are_checked() {
		let hex = "ab".repeat(32);
		assert_eq!(parse_name(&hex), Some(([0xab; 32], false)));
		assert_eq!(
			parse_name(&format!("{hex}.leaves")),
			Some(([0xab; 32], true))
		);
		assert!(parse_name(&"AB".repeat(32)).is_none());
		assert!(parse_name("../etc/passwd").is_none());
		assert!(parse_name(&hex[..62]).is_none());
	}

	#[test]
	fn a_chunk_list_is_accepted_only_for_its_blob() {
		let dir = tempfile::tempdir().unwrap();
		let blob = dir.path().join("blob");
		let data: Vec<u8> = (0..3 * 4096 + 100).map(|i| (i % 251) as u8).collect();
		std::fs::write(&blob, &data).unwrap();
		for rule in [LeafRule::WholeChunk, LeafRule::Segments] {
			let (_, leaves) =
				crate::integrity::hashing::file_leaves(&blob, 4096, rule, &|_| {}).unwrap();
			assert!(is_chunk_list_of(&blob, &leaves.concat()), "{rule:?}");
		}
		let (_, one) =
			crate::integrity::hashing::file_leaves(&blob, 1 << 20, LeafRule::Segments, &|_| {})
				.unwrap();
		assert!(is_chunk_list_of(&blob, &one.concat()), "one chunk");
		let (_, mut wrong) =
			crate::integrity::hashing::file_leaves(&blob, 4096, LeafRule::Segments, &|_| {})
				.unwrap();
		wrong[2][0] ^= 1;
		assert!(!is_chunk_list_of(&blob, &wrong.concat()));
		assert!(!is_chunk_list_of(&blob, &[0u8; 31]));
		assert!(!is_chunk_list_of(&blob, &[]));
		assert!(!is_chunk_list_of(&dir.path().join("absent"), &[0u8; 32]));
	}
}
