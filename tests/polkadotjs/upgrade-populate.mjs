// Fills a dev chain running an older runtime with the state a migration has to carry: repositories
// with maintainers, versions with lineage, alias history, a yanked version that an alias still
// points at, a mirror, offers with royalty rates, contributors, a meter, bought, granted and
// revoked licenses and reported usage. Used by scripts/try-runtime.sh (not a test by itself).
//
// It builds every call from the chain's own metadata, so it works on any runtime whose calls
// still take these arguments (spec_version 101 and later).
//
//   OWH_WS_URL=ws://127.0.0.1:9944 node upgrade-populate.mjs > state.json
//
// Prints a JSON summary of what it created, for the checks after the upgrade.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, sha256AsU8a } from '@polkadot/util-crypto';
import { u8aToHex, stringToU8a, u8aConcat } from '@polkadot/util';
import { sendTx, versionIdOf } from './lib.mjs';

const url = process.env.OWH_WS_URL ?? 'ws://127.0.0.1:9944';
const OWH = 10n ** 12n;

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, throwOnConnect: true });
const keyring = new Keyring({ type: 'sr25519' });
const [alice, bob, charlie, dave, eve] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve'].map((n) => keyring.addFromUri(`//${n}`));

const send = async (tx, signer) => (await sendTx(api, tx, signer)).events;

function manifest(repo, message, parents = []) {
  const data = stringToU8a(`{"model": "${repo}", "message": "${message}"}`);
  const sha = u8aToHex(sha256AsU8a(data));
  return {
    formatVersion: 2,
    repository: repo,
    parents,
    artifacts: [{
      path: 'config.json',
      size: data.length,
      sha256: sha,
      chunkSize: 1 << 20,
      merkleRoot: u8aToHex(sha256AsU8a(u8aConcat(new Uint8Array([0]), data))),
      mediaType: 'application/json',
      uris: ['owh-store://sha256/' + sha.slice(2)],
    }],
    message,
    metrics: [{ name: 'mmlu', value: 651200 }],
    license: 'Apache-2.0',
    tags: [{ key: 'framework', value: 'pytorch' }],
    toolVersion: 'upgrade-populate',
  };
}

const versionId = (m) => versionIdOf(api, m);
const batch = (calls) => api.tx.utility.batchAll(calls);
const eventData = (events, section, method) =>
  events.map(({ event }) => event).find((e) => e.section === section && e.method === method)?.data;

const terms = (price, royaltyPermill, extra = {}) => ({
  text: { Spdx: 'Apache-2.0' },
  commercial: true,
  price: BigInt(price) * OWH,
  period: null,
  usageCap: null,
  derivatives: true,
  royaltyRate: royaltyPermill,
  revocable: false,
  ...extra,
});

const base = 'acme/base';
const ft = 'bob/finetune';
const v1 = manifest(base, 'base v1');
const v2 = manifest(base, 'base v2');
const [v1Id, v2Id] = [versionId(v1), versionId(v2)];

// Alice: a repository with Bob as maintainer, two versions, alias history, a mirror and an offer
// that takes 10% of every derivative's sales.
const nextOffer = (await api.query.licensing.nextOfferId()).toNumber();
await send(batch([
  api.tx.registry.createRepository(base),
  api.tx.registry.grantRole(base, bob.address, 'Maintainer'),
  api.tx.registry.commitVersion(base, v1, null),
  api.tx.registry.commitVersion(base, v2, null),
  api.tx.registry.setAlias(base, 'production', v1Id),
  api.tx.registry.setAlias(base, 'production', v2Id),
  api.tx.registry.setAlias(base, 'stable', v1Id),
  api.tx.registry.addMirror(base, v2Id, 'https://mirror.example/acme/base/v2'),
  api.tx.licensing.createOffer({ Repository: base }, terms(10, 100_000)),
]), alice);
const baseOffer = nextOffer;

// Bob: a fine-tune of v2 and a merge of v1 and v2, an offer on the fine-tune with a usage cap, a
// revocable one, contributors and a meter.
const c1 = manifest(ft, 'fine-tune of base v2', [{ version: v2Id, relation: 'FineTune' }]);
const parents = [v1Id, v2Id].sort().map((version) => ({ version, relation: 'Merge' }));
const c2 = manifest(ft, 'merge of base v1 and v2', parents);
const [c1Id, c2Id] = [versionId(c1), versionId(c2)];
await send(batch([
  api.tx.registry.createRepository(ft),
  api.tx.registry.commitVersion(ft, c1, null),
  api.tx.registry.commitVersion(ft, c2, null),
  api.tx.registry.setAlias(ft, 'production', c1Id),
  api.tx.licensing.createOffer({ Version: c1Id }, terms(50, 200_000, { usageCap: 100 })),
  api.tx.licensing.createOffer({ Version: c2Id }, terms(0, 0, { revocable: true })),
  api.tx.licensing.setContributors(c1Id, [
    { account: bob.address, share: 600_000, role: 'Trainer' },
    { account: eve.address, share: 400_000, role: 'DataProvider' },
  ]),
  api.tx.licensing.addMeter(ft, dave.address),
]), bob);
const [ftOffer, freeOffer] = [baseOffer + 1, baseOffer + 2];

// Alice yanks v1 while the `stable` alias still points at it (the spec 101 runtime allowed it).
await send(api.tx.registry.yankVersion(base, v1Id, 'tokenizer mismatch'), alice);

// Charlie buys the fine-tune (royalties flow to acme/base); Dave meters three uses; Bob grants
// Eve a license on the merge and revokes it.
const bought = eventData(await send(api.tx.licensing.purchaseLicense(c1Id, ftOffer, 50n * OWH), charlie), 'licensing', 'LicensePurchased');
const granted = eventData(await send(api.tx.licensing.grantLicense(c2Id, freeOffer, eve.address), bob), 'licensing', 'LicenseGranted');
const license = bought[0].toNumber();
const grantedLicense = granted[0].toNumber();
await send(api.tx.licensing.reportUsage(license, 3), dave);
await send(api.tx.licensing.revokeLicense(grantedLicense, 'test revocation'), bob);

const header = await api.rpc.chain.getHeader();
console.log(JSON.stringify({
  specVersion: api.runtimeVersion.specVersion.toNumber(),
  block: header.number.toNumber(),
  repositories: [base, ft],
  versions: { v1: v1Id, v2: v2Id, fineTune: c1Id, merge: c2Id },
  yanked: v1Id,
  aliases: { [`${base}@production`]: v2Id, [`${base}@stable`]: v1Id, [`${ft}@production`]: c1Id },
  offers: { base: baseOffer, fineTune: ftOffer, free: freeOffer },
  licenses: { bought: license, revoked: grantedLicense },
}, null, 2));
await api.disconnect();
