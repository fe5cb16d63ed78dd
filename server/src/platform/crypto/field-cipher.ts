import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sm3 } from 'sm-crypto-v2';
import { HmacSm3 } from './hmac-sm3.ts';

const FORMAT_VERSION = 1;
const BLOCK = 16;
const IV_BYTES = 16;
const INDEX_BYTES = 16;
const KEY_FILE = 'secret.key';

/**
 * Encrypts personal fields at rest with SM4-CBC/PKCS#7 (random IV per value) and derives keyed SM3
 * blind indexes (HMAC-SM3) so that an encrypted field can still be found by exact value.
 *
 * SM4 is OpenSSL's, driven through one long-lived ECB context that this class chains into CBC
 * itself: every OpenSSL call costs a few microseconds whatever its length, so values encrypted
 * together (an import batch) share one call per block position instead of one call per value
 * (see docs/decisions/0002).
 */
export class FieldCipher {
  readonly #masterKey: Uint8Array;
  readonly #blockEncrypt: crypto.Cipheriv;
  readonly #blockDecrypt: crypto.Decipheriv;
  readonly #index: HmacSm3;

  /** @param masterKey 32 random bytes; sub-keys for encryption and indexing are derived from it. */
  constructor(masterKey: Uint8Array) {
    if (masterKey.length < 16) throw new Error('master key must be at least 16 bytes');
    this.#masterKey = Uint8Array.from(masterKey);
    const encryptionKey = deriveKey(masterKey, 'minsheng:sm4:field').subarray(0, 16);
    // ECB without padding turns each update() into a raw block transform: no state is carried
    // between calls, so the contexts are never finalised and serve every value.
    this.#blockEncrypt = crypto.createCipheriv('sm4-ecb', encryptionKey, null).setAutoPadding(false);
    this.#blockDecrypt = crypto.createDecipheriv('sm4-ecb', encryptionKey, null).setAutoPadding(false);
    this.#index = new HmacSm3(deriveKey(masterKey, 'minsheng:sm3:blind-index'));
  }

  /** The master key, to build the same cipher in a worker thread of this process; never leaves it. */
  exportMasterKey(): Uint8Array {
    return Uint8Array.from(this.#masterKey);
  }

  /** Ciphertext layout: version byte, 16-byte IV, SM4-CBC/PKCS#7 ciphertext. */
  encrypt(plaintext: string): Uint8Array {
    const batch = this.batch();
    const out = batch.encrypt(plaintext);
    batch.seal();
    return out;
  }

  /**
   * Encryption of many values at once: {@link FieldCipherBatch.encrypt} hands back each value's
   * ciphertext buffer at once, already the right size, and {@link FieldCipherBatch.seal} fills them
   * all with one OpenSSL call per block position. A buffer read before `seal` holds zeros.
   */
  batch(): FieldCipherBatch {
    const pending: Array<{ padded: Buffer; out: Buffer }> = [];
    let sealed = false;
    return {
      encrypt: (plaintext) => {
        if (sealed) throw new Error('this encryption batch is already sealed');
        // Small Buffers come from Node's shared pool: a batch of thousands of values allocates no ArrayBuffer of its own.
        const length = Buffer.byteLength(plaintext, 'utf8');
        const blocks = Math.floor(length / BLOCK) + 1;
        const padded = Buffer.allocUnsafe(blocks * BLOCK);
        padded.write(plaintext, 0, 'utf8');
        padded.fill(blocks * BLOCK - length, length);
        const out = Buffer.allocUnsafe(1 + IV_BYTES + padded.length);
        out[0] = FORMAT_VERSION;
        this.#copyNextIv(out, 1);
        out.fill(0, 1 + IV_BYTES);
        pending.push({ padded, out });
        return out;
      },
      blindIndex: (value) => this.blindIndex(value),
      seal: () => {
        sealed = true;
        this.#encryptChained(pending);
      },
    };
  }

  /** CBC over many values: round r enciphers block r of every value long enough, in one call. */
  #encryptChained(pending: Array<{ padded: Buffer; out: Buffer }>) {
    for (let round = 0; ; round++) {
      const active = pending.filter((p) => p.padded.length > round * BLOCK);
      if (active.length === 0) return;
      const input = Buffer.allocUnsafe(active.length * BLOCK);
      active.forEach(({ padded, out }, i) => {
        // The block before this one (the IV, then each ciphertext block) sits just before it in `out`.
        const previous = 1 + round * BLOCK;
        for (let b = 0; b < BLOCK; b++) input[i * BLOCK + b] = padded[round * BLOCK + b]! ^ out[previous + b]!;
      });
      const output = this.#blockEncrypt.update(input);
      active.forEach(({ out }, i) => output.copy(out, 1 + IV_BYTES + round * BLOCK, i * BLOCK, (i + 1) * BLOCK));
    }
  }

