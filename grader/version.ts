// The version of gradecheck, read from package.json (a cheap module: `--version` and the batch cache key use it).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function gradecheckVersion(): string {
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
