// Fills blocks of a dev chain with the largest commits the runtime accepts, for
// `owh-node benchmark block` (scripts/bench-block.sh): 1,024 artifacts with the longest paths,
// media types and four longest URIs each, 16 parents, and the longest message, metrics, tags,
// license and tool version. Not a test by itself.
//
//   OWH_WS_URL=ws://127.0.0.1:9944 node bench-fill-blocks.mjs <commits>
//
// Prints `<first block> <last block>` of the blocks that hold the large commits.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { sendTx, versionIdOf } from './lib.mjs';

const commits = Number(process.argv[2] ?? 12);
const url = process.env.OWH_WS_URL ?? 'ws://127.0.0.1:9944';
await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, throwOnConnect: true });
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
const c = api.consts.registry;
const maxArtifacts = c.maxArtifacts.toNumber();
const maxParents = c.maxParents.toNumber();
// Field limits of owh-primitives (primitives/src/manifest.rs).
const L = { path: 256, uri: 256, uris: 4, media: 64, message: 2048, metrics: 32, metricName: 64, license: 128, tags: 32, tagKey: 64, tagValue: 128, tool: 64 };

const pad = (prefix, len, fill) => prefix + fill.repeat(len - prefix.length);
const hex32 = (n) => '0x' + n.toString(16).padStart(64, '0');

function manifest(repo, salt, artifacts, parents) {
  return {
    formatVersion: 2,
    repository: repo,
    parents: parents.map((version) => ({ version, relation: 'Merge' })),
    artifacts: Array.from({ length: artifacts }, (_, i) => ({
      path: pad(`shard-${String(i).padStart(6, '0')}/`, L.path, 'p'),
      size: 1n << 40n,
      sha256: hex32(i + 1),
      chunkSize: 1 << 20,
      merkleRoot: hex32(i + 1),
      mediaType: pad('', L.media, 'm'),
      uris: Array.from({ length: L.uris }, (_, k) => pad(`https://mirror${k}.example/`, L.uri, 'u')),
    })),
    message: pad(`salt ${salt} `, L.message, 'w'),
    metrics: Array.from({ length: L.metrics }, (_, i) => ({ name: pad(`m${String(i).padStart(4, '0')}`, L.metricName, 'x'), value: i })),
    license: pad('', L.license, 'L'),
    tags: Array.from({ length: L.tags }, (_, i) => ({ key: pad(`t${String(i).padStart(4, '0')}`, L.tagKey, 'k'), value: pad('', L.tagValue, 'v') })),
    toolVersion: pad('', L.tool, 'o'),
  };
}

const send = async (tx, nonce) => (await sendTx(api, tx, alice, { nonce })).blockHash;

const repo = `bench/block-${Date.now()}`;
const idOf = (m) => versionIdOf(api, m);

let nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
const parents = Array.from({ length: maxParents }, (_, i) => manifest(repo, `parent ${i}`, 1, []));
await send(api.tx.utility.batchAll([
  api.tx.registry.createRepository(repo),
  ...parents.map((m) => api.tx.registry.commitVersion(repo, m, null)),
]), nonce++);
const parentIds = parents.map(idOf).sort();

const txs = Array.from({ length: commits }, (_, i) =>
  api.tx.registry.commitVersion(repo, manifest(repo, `heavy ${i}`, maxArtifacts, parentIds), null));
console.error(`submitting ${commits} commits of ${txs[0].encodedLength} bytes each`);
const hashes = await Promise.all(txs.map((tx) => send(tx, nonce++)));
const numbers = await Promise.all(hashes.map(async (h) => (await api.rpc.chain.getHeader(h)).number.toNumber()));
console.log(`${Math.min(...numbers)} ${Math.max(...numbers)}`);
await api.disconnect();
