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

test('registry metadata is decodable', async () => {
  for (const call of ['createRepository', 'grantRole', 'revokeRole', 'transferOwnership', 'acceptOwnership', 'commitVersion',
    'setAlias', 'removeAlias', 'yankVersion', 'unyankVersion', 'addMirror', 'removeMirror']) {
    assert.ok(api.tx.registry[call], `call registry.${call}`);
  }
  for (const item of ['repositories', 'maintainers', 'versions', 'versionMetas', 'repoVersions', 'children',
    'yanked', 'aliases', 'aliasMoveCount', 'aliasHistory', 'mirrors', 'pendingOwners']) {
    assert.ok(api.query.registry[item], `storage registry.${item}`);
  }
  for (const event of ['RepositoryCreated', 'VersionCommitted', 'AliasSet', 'VersionYanked', 'MirrorAdded',
    'MirrorRemoved']) {
    assert.ok(api.events.registry[event], `event registry.${event}`);
  }
  assert.ok(api.errors.registry.UnknownParent.meta.docs.join(' ').includes('existing version'));
  assert.ok(api.call.registryApi?.version, 'runtime API RegistryApi_version');
  assert.ok(api.call.registryApi?.children, 'runtime API RegistryApi_children (paged)');
  assert.ok(api.consts.registry.depositPerItem.toBigInt() > 0n, 'the deposit rule is in the metadata');
  assert.equal(api.consts.registry.maxArtifacts.toNumber(), 1024);
  assert.equal(api.consts.registry.maxMirrors.toNumber(), 8);
  // The weight per manifest byte that `benchmark block` called for (docs/benchmarks.md).
  assert.equal(api.consts.registry.manifestByteWeight.refTime.toNumber(), 10_000);
});

test('licensing metadata and runtime API are decodable', async () => {
  for (const call of ['createOffer', 'updateOffer', 'retireOffer', 'setContributors', 'purchaseLicense',
    'grantLicense', 'revokeLicense', 'reportUsage', 'addMeter', 'removeMeter']) {
    assert.ok(api.tx.licensing[call], `call licensing.${call}`);
  }
  for (const item of ['offers', 'activeOffers', 'contributors', 'licenses', 'licensesOf', 'meters']) {
    assert.ok(api.query.licensing[item], `storage licensing.${item}`);
  }
  for (const event of ['OfferCreated', 'LicensePurchased', 'RoyaltyPaid', 'LicenseRevoked', 'UsageReported']) {
    assert.ok(api.events.licensing[event], `event licensing.${event}`);
  }
  assert.ok(api.errors.licensing.SharesNotWhole.meta.docs.join(' ').includes('100%'));
  assert.equal(api.consts.licensing.maxRoyaltyDepth.toNumber(), 8);
  assert.equal(api.consts.licensing.maxRoyaltyVersions.toNumber(), 16);
  assert.equal(api.consts.licensing.maxRoyaltyInspections.toNumber(), 64);
  assert.equal(api.consts.licensing.maxRoyaltyRate.toNumber(), 500_000, 'MaxRoyaltyRate is 50% in ppm');
  // The fallback payee is funded in genesis, so it can receive any leg.
  const fallback = api.consts.licensing.fallbackPayee.toString();
  const account = await api.query.system.account(fallback);
  assert.ok(account.data.free.toBigInt() >= api.consts.balances.existentialDeposit.toBigInt());
  assert.ok(api.errors.licensing.TermsChanged.meta.docs.join(' ').includes('changed'));
  assert.ok(api.errors.registry.VersionHasAliases.meta.docs.join(' ').includes('alias'));
  const offers = await api.call.licensingApi.offers('0x' + '00'.repeat(32));
  assert.equal(offers.length, 0);
  const split = await api.call.licensingApi.royaltySplit('0x' + '00'.repeat(32), 1000);
  assert.ok(split.isNone, 'no split for an unknown version');
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
