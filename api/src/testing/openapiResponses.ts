/**
 * Checks a response against the generated OpenAPI document: the path template
 * and status must be documented, the content type must be the documented one,
 * and the body must validate against its JSON Schema (2020-12, as OpenAPI 3.1
 * uses; ajv with formats).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { OpenApiDocument } from '../openapi.ts';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;
const DOCUMENT_ID = 'https://medly.invalid/openapi.json';
const pointerSegment = (segment: string) => encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));

export interface CheckedResponse {
  status: number;
  body: unknown;
}

export function createResponseChecker(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const templates = Object.keys(document.paths ?? {}).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));

  /** Throws, naming the operation and the first schema errors, unless the response matches the document. */
  return async function check(method: string, url: string, response: Response): Promise<CheckedResponse> {
    const path = new URL(url, 'http://x').pathname;
    const found = templates.find(({ pattern }) => pattern.test(path));
    if (!found) throw new Error(`${path} matches no documented path`);
    const operation = (document.paths?.[found.template] as Record<string, { responses?: Record<string, unknown> }> | undefined)?.[
      method.toLowerCase()
    ];
    if (!operation) throw new Error(`${method} ${found.template} is not documented`);
    const status = String(response.status);
    const documented = operation.responses?.[status] as { content?: Record<string, unknown> } | undefined;
    if (!documented) throw new Error(`${method} ${found.template} does not document status ${status}`);
    if (response.status === 304) {
      if (documented.content || (await response.text()) !== '') throw new Error(`${method} ${path} 304 has a body`);
      return { status: response.status, body: undefined };
    }
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!documented.content?.[contentType]) {
      throw new Error(`${method} ${found.template} ${status}: content type ${contentType} is not documented`);
    }
    const body: unknown = await response.json();
    const pointer = ['paths', found.template, method.toLowerCase(), 'responses', status, 'content', contentType, 'schema']
      .map(pointerSegment)
      .join('/');
    const validate = ajv.getSchema(`${DOCUMENT_ID}#/${pointer}`);
    if (!validate) throw new Error(`no schema at ${pointer}`);
    if (!validate(body)) {
      throw new Error(`${method} ${path} ${status} does not match the document: ${ajv.errorsText(validate.errors)}`);
    }
    return { status: response.status, body };
  };
}
