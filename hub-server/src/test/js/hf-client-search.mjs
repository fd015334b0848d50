// listModels / listDatasets of the official @huggingface/hub client, unchanged, against a running Quiver hub.
// Env: HUB_URL, HF_TOKEN. Exits non-zero on the first step that fails.
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";

const hubUrl = process.env.HUB_URL;
const accessToken = process.env.HF_TOKEN;
const creds = { hubUrl, accessToken };

function step(name) {
  console.log(`ok - ${name}`);
}

async function collect(iterable) {
  const out = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const names = (items) => items.map((i) => i.name).sort();

function adapterFiles(base, extra, body) {
  const readme = `---\nbase_model: ${base}\nlibrary_name: peft\npipeline_tag: text-generation\n${extra}---\n${body}\n`;
  const config = JSON.stringify({ base_model_name_or_path: base, lora_alpha: 16, peft_type: "LORA", r: 8,
    revision: "main", target_modules: ["q_proj", "v_proj"], task_type: "CAUSAL_LM" });
  return [
    { path: "README.md", content: new Blob([readme]) },
    { path: "adapter_config.json", content: new Blob([config]) },
  ];
}

const repos = [
  { repo: { type: "model", name: "jsorg/tiny-llama" },
    files: [{ path: "README.md", content: new Blob(["---\nlicense: apache-2.0\npipeline_tag: text-generation\n---\nBase.\n"]) }] },
  { repo: { type: "model", name: "jsorg/helpdesk-lora" },
    files: adapterFiles("jsorg/tiny-llama", "license: mit\nlanguage: es\ndatasets:\n- jsorg/tickets\n",
      "Asistente técnico de soporte.") },
  { repo: { type: "model", name: "jsorg/sql-lora" },
    files: adapterFiles("jsorg/tiny-llama", "license: apache-2.0\nlanguage: en\n", "SQL from questions.") },
  { repo: { type: "model", name: "other/poetry-lora" },
    files: adapterFiles("other/base", "license: mit\n", "Poems.") },
  { repo: { type: "dataset", name: "jsorg/tickets" },
    files: [{ path: "README.md", content: new Blob(["---\nlicense: mit\nlanguage: es\n---\nTickets de soporte técnico.\n"]) }] },
];
for (const { repo, files } of repos) {
  await hub.createRepo({ repo, ...creds });
  await hub.uploadFiles({ repo, files, ...creds });
}
step("created 4 models and 1 dataset with uploadFiles");

// search is refreshed in the background: a push is findable within a second
const started = Date.now();
for (;;) {
  // events are indexed in order: once the last push is findable, so are the ones before it
  const found = await collect(hub.listDatasets({ search: { query: "soporte" }, ...creds }));
  if (found.length === 1) break;
  assert.ok(Date.now() - started < 2000, `nothing found after 2 s`);
  await new Promise((r) => setTimeout(r, 50));
}
step(`listModels finds new pushes after ${Date.now() - started} ms`);

const one = (await collect(hub.listModels({ search: { query: "helpdesk-lora" }, ...creds })))[0];
assert.equal(one.name, "jsorg/helpdesk-lora");
assert.match(one.id, /^[0-9a-f]{24}$/);
assert.equal(one.private, false);
assert.equal(one.task, "text-generation");
assert.equal(one.gated, false);
assert.equal(typeof one.downloads, "number");
assert.equal(typeof one.likes, "number");
assert.ok(one.updatedAt instanceof Date && !Number.isNaN(one.updatedAt.getTime()), String(one.updatedAt));
step("listModels item shape (id, name, private, task, gated, downloads, likes, updatedAt)");

assert.deepEqual(names(await collect(hub.listModels({ search: { query: "tecnico" }, ...creds }))),
  ["jsorg/helpdesk-lora"]);
step("listModels search with accent folding");

const cases = [
  [{ tags: ["peft"] }, ["jsorg/helpdesk-lora", "jsorg/sql-lora", "other/poetry-lora"]],
  [{ tags: ["license:mit"] }, ["jsorg/helpdesk-lora", "other/poetry-lora"]],
  [{ tags: ["base_model:adapter:jsorg/tiny-llama"] }, ["jsorg/helpdesk-lora", "jsorg/sql-lora"]],
  [{ tags: ["dataset:jsorg/tickets"] }, ["jsorg/helpdesk-lora"]],
  [{ tags: ["peft", "language:es"] }, ["jsorg/helpdesk-lora"]],
  [{ owner: "jsorg", tags: ["license:apache-2.0"] }, ["jsorg/sql-lora", "jsorg/tiny-llama"]],
  [{ task: "text-generation", owner: "other" }, ["other/poetry-lora"]],
  [{ query: "lora", tags: ["license:mit"] }, ["jsorg/helpdesk-lora", "other/poetry-lora"]],
];
for (const [search, expected] of cases) {
  assert.deepEqual(names(await collect(hub.listModels({ search, ...creds }))), expected, JSON.stringify(search));
}
step(`listModels filters: ${cases.length} cases`);

// the client asks for pages of up to 500; shrink the first page so that it must follow Link headers
const urls = [];
const smallPages = (url, init) => {
  urls.push(String(url));
  return fetch(urls.length === 1 ? String(url).replace(/limit=\d+/, "limit=2") : url, init);
};
const paged = await collect(hub.listModels({ search: { tags: ["peft"] }, fetch: smallPages, ...creds }));
assert.deepEqual(names(paged), ["jsorg/helpdesk-lora", "jsorg/sql-lora", "other/poetry-lora"]);
assert.equal(urls.length, 2, urls.join("\n"));
assert.match(urls[1], /filter=peft/);
step("listModels follows Link pagination with every parameter kept");

const limited = await collect(hub.listModels({ search: { owner: "jsorg" }, limit: 2, ...creds }));
assert.equal(limited.length, 2);
step("listModels limit");

const datasets = await collect(hub.listDatasets({ search: { query: "soporte" }, ...creds }));
assert.deepEqual(names(datasets), ["jsorg/tickets"]);
assert.match(datasets[0].id, /^[0-9a-f]{24}$/);
assert.ok(datasets[0].updatedAt instanceof Date && !Number.isNaN(datasets[0].updatedAt.getTime()));
assert.deepEqual(names(await collect(hub.listDatasets({ search: { owner: "jsorg", tags: ["language:es"] }, ...creds }))),
  ["jsorg/tickets"]);
assert.deepEqual(await collect(hub.listDatasets({ search: { tags: ["license:gpl"] }, ...creds })), []);
step("listDatasets search, owner and tags");

const withCard = (await collect(hub.listModels({ search: { query: "sql-lora" }, additionalFields: ["cardData", "library_name"],
  ...creds })))[0];
assert.equal(withCard.cardData.base_model, "jsorg/tiny-llama");
assert.equal(withCard.library_name, "peft");
step("listModels additionalFields (expand) for cardData and library_name");

await hub.deleteRepo({ repo: { type: "model", name: "other/poetry-lora" }, ...creds });
const gone = Date.now();
for (;;) {
  const left = await collect(hub.listModels({ search: { owner: "other" }, ...creds }));
  if (left.length === 0) break;
  assert.ok(Date.now() - gone < 2000, "deleted repo still listed after 2 s");
  await new Promise((r) => setTimeout(r, 50));
}
step(`a deleted repo leaves listModels after ${Date.now() - gone} ms`);

console.log("all steps passed");
