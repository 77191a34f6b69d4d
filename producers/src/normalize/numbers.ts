/**
 * Numbers where the exports sometimes hold numeric strings (`"difficulty": "3"`).
 * A numeric string becomes its number and says so (the caller counts it);
 * missing becomes null; anything else is passed on unchanged, for the event
 * schema to refuse, so a wrong type is an `invalid_record`, never a guess.
 */

export interface Coerced {
  value: unknown;
  coerced: boolean;
}

const INTEGER_TEXT = /^\s*-?\d+\s*$/;
const DECIMAL_TEXT = /^\s*-?\d+(?:\.\d+)?\s*$/;

export function coerceInteger(raw: unknown): Coerced {
  if (raw === undefined || raw === null) return { value: null, coerced: false };
  if (typeof raw === 'string' && INTEGER_TEXT.test(raw)) {
    const value = Number(raw);
    if (Number.isSafeInteger(value)) return { value, coerced: true };
  }
  return { value: raw, coerced: false };
}

export function coerceNumber(raw: unknown): Coerced {
  if (raw === undefined || raw === null) return { value: null, coerced: false };
  if (typeof raw === 'string' && DECIMAL_TEXT.test(raw)) return { value: Number(raw), coerced: true };
  return { value: raw, coerced: false };
}

/** An integer or a list of integers (`correct_answer_index`); each element is coerced on its own. */
export function coerceIntegerOrList(raw: unknown): Coerced {
  if (!Array.isArray(raw)) return coerceInteger(raw);
  let coerced = false;
  const value = raw.map((element) => {
    const result = coerceInteger(element);
    coerced ||= result.coerced;
    return result.value;
  });
  return { value, coerced };
}
