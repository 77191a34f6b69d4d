/**
 * Two small dependency-free SVG charts for docs/: lines with points (either
 * axis linear or log) and grouped bars. Every text is escaped; a point or a
 * bar without a finite value (or, on a log axis, a positive one) is left out.
 */
import { escapeXml, scaleOf, tickLabel, type Scale, type ScaleKind } from './svgScale.ts';

export interface LineSeries {
  name: string;
  /** A point's label is written beside it. */
  points: readonly { x: number; y: number; label?: string }[];
  dashed?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  xScale: ScaleKind;
  yScale: ScaleKind;
  series: readonly LineSeries[];
}

export interface BarChart {
  title: string;
  yLabel: string;
  yScale: ScaleKind;
  /** One group of bars per label, along the x axis. */
  groups: readonly string[];
  /** One bar per series in every group: `values[i]` belongs to `groups[i]`. */
  series: readonly { name: string; values: readonly (number | undefined)[] }[];
  /** A dashed horizontal line across the bars: a target. */
  reference?: { value: number; label: string };
}

const WIDTH = 720;
const HEIGHT = 380;
const PLOT = { left: 72, right: WIDTH - 20, top: 64, bottom: HEIGHT - 56 };
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const colour = (index: number) => COLOURS[index % COLOURS.length] ?? '#000';
const px = (value: number) => value.toFixed(1);

const usable = (kind: ScaleKind) => (value: number | undefined): value is number => value !== undefined && Number.isFinite(value) && (kind === 'linear' || value > 0);

export function lineChartSvg(chart: LineChart): string {
  const xOk = usable(chart.xScale);
  const yOk = usable(chart.yScale);
  const series = chart.series.map((line) => ({ ...line, points: line.points.filter((point) => xOk(point.x) && yOk(point.y)) }));
  const points = series.flatMap((line) => line.points);
  const x = scaleOf(
    points.map((point) => point.x),
    chart.xScale,
    PLOT.left,
    PLOT.right,
  );
  const y = scaleOf(
    points.map((point) => point.y),
    chart.yScale,
    PLOT.bottom,
    PLOT.top,
  );
  const body = series.flatMap((line, index) => {
    const sorted = [...line.points].sort((a, b) => a.x - b.x);
    const path = sorted.map((point) => `${px(x.at(point.x))},${px(y.at(point.y))}`).join(' ');
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
    return [
      sorted.length > 1 ? `<polyline fill="none" stroke="${colour(index)}" stroke-width="2"${dash} points="${path}"/>` : '',
      ...sorted.map(
        (point) =>
          `<circle cx="${px(x.at(point.x))}" cy="${px(y.at(point.y))}" r="3.5" fill="${colour(index)}">` +
          `<title>${escapeXml(`${line.name}: ${tickLabel(point.x)}, ${tickLabel(point.y)}`)}</title></circle>` +
          (point.label === undefined ? '' : `<text x="${px(x.at(point.x) + 6)}" y="${px(y.at(point.y) - 6)}" font-size="11">${escapeXml(point.label)}</text>`),
      ),
    ];
  });
  return document(chart.title, [
    ...xAxis(x, chart.xLabel),
    ...yAxis(y, chart.yLabel),
    ...body.filter((part) => part !== ''),
    ...legend(series.map((line) => line.name)),
  ]);
}

