/**
 * Compose's variable interpolation, as docker-compose.yml uses it: `$$` for a
 * literal `$`, `${VAR}`, `$VAR`, `${VAR:-default}` / `${VAR-default}`, and
 * `${VAR:?message}` / `${VAR?message}` (an error when missing).
 */
const REFERENCE = /\$(?:(\$)|\{([A-Za-z_]\w*)(?:(:?)([-?])([^}]*))?\}|([A-Za-z_]\w*))/g;

export function interpolate(text: string, variables: Readonly<Record<string, string | undefined>>): string {
  return text.replace(REFERENCE, (_match, dollar?: string, braced?: string, colon?: string, operator?: string, operand?: string, bare?: string) => {
    if (dollar) return '$';
    const name = braced ?? bare ?? '';
    const value = variables[name];
    const missing = colon ? !value : value === undefined;
    if (!missing) return value ?? '';
    if (operator === '?') throw new Error(`${name}: ${operand || 'required variable is missing'}`);
    return operator === '-' ? (operand ?? '') : '';
  });
}

/** Names of the variables a text refers to (not counting `$$`). */
export function referencedVariables(text: string): string[] {
  return [...text.matchAll(REFERENCE)].flatMap((match) => match[2] ?? match[6] ?? []);
}
