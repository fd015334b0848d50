// The official @huggingface/hub job functions reading a Quiver hub's jobs, unchanged.
// Env: HUB_URL, HF_TOKEN, JOB_NAMESPACE, JOB_ID (a finished job with log lines).
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";

const creds = { hubUrl: process.env.HUB_URL, accessToken: process.env.HF_TOKEN };
const namespace = process.env.JOB_NAMESPACE;
const jobId = process.env.JOB_ID;

const jobs = await hub.listJobs({ namespace, ...creds });
assert.ok(jobs.some((j) => j.id === jobId), JSON.stringify(jobs));
console.log("ok - listJobs");

const job = await hub.getJob({ namespace, jobId, ...creds });
assert.equal(job.id, jobId);
assert.equal(job.status.stage, "COMPLETED");
console.log("ok - getJob");

const lines = [];
for await (const entry of hub.streamJobLogs({ namespace, jobId, ...creds })) {
  lines.push(entry.message);
  assert.ok(entry.timestamp instanceof Date && !isNaN(entry.timestamp));
}
assert.ok(lines.some((l) => l.includes("step 1 loss 2.0")), JSON.stringify(lines));
console.log("ok - streamJobLogs");
console.log("hf jobs client: all steps passed");
