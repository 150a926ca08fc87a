//! Referenda, tracks and council motions as the chain stores them, read through its metadata;
//! the phase of a referendum and the block where that phase ends; the version a runtime wasm
//! declares.

use crate::chain::{Balance, BlockNumber, Chain};
use anyhow::{anyhow, bail, Context, Result};
use codec::Decode;
use serde::Serialize;
use subxt::dynamic::{At, Value};
use subxt::ext::scale_value::{Composite, ValueDef};

/// `pallet_preimage::MAX_SIZE`: the largest preimage the chain stores.
pub const MAX_PREIMAGE_LEN: usize = 4 * 1024 * 1024;

/// The variant name of a dynamic enum value.
pub fn variant(value: &Value) -> Option<&str> {
	match &value.value {
		ValueDef::Variant(v) => Some(&v.name),
		_ => None,
	}
}

/// The only field of a newtype variant or struct (`Some(x)`, `Approved(at, ..)`'s first).
pub fn first(value: &Value) -> Option<&Value> {
	match &value.value {
		ValueDef::Variant(v) => v.values.values().next(),
		ValueDef::Composite(c) => c.values().next(),
		_ => None,
	}
}

fn number(value: Option<&Value>, what: &str) -> Result<u128> {
	value
		.and_then(|v| v.as_u128().or_else(|| first(v).and_then(|f| f.as_u128())))
		.ok_or_else(|| anyhow!("the chain's {what} is not a number"))
}

fn block(value: Option<&Value>, what: &str) -> Result<BlockNumber> {
	Ok(number(value, what)? as BlockNumber)
}

/// `Option<T>`: `None`, or the value inside `Some`.
fn option(value: Option<&Value>) -> Option<&Value> {
	value.filter(|v| variant(v) == Some("Some")).and_then(first)
}

/// Bytes from a composite of `u8`s (a `[u8; N]`, `Vec<u8>` or `H256`).
fn bytes(value: &Value) -> Option<Vec<u8>> {
	let composite = match &value.value {
		ValueDef::Composite(c) => c,
		_ => return None,
	};
	// An `H256` is a newtype around `[u8; 32]`.
	if let Composite::Unnamed(values) = composite {
		if values.len() == 1 {
			if let Some(inner) = bytes(&values[0]) {
				return Some(inner);
			}
		}
	}
	composite
		.values()
		.map(|v| v.as_u128().and_then(|n| u8::try_from(n).ok()))
		.collect()
}

/// An account as SS58 text, from a dynamic `AccountId32`.
fn account(value: &Value) -> Option<String> {
	let raw: [u8; 32] = bytes(value)?.try_into().ok()?;
	Some(subxt::utils::AccountId32(raw).to_string())
}

/// A `Perbill` curve of a track, as far as the client can evaluate it.
#[derive(Clone, Debug, Serialize)]
pub struct LinearCurve {
	/// Parts per billion.
	pub length: u32,
	pub floor: u32,
	pub ceil: u32,
}

impl LinearCurve {
	fn from_value(value: &Value) -> Option<Self> {
		if variant(value)? != "LinearDecreasing" {
			return None;
		}
		let perbill = |name| {
			let v = value.at(name)?;
			v.as_u128()
				.or_else(|| first(v)?.as_u128())
				.map(|n| n as u32)
		};
		Some(Self {
			length: perbill("length")?,
			floor: perbill("floor")?,
			ceil: perbill("ceil")?,
		})
	}

	/// The threshold (parts per billion) after `elapsed` of the decision period.
	pub fn threshold(&self, elapsed: BlockNumber, period: BlockNumber) -> u32 {
		const BILLION: u64 = 1_000_000_000;
		let x = if period == 0 {
			BILLION
		} else {
			(elapsed as u64 * BILLION / period as u64).min(BILLION)
		};
		let progress = if self.length == 0 {
			BILLION
		} else {
			(x * BILLION / self.length as u64).min(BILLION)
		};
		let drop = (self.ceil.saturating_sub(self.floor)) as u64 * progress / BILLION;
		self.ceil.saturating_sub(drop as u32)
	}
}