export function barChartSvg(chart: BarChart): string {
  const ok = usable(chart.yScale);
  const reference = chart.reference && ok(chart.reference.value) ? chart.reference : undefined;
  const y = scaleOf(
    [...chart.series.flatMap((bars) => bars.values.filter(ok)), ...(reference ? [reference.value] : [])],
    chart.yScale,
    PLOT.bottom,
    PLOT.top,
  );
  const groupWidth = (PLOT.right - PLOT.left) / Math.max(1, chart.groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, chart.series.length);
  const base = chart.yScale === 'log' ? PLOT.bottom : y.at(0);
  const bars = chart.groups.flatMap((group, groupIndex) => {
    const left = PLOT.left + groupIndex * groupWidth + groupWidth * 0.1;
    const label = `<text x="${px(left + groupWidth * 0.4)}" y="${px(PLOT.bottom + 18)}" text-anchor="middle" font-size="11">${escapeXml(group)}</text>`;
    const rects = chart.series.flatMap((bars, seriesIndex) => {
      const value = bars.values[groupIndex];
      if (!ok(value)) return [];
      const top = y.at(value);
      const x = left + seriesIndex * barWidth;
      return [
        `<rect x="${px(x)}" y="${px(Math.min(top, base))}" width="${px(barWidth * 0.9)}" height="${px(Math.abs(base - top))}" fill="${colour(seriesIndex)}">` +
          `<title>${escapeXml(`${group}, ${bars.name}: ${tickLabel(value)}`)}</title></rect>`,
        `<text x="${px(x + barWidth * 0.45)}" y="${px(Math.min(top, base) - 3)}" text-anchor="middle" font-size="9">${escapeXml(tickLabel(value))}</text>`,
      ];
    });
    return [label, ...rects];
  });
  const line = reference
    ? [
        `<line x1="${String(PLOT.left)}" y1="${px(y.at(reference.value))}" x2="${String(PLOT.right)}" y2="${px(y.at(reference.value))}" stroke="#d62728" stroke-dasharray="6 4"/>` +
          `<text x="${String(PLOT.right - 4)}" y="${px(y.at(reference.value) - 4)}" text-anchor="end" font-size="11" fill="#d62728">${escapeXml(reference.label)}</text>`,
      ]
    : [];
  return document(chart.title, [...yAxis(y, chart.yLabel), axisLine(), ...bars, ...line, ...legend(chart.series.map((bars) => bars.name))]);
}

function document(title: string, parts: readonly string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(WIDTH)}" height="${String(HEIGHT)}" viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}" font-family="sans-serif">`,
    `<rect width="${String(WIDTH)}" height="${String(HEIGHT)}" fill="#fff"/>`,
    `<text x="${String(WIDTH / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function axisLine(): string {
  return `<line x1="${String(PLOT.left)}" y1="${String(PLOT.bottom)}" x2="${String(PLOT.right)}" y2="${String(PLOT.bottom)}" stroke="#333"/>`;
}

function xAxis(x: Scale, label: string): string[] {
  return [
    axisLine(),
    ...x.ticks.map((tick) => {
      const at = px(x.at(tick));
      return (
        `<line x1="${at}" y1="${String(PLOT.top)}" x2="${at}" y2="${String(PLOT.bottom)}" stroke="#ddd"/>` +
        `<text x="${at}" y="${String(PLOT.bottom + 16)}" text-anchor="middle" font-size="11">${escapeXml(tickLabel(tick))}</text>`
      );
    }),
    `<text x="${String((PLOT.left + PLOT.right) / 2)}" y="${String(HEIGHT - 12)}" text-anchor="middle" font-size="12">${escapeXml(label)}</text>`,
  ];
}

function yAxis(y: Scale, label: string): string[] {
  const middle = (PLOT.top + PLOT.bottom) / 2;
  return [
    `<line x1="${String(PLOT.left)}" y1="${String(PLOT.top)}" x2="${String(PLOT.left)}" y2="${String(PLOT.bottom)}" stroke="#333"/>`,
    ...y.ticks.map((tick) => {
      const at = px(y.at(tick));
      return (
        `<line x1="${String(PLOT.left)}" y1="${at}" x2="${String(PLOT.right)}" y2="${at}" stroke="#ddd"/>` +
        `<text x="${String(PLOT.left - 6)}" y="${at}" dy="4" text-anchor="end" font-size="11">${escapeXml(tickLabel(tick))}</text>`
      );
    }),
    `<text x="16" y="${String(middle)}" text-anchor="middle" font-size="12" transform="rotate(-90 16 ${String(middle)})">${escapeXml(label)}</text>`,
  ];
}

function legend(names: readonly string[]): string[] {
  return names.map((name, index) => {
    const x = PLOT.left + index * 150;
    return (
      `<rect x="${String(x)}" y="36" width="12" height="12" fill="${colour(index)}"/>` +
      `<text x="${String(x + 16)}" y="46" font-size="12">${escapeXml(name)}</text>`
    );
  });
}
