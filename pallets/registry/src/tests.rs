//! Unit tests of the registry pallet: every call, every error path, deposits, lineage, the
//! alias history, and that rejected calls leave storage untouched (`assert_noop!`).

use crate::{mock::*, *};
use codec::Encode;
use owh_primitives::{
	manifest::*,
	merkle::{root_of, DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE},
	registry::{Role, VersionRef},
	Parent, Relation,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		pallet_prelude::BoundedVec,
		traits::{fungible::InspectHold, Hooks},
	},
	sp_core::{sr25519, Pair},
	sp_keyring::Sr25519Keyring,
	sp_runtime::{DispatchError, DispatchResult, MultiSignature},
};

fn origin(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn name(s: &str) -> RepoName {
	RepoName::truncate_from(s.as_bytes().to_vec())
}

fn alias(s: &str) -> AliasName {
	AliasName::truncate_from(s.as_bytes().to_vec())
}

fn reason(s: &str) -> Reason {
	Reason::truncate_from(s.as_bytes().to_vec())
}

fn artifact(path: &str, data: &[u8]) -> Artifact {
	Artifact {
		path: ArtifactPath::truncate_from(path.as_bytes().to_vec()),
		size: data.len() as u64,
		sha256: polkadot_sdk::sp_io::hashing::sha2_256(data),
		chunk_size: DEFAULT_CHUNK_SIZE,
		merkle_root: root_of(data, DEFAULT_CHUNK_SIZE),
		media_type: BoundedVec::truncate_from(b"application/octet-stream".to_vec()),
		uris: BoundedVec::truncate_from(vec![StorageUri::truncate_from(
			format!("owh-store://{path}").into_bytes(),
		)]),
	}
}

fn manifest_with(repo: &str, message: &str, parents: Vec<(VersionId, Relation)>) -> Manifest {
	let mut parents: Vec<Parent> = parents
		.into_iter()
		.map(|(version, relation)| Parent { version, relation })
		.collect();
	parents.sort_by_key(|p| p.version);
	Manifest {
		format_version: MANIFEST_FORMAT_VERSION,
		repository: name(repo),
		parents: BoundedVec::truncate_from(parents),
		artifacts: BoundedVec::truncate_from(vec![
			artifact("config.json", b"{}"),
			artifact("weights/model.safetensors", &[1u8; 5000]),
		]),
		message: BoundedVec::truncate_from(message.as_bytes().to_vec()),
		metrics: BoundedVec::truncate_from(vec![Metric {
			name: BoundedVec::truncate_from(b"mmlu".to_vec()),
			value: 651_200,
		}]),
		license: BoundedVec::truncate_from(b"Apache-2.0".to_vec()),
		tags: BoundedVec::truncate_from(vec![Tag {
			key: BoundedVec::truncate_from(b"framework".to_vec()),
			value: BoundedVec::truncate_from(b"pytorch".to_vec()),
		}]),
		tool_version: BoundedVec::truncate_from(b"owh/test".to_vec()),
	}
}

fn manifest(repo: &str, message: &str) -> Manifest {
	manifest_with(repo, message, vec![])
}

fn create(owner: &AccountId, repo: &str) {
	assert_ok!(Registry::create_repository(origin(owner), name(repo)));
}

fn commit(who: &AccountId, m: &Manifest) -> VersionId {
	assert_ok!(Registry::commit_version(
		origin(who),
		m.repository.clone(),
		Box::new(m.clone()),
		None
	));
	m.version_id()
}

fn held(who: &AccountId, reason: HoldReason) -> Balance {
	<Balances as InspectHold<AccountId>>::balance_on_hold(&reason.into(), who)
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event was emitted").event
}

fn check_state() {
	Registry::do_try_state().expect("storage invariants hold");
}

/// The deposit rule, written out: per storage entry plus per encoded byte.
fn deposit(items: u32, bytes: usize) -> Balance {
	DEPOSIT_PER_ITEM * items as Balance + DEPOSIT_PER_BYTE * bytes as Balance
}

/// The deposit of a repository with no roles granted: one entry, its name and record.
fn bare_repository_deposit(repo: &str) -> Balance {
	let info = Repositories::<Test>::get(name(repo)).unwrap();
	deposit(1, name(repo).encode().len() + info.encode().len())
}

mod create_repository {
	use super::*;

	#[test]
	fn creates_and_holds_deposit() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let info = Repositories::<Test>::get(name("acme/llama")).unwrap();
			assert_eq!(info.owner, alice());
			assert_eq!(info.version_count, 0);
			let expected = bare_repository_deposit("acme/llama");
			assert_eq!(info.deposit, expected);
			assert_eq!(held(&alice(), HoldReason::Repository), expected);
			assert_eq!(
				last_event(),
				Event::RepositoryCreated {
					repo: name("acme/llama"),
					owner: alice(),
					deposit: expected
				}
				.into()
			);
			check_state();
		});
	}

	#[test]
	fn rejects_invalid_names() {
		new_test_ext().execute_with(|| {
			for bad in ["ab", "Acme/x", "a/b/c", "-abc", "a b c", "../etc"] {
				assert_noop!(
					Registry::create_repository(origin(&alice()), name(bad)),
					Error::<Test>::InvalidRepositoryName
				);
			}
		});
	}

	#[test]
	fn rejects_duplicates() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			assert_noop!(
				Registry::create_repository(origin(&bob()), name("acme/llama")),
				Error::<Test>::RepositoryExists
			);
		});
	}

	#[test]
	fn rejects_without_deposit() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Registry::create_repository(origin(&pauper()), name("poor/repo")),
				Error::<Test>::InsufficientBalance
			);
		});
	}

	#[test]
	fn rejects_unsigned() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Registry::create_repository(RuntimeOrigin::none(), name("acme/llama")),
				DispatchError::BadOrigin
			);
		});
	}
}

mod roles {
	use super::*;

