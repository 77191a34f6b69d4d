import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { barChartSvg, lineChartSvg } from './svgChart.ts';
import { escapeXml, niceDomain, niceStep, scaleOf, tickLabel, ticksOf } from './svgScale.ts';

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi;
const NAME = '[A-Za-z_][\\w:.-]*';
const ATTRIBUTES = new RegExp(`^(?:\\s+${NAME}="[^"<]*")*\\s*$`);

/** A small well-formedness check (no XML parser among the dependencies): one root, tags nested and closed, attributes quoted, & only in entities. */
function assertWellFormedXml(text: string): void {
  const body = text.replace(/^<\?xml [^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const checkText = (chunk: string, where: string) => {
    assert.not.ok(chunk.replaceAll(ENTITY, '').includes('&'), `a bare & in ${where}: ${chunk}`);
  };
  for (const token of body.split(/(<[^>]*>)/)) {
    if (!token.startsWith('<')) {
      checkText(token, 'text');
      if (stack.length === 0) assert.is(token.trim(), '', 'text outside the root');
      continue;
    }
    const closing = new RegExp(`^</(${NAME})\\s*>$`).exec(token);
    if (closing) {
      assert.is(stack.pop(), closing[1], `${token} closes what is open`);
      continue;
    }
    const opening = new RegExp(`^<(${NAME})([^>]*?)(/?)>$`).exec(token);
    assert.ok(opening, `a tag: ${token}`);
    const [, name = '', attributes = '', selfClosing] = opening;
    assert.ok(ATTRIBUTES.test(attributes), `quoted attributes in ${token}`);
    checkText(attributes, token);
    if (stack.length === 0) roots += 1;
    if (selfClosing !== '/') stack.push(name);
  }
  assert.equal(stack, [], 'every tag is closed');
  assert.is(roots, 1, 'one root element');
}

test('escapeXml escapes the five reserved characters, & first', () => {
  assert.is(escapeXml(`a<b>&"c"'d'`), 'a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
  assert.is(escapeXml('&lt;'), '&amp;lt;');
});

test('a log domain spans whole powers of ten; a linear one starts at 0 and ends on a nice step', () => {
  assert.equal(niceDomain([3_000, 120_000, 0, -1], 'log'), [1_000, 1_000_000]);
  assert.equal(niceDomain([1_000], 'log'), [1_000, 10_000]);
  assert.equal(niceDomain([3.2, 47], 'linear'), [0, 50]);
  assert.equal(niceDomain([], 'linear'), [0, 1]);
  assert.is(niceStep(47), 10);
  assert.is(niceStep(0.7), 0.2);
  assert.equal(ticksOf([10, 10_000], 'log'), [10, 100, 1_000, 10_000]);
  assert.equal(ticksOf([0, 50], 'linear'), [0, 10, 20, 30, 40, 50]);
});

test('scales map the domain onto the pixels, log evenly per power of ten, y downwards', () => {
  const x = scaleOf([10, 1_000], 'log', 100, 400);
  assert.is(x.at(10), 100);
  assert.is(x.at(100), 250);
  assert.is(x.at(1_000), 400);
  const y = scaleOf([0, 40, 50], 'linear', 300, 100);
  assert.is(y.at(0), 300);
  assert.is(y.at(25), 200);
  assert.is(y.at(50), 100);
});

test('tick labels are short', () => {
  assert.is(tickLabel(1_000), '1k');
  assert.is(tickLabel(2_500_000), '2.5M');
  assert.is(tickLabel(0.5), '0.5');
  assert.is(tickLabel(12), '12');
  assert.is(tickLabel(1e9), '1G');
});

test('a log–log line chart is well-formed XML, with a point per usable value at its scaled place', () => {
  const svg = lineChartSvg({
    title: 'import <& floor>',
    xLabel: 'rows',
    yLabel: 'seconds',
    xScale: 'log',
    yScale: 'log',
    series: [
      { name: 'import "A&B"', points: [{ x: 1_000, y: 1, label: '1× <' }, { x: 100_000, y: 100 }, { x: 10_000, y: Number.NaN }, { x: 0, y: 3 }] },
      { name: 'floor', points: [{ x: 10_000, y: 10 }], dashed: true },
    ],
  });
  assertWellFormedXml(svg);
  assert.ok(svg.includes('import &lt;&amp; floor&gt;'));
  assert.ok(svg.includes('import &quot;A&amp;B&quot;'));
  assert.ok(svg.includes('>1× &lt;</text>'), 'a point label, escaped');
  assert.is(svg.match(/<circle /g)?.length, 3, 'NaN and 0 (on a log axis) are left out');
  const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map(([, cx, cy]) => ({ x: Number(cx), y: Number(cy) }));
  const [first, last, floor] = circles;
  assert.ok(first && last && floor);
  // x from 1k to 100k and y from 1 to 100 span the plot's corners; 10k, 10 is the middle of both.
  assert.is(floor.x, (first.x + last.x) / 2);
  assert.is(floor.y, (first.y + last.y) / 2);
  assert.ok(first.y > last.y, 'larger values are higher up');
  assert.is(svg.match(/stroke-dasharray/g)?.length, undefined, 'a one-point series draws no line');
});

test('a grouped bar chart is well-formed XML, bars grow with their values, missing values have no bar', () => {
  const svg = barChartSvg({
    title: 'p50 & p99',
    yLabel: 'ms',
    yScale: 'linear',
    groups: ['users', 'items <cached>'],
    series: [
      { name: 'ours', values: [10, 40] },
      { name: 'floor', values: [20, undefined] },
    ],
  });
  assertWellFormedXml(svg);
  assert.ok(svg.includes('items &lt;cached&gt;'));
  const heights = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#/g)].map(([, height]) => Number(height));
  assert.is(heights.length, 3 + 2, 'three bars and two legend boxes');
  const [ten, twenty, forty] = heights;
  assert.ok(ten !== undefined && forty !== undefined && twenty !== undefined);
  assert.ok(Math.abs(forty - 4 * ten) < 0.2, `40 is four times 10 (${String(forty)} vs ${String(ten)})`);
  assert.ok(Math.abs(twenty - 2 * ten) < 0.2);
});

test('charts without any usable value are still well-formed', () => {
  assertWellFormedXml(lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', xScale: 'log', yScale: 'linear', series: [] }));
  assertWellFormedXml(barChartSvg({ title: 't', yLabel: 'y', yScale: 'log', groups: [], series: [] }));
});

test.run();
