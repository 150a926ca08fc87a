// Arweave's reference client (arweave on npm) for tests/e2e/arweave.sh:
//   node tool.mjs wallet <out.jwk>                   a new wallet; prints its address
//   node tool.mjs check <gateway> <tx id>            fetches a transaction and its data, checks
//                                                    the signature and the data_root; prints JSON
//   node tool.mjs upload <gateway> <jwk> <name> <file> [<name> <file> ...]
//                                                    uploads each file as its own transaction,
//                                                    then a path manifest naming them; prints
//                                                    the manifest's id
import Arweave from "arweave";
import { computeRootHash } from "arweave/node/lib/merkle.js";
import { readFileSync, writeFileSync } from "node:fs";

function client(gateway) {
  const url = new URL(gateway);
  return Arweave.init({ host: url.hostname, port: Number(url.port), protocol: url.protocol.replace(":", "") });
}

const [command, ...args] = process.argv.slice(2);
if (command === "wallet") {
  const arweave = client("http://127.0.0.1:1");
  const jwk = await arweave.wallets.generate();
  writeFileSync(args[0], JSON.stringify(jwk));
  console.log(await arweave.wallets.jwkToAddress(jwk));
} else if (command === "check") {
  const [gateway, id] = args;
  const arweave = client(gateway);
  const tx = await arweave.transactions.get(id);
  const verified = await arweave.transactions.verify(tx);
  const tags = tx.tags.map((t) => [t.get("name", { decode: true, string: true }), t.get("value", { decode: true, string: true })]);
  // A gateway answers /<id> of a path manifest with the file the manifest names as its index:
  // the manifest's own (inline) bytes come from /tx/<id>/data.
  const manifest = tags.some(([name, value]) => name === "Content-Type" && value === "application/x.arweave-manifest+json");
  const data = manifest
    ? Arweave.utils.b64UrlToBuffer(await (await fetch(`${gateway}/tx/${id}/data`)).text())
    : new Uint8Array(await (await fetch(`${gateway}/${id}`)).arrayBuffer());
  const root = Arweave.utils.bufferTob64Url(await computeRootHash(data));
  console.log(JSON.stringify({
    verified,
    data_root_matches: root === tx.data_root,
    data_size: tx.data_size,
    fetched: data.byteLength,
    tags,
  }));
} else if (command === "upload") {
  const [gateway, jwkPath, ...pairs] = args;
  const arweave = client(gateway);
  const jwk = JSON.parse(readFileSync(jwkPath, "utf8"));
  const paths = {};
  for (let i = 0; i < pairs.length; i += 2) {
    const tx = await arweave.createTransaction({ data: readFileSync(pairs[i + 1]) }, jwk);
    tx.addTag("Content-Type", "application/octet-stream");
    await arweave.transactions.sign(tx, jwk);
    const uploader = await arweave.transactions.getUploader(tx);
    while (!uploader.isComplete) await uploader.uploadChunk();
    paths[pairs[i]] = { id: tx.id };
  }
  const manifest = { manifest: "arweave/paths", version: "0.1.0", index: { path: pairs[0] }, paths };
  const tx = await arweave.createTransaction({ data: JSON.stringify(manifest) }, jwk);
  tx.addTag("Content-Type", "application/x.arweave-manifest+json");
  await arweave.transactions.sign(tx, jwk);
  const response = await arweave.transactions.post(tx);
  if (response.status !== 200) throw new Error(`posting the manifest: HTTP ${response.status}`);
  console.log(tx.id);
} else {
  console.error("usage: node tool.mjs wallet|check|upload ...");
  process.exit(2);
}