	#[test]
	fn grant_and_revoke_maintainer() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_eq!(
				last_event(),
				Event::RoleGranted {
					repo: repo.clone(),
					who: bob(),
					role: Role::Maintainer
				}
				.into()
			);
			// Bob can now commit.
			commit(&bob(), &manifest("acme/llama", "by bob"));
			assert_ok!(Registry::revoke_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_eq!(
				last_event(),
				Event::RoleRevoked {
					repo: repo.clone(),
					who: bob(),
					role: Role::Maintainer
				}
				.into()
			);
			assert_noop!(
				Registry::commit_version(
					origin(&bob()),
					repo,
					Box::new(manifest("acme/llama", "again")),
					None
				),
				Error::<Test>::NotCommitter
			);
			check_state();
		});
	}

	#[test]
	fn maintainer_may_renounce() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_ok!(Registry::revoke_role(
				origin(&bob()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert!(Maintainers::<Test>::get(&repo).is_empty());
		});
	}

	#[test]
	fn grant_errors() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			assert_noop!(
				Registry::grant_role(origin(&alice()), name("nope/x"), bob(), Role::Maintainer),
				Error::<Test>::UnknownRepository
			);
			assert_noop!(
				Registry::grant_role(origin(&bob()), repo.clone(), bob(), Role::Maintainer),
				Error::<Test>::NotOwner
			);
			assert_noop!(
				Registry::grant_role(origin(&alice()), repo.clone(), bob(), Role::Owner),
				Error::<Test>::UseTransferOwnership
			);
			assert_noop!(
				Registry::grant_role(origin(&alice()), repo.clone(), alice(), Role::Maintainer),
				Error::<Test>::AlreadyOwner
			);
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_noop!(
				Registry::grant_role(origin(&alice()), repo.clone(), bob(), Role::Maintainer),
				Error::<Test>::AlreadyMaintainer
			);
			// A maintainer cannot grant roles.
			assert_noop!(
				Registry::grant_role(origin(&bob()), repo.clone(), charlie(), Role::Maintainer),
				Error::<Test>::NotOwner
			);
			for k in [Sr25519Keyring::Dave, Sr25519Keyring::Eve] {
				assert_ok!(Registry::grant_role(
					origin(&alice()),
					repo.clone(),
					k.to_account_id(),
					Role::Maintainer
				));
			}
			assert_noop!(
				Registry::grant_role(origin(&alice()), repo, charlie(), Role::Maintainer),
				Error::<Test>::TooManyMaintainers
			);
		});
	}

	#[test]
	fn revoke_errors() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			assert_noop!(
				Registry::revoke_role(origin(&alice()), name("nope/x"), bob(), Role::Maintainer),
				Error::<Test>::UnknownRepository
			);
			assert_noop!(
				Registry::revoke_role(origin(&alice()), repo.clone(), bob(), Role::Maintainer),
				Error::<Test>::NotAMaintainerOfRepository
			);
			assert_noop!(
				Registry::revoke_role(origin(&alice()), repo.clone(), alice(), Role::Owner),
				Error::<Test>::UseTransferOwnership
			);
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_noop!(
				Registry::revoke_role(origin(&charlie()), repo, bob(), Role::Maintainer),
				Error::<Test>::NotOwner
			);
		});
	}

	#[test]
	fn transfer_ownership_moves_control() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_noop!(
				Registry::transfer_ownership(origin(&bob()), repo.clone(), bob()),
				Error::<Test>::NotOwner
			);
			assert_noop!(
				Registry::transfer_ownership(origin(&alice()), repo.clone(), alice()),
				Error::<Test>::AlreadyOwner
			);
			assert_noop!(
				Registry::transfer_ownership(origin(&alice()), name("nope/x"), bob()),
				Error::<Test>::UnknownRepository
			);
			let with_bob = Repositories::<Test>::get(&repo).unwrap().deposit;
			assert_ok!(Registry::transfer_ownership(
				origin(&alice()),
				repo.clone(),
				bob()
			));
			assert_eq!(
				last_event(),
				Event::OwnershipOffered {
					repo: repo.clone(),
					from: alice(),
					to: bob()
				}
				.into()
			);
			// Nothing changes hands yet; the pending offer is an entry Alice pays for.
			let info = Repositories::<Test>::get(&repo).unwrap();
			assert_eq!(info.owner, alice());
			assert_eq!(
				info.deposit,
				with_bob + deposit(1, repo.encode().len() + bob().encode().len())
			);
			assert_eq!(held(&alice(), HoldReason::Repository), info.deposit);
			check_state();
			assert_noop!(
				Registry::accept_ownership(origin(&charlie()), repo.clone()),
				Error::<Test>::NotPendingOwner
			);
			assert_noop!(
				Registry::accept_ownership(origin(&bob()), name("nope/x")),
				Error::<Test>::UnknownRepository
			);

			assert_ok!(Registry::accept_ownership(origin(&bob()), repo.clone()));
			assert_eq!(
				last_event(),
				Event::OwnershipTransferred {
					repo: repo.clone(),
					from: alice(),
					to: bob()
				}
				.into()
			);
			let info = Repositories::<Test>::get(&repo).unwrap();
			assert_eq!(info.owner, bob());
			// The deposit moved with the repository: Bob holds it, Alice got hers back.
			assert_eq!(info.depositor, bob());
			assert_eq!(info.deposit, bare_repository_deposit("acme/llama"));
			assert_eq!(held(&bob(), HoldReason::Repository), info.deposit);
			assert_eq!(held(&alice(), HoldReason::Repository), 0);
			assert!(!PendingOwners::<Test>::contains_key(&repo));
			// Bob's maintainer role folded into ownership; Alice lost control.
			assert!(Maintainers::<Test>::get(&repo).is_empty());
			assert_noop!(
				Registry::grant_role(origin(&alice()), repo, charlie(), Role::Maintainer),
				Error::<Test>::NotOwner
			);
			check_state();
		});
	}

	#[test]
	fn an_offer_can_be_withdrawn_and_a_poor_recipient_cannot_accept() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let bare = bare_repository_deposit("acme/llama");
			assert_ok!(Registry::transfer_ownership(
				origin(&alice()),
				repo.clone(),
				pauper()
			));
			// The recipient must hold the deposit, so an unfunded account cannot take it.
			assert_noop!(
				Registry::accept_ownership(origin(&pauper()), repo.clone()),
				Error::<Test>::InsufficientBalance
			);
			// A new offer replaces the pending one.
			assert_ok!(Registry::transfer_ownership(
				origin(&alice()),
				repo.clone(),
				bob()
			));
			assert_noop!(
				Registry::accept_ownership(origin(&pauper()), repo.clone()),
				Error::<Test>::NotPendingOwner
			);
			// Offering it to oneself withdraws the offer and releases its deposit.
			assert_ok!(Registry::transfer_ownership(
				origin(&alice()),
				repo.clone(),
				alice()
			));
			assert_eq!(
				last_event(),
				Event::OwnershipOfferWithdrawn {
					repo: repo.clone(),
					to: bob()
				}
				.into()
			);
			assert_eq!(held(&alice(), HoldReason::Repository), bare);
			assert_noop!(
				Registry::accept_ownership(origin(&bob()), repo.clone()),
				Error::<Test>::NotPendingOwner
			);
			assert_noop!(
				Registry::transfer_ownership(origin(&alice()), repo, alice()),
				Error::<Test>::AlreadyOwner
			);
			check_state();
		});
	}

	#[test]
	fn roles_pay_for_their_entries() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let bare = bare_repository_deposit("acme/llama");
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			let one = Maintainers::<Test>::get(&repo);
			let with_list = bare + deposit(1, repo.encode().len() + one.encode().len());
			assert_eq!(held(&alice(), HoldReason::Repository), with_list);
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				charlie(),
				Role::Maintainer
			));
			// A second maintainer adds its 32 bytes, not another entry.
			assert_eq!(
				held(&alice(), HoldReason::Repository),
				with_list + deposit(0, 32)
			);
			assert_ok!(Registry::revoke_role(
				origin(&alice()),
				repo.clone(),
				charlie(),
				Role::Maintainer
			));
			assert_ok!(Registry::revoke_role(
				origin(&bob()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_eq!(held(&alice(), HoldReason::Repository), bare);
			assert_eq!(Repositories::<Test>::get(&repo).unwrap().deposit, bare);
			check_state();
		});
	}
}

mod commit_version {
	use super::*;

	fn try_commit(who: &AccountId, m: Manifest) -> DispatchResult {
		Registry::commit_version(origin(who), m.repository.clone(), Box::new(m), None)
	}

