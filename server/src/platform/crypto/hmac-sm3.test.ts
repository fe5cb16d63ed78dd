import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSm3 } from './hmac-sm3.ts';

const reference = (key: Uint8Array, value: string) => crypto.createHmac('sm3', key).update(value, 'utf8').digest();

describe('HmacSm3', () => {
  it('equals OpenSSL HMAC-SM3 with an empty key', () => {
    expect(new HmacSm3(new Uint8Array(0)).digest('abc')).toEqual(reference(new Uint8Array(0), 'abc'));
  });

  it('equals OpenSSL HMAC-SM3 for every length across the block boundaries, in ASCII and Chinese', () => {
    const key = crypto.randomBytes(32);
    const hmac = new HmacSm3(key);
    for (let n = 0; n <= 200; n++) {
      const ascii = crypto.randomBytes(n).toString('base64').slice(0, n);
      const chinese = Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919 + n) % 20000))).join('');
      expect(hmac.digest(ascii)).toEqual(reference(key, ascii));
      expect(hmac.digest(chinese)).toEqual(reference(key, chinese));
    }
    // Characters outside the BMP (surrogate pairs) and a value far longer than the first buffer.
    for (const value of ['𠀀𪚥𰻞', '名'.repeat(5000), 'x'.repeat(100_000)]) expect(hmac.digest(value)).toEqual(reference(key, value));
  });

  it('truncates to the requested length and takes keys longer than a block (hashed first)', () => {
    const longKey = crypto.randomBytes(100);
    const full = reference(longKey, '500106199001011234');
    expect(new HmacSm3(longKey).digest('500106199001011234')).toEqual(full);
    expect(new HmacSm3(longKey).digest('500106199001011234', 16)).toEqual(full.subarray(0, 16));
    const blockKey = crypto.randomBytes(64);
    expect(new HmacSm3(blockKey).digest('13800138000')).toEqual(reference(blockKey, '13800138000'));
  });
});
