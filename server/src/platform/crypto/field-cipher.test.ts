import { sm3, sm4 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { FieldCipher } from './field-cipher.ts';
import { maskAddress, maskIdNumber, maskPhone } from './masking.ts';

const MASTER = new Uint8Array(32).map((_, i) => i * 7 + 1);

describe('FieldCipher', () => {
  const cipher = new FieldCipher(MASTER);

  it('decrypts what it encrypted, Chinese text included', () => {
    for (const value of ['500106199001011234', '13800138000', '重庆市沙坪坝区小龙坎街道西苑路8号3栋2单元5-1']) {
      expect(cipher.decrypt(cipher.encrypt(value))).toBe(value);
    }
  });

  const fieldKey = Buffer.from(sm3('minsheng:sm4:field', { key: MASTER }), 'hex').subarray(0, 16);
  const VALUES = ['', 'a', '0123456789abcde', '0123456789abcdef', '500106199001011234', '13800138000', '重庆市沙坪坝区小龙坎街道西苑路8号3栋2单元5-1', '张'.repeat(40)];

  it('writes standard SM4-CBC/PKCS#7 that an independent SM4 implementation reads, and reads its output', () => {
    for (const value of VALUES) {
      const ours = cipher.encrypt(value);
      const iv = ours.subarray(1, 17);
      expect(sm4.decrypt(ours.subarray(17), fieldKey, { mode: 'cbc', iv, output: 'string' })).toBe(value);
      const theirs = sm4.encrypt(value, fieldKey, { mode: 'cbc', iv, output: 'array' });
      expect(Buffer.from(ours.subarray(17)).equals(Buffer.from(theirs))).toBe(true);
      expect(cipher.decrypt(Uint8Array.from([1, ...iv, ...theirs]))).toBe(value);
    }
  });

  it('encrypts a batch of values of different lengths exactly as one by one', () => {
    const batch = cipher.batch();
    const outputs = VALUES.map((value) => batch.encrypt(value));
    expect(outputs.every((out) => out.subarray(17).every((b) => b === 0))).toBe(true);
    batch.seal();
    outputs.forEach((out, i) => expect(cipher.decrypt(out)).toBe(VALUES[i]));
    expect(() => batch.encrypt('late')).toThrow(/sealed/);
  });

  it('refuses a truncated or re-padded ciphertext', () => {
    const value = cipher.encrypt('500106199001011234');
    expect(() => cipher.decrypt(value.subarray(0, value.length - 1))).toThrow();
    expect(() => cipher.decrypt(Uint8Array.from([2, ...value.subarray(1)]))).toThrow(/format/);
  });

  it('gives different ciphertexts for the same value (random IV)', () => {
    const a = Buffer.from(cipher.encrypt('500106199001011234')).toString('hex');
    const b = Buffer.from(cipher.encrypt('500106199001011234')).toString('hex');
    expect(a).not.toBe(b);
  });

  it('gives another key nothing readable', () => {
    const other = new FieldCipher(new Uint8Array(32).fill(9));
    // CBC has no authentication tag: a wrong key usually fails the padding check, and otherwise
    // yields garbage. Either way the value does not come out.
    for (let i = 0; i < 50; i++) {
      let read: string | undefined;
      try {
        read = other.decrypt(cipher.encrypt('500106199001011234'));
      } catch {
        read = undefined;
      }
      expect(read).not.toBe('500106199001011234');
    }
  });

  it('computes the blind index as HMAC-SM3 under the derived index key', () => {
    const indexKey = Buffer.from(sm3('minsheng:sm3:blind-index', { key: MASTER }), 'hex');
    for (const value of ['500106199001011234', '13800138000', '张三']) {
      const reference = Buffer.from(sm3(value, { key: indexKey }), 'hex').subarray(0, 16);
      expect(Buffer.from(cipher.blindIndex(value)).equals(reference)).toBe(true);
    }
  });

  it('gives equal values equal indexes and different values different ones', () => {
    expect(Buffer.from(cipher.blindIndex('a')).equals(Buffer.from(cipher.blindIndex('a')))).toBe(true);
    expect(Buffer.from(cipher.blindIndex('a')).equals(Buffer.from(cipher.blindIndex('b')))).toBe(false);
  });
});

describe('masking', () => {
  it('keeps the area code and last four digits of an ID number', () => {
    expect(maskIdNumber('500106199001011234')).toBe('500106********1234');
  });
  it('keeps the first three and last four digits of a phone', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
  });
  it('keeps the first six characters of an address', () => {
    expect(maskAddress('重庆市沙坪坝区小龙坎街道')).toBe('重庆市沙坪坝****');
  });
});
