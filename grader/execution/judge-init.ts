// Judging the weights a notebook's top-level code initialised (an `initialised:` check, seed 002 Q4.1) with
// init-schemes' definitions: the distribution of each layer (reference/init.ts), its statistical test at
// init-schemes' level per layer (a correct initialisation fails with probability below layers x 5e-10, whatever
// its RNG and seed; docs/statistics.md), and its named mistakes, recognised as init-schemes recognises them in a
// random answer: the layer's entries are a sample of the mistake's distribution (same shape, two-sample tests).

import type { Value } from '../../src/failure.ts';
import type { Mistake } from '../../src/problem.ts';
import type { MistakeMatch } from '../../src/runner.ts';
import { formatNumber } from '../../src/format.ts';
import { testNormalSample, testUniformSample } from '../../src/stats.ts';
import { isNotJudgedHere } from '../../src/unjudged.ts';
import { initDistribution, initializeWeights } from '../../reference/init.ts';
import { ALPHA_PER_CALL, distributionText, initSchemes, rejectionText, sameDistribution } from '../../spec/init.suite.ts';
import type { ReferenceModule } from '../../spec/subjects.ts';
import { type Aspect, assigningCells, cellPhrase, fail, firstCellMatching, noCellMatching } from './aspect.ts';
import { type Described, type ExecutionResult, type NotebookCellSource, snapshotKey } from './run.ts';
import type { InitialisedCheck } from './schema.ts';

/** A correct layer fails the distribution test with at most this probability (init-schemes' level for one call). */
export const ALPHA_PER_LAYER = ALPHA_PER_CALL;

/** A layer's shape and entries: all of them, or, past 65,536, an even sample of its `sampled` entries. */
type Layer = { readonly shape: readonly number[]; readonly value: Value; readonly sampled?: number };

/** The arrays of a list value, or why it is not one. */
function layersOf(found: Described | undefined): Layer[] | string {
  if (found === undefined) return 'not defined after the notebook ran';
  if (found.kind === 'list') return found.items.map((item) => ({ shape: item.shape, value: item.value as Value, ...(item.sampled !== undefined ? { sampled: item.sampled } : {}) }));
  return `a ${'type' in found ? found.type : found.kind}, not a list of arrays`;
}

const flat = (v: Value): number[] => (Array.isArray(v) ? v.flatMap((x) => flat(x as Value)) : typeof v === 'number' ? [v] : []);
const shapeText = (shape: readonly number[]) => `(${shape.join(', ')})`;

