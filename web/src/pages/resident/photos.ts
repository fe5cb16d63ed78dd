/** Photo types the server keeps for a resident's report. */
export const ACCEPTED_PHOTO_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];

/** Photos one report may carry (the server's limit). */
export const MAX_PHOTOS = 9;

/** Above this a photo is scaled down before upload: a phone's camera file is several megabytes. */
const SHRINK_ABOVE_BYTES = 1.5 * 1024 * 1024;
/** Longest side of a scaled photo, enough to see a broken manhole or a blocked corridor. */
const LONGEST_SIDE = 1920;

function replaceExtension(name: string, extension: string): string {
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name || 'photo'}.${extension}`;
}

async function reencodeAsJpeg(file: File): Promise<Blob> {
  // The phone's orientation tag is applied, so a portrait shot stays upright once re-encoded.
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const scale = Math.min(1, LONGEST_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d canvas');
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('encoding failed'))), 'image/jpeg', 0.85),
    );
  } finally {
    bitmap.close();
  }
}

/**
 * Readies a chosen photo for upload: small JPEG, PNG and WebP files go as they are; large ones,
 * and types the server does not keep (HEIC from an iPhone, where the browser can decode it), are
 * re-encoded as a JPEG of at most 1920 pixels. Returns null when the file cannot be used at all.
 */
export async function preparePhoto(file: File): Promise<{ blob: Blob; name: string } | null> {
  const isAccepted = ACCEPTED_PHOTO_TYPES.includes(file.type);
  if (isAccepted && file.size <= SHRINK_ABOVE_BYTES) return { blob: file, name: file.name || 'photo' };
  try {
    return { blob: await reencodeAsJpeg(file), name: replaceExtension(file.name, 'jpg') };
  } catch {
    return isAccepted ? { blob: file, name: file.name } : null;
  }
}