	#[test]
	fn commits_with_record_deposit_and_event() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let m = manifest("acme/llama", "first");
			let id = commit(&alice(), &m);
			let record = Versions::<Test>::get(id).unwrap();
			// Four entries (record, index entry, artifact roots, place in the repository's
			// list) and their keys and values.
			let meta = VersionMetas::<Test>::get(id).unwrap();
			let roots = ArtifactRoots::<Test>::get(id).unwrap();
			assert_eq!(roots, owh_primitives::storage::VersionRoots::of(&m));
			// Format, artifact count and 44 bytes per artifact.
			assert_eq!(roots.encode().len(), 2 + 1 + 44 * m.artifacts.len());
			let expected_deposit = deposit(
				4,
				32 + record.encode().len()
					+ 32 + meta.encode().len()
					+ 32 + roots.encode().len()
					+ name("acme/llama").encode().len()
					+ 4 + 32,
			);
			assert_eq!(record.manifest, m);
			// The on-chain id (host-function SHA-256) equals the client's.
			assert_eq!(id, VersionId::of_encoded(&m.encode()));
			assert_eq!(record.committer, alice());
			assert_eq!(record.author, alice());
			assert!(!record.author_signed);
			assert_eq!(record.block, 1);
			assert_eq!(record.timestamp, 1_700_000_000_000);
			assert_eq!(record.index, 0);
			assert_eq!(record.deposit, expected_deposit);
			assert_eq!(held(&alice(), HoldReason::Version), expected_deposit);
			assert_eq!(RepoVersions::<Test>::get(name("acme/llama"), 0), Some(id));
			assert_eq!(
				Repositories::<Test>::get(name("acme/llama"))
					.unwrap()
					.version_count,
				1
			);
			assert_eq!(
				last_event(),
				Event::VersionCommitted {
					repo: name("acme/llama"),
					version: id,
					index: 0,
					committer: alice(),
					author: alice(),
					parents: 0,
					deposit: expected_deposit,
				}
				.into()
			);
			check_state();
		});
	}

	#[test]
	fn each_lineage_edge_pays_its_entry() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let base = commit(&alice(), &manifest("acme/llama", "base"));
			let m = manifest_with("acme/llama", "child", vec![(base, Relation::FineTune)]);
			let id = commit(&alice(), &m);
			let record = Versions::<Test>::get(id).unwrap();
			let meta = VersionMetas::<Test>::get(id).unwrap();
			let edge = 32 + 32 + Relation::FineTune.encode().len();
			let roots = ArtifactRoots::<Test>::get(id).unwrap();
			assert_eq!(
				record.deposit,
				deposit(
					5,
					32 + record.encode().len()
						+ 32 + meta.encode().len()
						+ 32 + roots.encode().len()
						+ name("acme/llama").encode().len()
						+ 4 + 32 + edge,
				)
			);
		});
	}

	#[test]
	fn deposit_grows_with_manifest_size() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let small = manifest("acme/llama", "s");
			let large = manifest("acme/llama", &"x".repeat(1000));
			let a = commit(&alice(), &small);
			let b = commit(&alice(), &large);
			let da = Versions::<Test>::get(a).unwrap().deposit;
			let db = Versions::<Test>::get(b).unwrap().deposit;
			assert_eq!(
				db - da,
				DEPOSIT_PER_BYTE * (large.encode().len() - small.encode().len()) as Balance
			);
		});
	}

	#[test]
	fn lineage_across_repositories() {
		new_test_ext().execute_with(|| {
			create(&alice(), "meta/base");
			create(&bob(), "bob/tuned");
			let base = commit(&alice(), &manifest("meta/base", "base"));
			let child = manifest_with("bob/tuned", "ft", vec![(base, Relation::FineTune)]);
			let child_id = commit(&bob(), &child);
			assert_eq!(
				Children::<Test>::get(base, child_id),
				Some(Relation::FineTune)
			);
			let quant = manifest_with("bob/tuned", "q4", vec![(child_id, Relation::Quantization)]);
			let quant_id = commit(&bob(), &quant);

			let up = Registry::ancestors(quant_id, 10);
			assert_eq!(up.len(), 2);
			assert_eq!(
				(up[0].parent, up[0].child, up[0].depth),
				(child_id, quant_id, 1)
			);
			assert_eq!(
				(up[1].parent, up[1].child, up[1].depth),
				(base, child_id, 2)
			);
			assert_eq!(up[1].relation, Relation::FineTune);
			let down = Registry::children(base, None, 10);
			assert_eq!(down.items, vec![(child_id, Relation::FineTune)]);
			assert_eq!(down.next_cursor, None);
			assert_eq!(
				Registry::children(child_id, None, 10).items,
				vec![(quant_id, Relation::Quantization)]
			);
			assert!(Registry::children(quant_id, None, 10).items.is_empty());
			check_state();
		});
	}

	#[test]
	fn unbounded_fan_out_is_indexed() {
		new_test_ext().execute_with(|| {
			create(&alice(), "meta/base");
			let base = commit(&alice(), &manifest("meta/base", "base"));
			for i in 0..40 {
				commit(
					&alice(),
					&manifest_with(
						"meta/base",
						&format!("child {i}"),
						vec![(base, Relation::Other)],
					),
				);
			}
			assert_eq!(Children::<Test>::iter_prefix(base).count(), 40);
			// The runtime API caps a page (16 in the mock), and pages reach every child once,
			// in id order.
			assert_eq!(Registry::children(base, None, 1000).items.len(), 16);
			let mut seen = Vec::new();
			let mut cursor = None;
			loop {
				let page = Registry::children(base, cursor, 7);
				assert!(page.items.len() <= 7);
				seen.extend(page.items.iter().map(|(child, _)| *child));
				match page.next_cursor {
					Some(next) => cursor = Some(next),
					None => break,
				}
			}
			assert_eq!(seen.len(), 40);
			let mut sorted = seen.clone();
			sorted.sort();
			sorted.dedup();
			assert_eq!(seen, sorted, "in id order, without repeats");
		});
	}

	#[test]
	fn author_signature_is_verified() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let m = manifest("acme/llama", "signed");
			let id = m.version_id();
			let author = sr25519::Pair::from_string("//Dave", None).unwrap();
			let author_account = Sr25519Keyring::Dave.to_account_id();
			let good =
				MultiSignature::from(author.sign(&author_payload(&Registry::genesis_hash(), &id)));
			let bad = MultiSignature::from(author.sign(b"something else"));
			assert_noop!(
				Registry::commit_version(
					origin(&alice()),
					name("acme/llama"),
					Box::new(m.clone()),
					Some(AuthorSignature {
						author: author_account.clone(),
						signature: bad
					})
				),
				Error::<Test>::BadSignature
			);
			// A valid signature by someone else than the claimed author also fails.
			assert_noop!(
				Registry::commit_version(
					origin(&alice()),
					name("acme/llama"),
					Box::new(m.clone()),
					Some(AuthorSignature {
						author: bob(),
						signature: good.clone()
					})
				),
				Error::<Test>::BadSignature
			);
			assert_ok!(Registry::commit_version(
				origin(&alice()),
				name("acme/llama"),
				Box::new(m),
				Some(AuthorSignature {
					author: author_account.clone(),
					signature: good
				})
			));
			let record = Versions::<Test>::get(id).unwrap();
			assert_eq!(record.author, author_account);
			assert_eq!(record.committer, alice());
			assert!(record.author_signed);
		});
	}

	#[test]
	fn ed25519_author_signature_is_accepted() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let m = manifest("acme/llama", "ed");
			let pair = polkadot_sdk::sp_core::ed25519::Pair::from_string("//Eve", None).unwrap();
			let author: AccountId = pair.public().into();
			let signature = MultiSignature::from(
				pair.sign(&author_payload(&Registry::genesis_hash(), &m.version_id())),
			);
			assert_ok!(Registry::commit_version(
				origin(&alice()),
				name("acme/llama"),
				Box::new(m.clone()),
				Some(AuthorSignature {
					author: author.clone(),
					signature
				})
			));
			assert_eq!(
				Versions::<Test>::get(m.version_id()).unwrap().author,
				author
			);
		});
	}

	#[test]
	fn access_errors() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			assert_noop!(
				try_commit(&alice(), manifest("nope/repo", "x")),
				Error::<Test>::UnknownRepository
			);
			assert_noop!(
				try_commit(&bob(), manifest("acme/llama", "x")),
				Error::<Test>::NotCommitter
			);
			create(&alice(), "acme/other");
			assert_noop!(
				Registry::commit_version(
					origin(&alice()),
					name("acme/other"),
					Box::new(manifest("acme/llama", "x")),
					None
				),
				Error::<Test>::RepositoryMismatch
			);
		});
	}

	#[test]
	fn parent_and_duplicate_errors() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let m = manifest("acme/llama", "x");
			commit(&alice(), &m);
			assert_noop!(try_commit(&alice(), m), Error::<Test>::DuplicateVersion);
			let orphan = manifest_with(
				"acme/llama",
				"y",
				vec![(VersionId([9; 32]), Relation::FineTune)],
			);
			assert_noop!(try_commit(&alice(), orphan), Error::<Test>::UnknownParent);
		});
	}

	#[test]
	fn shape_errors() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let base = manifest("acme/llama", "x");
			let mutate = |f: &dyn Fn(&mut Manifest)| {
				let mut m = base.clone();
				f(&mut m);
				m
			};
			let cases: Vec<(Manifest, Error<Test>)> = vec![
				(
					mutate(&|m| m.format_version = 1),
					Error::UnsupportedManifestFormat,
				),
				(
					mutate(&|m| m.format_version = 3),
					Error::UnsupportedManifestFormat,
				),
				(
					mutate(&|m| m.artifacts = BoundedVec::new()),
					Error::NoArtifacts,
				),
				(
					mutate(&|m| {
						m.artifacts = BoundedVec::truncate_from(
							(0..9).map(|i| artifact(&format!("f{i}"), b"x")).collect(),
						)
					}),
					Error::TooManyArtifacts,
				),
				(
					mutate(&|m| {
						let mut parents: Vec<Parent> = (0..5u8)
							.map(|i| Parent {
								version: VersionId([i; 32]),
								relation: Relation::Merge,
							})
							.collect();
						parents.sort_by_key(|p| p.version);
						m.parents = BoundedVec::truncate_from(parents);
					}),
					Error::TooManyParents,
				),
				(
					mutate(&|m| m.artifacts[0].chunk_size = 3000),
					Error::BadChunkSize,
				),
				(
					mutate(&|m| m.artifacts[0].chunk_size = MIN_CHUNK_SIZE / 2),
					Error::BadChunkSize,
				),
				(
					mutate(&|m| m.artifacts[0].chunk_size = MAX_CHUNK_SIZE * 2),
					Error::BadChunkSize,
				),
				(
					mutate(&|m| {
						m.artifacts[0].path = ArtifactPath::truncate_from(b"../x".to_vec())
					}),
					Error::UnsafePath,
				),
				(
					mutate(&|m| {
						m.artifacts[0].path = ArtifactPath::truncate_from(b"/etc/x".to_vec())
					}),
					Error::UnsafePath,
				),
				(
					mutate(&|m| {
						let mut artifacts = m.artifacts.clone().into_inner();
						artifacts.swap(0, 1);
						m.artifacts = BoundedVec::truncate_from(artifacts);
					}),
					Error::UnsortedPaths,
				),
				(
					mutate(&|m| {
						let first = m.artifacts[0].clone();
						m.artifacts[1] = first;
					}),
					Error::UnsortedPaths,
				),
				(
					mutate(&|m| {
						m.artifacts[0].uris =
							BoundedVec::truncate_from(vec![StorageUri::truncate_from(
								b"nope".to_vec(),
							)])
					}),
					Error::BadStorageUri,
				),
				(
					mutate(&|m| {
						m.parents = BoundedVec::truncate_from(vec![
							Parent {
								version: VersionId([2; 32]),
								relation: Relation::Merge,
							},
							Parent {
								version: VersionId([1; 32]),
								relation: Relation::Merge,
							},
						])
					}),
					Error::UnsortedParents,
				),
				(
					mutate(&|m| {
						m.metrics = BoundedVec::truncate_from(vec![
							m.metrics[0].clone(),
							m.metrics[0].clone(),
						])
					}),
					Error::BadMetrics,
				),
				(
					mutate(&|m| {
						m.tags =
							BoundedVec::truncate_from(vec![m.tags[0].clone(), m.tags[0].clone()])
					}),
					Error::BadTags,
				),
				(
					mutate(&|m| m.license = BoundedVec::new()),
					Error::BadLicense,
				),
				(
					mutate(&|m| m.message = BoundedVec::truncate_from(vec![0xff, 0xfe])),
					Error::BadText,
				),
			];
			for (m, error) in cases {
				assert_noop!(try_commit(&alice(), m), error);
			}
		});
	}

	#[test]
	fn insufficient_balance_for_deposit() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo,
				pauper(),
				Role::Maintainer
			));
			assert_noop!(
				try_commit(&pauper(), manifest("acme/llama", "x")),
				Error::<Test>::InsufficientBalance
			);
		});
	}
}

