// An external signer for the e2e tests: signs a hex payload the way polkadot.js `signRaw` and
// wallet extensions do (wrapped in <Bytes>...</Bytes>) with an sr25519 secret URI, and prints
// the signature as 0x-prefixed hex. Usage: node sign-raw.mjs <suri> <0x payload>
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { hexToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util';

const [suri, payload] = process.argv.slice(2);
if (!suri || !payload?.startsWith('0x')) {
  console.error('usage: node sign-raw.mjs <suri> <0x payload>');
  process.exit(2);
}
await cryptoWaitReady();
const pair = new Keyring({ type: 'sr25519' }).addFromUri(suri);
console.log(u8aToHex(pair.sign(u8aWrapBytes(hexToU8a(payload)))));
