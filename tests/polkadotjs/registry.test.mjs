// polkadot.js compatibility of the OpenWeightHub chain, against a real `owh-node --dev`:
// chain properties, registry metadata (storage, calls, events, runtime API), and signed
// create_repository + commit_version by Alice ending in VersionCommitted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, sha256AsU8a } from '@polkadot/util-crypto';
import { u8aToHex, stringToU8a, u8aConcat, u8aWrapBytes, hexToU8a } from '@polkadot/util';
import { sendTx, versionIdOf, manifestFor } from './lib.mjs';

const url = process.env.OWH_WS_URL ?? 'ws://127.0.0.1:9944';
let api;
let alice;
let bob;

before(async () => {
  await cryptoWaitReady();
  api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, throwOnConnect: true });
  const keyring = new Keyring({ type: 'sr25519' });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
});

after(async () => {
  await api?.disconnect();
});

const send = (tx, signer) => sendTx(api, tx, signer);

const hex32 = (byte) => '0x' + byte.toString(16).padStart(2, '0').repeat(32);

test('chain properties match the runtime', async () => {
  const props = await api.rpc.system.properties();
  assert.equal(props.tokenSymbol.unwrap()[0].toString(), 'OWH');
  assert.equal(props.tokenDecimals.unwrap()[0].toNumber(), 12);
  assert.equal(props.ss58Format.unwrap().toNumber(), 42);
  assert.equal(api.consts.system.ss58Prefix.toNumber(), 42);
  assert.equal(api.runtimeVersion.specName.toString(), 'owh');
  assert.equal((await api.rpc.system.chain()).toString(), 'OpenWeightHub Development');
});