mod aliases {
	use super::*;

	#[test]
	fn moves_are_recorded_forever() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			let v2 = commit(&alice(), &manifest("acme/llama", "v2"));
			let prod = alias("production");
			assert_ok!(Registry::set_alias(
				origin(&alice()),
				repo.clone(),
				prod.clone(),
				v1
			));
			assert_eq!(
				last_event(),
				Event::AliasSet {
					repo: repo.clone(),
					alias: prod.clone(),
					from: None,
					to: v1,
					who: alice()
				}
				.into()
			);
			System::set_block_number(2);
			Timestamp::set_timestamp(1_700_000_006_000);
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_ok!(Registry::set_alias(
				origin(&bob()),
				repo.clone(),
				prod.clone(),
				v2
			));
			assert_eq!(
				Registry::resolve(repo.clone(), VersionRef::Alias(prod.clone())),
				Some(v2)
			);
			System::set_block_number(3);
			assert_ok!(Registry::remove_alias(
				origin(&bob()),
				repo.clone(),
				prod.clone()
			));
			assert_eq!(
				last_event(),
				Event::AliasRemoved {
					repo: repo.clone(),
					alias: prod.clone(),
					from: v2,
					who: bob()
				}
				.into()
			);
			assert_eq!(
				Registry::resolve(repo.clone(), VersionRef::Alias(prod.clone())),
				None
			);

			let history = Registry::alias_history(repo.clone(), prod.clone());
			assert_eq!(history.len(), 3);
			assert_eq!(
				(history[0].who.clone(), history[0].from, history[0].to),
				(alice(), None, Some(v1))
			);
			assert_eq!(history[0].block, 1);
			assert_eq!(
				(history[1].who.clone(), history[1].from, history[1].to),
				(bob(), Some(v1), Some(v2))
			);
			assert_eq!(history[1].timestamp, 1_700_000_006_000);
			assert_eq!(
				(history[2].from, history[2].to, history[2].block),
				(Some(v2), None, 3)
			);
			// One deposit per move, by its size, from whoever moved it.
			let key = repo.encode().len() + prod.encode().len() + 4;
			for entry in &history {
				assert_eq!(entry.deposit, deposit(1, key + entry.encode().len()));
			}
			assert_eq!(held(&alice(), HoldReason::Alias), history[0].deposit);
			assert_eq!(
				held(&bob(), HoldReason::Alias),
				history[1].deposit + history[2].deposit
			);
			// A removal stores no target id: 32 bytes less than a move.
			assert_eq!(
				history[1].deposit - history[2].deposit,
				DEPOSIT_PER_BYTE * 32
			);
			check_state();
		});
	}

	#[test]
	fn set_alias_errors() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			create(&alice(), "acme/other");
			let repo = name("acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			let other = commit(&alice(), &manifest("acme/other", "o"));
			let prod = alias("production");
			assert_noop!(
				Registry::set_alias(origin(&alice()), name("nope/x"), prod.clone(), v1),
				Error::<Test>::UnknownRepository
			);
			assert_noop!(
				Registry::set_alias(origin(&bob()), repo.clone(), prod.clone(), v1),
				Error::<Test>::NotMaintainer
			);
			assert_noop!(
				Registry::set_alias(origin(&alice()), repo.clone(), alias("Prod"), v1),
				Error::<Test>::InvalidAliasName
			);
			assert_noop!(
				Registry::set_alias(
					origin(&alice()),
					repo.clone(),
					prod.clone(),
					VersionId([7; 32])
				),
				Error::<Test>::UnknownVersion
			);
			assert_noop!(
				Registry::set_alias(origin(&alice()), repo.clone(), prod.clone(), other),
				Error::<Test>::VersionNotInRepository
			);
			assert_ok!(Registry::set_alias(
				origin(&alice()),
				repo.clone(),
				prod.clone(),
				v1
			));
			assert_noop!(
				Registry::set_alias(origin(&alice()), repo.clone(), prod.clone(), v1),
				Error::<Test>::AliasUnchanged
			);
			let v2 = commit(&alice(), &manifest("acme/llama", "v2"));
			assert_ok!(Registry::yank_version(
				origin(&alice()),
				repo.clone(),
				v2,
				reason("bad")
			));
			assert_noop!(
				Registry::set_alias(origin(&alice()), repo.clone(), prod, v2),
				Error::<Test>::VersionIsYanked
			);
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				pauper(),
				Role::Maintainer
			));
			assert_noop!(
				Registry::set_alias(origin(&pauper()), repo, alias("staging"), v1),
				Error::<Test>::InsufficientBalance
			);
		});
	}

	#[test]
	fn remove_alias_errors() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			assert_noop!(
				Registry::remove_alias(origin(&alice()), repo.clone(), alias("production")),
				Error::<Test>::UnknownAlias
			);
			assert_ok!(Registry::set_alias(
				origin(&alice()),
				repo.clone(),
				alias("production"),
				v1
			));
			assert_noop!(
				Registry::remove_alias(origin(&bob()), repo.clone(), alias("production")),
				Error::<Test>::NotMaintainer
			);
			assert_noop!(
				Registry::remove_alias(origin(&alice()), name("nope/x"), alias("production")),
				Error::<Test>::UnknownRepository
			);
		});
	}
}

mod yanking {
	use super::*;

	#[test]
	fn yank_keeps_version_and_unyank_restores() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			assert_ok!(Registry::yank_version(
				origin(&alice()),
				repo.clone(),
				v1,
				reason("leaked eval set")
			));
			assert_eq!(
				last_event(),
				Event::VersionYanked {
					repo: repo.clone(),
					version: v1,
					who: alice(),
					reason: reason("leaked eval set")
				}
				.into()
			);
			let info = Registry::version_info(v1).unwrap();
			let yank = info.yanked.unwrap();
			assert_eq!(yank.reason, reason("leaked eval set"));
			// The yank record pays for its entry until the unyank.
			assert_eq!(yank.deposit, deposit(1, 32 + yank.encode().len()));
			assert_eq!(held(&alice(), HoldReason::Yank), yank.deposit);
			check_state();
			// Never deleted: the record and lineage are intact.
			assert!(Versions::<Test>::contains_key(v1));
			assert_ok!(Registry::unyank_version(origin(&alice()), repo.clone(), v1));
			assert_eq!(held(&alice(), HoldReason::Yank), 0);
			assert_eq!(
				last_event(),
				Event::VersionUnyanked {
					repo,
					version: v1,
					who: alice()
				}
				.into()
			);
			assert!(Registry::version_info(v1).unwrap().yanked.is_none());
			check_state();
		});
	}

	#[test]
	fn yank_errors() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			create(&alice(), "acme/other");
			let repo = name("acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			let other = commit(&alice(), &manifest("acme/other", "o"));
			assert_noop!(
				Registry::yank_version(origin(&bob()), repo.clone(), v1, reason("x")),
				Error::<Test>::NotMaintainer
			);
			assert_noop!(
				Registry::yank_version(origin(&alice()), name("nope/x"), v1, reason("x")),
				Error::<Test>::UnknownRepository
			);
			assert_noop!(
				Registry::yank_version(
					origin(&alice()),
					repo.clone(),
					VersionId([3; 32]),
					reason("x")
				),
				Error::<Test>::UnknownVersion
			);
			assert_noop!(
				Registry::yank_version(origin(&alice()), repo.clone(), other, reason("x")),
				Error::<Test>::VersionNotInRepository
			);
			assert_noop!(
				Registry::yank_version(
					origin(&alice()),
					repo.clone(),
					v1,
					Reason::truncate_from(vec![0xff])
				),
				Error::<Test>::BadText
			);
			assert_noop!(
				Registry::unyank_version(origin(&alice()), repo.clone(), v1),
				Error::<Test>::NotYanked
			);
			assert_ok!(Registry::yank_version(
				origin(&alice()),
				repo.clone(),
				v1,
				reason("x")
			));
			assert_noop!(
				Registry::yank_version(origin(&alice()), repo.clone(), v1, reason("x")),
				Error::<Test>::AlreadyYanked
			);
			assert_noop!(
				Registry::unyank_version(origin(&bob()), repo.clone(), v1),
				Error::<Test>::NotMaintainer
			);
			assert_noop!(
				Registry::unyank_version(origin(&alice()), repo, other),
				Error::<Test>::VersionNotInRepository
			);
		});
	}
}

mod forced {
	use super::*;

	fn root() -> RuntimeOrigin {
		RuntimeOrigin::root()
	}

	/// Alice's repository `acme/llama` with one version.
	fn llama_v1() -> (RepoName, VersionId) {
		create(&alice(), "acme/llama");
		(
			name("acme/llama"),
			commit(&alice(), &manifest("acme/llama", "v1")),
		)
	}

