// A .safetensors file's header, read with two Range requests (8 bytes of length, then the JSON), so a
// many-gigabyte file is described without downloading it. The header is untrusted input: its length
// is capped, and entries that are not well-formed tensors are listed as such rather than trusted.

import { fetchRange } from './api';

export const MAX_HEADER_BYTES = 100_000_000;

export interface Tensor {
  name: string;
  dtype: string;
  shape: number[];
  parameters: number;
  bytes: number;
}

export interface Header {
  tensors: Tensor[];
  metadata: Record<string, string>;
  headerBytes: number;
}

export async function readHeader(url: string, signal?: AbortSignal): Promise<Header> {
  const first = await fetchRange(url, 0, 8, signal);
  if (first.bytes.length < 8) {
    throw new Error('file is shorter than a safetensors header');
  }
  const length = Number(new DataView(first.bytes.buffer, first.bytes.byteOffset, 8).getBigUint64(0, true));
  if (length < 2 || length > MAX_HEADER_BYTES || (first.total !== null && 8 + length > first.total)) {
    throw new Error(`header length ${length} is not plausible for this file`);
  }
  const json = await fetchRange(url, 8, length, signal);
  return parseHeader(new TextDecoder().decode(json.bytes), length);
}

export function parseHeader(text: string, headerBytes: number): Header {
  const raw: unknown = JSON.parse(text);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error('header is not a JSON object');
  }
  const tensors: Tensor[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = Object.fromEntries(Object.entries((value ?? {}) as Record<string, unknown>)
        .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      continue;
    }
    const t = (value ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const shape = Array.isArray(t.shape) && t.shape.every(d => Number.isSafeInteger(d) && d >= 0)
      ? t.shape as number[] : [];
    const offsets = Array.isArray(t.data_offsets) && t.data_offsets.length === 2 ? t.data_offsets as number[] : [0, 0];
    tensors.push({
      name,
      dtype: typeof t.dtype === 'string' ? t.dtype : '?',
      shape,
      parameters: shape.reduce((a, b) => a * b, 1),
      bytes: Math.max(0, Number(offsets[1]) - Number(offsets[0])) || 0,
    });
  }
  tensors.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  return { tensors, metadata, headerBytes };
}
