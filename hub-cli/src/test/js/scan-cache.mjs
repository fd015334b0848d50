// Prints what the official @huggingface/hub cache scanner sees in a cache folder, as JSON.
// usage: node scan-cache.mjs CACHE_DIR
import { scanCacheDir } from "@huggingface/hub";
import { basename } from "node:path";

const info = await scanCacheDir(process.argv[2]);
console.log(JSON.stringify({
  size: info.size,
  warnings: info.warnings.map((w) => String(w.message ?? w)),
  repos: info.repos.map((r) => ({
    type: r.id.type,
    name: r.id.name,
    filesCount: r.filesCount,
    size: r.size,
    revisions: r.revisions.map((v) => ({
      commitOid: v.commitOid,
      refs: v.refs,
      files: v.files.map((f) => ({ name: basename(f.path), blob: basename(f.blob.path), size: f.blob.size })),
    })),
  })),
}));
