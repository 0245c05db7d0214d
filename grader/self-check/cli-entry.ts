// The self-check's entry (grader/self-check/build.ts bundles it): gradecheck's command line, as bin/gradecheck.mjs
// starts it.
import { main } from '../cli.ts';

process.exitCode = await main(process.argv);