/// One referendum track, from the `Referenda::Tracks` constant.
#[derive(Clone, Debug, Serialize)]
pub struct Track {
	pub id: u16,
	pub name: String,
	pub max_deciding: u32,
	pub decision_deposit: Balance,
	pub prepare_period: BlockNumber,
	pub decision_period: BlockNumber,
	pub confirm_period: BlockNumber,
	pub min_enactment_period: BlockNumber,
	#[serde(skip)]
	pub min_approval: Option<LinearCurve>,
	#[serde(skip)]
	pub min_support: Option<LinearCurve>,
}

/// The tracks this runtime offers.
pub async fn tracks(chain: &Chain) -> Result<Vec<Track>> {
	let value = chain.constant("Referenda", "Tracks").await?;
	let ValueDef::Composite(list) = &value.value else {
		bail!("Referenda::Tracks is not a list");
	};
	list.values()
		.map(|entry| {
			let id = number(entry.at(0), "track id")? as u16;
			let info = entry
				.at(1)
				.ok_or_else(|| anyhow!("track {id} has no info"))?;
			// `[u8; N]` padded with NULs (`sp_runtime::str_array`), decoded as text or bytes.
			let name = info
				.at("name")
				.and_then(|v| {
					v.as_str()
						.map(str::to_string)
						.or_else(|| bytes(v).map(|raw| String::from_utf8_lossy(&raw).into_owned()))
				})
				.map(|text| text.trim_end_matches('\0').to_string())
				.ok_or_else(|| anyhow!("track {id} has no name"))?;
			Ok(Track {
				id,
				name,
				max_deciding: number(info.at("max_deciding"), "max_deciding")? as u32,
				decision_deposit: number(info.at("decision_deposit"), "decision deposit")?,
				prepare_period: block(info.at("prepare_period"), "prepare period")?,
				decision_period: block(info.at("decision_period"), "decision period")?,
				confirm_period: block(info.at("confirm_period"), "confirm period")?,
				min_enactment_period: block(
					info.at("min_enactment_period"),
					"min enactment period",
				)?,
				min_approval: info.at("min_approval").and_then(LinearCurve::from_value),
				min_support: info.at("min_support").and_then(LinearCurve::from_value),
			})
		})
		.collect()
}

/// Finds a track by name or id.
pub fn track_named<'a>(tracks: &'a [Track], name: &str) -> Result<&'a Track> {
	tracks
		.iter()
		.find(|t| t.name == name || t.id.to_string() == name)
		.ok_or_else(|| {
			anyhow!(
				"there is no track {name:?}; the tracks are {}",
				tracks
					.iter()
					.map(|t| t.name.as_str())
					.collect::<Vec<_>>()
					.join(", ")
			)
		})
}

/// A deposit someone placed on a referendum.
#[derive(Clone, Debug, Serialize)]
pub struct Deposit {
	pub who: String,
	pub amount: Balance,
}

impl Deposit {
	fn from_value(value: &Value) -> Result<Self> {
		Ok(Self {
			who: value
				.at("who")
				.and_then(account)
				.ok_or_else(|| anyhow!("a deposit without an account"))?,
			amount: number(value.at("amount"), "deposit")?,
		})
	}
}

/// Votes counted so far.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Tally {
	/// Ayes weighted by conviction.
	pub ayes: Balance,
	pub nays: Balance,
	/// Ayes without conviction: the turnout that counts against total issuance.
	pub support: Balance,
}

/// Where a referendum is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
	/// Submitted; waits for the prepare period to pass and for its decision deposit.
	Preparing,
	/// Ready, but its track already decides as many referenda as it may at once.
	Queued,
	/// Counting votes until it passes the thresholds or the decision period ends.
	Deciding,
	/// Passing; approved if it keeps passing until the confirmation ends.
	Confirming,
	Approved,
	Rejected,
	TimedOut,
	Cancelled,
	Killed,
}

impl std::fmt::Display for Phase {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		let text = serde_json::to_value(self)
			.ok()
			.and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
			.unwrap_or_default();
		f.write_str(&text)
	}
}

