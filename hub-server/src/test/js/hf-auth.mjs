// The official @huggingface/hub client with Quiver tokens: a member's token works (whoami with its
// organizations, a private organization repo readable and writable), an outsider's token sees the
// private repo as not found, exactly as the Hub answers.
// Env: HUB_URL, MEMBER_TOKEN, OUTSIDER_TOKEN, ORG, REPO (an existing private model repo of ORG).
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";

const hubUrl = process.env.HUB_URL;
const member = { hubUrl, accessToken: process.env.MEMBER_TOKEN };
const outsider = { hubUrl, accessToken: process.env.OUTSIDER_TOKEN };
const repo = { type: "model", name: process.env.REPO };

function step(name) {
  console.log(`ok - ${name}`);
}

const me = await hub.whoAmI(member);
assert.equal(me.auth.accessToken.role, "write");
assert.ok(me.orgs.some((o) => o.name === process.env.ORG), JSON.stringify(me.orgs));
step("whoAmI lists the organization");

assert.equal((await hub.modelInfo({ name: repo.name, ...member })).private, true);
await hub.uploadFile({ repo, ...member, file: { path: "notes.txt", content: new Blob(["members only"]) } });
const blob = await hub.downloadFile({ repo, ...member, path: "notes.txt" });
assert.equal(await blob.text(), "members only");
step("a member reads and writes the private repo");

const stranger = await hub.whoAmI(outsider);
assert.equal(stranger.orgs.length, 0);
await assert.rejects(hub.downloadFile({ repo, ...outsider, path: "notes.txt" }), (e) => {
  assert.equal(e.statusCode, 404, String(e));
  return true;
});
await assert.rejects(hub.modelInfo({ name: repo.name, ...outsider }), (e) => e.statusCode === 404);
const listed = [];
for await (const m of hub.listModels({ search: { owner: process.env.ORG }, ...outsider })) listed.push(m.name);
assert.ok(!listed.includes(repo.name), JSON.stringify(listed));
step("an outsider sees the private repo as not found and not listed");

await assert.rejects(hub.whoAmI({ hubUrl, accessToken: "hf_" + "x".repeat(34) }), (e) => e.statusCode === 401);
step("an unknown token is refused");
console.log("all steps passed");