  // IVs are cut from a pool of random bytes: one getrandom call per 4,096 values instead of one each
  // (a tenth of an import's time went to randomBytes(16) before).
  #ivPool = Buffer.alloc(0);
  #ivOffset = 0;

  #copyNextIv(target: Buffer, offset: number): void {
    if (this.#ivOffset + IV_BYTES > this.#ivPool.length) {
      this.#ivPool = crypto.randomBytes(IV_BYTES * 4096);
      this.#ivOffset = 0;
    }
    this.#ivPool.copy(target, offset, this.#ivOffset, this.#ivOffset + IV_BYTES);
    this.#ivOffset += IV_BYTES;
  }

  /** Reverses {@link encrypt}; throws on a value written with an unknown format or key. */
  decrypt(ciphertext: Uint8Array): string {
    const body = ciphertext.length - 1 - IV_BYTES;
    if (ciphertext[0] !== FORMAT_VERSION || body <= 0 || body % BLOCK !== 0) throw new Error('unknown ciphertext format');
    // CBC decryption needs no chaining: every block is deciphered at once, then XORed with the
    // ciphertext block (or IV) before it.
    const plain = this.#blockDecrypt.update(ciphertext.subarray(1 + IV_BYTES));
    for (let i = 0; i < plain.length; i++) plain[i]! ^= ciphertext[1 + i]!;
    const padding = plain[plain.length - 1]!;
    if (padding < 1 || padding > BLOCK || plain.subarray(plain.length - padding).some((b) => b !== padding)) throw new Error('padding is invalid');
    return plain.subarray(0, plain.length - padding).toString('utf8');
  }

  /** Keyed SM3 (HMAC) of a normalised value, truncated to 16 bytes: equal values, equal index. */
  blindIndex(normalisedValue: string): Buffer {
    return this.#index.digest(normalisedValue, INDEX_BYTES);
  }
}

/** What code that protects fields needs: a {@link FieldCipher} or one of its batches. */
export interface FieldEncryptor {
  encrypt(plaintext: string): Uint8Array;
  blindIndex(normalisedValue: string): Uint8Array;
}

/** Values encrypted together; see {@link FieldCipher.batch}. */
export interface FieldCipherBatch extends FieldEncryptor {
  /** The value's ciphertext buffer, filled when the batch is sealed. */
  encrypt(plaintext: string): Uint8Array;
  /** Encrypts every value handed to {@link encrypt}; the batch takes no more values after. */
  seal(): void;
}

function deriveKey(masterKey: Uint8Array, label: string): Uint8Array {
  return Buffer.from(sm3(label, { key: masterKey }), 'hex');
}

/**
 * The master key: `MINSHENG_SECRET_KEY` (64 hex characters) when given, else the key file in the
 * data directory, created with fresh random bytes (mode 0600) on first use.
 */
export function loadMasterKey(options: { secretKey: string | undefined; dataDir: string }): Uint8Array {
  if (options.secretKey) {
    if (!/^[0-9a-fA-F]{64}$/.test(options.secretKey)) {
      throw new Error('MINSHENG_SECRET_KEY must be 64 hexadecimal characters (32 bytes)');
    }
    return Buffer.from(options.secretKey, 'hex');
  }
  const file = path.join(options.dataDir, KEY_FILE);
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  fs.mkdirSync(options.dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
  return key;
}

/** SM3 digest as hex; used for the audit hash chain and token hashes. */
export function sm3Hex(input: string): string {
  return sm3(input);
}
