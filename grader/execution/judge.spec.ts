// The judge's kill matrix, without a process: for every call and value check of the seed assignments, a
// recorded result built to satisfy it passes, and changing any one aspect (the wrapper, a layer, the parameter
// count, the loss, the optimizer's class or a hyper-parameter, the value) fails exactly that aspect, with the
// cell named.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../assignment.ts';
import { judgeExecution } from './judge.ts';
import { REFERENCES } from './references.ts';
import type { ExecutionResult, RecordedCall } from './run.ts';
import type { CallCheck, ExecutionCheck, ModelCheck, ValueCheck } from './schema.ts';

const assignment = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-003.yaml'));
const settings = assignment.execute!;
const CELL = 7;

/** A concrete network the pattern accepts: `*` a width of 32, `...` no layers. */
const concrete = (pattern: string) => pattern.replace(/\.\.\.,\s*/g, '').replace(/,\s*\.\.\./g, '').replace(/\.\.\./g, '').replace(/\*/g, '32');

function callFor(check: CallCheck, change?: string): RecordedCall {
  const net = concrete(check.network ?? 'Sequential[Linear(36, 32), Sigmoid()]');
  const module = (type: string, layers: string, parameters: number) => ({ kind: 'module' as const, type, layers, leaves: layers, parameters, trainable: parameters });
  const { builds, ...hyper } = check.optimizer ?? { builds: 'SGD' };
  const hyperparameters: Record<string, number | number[]> = Object.fromEntries(Object.entries(hyper as Record<string, number | number[]>).map(([k, v]) => [k, change === 'optimizer-hyper' && typeof v === 'number' ? v * 10 : v] as const));
  return {
    helper: check.call,
    cell: CELL,
    args: [
      {
        ...module(change === 'wrapper' ? 'Supervise' : (check.wrapper ?? 'Supervise'), 'Supervise[...]', 0),
        parts: {
          net: module('Sequential', change === 'network' ? net.replace('Linear(36, ', 'Linear(35, ').replace('BatchNorm1d', 'LayerNorm').replace('Sigmoid()]', 'Tanh()]') : net, (check.parameters ?? 100) + (change === 'parameters' ? 1 : 0)),
          criterion: module(change === 'loss' ? 'L1Loss' : (check.loss ?? 'MSELoss'), 'x()', 0),
        },
      },
      { kind: 'factory', builds: change === 'optimizer-class' ? `My${builds}` : builds, hyperparameters },
    ],
    kwargs: {},
  };
}

const empty: ExecutionResult = { cells: [{ cell: CELL, status: 'ran' }], calls: [], figures: [], values: {}, models: {}, served: [], seconds: 0 };

const judgeOne = (check: ExecutionCheck, result: ExecutionResult) => judgeExecution({ ...settings, checks: [check] }, { result }, [{ cell: CELL, source: 'value = 1' }], 1, 1)[0]!;

describe.each(settings.checks.filter((c): c is CallCheck => 'call' in c).map((c) => [c.id, c] as const))('%s', (_id, check) => {
  const changes = [
    ...(check.wrapper ? ['wrapper'] : []),
    ...(check.network ? ['network'] : []),
    ...(check.parameters !== undefined ? ['parameters'] : []),
    ...(check.loss ? ['loss'] : []),
    ...(check.optimizer ? ['optimizer-class', ...(Object.keys(check.optimizer).length > 1 ? ['optimizer-hyper'] : [])] : []),
  ];

  it('a call built to satisfy it passes every aspect', () => {
    const scored = judgeOne(check, { ...empty, calls: [callFor(check)] });
    expect(scored.checks.filter((c) => !c.result.passed).map((c) => c.result.failure?.message)).toEqual([]);
    expect(scored.score).toBe(check.points);
  });

  it.each(changes)('changing the %s fails that aspect alone, naming the cell', (change) => {
    const scored = judgeOne(check, { ...empty, calls: [callFor(check, change)] });
    const failed = scored.checks.filter((c) => !c.result.passed);
    expect(failed.map((c) => c.result.check)).toEqual([change.startsWith('optimizer') ? 'optimizer' : change]);
    expect(failed[0]!.result.failure?.message).toContain(`cell ${CELL}`);
  });

  it('no call at all fails every aspect as missing', () => {
    const scored = judgeOne(check, empty);
    expect(scored.score).toBe(0);
    expect(scored.checks.every((c) => c.result.failure?.code === 'missing')).toBe(true);
  });
});

describe.each(settings.checks.filter((c): c is ValueCheck => 'value' in c).map((c) => [c.id, c] as const))('%s', (_id, check) => {
  const expected = typeof check.expected === 'object' && !Array.isArray(check.expected) ? REFERENCES[check.expected.reference]() : [check.expected].flat();
  const withValue = (value: number[]) => ({ ...empty, values: { [check.value]: { kind: 'array' as const, dtype: 'float32', shape: [value.length], value } } });

  it('the reference value passes; off by ten times the tolerance, or of another length, fails', () => {
    expect(judgeOne(check, withValue(expected)).score).toBe(check.points);
    const off = expected.map((e, i) => (i === 0 ? e + 10 * (check.tolerance.atol + check.tolerance.rtol * Math.abs(e)) : e));
    expect(judgeOne(check, withValue(off)).checks[0]!.result.failure?.code).toBe('value_mismatch');
    expect(judgeOne(check, withValue(expected.slice(1))).checks[0]!.result.failure?.code).toBe('wrong_shape');
    expect(judgeOne(check, empty).checks[0]!.result.failure?.code).toBe('missing');
  });
});

describe('model checks (seed 004 autoencoder)', () => {
  const seed004 = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-004.yaml'));
  const check = seed004.execute!.checks.find((c): c is ModelCheck => 'model' in c)!;
  const forward = check.forward!;
  const good = () => ({
    kind: 'module' as const,
    type: 'Autoencoder',
    layers: 'Autoencoder[...]',
    leaves: concrete(check.layers!),
    parameters: check.parameters!,
    trainable: check.parameters!,
    forward: { shape: forward.output!, min: forward.range![0], max: forward.range![1], finite: true },
  });
  const judge = (model: ExecutionResult['models'][string] | undefined) => judgeOne(check, { ...empty, models: model === undefined ? {} : { [check.model]: model } });
  const failed = (model: ExecutionResult['models'][string] | undefined) => judge(model).checks.filter((c) => !c.result.passed).map((c) => c.result.check);

  it('a model built to satisfy it passes; each change fails its aspect alone', () => {
    expect(failed(good())).toEqual([]);
    expect(failed({ ...good(), leaves: good().leaves.replace('Linear(128, 64)', 'Linear(128, 32)') })).toEqual(['layers']);
    expect(failed({ ...good(), parameters: check.parameters! + 1 })).toEqual(['parameters']);
    expect(failed({ ...good(), forward: { ...good().forward, shape: [5, 28, 28] } })).toEqual(['forward']);
    expect(failed({ ...good(), forward: { ...good().forward, max: 1.5 } })).toEqual(['forward']);
    expect(failed({ ...good(), forward: { shape: forward.output!, min: null, max: null, finite: false } })).toEqual(['forward']);
  });

  it('a model that cannot be built, or is not there, fails every aspect, saying why', () => {
    expect(judge({ error: 'TypeError: __init__() missing 1 required positional argument' }).checks.every((c) => c.result.failure?.code === 'raised')).toBe(true);
    expect(judge(undefined).checks.every((c) => c.result.failure?.code === 'missing')).toBe(true);
    expect(judge(undefined).checks[0]!.result.failure?.message).toContain(`${check.model} is not defined after the notebook ran`);
  });
});
