//! The off-chain worker: once a session, a validator's node fetches one random chunk from each
//! of a random sample of HTTP(S) locations (manifest URIs and on-chain mirrors), checks it
//! against the on-chain root, and submits the signed report as an authorized transaction.

use crate::*;
use alloc::{
	collections::{btree_map::Entry, BTreeMap},
	format,
	string::String,
	vec::Vec,
};
use codec::Encode;
use owh_primitives::{
	availability::MAX_PROBES_PER_REPORT,
	merkle::{chunk_count, root_from_leaves, Hash32, LeafRule},
	storage::ArtifactRoot,
};
use polkadot_sdk::frame_support::{traits::Get, BoundedVec};
use polkadot_sdk::{
	frame_system::{
		offchain::{CreateAuthorizedTransaction, SubmitTransaction},
		pallet_prelude::BlockNumberFor,
	},
	sp_io::{self, hashing::blake2_256},
	sp_runtime::{
		offchain::{http, storage::StorageValueRef, Duration, HttpError, Timestamp},
		traits::SaturatedConversion,
		RuntimeAppPublic,
	},
};

/// Versions drawn per run; their locations are pooled, shuffled and cut to
/// `MAX_PROBES_PER_REPORT`.
const VERSION_DRAWS: u32 = 8;
/// Blocks after an attempt before a node tries again in the same session, when its report
/// did not make it into a block.
const RETRY_AFTER: u32 = 10;
/// The largest chunk list fetched (4 MiB: 131,072 chunks, 128 GiB at the default chunk size).
const MAX_LEAVES_BYTES: usize = 4 << 20;
/// The local-storage key of the last attempt, `(session, block)`.
const ATTEMPT_KEY: &[u8] = b"owh/storage-proofs/availability-attempt";

impl<T: Config> Pallet<T> {
	/// Probes and reports once a session, when this node holds a current validator's key.
	pub(crate) fn probe_and_report(now: BlockNumberFor<T>) {
		if !sp_io::offchain::is_validator() {
			return;
		}
		let session = T::Reporters::session_index();
		let validators = T::Reporters::reporters();
		let Some(key) = T::AuthorityId::all()
			.into_iter()
			.find(|k| validators.contains(k))
		else {
			return;
		};
		if LastReport::<T>::get(&key) == Some(session) {
			return;
		}
		let now: u32 = now.saturated_into();
		// Runs of consecutive blocks overlap: the first one to claim the session probes.
		let attempt = StorageValueRef::persistent(ATTEMPT_KEY);
		let claimed = attempt.mutate(|last: Result<Option<(u32, u32)>, _>| match last {
			Ok(Some((s, at))) if s == session && now < at.saturating_add(RETRY_AFTER) => Err(()),
			_ => Ok((session, now)),
		});
		if claimed.is_err() {
			return;
		}
		let probes = Self::run_probes(&sp_io::offchain::random_seed());
		if probes.is_empty() {
			return;
		}
		let report = AvailabilityReport {
			session,
			reporter: key.clone(),
			probes: BoundedVec::truncate_from(probes),
		};
		let Some(signature) = key.sign(&report.signing_payload()) else {
			log::warn!("availability: the keystore could not sign with the validator key");
			return;
		};
		let call = Call::<T>::report_availability { report, signature };
		let xt =
			<T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(call.into());
		if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_err() {
			log::warn!("availability: the pool refused the report of session {session}");
		}
	}

	/// Draws up to `MAX_PROBES_PER_REPORT` locations and probes each.
	pub(crate) fn run_probes(seed: &[u8; 32]) -> Vec<Probe> {
		let mut versions = Vec::new();
		let mut targets = Vec::new();
		for draw in 0..VERSION_DRAWS {
			let Some(version) = T::Versions::version_at(&blake2_256(&(seed, draw).encode())) else {
				break;
			};
			if versions.contains(&version) {
				continue;
			}
			versions.push(version);
			targets.extend(
				T::Versions::probe_targets(&version)
					.into_iter()
					.map(|t| (version, t)),
			);
		}
		shuffle(&mut targets, seed);
		targets.truncate(MAX_PROBES_PER_REPORT as usize);

		let mut lists = ChunkLists::default();
		let mut probes = Vec::new();
		for (n, (version, target)) in targets.into_iter().enumerate() {
			let Some(roots) = T::Versions::roots_of(&version) else {
				continue;
			};
			let Some(rule) = LeafRule::for_format(roots.format_version) else {
				continue;
			};
			let Some(root) = roots.artifacts.get(target.artifact as usize).copied() else {
				continue;
			};
			let count = chunk_count(root.size, root.chunk_size);
			if root.size == 0 || count == 0 {
				continue;
			}
			let pick = u64::from_le_bytes(
				blake2_256(&(seed, b"chunk", n as u32).encode())[..8]
					.try_into()
					.unwrap_or_default(),
			);
			let chunk = pick.checked_rem(count).unwrap_or(0);
			let outcome = probe_chunk(
				&target.url,
				&root,
				rule,
				chunk,
				count,
				&mut lists,
				T::ProbeTimeout::get(),
			);
			log::info!(
				"availability: {} chunk {chunk}: {outcome:?}",
				String::from_utf8_lossy(&target.url)
			);
			probes.push(Probe {
				version,
				uri: target.uri,
				artifact: target.artifact,
				chunk,
				outcome,
			});
		}
		probes
	}
}

/// Chunk lists verified in this run, by Merkle root.
#[derive(Default)]
pub(crate) struct ChunkLists(BTreeMap<Hash32, Vec<Hash32>>);

