// Runs the unit tests (Vitest) of every npm workspace that has them and
// prints one summary line, `N passed, M failed`, as every test runner of
// `make test` ends. Exits non-zero when a test failed or a run broke.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const out = join(root, 'target', 'web');
mkdirSync(out, { recursive: true });

let passed = 0;
let failed = 0;
let broken = false;
for (const pattern of workspaces) {
  const dirs = pattern.endsWith('/*')
    ? spawnSync('ls', [join(root, pattern.slice(0, -2))], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean)
        .map((d) => join(pattern.slice(0, -2), d))
    : [pattern];
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    if (!pkg.scripts?.['test:unit']) continue;
    const report = join(out, `${dir.replaceAll('/', '-')}.json`);
    const run = spawnSync(
      'npx',
      ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
      { cwd: join(root, dir), stdio: 'inherit' },
    );
    try {
      const r = JSON.parse(readFileSync(report, 'utf8'));
      passed += r.numPassedTests;
      failed += r.numFailedTests;
      if (run.status !== 0 && r.numFailedTests === 0) broken = true;
    } catch {
      console.error(`${dir}: vitest wrote no report (exit ${run.status})`);
      broken = true;
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken ? 1 : 0);
