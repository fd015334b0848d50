// Bundles the UI into static assets: app-[hash].js and app-[hash].css (minified, with .gz and .br
// twins the hub sends to browsers that accept them) and index.html pointing at them.
// Usage: node build.mjs [--outdir=DIR]   (default: dist). Skips work when the inputs are unchanged.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = new URL('.', import.meta.url).pathname;
const outArg = process.argv.find(a => a.startsWith('--outdir='));
const outdir = outArg ? outArg.slice('--outdir='.length) : join(here, 'dist');

function files(dir) {
  return readdirSync(dir).flatMap(name => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  }).sort();
}

const inputs = [...files(join(here, 'src/main')), join(here, 'build.mjs'), join(here, 'package-lock.json')];
const digest = createHash('sha256');
for (const f of inputs) {
  digest.update(relative(here, f)).update('\0').update(readFileSync(f)).update('\0');
}
const stamp = digest.digest('hex');
const stampFile = join(outdir, '.inputs-sha256');
if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log(`web-ui: assets in ${outdir} are up to date`);
  process.exit(0);
}

rmSync(outdir, { recursive: true, force: true });
mkdirSync(join(outdir, 'assets'), { recursive: true });
const result = await build({
  entryPoints: { app: join(here, 'src/main/ts/main.ts'), style: join(here, 'src/main/css/app.css') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  entryNames: '[name]-[hash]',
  outdir: join(outdir, 'assets'),
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const names = {};
for (const [out, meta] of Object.entries(result.metafile.outputs)) {
  if (meta.entryPoint) {
    names[out.endsWith('.css') ? 'css' : 'js'] = '/assets/' + out.split('/').pop();
  }
}
const html = readFileSync(join(here, 'src/main/static/index.html'), 'utf8')
  .replace('%APP_JS%', names.js).replace('%APP_CSS%', names.css);
writeFileSync(join(outdir, 'index.html'), html);
writeFileSync(join(outdir, 'favicon.svg'), readFileSync(join(here, 'src/main/static/favicon.svg')));

for (const f of files(outdir)) {
  const bytes = readFileSync(f);
  writeFileSync(f + '.gz', gzipSync(bytes, { level: 9 }));
  writeFileSync(f + '.br', brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
writeFileSync(stampFile, stamp);
const sizes = Object.values(names).map(n => {
  const p = join(outdir, n);
  return `${n} ${statSync(p).size} B (gzip ${statSync(p + '.gz').size} B, br ${statSync(p + '.br').size} B)`;
});
console.log('web-ui: built ' + sizes.join(', '));
