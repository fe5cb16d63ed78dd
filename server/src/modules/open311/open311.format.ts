import { XMLBuilder } from 'fast-xml-parser';
import { AppError } from '../../platform/errors.ts';

/** The two representations GeoReport v2 defines, chosen by the URL's extension. */
export type Open311Format = 'json' | 'xml';

/** A JSON value as the Open311 views build it. */
export type Open311Value = string | number | boolean | null | Open311Value[] | { [key: string]: Open311Value };

/** How a list or object is named in XML: `<services><service>…</service></services>`. */
export interface XmlShape {
  root: string;
  /** Element name of each item when the body is a list. */
  item?: string;
}

// The spec's XML repeats a singular element inside a plural one; JSON just uses an array.
const XML_ITEM_NAMES: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};

const builder = new XMLBuilder({ format: true, ignoreAttributes: true, suppressEmptyNode: false });

/**
 * Splits `name.format` at the last dot (service codes contain dots: `component.streetlight.json`).
 * An unknown or missing extension is a 404, as if the resource did not exist.
 */
export function splitFormat(file: string): { name: string; format: Open311Format } {
  const dot = file.lastIndexOf('.');
  return { name: dot < 0 ? file : file.slice(0, dot), format: parseFormat(dot < 0 ? '' : file.slice(dot + 1)) };
}

/** The format named by a URL extension; anything but `json` or `xml` is a 404. */
export function parseFormat(extension: string): Open311Format {
  if (extension !== 'json' && extension !== 'xml') throw new AppError('NOT_FOUND', `unknown format "${extension}": use .json or .xml`);
  return extension;
}

/** The format of a request from its path, for answering errors; JSON unless the path ends in `.xml`. */
export function formatOfUrl(url: string): Open311Format {
  return (url.split('?')[0] ?? '').endsWith('.xml') ? 'xml' : 'json';
}

function toXmlTree(value: Open311Value, key?: string): unknown {
  if (value === null) return '';
  if (Array.isArray(value)) {
    const item = key ? XML_ITEM_NAMES[key] : undefined;
    if (!item) throw new Error(`no XML item name for list "${key ?? ''}"`);
    return { [item]: value.map((v) => toXmlTree(v, item)) };
  }
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toXmlTree(v, k)]));
  return String(value);
}

/** Renders a body in the requested format, with its content type. */
export function render(format: Open311Format, shape: XmlShape, body: Open311Value): { contentType: string; payload: string } {
  if (format === 'json') return { contentType: 'application/json; charset=utf-8', payload: JSON.stringify(body) };
  let inner: unknown;
  if (Array.isArray(body)) {
    if (!shape.item) throw new Error(`no XML item name for ${shape.root}`);
    const item = shape.item;
    inner = { [item]: body.map((v) => toXmlTree(v, item)) };
  } else {
    inner = toXmlTree(body, shape.root);
  }
  return { contentType: 'text/xml; charset=utf-8', payload: `<?xml version="1.0" encoding="utf-8"?>\n${String(builder.build({ [shape.root]: inner }))}` };
}

/** The spec's error body: `[{code, description}]`, or `<errors><error>…</error></errors>`. */
export function renderErrors(format: Open311Format, status: number, description: string): { contentType: string; payload: string } {
  return render(format, { root: 'errors', item: 'error' }, [{ code: status, description }]);
}
