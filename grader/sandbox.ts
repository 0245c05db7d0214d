// Where a submission's process runs, and what it can see (docs/security.md).
//
// - isolated (the grader runs as root on Linux with util-linux's unshare, as on Gradescope and in CI): the
//   child gets fresh mount, network and PID namespaces, a filesystem made of the system directories
//   (read-only), the harness and a copy of the submission, and nothing else; it runs under a dedicated
//   unprivileged uid with process and file-size limits. It cannot read the repository, the assignment or
//   the out dir, has no network route, and every process it starts dies with it.
// - scrubbed (any other user or system): the child runs as the grader's user with a scrubbed environment, a
//   private temporary working directory and its own process group. That keeps secrets in the environment
//   away and stops accidents, not a determined attacker: it can read whatever the grader's user can.
//
// GRADECHECK_SANDBOX=isolated|scrubbed forces a mode (isolated then fails as ungradable where it cannot be
// set up); the default, auto, picks isolated where it works.

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot, runnersDir as runners } from './paths.ts';
import { stageFolder } from './submission.ts';
import { type Entry, pythonArgs } from './child-launch.ts';
import { NODE_RECORDER, nodeCoverageImport } from './runner-coverage.ts';


export type SandboxMode = 'isolated' | 'scrubbed';

/** The grader could not set up the child's process: no grade can be given (exit 3), never a 0. */
export class SandboxError extends Error {
  readonly code = 'sandbox_failed';
  constructor(message: string) {
    super(message);
    this.name = 'SandboxError';
  }
}

