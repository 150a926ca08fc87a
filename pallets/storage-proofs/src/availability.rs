//! Availability reports: who may report, and what a report records.

use crate::*;
use polkadot_sdk::{
	frame_support::pallet_prelude::*,
	frame_system::{self, pallet_prelude::BlockNumberFor},
	sp_runtime::{
		transaction_validity::{TransactionValidityWithRefund, ValidTransaction},
		RuntimeAppPublic,
	},
};

/// How long a report stays valid in the pool, in blocks.
const REPORT_LONGEVITY: u64 = 64;

impl<T: Config> Pallet<T> {
	/// Checks a report before it enters the pool and again in the block: the current
	/// session, a current validator that has not reported in it, known versions and
	/// artifacts, and the signature (checked last: it is the expensive part).
	pub fn check_report(report: &ReportOf<T>, signature: &ReportSignatureOf<T>) -> DispatchResult {
		ensure!(!report.probes.is_empty(), Error::<T>::EmptyReport);
		Self::ensure_first_in_session(report)?;
		ensure!(
			T::Reporters::reporters().contains(&report.reporter),
			Error::<T>::NotAValidator
		);
		for probe in &report.probes {
			let artifacts = T::Versions::roots_of(&probe.version)
				.map(|roots| roots.artifacts.len())
				.unwrap_or(0);
			ensure!(
				usize::try_from(probe.artifact).is_ok_and(|a| a < artifacts),
				Error::<T>::ReportForUnknownVersion
			);
		}
		ensure!(
			report.reporter.verify(&report.signing_payload(), signature),
			Error::<T>::BadReportSignature
		);
		Ok(())
	}

	/// The `authorize` of [`Pallet::report_availability`]: a valid report enters the pool once
	/// per validator and session.
	pub fn authorize_report(
		_source: TransactionSource,
		report: &ReportOf<T>,
		signature: &ReportSignatureOf<T>,
	) -> TransactionValidityWithRefund {
		if let Err(error) = Self::check_report(report, signature) {
			return Err(InvalidTransaction::Custom(error_index(error)).into());
		}
		ValidTransaction::with_tag_prefix("OwhAvailability")
			.priority(T::ReportPriority::get())
			.and_provides((report.session, report.reporter.clone()))
			.longevity(REPORT_LONGEVITY)
			.propagate(true)
			.build()
			.map(|validity| (validity, Weight::zero()))
	}

	/// The report is for the current session and its reporter's first in it.
	fn ensure_first_in_session(report: &ReportOf<T>) -> DispatchResult {
		let session = T::Reporters::session_index();
		ensure!(
			report.session == session,
			Error::<T>::ReportForAnotherSession
		);
		ensure!(
			LastReport::<T>::get(&report.reporter) != Some(session),
			Error::<T>::AlreadyReported
		);
		Ok(())
	}

	/// Records an authorized report: each probe updates its URI's entry under its version.
	pub(crate) fn record_report(report: ReportOf<T>) -> DispatchResult {
		// Checked again in the block: two reports may have entered the pool before either
		// was included.
		Self::ensure_first_in_session(&report)?;
		LastReport::<T>::insert(&report.reporter, report.session);
		let now = frame_system::Pallet::<T>::block_number();
		let (mut served, mut failed) = (0u32, 0u32);
		for probe in report.probes {
			if probe.outcome.served() {
				served = served.saturating_add(1);
			} else {
				failed = failed.saturating_add(1);
			}
			Availability::<T>::mutate(probe.version, |uris| {
				record_probe::<T>(uris, &report.reporter, now, probe.uri, probe.outcome)
			});
		}
		Self::deposit_event(Event::AvailabilityReported {
			reporter: report.reporter,
			session: report.session,
			served,
			failed,
		});
		Ok(())
	}
}

/// Updates (or adds) `uri`'s entry; a new URI on a full list replaces the one probed longest
/// ago.
fn record_probe<T: Config>(
	uris: &mut AvailabilityOf<T>,
	reporter: &T::AuthorityId,
	now: BlockNumberFor<T>,
	uri: owh_primitives::StorageUri,
	outcome: ProbeOutcome,
) {
	if let Some(entry) = uris.iter_mut().find(|e| e.uri == uri) {
		entry.record(reporter.clone(), now, outcome);
		return;
	}
	let mut entry = UriAvailability::new(uri, now, outcome);
	entry.record(reporter.clone(), now, outcome);
	if uris.is_full() {
		let oldest = uris
			.iter()
			.enumerate()
			.min_by_key(|(_, e)| e.last_probe)
			.map(|(i, _)| i);
		if let Some(i) = oldest {
			uris.remove(i);
		}
	}
	let _ = uris.try_push(entry);
}

/// The index of a pallet error, as `InvalidTransaction::Custom` carries it.
fn error_index(error: DispatchError) -> u8 {
	match error {
		DispatchError::Module(module) => module.error.first().copied().unwrap_or(u8::MAX),
		_ => u8::MAX,
	}
}
