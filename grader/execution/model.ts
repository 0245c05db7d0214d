// A model check (`model:` of execute:): each construction it asks for (the model as the notebook left it, a class
// called with no arguments, or a class or function called with the handout's arguments: InitMLP('he'),
// build_mlp(784, 3, 32, 10)) judged on its layers, parameter count, forward pass, what that forward pass computes
// with the model's own weights (grader/execution/behaviour.ts) and its initial weights and biases
// (grader/execution/weights.ts). An aspect given at the check's level is one aspect judged on every construction
// (failing if any fails, each failing one named); one given in a build is that construction's own aspect.

import type { Value } from '../../src/failure.ts';
import { initDistribution } from '../../reference/init.ts';
import { parseStack } from '../../reference/layer-stack.ts';
import { type Aspect, assigningCells, cellPhrase, fail, layerPattern, moduleClasses } from './aspect.ts';
import { computesDifference } from './behaviour.ts';
import type { ExecutionResult, ModelReport, ModelState, NotebookCellSource } from './run.ts';
import { type Construction, JUDGED, type Judged, type ModelCheck, constructionsOf } from './schema.ts';
import { biasesDifference, weightsDifference } from './weights.ts';

type Want = NonNullable<ModelCheck[Judged]>;
type Built = Exclude<ModelReport, { error: string }>;

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;
const inputText = (input: NonNullable<ModelCheck['forward']>['input']) => (typeof input[0] === 'number' ? shapeText(input as number[]) : (input as number[][]).map(shapeText).join(' or '));

function title(kind: Judged, want: Want, subject: string): string {
  switch (kind) {
    case 'network':
      return `${subject}'s layers: ${String(want)}`;
    case 'layers':
      return `${subject}'s layers in order: ${String(want)}`;
    case 'parameters':
      return `${subject} has ${String(want)} parameters`;
    case 'forward': {
      const f = want as NonNullable<ModelCheck['forward']>;
      return `${subject} maps a batch of shape ${inputText(f.input)} to ${f.output ? shapeText(f.output) : 'an output'}${f.range ? ` in [${f.range.join(', ')}]` : ''}`;
    }
    case 'computes':
      return `${subject} computes ${String(want)} with its own weights (float64 reference, float32 rounding allowed)`;
    case 'weights': {
      const d = initDistribution([1, 1], String(want));
      return `${subject}'s Linear weights are initialize_weights' '${String(want)}': ${d.kind === 'zero' ? 'all zero' : d.formula} per layer (fan_in = in_features)`;
    }
    case 'biases':
      return `${subject}'s Linear biases are zero`;
  }
}

/** What is wrong with one construction on one aspect, as a failure, or undefined when it passes. */
function judgeOne(kind: Judged, want: Want, found: Built, state: ModelState | string | undefined, at: string) {
  if (kind === 'network' || kind === 'layers') {
    const text = kind === 'network' ? found.layers : found.leaves;
    const pattern = String(want);
    return layerPattern(pattern).test(text.replace(/\s+/g, '')) ? undefined : fail('value_mismatch', `${at} has the layers ${text}; expected ${pattern} (* is any size, ... any layers)`, { expected: pattern, received: text });
  }
  if (kind === 'parameters') return found.parameters === want ? undefined : fail('value_mismatch', `${at} has ${found.parameters} parameters, expected ${String(want)}`, { expected: want as number, received: found.parameters });
  // What runs the model fails when its forward pass raised; its weights are judged all the same.
  if ((kind === 'forward' || kind === 'computes') && found.forward !== undefined && 'error' in found.forward) return fail('raised', `${at}: its forward pass raised ${found.forward.error}`);
  if (kind === 'forward') {
    const f = want as NonNullable<ModelCheck['forward']>;
    const forward = found.forward;
    if (forward === undefined || 'error' in forward) return fail('raised', `${at}: its forward pass gave nothing`);
    if (f.output && (forward.shape.length !== f.output.length || forward.shape.some((d, i) => d !== f.output![i]))) {
      return fail('wrong_shape', `${at} maps ${shapeText(forward.input)} to ${shapeText(forward.shape)}, expected ${shapeText(f.output)}`, { expected: f.output, received: forward.shape });
    }
    if (!forward.finite) return fail('not_finite', `${at} gives NaN or infinite outputs on inputs in [0, 1)`);
    if (f.range && (forward.min! < f.range[0] || forward.max! > f.range[1])) {
      return fail('value_mismatch', `${at}'s outputs span [${forward.min!.toPrecision(4)}, ${forward.max!.toPrecision(4)}], outside [${f.range.join(', ')}]`, { expected: f.range, received: [forward.min, forward.max] as Value });
    }
    return undefined;
  }
  if (state === undefined || typeof state === 'string') return fail('missing', `${at}: its weights could not be read${state ? ` (${state})` : ''}`);
  const difference = kind === 'computes' ? computesDifference(parseStack(String(want)), state) : kind === 'weights' ? weightsDifference(want as Parameters<typeof weightsDifference>[0], state.linears) : biasesDifference(state.linears);
  return difference === undefined ? undefined : fail('value_mismatch', `${at}: ${difference}`);
}

