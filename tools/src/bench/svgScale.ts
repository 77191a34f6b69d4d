/** Pure helpers for the bench's SVG charts: axis scales (linear or log), their ticks, tick labels, escaped text. */

export type ScaleKind = 'linear' | 'log';

export interface Scale {
  kind: ScaleKind;
  /** Data → pixels. */
  at: (value: number) => number;
  ticks: readonly number[];
  domain: readonly [number, number];
}

/** Text for an SVG text node or attribute value: the five characters XML reserves, escaped. */
export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');
}

/**
 * The domain that holds every value: for log, from the power of ten at or
 * below the smallest positive value to the one at or above the largest; for
 * linear, from 0 (or the minimum, when negative) to a "nice" step above the maximum.
 */
export function niceDomain(values: readonly number[], kind: ScaleKind): [number, number] {
  const usable = values.filter((value) => Number.isFinite(value) && (kind === 'linear' || value > 0));
  if (usable.length === 0) return kind === 'log' ? [1, 10] : [0, 1];
  const low = Math.min(...usable);
  const high = Math.max(...usable);
  if (kind === 'log') {
    const from = 10 ** Math.floor(Math.log10(low));
    const to = 10 ** Math.ceil(Math.log10(high));
    return [from, to > from ? to : from * 10];
  }
  const from = Math.min(0, low);
  const step = niceStep(high - from);
  return [from, Math.max(step, Math.ceil(high / step) * step)];
}

/** 1, 2 or 5 times a power of ten: about a fifth of the span. */
export function niceStep(span: number): number {
  if (!(span > 0)) return 1;
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiple = [1, 2, 5, 10].find((candidate) => candidate * power >= raw) ?? 10;
  return multiple * power;
}

export function ticksOf([from, to]: readonly [number, number], kind: ScaleKind): number[] {
  if (kind === 'log') {
    const ticks: number[] = [];
    for (let exponent = Math.round(Math.log10(from)); 10 ** exponent <= to * 1.000001; exponent += 1) ticks.push(10 ** exponent);
    return ticks;
  }
  const step = niceStep(to - from);
  const ticks: number[] = [];
  for (let value = from; value <= to + step / 1e6; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

/** A scale from `values` onto pixels [start, end] (end may be smaller: SVG's y grows downwards). */
export function scaleOf(values: readonly number[], kind: ScaleKind, start: number, end: number): Scale {
  const domain = niceDomain(values, kind);
  const [from, to] = domain;
  const position = kind === 'log' ? (value: number) => (Math.log10(value) - Math.log10(from)) / (Math.log10(to) - Math.log10(from)) : (value: number) => (value - from) / (to - from);
  return { kind, domain, ticks: ticksOf(domain, kind), at: (value) => start + position(value) * (end - start) };
}

/** A tick label: `1k`, `2.5M`, `0.5`, `12`. */
export function tickLabel(value: number): string {
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(value) >= size) return `${trimNumber(value / size)}${suffix}`;
  }
  return trimNumber(value);
}

function trimNumber(value: number): string {
  return String(Number(value.toPrecision(3)));
}
