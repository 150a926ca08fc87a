// Gated promotion through polkadot.js, against a real `owh-node --dev`: the Promotion calls,
// storage, events, errors and PromotionApi decode from the metadata alone, and the
// fraud-detection example runs on chain: two attestors open the gate of a protected
// `production`, a weaker candidate is refused naming its threshold, a council motion upholds a
// dispute, the attestor's bond is slashed and the alias flagged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { sendTx, versionIdOf, manifestFor } from './lib.mjs';

const url = process.env.OWH_WS_URL ?? 'ws://127.0.0.1:9944';
const UNIT = 10n ** 12n;
const METRIC = 1_000_000;
let api;
let keys;

before(async () => {
  await cryptoWaitReady();
  api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, throwOnConnect: true });
  const keyring = new Keyring({ type: 'sr25519' });
  keys = Object.fromEntries(['Alice', 'Bob', 'Charlie', 'Dave'].map((n) => [n, keyring.addFromUri(`//${n}`)]));
});

after(async () => {
  await api?.disconnect();
});

const send = (tx, signer) => sendTx(api, tx, signer);
const metrics = (fpr, recall) => [
  { name: 'false_positive_rate', value: Math.round(fpr * METRIC) },
  { name: 'recall', value: Math.round(recall * METRIC) },
];
const evidence = (uri) => ({ sha256: '0x' + '11'.repeat(32), uri });
const held = async (who) => (await api.query.system.account(who)).data.reserved.toBigInt();
const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();

// Sudo (the dev chain keeps it) dispatches `call` as root; rejects if the call failed.
async function asRoot(call) {
  const { events } = await send(api.tx.sudo.sudo(call), keys.Alice);
  const sudid = events.find(({ event }) => api.events.sudo.Sudid.is(event)).event;
  if (sudid.data.sudoResult.isErr) {
    const error = sudid.data.sudoResult.asErr;
    const text = error.isModule ? api.registry.findMetaError(error.asModule) : error.toString();
    throw new Error(`sudo: ${text.section}.${text.name}`);
  }
  return events;
}

// A council motion carried by Alice, Bob and Charlie (two thirds of any council up to four).
async function councilMotion(call) {
  const { Alice, Bob, Charlie } = keys;
  const length = call.method.encodedLength;
  const proposed = await send(api.tx.council.propose(3, call, length), Alice);
  const { proposalIndex, proposalHash } = proposed.events
    .find(({ event }) => api.events.council.Proposed.is(event)).event.data;
  for (const who of [Alice, Bob, Charlie]) await send(api.tx.council.vote(proposalHash, proposalIndex, true), who);
  const info = await api.call.transactionPaymentCallApi.queryCallInfo(call.method, length);
  const closed = await send(api.tx.council.close(proposalHash, proposalIndex, info.weight, length), Bob);
  const executed = closed.events.find(({ event }) => api.events.council.Executed.is(event));
  assert.ok(executed, 'motion executed');
  assert.ok(executed.event.data.result.isOk, `motion result ${executed.event.data.result.toString()}`);
  return closed.events;
}

test('the Promotion pallet and PromotionApi are in the metadata', async () => {
  for (const call of ['registerAttestor', 'attest', 'submitAttestation', 'setGate', 'forceSetGate',
    'approvePromotion', 'openDispute', 'ruleDispute']) {
    assert.equal(typeof api.tx.promotion[call], 'function', call);
  }
  for (const item of ['attestors', 'attestations', 'gates', 'gateHistory', 'promotions', 'disputes', 'yankSnapshots']) {
    assert.equal(typeof api.query.promotion[item], 'function', item);
  }
  assert.equal(api.consts.promotion.attestorBond.toBigInt(), 100n * UNIT);
  assert.equal(api.consts.promotion.disputeBond.toBigInt(), 10n * UNIT);
  assert.equal(typeof api.call.promotionApi.gateStatus, 'function');
});

