// The self-check's entry (grader/self-check/build.ts bundles it): gradecheck's command line, as bin/gradecheck.mjs
// starts it. A failure's replay line names the command that started this bundle, as typed from here.
import path from 'node:path';
import { reportDrawnInputs } from '../../src/unjudged.ts';

reportDrawnInputs();
process.env['GRADECHECK_COMMAND'] ??= `node ${path.relative(process.cwd(), process.argv[1] ?? '') || '.'}`;
try {
  const { main } = await import('../cli.ts');
  process.exitCode = await main(process.argv);
} catch (error) {
  // What escapes the command line is the self-check's failure (its recordings damaged: the replayed reference modules
  // read them as they load), not the student's: no grade (EXIT.ungradable), and the reason.
  console.error(`UNGRADABLE (not a grade): ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 3;
}
