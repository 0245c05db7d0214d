// The Python that runs Python submissions, found in one place (README "Set-up"; `gradecheck doctor` shows the
// choice): $GRADECHECK_PYTHON, else the first python3 on PATH that has numpy and PyTorch, else the first that
// has numpy, else /usr/bin/python3. A python3 with numpy but no torch (a bare pyenv or venv ahead of Debian's)
// comes after one with both: torch submissions would otherwise be ungradable on a machine that can grade them.
// Candidates are probed in the environment the submission's process gets, so a choice that works here works there.

import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export const FALLBACK_PYTHON = '/usr/bin/python3';

/** What every child process gets, whatever else it is given: a fixed PATH and locale, no home. */
export const CHILD_BASE_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', HOME: '/nonexistent' } as const;

/** The packages whose absence is the environment's fault, not the student's (the course environment promises them). */
export const ENVIRONMENT_MODULES = ['numpy', 'torch'] as const;

/** The grader's environment cannot grade (numpy missing, no Python): no grade can be given (exit 3), never a 0. */
export class EnvironmentFailure extends Error {
  readonly code = 'environment_failure';
  constructor(
    /** One line: what is missing and where. */
    readonly rootCause: string,
    /** What staff do about it. */
    readonly fix: string,
  ) {
    super(`${rootCause}. Fix: ${fix}`);
    this.name = 'EnvironmentFailure';
  }
}

export interface PythonProbe {
  readonly candidate: string;
  /** The interpreter behind the candidate (a pyenv shim or a symlink resolves to it). */
  readonly executable?: string;
  readonly version?: string;
  /** Package versions ("installed" when the version is not recorded); absent when missing. */
  readonly packages: Readonly<Partial<Record<'numpy' | 'torch' | 'matplotlib', string>>>;
  /** Why the candidate could not run the probe. */
  readonly error?: string;
}

export interface PythonChoice {
  readonly executable: string;
  readonly why: string;
  readonly probes: readonly PythonProbe[];
}

// find_spec and package metadata, no imports: about 0.1 s per candidate even where torch is installed.
const PROBE = `
import importlib.util, importlib.metadata, json, sys
found = {}
for name in ("numpy", "torch", "matplotlib"):
    if importlib.util.find_spec(name) is None:
        continue
    try:
        found[name] = importlib.metadata.version(name)
    except Exception:
        found[name] = "installed"
print(json.dumps({"executable": sys.executable, "version": sys.version.split()[0], "packages": found}))
`;

export function probePython(candidate: string): PythonProbe {
  const run = spawnSync(candidate, ['-c', PROBE], { env: CHILD_BASE_ENV, encoding: 'utf8', timeout: 30_000 });
  if (run.error) return { candidate, packages: {}, error: run.error.message };
  if (run.status !== 0) return { candidate, packages: {}, error: `exited with ${run.status ?? run.signal}: ${run.stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
  try {
    const parsed = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as { executable: string; version: string; packages: PythonProbe['packages'] };
    return { candidate, executable: parsed.executable, version: parsed.version, packages: parsed.packages };
  } catch {
    return { candidate, packages: {}, error: `printed no probe result: ${run.stdout.slice(0, 200)}` };
  }
}

/** Every python3 on `searchPath`, in order, without repeats (/bin/python3 is /usr/bin/python3 on a merged /usr). */
function pythonsOnPath(searchPath: string): string[] {
  const seen = new Set<string>();
  return searchPath
    .split(path.delimiter)
    .filter((dir) => dir !== '' && path.isAbsolute(dir))
    .map((dir) => path.join(dir, 'python3'))
    .filter((file) => {
      if (!existsSync(file) || !statSync(file).isFile()) return false;
      const real = realpathSync(file);
      if (seen.has(real)) return false;
      seen.add(real);
      return true;
    });
}

/** The choice for an environment (tests pass their own; the grader uses process.env). */
export function choosePython(env: Readonly<Record<string, string | undefined>>): PythonChoice {
  const forced = env['GRADECHECK_PYTHON'];
  if (forced !== undefined && forced !== '') return { executable: forced, why: 'GRADECHECK_PYTHON is set', probes: [] };
  const probes = pythonsOnPath(env['PATH'] ?? '').map(probePython);
  const withBoth = probes.find((p) => p.packages.numpy && p.packages.torch);
  if (withBoth) return { executable: withBoth.candidate, why: 'the first python3 on PATH with numpy and torch', probes };
  const withNumpy = probes.find((p) => p.packages.numpy);
  if (withNumpy) return { executable: withNumpy.candidate, why: 'the first python3 on PATH with numpy (none has torch too)', probes };
  return { executable: FALLBACK_PYTHON, why: 'no python3 on PATH has numpy: the default', probes };
}

let chosen: { key: string; choice: PythonChoice } | undefined;

/** Probes again at the next pythonChoice() (after `doctor --fix` installed packages). */
export function forgetPythonChoice(): void {
  chosen = undefined;
}

/** The Python this process runs submissions with (probed once per GRADECHECK_PYTHON and PATH). */
export function pythonChoice(): PythonChoice {
  const key = `${process.env['GRADECHECK_PYTHON'] ?? ''}\0${process.env['PATH'] ?? ''}`;
  if (chosen?.key !== key) chosen = { key, choice: choosePython(process.env) };
  return chosen.choice;
}

export function pythonExecutable(): string {
  return pythonChoice().executable;
}

/** A Python that is not there cannot start: said before trying, with the fix. */
export function requirePython(python: string): void {
  if (!path.isAbsolute(python)) return; // a bare name is looked up on the child's PATH when it starts
  try {
    if (!statSync(python).isFile()) throw new Error('not a file');
    accessSync(python, constants.X_OK);
  } catch (error) {
    throw new EnvironmentFailure(
      `the Python that runs submissions, ${python}, cannot start (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'install Python 3 with numpy (Debian/Ubuntu: apt-get install python3-numpy) or set GRADECHECK_PYTHON to one; `gradecheck doctor` shows what is found',
    );
  }
}

/** How to get a missing package for `python`. */
function installHint(name: string, python: string): string {
  return `install ${name} for ${python} (Debian/Ubuntu: apt-get install python3-${name}; pip: ${python} -m pip install ${name}) or set GRADECHECK_PYTHON to a Python that has it; \`gradecheck doctor\` shows what is found`;
}

/** numpy missing from the Python that runs submissions: nothing can be graded. */
export function numpyMissing(python: string): EnvironmentFailure {
  return new EnvironmentFailure(`numpy is not installed for ${python}, the Python that runs submissions`, installHint('numpy', python));
}

/**
 * A ModuleNotFoundError for one of ENVIRONMENT_MODULES (top level or a submodule: `torch.nn`) as the harness
 * reports it ("ModuleNotFoundError: No module named 'torch'"), as the environment's failure; else undefined.
 */
export function missingEnvironmentModule(type: string, message: string, python: string): EnvironmentFailure | undefined {
  const name = /No module named '([A-Za-z0-9_]+)/.exec(message)?.[1];
  if (!/ModuleNotFoundError/.test(`${type} ${message}`) || !name || !(ENVIRONMENT_MODULES as readonly string[]).includes(name)) return undefined;
  return new EnvironmentFailure(`the submission imports ${name}, which is not installed for ${python}, the Python that runs submissions`, installHint(name, python));
}