/// An ongoing referendum's details.
#[derive(Clone, Debug, Serialize)]
pub struct Ongoing {
	pub track: u16,
	/// The origin its call is dispatched with, such as `Origins.RegistryAdmin` or `system.Root`.
	pub origin: String,
	/// The proposal's hash and length, or its bytes where it is inline.
	pub proposal_hash: Option<String>,
	pub proposal_len: Option<u32>,
	#[serde(skip)]
	pub proposal_inline: Option<Vec<u8>>,
	/// `at block #N` or `N blocks after approval`.
	pub enactment: String,
	/// The `N` of `After(N)`.
	pub enactment_after: Option<BlockNumber>,
	pub submitted: BlockNumber,
	pub submission_deposit: Deposit,
	pub decision_deposit: Option<Deposit>,
	/// The block deciding began.
	pub deciding_since: Option<BlockNumber>,
	/// The block a confirmation ends.
	pub confirming_until: Option<BlockNumber>,
	pub tally: Tally,
	pub in_queue: bool,
}

/// A referendum: ongoing, or finished at a block.
#[derive(Clone, Debug, Serialize)]
pub struct Referendum {
	pub index: u32,
	pub phase: Phase,
	/// The block of the outcome, for a finished referendum.
	pub finished_at: Option<BlockNumber>,
	pub ongoing: Option<Ongoing>,
}

fn origin_text(value: &Value) -> String {
	match (variant(value), first(value)) {
		(Some(pallet), Some(inner)) => match variant(inner) {
			Some(name) => format!("{pallet}.{name}"),
			None => pallet.to_string(),
		},
		(Some(pallet), None) => pallet.to_string(),
		_ => "unknown".into(),
	}
}

impl Referendum {
	/// Reads `Referenda::ReferendumInfoFor(index)`.
	pub async fn read(chain: &Chain, index: u32) -> Result<Option<Self>> {
		let Some(value) = chain
			.storage_value(
				"Referenda",
				"ReferendumInfoFor",
				vec![Value::u128(index.into())],
			)
			.await?
		else {
			return Ok(None);
		};
		Self::from_value(index, &value)
			.with_context(|| format!("cannot read referendum {index}"))
			.map(Some)
	}

	fn from_value(index: u32, value: &Value) -> Result<Self> {
		let kind = variant(value).ok_or_else(|| anyhow!("not a ReferendumInfo"))?;
		let finished = |phase| {
			Ok(Self {
				index,
				phase,
				finished_at: Some(block(first(value), "outcome block")?),
				ongoing: None,
			})
		};
		match kind {
			"Approved" => finished(Phase::Approved),
			"Rejected" => finished(Phase::Rejected),
			"Cancelled" => finished(Phase::Cancelled),
			"TimedOut" => finished(Phase::TimedOut),
			"Killed" => finished(Phase::Killed),
			"Ongoing" => {
				let status = first(value).ok_or_else(|| anyhow!("an empty Ongoing"))?;
				let proposal = status
					.at("proposal")
					.ok_or_else(|| anyhow!("no proposal"))?;
				let (proposal_hash, proposal_len, proposal_inline) = match variant(proposal) {
					Some("Lookup") => (
						proposal.at("hash").and_then(bytes).map(hex::encode),
						proposal
							.at("len")
							.and_then(|v| v.as_u128())
							.map(|n| n as u32),
						None,
					),
					Some("Inline") => {
						let raw = first(proposal).and_then(bytes);
						let len = raw.as_ref().map(|r| r.len() as u32);
						(None, len, raw)
					}
					_ => (first(proposal).and_then(bytes).map(hex::encode), None, None),
				};
				let enactment = status
					.at("enactment")
					.map(|e| {
						let n = first(e).and_then(|v| v.as_u128()).unwrap_or_default();
						match variant(e) {
							Some("At") => format!("at block #{n}"),
							_ => format!("{n} blocks after approval"),
						}
					})
					.unwrap_or_default();
				let enactment_after = status
					.at("enactment")
					.filter(|e| variant(e) == Some("After"))
					.and_then(first)
					.and_then(|n| n.as_u128())
					.map(|n| n as BlockNumber);
				let deciding = option(status.at("deciding"));
				let tally = status.at("tally");
				let ongoing = Ongoing {
					track: number(status.at("track"), "track")? as u16,
					origin: status.at("origin").map(origin_text).unwrap_or_default(),
					proposal_hash,
					proposal_len,
					proposal_inline,
					enactment,
					enactment_after,
					submitted: block(status.at("submitted"), "submission block")?,
					submission_deposit: Deposit::from_value(
						status
							.at("submission_deposit")
							.ok_or_else(|| anyhow!("no submission deposit"))?,
					)?,
					decision_deposit: option(status.at("decision_deposit"))
						.map(Deposit::from_value)
						.transpose()?,
					deciding_since: deciding
						.map(|d| block(d.at("since"), "deciding since"))
						.transpose()?,
					confirming_until: deciding
						.and_then(|d| option(d.at("confirming")))
						.map(|c| block(Some(c), "confirmation end"))
						.transpose()?,
					tally: Tally {
						ayes: number(tally.and_then(|t| t.at("ayes")), "ayes")?,
						nays: number(tally.and_then(|t| t.at("nays")), "nays")?,
						support: number(tally.and_then(|t| t.at("support")), "support")?,
					},
					in_queue: status
						.at("in_queue")
						.and_then(|v| v.as_bool())
						.unwrap_or(false),
				};
				let phase = match (ongoing.deciding_since, ongoing.confirming_until) {
					(Some(_), Some(_)) => Phase::Confirming,
					(Some(_), None) => Phase::Deciding,
					(None, _) if ongoing.in_queue => Phase::Queued,
					(None, _) => Phase::Preparing,
				};
				Ok(Self {
					index,
					phase,
					finished_at: None,
					ongoing: Some(ongoing),
				})
			}
			other => bail!("unknown referendum state {other}"),
		}
	}