/** Whether two draws are the same numbers (a variant drawing as the reference does, from the same stream). */
function sameDraw(a: Value, b: Value): boolean {
  const x = flat(a);
  const y = flat(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** A named mistake of init-schemes that explains every layer: each is a sample of the mistake's distribution. */
function explainingMistakes(check: InitialisedCheck, layers: readonly Layer[], shapes: readonly (readonly [number, number])[]): MistakeMatch[] {
  const { method } = check.initialised;
  const priced = initSchemes.mistakes.filter((m) => check.mistakes[m.id] !== undefined);
  const draw = (m: Mistake) => (m.implementation as Partial<ReferenceModule>).initializeWeights;
  return priced.flatMap((m) => {
    const variant = draw(m);
    if (variant === undefined || layers.length !== shapes.length) return [];
    try {
      const answers = shapes.map((s) => variant([...s], method));
      // A variant that draws every layer as the reference does is not this mistake (another method's).
      if (answers.every((a, l) => sameDraw(a, initializeWeights([...shapes[l]!], method)))) return [];
      return answers.every((a, l) => sameDistribution(layers[l]!.value, a)) ? [{ id: m.id, title: m.title, hint: m.hint }] : [];
    } catch (error) {
      // A self-check holds no mistake's draw of these layers (src/unjudged.ts): the failure stands, unnamed.
      if (isNotJudgedHere(error)) return [];
      throw error;
    }
  });
}

/** The (n_in, n_out) of each layer the check's widths chain. */
const layerShapes = (check: InitialisedCheck) => check.initialised.widths.slice(1).map((out, l) => [check.initialised.widths[l]!, out] as const);

/** The distribution each layer should be drawn from: asked of the reference from the check's settings alone. */
export const layerDistributions = (check: InitialisedCheck) => layerShapes(check).map((shape) => initDistribution([...shape], check.initialised.method));

/** The aspects of an initialised check: the shapes, the weights' distribution, the biases zero; with the mistakes that explain a failure. */
export function judgeInitialised(check: InitialisedCheck, result: ExecutionResult, sources: readonly NotebookCellSource[]): Aspect[] {
  const { weights: wName, biases: bName } = check.initialised;
  const shapes = layerShapes(check);
  const distributions = layerDistributions(check);
  // As one cell left them (`cell:`), else as the last cell that assigns them.
  const { cell: pattern } = check.initialised;
  const at = pattern === undefined ? undefined : firstCellMatching(pattern, sources);
  const where = (name: string) => {
    if (pattern === undefined) return cellPhrase(assigningCells(name, sources), result.cells);
    return at === undefined ? noCellMatching(pattern) : cellPhrase([at], result.cells);
  };
  const expectedShapes = shapes.map(shapeText).join(', ');
  const aspects: Aspect[] = [];
  const weights = layersOf(result.values[snapshotKey(wName, at)]);
  const biases = bName === undefined ? undefined : layersOf(result.values[snapshotKey(bName, at)]);

  // Shapes: a list of one (n_in, n_out) matrix per layer, and one bias vector per layer.
  const shapeTitle = `${wName} holds ${shapes.length} matrices of shapes ${expectedShapes}${bName ? `, ${bName} ${shapes.length} vectors of lengths ${shapes.map(([, o]) => o).join(', ')}` : ''}`;
  const shapeProblem = (() => {
    if (typeof weights === 'string') return `${wName} (${where(wName)}) is ${weights}`;
    const got = weights.map((w) => shapeText(w.shape)).join(', ');
    if (weights.length !== shapes.length || weights.some((w, l) => w.shape.length !== 2 || w.shape[0] !== shapes[l]![0] || w.shape[1] !== shapes[l]![1])) return `${wName} (${where(wName)}) holds matrices of shapes ${got}, expected ${expectedShapes} (n_in, n_out: a layer computes a @ W)`;
    if (bName === undefined || biases === undefined) return undefined;
    if (typeof biases === 'string') return `${bName} (${where(bName)}) is ${biases}`;
    const lengths = biases.map((b) => flat(b.value).length);
    if (biases.length !== shapes.length || lengths.some((n, l) => n !== shapes[l]![1])) return `${bName} (${where(bName)}) holds vectors of lengths ${lengths.join(', ')}, expected ${shapes.map(([, o]) => o).join(', ')}`;
    return undefined;
  })();
  aspects.push({ id: 'shapes', title: shapeTitle, ...(shapeProblem ? { failure: fail(typeof weights === 'string' ? 'missing' : 'wrong_shape', shapeProblem) } : {}) });

  // The distribution of every layer, at its expected (n_in, n_out) (entries of a wrong shape are judged too).
  const formula = distributions[0]!.kind === 'zero' ? '0' : distributions[0]!.formula;
  const distributionTitle = `every entry of ${wName}[l] is ${formula} for its (n_in, n_out) (a correct initialisation fails this with probability < ${formatNumber(shapes.length * ALPHA_PER_LAYER)})`;
  if (typeof weights === 'string' || weights.length !== shapes.length) {
    aspects.push({ id: 'distribution', title: distributionTitle, failure: fail(typeof weights === 'string' ? 'missing' : 'wrong_shape', `${wName} (${where(wName)}) does not hold ${shapes.length} layers to judge`) });
  } else {
    const rejected = weights.flatMap((w, l) => {
      const d = distributions[l]!;
      const entries = flat(w.value);
      const size = w.sampled ?? entries.length;
      if (d.kind === 'zero' || size !== shapes[l]![0] * shapes[l]![1]) return [`${wName}[${l}] has ${size} entries, expected ${shapes[l]![0] * shapes[l]![1]}`];
      if (!entries.every(Number.isFinite)) return [`${wName}[${l}] has entries that are not finite`];
      const verdict = d.kind === 'normal' ? testNormalSample(entries, d.std, ALPHA_PER_LAYER) : testUniformSample(entries, d.bound, ALPHA_PER_LAYER);
      if (verdict.passed) return [];
      const judged = w.sampled === undefined ? `the ${entries.length} entries` : `${entries.length} entries, evenly sampled from the ${w.sampled},`;
      return [`${judged} of ${wName}[${l}] ${shapeText(shapes[l]!)} are not ${distributionText(d)} (${verdict.tests.filter((t) => t.rejected).map(rejectionText).join('; ')})`];
    });
    aspects.push({ id: 'distribution', title: distributionTitle, ...(rejected.length ? { failure: fail('value_mismatch', `${wName} (${where(wName)}): ${rejected.join('; ')}`) } : {}) });
  }

  // The biases, exactly zero.
  if (bName !== undefined) {
    const title = `every entry of ${bName} is 0`;
    if (typeof biases === 'string' || biases === undefined) aspects.push({ id: 'zero-biases', title, failure: fail('missing', `${bName} (${where(bName)}) is ${biases ?? 'missing'}`) });
    else {
      const nonzero = biases.flatMap((b, l) => (flat(b.value).some((v) => v !== 0) ? [l] : []));
      aspects.push({ id: 'zero-biases', title, ...(nonzero.length ? { failure: fail('value_mismatch', `${bName} (${where(bName)}): ${nonzero.map((l) => `${bName}[${l}]`).join(', ')} ${nonzero.length === 1 ? 'is' : 'are'} not all 0 (np.zeros(n_out))`) } : {}) });
    }
  }

  // A failure of the weights is named when one priced mistake of init-schemes explains every layer.
  if (typeof weights === 'string' || !aspects.some((a) => a.failure && a.id !== 'zero-biases')) return aspects;
  const diagnosis = explainingMistakes(check, weights, shapes);
  return diagnosis.length === 0 ? aspects : aspects.map((a) => (a.failure && a.id !== 'zero-biases' ? { ...a, diagnosis } : a));
}
