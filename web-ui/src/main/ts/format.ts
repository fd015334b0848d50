// Numbers, sizes and dates as people read them.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

export function bytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${n} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[i]}`;
}

export function count(n: number): string {
  if (n < 1000) {
    return String(n);
  }
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, unit] of units) {
    if (n >= size) {
      const v = n / size;
      return `${v < 10 ? v.toFixed(1) : Math.round(v)}${unit}`;
    }
  }
  return String(n);
}

export function percent(part: number, whole: number): string {
  if (whole <= 0) {
    return '';
  }
  const p = (100 * part) / whole;
  return p >= 1 ? `${p.toFixed(1)}%` : p >= 0.01 ? `${p.toFixed(2)}%` : `${p.toPrecision(2)}%`;
}

export function ago(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) {
    return '';
  }
  const s = Math.round((Date.now() - t) / 1000);
  const steps: [number, string][] = [[31536000, 'year'], [2592000, 'month'], [86400, 'day'], [3600, 'hour'],
    [60, 'minute']];
  for (const [size, unit] of steps) {
    if (s >= size) {
      const n = Math.floor(s / size);
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

export function date(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : t.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** Check and verdict words as the jobs API and runners write them, to a colour. */
export function tone(status: string): 'ok' | 'bad' | '' {
  const s = status.toLowerCase();
  return ['pass', 'passed', 'success', 'succeeded', 'verified'].includes(s) ? 'ok'
    : ['fail', 'failed', 'failure', 'error'].includes(s) ? 'bad' : '';
}
