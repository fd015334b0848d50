// Runs `npm ci` only when node_modules is missing or older than package-lock.json, so that the many
// builds that include this module (every `-am` build of the hub) neither redo nor race the install.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const marker = join(here, 'node_modules', '.package-lock.json');
const lock = join(here, 'package-lock.json');
if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) {
  console.log('web-ui: node_modules is up to date');
} else {
  execSync('npm ci --no-audit --no-fund --loglevel=error', { cwd: here, stdio: 'inherit' });
}
