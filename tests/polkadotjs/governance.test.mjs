// Governance through polkadot.js, against a real `owh-node --dev` (development track periods):
// what polkadot.js apps needs to show its Referenda, Council and Membership pages, a
// referendum on `registry_admin` that force-yanks a version (preimage, submit, decision
// deposit, votes, approval, enactment), and a council motion that adds a member.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { sendTx, versionIdOf, manifestFor } from './lib.mjs';

const url = process.env.OWH_WS_URL ?? 'ws://127.0.0.1:9944';
const UNIT = 10n ** 12n;
let api;
let keys;

before(async () => {
  await cryptoWaitReady();
  api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, throwOnConnect: true });
  const keyring = new Keyring({ type: 'sr25519' });
  keys = Object.fromEntries(['Alice', 'Bob', 'Charlie', 'Dave', 'Eve'].map((n) => [n, keyring.addFromUri(`//${n}`)]));
});

after(async () => {
  await api?.disconnect();
});

const send = (tx, signer) => sendTx(api, tx, signer);

// Resolves with the first value `check` returns that is not undefined, checking at each new
// block for at most `blocks` blocks.
function untilBlock(check, blocks, what) {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let unsub;
    api.rpc.chain.subscribeNewHeads(async () => {
      seen += 1;
      try {
        const value = await check();
        if (value !== undefined) {
          unsub?.();
          resolve(value);
        } else if (seen > blocks) {
          unsub?.();
          reject(new Error(`${what}: not reached within ${blocks} blocks`));
        }
      } catch (error) {
        unsub?.();
        reject(error);
      }
    }).then((u) => { unsub = u; }, reject);
  });
}

test('polkadot.js apps finds the Referenda, Council and Membership pages', async () => {
  assert.equal(typeof api.tx.referenda.submit, 'function');
  assert.equal(typeof api.tx.convictionVoting.vote, 'function');
  assert.ok(api.consts.referenda.tracks, 'consts.referenda.tracks');
  assert.equal(typeof api.query.council.prime, 'function');
  assert.equal(typeof api.query.membership.members, 'function');
  const members = (await api.query.membership.members()).map((a) => a.toString());
  assert.deepEqual(
    [...members].sort(),
    ['Alice', 'Bob', 'Charlie'].map((n) => keys[n].address).sort(),
  );
  assert.deepEqual((await api.query.council.members()).map((a) => a.toString()), members);
  assert.equal(await api.query.sudo.key().then((k) => k.toString()), keys.Alice.address, 'dev keeps sudo');
});

test('consts.referenda.tracks decode with readable names and development periods', async () => {
  const tracks = api.consts.referenda.tracks.map(([id, info]) => ({
    id: id.toNumber(),
    // `pallet-referenda` stores names as fixed 25-byte arrays, padded with NULs.
    name: info.name.toString().replace(/\0+$/, ''),
    rawName: info.name.toString(),
    decisionPeriod: info.decisionPeriod.toNumber(),
    decisionDeposit: info.decisionDeposit.toBigInt(),
  }));
  assert.deepEqual(tracks.map((t) => [t.id, t.name]), [
    [0, 'root'],
    [1, 'registry_admin'],
    [2, 'validator_admin'],
    [3, 'parameters'],
  ]);
  assert.ok(tracks.every((t) => /^[a-z_]+\0*$/.test(t.rawName)), 'printable names, NUL padding only');
  assert.ok(tracks.every((t) => t.decisionPeriod === 20), 'development periods');
  assert.equal(tracks[1].decisionDeposit, 500n * UNIT);
});

