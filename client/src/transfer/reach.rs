//! What the client agrees to connect to: the RPC endpoint, and storage URIs by where they came
//! from. A URI read from the chain was written by whoever published or mirrored the version, so
//! it may not reach into the installing machine (its files, loopback services, the local
//! network); URIs the user names (`--from`, `--mirror`, `--url`) are theirs to choose.

use crate::exit::{failed, Kind};
use anyhow::Result;
use reqwest::Url;
use std::{
	net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
	path::{Component, Path},
};

/// Where a storage URI came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
	/// Named by the user on the command line or in their configuration.
	User,
	/// Read from the chain: a manifest URI or an on-chain mirror.
	Chain,
}

/// Whether `ip` is an address of this machine or of a private network: loopback, private,
/// shared (CGNAT), link-local, unique-local, unspecified, broadcast or multicast.
pub fn is_private(ip: IpAddr) -> bool {
	match ip {
		IpAddr::V4(v4) => is_private_v4(v4),
		IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
			Some(v4) => is_private_v4(v4),
			None => {
				let first = v6.segments()[0];
				v6.is_loopback()
					|| v6.is_unspecified()
					|| v6.is_multicast()
					|| (first & 0xfe00) == 0xfc00
					|| (first & 0xffc0) == 0xfe80
			}
		},
	}
}

fn is_private_v4(v4: Ipv4Addr) -> bool {
	let [a, b, ..] = v4.octets();
	v4.is_loopback()
		|| v4.is_private()
		|| v4.is_link_local()
		|| v4.is_unspecified()
		|| v4.is_broadcast()
		|| v4.is_multicast()
		|| a == 0
		|| (a == 100 && (64..128).contains(&b))
}

/// `localhost` and its subdomains, which resolve to this machine.
fn is_localhost_name(name: &str) -> bool {
	name == "localhost" || name.ends_with(".localhost")
}

fn host_is_loopback(url: &Url) -> bool {
	match url.host() {
		Some(url::Host::Domain(d)) => is_localhost_name(d),
		Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
		Some(url::Host::Ipv6(ip)) => ip.is_loopback() || ip == Ipv6Addr::LOCALHOST,
		None => false,
	}
}

/// Refuses an RPC endpoint that would let anyone on the path answer for the chain: anything
/// but `wss://` off this machine, unless `insecure` (`--insecure-rpc`).
pub fn check_rpc_url(endpoint: &str, insecure: bool) -> Result<()> {
	let url = Url::parse(endpoint).map_err(|e| {
		anyhow::anyhow!(
			"--url {endpoint:?} is not a URL ({e}); use wss://<host>[:port] or ws://127.0.0.1:9944"
		)
	})?;
	match url.scheme() {
		"wss" => Ok(()),
		"ws" if host_is_loopback(&url) || insecure => Ok(()),
		"ws" => Err(failed(
			Kind::Untrusted,
			format!(
				"refusing the unencrypted endpoint {endpoint}: ws:// is accepted only on this machine (localhost, 127.0.0.1, ::1), since anyone on the path could answer for the chain; use wss://, or pass --insecure-rpc (OWH_INSECURE_RPC=1) if you accept that"
			),
		)),
		other => Err(anyhow::anyhow!(
			"--url {endpoint:?} has the scheme {other}://; use wss:// (or ws:// on this machine)"
		)),
	}
}

/// Why a storage URI read from the chain may not be used here, or `None` if it may.
/// `file://` URIs must name a blob inside the local store (`store_blobs`); HTTP(S) hosts must
/// not be local or private addresses unless `allow_private`. Host names are checked again
/// when they resolve ([`PublicOnly`]).
pub fn chain_uri_refusal(
	uri: &str,
	store_blobs: Option<&Path>,
	allow_private: bool,
) -> Option<String> {
	if let Some(path) = uri.strip_prefix("file://") {
		let path = Path::new(path);
		let inside = store_blobs.is_some_and(|blobs| {
			path.starts_with(blobs)
				&& path
					.components()
					.all(|c| matches!(c, Component::RootDir | Component::Normal(_)))
		});
		return (!inside).then(|| {
			"a file:// URI from the chain is read only inside the local store; pass the directory with --from to read it".to_string()
		});
	}
	if uri.starts_with("http://") || uri.starts_with("https://") {
		if allow_private {
			return None;
		}
		let Ok(url) = Url::parse(uri) else {
			return Some("not a valid URL".into());
		};
		let private = match url.host() {
			Some(url::Host::Domain(d)) => is_localhost_name(d),
			Some(url::Host::Ipv4(ip)) => is_private(IpAddr::V4(ip)),
			Some(url::Host::Ipv6(ip)) => is_private(IpAddr::V6(ip)),
			None => true,
		};
		return private.then(|| {
			"it points at this machine or a private network; pass --allow-private-mirrors (OWH_ALLOW_PRIVATE_MIRRORS=1) to read it, or --from to name it yourself".to_string()
		});
	}
	None
}

