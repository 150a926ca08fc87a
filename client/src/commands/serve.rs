//! `owh serve`: an HTTP gateway over a local store, usable as a mirror by other clients.
//!
//! ```text
//! GET|HEAD /v1/blobs/<sha256 hex>            the blob (Range, Content-Length, ETag)
//! GET|HEAD /v1/blobs/<sha256 hex>.leaves     its chunk leaves
//! PUT      /v1/blobs/<sha256 hex>[.leaves]   upload (only with --writable; blobs are checked)
//! GET      /v1/versions/<id>/manifest        the manifest as JSON (from the store or the chain)
//! GET      /v1/health                        "ok"
//! ```

use crate::{context::Context, store::LocalStore, view};
use anyhow::{Context as _, Result};
use bytes::Bytes;
use clap::Args;
use http_body_util::{combinators::UnsyncBoxBody, BodyExt, Full};
use hyper::{body::Incoming, header, Method, Request, Response, StatusCode};
use owh_primitives::VersionId;
use sha2::{Digest, Sha256};
use std::{io::Write, net::SocketAddr, sync::Arc, time::Duration};
use tower_service::Service;

type Body = UnsyncBoxBody<Bytes, std::io::Error>;

#[derive(Args, Debug)]
pub struct ServeArgs {
	/// Address to listen on. Loopback by default; `0.0.0.0:<port>` serves other machines.
	#[arg(long, default_value = "127.0.0.1:7070")]
	pub addr: SocketAddr,
	/// Accept uploads (`PUT /v1/blobs/<sha256>`). A blob is stored only if its bytes hash to
	/// its name. There is no authentication: expose a writable gateway only to trusted peers.
	#[arg(long)]
	pub writable: bool,
}

struct State {
	store: LocalStore,
	writable: bool,
	url: String,
}

pub async fn run(ctx: &Context, args: &ServeArgs, out: &mut dyn Write) -> Result<()> {
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
		url: ctx.url.clone(),
	});
	let shutdown = tokio::signal::ctrl_c();
	tokio::pin!(shutdown);
	loop {
		tokio::select! {
			accepted = listener.accept() => {
				let Ok((stream, _)) = accepted else { continue };
				let state = state.clone();
				tokio::spawn(async move {
					let service = hyper::service::service_fn(move |req| handle(state.clone(), req));
					let _ = hyper::server::conn::http1::Builder::new()
						.serve_connection(hyper_util::rt::TokioIo::new(stream), service)
						.await;
				});
			}
			_ = &mut shutdown => break,
		}
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
		(&Method::PUT, ["v1", "blobs", name]) => put_blob(&state, name, req).await,
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
	let mut service = tower_http::services::ServeFile::new_with_mime(&path, &mime);
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

async fn put_blob(state: &State, name: &str, req: Request<Incoming>) -> Response<Body> {
	if !state.writable {
		return error(
			StatusCode::FORBIDDEN,
			"this gateway is read-only; start it with --writable to accept uploads",
		);
	}
	let Some((sha, leaves)) = parse_name(name) else {
		return error(
			StatusCode::BAD_REQUEST,
			"a blob name is 64 lower-case hex digits, optionally with .leaves",
		);
	};
	let mut tmp = match state.store.temp_file() {
		Ok(t) => t,
		Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e:#}")),
	};
	let mut hasher = Sha256::new();
	let mut size = 0u64;
	let mut body = req.into_body();
	while let Some(frame) = body.frame().await {
		let frame = match frame {
			Ok(f) => f,
			Err(e) => return error(StatusCode::BAD_REQUEST, &format!("upload broken off: {e}")),
		};
		if let Some(data) = frame.data_ref() {
			hasher.update(data);
			size += data.len() as u64;
			if let Err(e) = tmp.write_all(data) {
				return error(
					StatusCode::INSUFFICIENT_STORAGE,
					&format!("cannot store the upload: {e}"),
				);
			}
		}
	}
	let target = if leaves {
		if !size.is_multiple_of(32) || !state.store.object_path(&sha).is_file() {
			return error(
				StatusCode::UNPROCESSABLE_ENTITY,
				"a chunk list is 32-byte leaves, uploaded after its blob",
			);
		}
		state.store.leaves_path(&sha)
	} else {
		if <[u8; 32]>::from(hasher.finalize()) != sha {
			return error(
				StatusCode::UNPROCESSABLE_ENTITY,
				"the bytes do not hash to the blob's name; nothing was stored",
			);
		}
		state.store.object_path(&sha)
	};
	if let Err(e) = tmp
		.as_file()
		.sync_all()
		.map_err(anyhow::Error::from)
		.and_then(|_| tmp.persist(&target).map(|_| ()).map_err(Into::into))
	{
		return error(
			StatusCode::INTERNAL_SERVER_ERROR,
			&format!("cannot store the upload: {e:#}"),
		);
	}
	full(
		StatusCode::CREATED,
		"application/json",
		serde_json::json!({ "stored": name, "size": size }).to_string(),
	)
}

async fn manifest(state: &State, id: &str) -> Response<Body> {
	let Ok(id) = id.parse::<VersionId>() else {
		return error(
			StatusCode::BAD_REQUEST,
			"not a version id (bafkrei... or 64 hex digits)",
		);
	};
	let mut manifest = state.store.manifest(&id);
	if manifest.is_none() {
		// Not in the store: ask the chain, and keep a copy.
		let fetched = tokio::time::timeout(Duration::from_secs(10), async {
			let chain = crate::chain::Chain::connect(&state.url).await.ok()?;
			chain.version(&id).await.ok().flatten()
		})
		.await
		.ok()
		.flatten();
		if let Some(info) = fetched {
			let m = info.record.manifest;
			if m.version_id() == id {
				let _ = state.store.save_manifest(&m);
				manifest = Some(m);
			}
		}
	}
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
}
