// `gradecheck doctor`: what this machine can grade, and how to fix what is missing. Each line is data
// (what, found or not, the fix), worded by formatDoctor; the CLI exits 3 when Python submissions cannot be graded.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type PythonChoice, type PythonProbe, forgetPythonChoice, pythonChoice, probePython } from './python.ts';
import { SandboxError, isolationAvailable, sandboxMode } from './sandbox.ts';

/** The browser the HTML report's tests drive (Debian's; nothing is downloaded), and its flags there. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface DoctorItem {
  readonly what: string;
  /** What was found, or why it is missing. */
  readonly found: string;
  readonly ok: boolean;
  /** Needed to grade Python submissions at all (numpy, a Python): missing means `grade` would be ungradable. */
  readonly required: boolean;
  readonly fix?: string;
}

const apt = (pkg: string, python: string, name: string) => `apt-get install ${pkg} (Debian/Ubuntu), or ${python} -m pip install ${name}, or set GRADECHECK_PYTHON to a Python that has it`;

export function doctor(choice: PythonChoice = pythonChoice()): DoctorItem[] {
  const python = choice.executable;
  // The chosen one was probed already unless GRADECHECK_PYTHON named it.
  const probe: PythonProbe = choice.probes.find((p) => p.candidate === python) ?? probePython(python);
  const others = choice.probes.filter((p) => p.candidate !== python).map((p) => `${p.candidate} (${p.error ? 'does not run' : Object.keys(p.packages).join(', ') || 'no numpy'})`);
  const items: DoctorItem[] = [
    { what: 'node', found: `${process.version} (${process.execPath})`, ok: true, required: true },
    {
      what: 'python',
      found: probe.error ? `${python}: ${probe.error}` : `${python} -> ${probe.executable} ${probe.version}; ${choice.why}${others.length ? `; also on PATH: ${others.join(', ')}` : ''}`,
      ok: probe.error === undefined,
      required: true,
      ...(probe.error ? { fix: 'install Python 3 (apt-get install python3-numpy brings both) or set GRADECHECK_PYTHON to one' } : {}),
    },
  ];
  const pkg = (name: 'numpy' | 'torch' | 'matplotlib', debian: string, use: string, required: boolean): DoctorItem => {
    const version = probe.packages[name];
    return { what: name, found: version ? `${version} (${use})` : `missing (${use})`, ok: version !== undefined, required, ...(version ? {} : { fix: apt(debian, python, name) }) };
  };
  items.push(
    pkg('numpy', 'python3-numpy', 'every Python submission', true),
    pkg('torch', 'python3-torch', 'submissions that import torch', false),
    pkg('matplotlib', 'python3-matplotlib', 'notebooks that plot; their plotting is skipped anyway', false),
  );
  const chromium = existsSync(CHROMIUM);
  items.push({ what: 'chromium', found: chromium ? CHROMIUM : `no ${CHROMIUM} (only the browser test of feedback.html needs it)`, ok: chromium, required: false, ...(chromium ? {} : { fix: 'apt-get install chromium' }) });
  let sandbox: DoctorItem;
  try {
    const mode = sandboxMode();
    sandbox =
      mode === 'isolated'
        ? { what: 'sandbox', found: 'isolated (namespaces, no network, an unprivileged uid; docs/security.md)', ok: true, required: true }
        : {
            what: 'sandbox',
            found: `scrubbed (the submission runs as this user, with a clean environment)${isolationAvailable() ? '' : ': the isolated sandbox needs root on Linux with unshare, chroot, setpriv and prlimit'}`,
            ok: true,
            required: true,
          };
  } catch (error) {
    sandbox = { what: 'sandbox', found: (error as Error).message, ok: false, required: true, fix: error instanceof SandboxError ? 'unset GRADECHECK_SANDBOX or set it to auto, isolated or scrubbed' : 'see docs/security.md' };
  }
  items.push(sandbox);
  return items;
}

/** Whether Python submissions can be graded here. */
export const canGrade = (items: readonly DoctorItem[]): boolean => items.every((i) => i.ok || !i.required);

export function formatDoctor(items: readonly DoctorItem[]): string {
  const lines = items.map((i) => `${i.ok ? 'ok     ' : i.required ? 'MISSING' : 'missing'} ${i.what.padEnd(10)} ${i.found}${i.fix ? `\n        ${''.padEnd(10)} fix: ${i.fix}` : ''}`);
  lines.push(canGrade(items) ? 'gradecheck can grade Python, notebook and TS/JS submissions here.' : 'gradecheck cannot grade Python submissions here: grade, check and batch would stop as ungradable (exit 3). Fix the MISSING lines.');
  return lines.join('\n');
}

/** The Debian packages that give the default Python (/usr/bin/python3) what a doctor item misses. */
const DEBIAN_PACKAGES: Readonly<Record<string, string>> = { python: 'python3-numpy', numpy: 'python3-numpy', torch: 'python3-torch', matplotlib: 'python3-matplotlib' };

export interface FixPlan {
  /** The command that installs what is missing, when this machine can run it (root, apt-get, no forced Python). */
  readonly command?: readonly string[];
  /** Why nothing is installed, or what to run instead. */
  readonly says: string;
}

/**
 * What `doctor --fix` would do: install Debian's packages for the missing Python pieces, as .ci/run does, where the
 * grader runs as root on a machine with apt-get; the default Python has them afterwards and is chosen (grader/python.ts).
 */
export function fixPlan(items: readonly DoctorItem[], machine: { readonly root: boolean; readonly apt: boolean; readonly forcedPython: boolean }): FixPlan {
  const missing = items.filter((i) => !i.ok && DEBIAN_PACKAGES[i.what]);
  const packages = [...new Set(missing.map((i) => DEBIAN_PACKAGES[i.what]!))];
  if (packages.length === 0) return { says: 'nothing to install: the Python pieces are all here' };
  const line = `apt-get install -y ${packages.join(' ')}`;
  if (machine.forcedPython) return { says: `GRADECHECK_PYTHON names the Python: install ${missing.map((i) => i.what).join(', ')} into it (pip), or unset it and run ${line}` };
  if (!machine.apt) return { says: `no apt-get here: install ${packages.join(', ')} with your system's package manager or pip, or set GRADECHECK_PYTHON` };
  if (!machine.root) return { says: `run as root (sudo) to install: ${line}` };
  return { command: ['apt-get', 'install', '-y', '-qq', ...packages], says: `installing ${packages.join(' ')} (Debian's packages, as .ci/run does)` };
}

/** Runs a fix plan's command (after apt-get update); true when it succeeded. */
export function applyFix(plan: FixPlan): boolean {
  if (!plan.command) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  if (update.status !== 0) return false;
  const installed = spawnSync(plan.command[0]!, plan.command.slice(1), { stdio: 'inherit', env }).status === 0;
  forgetPythonChoice(); // the default Python may now be the one to choose
  return installed;
}

/** The facts fixPlan needs about this machine. */
export function thisMachine(): { root: boolean; apt: boolean; forcedPython: boolean } {
  return { root: process.getuid?.() === 0, apt: existsSync('/usr/bin/apt-get'), forcedPython: (process.env['GRADECHECK_PYTHON'] ?? '') !== '' };
}
