//! Parsing of user input that names repositories, versions and parents.

use anyhow::{anyhow, bail, Result};
use owh_primitives::{validate, Relation, VersionId};
use std::str::FromStr;

/// What a version argument names before it is resolved on chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionSpec {
	/// A version id, with no repository.
	Id(VersionId),
	/// `repo@alias`, `repo@<version id>` or `repo` (its newest version).
	InRepo { repo: String, reference: RepoRef },
}

/// The part after `@`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RepoRef {
	Latest,
	Alias(String),
	Id(VersionId),
}

/// Checks a repository name, with the rules the chain applies.
pub fn repo_name(name: &str) -> Result<String> {
	if !validate::repo_name(name.as_bytes()) {
		bail!(
			"invalid repository name {name:?}: use 3-64 lower-case letters, digits, '-', '_', '.', optionally one '/' (acme/llama-3-8b)"
		);
	}
	Ok(name.to_string())
}

/// Checks an alias name, with the rules the chain applies.
pub fn alias_name(name: &str) -> Result<String> {
	if !validate::alias_name(name.as_bytes()) {
		bail!("invalid alias {name:?}: use 1-32 lower-case letters, digits, '-', '_' or '.'");
	}
	Ok(name.to_string())
}

/// Parses `N` bytes given as `2N` hex digits, with or without `0x`; `what` names the argument
/// in the error.
pub fn hex_bytes<const N: usize>(text: &str, what: &str) -> Result<[u8; N]> {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	hex::decode(digits)
		.ok()
		.and_then(|bytes| <[u8; N]>::try_from(bytes).ok())
		.ok_or_else(|| anyhow!("{what} {text:?} is not {} hex digits", 2 * N))
}

/// Parses a version id in its text form (`bafkrei...`) or as 64 hex digits.
pub fn version_id(text: &str) -> Result<VersionId> {
	VersionId::from_str(text).map_err(|_| {
		anyhow!("{text:?} is not a version id: expected bafkrei... (as printed by `owh log`) or 64 hex digits")
	})
}

fn looks_like_id(text: &str) -> bool {
	text.len() > 32
}

impl FromStr for VersionSpec {
	type Err = anyhow::Error;

	fn from_str(text: &str) -> Result<Self> {
		if let Some((repo, reference)) = text.split_once('@') {
			let repo = repo_name(repo)?;
			let reference = if looks_like_id(reference) {
				RepoRef::Id(version_id(reference)?)
			} else {
				RepoRef::Alias(alias_name(reference)?)
			};
			return Ok(VersionSpec::InRepo { repo, reference });
		}
		if looks_like_id(text) && !text.contains('/') {
			return Ok(VersionSpec::Id(version_id(text)?));
		}
		Ok(VersionSpec::InRepo {
			repo: repo_name(text)?,
			reference: RepoRef::Latest,
		})
	}
}

/// Parses a relation name as used in `--parent <version>:<relation>`.
pub fn relation(text: &str) -> Result<Relation> {
	Ok(match text {
		"fine-tune" | "finetune" => Relation::FineTune,
		"quantization" | "quantize" => Relation::Quantization,
		"merge" => Relation::Merge,
		"distillation" | "distill" => Relation::Distillation,
		"retrain" => Relation::Retrain,
		"other" => Relation::Other,
		_ => bail!(
			"unknown relation {text:?}: use fine-tune, quantization, merge, distillation, retrain or other"
		),
	})
}

/// The name of a relation, as `relation` parses it.
pub fn relation_name(relation: Relation) -> &'static str {
	match relation {
		Relation::FineTune => "fine-tune",
		Relation::Quantization => "quantization",
		Relation::Merge => "merge",
		Relation::Distillation => "distillation",
		Relation::Retrain => "retrain",
		Relation::Other => "other",
	}
}

/// `--parent <version>[:relation]`; the relation defaults to `fine-tune`.
pub fn parent(text: &str) -> Result<(VersionSpec, Relation)> {
	match text.rsplit_once(':') {
		Some((version, rel)) => Ok((version.parse()?, relation(rel)?)),
		None => Ok((text.parse()?, Relation::FineTune)),
	}
}

/// Parses `key=value`.
pub fn key_value(text: &str, what: &str) -> Result<(String, String)> {
	match text.split_once('=') {
		Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
		_ => bail!("invalid {what} {text:?}: expected key=value"),
	}
}

/// Checks a metric name with the manifest's rules (as gates and attestations use them).
pub fn metric_name(name: &str) -> Result<owh_primitives::promotion::MetricName> {
	if !validate::metric_name(name.as_bytes()) {
		bail!("invalid metric name {name:?}: use the name as in a manifest (letters, digits, '_', '-', '.', '/')");
	}
	crate::chain::bounded(
		name,
		"metric name",
		owh_primitives::manifest::MAX_METRIC_NAME_LEN,
	)
}

