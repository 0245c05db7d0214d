// Training-result checks without a process: seed 004's P2.3 check judged on saved outputs and re-run outputs built
// to pass, and each way a result can be wrong (below the bar, a loss that rises or never changes or diverges, a
// typed-in accuracy, no saved outputs) failing exactly its aspect; losses read from a plot, and the last result cell. The executed fixtures
// (fixtures/submissions/seed-004-executed, grader/execution/execution.spec.ts) show the same on real notebooks.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../assignment.ts';
import { ExecutionCheck, ExecuteSettings, type TrainedCheck } from './schema.ts';
import { judgeTrained } from './trained.ts';
import type { ExecutionResult, NotebookCellSource } from './run.ts';

const seed004 = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-004.yaml'));
const check = seed004.execute!.checks.find((c): c is TrainedCheck => 'trained' in c)!;
const CELL = 10;

/** An epoch's line as seed 004's team prints it, and the final accuracy line. */
const epochs = (losses: readonly number[], acc = 0.5) => losses.map((l, i) => `Final Train Epoch ${i + 1}/${losses.length}: loss=${l.toFixed(4)}, test_acc=${acc.toFixed(4)}, time=4.7s\n`).join('');
const falling = Array.from({ length: 12 }, (_, i) => 2.3 - 0.05 * i);
const sources = (saved?: string): NotebookCellSource[] => [
  { cell: 8, source: 'best_cfg, best_acc = hyperparam_tuning(train_dataset, val_dataset)', saved: 'Best config: {...} with val_acc=0.8772\n' },
  { cell: CELL, source: "best_model = build_mlp(n_features, best_cfg['layers'], best_cfg['hidden'], n_classes)", ...(saved === undefined ? {} : { saved }) },
];
const rerun = (printed: string): ExecutionResult => ({ cells: [{ cell: 8, status: 'ran', printed: 'Best config: {...} with val_acc=0.2000\n' }, { cell: CELL, status: 'ran', printed }], calls: [], figures: [], values: {}, models: {}, served: [], seconds: 0 });
const SAVED = `${epochs(falling, 0.8771)}Final Test Accuracy: 0.8771\n`;
const failed = (saved: string | undefined, printed: string) =>
  Object.fromEntries(judgeTrained(check, rerun(printed), sources(saved)).filter((a) => a.failure).map((a) => [a.id, a.failure!.message]));