	/// The block where the current phase ends at the latest, and what happens then.
	pub fn phase_end(
		&self,
		track: Option<&Track>,
		undeciding_timeout: BlockNumber,
	) -> Option<(BlockNumber, &'static str)> {
		let ongoing = self.ongoing.as_ref()?;
		let track = track?;
		match self.phase {
			Phase::Preparing if ongoing.decision_deposit.is_none() => Some((
				ongoing.submitted + undeciding_timeout,
				"times out unless its decision deposit is placed",
			)),
			Phase::Preparing => Some((ongoing.submitted + track.prepare_period, "starts deciding")),
			Phase::Queued => Some((
				ongoing.submitted + undeciding_timeout,
				"times out unless a deciding slot frees up",
			)),
			Phase::Deciding => Some((
				ongoing.deciding_since? + track.decision_period,
				"is rejected unless it passes",
			)),
			Phase::Confirming => {
				Some((ongoing.confirming_until?, "is approved if it still passes"))
			}
			_ => None,
		}
	}
}

/// The number of referenda ever submitted (the next index).
pub async fn referendum_count(chain: &Chain) -> Result<u32> {
	Ok(chain
		.storage_value("Referenda", "ReferendumCount", vec![])
		.await?
		.and_then(|v| v.as_u128())
		.unwrap_or(0) as u32)
}

/// Issuance that counts for support: total minus inactive.
pub async fn active_issuance(chain: &Chain) -> Result<Balance> {
	let read = |entry: &'static str| async move {
		Ok::<_, anyhow::Error>(
			chain
				.storage_value("Balances", entry, vec![])
				.await?
				.and_then(|v| v.as_u128())
				.unwrap_or(0),
		)
	};
	let total = read("TotalIssuance").await?;
	let inactive = read("InactiveIssuance").await?;
	Ok(total.saturating_sub(inactive))
}

/// Parts per billion of `part` in `whole`.
pub fn per_billion(part: Balance, whole: Balance) -> u32 {
	if whole == 0 {
		return 0;
	}
	(part.saturating_mul(1_000_000_000) / whole).min(1_000_000_000) as u32
}

/// An account's vote on a referendum, read from `ConvictionVoting::VotingFor`.
#[derive(Clone, Debug, Serialize)]
pub struct CastVote {
	pub aye: Option<bool>,
	pub conviction: u8,
	pub balance: Balance,
}