/// Parses a metric value into millionths, exactly (no floating point).
pub fn metric_value(text: &str) -> Result<i64> {
	let bad = || {
		anyhow!("invalid metric value {text:?}: use a decimal number with at most 6 decimals, e.g. 0.8125")
	};
	let (negative, digits) = match text.strip_prefix('-') {
		Some(rest) => (true, rest),
		None => (false, text),
	};
	let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
	if whole.is_empty() && frac.is_empty()
		|| frac.len() > 6
		|| !whole
			.chars()
			.chain(frac.chars())
			.all(|c| c.is_ascii_digit())
	{
		return Err(bad());
	}
	let whole: i64 = if whole.is_empty() {
		0
	} else {
		whole.parse().map_err(|_| bad())?
	};
	let frac_scaled: i64 = format!("{frac:0<6}").parse().map_err(|_| bad())?;
	let value = whole
		.checked_mul(1_000_000)
		.and_then(|w| w.checked_add(frac_scaled))
		.ok_or_else(bad)?;
	Ok(if negative { -value } else { value })
}

/// Formats millionths as a decimal number without trailing zeros.
pub fn format_metric(value: i64) -> String {
	let sign = if value < 0 { "-" } else { "" };
	let abs = value.unsigned_abs();
	let (whole, frac) = (abs / 1_000_000, abs % 1_000_000);
	if frac == 0 {
		format!("{sign}{whole}")
	} else {
		let frac = format!("{frac:06}");
		format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
	}
}

/// Checks a license against the SPDX expression grammar and license list.
pub fn spdx_license(text: &str) -> Result<String> {
	spdx::Expression::parse(text).map_err(|e| {
		anyhow!("--license {text:?} is not a valid SPDX expression ({}); e.g. Apache-2.0 or MIT OR Apache-2.0", e.reason)
	})?;
	if !validate::license(text.as_bytes()) || text.len() > 128 {
		bail!("--license {text:?} is longer than 128 bytes or uses characters the chain refuses");
	}
	Ok(text.to_string())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn version_specs() {
		let id = VersionId([7; 32]);
		let text = id.to_string();
		assert_eq!(text.parse::<VersionSpec>().unwrap(), VersionSpec::Id(id));
		assert_eq!(
			format!("acme/m@{text}").parse::<VersionSpec>().unwrap(),
			VersionSpec::InRepo {
				repo: "acme/m".into(),
				reference: RepoRef::Id(id)
			}
		);
		assert_eq!(
			"acme/m@production".parse::<VersionSpec>().unwrap(),
			VersionSpec::InRepo {
				repo: "acme/m".into(),
				reference: RepoRef::Alias("production".into())
			}
		);
		assert_eq!(
			"acme/m".parse::<VersionSpec>().unwrap(),
			VersionSpec::InRepo {
				repo: "acme/m".into(),
				reference: RepoRef::Latest
			}
		);
		assert!("Acme/M".parse::<VersionSpec>().is_err());
		assert!("acme/m@Prod".parse::<VersionSpec>().is_err());
		assert!(format!("acme/m@{}x", &text[..40])
			.parse::<VersionSpec>()
			.is_err());
	}

	#[test]
	fn parents_and_relations() {
		let id = VersionId([1; 32]);
		let (spec, rel) = parent(&format!("{id}:quantization")).unwrap();
		assert_eq!((spec, rel), (VersionSpec::Id(id), Relation::Quantization));
		assert_eq!(parent("acme/m@base").unwrap().1, Relation::FineTune);
		assert!(parent("acme/m@base:sideways").is_err());
	}

	#[test]
	fn metrics_are_exact() {
		assert_eq!(metric_value("0.8125").unwrap(), 812_500);
		assert_eq!(metric_value("-1.5").unwrap(), -1_500_000);
		assert_eq!(metric_value("42").unwrap(), 42_000_000);
		assert_eq!(metric_value(".5").unwrap(), 500_000);
		for bad in [
			"",
			"-",
			"1.1234567",
			"1e5",
			"abc",
			"1.2.3",
			"99999999999999999",
		] {
			assert!(metric_value(bad).is_err(), "{bad}");
		}
		assert_eq!(format_metric(812_500), "0.8125");
		assert_eq!(format_metric(-1_500_000), "-1.5");
		assert_eq!(format_metric(3_000_000), "3");
	}

	#[test]
	fn licenses_follow_spdx() {
		assert!(spdx_license("Apache-2.0").is_ok());
		assert!(spdx_license("MIT OR Apache-2.0").is_ok());
		assert!(spdx_license("Apache 2").is_err());
		assert!(spdx_license("NotALicense-9").is_err());
		assert!(key_value("novalue", "tag").is_err());
		assert_eq!(
			key_value("a=b=c", "tag").unwrap(),
			("a".into(), "b=c".into())
		);
	}
}
