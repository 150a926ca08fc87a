// Upgrades a dev chain to the given runtime wasm (sudo + system.setCode), then checks that the
// chain keeps producing and finalizing blocks and that what upgrade-populate.mjs created reads
// back through the new runtime. Used by scripts/try-runtime.sh.
//
//   OWH_WS_URL=ws://127.0.0.1:9944 node upgrade-apply.mjs runtime.compact.compressed.wasm state.json
//
// Prints one `ok - ...` line per check and exits non-zero if any fails.
import { readFileSync } from 'node:fs';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, xxhashAsU8a } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';

const [wasmPath, statePath] = process.argv.slice(2);
if (!wasmPath || !statePath) {
  console.error('usage: node upgrade-apply.mjs <runtime.wasm> <state.json>');
  process.exit(2);
}
const url = process.env.OWH_WS_URL ?? 'ws://127.0.0.1:9944';
const state = JSON.parse(readFileSync(statePath, 'utf8'));
const wasm = readFileSync(wasmPath);

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, throwOnConnect: true });
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok' : 'not ok'} - ${what}`);
  if (!ok) failures += 1;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const finalizedNumber = async () =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

const specBefore = api.runtimeVersion.specVersion.toNumber();
const startBlock = (await api.rpc.chain.getHeader()).number.toNumber();
const started = Date.now();
const call = api.tx.sudo.sudoUncheckedWeight(api.tx.system.setCode(u8aToHex(wasm)), { refTime: 0, proofSize: 0 });
const setCodeBlock = await new Promise((resolve, reject) => {
  call.signAndSend(alice, ({ status, events, dispatchError }) => {
    if (dispatchError) return reject(new Error(dispatchError.toString()));
    if (!status.isInBlock) return;
    // polkadot.js decodes the events of the set_code block with the metadata of the new code
    // that block stored; when the new runtime adds pallets, their types no longer line up and
    // the events come back empty. A decoded `Sudid` error fails here; otherwise the spec
    // version check below is the proof.
    const sudid = events.find(({ event }) => api.events.sudo.Sudid.is(event));
    const result = sudid?.event.data[0];
    if (result?.isErr) return reject(new Error(`set_code failed: ${result.toString()}`));
    resolve(status.asInBlock);
  }).catch(reject);
});
const setCodeNumber = (await api.rpc.chain.getHeader(setCodeBlock)).number.toNumber();

// The new code runs from the next block, whose initialisation runs the migrations.
let specAfter = specBefore;
for (let i = 0; i < 60 && specAfter === specBefore; i += 1) {
  await sleep(1000);
  specAfter = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
}
check(specAfter > specBefore, `spec_version ${specBefore} -> ${specAfter} (set_code in block #${setCodeNumber})`);

// Blocks keep coming and being finalized after the upgrade.
const finalizedAtUpgrade = await finalizedNumber();
let finalized = finalizedAtUpgrade;
for (let i = 0; i < 90 && finalized < setCodeNumber + 3; i += 1) {
  await sleep(1000);
  finalized = await finalizedNumber();
}
const seconds = ((Date.now() - started) / 1000).toFixed(0);
check(finalized >= setCodeNumber + 3, `finalized #${finalized}, 3 blocks past the upgrade block #${setCodeNumber} (${seconds} s after submitting set_code)`);

// The block after set_code ran the migrations and recorded the upgrade.
const upgraded = (await api.query.system.lastRuntimeUpgrade()).unwrap().specVersion.toNumber();
check(upgraded === specAfter, `System::LastRuntimeUpgrade is ${upgraded}`);

// The migrated pallets are at their new storage versions (`twox128(pallet) ++
// twox128(":__STORAGE_VERSION__:")`, a little-endian u16).
async function storageVersion(pallet) {
  const key = u8aToHex(new Uint8Array([...xxhashAsU8a(pallet, 128), ...xxhashAsU8a(':__STORAGE_VERSION__:', 128)]));
  const raw = await api.rpc.state.getStorage(key);
  return raw.isSome ? api.createType('u16', raw.unwrap()).toNumber() : 0;
}
const [registryVersion, licensingVersion] = [await storageVersion('Registry'), await storageVersion('Licensing')];
check(registryVersion === 3, `Registry storage version ${registryVersion}`);
check(licensingVersion === 1, `Licensing storage version ${licensingVersion}`);

// What the old runtime stored reads back through the new one.
const { versions, aliases, yanked, licenses, offers } = state;
for (const [name, id] of Object.entries(versions)) {
  const record = await api.query.registry.versions(id);
  const meta = await api.query.registry.versionMetas(id);
  check(record.isSome && meta.isSome, `version ${name} (${id.slice(0, 10)}…) has its record and index entry`);
}
for (const [ref, id] of Object.entries(aliases)) {
  const [repo, alias] = ref.split('@');
  const now = (await api.query.registry.aliases(repo, alias)).toJSON();
  if (id === yanked) {
    check(now === null, `${ref} pointed at the yanked version and was removed by the migration`);
  } else {
    check(now === id, `${ref} still points at ${id.slice(0, 10)}…`);
  }
}
const yank = await api.query.registry.yanked(yanked);
check(yank.isSome && yank.unwrap().by.isMaintainer, 'the yanked version is still yanked, by its maintainer');
const edges = (await api.query.licensing.edgeRoyalties(versions.fineTune)).toJSON();
check(JSON.stringify(edges) === JSON.stringify([[versions.v2, 100_000]]),
  `the fine-tune's edge to base v2 snapshots the 10% offered then (${JSON.stringify(edges)})`);
const bought = (await api.query.licensing.licenses(licenses.bought)).unwrap();
check(bought.usesRemaining.unwrap().toNumber() === 97, 'the bought license keeps its 97 remaining uses');
const revoked = (await api.query.licensing.licenses(licenses.revoked)).unwrap();
check(revoked.revoked.isSome, 'the revoked license is still revoked');
check((await api.query.licensing.offers(offers.fineTune)).isSome, 'the offers are still there');

const latest = (await api.query.system.number()).toNumber();
check(latest > setCodeNumber, `best block #${latest} after the upgrade`);
await api.disconnect();
console.log(failures === 0 ? 'upgrade: all checks passed' : `upgrade: ${failures} checks failed`);
process.exit(failures === 0 ? 0 : 1);