/// The vote `who` has standing on referendum `index` of track `track`.
pub async fn vote_of(
	chain: &Chain,
	who: &subxt::utils::AccountId32,
	track: u16,
	index: u32,
) -> Result<Option<CastVote>> {
	let Some(voting) = chain
		.storage_value(
			"ConvictionVoting",
			"VotingFor",
			vec![Value::from_bytes(who.0), Value::u128(track.into())],
		)
		.await?
	else {
		return Ok(None);
	};
	if variant(&voting) != Some("Casting") {
		return Ok(None);
	}
	// `votes` is a `BoundedVec`: a newtype around the list of `(poll index, vote)`.
	let votes = first(&voting)
		.and_then(|c| c.at("votes"))
		.and_then(|v| v.at(0))
		.and_then(|v| match &v.value {
			ValueDef::Composite(list) => Some(list.values().cloned().collect::<Vec<_>>()),
			_ => None,
		})
		.unwrap_or_default();
	for entry in votes {
		if number(entry.at(0), "poll index")? as u32 != index {
			continue;
		}
		let vote = entry
			.at(1)
			.ok_or_else(|| anyhow!("a vote without a value"))?;
		return Ok(Some(match variant(vote) {
			Some("Standard") => {
				let raw = number(vote.at("vote").and_then(first).or(vote.at("vote")), "vote")?;
				CastVote {
					aye: Some(raw & 0x80 != 0),
					conviction: (raw & 0x7f) as u8,
					balance: number(vote.at("balance"), "vote balance")?,
				}
			}
			_ => CastVote {
				aye: None,
				conviction: 0,
				balance: number(vote.at("aye"), "split aye").unwrap_or(0)
					+ number(vote.at("nay"), "split nay").unwrap_or(0),
			},
		}));
	}
	Ok(None)
}

/// The scheduler's name for the enactment of referendum `index` (`pallet_referenda`'s
/// `(b"assembly", "enactment", index)`, hashed).
pub fn enactment_task_id(index: u32) -> [u8; 32] {
	use codec::Encode;
	blake2_256(&(*b"assembly", "enactment", index).encode())
}

/// The chain's hash (BLAKE2b-256): preimage hashes, scheduler task names.
pub fn blake2_256(data: &[u8]) -> [u8; 32] {
	use subxt::config::Hasher;
	subxt::config::substrate::BlakeTwo256.hash(data).0
}

/// How an approved referendum's call went when the scheduler dispatched it.
#[derive(Clone, Debug, Serialize)]
pub struct Enactment {
	pub block: BlockNumber,
	/// `None` when it succeeded; the pallet error otherwise.
	pub error: Option<String>,
}

/// Looks for the `Scheduler::Dispatched` event of referendum `index`'s enactment in blocks
/// `from..=to` (all finalized).
pub async fn find_enactment(
	chain: &Chain,
	index: u32,
	from: BlockNumber,
	to: BlockNumber,
) -> Result<Option<Enactment>> {
	let id = enactment_task_id(index);
	for block in from..=to {
		for (pallet, name, fields) in chain.events_at(block).await? {
			if pallet != "Scheduler" || name != "Dispatched" {
				continue;
			}
			// `task: (BlockNumber, u32), id: Option<[u8; 32]>, result: DispatchResult`.
			if fields.get(8) != Some(&1) || fields.get(9..41) != Some(&id[..]) {
				continue;
			}
			let error = match fields.get(41) {
				Some(0) => None,
				_ => Some(
					chain
						.dispatch_error_text(fields.get(42..).unwrap_or_default())
						.await,
				),
			};
			return Ok(Some(Enactment { block, error }));
		}
	}
	Ok(None)
}

/// The magic prefix of a zstd-compressed runtime (`sp_maybe_compressed_blob`).
const ZSTD_PREFIX: [u8; 8] = [82, 188, 83, 118, 70, 219, 142, 5];
/// The largest runtime the node decompresses (`sp_maybe_compressed_blob::CODE_BLOB_BOMB_LIMIT`).
const CODE_BLOB_BOMB_LIMIT: usize = 50 * 1024 * 1024;

