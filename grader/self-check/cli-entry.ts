// The self-check's entry (grader/self-check/build.ts bundles it): gradecheck's command line, as bin/gradecheck.mjs
// starts it. A failure's replay line names the command that started this bundle, as typed from here.
import path from 'node:path';

process.env['GRADECHECK_COMMAND'] ??= `node ${path.relative(process.cwd(), process.argv[1] ?? '') || '.'}`;
const { main } = await import('../cli.ts');
process.exitCode = await main(process.argv);
