// A picture of two closed forms that differ: both evaluated along one scalar variable through the point where
// they were found to differ, every other variable held at its value there. For a vector or matrix answer the
// entry that differed most is drawn. The result is a `lines` plot (src/failure.ts) for the HTML report.

import type { MathNode } from 'mathjs';
import type { Plot } from '../failure.ts';
import type { WorstEntry } from '../tolerance.ts';
import { mathjs } from './math.ts';
import type { Point, VariableSpec } from './variables.ts';

const SAMPLES = 41;

/** The value of a compiled form at a point, as one number (the entry at `index` of an array result); NaN where undefined. */
function entryAt(code: { evaluate: (scope: Map<string, unknown>) => unknown }, point: Point, index: readonly number[]): number {
  try {
    const scope = new Map(
      Object.entries(point).map(([k, v]) => [k, typeof v === 'number' ? v : mathjs().matrix(Array.isArray(v[0]) ? (v as number[][]) : (v as number[]).map((x) => [x]))]),
    );
    let r: unknown = code.evaluate(scope);
    if (mathjs().isMatrix(r)) r = r.toArray();
    for (const i of index) r = Array.isArray(r) ? r[i] : r;
    while (Array.isArray(r)) r = r[0]; // a 1 x 1 result
    return typeof r === 'number' && Number.isFinite(r) ? r : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Both forms along the first real scalar variable (else the first integer one) over its declared range
 * around the differing point; undefined when the forms have no scalar variable to vary.
 */
export function differenceSlice(expected: MathNode, received: MathNode, variables: readonly VariableSpec[], point: Point, worst: WorstEntry | undefined): Plot | undefined {
  const sizes = new Set(variables.flatMap((v) => v.shape.filter((d): d is string => typeof d === 'string')));
  const scalars = variables.filter((v) => v.shape.length === 0 && !sizes.has(v.name) && typeof point[v.name] === 'number');
  const axis = scalars.find((v) => v.kind === 'real') ?? scalars[0];
  if (axis === undefined) return undefined;
  const at = point[axis.name] as number;
  // The declared range, cut to a window around the point when it is wide (e.g. [0, 1e6]).
  const width = Math.min(axis.max - axis.min, Math.max(4, 4 * Math.abs(at)));
  const lo = Math.max(axis.min, at - width / 2);
  const hi = Math.min(axis.max, lo + width);
  const xs =
    axis.kind === 'integer'
      ? [...new Set(Array.from({ length: SAMPLES }, (_, i) => Math.round(lo + ((hi - lo) * i) / (SAMPLES - 1))))]
      : Array.from({ length: SAMPLES }, (_, i) => lo + ((hi - lo) * i) / (SAMPLES - 1));
  const index = worst?.index ?? [];
  const e = expected.compile();
  const r = received.compile();
  const along = (code: typeof e) => xs.map((x) => entryAt(code, { ...point, [axis.name]: x }, index));
  const entry = index.length > 0 ? `[${index.join('][')}]` : '';
  const others = Object.keys(point).filter((k) => k !== axis.name);
  return {
    kind: 'lines',
    title: `both forms${entry ? ` (entry ${entry})` : ''} as ${axis.name} varies${others.length > 0 ? `, ${others.join(', ')} as at the counterexample` : ''}`,
    xLabel: axis.name,
    yLabel: `value${entry}`,
    x: xs,
    series: [
      { label: 'expected form', role: 'reference', y: along(e) },
      { label: 'your answer', role: 'student', y: along(r) },
    ],
  };
}
