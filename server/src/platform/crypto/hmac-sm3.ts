/**
 * HMAC-SM3 (GB/T 32905-2016 inside RFC 2104) for short values, in JavaScript with no allocation
 * per call but the result.
 *
 * Why not OpenSSL: a blind index is two SM3 compressions, yet every call into OpenSSL from Node
 * (hash copy, update, digest) allocates a Hash object and a Buffer and crosses into C++ — about
 * 5 µs per index, three indexes per imported resident, and most of the import workers' garbage.
 * Here the padded-key states are compressed once, the value is UTF-8 encoded into a reused buffer,
 * and each index costs the compressions themselves. Tests check it against OpenSSL's HMAC-SM3.
 */
export class HmacSm3 {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);
  readonly #state = new Int32Array(8);
  #bytes = new Uint8Array(256);
  readonly #encoder = new TextEncoder();

  /** @param key the HMAC key; keys longer than SM3's 64-byte block are hashed first, as RFC 2104 says. */
  constructor(key: Uint8Array) {
    const block = new Uint8Array(BLOCK_BYTES);
    block.set(key.length > BLOCK_BYTES ? sm3(key) : key);
    this.#inner.set(IV);
    compress(this.#inner, block.map((b) => b ^ 0x36), 0);
    this.#outer.set(IV);
    compress(this.#outer, block.map((b) => b ^ 0x5c), 0);
  }

  /**
   * The HMAC of `value`'s UTF-8 bytes, truncated to its first `length` bytes (at most 32), in a
   * Buffer from Node's shared pool (no ArrayBuffer of its own per value).
   */
  digest(value: string, length = 32): Buffer {
    // Encoding can take three bytes per UTF-16 unit; room is kept for the padding (≤ 72 bytes).
    if (this.#bytes.length < value.length * 3 + 72) this.#bytes = new Uint8Array(value.length * 3 + 72);
    const bytes = this.#bytes;
    const n = this.#encoder.encodeInto(value, bytes).written;
    const state = this.#state;
    state.set(this.#inner);
    const blocks = pad(bytes, n, BLOCK_BYTES + n);
    for (let offset = 0; offset < blocks * BLOCK_BYTES; offset += BLOCK_BYTES) compress(state, bytes, offset);

    // The outer hash reads the inner digest as one padded block: 32 bytes, 0x80, zeros, length 768 bits.
    for (let i = 0; i < 8; i++) writeWord(bytes, i * 4, state[i]!);
    pad(bytes, 32, BLOCK_BYTES + 32);
    state.set(this.#outer);
    compress(state, bytes, 0);

    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) out[i] = (state[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff;
    return out;
  }
}

const BLOCK_BYTES = 64;
const IV = Int32Array.of(0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600 | 0, 0xa96f30bc | 0, 0x163138aa, 0xe38dee4d | 0, 0xb0fb0e4e | 0);
/** The round constants, already rotated left by j mod 32 as each round uses them. */
const T = Int32Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32));

/** One SM3 compression of the 64 bytes at `offset` into `v`. */
function compress(v: Int32Array, bytes: Uint8Array, offset: number): void {
  const w = W;
  for (let j = 0; j < 16; j++) {
    const o = offset + j * 4;
    w[j] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
  }
  for (let j = 16; j < 68; j++) {
    const x = w[j - 16]! ^ w[j - 9]! ^ rotl(w[j - 3]!, 15);
    w[j] = x ^ rotl(x, 15) ^ rotl(x, 23) ^ rotl(w[j - 13]!, 7) ^ w[j - 6]!;
  }
  let a = v[0]!, b = v[1]!, c = v[2]!, d = v[3]!, e = v[4]!, f = v[5]!, g = v[6]!, h = v[7]!;
  for (let j = 0; j < 64; j++) {
    const a12 = rotl(a, 12);
    const ss1 = rotl((a12 + e + T[j]!) | 0, 7);
    const ss2 = ss1 ^ a12;
    const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
    const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
    const tt1 = (ff + d + ss2 + (w[j]! ^ w[j + 4]!)) | 0;
    const tt2 = (gg + h + ss1 + w[j]!) | 0;
    d = c;
    c = rotl(b, 9);
    b = a;
    a = tt1;
    h = g;
    g = rotl(f, 19);
    f = e;
    e = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
  }
  v[0]! ^= a; v[1]! ^= b; v[2]! ^= c; v[3]! ^= d; v[4]! ^= e; v[5]! ^= f; v[6]! ^= g; v[7]! ^= h;
}

/** The message schedule, reused by every compression (one per thread: module state is per isolate). */
const W = new Int32Array(68);

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

function writeWord(bytes: Uint8Array, offset: number, word: number): void {
  bytes[offset] = word >>> 24;
  bytes[offset + 1] = word >>> 16;
  bytes[offset + 2] = word >>> 8;
  bytes[offset + 3] = word;
}

/**
 * Appends SM3's padding after the `n` message bytes at the start of `bytes` (0x80, zeros, the
 * 64-bit length in bits of everything hashed, `total` bytes); returns the number of blocks.
 */
function pad(bytes: Uint8Array, n: number, total: number): number {
  const blocks = Math.ceil((n + 9) / BLOCK_BYTES);
  const end = blocks * BLOCK_BYTES;
  bytes[n] = 0x80;
  bytes.fill(0, n + 1, end - 8);
  const bits = total * 8;
  writeWord(bytes, end - 8, Math.floor(bits / 2 ** 32));
  writeWord(bytes, end - 4, bits >>> 0);
  return blocks;
}

/** Plain SM3 of a (long) key, for the rare key longer than a block. */
function sm3(message: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(Math.ceil((message.length + 9) / BLOCK_BYTES) * BLOCK_BYTES);
  bytes.set(message);
  const blocks = pad(bytes, message.length, message.length);
  const state = Int32Array.from(IV);
  for (let b = 0; b < blocks; b++) compress(state, bytes, b * BLOCK_BYTES);
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) writeWord(out, i * 4, state[i]!);
  return out;
}
