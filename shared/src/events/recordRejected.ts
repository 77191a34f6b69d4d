import { z } from 'zod';
import { rejectionReason, sourceName } from '../reasons.ts';

/** A source record that could not become an event. Key: `${file}#${pointer}`. */
export const recordRejected = z.object({
  source: sourceName,
  file: z.string().min(1),
  pointer: z.string(),
  reason: rejectionReason,
  message: z.string(),
  /** The start of the record as text, at most EXCERPT_MAX_CHARS characters. */
  excerpt: z.string(),
});
export type RecordRejected = z.infer<typeof recordRejected>;

export const EXCERPT_MAX_CHARS = 1024;
