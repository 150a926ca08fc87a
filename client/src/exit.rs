//! Exit codes: what kind of failure ended a command, for scripts to act on.
//!
//! An error is classified by wrapping it in [`Failed`] where it arises; `main` finds the
//! outermost classification in the error's chain. Anything unclassified exits with 1.

use std::fmt;

/// The kind of failure, one exit code each (documented in `docs/cli.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
	/// Files, or bytes from every mirror, do not match the on-chain hashes.
	Differ,
	/// The repository, version, alias or other record does not exist on chain.
	NotFound,
	/// The chain (or its transaction pool) refused a transaction.
	Refused,
	/// The chain's RPC endpoint or a storage mirror could not be reached.
	Unreachable,
	/// A node's answer failed a check: a manifest that does not hash to its id, an invalid
	/// proof, or a connection owh will not trust.
	Untrusted,
}

impl Kind {
	/// The process exit code. 1 is any other error (bad input, a check owh makes before
	/// submitting), 2 a command-line usage error.
	pub fn code(self) -> u8 {
		match self {
			Kind::Differ => 3,
			Kind::NotFound => 4,
			Kind::Refused => 5,
			Kind::Unreachable => 6,
			Kind::Untrusted => 7,
		}
	}
}

/// An error with its [`Kind`]; displays as its message.
#[derive(Debug)]
pub struct Failed {
	pub kind: Kind,
	pub message: String,
}

impl fmt::Display for Failed {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(&self.message)
	}
}

impl std::error::Error for Failed {}

/// A classified error with this message.
pub fn failed(kind: Kind, message: impl Into<String>) -> anyhow::Error {
	Failed {
		kind,
		message: message.into(),
	}
	.into()
}

/// The kind of the outermost classified error in `error`'s chain, if any.
pub fn kind_of(error: &anyhow::Error) -> Option<Kind> {
	error
		.chain()
		.find_map(|e| e.downcast_ref::<Failed>())
		.map(|f| f.kind)
}

/// The exit code for `error`.
pub fn code_of(error: &anyhow::Error) -> u8 {
	kind_of(error).map_or(1, Kind::code)
}

/// The error as one JSON object, for `--json`.
pub fn to_json(error: &anyhow::Error) -> serde_json::Value {
	let message = format!("{error:#}");
	serde_json::json!({
		"error": {
			"code": code_of(error),
			"kind": kind_of(error),
			"message": message.split_whitespace().collect::<Vec<_>>().join(" "),
		}
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use anyhow::Context;

	#[test]
	fn the_classification_survives_context_and_unclassified_errors_exit_1() {
		let inner: anyhow::Result<()> = Err(failed(Kind::NotFound, "no such version"));
		let outer = inner.context("cannot install").unwrap_err();
		assert_eq!(code_of(&outer), 4);
		assert_eq!(format!("{outer:#}"), "cannot install: no such version");
		assert_eq!(code_of(&anyhow::anyhow!("bad input")), 1);
		let json = to_json(&outer);
		assert_eq!(json["error"]["kind"], "not_found");
		assert_eq!(json["error"]["code"], 4);
	}

	#[test]
	fn exit_codes_are_distinct() {
		let kinds = [
			Kind::Differ,
			Kind::NotFound,
			Kind::Refused,
			Kind::Unreachable,
			Kind::Untrusted,
		];
		let codes: std::collections::BTreeSet<u8> = kinds.iter().map(|k| k.code()).collect();
		assert_eq!(codes.len(), kinds.len());
		assert!(codes.iter().all(|&c| c > 2));
	}
}
