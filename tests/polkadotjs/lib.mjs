// Helpers shared by the polkadot.js tests and the scripts that fill chains
// (upgrade-populate.mjs, bench-fill-blocks.mjs).
import { sha256AsU8a } from '@polkadot/util-crypto';
import { u8aToHex, u8aConcat, stringToU8a } from '@polkadot/util';

// Signs and sends `tx`, resolving with `{ events, blockHash }` once it is in a block. Rejects
// with `section.Name: docs` for a module error, and also when a batch was interrupted or the
// pool dropped the transaction. `options` go to signAndSend (for example `{ nonce }`).
export function sendTx(api, tx, signer, options = {}) {
  return new Promise((resolve, reject) => {
    let unsub;
    const fail = (message) => {
      unsub?.();
      reject(new Error(message));
    };
    tx.signAndSend(signer, options, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        if (dispatchError.isModule) {
          const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
          return fail(`${section}.${name}: ${docs.join(' ')}`);
        }
        return fail(dispatchError.toString());
      }
      const interrupted = events.find(({ event }) => api.events.utility?.BatchInterrupted?.is(event));
      if (interrupted) return fail(`batch interrupted: ${interrupted.event.data.toString()}`);
      if (status.isInvalid || status.isDropped) return fail(`extrinsic ${status.type}`);
      if (status.isInBlock) {
        unsub?.();
        resolve({ events, blockHash: status.asInBlock });
      }
    }).then((u) => { unsub = u; }, reject);
  });
}

// A version id: SHA-256 of the SCALE-encoded manifest, as commit_version's argument encodes it.
export const versionIdOf = (api, manifest) =>
  u8aToHex(sha256AsU8a(api.tx.registry.commitVersion('x/y', manifest, null).method.args[1].toU8a()));

// A one-artifact manifest of `repo`, made distinct by `message`.
export function manifestFor(repo, message, parents = []) {
  const data = stringToU8a('{"hidden_size": 4096}');
  return {
    formatVersion: 2,
    repository: repo,
    parents,
    artifacts: [
      {
        path: 'config.json',
        size: data.length,
        sha256: u8aToHex(sha256AsU8a(data)),
        chunkSize: 1 << 20,
        // A file of one 4 KiB segment or less has SHA-256(0x00 ‖ data) as its root (format 2).
        merkleRoot: u8aToHex(sha256AsU8a(u8aConcat(new Uint8Array([0]), data))),
        mediaType: 'application/json',
        uris: ['owh-store://sha256/' + u8aToHex(sha256AsU8a(data)).slice(2)],
      },
    ],
    message,
    metrics: [{ name: 'mmlu', value: 651200 }],
    license: 'Apache-2.0',
    tags: [{ key: 'framework', value: 'pytorch' }],
    toolVersion: 'polkadot.js-test',
  };
}