	#[test]
	fn force_yank_needs_governance_and_keeps_history() {
		new_test_ext().execute_with(|| {
			let (repo, v1) = llama_v1();
			assert_ok!(Registry::set_alias(
				origin(&alice()),
				repo.clone(),
				alias("production"),
				v1
			));
			assert_noop!(
				Registry::force_yank_version(origin(&alice()), v1, reason("malware")),
				DispatchError::BadOrigin
			);
			let record = Versions::<Test>::get(v1).unwrap();
			assert_ok!(Registry::force_yank_version(root(), v1, reason("malware")));
			assert_eq!(
				last_event(),
				Event::VersionForceYanked {
					repo: repo.clone(),
					version: v1,
					reason: reason("malware"),
					replaced: None
				}
				.into()
			);
			let yank = Yanked::<Test>::get(v1).unwrap();
			assert_eq!(yank.by, Yanker::Governance);
			assert_eq!(yank.deposit, 0);
			// Nothing deleted or rewritten: the record, the alias and its history stay.
			assert_eq!(Versions::<Test>::get(v1).unwrap(), record);
			assert_eq!(Aliases::<Test>::get(&repo, alias("production")), Some(v1));
			assert_eq!(
				Registry::alias_history(repo.clone(), alias("production")).len(),
				1
			);
			check_state();
			// Maintainers cannot withdraw it, nor point an alias at it.
			assert_noop!(
				Registry::unyank_version(origin(&alice()), repo.clone(), v1),
				Error::<Test>::YankedByGovernance
			);
			assert_noop!(
				Registry::set_alias(origin(&alice()), repo.clone(), alias("staging"), v1),
				Error::<Test>::VersionIsYanked
			);
			assert_noop!(
				Registry::force_yank_version(root(), v1, reason("again")),
				Error::<Test>::AlreadyYanked
			);
			assert_ok!(Registry::force_unyank_version(root(), v1));
			assert_eq!(
				last_event(),
				Event::VersionForceUnyanked { repo, version: v1 }.into()
			);
			assert!(!Yanked::<Test>::contains_key(v1));
			check_state();
		});
	}

	#[test]
	fn force_yank_replaces_a_maintainer_yank_and_releases_its_deposit() {
		new_test_ext().execute_with(|| {
			let (repo, v1) = llama_v1();
			assert_ok!(Registry::yank_version(
				origin(&alice()),
				repo.clone(),
				v1,
				reason("typo")
			));
			assert!(held(&alice(), HoldReason::Yank) > 0);
			assert_ok!(Registry::force_yank_version(root(), v1, reason("malware")));
			assert_eq!(held(&alice(), HoldReason::Yank), 0);
			assert_eq!(
				last_event(),
				Event::VersionForceYanked {
					repo,
					version: v1,
					reason: reason("malware"),
					replaced: Some(alice())
				}
				.into()
			);
			assert_eq!(Yanked::<Test>::get(v1).unwrap().reason, reason("malware"));
			check_state();
		});
	}

	#[test]
	fn force_unyank_releases_a_maintainer_deposit() {
		new_test_ext().execute_with(|| {
			let (repo, v1) = llama_v1();
			assert_ok!(Registry::yank_version(
				origin(&alice()),
				repo,
				v1,
				reason("typo")
			));
			assert_noop!(
				Registry::force_unyank_version(origin(&alice()), v1),
				DispatchError::BadOrigin
			);
			assert_ok!(Registry::force_unyank_version(root(), v1));
			assert_eq!(held(&alice(), HoldReason::Yank), 0);
			check_state();
		});
	}

	#[test]
	fn force_errors_change_nothing() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			let unknown = VersionId([7; 32]);
			assert_noop!(
				Registry::force_yank_version(root(), unknown, reason("x")),
				Error::<Test>::UnknownVersion
			);
			assert_noop!(
				Registry::force_yank_version(root(), v1, Reason::truncate_from(vec![0xff])),
				Error::<Test>::BadText
			);
			assert_noop!(
				Registry::force_unyank_version(root(), unknown),
				Error::<Test>::UnknownVersion
			);
			assert_noop!(
				Registry::force_unyank_version(root(), v1),
				Error::<Test>::NotYanked
			);
			assert_noop!(
				Registry::force_transfer_repository(root(), name("nope/x"), bob()),
				Error::<Test>::UnknownRepository
			);
			assert_noop!(
				Registry::force_transfer_repository(root(), name("acme/llama"), alice()),
				Error::<Test>::AlreadyOwner
			);
			assert_noop!(
				Registry::force_transfer_repository(root(), name("acme/llama"), pauper()),
				Error::<Test>::InsufficientBalance
			);
			assert_noop!(
				Registry::force_transfer_repository(origin(&bob()), name("acme/llama"), bob()),
				DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn force_transfer_moves_owner_and_deposit_and_keeps_versions() {
		new_test_ext().execute_with(|| {
			let (repo, v1) = llama_v1();
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_ok!(Registry::transfer_ownership(
				origin(&alice()),
				repo.clone(),
				charlie()
			));
			let deposit_before = held(&alice(), HoldReason::Repository);
			assert!(deposit_before > 0);
			assert_ok!(Registry::force_transfer_repository(
				root(),
				repo.clone(),
				bob()
			));
			assert_eq!(
				last_event(),
				Event::RepositoryForceTransferred {
					repo: repo.clone(),
					from: alice(),
					to: bob()
				}
				.into()
			);
			let info = Repositories::<Test>::get(&repo).unwrap();
			assert_eq!(info.owner, bob());
			assert_eq!(info.depositor, bob());
			// The pending offer is gone, bob's maintainer role folded into ownership.
			assert!(!PendingOwners::<Test>::contains_key(&repo));
			assert!(!Maintainers::<Test>::contains_key(&repo));
			assert_eq!(held(&alice(), HoldReason::Repository), 0);
			assert_eq!(held(&bob(), HoldReason::Repository), info.deposit);
			assert_eq!(info.deposit, bare_repository_deposit("acme/llama"));
			// The versions and the committer's version deposit are untouched.
			assert_eq!(Versions::<Test>::get(v1).unwrap().committer, alice());
			assert_noop!(
				Registry::accept_ownership(origin(&charlie()), repo),
				Error::<Test>::NotPendingOwner
			);
			check_state();
		});
	}
}

mod mirrors {
	use super::*;

	fn uri(s: &str) -> StorageUri {
		s.as_bytes().to_vec().try_into().unwrap()
	}

	#[test]
	fn add_and_remove_keep_the_version_and_move_the_deposit() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			let record = Versions::<Test>::get(v1).unwrap();
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_ok!(Registry::add_mirror(
				origin(&bob()),
				repo.clone(),
				v1,
				uri("s3://bucket/models")
			));
			let mirror = Mirrors::<Test>::get(v1)[0].clone();
			let expected = deposit(1, mirror.encode().len());
			assert_eq!(mirror.deposit, expected);
			assert_eq!(
				last_event(),
				Event::MirrorAdded {
					repo: repo.clone(),
					version: v1,
					uri: uri("s3://bucket/models"),
					who: bob(),
					deposit: expected
				}
				.into()
			);
			assert_eq!(held(&bob(), HoldReason::Mirror), expected);
			let info = Registry::version_info(v1).unwrap();
			assert_eq!(info.mirrors.len(), 1);
			assert_eq!(info.mirrors[0].uri, uri("s3://bucket/models"));
			assert_eq!(info.mirrors[0].added_by, bob());
			assert_eq!(info.mirrors[0].block, 1);
			// The version record and its id are untouched.
			assert_eq!(Versions::<Test>::get(v1).unwrap(), record);
			assert_eq!(record.manifest.version_id(), v1);
			check_state();