test('the dev chain produces and finalizes blocks', async () => {
  const deadline = Date.now() + 60_000;
  let finalized = 0;
  while (Date.now() < deadline) {
    const hash = await api.rpc.chain.getFinalizedHead();
    finalized = (await api.rpc.chain.getHeader(hash)).number.toNumber();
    if (finalized >= 2) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.ok(finalized >= 2, `finalized block ${finalized} after 60 s`);
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  assert.ok(best >= finalized);
});

test('registry storage, events and runtime API decode to the values written', async () => {
  // Every storage item and event is read back from a real chain and its fields compared with
  // what this test wrote, so a layout the metadata misdescribes fails here.
  const repo = `pjs/decode-${Date.now() % 1_000_000}`;
  const base = manifestFor(repo, 'decode base');
  const baseId = manifestId(base);
  const child = manifestFor(repo, 'decode child', [{ version: baseId, relation: 'FineTune' }]);
  const childId = manifestId(child);
  const mirror = 'https://mirror.example/decode';
  const { events } = await send(api.tx.utility.batchAll([
    api.tx.registry.createRepository(repo),
    api.tx.registry.grantRole(repo, bob.address, 'Committer'),
    api.tx.registry.commitVersion(repo, base, null),
    api.tx.registry.commitVersion(repo, child, null),
    api.tx.registry.setAlias(repo, 'production', baseId),
    api.tx.registry.yankVersion(repo, childId, 'decode test'),
    api.tx.registry.addMirror(repo, baseId, mirror),
    api.tx.registry.transferOwnership(repo, bob.address),
  ]), alice);
  const header = await api.rpc.chain.getHeader();

  const info = (await api.query.registry.repositories(repo)).unwrap();
  assert.equal(info.owner.toString(), alice.address);
  assert.equal(info.versionCount.toNumber(), 2);
  assert.ok(info.deposit.toBigInt() > 0n);
  assert.deepEqual((await api.query.registry.committers(repo)).map(String), [bob.address]);
  assert.equal((await api.query.registry.maintainers(repo)).length, 0);
  assert.equal((await api.query.registry.pendingOwners(repo)).unwrap().toString(), bob.address);

  const record = (await api.query.registry.versions(childId)).unwrap();
  assert.equal(record.manifest.message.toUtf8(), 'decode child');
  assert.equal(record.manifest.parents[0].version.toHex(), baseId);
  assert.equal(record.manifest.artifacts[0].chunkSize.toNumber(), 1 << 20);
  assert.equal(record.manifest.tags[0].value.toUtf8(), 'pytorch');
  assert.equal(record.index.toNumber(), 1);
  assert.ok(record.block.toNumber() > 0 && record.block.toNumber() <= header.number.toNumber());
  assert.ok(record.timestamp.toBigInt() > 1_700_000_000_000n, 'a millisecond timestamp');
  const meta = (await api.query.registry.versionMetas(childId)).unwrap();
  assert.equal(meta.repository.toUtf8(), repo);
  assert.deepEqual(meta.parents.map((p) => [p.version.toHex(), p.relation.toString()]), [[baseId, 'FineTune']]);
  assert.equal((await api.query.registry.versionMetas(baseId)).unwrap().aliases.toNumber(), 1);
  assert.equal((await api.query.registry.repoVersions(repo, 0)).unwrap().toHex(), baseId);
  assert.equal((await api.query.registry.repoVersions(repo, 1)).unwrap().toHex(), childId);
  assert.equal((await api.query.registry.children(baseId, childId)).unwrap().toString(), 'FineTune');

  const yank = (await api.query.registry.yanked(childId)).unwrap();
  assert.equal(yank.by.asMaintainer.toString(), alice.address);
  assert.equal(yank.reason.toUtf8(), 'decode test');
  assert.ok(yank.deposit.toBigInt() > 0n);
  assert.equal((await api.query.registry.aliases(repo, 'production')).unwrap().toHex(), baseId);
  assert.equal((await api.query.registry.aliasMoveCount(repo, 'production')).toNumber(), 1);
  const move = (await api.query.registry.aliasHistory([repo, 'production'], 0)).unwrap();
  assert.equal(move.who.toString(), alice.address);
  assert.ok(move.from.isNone);
  assert.equal(move.to.unwrap().toHex(), baseId);
  const mirrors = await api.query.registry.mirrors(baseId);
  assert.deepEqual(mirrors.map((m) => [m.uri.toUtf8(), m.addedBy.toString()]), [[mirror, alice.address]]);

  const data = (name) => events.find(({ event }) => api.events.registry[name].is(event))?.event.data;
  assert.equal(data('RepositoryCreated').repo.toUtf8(), repo);
  assert.equal(data('RoleGranted').role.toString(), 'Committer');
  assert.equal(data('AliasSet').to.toHex(), baseId);
  assert.equal(data('VersionYanked').reason.toUtf8(), 'decode test');
  assert.equal(data('MirrorAdded').uri.toUtf8(), mirror);
  assert.equal(data('OwnershipOffered').to.toString(), bob.address);

  const view = (await api.call.registryApi.version(childId)).unwrap();
  assert.equal(view.yanked.unwrap().reason.toUtf8(), 'decode test');
  assert.equal(view.record.manifest.repository.toUtf8(), repo);
  const resolved = await api.call.registryApi.resolve(repo, { Alias: 'production' });
  assert.equal(resolved.unwrap().toHex(), baseId);
  const page = await api.call.registryApi.children(baseId, null, 10);
  assert.deepEqual(page.items.map(([id, relation]) => [id.toHex(), relation.toString()]), [[childId, 'FineTune']]);

  assert.ok(api.errors.registry.UnknownParent.meta.docs.join(' ').includes('existing version'));
  assert.ok(api.consts.registry.depositPerItem.toBigInt() > 0n, 'the deposit rule is in the metadata');
  assert.equal(api.consts.registry.maxArtifacts.toNumber(), 1024);
  assert.equal(api.consts.registry.maxMirrors.toNumber(), 8);
  // The weight per manifest byte that `benchmark block` called for (docs/benchmarks.md).
  assert.equal(api.consts.registry.manifestByteWeight.refTime.toNumber(), 10_000);
});

test('licensing storage, events and runtime API decode to the values written', async () => {
  const repo = `pjs/licdecode-${Date.now() % 1_000_000}`;
  const version = manifestFor(repo, 'licensing decode');
  const versionId = manifestId(version);
  const offer = (await api.query.licensing.nextOfferId()).toNumber();
  const terms = {
    text: { Spdx: 'Apache-2.0' }, commercial: true, price: 0n, period: null, usageCap: 100,
    derivatives: true, royaltyRate: 100_000, revocable: true,
  };
  const { events } = await send(api.tx.utility.batchAll([
    api.tx.registry.createRepository(repo),
    api.tx.registry.commitVersion(repo, version, null),
    api.tx.licensing.createOffer({ Version: versionId }, terms),
    api.tx.licensing.setContributors(versionId, [
      { account: alice.address, share: 600_000, role: 'Trainer' },
      { account: bob.address, share: 400_000, role: 'DataProvider' },
    ]),
    api.tx.licensing.grantLicense(versionId, offer, bob.address),
    api.tx.licensing.addMeter(repo, bob.address),
  ]), alice);

  const stored = (await api.query.licensing.offers(offer)).unwrap();
  assert.equal(stored.target.asVersion.toHex(), versionId);
  assert.equal(stored.repository.toUtf8(), repo);
  assert.equal(stored.terms.text.asSpdx.toUtf8(), 'Apache-2.0');
  assert.equal(stored.terms.usageCap.unwrap().toNumber(), 100);
  assert.equal(stored.terms.royaltyRate.toNumber(), 100_000);
  assert.ok(stored.terms.revocable.isTrue);
  assert.equal(stored.creator.toString(), alice.address);
  assert.ok(stored.retired.isNone);
  assert.equal(stored.licenses.toNumber(), 1);
  const active = await api.query.licensing.activeOffers({ Version: versionId });
  assert.deepEqual(active.map((id) => id.toNumber()), [offer]);
  const list = (await api.query.licensing.contributors(versionId)).unwrap();
  assert.deepEqual(list.contributors.map((c) => [c.account.toString(), c.share.toNumber(), c.role.toString()]),
    [[alice.address, 600_000, 'Trainer'], [bob.address, 400_000, 'DataProvider']]);
  assert.equal(list.depositor.toString(), alice.address);

  const granted = events.find(({ event }) => api.events.licensing.LicenseGranted.is(event))?.event.data;
  assert.equal(granted.licensee.toString(), bob.address);
  assert.equal(granted.version.toHex(), versionId);
  const id = granted.license.toNumber();
  const license = (await api.query.licensing.licenses(id)).unwrap();
  assert.equal(license.licensee.toString(), bob.address);
  assert.equal(license.offer.toNumber(), offer);
  assert.equal(license.usesRemaining.unwrap().toNumber(), 100);
  assert.equal(license.usesReported.toNumber(), 0);
  assert.ok((await api.query.licensing.licensesOf(bob.address, versionId, id)).isSome);
  const meters = await api.query.licensing.meters(repo);
  assert.deepEqual(meters.map((m) => [m.account.toString(), m.addedBy.toString()]), [[bob.address, alice.address]]);

  const offers = await api.call.licensingApi.offers(versionId);
  assert.deepEqual(offers.map(([offerId]) => offerId.toNumber()), [offer]);
  const split = await api.call.licensingApi.royaltySplit('0x' + '00'.repeat(32), 1000);
  assert.ok(split.isNone, 'no split for an unknown version');

  assert.ok(api.errors.licensing.SharesNotWhole.meta.docs.join(' ').includes('100%'));
  assert.ok(api.errors.licensing.TermsChanged.meta.docs.join(' ').includes('changed'));
  assert.ok(api.errors.registry.VersionHasAliases.meta.docs.join(' ').includes('alias'));
  assert.equal(api.consts.licensing.maxRoyaltyDepth.toNumber(), 8);
  assert.equal(api.consts.licensing.maxRoyaltyVersions.toNumber(), 16);
  assert.equal(api.consts.licensing.maxRoyaltyInspections.toNumber(), 64);
  assert.equal(api.consts.licensing.maxRoyaltyRate.toNumber(), 500_000, 'MaxRoyaltyRate is 50% in ppm');
  // The fallback payee is funded in genesis, so it can receive any leg.
  const fallback = api.consts.licensing.fallbackPayee.toString();
  const account = await api.query.system.account(fallback);
  assert.ok(account.data.free.toBigInt() >= api.consts.balances.existentialDeposit.toBigInt());
});

test('Alice creates a repository and commits versions', async () => {
  const repo = `pjs/model-${Date.now() % 1_000_000}`;
  const created = await send(api.tx.registry.createRepository(repo), alice);
  const createdEvent = created.events.find(({ event }) => api.events.registry.RepositoryCreated.is(event));
  assert.ok(createdEvent, 'RepositoryCreated emitted');
  assert.equal(createdEvent.event.data.owner.toString(), alice.address);

  const manifest = manifestFor(repo, 'first version from polkadot.js');
  const tx = api.tx.registry.commitVersion(repo, manifest, null);
  // The version id is SHA-256 of the SCALE-encoded manifest: compute it independently here.
  const expectedId = u8aToHex(sha256AsU8a(tx.method.args[1].toU8a()));
  const { events } = await send(tx, alice);
  const committed = events.find(({ event }) => api.events.registry.VersionCommitted.is(event));
  assert.ok(committed, 'VersionCommitted emitted');
  const data = committed.event.data;
  assert.equal(data.repo.toUtf8(), repo);
  assert.equal(data.version.toHex(), expectedId);
  assert.equal(data.committer.toString(), alice.address);
  assert.equal(data.author.toString(), alice.address);
  assert.equal(data.index.toNumber(), 0);
  assert.ok(data.deposit.toBigInt() > 0n);

  // Storage decodes back to the manifest.
  const stored = (await api.query.registry.versions(expectedId)).unwrap();
  assert.equal(stored.manifest.repository.toUtf8(), repo);
  assert.equal(stored.manifest.artifacts[0].path.toUtf8(), 'config.json');
  assert.equal(stored.manifest.metrics[0].value.toNumber(), 651200);
  assert.equal(stored.committer.toString(), alice.address);

  // The runtime API, through state_call, agrees.
  const info = (await api.call.registryApi.version(expectedId)).unwrap();
  assert.equal(info.record.manifest.license.toUtf8(), 'Apache-2.0');
  assert.ok(info.yanked.isNone);
  assert.equal(info.mirrors.length, 0);
  const resolved = await api.call.registryApi.resolve(repo, { Id: expectedId });
  assert.equal(resolved.unwrap().toHex(), expectedId);

  // A child with a lineage link, then the ancestors walk.
  const child = manifestFor(repo, 'fine-tuned', [{ version: expectedId, relation: 'FineTune' }]);
  const childTx = api.tx.registry.commitVersion(repo, child, null);
  const childId = u8aToHex(sha256AsU8a(childTx.method.args[1].toU8a()));
  await send(childTx, alice);
  const ancestors = await api.call.registryApi.ancestors(childId, 5);
  assert.equal(ancestors.length, 1);
  assert.equal(ancestors[0].parent.toHex(), expectedId);
  assert.equal(ancestors[0].relation.toString(), 'FineTune');
  assert.equal((await api.query.registry.children(expectedId, childId)).unwrap().toString(), 'FineTune');
});

test('rejected calls surface the documented error', async () => {
  const repo = `pjs/errors-${Date.now() % 1_000_000}`;
  await send(api.tx.registry.createRepository(repo), alice);
  const orphan = manifestFor(repo, 'orphan', [{ version: hex32(0xab), relation: 'Merge' }]);
  await assert.rejects(send(api.tx.registry.commitVersion(repo, orphan, null), alice), /registry\.UnknownParent/);
  await assert.rejects(
    send(api.tx.registry.commitVersion(repo, manifestFor(repo, 'not mine'), null), bob),
    /registry\.NotCommitter/,
  );
  await assert.rejects(send(api.tx.registry.createRepository('Bad Name'), alice), /registry\.InvalidRepositoryName/);
  const count = (await api.query.registry.repositories(repo)).unwrap().versionCount.toNumber();
  assert.equal(count, 0, 'rejected commits stored nothing');

  // The refusals `owh` checks before submitting (tests/e2e/owh-cli.sh), here from the chain itself.
  const version = manifestFor(repo, 'aliased');
  const versionId = manifestId(version);
  await send(api.tx.utility.batchAll([
    api.tx.registry.commitVersion(repo, version, null),
    api.tx.registry.setAlias(repo, 'production', versionId),
    api.tx.registry.grantRole(repo, bob.address, 'Committer'),
  ]), alice);
  await assert.rejects(send(api.tx.registry.setAlias(repo, 'staging', versionId), bob), /registry\.NotMaintainer/);
  await assert.rejects(send(api.tx.registry.yankVersion(repo, versionId, 'x'), bob), /registry\.NotMaintainer/);
  await assert.rejects(send(api.tx.registry.yankVersion(repo, versionId, 'x'), alice), /registry\.VersionHasAliases/);
  await assert.rejects(send(api.tx.registry.commitVersion(repo, version, null), alice), /registry\.DuplicateVersion/);
  await assert.rejects(send(api.tx.registry.grantRole(repo, bob.address, 'Maintainer'), bob), /registry\.NotOwner/);
  await assert.rejects(send(api.tx.registry.acceptOwnership(repo), bob), /registry\.NotPendingOwner/);
  // `owh publish --alias` submits exactly this batch: all or nothing.
  const atomic = manifestFor(repo, 'commit and alias in one batch');
  await assert.rejects(send(api.tx.utility.batchAll([
    api.tx.registry.commitVersion(repo, atomic, null),
    api.tx.registry.setAlias(repo, 'production', manifestId(atomic)),
  ]), bob), /registry\.NotMaintainer/);
  assert.ok((await api.query.registry.versions(manifestId(atomic))).isNone, 'the commit was rolled back with the alias');
  assert.equal((await api.query.registry.aliases(repo, 'staging')).isNone, true, 'no alias was set');
  assert.ok((await api.query.registry.yanked(versionId)).isNone, 'nothing was yanked');
});

const manifestId = (manifest) => versionIdOf(api, manifest);

// The author payload, computed here from its definition: domain ‖ genesis hash ‖ version id.
function authorPayload(genesisHash, versionId) {
  return u8aConcat(stringToU8a('owh:author-version:v1:'), hexToU8a(genesisHash), hexToU8a(versionId));
}

test('an author signature made the polkadot.js way is bound to this chain', async () => {
  const repo = `pjs/signed-${Date.now() % 1_000_000}`;
  await send(api.tx.registry.createRepository(repo), alice);
  const genesis = api.genesisHash.toHex();

  // Signed for another chain (a different genesis hash): refused.
  const forked = manifestFor(repo, 'signed for a fork');
  const forkedId = manifestId(forked);
  const forkSignature = bob.sign(u8aWrapBytes(authorPayload(hex32(0x11), forkedId)));
  await assert.rejects(
    send(api.tx.registry.commitVersion(repo, forked, { author: bob.address, signature: { Sr25519: forkSignature } }), alice),
    /registry\.BadSignature/,
  );

  // Bob signs with signRaw semantics (the payload wrapped in <Bytes>…</Bytes>, as wallet
  // extensions do); Alice commits for him.
  const manifest = manifestFor(repo, 'signed by Bob in a wallet');
  const id = manifestId(manifest);
  const signature = bob.sign(u8aWrapBytes(authorPayload(genesis, id)));
  const { events } = await send(
    api.tx.registry.commitVersion(repo, manifest, { author: bob.address, signature: { Sr25519: signature } }),
    alice,
  );
  const committed = events.find(({ event }) => api.events.registry.VersionCommitted.is(event));
  assert.equal(committed.event.data.version.toHex(), id);
  assert.equal(committed.event.data.author.toString(), bob.address);
  assert.equal(committed.event.data.committer.toString(), alice.address);
  const record = (await api.query.registry.versions(id)).unwrap();
  assert.ok(record.authorSigned.isTrue);

  // The small index entry decodes with its repository, parents and alias count.
  const meta = (await api.query.registry.versionMetas(id)).unwrap();
  assert.equal(meta.repository.toUtf8(), repo);
  assert.equal(meta.parents.length, 0);
  assert.equal(meta.aliases.toNumber(), 0);
});
