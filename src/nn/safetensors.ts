import { Tensor, formatShape, sizeOf } from '../tensor';

/**
 * The safetensors file format, F32 only, on plain bytes (file IO happens elsewhere):
 *   [8-byte little-endian u64 N][N bytes of JSON header, space-padded to a multiple of 8][tensor data]
 * The header maps each name to {"dtype","shape","data_offsets":[begin,end]} (offsets into the data section)
 * plus an optional "__metadata__" of string → string. Like the reference implementation, tensors are laid
 * out in name order, "__metadata__" comes first, and the JSON is compact, so files are byte-identical.
 */

const HEADER_LIMIT_BYTES = 100_000_000; // the reference implementation's cap, guards against garbage lengths
const F32_BYTES = 4;

export interface DecodedSafetensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort(compareCodeUnits);
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    const sortedMetadata: Record<string, string> = {};
    for (const key of Object.keys(metadata).sort(compareCodeUnits)) {
      if (typeof metadata[key] !== 'string') throw new Error(`encodeSafetensors: metadata '${key}' must be a string`);
      sortedMetadata[key] = metadata[key];
    }
    header.__metadata__ = sortedMetadata;
  }
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new Error(`encodeSafetensors: '__metadata__' is reserved and cannot name a tensor`);
    const t = tensors[name];
    const bytes = t.size * F32_BYTES;
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padding = (8 - (json.length % 8)) % 8;
  const headerLength = json.length + padding;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // spaces, as the reference pads
  let position = 8 + headerLength;
  for (const name of names) {
    const data = tensors[name].data;
    for (let i = 0; i < data.length; i++, position += F32_BYTES) view.setFloat32(position, data[i], true);
  }
  return out;
}

interface HeaderEntry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (bytes.length < 8) throw new Error(`decodeSafetensors: truncated file: ${bytes.length} bytes, fewer than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(HEADER_LIMIT_BYTES)) throw new Error(`decodeSafetensors: header length ${declared} is over the ${HEADER_LIMIT_BYTES}-byte limit (not a safetensors file?)`);
  const headerLength = Number(declared);
  if (8 + headerLength > bytes.length) {
    throw new Error(`decodeSafetensors: truncated file: header declares ${headerLength} bytes but only ${bytes.length - 8} follow`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new Error(`decodeSafetensors: header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new Error('decodeSafetensors: header is not a JSON object');

  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null) throw new Error('decodeSafetensors: __metadata__ must be an object of strings');
      for (const [key, text] of Object.entries(value)) {
        if (typeof text !== 'string') throw new Error(`decodeSafetensors: metadata '${key}' is not a string`);
        metadata[key] = text;
      }
      continue;
    }
    entries.push(parseEntry(name, value));
  }

  // Tensors must tile the data section exactly: sorted by offset, each starting where the previous ended.
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.begin < expectedBegin) {
      throw new Error(`decodeSafetensors: overlapping offsets: tensor '${e.name}' [${e.begin}, ${e.end}) overlaps '${entries[i - 1].name}' [${entries[i - 1].begin}, ${entries[i - 1].end})`);
    }
    if (e.begin > expectedBegin) throw new Error(`decodeSafetensors: gap in the data: bytes [${expectedBegin}, ${e.begin}) before tensor '${e.name}' belong to no tensor`);
    expectedBegin = e.end;
  }
  if (expectedBegin > dataLength) throw new Error(`decodeSafetensors: truncated file: tensors need ${expectedBegin} data bytes but only ${dataLength} are present`);
  if (expectedBegin < dataLength) throw new Error(`decodeSafetensors: ${dataLength - expectedBegin} trailing data bytes belong to no tensor`);

  const tensors: Record<string, Tensor> = {};
  for (const e of [...entries].sort((a, b) => compareCodeUnits(a.name, b.name))) {
    const t = Tensor.zeros(e.shape);
    // Copy through DataView: the data need not be 4-byte aligned, and the file is little-endian on any host.
    for (let i = 0, position = dataStart + e.begin; i < t.size; i++, position += F32_BYTES) t.data[i] = view.getFloat32(position, true);
    tensors[e.name] = t;
  }
  return { tensors, metadata };
}

function parseEntry(name: string, value: unknown): HeaderEntry {
  if (typeof value !== 'object' || value === null) throw new Error(`decodeSafetensors: entry '${name}' is not an object`);
  const { dtype, shape, data_offsets: offsets } = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (dtype !== 'F32') throw new Error(`decodeSafetensors: tensor '${name}' has dtype ${String(dtype)}; only F32 is supported (convert with tensor.float() before saving)`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`decodeSafetensors: tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[1] < offsets[0]) {
    throw new Error(`decodeSafetensors: tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const expectedBytes = sizeOf(shape) * F32_BYTES;
  if (end - begin !== expectedBytes) {
    throw new Error(`decodeSafetensors: tensor '${name}' of shape ${formatShape(shape)} needs ${expectedBytes} bytes but data_offsets [${begin}, ${end}) hold ${end - begin}`);
  }
  return { name, shape, begin, end };
}

/** Order by UTF-16 code units, the same as the reference's byte order for the ASCII names models use. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
