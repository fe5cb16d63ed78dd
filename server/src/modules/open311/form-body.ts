/** A parsed `application/x-www-form-urlencoded` Open311 body. */
export interface Open311FormBody {
  /** `attribute[code]=v` pairs; a repeated key (multivaluelist) gives several values. */
  attribute?: Record<string, string[]>;
  [key: string]: string | string[] | Record<string, string[]> | undefined;
}

const ATTRIBUTE_KEY = /^attribute\[([^\]]+)\](?:\[\])?$/;

/**
 * Parses a form body the way GeoReport v2 clients send it: `attribute[code]` keys (also
 * `attribute[code][]`) into `attribute`, and repeated plain keys into arrays, so that schema
 * validation can reject a parameter given twice.
 */
export function parseOpen311Form(text: string): Open311FormBody {
  const body: Open311FormBody = {};
  const attributes: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const match = ATTRIBUTE_KEY.exec(key);
    if (match) {
      (attributes[match[1]!] ??= []).push(value);
      continue;
    }
    if (key === 'attribute') continue;
    const previous = body[key];
    if (previous === undefined) body[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else if (typeof previous === 'string') body[key] = [previous, value];
  }
  if (Object.keys(attributes).length > 0) body.attribute = attributes;
  return body;
}