impl ChunkLists {
	/// The artifact's chunk list: one verified earlier, or `<url>.leaves` when its root is the
	/// on-chain root.
	fn get(
		&mut self,
		url: &[u8],
		root: &ArtifactRoot,
		count: u64,
		timeout: u64,
	) -> Option<&[Hash32]> {
		match self.0.entry(root.merkle_root) {
			Entry::Occupied(known) => Some(known.into_mut().as_slice()),
			Entry::Vacant(slot) => {
				let leaves = fetch_chunk_list(url, root, count, timeout)?;
				Some(slot.insert(leaves).as_slice())
			}
		}
	}
}

/// `<url>.leaves`, when it has `count` leaves whose root is the on-chain root.
fn fetch_chunk_list(
	url: &[u8],
	root: &ArtifactRoot,
	count: u64,
	timeout: u64,
) -> Option<Vec<Hash32>> {
	let bytes = usize::try_from(count).ok()?.checked_mul(32)?;
	if bytes > MAX_LEAVES_BYTES {
		return None;
	}
	let mut leaves_url = url.to_vec();
	leaves_url.extend_from_slice(b".leaves");
	let body = http_get(&leaves_url, None, bytes, deadline(timeout)).ok()?;
	if body.len() != bytes {
		return None;
	}
	let leaves: Vec<Hash32> = body
		.chunks_exact(32)
		.map(|c| c.try_into().unwrap_or_default())
		.collect();
	(root_from_leaves(&leaves) == root.merkle_root).then_some(leaves)
}

/// Fetches chunk `chunk` of the artifact at `url` and checks it against the artifact's root.
pub(crate) fn probe_chunk(
	url: &[u8],
	root: &ArtifactRoot,
	rule: LeafRule,
	chunk: u64,
	count: u64,
	lists: &mut ChunkLists,
	timeout: u64,
) -> ProbeOutcome {
	let chunk_size = u64::from(root.chunk_size);
	let start = chunk.saturating_mul(chunk_size);
	let end = start.saturating_add(chunk_size).min(root.size);
	let len = usize::try_from(end.saturating_sub(start)).unwrap_or(usize::MAX);
	let bytes = match http_get(
		url,
		Some((start, end.saturating_sub(1))),
		len,
		deadline(timeout),
	) {
		Ok(bytes) => bytes,
		Err(outcome) => return outcome,
	};
	if bytes.len() != len {
		return ProbeOutcome::WrongBytes;
	}
	let leaf = rule.leaf(&bytes);
	if count == 1 {
		return if leaf == root.merkle_root {
			ProbeOutcome::Served
		} else {
			ProbeOutcome::WrongBytes
		};
	}
	match lists.get(url, root, count, timeout) {
		Some(leaves) if leaves.get(chunk as usize) == Some(&leaf) => ProbeOutcome::Served,
		Some(_) => ProbeOutcome::WrongBytes,
		None => ProbeOutcome::NoChunkList,
	}
}

fn deadline(timeout_ms: u64) -> Timestamp {
	sp_io::offchain::timestamp().add(Duration::from_millis(timeout_ms))
}

/// GETs `url` (the inclusive byte `range` when given), reading at most `limit` bytes of the
/// body. A server that ignores the range is accepted only for a range from byte 0, whose
/// bytes are the body's first ones.
fn http_get(
	url: &[u8],
	range: Option<(u64, u64)>,
	limit: usize,
	deadline: Timestamp,
) -> Result<Vec<u8>, ProbeOutcome> {
	let url = core::str::from_utf8(url).map_err(|_| ProbeOutcome::Unreachable)?;
	let header;
	let mut request = http::Request::get(url);
	if let Some((first, last)) = range {
		header = format!("bytes={first}-{last}");
		request = request.add_header("Range", &header);
	}
	let pending = request
		.deadline(deadline)
		.send()
		.map_err(|_| ProbeOutcome::Unreachable)?;
	let response = match pending.try_wait(deadline) {
		Ok(Ok(response)) => response,
		Ok(Err(http::Error::DeadlineReached)) | Err(_) => return Err(ProbeOutcome::TimedOut),
		Ok(Err(_)) => return Err(ProbeOutcome::Unreachable),
	};
	match (response.code, range) {
		(206, Some(_)) | (200, None) => {}
		(200, Some((0, _))) => {}
		(200, Some(_)) => return Err(ProbeOutcome::RangeIgnored),
		(code, _) => return Err(ProbeOutcome::HttpStatus(code)),
	}
	let mut body = response.body();
	body.deadline(deadline);
	let mut bytes = Vec::with_capacity(limit.min(MAX_LEAVES_BYTES));
	for byte in body.by_ref() {
		if bytes.len() > limit {
			break;
		}
		bytes.push(byte);
	}
	if range.is_some_and(|(first, _)| first == 0) && bytes.len() > limit && response.code == 200 {
		bytes.truncate(limit);
		return Ok(bytes);
	}
	match body.error() {
		Some(HttpError::DeadlineReached) => Err(ProbeOutcome::TimedOut),
		Some(_) => Err(ProbeOutcome::Unreachable),
		None => Ok(bytes),
	}
}

/// Fisher–Yates, driven by `seed`.
fn shuffle<X>(items: &mut [X], seed: &[u8; 32]) {
	for i in (1..items.len()).rev() {
		let draw = blake2_256(&(seed, b"shuffle", i as u32).encode());
		let pick = u64::from_le_bytes(draw[..8].try_into().unwrap_or_default());
		let j = pick.checked_rem(i as u64 + 1).unwrap_or(0) as usize;
		items.swap(i, j);
	}
}
