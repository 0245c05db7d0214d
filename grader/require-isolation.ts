// GRADECHECK_REQUIRE_ISOLATION (set by .ci/run): the tests of what only root on Linux can show (the isolated
// sandbox's hostile rows, a full disk, an unreadable folder, the bundle's privilege drop) skip elsewhere, reported
// as skipped; with the switch set, a machine where they cannot run fails instead, as GRADECHECK_REQUIRE_BROWSER
// does for the browser test.

import { isolationAvailable, sandboxMode } from './sandbox.ts';

export const ISOLATION_REQUIRED = Boolean(process.env['GRADECHECK_REQUIRE_ISOLATION']);

/** Why the root-only tests cannot run here, or undefined when they can. */
export function whyNotIsolated(): string | undefined {
  if (process.platform !== 'linux') return `the platform is ${process.platform}, not Linux`;
  if (process.getuid?.() !== 0) return 'the tests do not run as root';
  if (!isolationAvailable()) return 'the isolated sandbox cannot start (it needs unshare, chroot, setpriv and prlimit)';
  if (sandboxMode() !== 'isolated') return `GRADECHECK_SANDBOX=${process.env['GRADECHECK_SANDBOX']} chooses another mode`;
  return undefined;
}

/** For a test that always runs: throws when GRADECHECK_REQUIRE_ISOLATION is set and the root-only tests would skip. */
export function expectIsolationWhereRequired(): void {
  const missing = whyNotIsolated();
  if (missing !== undefined && ISOLATION_REQUIRED) {
    throw new Error(`GRADECHECK_REQUIRE_ISOLATION is set, but ${missing}: the tests that need the isolated sandbox would be skipped`);
  }
}
