import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { AppError } from '../errors.ts';

/** Image types accepted for attachments, recognised by their first bytes rather than the name. */
const SIGNATURES: Array<{ contentType: string; matches: (head: Buffer) => boolean }> = [
  { contentType: 'image/jpeg', matches: (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff },
  { contentType: 'image/png', matches: (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { contentType: 'image/webp', matches: (h) => h.subarray(0, 4).toString('latin1') === 'RIFF' && h.subarray(8, 12).toString('latin1') === 'WEBP' },
  { contentType: 'image/heic', matches: (h) => h.subarray(4, 8).toString('latin1') === 'ftyp' && /^(heic|heix|mif1|msf1)$/.test(h.subarray(8, 12).toString('latin1')) },
  { contentType: 'application/pdf', matches: (h) => h.subarray(0, 5).toString('latin1') === '%PDF-' },
];

/** Photos: what attachments and resident reports accept. */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
/** Scanned or photographed documents (an application's materials): photos or PDF. */
export const DOCUMENT_TYPES = [...IMAGE_TYPES, 'application/pdf'] as const;

/** A stored blob: its identity (SHA-256 of the content), type and size. */
export interface StoredBlob {
  sha256: string;
  contentType: string;
  size: number;
}

/**
 * Content-addressed files under a directory (`<dir>/<aa>/<sha256>`): the same photo uploaded twice
 * is stored once, and a stored file never changes. Writes go to a temporary file first and are
 * renamed into place, so a crash never leaves a half-written blob under its name.
 */
export class BlobStore {
  readonly #directory: string;

  constructor(directory: string) {
    this.#directory = directory;
  }

  /** Stores a stream if it is an accepted image no larger than `maxBytes`; throws INVALID_FILE otherwise. */
  putImage(stream: Readable, maxBytes: number): Promise<StoredBlob> {
    return this.put(stream, maxBytes, IMAGE_TYPES);
  }

  /** Stores a stream if its first bytes show one of the `accepted` types and it is no larger than `maxBytes`. */
  async put(stream: Readable, maxBytes: number, accepted: readonly string[]): Promise<StoredBlob> {
    await fs.promises.mkdir(this.#directory, { recursive: true });
    const temporary = path.join(this.#directory, `.upload-${crypto.randomUUID()}`);
    const hash = crypto.createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) return callback(new AppError('INVALID_FILE', `file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`));
        if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(stream, meter, fs.createWriteStream(temporary, { flags: 'wx' }));
      const type = SIGNATURES.find((s) => accepted.includes(s.contentType) && s.matches(head));
      if (!type) throw new AppError('INVALID_FILE', accepted.includes('application/pdf') ? 'only photos (JPEG, PNG, WebP, HEIC) or PDF files are accepted' : 'only JPEG, PNG, WebP or HEIC photos are accepted');
      if (size === 0) throw new AppError('INVALID_FILE', 'file is empty');
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      if (fs.existsSync(target)) await fs.promises.rm(temporary, { force: true });
      else await fs.promises.rename(temporary, target);
      return { sha256, contentType: type.contentType, size };
    } catch (error) {
      await fs.promises.rm(temporary, { force: true });
      throw error;
    }
  }

  /** Where a blob lives on disk. */
  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
    return path.join(this.#directory, sha256.slice(0, 2), sha256);
  }

  /** A read stream of a stored blob. */
  open(sha256: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(sha256));
  }
}
