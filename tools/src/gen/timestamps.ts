/** The timestamp spellings found in (or expected of) the Firebase export. */
export type TimestampForm =
  | 'isoMicrosZ' // 2025-09-16T21:58:05.744000Z       real, most attempts
  | 'isoMicrosOffset' // 2025-09-15T07:53:09.441000+00:00  real, 9%, and every real updatedAt
  | 'isoSecondsZ' // 2025-09-16T21:58:05Z              real, 1 attempt
  | 'isoMillisZ' // 2025-09-16T21:58:05.744Z          what JavaScript writes
  | 'isoNoOffset' // 2025-09-16T21:58:05.744           ISO without offset: UTC by the export's convention
  | 'isoPlusOne' // 2025-09-16T22:58:05.744000+01:00  same instant, British Summer Time
  | 'epochMillis'; // 1758059885744                     a JSON number

/** Texts no timestamp parser should accept. */
export const GARBAGE_TIMESTAMPS = ['not a date', '', '2025-13-45T25:61:00Z', 'Tuesday', '16/09/2025 21:58', 'NaN'] as const;

/** The usual mix of forms for an attempt's createdAt (epoch and garbage are injected separately). */
export const CREATED_AT_FORMS = [
  ['isoMicrosZ', 86],
  ['isoMicrosOffset', 9],
  ['isoSecondsZ', 1],
  ['isoMillisZ', 2.5],
  ['isoNoOffset', 0.5],
  ['isoPlusOne', 0.5],
] as const satisfies readonly (readonly [TimestampForm, number])[];

export function formatTimestamp(epochMs: number, form: TimestampForm): string | number {
  const iso = new Date(epochMs).toISOString();
  switch (form) {
    case 'isoMicrosZ':
      return `${iso.slice(0, 23)}000Z`;
    case 'isoMicrosOffset':
      return `${iso.slice(0, 23)}000+00:00`;
    case 'isoSecondsZ':
      return `${iso.slice(0, 19)}Z`;
    case 'isoMillisZ':
      return iso;
    case 'isoNoOffset':
      return iso.slice(0, 23);
    case 'isoPlusOne':
      return `${new Date(epochMs + 3_600_000).toISOString().slice(0, 23)}000+01:00`;
    case 'epochMillis':
      return epochMs;
  }
}
