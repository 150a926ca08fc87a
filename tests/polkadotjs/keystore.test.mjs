// The owh keystore speaks the polkadot.js JSON format, against a real `owh-node --dev` and the
// real `owh` binary: a key exported by @polkadot/keyring imports into owh, which signs a real
// extrinsic with it; owh's exports (its own keys and the imported one) open in @polkadot/keyring
// and sign messages that verify under the same address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, signatureVerify, base64Decode } from '@polkadot/util-crypto';
import { stringToU8a, u8aToHex } from '@polkadot/util';

const url = process.env.OWH_WS_URL ?? 'ws://127.0.0.1:9944';
const owhBin = process.env.OWH_BIN ?? join(process.env.CARGO_TARGET_DIR ?? '../../target', 'release', 'owh');
let dir;
let env;

// Runs owh with the scratch keystore; returns { status, stdout, stderr }.
function owh(args, passphrase) {
  const r = spawnSync(owhBin, ['-q', ...args], {
    env: { ...env, OWH_PASSPHRASE: passphrase },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function owhOk(args, passphrase) {
  const r = owh(args, passphrase);
  assert.equal(r.status, 0, `owh ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

// Opens an exported key in @polkadot/keyring, checks its address, and checks that a message
// it signs verifies under that address (which catches a wrong stored public key).
function openInPolkadotJs(json, passphrase, address) {
  const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromJson(json);
  pair.decodePkcs8(passphrase);
  assert.equal(pair.isLocked, false);
  assert.equal(pair.address, address);
  const message = stringToU8a('owh keystore interop');
  assert.ok(signatureVerify(message, pair.sign(message), address).isValid);
  return pair;
}

before(async () => {
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), 'owh-pjs-keys-'));
  env = { ...process.env, OWH_URL: url, OWH_KEYSTORE: join(dir, 'keystore.json') };
  delete env.OWH_SURI;
  delete env.OWH_KEY;
  execFileSync(owhBin, ['--version']);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a polkadot.js export imports into owh, which signs an extrinsic with it', () => {
  // Ferdie is funded on the dev chain; 14.0.3 exports with scrypt N = 2^17.
  const ferdie = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Ferdie', { name: 'ferdie' });
  const exported = ferdie.toJson('js passphrase');
  const encoded = base64Decode(exported.encoded);
  assert.equal(new DataView(encoded.buffer, encoded.byteOffset + 32, 4).getUint32(0, true), 1 << 17);
  const file = join(dir, 'ferdie-from-pjs.json');
  writeFileSync(file, JSON.stringify(exported));

  const wrong = owh(['key', 'import', '--name', 'ferdie', '--json', file], 'not the passphrase');
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stderr, /wrong passphrase/);

  const imported = JSON.parse(owhOk(['--json', 'key', 'import', '--name', 'ferdie', '--json', file], 'js passphrase'));
  assert.equal(imported.address, ferdie.address);
  assert.equal(imported.scheme, 'sr25519');

  // The chain checks the signature: the repository exists afterwards, owned by Ferdie.
  owhOk(['--key', 'ferdie', 'repo', 'create', 'pjs/keystore-interop'], 'js passphrase');
  const shown = owhOk(['repo', 'show', 'pjs/keystore-interop'], 'js passphrase');
  assert.match(shown, new RegExp(ferdie.address));

  // Exported back, it opens in polkadot.js with the same passphrase.
  const back = JSON.parse(owhOk(['key', 'export', 'ferdie'], 'js passphrase'));
  openInPolkadotJs(back, 'js passphrase', ferdie.address);
});

test('owh-generated keys export to files polkadot.js opens, with a 2^15 scrypt cost', () => {
  const made = JSON.parse(owhOk(['--json', 'key', 'generate', '--name', 'made-by-owh'], 'owh passphrase'));
  const out = join(dir, 'made-by-owh.json');
  owhOk(['key', 'export', 'made-by-owh', '-o', out], 'owh passphrase');
  const json = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(json.encoding, {
    content: ['pkcs8', 'sr25519'],
    type: ['scrypt', 'xsalsa20-poly1305'],
    version: '3',
  });
  assert.equal(json.meta.name, 'made-by-owh');
  const encoded = base64Decode(json.encoded);
  assert.equal(new DataView(encoded.buffer, encoded.byteOffset + 32, 4).getUint32(0, true), 1 << 15);
  const pair = openInPolkadotJs(json, 'owh passphrase', made.address);

  // A wrong passphrase is refused by polkadot.js too: the file is really sealed.
  const locked = new Keyring({ type: 'sr25519' }).addFromJson(json);
  assert.throws(() => locked.decodePkcs8('wrong'), /Unable to decode/);

  const shown = JSON.parse(owhOk(['--json', 'key', 'show', 'made-by-owh'], 'owh passphrase'));
  assert.equal(shown.public_key, u8aToHex(pair.publicKey));
});
