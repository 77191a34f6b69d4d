/**
 * zod with `.openapi()` metadata (zod-to-openapi). Every API schema imports
 * `z` from here, so the extension is installed before any schema is built.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