/** One aspect judged on the given constructions: it fails if any of them fails, said for the first, the others named. */
function judgeAspect(check: ModelCheck, kind: Judged, want: Want, constructions: readonly Construction[], result: ExecutionResult, where: string, base: Omit<Aspect, 'failure'>, renamed: string): Aspect {
  const failures = constructions.flatMap((c) => {
    const found = result.models[c.key];
    if (found === undefined) return [{ c, failure: fail('missing', `${check.model} is not defined after the notebook ran (${where})${renamed}`) }];
    const at = `${c.label} (${where})`;
    const failure = 'error' in found ? fail('raised', `${at}: ${found.error}`) : judgeOne(kind, want, found, result.states?.[c.key] ?? result.stateErrors?.[c.key], at);
    return failure ? [{ c, failure }] : [];
  });
  const [first, ...rest] = failures;
  if (first === undefined) return base;
  const others = rest.length === 0 || first.failure.code === 'missing' ? '' : ` (likewise ${rest.map((f) => f.c.label).join(', ')})`;
  return { ...base, failure: { ...first.failure, message: first.failure.message + others } };
}

/**
 * For a model class no cell defines: the module classes the notebook defines instead, said so that a person sees
 * a renamed class at once (seed 001's student wrote the handout's InitMLP as MLP_Layer). The handout's name stays
 * the contract: the points are lost all the same.
 */
function renamedHint(check: ModelCheck, sources: readonly NotebookCellSource[]): string {
  if (assigningCells(check.model, sources).length > 0) return '';
  const others = moduleClasses(sources).filter((c) => c.name !== check.model);
  if (others.length === 0) return '';
  const listed = others.slice(0, 3).map((c) => `${c.name} (cell ${c.cell})`).join(', ');
  return `; the notebook defines the nn.Module ${others.length === 1 ? 'class' : 'classes'} ${listed}${others.length > 3 ? ', ...' : ''}, but the handout asks for the class ${check.model}`;
}

export function judgeModel(check: ModelCheck, result: ExecutionResult, sources: readonly NotebookCellSource[]): Aspect[] {
  const where = cellPhrase(assigningCells(check.model, sources), result.cells);
  const renamed = renamedHint(check, sources);
  const constructions = constructionsOf(check);
  const everyOne = constructions.length === 1 ? constructions[0]!.label : `${check.model} (each construction)`;
  const shared = JUDGED.flatMap((kind) => {
    const want = check[kind];
    return want === undefined ? [] : [judgeAspect(check, kind, want, constructions, result, where, { id: kind, title: title(kind, want, everyOne) }, renamed)];
  });
  const own = constructions.flatMap((c) =>
    JUDGED.flatMap((kind) => {
      const want = c.own[kind];
      // The aspect is named by the construction's arguments: weights-he, computes-784-3-32-10.
      return want === undefined ? [] : [judgeAspect(check, kind, want, [c], result, where, { id: `${kind}-${c.slug}`, title: title(kind, want, c.label) }, renamed)];
    }),
  );
  return [...shared, ...own];
}
