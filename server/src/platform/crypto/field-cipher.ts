import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sm3, sm4 } from 'sm-crypto-v2';

const FORMAT_VERSION = 1;
const IV_BYTES = 16;
const INDEX_BYTES = 16;
const KEY_FILE = 'secret.key';

/**
 * Encrypts personal fields at rest with SM4-CBC (random IV per value) and derives keyed SM3
 * blind indexes (HMAC-SM3) so that an encrypted field can still be found by exact value.
 * SM4 runs in sm-crypto-v2: Node's OpenSSL SM4 costs a key schedule per call and is several
 * times slower for the short values we protect (measured, see docs/decisions/0002).
 */
export class FieldCipher {
  readonly #masterKey: Uint8Array;
  readonly #encryptionKey: Uint8Array;
  readonly #indexInner: crypto.Hash;
  readonly #indexOuter: crypto.Hash;

  /** @param masterKey 32 random bytes; sub-keys for encryption and indexing are derived from it. */
  constructor(masterKey: Uint8Array) {
    if (masterKey.length < 16) throw new Error('master key must be at least 16 bytes');
    this.#masterKey = Uint8Array.from(masterKey);
    this.#encryptionKey = deriveKey(masterKey, 'minsheng:sm4:field').subarray(0, 16);
    [this.#indexInner, this.#indexOuter] = hmacStates(deriveKey(masterKey, 'minsheng:sm3:blind-index'));
  }

  /** The master key, to build the same cipher in a worker thread of this process; never leaves it. */
  exportMasterKey(): Uint8Array {
    return Uint8Array.from(this.#masterKey);
  }

  /** Ciphertext layout: version byte, 16-byte IV, SM4-CBC/PKCS#7 ciphertext. */
  encrypt(plaintext: string): Uint8Array {
    const iv = this.#nextIv();
    const body = sm4.encrypt(plaintext, this.#encryptionKey, { mode: 'cbc', iv, output: 'array' });
    const out = new Uint8Array(1 + IV_BYTES + body.length);
    out[0] = FORMAT_VERSION;
    out.set(iv, 1);
    out.set(body, 1 + IV_BYTES);
    return out;
  }

  // IVs are cut from a pool of random bytes: one getrandom call per 4,096 values instead of one each
  // (a tenth of an import's time went to randomBytes(16) before).
  #ivPool = Buffer.alloc(0);
  #ivOffset = 0;

  #nextIv(): Uint8Array {
    if (this.#ivOffset + IV_BYTES > this.#ivPool.length) {
      this.#ivPool = crypto.randomBytes(IV_BYTES * 4096);
      this.#ivOffset = 0;
    }
    const iv = this.#ivPool.subarray(this.#ivOffset, this.#ivOffset + IV_BYTES);
    this.#ivOffset += IV_BYTES;
    return iv;
  }

  /** Reverses {@link encrypt}; throws on a value written with an unknown format or key. */
  decrypt(ciphertext: Uint8Array): string {
    if (ciphertext[0] !== FORMAT_VERSION) throw new Error('unknown ciphertext format');
    const iv = ciphertext.subarray(1, 1 + IV_BYTES);
    return sm4.decrypt(ciphertext.subarray(1 + IV_BYTES), this.#encryptionKey, { mode: 'cbc', iv, output: 'string' });
  }

  /** Keyed SM3 (HMAC) of a normalised value, truncated to 16 bytes: equal values, equal index. */
  blindIndex(normalisedValue: string): Uint8Array {
    const inner = this.#indexInner.copy().update(normalisedValue, 'utf8').digest();
    return this.#indexOuter.copy().update(inner).digest().subarray(0, INDEX_BYTES);
  }
}

const SM3_BLOCK_BYTES = 64;

/**
 * HMAC-SM3 (RFC 2104) with the padded-key blocks absorbed once: each blind index then costs two
 * hash copies and two finalisations in OpenSSL, about a quarter of a fresh HMAC (an import
 * computes three per row). Equality with a reference HMAC-SM3 is tested.
 */
function hmacStates(key: Uint8Array): [crypto.Hash, crypto.Hash] {
  const block = Buffer.alloc(SM3_BLOCK_BYTES);
  Buffer.from(key.length > SM3_BLOCK_BYTES ? crypto.createHash('sm3').update(key).digest() : key).copy(block);
  const inner = crypto.createHash('sm3').update(block.map((b) => b ^ 0x36));
  const outer = crypto.createHash('sm3').update(block.map((b) => b ^ 0x5c));
  return [inner, outer];
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