describe('a training-result check (seed 004 P2.3)', () => {
  it('passes a saved run at the bar and a re-run that trains and computes its accuracy', () => {
    expect(failed(SAVED, `${epochs(falling)}Final Test Accuracy: 0.6562\n`)).toEqual({});
  });

  it("a bar the handout does not state is named as the assignment names it (seed 002's Q3: chance)", () => {
    const chance: TrainedCheck = { ...check, trained: { ...check.trained, at_least: undefined, above: 0.1, bar: 'chance for 10 classes' } };
    const judged = judgeTrained(chance, rerun(`${epochs(falling)}Final Test Accuracy: 0.6562\n`), sources(`${epochs(falling)}Test accuracy: 10.00%\n`));
    expect(judged.filter((a) => a.failure).map((a) => a.failure!.message)).toEqual(["the saved outputs of cell 10 show a test accuracy of 10.00 (10.00%), not above chance for 10 classes, 10.00%"]);
  });

  it('reads a percentage as a fraction: 87.71% passes, 86.9% fails; the accuracy said in other words counts', () => {
    expect(failed(`${epochs(falling)}Test accuracy: 87.71%\n`, `${epochs(falling)}Test accuracy: 40.00%\n`)).toEqual({});
    expect(failed(`${epochs(falling)}Accuracy on the test set: 0.8812\n`, `${epochs(falling)}Accuracy on the test set: 0.4000\n`)).toEqual({});
    expect(failed(`${epochs(falling)}Test accuracy = 88.1%\n`, `${epochs(falling)}Test accuracy = 40.0%\n`)).toEqual({});
    expect(Object.keys(failed(`${epochs(falling)}Test accuracy: 86.9%\n`, `${epochs(falling)}Test accuracy: 40.00%\n`))).toEqual(['saved-accuracy']);
  });

  it('a flat re-run (a small learning rate on a reduced budget) passes; a rising, a constant or a diverging loss fails', () => {
    const flat = Array.from({ length: 12 }, (_, i) => 2.304 + (i % 2 ? 0.004 : -0.004));
    expect(failed(SAVED, `${epochs(flat)}Final Test Accuracy: 0.1000\n`)).toEqual({});
    const rising = failed(SAVED, `${epochs(falling.slice().reverse())}Final Test Accuracy: 0.1000\n`);
    expect(Object.keys(rising)).toEqual(['loss-falls']);
    expect(rising['loss-falls']).toMatch(/^cell 10 printed 12 losses on the re-run; the last 4 average 2\.225, above the first 4 \(1\.825\)/);
    expect(failed(SAVED, `${epochs(Array(12).fill(0.25))}Final Test Accuracy: 0.1000\n`)['loss-falls']).toMatch(/printed the same loss, 0\.25, 12 times/);
    expect(failed(SAVED, 'Epoch 1: loss=2.30\nEpoch 2: loss=nan\nTest accuracy: 0.1\n')['loss-falls']).toMatch(/printed a loss of NaN on the re-run: the training diverged/);
  });

  it('a loss printed as a tensor counts', () => {
    const tensors = falling.map((l, i) => `epoch ${i}: loss tensor(${l.toFixed(4)}, grad_fn=<DivBackward0>)\n`).join('');
    expect(failed(SAVED, `${tensors}Final Test Accuracy: 0.6562\n`)).toEqual({});
  });

  it('losses printed by an earlier cell count when the result cell only reports', () => {
    const result: ExecutionResult = { ...rerun('Final Test Accuracy: 0.6562\n'), cells: [{ cell: 9, status: 'ran', printed: epochs(falling) }, { cell: CELL, status: 'ran', printed: 'Final Test Accuracy: 0.6562\n' }] };
    expect(judgeTrained(check, result, sources(SAVED)).filter((a) => a.failure)).toEqual([]);
  });

  it('the saved accuracy printed again on the stand-ins fails as typed in; two digits could be chance and pass', () => {
    expect(Object.keys(failed(SAVED, `${epochs(falling)}Final Test Accuracy: 0.8771\n`))).toEqual(['rerun-accuracy']);
    expect(failed(`${epochs(falling)}Test accuracy: 0.88\n`, `${epochs(falling)}Test accuracy: 0.88\n`)).toEqual({});
  });

  it('without saved outputs the re-run finds the cell by what it printed, and only the saved aspect fails', () => {
    expect(Object.keys(failed(undefined, `${epochs(falling)}Final Test Accuracy: 0.6562\n`))).toEqual(['saved-accuracy']);
  });

  it('a result cell that raised on the re-run fails both re-run aspects, saying so', () => {
    const result: ExecutionResult = { ...rerun(''), cells: [{ cell: CELL, status: 'raised', error: { type: 'NameError', message: "name 'best_cfg' is not defined", traceback: '' } }] };
    const aspects = judgeTrained(check, result, sources(SAVED));
    expect(aspects.filter((a) => a.failure).map((a) => a.id)).toEqual(['loss-falls', 'rerun-accuracy']);
    expect(aspects.find((a) => a.id === 'rerun-accuracy')!.failure!.message).toBe(`cell 10 printed no test accuracy (text matching /${check.trained.accuracy}/) on the re-run: it raised NameError: name 'best_cfg' is not defined`);
  });

  // Seed 000 Q6.7 asks for a loss plot, not printed losses, and its accuracy is the notebook's last.
  const plot = (cell: number, y: readonly number[], labels: { title?: string; ylabel?: string; label?: string } = {}): ExecutionResult['figures'][number] => ({
    cell,
    title: '',
    axes: [{ title: labels.title ?? '', xlabel: 'step', ylabel: labels.ylabel ?? '', lines: [{ label: labels.label ?? '_child0', x: y.map((_, i) => i), y: [...y] }], images: [], bars: 0, colorbar: false }],
  });
  const plotted = (figures: ExecutionResult['figures']) => ({ ...rerun('test accuracy 0.9531\n'), figures });

  it('printing no losses, the loss curve plotted by the cell or one before it counts; a rising one fails as plotted', () => {
    const judged = (result: ExecutionResult) => Object.fromEntries(judgeTrained(check, result, sources('test accuracy 0.9712\n')).filter((a) => a.failure).map((a) => [a.id, a.failure!.message]));
    expect(judged(plotted([plot(9, falling, { ylabel: 'loss' })]))).toEqual({});
    expect(judged(plotted([plot(CELL, falling)]))).toEqual({}); // plt.plot(losses): the figure's one line, unlabelled
    expect(judged(plotted([plot(CELL, falling.slice().reverse(), { title: 'Training loss' })]))['loss-falls']).toMatch(/^cell 10 plotted 12 losses on the re-run; the last 4 average/);
    // A figure of two unlabelled lines is not a loss curve: nothing to judge the training by.
    const two = plot(CELL, falling);
    const twoLines = { ...two, axes: [{ ...two.axes[0]!, lines: [...two.axes[0]!.lines, { label: '_child1', x: [0, 1], y: [1, 2] }] }] };
    expect(judged(plotted([twoLines]))['loss-falls']).toMatch(/printed fewer than 2 losses .* and plotted no loss curve/);
    // Points the curve leaves out (NaN, drawn as gaps) are not a divergence; a curve that ends in one is.
    const gappy = plot(CELL, falling);
    const withGaps = (y: (number | null)[]) => ({ ...gappy, axes: [{ ...gappy.axes[0]!, lines: [{ ...gappy.axes[0]!.lines[0]!, y }] }] });
    const gaps = falling.map((l, i) => (i % 3 === 1 ? null : l));
    expect(judged(plotted([withGaps(gaps)]))).toEqual({});
    expect(judged(plotted([withGaps([...gaps, null])]))['loss-falls']).toMatch(/^cell 10 plotted a loss of NaN on the re-run: the training diverged/);
  });

  it('with `last`, the result is the last cell showing an accuracy, not an earlier task\'s', () => {
    const lastCheck: TrainedCheck = { ...check, trained: { ...check.trained, cell: undefined, last: true } };
    const cells: NotebookCellSource[] = [
      { cell: 4, source: 'print(f"Test accuracy: {acc}")', saved: 'Test accuracy: 0.8512\n' },
      { cell: CELL, source: 'print("test accuracy", np.mean(pred == y_test))', saved: 'test accuracy 0.9712\n' },
    ];
    const result: ExecutionResult = { ...rerun(''), cells: [{ cell: 4, status: 'ran', printed: 'Test accuracy: 0.1200\n' }, { cell: CELL, status: 'ran', printed: `${epochs(falling)}test accuracy 1.0\n` }] };
    expect(judgeTrained(lastCheck, result, cells).filter((a) => a.failure)).toEqual([]);
    // The first accuracy (cell 4's 85%) is below a 90% bar: without `last` the check would judge that cell.
    const firstCheck: TrainedCheck = { ...lastCheck, trained: { ...lastCheck.trained, last: false, at_least: 0.9 } };
    expect(judgeTrained(firstCheck, result, cells).find((a) => a.id === 'saved-accuracy')!.failure?.message).toMatch(/^the saved outputs of cell 4 show a test accuracy of 0\.8512/);
    expect(judgeTrained({ ...lastCheck, trained: { ...lastCheck.trained, at_least: 0.9 } }, result, cells).filter((a) => a.failure)).toEqual([]);
  });

  it('a strict bar (seed 000 Q6.7: "test accuracy > 90%") fails a run exactly at it, which "at least" passes', () => {
    const bar = (trained: Partial<TrainedCheck['trained']>): TrainedCheck => ({ ...check, trained: { ...check.trained, at_least: undefined, above: undefined, ...trained } });
    const saved = (acc: string) => sources(`${epochs(falling)}Final Test Accuracy: ${acc}\n`);
    const verdict = (c: TrainedCheck, acc: string) => judgeTrained(c, rerun(`${epochs(falling)}Final Test Accuracy: 0.6562\n`), saved(acc)).find((a) => a.id === 'saved-accuracy')!;
    expect(verdict(bar({ at_least: 0.9 }), '0.9000').failure).toBeUndefined();
    expect(verdict(bar({ above: 0.9 }), '0.9000').failure?.message).toMatch(/show a test accuracy of 0\.9000 \(90\.00%\), not above the handout's 90\.00%$/);
    expect(verdict(bar({ above: 0.9 }), '0.9012').failure).toBeUndefined();
    expect(verdict(bar({ above: 0.9 }), '0.9012').title).toMatch(/is above 90\.00%$/);
  });

  it('the schema asks for one group capturing the number, and a cell pattern that is a regular expression', () => {
    const parse = (trained: Record<string, unknown>) => ExecuteSettings.safeParse({ checks: [{ id: 't', title: 't', points: 1, trained: { losses: 'loss=([0-9.]+)', accuracy: 'acc=([0-9.]+)', at_least: 0.8, ...trained } }] });
    expect(parse({}).success).toBe(true);
    expect(parse({ losses: 'loss=[0-9.]+' }).error?.issues[0]?.message).toBe('give exactly one group (...) capturing the number');
    expect(parse({ accuracy: '(acc)=([0-9.]+)' }).error?.issues[0]?.message).toBe('give exactly one group (...) capturing the number');
    expect(parse({ cell: '(' }).error?.issues[0]?.message).toMatch(/^not a regular expression/);
    expect(ExecutionCheck.safeParse({ id: 't', title: 't', points: 1, trained: { losses: 'l=(.)', accuracy: 'a=(.)', at_least: 87 } }).success).toBe(false);
    const oneBar = 'give the accuracy bar as exactly one of at_least, above and beats';
    expect(parse({ at_least: undefined }).error?.issues[0]?.message).toBe(oneBar);
    expect(parse({ above: 0.9 }).error?.issues[0]?.message).toBe(oneBar);
    expect(parse({ at_least: undefined, above: 0.9 }).success).toBe(true);
  });
});

describe("a training result found only after its part of the notebook begins (seed 000's Q6.7, after the mytorch import)", () => {
  const seed000 = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-000.yaml'));
  const q67 = seed000.execute!.checks.find((c): c is TrainedCheck => c.id === 'mytorch-training')!;
  const q53 = { cell: 20, source: "acc = evaluate(model)\nprint(f'Test accuracy: {acc:.4f}')", saved: 'Test accuracy: 0.9712\n' };
  const run = (cells: NotebookCellSource[]): ExecutionResult => ({ ...rerun(''), cells: cells.map((c) => ({ cell: c.cell, status: 'ran' as const, printed: c.cell === 20 ? `${epochs(falling)}Test accuracy: 0.5000\n` : (c.saved ?? '') })) });

  it("a notebook without problem 6 gets nothing from problem 5's accuracy", () => {
    const judged = judgeTrained(q67, run([q53]), [q53]);
    expect(judged.filter((a) => a.failure).map((a) => a.id)).toEqual(['saved-accuracy', 'loss-falls', 'rerun-accuracy']);
  });

  it("with problem 6's cells after the import, its own accuracy is judged", () => {
    const p6 = [
      { cell: 30, source: 'from mytorch.nn import Linear, ReLU, Sequential' },
      { cell: 31, source: 'for epoch in range(3):\n    loss = train()\n    print(f"loss {loss}")', saved: 'loss 2.1\nloss 1.2\nloss 0.8\n' },
      { cell: 32, source: "print(f'Test accuracy: {acc:.4f}')", saved: 'Test accuracy: 0.9687\n' },
    ];
    const result: ExecutionResult = { ...rerun(''), cells: [{ cell: 20, status: 'ran', printed: 'Test accuracy: 0.9712\n' }, { cell: 30, status: 'ran' }, { cell: 31, status: 'ran', printed: 'loss 2.2\nloss 1.5\nloss 0.9\n' }, { cell: 32, status: 'ran', printed: 'Test accuracy: 0.6250\n' }] };
    expect(judgeTrained(q67, result, [q53, ...p6]).filter((a) => a.failure)).toEqual([]);
  });
});
