// Drives a running Quiver hub with the official @huggingface/hub client, unchanged.
// Env: HUB_URL, HF_TOKEN, CACHE_DIR. Exits non-zero on the first step that fails.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFile, realpath } from "node:fs/promises";
import { join } from "node:path";
import * as hub from "@huggingface/hub";

const hubUrl = process.env.HUB_URL;
const accessToken = process.env.HF_TOKEN;
const cacheDir = process.env.CACHE_DIR;
const creds = { hubUrl, accessToken };
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

function step(name) {
  console.log(`ok - ${name}`);
}

/** A safetensors file with one F32 tensor of n elements. */
function safetensors(name, n) {
  let header = JSON.stringify({ __metadata__: { format: "pt" }, [name]: { dtype: "F32", shape: [n], data_offsets: [0, n * 4] } });
  header += " ".repeat((8 - (header.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  const data = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) data.writeFloatLE(i % 97, i * 4);
  return Buffer.concat([len, Buffer.from(header), data]);
}

const me = await hub.whoAmI(creds);
assert.equal(me.name, "admin");
assert.equal(me.auth.accessToken.role, "write");
step("whoAmI");

for (const type of ["model", "dataset"]) {
  const repo = { type, name: `admin/roundtrip-${type}` };
  const created = await hub.createRepo({ repo, ...creds });
  assert.ok(created.repoUrl.startsWith(hubUrl), created.repoUrl);
  step(`${type}: createRepo`);

  const big = randomBytes(11 * 1024 * 1024); // over 10 MB: must travel through LFS
  const weights = safetensors("linear.weight", 3_000_000);
  const readme = "---\nlicense: mit\nlibrary_name: peft\ntags: [lora]\n---\n# Round trip\n";
  const config = JSON.stringify({ model_type: "llama", architectures: ["LlamaForCausalLM"] });
  const files = [
    { path: "README.md", content: new Blob([readme]) },
    { path: "config.json", content: new Blob([config]) },
    { path: "data/big.bin", content: new Blob([big]) },
    { path: "model.safetensors", content: new Blob([weights]) },
  ];
  const commit = await hub.uploadFiles({ repo, files, ...creds });
  assert.match(commit.commit.oid, /^[0-9a-f]{40}$/);
  step(`${type}: uploadFiles with an 11 MB file through LFS`);

  const listed = [];
  for await (const f of hub.listFiles({ repo, recursive: true, ...creds })) listed.push(f);
  const bigEntry = listed.find((f) => f.path === "data/big.bin");
  assert.ok(bigEntry, JSON.stringify(listed));
  assert.equal(bigEntry.size, big.length);
  assert.equal(bigEntry.lfs.oid, sha256(big));
  assert.ok(listed.some((f) => f.path === "data" && f.type === "directory"));
  assert.ok(listed.some((f) => f.path === "README.md" && !f.lfs));
  step(`${type}: listFiles recursive with LFS info`);

  const blob = await hub.downloadFile({ repo, path: "data/big.bin", ...creds });
  assert.equal(sha256(Buffer.from(await blob.arrayBuffer())), sha256(big));
  const small = await hub.downloadFile({ repo, path: "README.md", ...creds });
  assert.equal(await small.text(), readme);
  assert.equal(await hub.downloadFile({ repo, path: "missing.txt", ...creds }), null);
  step(`${type}: downloadFile byte-exact`);

  const info = type === "model"
    ? await hub.modelInfo({ name: repo.name, additionalFields: ["cardData", "siblings", "sha"], ...creds })
    : await hub.datasetInfo({ name: repo.name, additionalFields: ["cardData", "siblings", "sha"], ...creds });
  assert.equal(info.name, repo.name);
  assert.equal(info.cardData.license, "mit");
  assert.ok(info.siblings.some((s) => s.rfilename === "data/big.bin"));
  assert.equal(info.sha, commit.commit.oid);
  step(`${type}: ${type}Info with cardData and siblings`);

  if (type === "model") {
    const parsed = await hub.parseSafetensorsMetadata({ repo, ...creds });
    assert.equal(parsed.sharded, false);
    assert.deepEqual(parsed.header["linear.weight"].shape, [3_000_000]);
    step("model: parseSafetensorsMetadata through Range requests");
  }

  const commits = [];
  for await (const c of hub.listCommits({ repo, ...creds })) commits.push(c);
  assert.equal(commits.length, 2);
  assert.equal(commits[0].oid, commit.commit.oid);
  assert.ok(Array.isArray(commits[0].authors));
  step(`${type}: listCommits`);

  await hub.createBranch({ repo, branch: "experiment", ...creds });
  await hub.uploadFiles({ repo, branch: "experiment", files: [{ path: "only-on-branch.txt", content: new Blob(["branch"]) }], ...creds });
  assert.equal(await (await hub.downloadFile({ repo, path: "only-on-branch.txt", revision: "experiment", ...creds })).text(), "branch");
  assert.equal(await hub.downloadFile({ repo, path: "only-on-branch.txt", ...creds }), null);
  step(`${type}: createBranch and an upload to that branch only`);

  const before = commit.commit.oid;
  await hub.deleteFile({ repo, path: "README.md", ...creds });
  assert.equal(await hub.downloadFile({ repo, path: "README.md", ...creds }), null);
  assert.equal(await (await hub.downloadFile({ repo, path: "README.md", revision: before, ...creds })).text(), readme);
  step(`${type}: deleteFile, old revision still readable by sha`);

  const snapshot = await hub.snapshotDownload({ repo, cacheDir, ...creds });
  const bigCached = await readFile(join(snapshot, "data/big.bin"));
  assert.equal(sha256(bigCached), sha256(big));
  const scan = await hub.scanCacheDir(cacheDir);
  const cached = scan.repos.find((r) => r.id.name === repo.name && r.id.type === type);
  assert.ok(cached, JSON.stringify(scan.repos.map((r) => r.id)));
  assert.ok((await realpath(join(snapshot, "data/big.bin"))).includes("/blobs/"));
  step(`${type}: snapshotDownload into an HF cache layout`);

  await hub.deleteRepo({ repo, ...creds });
  assert.equal(await hub.repoExists({ repo, ...creds }), false);
  step(`${type}: deleteRepo`);
}
console.log("hf client round trip: all steps passed");