/// A DNS resolver that drops local and private addresses, so a public host name from the chain
/// cannot resolve into the local network (DNS rebinding).
pub struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
	fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
		let host = name.as_str().to_string();
		Box::pin(async move {
			let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
			let public: Vec<SocketAddr> = all.into_iter().filter(|a| !is_private(a.ip())).collect();
			if public.is_empty() {
				return Err(format!(
					"{host} resolves only to local or private addresses; pass --allow-private-mirrors to read it"
				)
				.into());
			}
			Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
		})
	}
}

/// Redirects that stay off local and private address literals (host names go through
/// [`PublicOnly`]).
pub fn public_redirects() -> reqwest::redirect::Policy {
	reqwest::redirect::Policy::custom(|attempt| {
		let url = attempt.url().clone();
		let refusal = chain_uri_refusal(url.as_str(), None, false);
		if attempt.previous().len() >= 10 {
			attempt.error("more than 10 redirects")
		} else if let Some(why) = refusal {
			attempt.error(format!("redirected to {url}: {why}"))
		} else {
			attempt.follow()
		}
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn private_addresses_are_recognized() {
		for ip in [
			"127.0.0.1",
			"10.1.2.3",
			"172.16.0.1",
			"192.168.1.1",
			"169.254.169.254",
			"100.64.0.1",
			"0.0.0.0",
			"::1",
			"fe80::1",
			"fd00::1",
			"::ffff:127.0.0.1",
		] {
			assert!(is_private(ip.parse().unwrap()), "{ip}");
		}
		for ip in ["1.1.1.1", "8.8.8.8", "2606:4700::1111", "172.32.0.1"] {
			assert!(!is_private(ip.parse().unwrap()), "{ip}");
		}
	}

	#[test]
	fn only_loopback_may_use_plain_ws() {
		assert!(check_rpc_url("ws://127.0.0.1:9944", false).is_ok());
		assert!(check_rpc_url("ws://localhost:9944", false).is_ok());
		assert!(check_rpc_url("ws://[::1]:9944", false).is_ok());
		assert!(check_rpc_url("wss://rpc.example.org", false).is_ok());
		let err = check_rpc_url("ws://rpc.example.org:9944", false).unwrap_err();
		assert_eq!(crate::exit::kind_of(&err), Some(Kind::Untrusted));
		assert!(err.to_string().contains("--insecure-rpc"));
		assert!(check_rpc_url("ws://10.0.0.5:9944", true).is_ok());
		assert!(check_rpc_url("http://127.0.0.1:9944", false).is_err());
		assert!(check_rpc_url("not a url", false).is_err());
	}

	#[test]
	fn chain_uris_cannot_reach_into_this_machine() {
		let blobs = Path::new("/home/u/.local/share/owh/store/objects/sha256");
		let inside = "file:///home/u/.local/share/owh/store/objects/sha256/ab";
		assert_eq!(chain_uri_refusal(inside, Some(blobs), false), None);
		for uri in [
			"file:///home/u/.ssh/id_ed25519",
			"file:///home/u/.local/share/owh/store/objects/sha256/../../../../.ssh/id",
		] {
			assert!(
				chain_uri_refusal(uri, Some(blobs), false).is_some(),
				"{uri}"
			);
		}
		assert!(chain_uri_refusal(inside, None, false).is_some());
		for uri in [
			"http://127.0.0.1:8080/v1/blobs/ab",
			"http://localhost/x",
			"https://169.254.169.254/latest/meta-data",
			"http://[::1]/x",
			"http://10.0.0.8/x",
		] {
			assert!(chain_uri_refusal(uri, None, false).is_some(), "{uri}");
			assert_eq!(chain_uri_refusal(uri, None, true), None, "{uri}");
		}
		assert_eq!(
			chain_uri_refusal("https://mirror.example.org/ab", None, false),
			None
		);
		assert_eq!(
			chain_uri_refusal("s3://bucket/models/ab", None, false),
			None
		);
	}
}