			// The owner removes it; the deposit goes back to bob, who paid it.
			assert_ok!(Registry::remove_mirror(
				origin(&alice()),
				repo.clone(),
				v1,
				uri("s3://bucket/models")
			));
			assert_eq!(
				last_event(),
				Event::MirrorRemoved {
					repo,
					version: v1,
					uri: uri("s3://bucket/models"),
					who: alice()
				}
				.into()
			);
			assert_eq!(held(&bob(), HoldReason::Mirror), 0);
			assert!(!Mirrors::<Test>::contains_key(v1));
			assert!(Registry::version_info(v1).unwrap().mirrors.is_empty());
			check_state();
		});
	}

	#[test]
	fn add_errors() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			create(&alice(), "acme/other");
			let repo = name("acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			let other = commit(&alice(), &manifest("acme/other", "o"));
			let m = uri("https://m.example/v1/blobs");
			assert_noop!(
				Registry::add_mirror(origin(&bob()), repo.clone(), v1, m.clone()),
				Error::<Test>::NotCommitter
			);
			assert_noop!(
				Registry::add_mirror(origin(&alice()), name("nope/x"), v1, m.clone()),
				Error::<Test>::UnknownRepository
			);
			assert_noop!(
				Registry::add_mirror(origin(&alice()), repo.clone(), other, m.clone()),
				Error::<Test>::VersionNotInRepository
			);
			assert_noop!(
				Registry::add_mirror(
					origin(&alice()),
					repo.clone(),
					VersionId([9; 32]),
					m.clone()
				),
				Error::<Test>::UnknownVersion
			);
			for bad in ["no-scheme", "https://with space", ":x", "https://\u{7f}"] {
				assert_noop!(
					Registry::add_mirror(origin(&alice()), repo.clone(), v1, uri(bad)),
					Error::<Test>::BadStorageUri
				);
			}
			assert_ok!(Registry::add_mirror(
				origin(&alice()),
				repo.clone(),
				v1,
				m.clone()
			));
			assert_noop!(
				Registry::add_mirror(origin(&alice()), repo.clone(), v1, m),
				Error::<Test>::MirrorExists
			);
			// The mock allows 3 mirrors per version.
			for i in 1..3 {
				assert_ok!(Registry::add_mirror(
					origin(&alice()),
					repo.clone(),
					v1,
					uri(&format!("https://m{i}.example/b"))
				));
			}
			assert_noop!(
				Registry::add_mirror(origin(&alice()), repo.clone(), v1, uri("file:///x")),
				Error::<Test>::TooManyMirrors
			);
			let by_alice: Balance = Mirrors::<Test>::get(v1)
				.iter()
				.filter(|m| m.added_by == alice())
				.map(|m| deposit(1, m.encode().len()))
				.sum();
			assert_eq!(held(&alice(), HoldReason::Mirror), by_alice);
			check_state();
		});
	}

	#[test]
	fn a_mirror_needs_its_deposit() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				pauper(),
				Role::Maintainer
			));
			assert_noop!(
				Registry::add_mirror(origin(&pauper()), repo, v1, uri("s3://b/p")),
				Error::<Test>::InsufficientBalance
			);
		});
	}

	#[test]
	fn remove_errors() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			assert_ok!(Registry::add_mirror(
				origin(&alice()),
				repo.clone(),
				v1,
				uri("s3://b/p")
			));
			assert_noop!(
				Registry::remove_mirror(origin(&bob()), repo.clone(), v1, uri("s3://b/p")),
				Error::<Test>::NotMaintainer
			);
			assert_noop!(
				Registry::remove_mirror(origin(&alice()), repo.clone(), v1, uri("s3://b/q")),
				Error::<Test>::UnknownMirror
			);
			assert_noop!(
				Registry::remove_mirror(
					origin(&alice()),
					repo,
					VersionId([9; 32]),
					uri("s3://b/p")
				),
				Error::<Test>::UnknownVersion
			);
		});
	}
}

mod queries {
	use super::*;

	#[test]
	fn versions_page_newest_first() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let ids: Vec<VersionId> = (0..20)
				.map(|i| commit(&alice(), &manifest("acme/llama", &format!("v{i}"))))
				.collect();
			let page = Registry::versions_page(repo.clone(), None, 5);
			assert_eq!(
				page.items.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
				vec![19, 18, 17, 16, 15]
			);
			assert_eq!(page.items[0].1, ids[19]);
			assert_eq!(page.next_cursor, Some(15));
			let rest = Registry::versions_page(repo.clone(), Some(15), 100);
			// Capped at MaxQueryResults = 16; 15 remain.
			assert_eq!(rest.items.len(), 15);
			assert_eq!(rest.items.last().unwrap().1, ids[0]);
			assert_eq!(rest.next_cursor, None);
			assert!(Registry::versions_page(name("nope/x"), None, 5)
				.items
				.is_empty());
		});
	}

	#[test]
	fn resolve_checks_repository() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			create(&alice(), "acme/other");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			assert_eq!(
				Registry::resolve(name("acme/llama"), VersionRef::Id(v1)),
				Some(v1)
			);
			assert_eq!(
				Registry::resolve(name("acme/other"), VersionRef::Id(v1)),
				None
			);
			assert_eq!(
				Registry::resolve(name("acme/llama"), VersionRef::Id(VersionId([1; 32]))),
				None
			);
		});
	}

	#[test]
	fn repository_view_lists_roles_and_aliases() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_ok!(Registry::set_alias(
				origin(&alice()),
				repo.clone(),
				alias("production"),
				v1
			));
			let view = Registry::repository_view(repo).unwrap();
			assert_eq!(view.owner, alice());
			assert_eq!(view.maintainers, vec![bob()]);
			assert_eq!(view.version_count, 1);
			assert_eq!(view.aliases, vec![(alias("production"), v1)]);
			assert!(Registry::repository_view(name("nope/x")).is_none());
		});
	}
}

#[test]
fn integrity_test_passes() {
	new_test_ext().execute_with(|| {
		<Registry as Hooks<u64>>::integrity_test();
	});
}

#[test]
#[should_panic(expected = "MaxArtifacts")]
fn integrity_test_rejects_limits_above_encoding_bounds() {
	new_test_ext().execute_with(|| {
		MaxArtifacts::set(owh_primitives::MAX_ARTIFACTS + 1);
		<Registry as Hooks<u64>>::integrity_test();
	});
}