test('a registry_admin referendum force-yanks a version once approved', async () => {
  const { Alice, Bob, Charlie, Dave } = keys;
  const repo = `gov/pjs-${Date.now()}`;
  await send(api.tx.registry.createRepository(repo), Alice);
  const manifest = manifestFor(repo, 'to be yanked by referendum');
  await send(api.tx.registry.commitVersion(repo, manifest, null), Alice);
  const version = versionIdOf(api, manifest);

  // A maintainer cannot force-yank.
  await assert.rejects(send(api.tx.registry.forceYankVersion(version, 'mine'), Alice), /BadOrigin/);

  const call = api.tx.registry.forceYankVersion(version, 'malware found in weights');
  const encoded = call.method.toHex();
  const noted = await send(api.tx.preimage.notePreimage(encoded), Alice);
  assert.ok(noted.events.some(({ event }) => api.events.preimage.Noted.is(event)));
  const hash = call.method.hash.toHex();
  const len = call.method.encodedLength;
  const submitted = await send(
    api.tx.referenda.submit({ Origins: 'RegistryAdmin' }, { Lookup: { hash, len } }, { After: 0 }),
    Alice,
  );
  const event = submitted.events.find(({ event }) => api.events.referenda.Submitted.is(event)).event;
  const index = event.data.index.toNumber();
  assert.equal(event.data.track.toNumber(), 1, 'registry_admin track');
  await send(api.tx.referenda.placeDecisionDeposit(index), Alice);

  const aye = { Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 900_000n * UNIT } };
  await Promise.all([Alice, Bob, Charlie, Dave].map((who) => send(api.tx.convictionVoting.vote(index, aye), who)));
  const tally = (await api.query.referenda.referendumInfoFor(index)).unwrap().asOngoing.tally;
  assert.equal(tally.ayes.toBigInt(), 4n * 900_000n * UNIT);

  await untilBlock(async () => {
    const info = await api.query.referenda.referendumInfoFor(index);
    if (info.unwrap().isRejected || info.unwrap().isTimedOut) throw new Error(`referendum ${info.unwrap().type}`);
    return info.unwrap().isApproved ? true : undefined;
  }, 30, 'referendum approved');
  const yank = await untilBlock(async () => {
    const y = await api.query.registry.yanked(version);
    return y.isSome ? y.unwrap() : undefined;
  }, 5, 'force-yank enacted');
  assert.ok(yank.by.isGovernance);
  assert.equal(yank.reason.toUtf8(), 'malware found in weights');
  assert.equal(yank.deposit.toBigInt(), 0n);
  // The version stays registered, and its maintainer cannot withdraw the advisory.
  assert.ok((await api.query.registry.versions(version)).isSome);
  await assert.rejects(send(api.tx.registry.unyankVersion(repo, version), Alice), /registry\.YankedByGovernance/);
});

test('a council motion adds a member and closes', async () => {
  const { Alice, Bob, Eve } = keys;
  const call = api.tx.membership.addMember(Eve.address);
  const length = call.method.encodedLength;
  const proposed = await send(api.tx.council.propose(2, call, length), Alice);
  const event = proposed.events.find(({ event }) => api.events.council.Proposed.is(event)).event;
  const { proposalIndex, proposalHash } = event.data;

  // Someone off the council cannot vote.
  await assert.rejects(send(api.tx.council.vote(proposalHash, proposalIndex, true), Eve), /council\.NotMember/);
  // Proposing is not voting: two of the three members vote aye.
  await send(api.tx.council.vote(proposalHash, proposalIndex, true), Alice);
  await send(api.tx.council.vote(proposalHash, proposalIndex, true), Bob);
  const weight = { refTime: 1_000_000_000n, proofSize: 100_000n };
  const closed = await send(api.tx.council.close(proposalHash, proposalIndex, weight, length), Bob);
  const executed = closed.events.find(({ event }) => api.events.council.Executed.is(event));
  assert.ok(executed, 'motion executed');
  assert.ok(executed.event.data.result.isOk, `motion result ${executed.event.data.result.toString()}`);
  const members = (await api.query.membership.members()).map((a) => a.toString());
  assert.ok(members.includes(Eve.address));
  assert.ok((await api.query.council.members()).map((a) => a.toString()).includes(Eve.address));
});