/// The `spec_name` and `spec_version` a runtime wasm (compressed or not) declares in its
/// `runtime_version` custom section, as the node reads them before `set_code`.
pub fn wasm_runtime_version(code: &[u8]) -> Result<(String, u32)> {
	let wasm = match code.strip_prefix(&ZSTD_PREFIX[..]) {
		Some(compressed) => {
			let mut decoder = ruzstd::decoding::StreamingDecoder::new(compressed)
				.map_err(|e| anyhow!("the compressed runtime does not decompress: {e}"))?;
			let mut out = Vec::new();
			std::io::Read::read_to_end(
				&mut std::io::Read::take(&mut decoder, CODE_BLOB_BOMB_LIMIT as u64 + 1),
				&mut out,
			)
			.map_err(|e| anyhow!("the compressed runtime does not decompress: {e}"))?;
			if out.len() > CODE_BLOB_BOMB_LIMIT {
				bail!("the runtime decompresses to more than {CODE_BLOB_BOMB_LIMIT} bytes; the node refuses it");
			}
			out
		}
		None => code.to_vec(),
	};
	if !wasm.starts_with(b"\0asm") {
		bail!("not a wasm runtime: it starts with neither the wasm magic nor the zstd prefix of a compressed runtime");
	}
	let section = custom_section(&wasm, "runtime_version")?.ok_or_else(|| {
		anyhow!("the wasm has no runtime_version section; build it with substrate-wasm-builder")
	})?;
	let mut input = section;
	let spec_name = String::decode(&mut input)
		.map_err(|e| anyhow!("cannot decode the runtime version: {e}"))?;
	let _impl_name = String::decode(&mut input)
		.map_err(|e| anyhow!("cannot decode the runtime version: {e}"))?;
	let _authoring_version =
		u32::decode(&mut input).map_err(|e| anyhow!("cannot decode the runtime version: {e}"))?;
	let spec_version =
		u32::decode(&mut input).map_err(|e| anyhow!("cannot decode the runtime version: {e}"))?;
	Ok((spec_name, spec_version))
}

fn leb128(input: &mut &[u8]) -> Result<usize> {
	let mut value: u64 = 0;
	for shift in (0..35).step_by(7) {
		let (&byte, rest) = input
			.split_first()
			.ok_or_else(|| anyhow!("the wasm ends inside a section header"))?;
		*input = rest;
		value |= ((byte & 0x7f) as u64) << shift;
		if byte & 0x80 == 0 {
			return Ok(value as usize);
		}
	}
	bail!("a wasm section length is too long")
}