mod hardening {
	use super::*;
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};

	/// Removes a version's full record, so that any call that still decoded it would fail.
	fn drop_record(id: VersionId) {
		Versions::<Test>::remove(id);
	}

	#[test]
	fn commit_indexes_repository_parents_and_no_aliases() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let base = commit(&alice(), &manifest("acme/llama", "base"));
			let child = manifest_with("acme/llama", "child", vec![(base, Relation::Quantization)]);
			let id = commit(&alice(), &child);
			let meta = VersionMetas::<Test>::get(id).unwrap();
			assert_eq!(meta, VersionMeta::of(&child));
			assert_eq!(meta.repository, name("acme/llama"));
			assert_eq!(meta.parents[0].version, base);
			assert_eq!(meta.aliases, 0);
			// The stored record is byte-for-byte the encoding of the full record.
			let record = Versions::<Test>::get(id).unwrap();
			assert_eq!(record.manifest, child);
			let raw = polkadot_sdk::frame_support::storage::unhashed::get_raw(
				&Versions::<Test>::hashed_key_for(id),
			);
			assert_eq!(raw, Some(record.encode()));
			check_state();
		});
	}

	#[test]
	fn calls_after_commit_never_read_the_full_record() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let base = commit(&alice(), &manifest("acme/llama", "base"));
			let v1 = commit(
				&alice(),
				&manifest_with("acme/llama", "v1", vec![(base, Relation::FineTune)]),
			);
			drop_record(v1);
			drop_record(base);
			assert_ok!(Registry::set_alias(
				origin(&alice()),
				repo.clone(),
				alias("prod"),
				v1
			));
			assert_ok!(Registry::remove_alias(
				origin(&alice()),
				repo.clone(),
				alias("prod")
			));
			assert_ok!(Registry::yank_version(
				origin(&alice()),
				repo.clone(),
				v1,
				reason("bad")
			));
			assert_ok!(Registry::unyank_version(origin(&alice()), repo.clone(), v1));
			let uri = StorageUri::truncate_from(b"https://mirror.example/m".to_vec());
			assert_ok!(Registry::add_mirror(
				origin(&alice()),
				repo.clone(),
				v1,
				uri.clone()
			));
			assert_ok!(Registry::remove_mirror(
				origin(&alice()),
				repo.clone(),
				v1,
				uri
			));
			use owh_primitives::licensing::ModelRegistry;
			assert_eq!(
				<Registry as ModelRegistry<AccountId>>::lineage_of(&v1),
				Some((repo.clone(), vec![base]))
			);
			assert_eq!(Registry::ancestors(v1, 4).len(), 1);
			assert_eq!(Registry::resolve(repo, VersionRef::Id(v1)), Some(v1));
			// A child can still name it as a parent.
			commit(
				&alice(),
				&manifest_with("acme/llama", "v2", vec![(v1, Relation::FineTune)]),
			);
		});
	}

	#[test]
	fn an_aliased_version_cannot_be_yanked() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
			let v2 = commit(&alice(), &manifest("acme/llama", "v2"));
			assert_ok!(Registry::set_alias(
				origin(&alice()),
				repo.clone(),
				alias("production"),
				v1
			));
			assert_ok!(Registry::set_alias(
				origin(&alice()),
				repo.clone(),
				alias("staging"),
				v1
			));
			assert_eq!(VersionMetas::<Test>::get(v1).unwrap().aliases, 2);
			assert_noop!(
				Registry::yank_version(origin(&alice()), repo.clone(), v1, reason("bad")),
				Error::<Test>::VersionHasAliases
			);
			// Moving one alias away and removing the other frees the version.
			assert_ok!(Registry::set_alias(
				origin(&alice()),
				repo.clone(),
				alias("production"),
				v2
			));
			assert_eq!(VersionMetas::<Test>::get(v1).unwrap().aliases, 1);
			assert_eq!(VersionMetas::<Test>::get(v2).unwrap().aliases, 1);
			assert_noop!(
				Registry::yank_version(origin(&alice()), repo.clone(), v1, reason("bad")),
				Error::<Test>::VersionHasAliases
			);
			assert_ok!(Registry::remove_alias(
				origin(&alice()),
				repo.clone(),
				alias("staging")
			));
			assert_eq!(VersionMetas::<Test>::get(v1).unwrap().aliases, 0);
			assert_ok!(Registry::yank_version(
				origin(&alice()),
				repo.clone(),
				v1,
				reason("bad")
			));
			// And a yanked version cannot become an alias target.
			assert_noop!(
				Registry::set_alias(origin(&alice()), repo, alias("staging"), v1),
				Error::<Test>::VersionIsYanked
			);
			check_state();
		});
	}

	#[test]
	fn revoking_the_last_maintainer_leaves_no_entry() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_ok!(Registry::revoke_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert!(!Maintainers::<Test>::contains_key(&repo));
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert_ok!(Registry::transfer_ownership(
				origin(&alice()),
				repo.clone(),
				bob()
			));
			assert_ok!(Registry::accept_ownership(origin(&bob()), repo.clone()));
			assert!(!Maintainers::<Test>::contains_key(&repo));
			check_state();
		});
	}

	#[test]
	fn author_signature_is_bound_to_this_chain() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let pair = sr25519::Pair::from_string("//Dave", None).unwrap();
			let author = Sr25519Keyring::Dave.to_account_id();
			let try_with = |message: &str, sign: &dyn Fn(&VersionId) -> Vec<u8>| {
				let m = manifest("acme/llama", message);
				let signature = MultiSignature::from(pair.sign(&sign(&m.version_id())));
				Registry::commit_version(
					origin(&alice()),
					name("acme/llama"),
					Box::new(m),
					Some(AuthorSignature {
						author: author.clone(),
						signature,
					}),
				)
			};
			let genesis = Registry::genesis_hash();
			assert_ne!(genesis, [0; 32], "the mock has a genesis hash");
			let mut other_chain = genesis;
			other_chain[0] ^= 1;
			// The old, unbound payload (what a testnet signature looked like) is refused.
			assert_noop!(
				try_with("old", &|id| [b"owh:version:".as_slice(), id.as_bytes()]
					.concat()),
				Error::<Test>::BadSignature
			);
			// A payload for another chain is refused.
			assert_noop!(
				try_with("fork", &|id| author_payload(&other_chain, id).to_vec()),
				Error::<Test>::BadSignature
			);
			// Raw, and wrapped in <Bytes>…</Bytes> as wallet extensions sign, both verify.
			assert_ok!(try_with("raw", &|id| author_payload(&genesis, id).to_vec()));
			assert_ok!(try_with("wrapped", &|id| wrapped_payload(&author_payload(
				&genesis, id
			))));
			let payload = author_payload(&genesis, &VersionId([9; 32]));
			assert!(payload.starts_with(b"owh:author-version:v1:"));
			assert_eq!(&payload[22..54], &genesis);
		});
	}

	#[test]
	fn try_state_catches_broken_invariants() {
		let broken = |break_it: &dyn Fn(VersionId), expected: &'static str| {
			new_test_ext().execute_with(|| {
				create(&alice(), "acme/llama");
				let v1 = commit(&alice(), &manifest("acme/llama", "v1"));
				assert_ok!(Registry::set_alias(
					origin(&alice()),
					name("acme/llama"),
					alias("prod"),
					v1
				));
				check_state();
				break_it(v1);
				let error = Registry::do_try_state().expect_err(expected);
				assert_eq!(error, DispatchError::Other(expected), "{expected}");
			});
		};
		broken(
			&|v1| VersionMetas::<Test>::mutate(v1, |m| m.as_mut().unwrap().aliases = 0),
			"alias count differs from the aliases",
		);
		broken(
			&|v1| VersionMetas::<Test>::remove(v1),
			"version without index entry",
		);
		broken(
			&|v1| {
				VersionMetas::<Test>::mutate(v1, |m| {
					m.as_mut().unwrap().repository = name("acme/other")
				})
			},
			"index entry differs from the manifest",
		);
		broken(
			&|_| Maintainers::<Test>::insert(name("acme/llama"), MaintainersOf::<Test>::default()),
			"empty maintainer list stored",
		);
		broken(
			&|_| {
				let v2 = commit(&alice(), &manifest("acme/llama", "v2"));
				assert_ok!(Registry::set_alias(
					origin(&alice()),
					name("acme/llama"),
					alias("prod"),
					v2
				));
				AliasHistory::<Test>::remove((name("acme/llama"), alias("prod")), 0);
			},
			"alias history has a gap",
		);
		broken(
			&|v1| {
				Yanked::<Test>::insert(
					v1,
					YankInfo {
						by: Yanker::Maintainer(alice()),
						deposit: 0,
						block: 1,
						reason: reason("x"),
					},
				)
			},
			"alias points at a version a maintainer yanked",
		);
		broken(
			&|_| {
				use polkadot_sdk::frame_support::traits::{
					fungible::MutateHold, tokens::Precision,
				};
				<Balances as MutateHold<AccountId>>::release(
					&HoldReason::Version.into(),
					&alice(),
					1,
					Precision::Exact,
				)
				.unwrap();
			},
			"held deposit differs from the recorded deposits",
		);
	}

	/// Rewrites the state the current calls built in the layout of storage version 1: alias
	/// moves without a recorded deposit, each holding the fixed `V1_ALIAS_DEPOSIT`.
	fn downgrade_alias_history_to_v1() {
		use polkadot_sdk::frame_support::traits::{fungible::MutateHold, tokens::Precision};
		for ((repo, alias), n, entry) in AliasHistory::<Test>::iter().collect::<Vec<_>>() {
			<Balances as MutateHold<AccountId>>::release(
				&HoldReason::Alias.into(),
				&entry.who,
				entry.deposit,
				Precision::Exact,
			)
			.unwrap();
			<Balances as MutateHold<AccountId>>::hold(
				&HoldReason::Alias.into(),
				&entry.who,
				V1_ALIAS_DEPOSIT,
			)
			.unwrap();
			migrations::v1_layout::AliasHistory::<Test>::insert(
				(repo, alias),
				n,
				migrations::v1_layout::AliasMove {
					who: entry.who,
					block: entry.block,
					timestamp: entry.timestamp,
					from: entry.from,
					to: entry.to,
				},
			);
		}
	}

	type V0ToV1 = migrations::v1::MigrateV0ToV1<
		Test,
		polkadot_sdk::frame_support::traits::ConstU128<V1_ALIAS_DEPOSIT>,
	>;
	type V1ToV2 = migrations::v2::MigrateV1ToV2<
		Test,
		polkadot_sdk::frame_support::traits::ConstU128<V1_ALIAS_DEPOSIT>,
	>;
	type V2ToV3 = migrations::v3::MigrateV2ToV3<Test>;
	type V3ToV4 = migrations::v4::MigrateV3ToV4<Test>;

	#[test]
	fn migrations_from_v0_index_versions_drop_aliases_of_yanked_versions_and_record_deposits() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			let base = commit(&alice(), &manifest("acme/llama", "base"));
			let child = commit(
				&alice(),
				&manifest_with("acme/llama", "child", vec![(base, Relation::FineTune)]),
			);
			assert_ok!(Registry::set_alias(
				origin(&alice()),
				repo.clone(),
				alias("production"),
				base
			));
			assert_ok!(Registry::set_alias(
				origin(&alice()),
				repo.clone(),
				alias("staging"),
				child
			));
			// Make it look like storage version 0: the old layouts, no index, and what the old
			// rules allowed — a yanked version under an alias, an empty maintainer list.
			downgrade_alias_history_to_v1();
			let _ = VersionMetas::<Test>::clear(u32::MAX, None);
			let _ = ArtifactRoots::<Test>::clear(u32::MAX, None);
			migrations::v1_layout::Yanked::<Test>::insert(
				base,
				migrations::v1_layout::YankInfo {
					by: bob(),
					block: 1,
					reason: reason("leaked eval set"),
				},
			);
			Maintainers::<Test>::insert(name("acme/llama"), MaintainersOf::<Test>::default());
			StorageVersion::new(0).put::<Registry>();
			assert!(
				Registry::do_try_state().is_err(),
				"the old state breaks the new rules"
			);

			#[cfg(feature = "try-runtime")]
			let state = <V0ToV1 as OnRuntimeUpgrade>::pre_upgrade().expect("pre_upgrade v1");
			<V0ToV1 as OnRuntimeUpgrade>::on_runtime_upgrade();
			#[cfg(feature = "try-runtime")]
			<V0ToV1 as OnRuntimeUpgrade>::post_upgrade(state).expect("post_upgrade v1");
			assert_eq!(Registry::on_chain_storage_version(), StorageVersion::new(1));
			#[cfg(feature = "try-runtime")]
			let state = <V1ToV2 as OnRuntimeUpgrade>::pre_upgrade().expect("pre_upgrade v2");
			<V1ToV2 as OnRuntimeUpgrade>::on_runtime_upgrade();
			#[cfg(feature = "try-runtime")]
			<V1ToV2 as OnRuntimeUpgrade>::post_upgrade(state).expect("post_upgrade v2");
			assert_eq!(Registry::on_chain_storage_version(), StorageVersion::new(2));
			#[cfg(feature = "try-runtime")]
			let state = <V2ToV3 as OnRuntimeUpgrade>::pre_upgrade().expect("pre_upgrade v3");
			<V2ToV3 as OnRuntimeUpgrade>::on_runtime_upgrade();
			#[cfg(feature = "try-runtime")]
			<V2ToV3 as OnRuntimeUpgrade>::post_upgrade(state).expect("post_upgrade v3");
			assert_eq!(Registry::on_chain_storage_version(), StorageVersion::new(3));
			#[cfg(feature = "try-runtime")]
			let state = <V3ToV4 as OnRuntimeUpgrade>::pre_upgrade().expect("pre_upgrade v4");
			<V3ToV4 as OnRuntimeUpgrade>::on_runtime_upgrade();
			#[cfg(feature = "try-runtime")]
			<V3ToV4 as OnRuntimeUpgrade>::post_upgrade(state).expect("post_upgrade v4");
			assert_eq!(Registry::on_chain_storage_version(), StorageVersion::new(4));
			for id in [base, child] {
				let record = Versions::<Test>::get(id).unwrap();
				assert_eq!(
					ArtifactRoots::<Test>::get(id),
					Some(owh_primitives::storage::VersionRoots::of(&record.manifest))
				);
			}

			assert_eq!(VersionMetas::<Test>::iter_keys().count(), 2);
			assert_eq!(VersionMetas::<Test>::get(child).unwrap().aliases, 1);
			assert_eq!(
				VersionMetas::<Test>::get(child).unwrap().parents[0].version,
				base
			);
			assert_eq!(VersionMetas::<Test>::get(base).unwrap().aliases, 0);
			// The alias of the yanked version was removed, and the removal is in its history,
			// paid by whoever yanked it; every entry records the deposit held for it.
			assert_eq!(Aliases::<Test>::get(&repo, alias("production")), None);
			let history = Registry::alias_history(repo.clone(), alias("production"));
			assert_eq!(history.last().unwrap().to, None);
			assert_eq!(history.last().unwrap().who, bob());
			assert!(history.iter().all(|e| e.deposit == V1_ALIAS_DEPOSIT));
			assert_eq!(held(&bob(), HoldReason::Alias), V1_ALIAS_DEPOSIT);
			// The old yank record held nothing, and records that; it was a maintainer's.
			let yank = Yanked::<Test>::get(base).unwrap();
			assert_eq!(yank.deposit, 0);
			assert_eq!(yank.by, Yanker::Maintainer(bob()));
			assert!(!Maintainers::<Test>::contains_key(&repo));
			check_state();

			// Running them again does nothing: the storage version is already 4.
			VersionMetas::<Test>::remove(base);
			ArtifactRoots::<Test>::remove(base);
			<V0ToV1 as OnRuntimeUpgrade>::on_runtime_upgrade();
			<V1ToV2 as OnRuntimeUpgrade>::on_runtime_upgrade();
			<V2ToV3 as OnRuntimeUpgrade>::on_runtime_upgrade();
			<V3ToV4 as OnRuntimeUpgrade>::on_runtime_upgrade();
			assert!(!VersionMetas::<Test>::contains_key(base));
			assert!(!ArtifactRoots::<Test>::contains_key(base));
		});
	}
}

