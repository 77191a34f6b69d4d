/**
 * Message headers the producers set beside the value: provenance that must
 * survive a replay but is no part of the record's content, so values stay
 * byte-identical while these say when and from where a record came. The
 * projector reads them into the provenance columns.
 */
export const HEADERS = {
  /** The source whose snapshot the key belongs to: users, course, practices or exams. */
  source: 'source',
  /** When the import that produced this message started: its snapshot time. */
  importedAt: 'imported-at',
  /** When an import first produced this key (carried over from the key's previous message). */
  firstSeenAt: 'first-seen-at',
  /** item appearances: when an import first produced any appearance of the item (its questionID). */
  itemFirstSeenAt: 'item-first-seen-at',
  /** attempts: when an import first produced any attempt of the user (its uid). */
  userFirstSeenAt: 'user-first-seen-at',
} as const;

/** A header's value as text (kafkajs gives Buffers, strings or arrays of them). */
export function headerText(headers: Readonly<Record<string, unknown>> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : typeof first === 'string' ? first : undefined;
}