/// The contents of the custom section `name` of a wasm module.
fn custom_section<'a>(wasm: &'a [u8], name: &str) -> Result<Option<&'a [u8]>> {
	let mut input = wasm
		.get(8..)
		.ok_or_else(|| anyhow!("the wasm is shorter than its header"))?;
	while let Some((&id, rest)) = input.split_first() {
		input = rest;
		let len = leb128(&mut input)?;
		if len > input.len() {
			bail!("a wasm section runs past the end of the file");
		}
		let (section, rest) = input.split_at(len);
		input = rest;
		if id == 0 {
			let mut body = section;
			let name_len = leb128(&mut body)?;
			if name_len <= body.len() && &body[..name_len] == name.as_bytes() {
				return Ok(Some(&body[name_len..]));
			}
		}
	}
	Ok(None)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn module_with(section: &str, payload: &[u8]) -> Vec<u8> {
		let mut wasm = b"\0asm\x01\0\0\0".to_vec();
		// A type section first, as a real module has.
		wasm.extend([1, 1, 0]);
		let mut body = vec![section.len() as u8];
		body.extend(section.as_bytes());
		body.extend(payload);
		wasm.push(0);
		wasm.push(body.len() as u8);
		wasm.extend(body);
		wasm
	}

	#[test]
	fn reads_the_spec_version_of_a_plain_and_a_compressed_runtime() {
		let version =
			codec::Encode::encode(&("owh".to_string(), "owh-node".to_string(), 1u32, 107u32));
		let wasm = module_with("runtime_version", &version);
		assert_eq!(
			wasm_runtime_version(&wasm).unwrap(),
			("owh".to_string(), 107)
		);
		let mut compressed = ZSTD_PREFIX.to_vec();
		compressed.extend(ruzstd::encoding::compress_to_vec(
			&wasm[..],
			ruzstd::encoding::CompressionLevel::Fastest,
		));
		assert_eq!(
			wasm_runtime_version(&compressed).unwrap(),
			("owh".to_string(), 107)
		);
	}

	#[test]
	fn refuses_what_is_not_a_runtime() {
		let err = wasm_runtime_version(b"#!/bin/sh\necho hi\n").unwrap_err();
		assert!(err.to_string().contains("not a wasm runtime"), "{err}");
		let err = wasm_runtime_version(&module_with("name", b"x")).unwrap_err();
		assert!(
			err.to_string().contains("no runtime_version section"),
			"{err}"
		);
		let mut truncated = module_with("runtime_version", &[1, 2, 3]);
		truncated.truncate(truncated.len() - 2);
		assert!(wasm_runtime_version(&truncated).is_err());
	}

	#[test]
	fn enactment_task_ids_are_the_referenda_pallets() {
		// blake2b-256(b"assembly" ++ SCALE("enactment") ++ 3u32 LE), computed with Python's hashlib.
		assert_eq!(
			hex::encode(enactment_task_id(3)),
			"41ff718ee495c8f94167ee9454e90ec40784263cc4084492f69f23fb9f9a800d"
		);
	}

	#[test]
	fn linear_curves_fall_from_ceil_to_floor_over_their_length() {
		let curve = LinearCurve {
			length: 1_000_000_000,
			floor: 500_000_000,
			ceil: 1_000_000_000,
		};
		assert_eq!(curve.threshold(0, 20), 1_000_000_000);
		assert_eq!(curve.threshold(10, 20), 750_000_000);
		assert_eq!(curve.threshold(20, 20), 500_000_000);
		assert_eq!(curve.threshold(40, 20), 500_000_000);
	}

	#[test]
	fn phases_follow_the_ongoing_status() {
		let deposit = Value::named_composite([
			("who", Value::from_bytes([1u8; 32])),
			("amount", Value::u128(10)),
		]);
		let status = |deciding: Value| {
			Value::unnamed_variant(
				"Ongoing",
				[Value::named_composite([
					("track", Value::u128(1)),
					(
						"origin",
						Value::unnamed_variant(
							"Origins",
							[Value::unnamed_variant("RegistryAdmin", [])],
						),
					),
					(
						"proposal",
						Value::named_variant(
							"Lookup",
							[
								("hash", Value::from_bytes([7u8; 32])),
								("len", Value::u128(40)),
							],
						),
					),
					(
						"enactment",
						Value::unnamed_variant("After", [Value::u128(1)]),
					),
					("submitted", Value::u128(5)),
					("submission_deposit", deposit.clone()),
					(
						"decision_deposit",
						Value::unnamed_variant("Some", [deposit.clone()]),
					),
					("deciding", deciding),
					(
						"tally",
						Value::named_composite([
							("ayes", Value::u128(3)),
							("nays", Value::u128(1)),
							("support", Value::u128(2)),
						]),
					),
					("in_queue", Value::bool(false)),
					("alarm", Value::unnamed_variant("None", [])),
				])],
			)
		};
		let track = Track {
			id: 1,
			name: "registry_admin".into(),
			max_deciding: 10,
			decision_deposit: 0,
			prepare_period: 1,
			decision_period: 20,
			confirm_period: 2,
			min_enactment_period: 1,
			min_approval: None,
			min_support: None,
		};
		let preparing =
			Referendum::from_value(0, &status(Value::unnamed_variant("None", []))).unwrap();
		assert_eq!(preparing.phase, Phase::Preparing);
		assert_eq!(preparing.phase_end(Some(&track), 100).unwrap().0, 6);
		let ongoing = preparing.ongoing.as_ref().unwrap();
		assert_eq!(ongoing.origin, "Origins.RegistryAdmin");
		assert_eq!(ongoing.proposal_len, Some(40));
		assert_eq!(ongoing.tally.ayes, 3);
		let deciding = |confirming: Value| {
			Value::unnamed_variant(
				"Some",
				[Value::named_composite([
					("since", Value::u128(7)),
					("confirming", confirming),
				])],
			)
		};
		let r = Referendum::from_value(0, &status(deciding(Value::unnamed_variant("None", []))))
			.unwrap();
		assert_eq!(r.phase, Phase::Deciding);
		assert_eq!(r.phase_end(Some(&track), 100).unwrap().0, 27);
		let r = Referendum::from_value(
			0,
			&status(deciding(Value::unnamed_variant("Some", [Value::u128(12)]))),
		)
		.unwrap();
		assert_eq!(r.phase, Phase::Confirming);
		assert_eq!(r.phase_end(Some(&track), 100).unwrap().0, 12);
		let done = Referendum::from_value(
			3,
			&Value::unnamed_variant(
				"TimedOut",
				[
					Value::u128(44),
					Value::unnamed_variant("None", []),
					Value::unnamed_variant("None", []),
				],
			),
		)
		.unwrap();
		assert_eq!((done.phase, done.finished_at), (Phase::TimedOut, Some(44)));
		assert_eq!(done.phase.to_string(), "timed out");
	}
}