mod committers {
	use super::*;

	#[test]
	fn a_committer_commits_and_adds_mirrors_and_nothing_else() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Committer
			));
			assert_eq!(
				last_event(),
				Event::RoleGranted {
					repo: repo.clone(),
					who: bob(),
					role: Role::Committer
				}
				.into()
			);
			let v1 = commit(&bob(), &manifest("acme/llama", "by the CI key"));
			let uri = StorageUri::truncate_from(b"s3://bucket/models".to_vec());
			assert_ok!(Registry::add_mirror(
				origin(&bob()),
				repo.clone(),
				v1,
				uri.clone()
			));
			// No power over aliases, yanks, mirrors already there, or roles.
			assert_noop!(
				Registry::set_alias(origin(&bob()), repo.clone(), alias("production"), v1),
				Error::<Test>::NotMaintainer
			);
			assert_noop!(
				Registry::yank_version(origin(&bob()), repo.clone(), v1, reason("x")),
				Error::<Test>::NotMaintainer
			);
			assert_noop!(
				Registry::remove_mirror(origin(&bob()), repo.clone(), v1, uri),
				Error::<Test>::NotMaintainer
			);
			assert_noop!(
				Registry::grant_role(origin(&bob()), repo.clone(), charlie(), Role::Committer),
				Error::<Test>::NotOwner
			);
			use owh_primitives::licensing::ModelRegistry;
			assert!(!<Registry as ModelRegistry<AccountId>>::is_maintainer(
				&bob(),
				&repo
			));
			assert_eq!(
				Registry::repository_view(repo).unwrap().committers,
				vec![bob()]
			);
			check_state();
		});
	}

	#[test]
	fn an_account_holds_one_role() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Committer
			));
			assert_noop!(
				Registry::grant_role(origin(&alice()), repo.clone(), bob(), Role::Committer),
				Error::<Test>::AlreadyMaintainer
			);
			// Promotion moves the account from committer to maintainer.
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			assert!(!Committers::<Test>::contains_key(&repo));
			assert_eq!(Maintainers::<Test>::get(&repo).into_inner(), vec![bob()]);
			// And demotion back.
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Committer
			));
			assert!(!Maintainers::<Test>::contains_key(&repo));
			assert_noop!(
				Registry::revoke_role(origin(&alice()), repo.clone(), bob(), Role::Maintainer),
				Error::<Test>::NotAMaintainerOfRepository
			);
			// A committer may renounce; the empty list leaves no entry.
			assert_ok!(Registry::revoke_role(
				origin(&bob()),
				repo.clone(),
				bob(),
				Role::Committer
			));
			assert!(!Committers::<Test>::contains_key(&repo));
			assert_noop!(
				Registry::commit_version(
					origin(&bob()),
					repo.clone(),
					Box::new(manifest("acme/llama", "x")),
					None
				),
				Error::<Test>::NotCommitter
			);
			// Ownership folds a committer role in.
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				charlie(),
				Role::Committer
			));
			assert_ok!(Registry::transfer_ownership(
				origin(&alice()),
				repo.clone(),
				charlie()
			));
			assert_ok!(Registry::accept_ownership(origin(&charlie()), repo.clone()));
			assert!(!Committers::<Test>::contains_key(&repo));
			check_state();
		});
	}

	#[test]
	fn try_state_catches_an_account_with_two_roles() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let repo = name("acme/llama");
			assert_ok!(Registry::grant_role(
				origin(&alice()),
				repo.clone(),
				bob(),
				Role::Maintainer
			));
			check_state();
			Committers::<Test>::insert(&repo, MaintainersOf::<Test>::truncate_from(vec![bob()]));
			assert_eq!(
				Registry::do_try_state(),
				Err(DispatchError::Other("account holds two roles"))
			);
		});
	}
}

mod probe_targets {
	use super::*;
	use owh_primitives::availability::{ProbeTarget, ProbeTargets};

	fn uri(s: &str) -> StorageUri {
		StorageUri::truncate_from(s.as_bytes().to_vec())
	}

	#[test]
	fn http_uris_and_mirrors_are_targets_and_other_schemes_are_not() {
		new_test_ext().execute_with(|| {
			create(&alice(), "acme/llama");
			let mut m = manifest("acme/llama", "v1");
			m.artifacts[1].uris = BoundedVec::truncate_from(vec![
				uri("https://cdn.example/w.bin"),
				uri("s3://bucket/w.bin"),
			]);
			let v1 = commit(&alice(), &m);
			for mirror in [
				"http://m1.example/v1/blobs",
				"file:///srv/m",
				"https://m2.example/b/",
			] {
				assert_ok!(Registry::add_mirror(
					origin(&alice()),
					name("acme/llama"),
					v1,
					uri(mirror)
				));
			}
			let targets = Registry::probe_targets(&v1);
			// The mirror's artifact is picked by the version id, the same for every mirror index
			// offset by its position among the HTTP mirrors.
			let pick = |n: usize| (usize::from(v1.0[0]) + n) % 2;
			let url = |base: &str, n: usize| {
				let hex: String = m.artifacts[pick(n)]
					.sha256
					.iter()
					.map(|b| format!("{b:02x}"))
					.collect();
				format!("{base}{hex}").into_bytes()
			};
			assert_eq!(
				targets,
				vec![
					ProbeTarget {
						uri: uri("https://cdn.example/w.bin"),
						url: b"https://cdn.example/w.bin".to_vec(),
						artifact: 1
					},
					ProbeTarget {
						uri: uri("http://m1.example/v1/blobs"),
						url: url("http://m1.example/v1/blobs/", 0),
						artifact: pick(0) as u32
					},
					ProbeTarget {
						uri: uri("https://m2.example/b/"),
						url: url("https://m2.example/b/", 1),
						artifact: pick(1) as u32
					},
				]
			);
			assert!(Registry::probe_targets(&VersionId([7; 32])).is_empty());
			// Every seed finds the one version, wrapping around past the largest id.
			assert_eq!(Registry::version_at(&[0; 32]), Some(v1));
			assert_eq!(Registry::version_at(&[0xff; 32]), Some(v1));
		});
	}
}