test('fraud detection: a gate opens on two attestations, refuses a weak candidate, and a dispute slashes and flags', async () => {
  const { Alice, Bob, Charlie, Dave } = keys;
  const repo = `bank/fraud-${Date.now()}`;
  await asRoot(api.tx.promotion.registerAttestor(Bob.address, 'ci.bank.example', ['false_positive_rate', 'recall']));
  await asRoot(api.tx.promotion.registerAttestor(Charlie.address, 'Example Evaluation Lab', ['false_positive_rate', 'recall']));
  const attestors = await api.call.promotionApi.attestors();
  const ci = attestors.find(([who]) => who.toString() === Bob.address)[1];
  assert.equal(ci.name.toUtf8(), 'ci.bank.example');
  assert.equal(ci.bond.toBigInt(), 100n * UNIT);

  await send(api.tx.registry.createRepository(repo), Alice);
  const first = manifestFor(repo, 'candidate 1');
  const second = manifestFor(repo, 'candidate 2');
  await send(api.tx.registry.commitVersion(repo, first, null), Alice);
  await send(api.tx.registry.commitVersion(repo, second, null), Alice);
  const [v1, v2] = [versionIdOf(api, first), versionIdOf(api, second)];

  const attest = async (who, version, fpr, recall) => {
    const { events } = await send(api.tx.promotion.attest(version, metrics(fpr, recall), evidence('https://ci.bank.example/run.json')), who);
    return events.find(({ event }) => api.events.promotion.Attested.is(event)).event.data.id.toNumber();
  };
  await attest(Bob, v1, 0.01, 0.98);
  const labOnFirst = await attest(Charlie, v1, 0.01, 0.98);

  const gate = {
    thresholds: [
      { metric: 'recall', comparison: 'AtLeast', value: 970_000 },
      { metric: 'false_positive_rate', comparison: 'AtMost', value: 10_000 },
    ],
    minAttestors: 2,
    maxAge: 1000,
    approval: 'None',
  };
  const protectedEvent = await send(api.tx.promotion.setGate(repo, 'production', gate), Alice);
  assert.ok(protectedEvent.events.some(({ event }) => api.events.promotion.GateChanged.is(event)));
  assert.equal((await api.call.promotionApi.gateHistory(repo, 'production')).length, 1);

  const status = (await api.call.promotionApi.gateStatus(repo, 'production', v1)).unwrap();
  assert.equal(status.thresholds.length, 2);
  assert.ok(status.thresholds.every((t) => t.outcome.isPasses && t.counted.toNumber() === 2));

  const promoted = await send(api.tx.registry.setAlias(repo, 'production', v1), Alice);
  const event = promoted.events.find(({ event }) => api.events.promotion.Promoted.is(event)).event;
  assert.equal(event.data.version.toHex(), v1);
  assert.equal(event.data.attestations.length, 2);

  // The second candidate: CI measures recall 0.95.
  await attest(Bob, v2, 0.01, 0.95);
  await attest(Charlie, v2, 0.01, 0.98);
  const weak = (await api.call.promotionApi.gateStatus(repo, 'production', v2)).unwrap();
  assert.ok(weak.thresholds[0].outcome.isNotMet);
  assert.equal(weak.thresholds[0].worst.unwrap().toNumber(), 950_000);
  await assert.rejects(send(api.tx.registry.setAlias(repo, 'production', v2), Alice), /promotion\.ThresholdNotMet/);
  await assert.rejects(send(api.tx.registry.removeAlias(repo, 'production'), Alice), /promotion\.ProtectedAlias/);

  // Dave disputes the lab's attestation of the promoted version; the council upholds it.
  const opened = await send(api.tx.promotion.openDispute(labOnFirst, evidence('https://audit.example/rerun.json')), Dave);
  const dispute = opened.events.find(({ event }) => api.events.promotion.DisputeOpened.is(event)).event.data.id.toNumber();
  const [daveFree, charlieHeld] = [await free(Dave.address), await held(Charlie.address)];
  const events = await councilMotion(api.tx.promotion.ruleDispute(dispute, true));
  const upheld = events.find(({ event }) => api.events.promotion.DisputeUpheld.is(event)).event.data;
  assert.equal(upheld.slashed.toBigInt(), 100n * UNIT);
  assert.equal(upheld.toDisputer.toBigInt(), 50n * UNIT);
  assert.equal(await held(Charlie.address), charlieHeld - 100n * UNIT, 'the whole bond is slashed');
  assert.equal(await free(Dave.address), daveFree + 50n * UNIT + 10n * UNIT, 'half the bond, and the dispute bond back');
  assert.ok(events.some(({ event }) => api.events.promotion.AliasFlagged.is(event)));

  const promotion = (await api.call.promotionApi.promotion(repo, 'production')).unwrap();
  assert.equal(promotion.version.toHex(), v1);
  assert.equal(promotion.flagged.unwrap().toNumber(), labOnFirst);
  const ruled = (await api.call.promotionApi.dispute(dispute)).unwrap();
  assert.ok(ruled.status.isUpheld);
  const listed = await api.call.promotionApi.attestations(v1);
  const lab = listed.find(([id]) => id.toNumber() === labOnFirst);
  assert.ok(lab[1].status.isRuledFalse);
  assert.equal(lab[2].isTrue, false, 'no longer counted');
  assert.ok((await api.query.promotion.attestors(Charlie.address)).unwrap().suspended.isTrue);

  // A maintainer may yank the version behind the protected alias; its state is kept.
  await send(api.tx.registry.yankVersion(repo, v1, 'attestation ruled false'), Alice);
  const snapshots = await api.call.promotionApi.yankSnapshots(v1);
  assert.equal(snapshots.length, 1);
  assert.equal(snapshots[0][1].aliases[0][0].toUtf8(), 'production');
  assert.equal(snapshots[0][1].aliases[0][1].flagged.unwrap().toNumber(), labOnFirst);
});