/** System directories the isolated child sees read-only (also what counts as "already visible"). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];
const TOOLS = ['/usr/bin/unshare', '/usr/sbin/chroot', '/usr/bin/setpriv', '/usr/bin/prlimit', '/usr/bin/mount'];
const UNSHARE = ['--mount', '--net', '--pid', '--ipc', '--fork', '--kill-child=SIGKILL'];

let probed: boolean | undefined;

/** Whether this process can build the isolated sandbox (probed once: root, Linux, the tools, namespaces). */
export function isolationAvailable(): boolean {
  if (probed !== undefined) return probed;
  probed =
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    TOOLS.every((t) => existsSync(t)) &&
    spawnSync('/usr/bin/unshare', [...UNSHARE, '--', '/bin/true'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  return probed;
}

export function sandboxMode(): SandboxMode {
  const wanted = process.env['GRADECHECK_SANDBOX'] ?? 'auto';
  if (wanted === 'scrubbed') return 'scrubbed';
  if (wanted === 'isolated') {
    if (!isolationAvailable()) throw new SandboxError('GRADECHECK_SANDBOX=isolated, but the isolated sandbox is not available here (it needs root on Linux and unshare, chroot, setpriv, prlimit)');
    return 'isolated';
  }
  if (wanted !== 'auto') throw new SandboxError(`GRADECHECK_SANDBOX must be auto, isolated or scrubbed, got "${wanted}"`);
  return isolationAvailable() ? 'isolated' : 'scrubbed';
}

const SETPRIV = '/usr/bin/setpriv';
let setprivAvailable: boolean | undefined;

/**
 * `cmd args` made to receive `signal` when the process that spawned it dies, however it dies (kill -9
 * included), where util-linux's setpriv is available (Linux): a killed grader or batch leaves no child
 * running. Elsewhere the command is returned as is.
 */
export function withParentDeathSignal(cmd: string, args: readonly string[], signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): { cmd: string; args: readonly string[] } {
  setprivAvailable ??= process.platform === 'linux' && existsSync(SETPRIV);
  return setprivAvailable ? { cmd: SETPRIV, args: ['--pdeathsig', signal, '--', cmd, ...args] } : { cmd, args };
}

/** The uid/gid an isolated child runs as: GRADECHECK_SANDBOX_UID, else one owning no file and no process. */
let uidCounter = 0;
function sandboxUid(): number {
  const fixed = process.env['GRADECHECK_SANDBOX_UID'];
  if (fixed !== undefined) {
    const n = Number(fixed);
    if (!Number.isInteger(n) || n <= 0) throw new SandboxError(`GRADECHECK_SANDBOX_UID must be a positive integer, got "${fixed}"`);
    return n;
  }
  // One per child (so RLIMIT_NPROC, counted per uid, is per submission), far above any real account.
  return 1_000_000 + ((process.pid * 4099 + uidCounter++) % 1_000_000);
}

export interface SandboxLimits {
  readonly memoryMb: number;
}

/** How to start the child. */
export interface Launch {
  readonly mode: SandboxMode;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The submission's path as the child sees it. */
  readonly submissionPath: string;
  /** matplotlib's font list as the child sees it (grader/matplotlib-fonts.ts), when there is one. */
  readonly fontList?: string;
}

/** Processes (threads included) an isolated child may run at once, and the largest file it may write. */
export const ISOLATED_LIMITS = { nproc: 128, fileBytes: 64 * 1024 * 1024, tmpfsMb: 64 } as const;

/** esbuild as tsx has it; a gradecheck without it (a standalone self-check) cannot grade TypeScript: not the student's doing. */
function loadEsbuild(): { transformSync: (code: string, options: Record<string, unknown>) => { code: string } } {
  try {
    const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx'));
    return fromTsx('esbuild') as ReturnType<typeof loadEsbuild>;
  } catch {
    throw new SandboxError('a TypeScript submission needs tsx, which this gradecheck does not carry (a standalone self-check runs .py, .ipynb, .js and .mjs): install gradecheck with npm to check .ts files');
  }
}

/** Where an interpreter lives, if outside the system directories: its prefix must be bound in too. */
function extraBind(executable: string): string | undefined {
  const real = realpathSync(executable);
  if (SYSTEM_DIRS.some((d) => real === d || real.startsWith(`${d}/`))) return undefined;
  const prefix = path.dirname(path.dirname(real));
  if (prefix === '/' || `${repoRoot}/`.startsWith(`${prefix}/`)) {
    throw new SandboxError(`the interpreter ${real} lives beside the grader (${prefix}); install it outside the repository to use the isolated sandbox`);
  }
  return prefix;
}

export interface IsolatedLaunchOptions {
  /** Copy only the submission, not the files beside it (a folder of many students' files). */
  readonly fileOnly?: boolean;
  /** Never copied, even when it lies beside the submission. */
  readonly assignmentFile?: string;
  /** The assignment's adapter, copied to ISOLATED_ADAPTER_PATH. */
  readonly adapter?: string;
  /** matplotlib's font list (grader/matplotlib-fonts.ts), copied into /gradecheck for the child to read. */
  readonly fontList?: string;
  /** Python: start the harness, or the zygote that forks it (grader/zygote.ts). */
  readonly entry?: Entry;
}

/** Makes the staged files and their folders readable by the child's uid. */
function readableTree(root: string, files: readonly string[]): void {
  for (const file of files) {
    chmodSync(path.join(root, file), 0o644);
    for (let dir = path.dirname(file); dir !== '.'; dir = path.dirname(dir)) chmodSync(path.join(root, dir), 0o755);
  }
}

/** Where an isolated child finds the assignment's adapter. */
export const ISOLATED_ADAPTER_PATH = '/gradecheck/adapter.py';

/** Copies matplotlib's font list into the stage, readable; its path inside, or undefined (then the child builds its own). */
function stageFontList(fontList: string, stage: string): string | undefined {
  const inside = path.join('/gradecheck', path.basename(fontList));
  try {
    copyFileSync(fontList, path.join(stage, inside));
    chmodSync(path.join(stage, inside), 0o644);
    return inside;
  } catch {
    return undefined;
  }
}

/**
 * Prepares `stage` (the grader's private temp dir) for an isolated child: the harness and a copy of the
 * submission and the source and data files beside it in stage/gradecheck (TypeScript transpiled to JavaScript
 * here, so the child needs no node_modules), readable by the child; returns how to start it.
 */
export function isolatedLaunch(
  language: 'python' | 'node',
  submission: string,
  interpreter: string,
  limits: SandboxLimits,
  stage: string,
  options: IsolatedLaunchOptions = {},
): Launch {
  const inside = path.join(stage, 'gradecheck');
  mkdirSync(path.join(inside, 'submission'), { recursive: true });
  chmodSync(stage, 0o755);
  chmodSync(inside, 0o755);
  chmodSync(path.join(inside, 'submission'), 0o755);
  const harness = language === 'python' ? 'harness.py' : 'harness.mjs';
  copyFileSync(path.join(runners, harness), path.join(inside, harness));
  // What the Python harness loads from its own folder: notebook execution (execute.py) and its magic stripping.
  // line_coverage.py: the test suite's coverage of these runners (grader/runner-coverage.ts), idle in a grade.
  // harness_coverage.mjs: its Node counterpart, staged only under that coverage.
  const nodeRecorder = nodeCoverageImport('/gradecheck').length > 0 ? [NODE_RECORDER] : [];
  const siblings = language === 'python' ? ['execute.py', 'notebook.py', 'line_coverage.py', ...(options.entry === 'zygote' ? ['zygote.py'] : [])] : nodeRecorder;
  for (const file of siblings) {
    copyFileSync(path.join(runners, file), path.join(inside, file));
    chmodSync(path.join(inside, file), 0o644);
  }
  // The submission with the helper modules, packages and data beside it (grader/submission.ts).
  const staged = stageFolder(submission, path.join(inside, 'submission'), {
    fileOnly: options.fileOnly ?? false,
    ...(options.assignmentFile ? { exclude: [options.assignmentFile] } : {}),
  });
  let name = path.basename(submission);
  const target = () => path.join(inside, 'submission', name);
  if (language === 'node' && /\.m?ts$/i.test(name)) {
    let code: string;
    const esbuild = loadEsbuild();
    try {
      code = esbuild.transformSync(readFileSync(submission, 'utf8'), { loader: 'ts', format: 'esm', sourcefile: name, sourcemap: 'inline' }).code;
    } catch (error) {
      // A TypeScript syntax error is the student's: hand the source over so the harness reports it.
      code = `throw new SyntaxError(${JSON.stringify(`cannot compile ${name}: ${(error as Error).message.split('\n').slice(0, 6).join(' ')}`)});\n`;
    }
    name = name.replace(/\.m?ts$/i, '.mjs');
    writeFileSync(target(), code);
  }
  readableTree(path.join(inside, 'submission'), staged);
  if (options.adapter) {
    copyFileSync(options.adapter, path.join(stage, ISOLATED_ADAPTER_PATH));
    chmodSync(path.join(stage, ISOLATED_ADAPTER_PATH), 0o644);
  }
  const fontList = options.fontList ? stageFontList(options.fontList, stage) : undefined;
  chmodSync(path.join(inside, harness), 0o644);
  chmodSync(target(), 0o644);
  const uid = sandboxUid();
  const bind = extraBind(interpreter);
  const submissionPath = `/gradecheck/submission/${name}`;
  const child =
    language === 'python'
      ? [interpreter, ...pythonArgs(options.entry ?? 'harness', '/gradecheck', submissionPath)]
      : [interpreter, `--max-old-space-size=${limits.memoryMb}`, ...nodeCoverageImport('/gradecheck'), `/gradecheck/${harness}`, submissionPath];
  return {
    mode: 'isolated',
    cmd: '/usr/bin/unshare',
    args: [
      ...UNSHARE,
      '--',
      // Through sh: an unzipped copy of gradecheck (the Gradescope bundle) may have lost the execute bit.
      '/bin/sh',
      path.join(runners, 'sandbox.sh'),
      stage,
      String(uid),
      String(uid),
      String(ISOLATED_LIMITS.nproc),
      String(ISOLATED_LIMITS.fileBytes),
      String(ISOLATED_LIMITS.tmpfsMb),
      ...(bind ? [bind] : []),
      '--',
      ...(language === 'node' ? ['/usr/bin/prlimit', `--data=${limits.memoryMb * 1024 * 1024}`, '--'] : []),
      ...child,
    ],
    cwd: stage,
    submissionPath,
    ...(fontList ? { fontList } : {}),
  };
}
