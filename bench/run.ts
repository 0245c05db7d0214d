// Runs every benchmark in bench/ in turn (`npm run bench`). Each bench file exports its entry point and
// also runs on its own with `npx tsx bench/<name>.ts`; add new ones to the list below.

import { benchBatch } from './batch.ts';
import { benchExecute } from './execute.ts';
import { benchGrade } from './grade.ts';
import { benchJacobian } from './jacobian.ts';
import { benchMatplotlibFonts } from './matplotlib-fonts.ts';

const benches: readonly { readonly name: string; readonly run: () => Promise<unknown> }[] = [
  { name: 'jacobian', run: benchJacobian },
  {
    name: 'grade',
    run: async () => {
      // A fixture meant to be correct that did not get full marks fails the bench (its figures mean nothing).
      if (!(await benchGrade())) process.exitCode = 1;
    },
  },
  { name: 'batch', run: () => benchBatch() },
  {
    name: 'execute',
    run: async () => {
      if (!(await benchExecute())) process.exitCode = 1;
    },
  },
  {
    name: 'matplotlib-fonts',
    run: async () => {
      if (!(await benchMatplotlibFonts())) process.exitCode = 1;
    },
  },
];

for (const [i, bench] of benches.entries()) {
  if (i > 0) console.log('');
  await bench.run();
}
