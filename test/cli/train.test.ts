import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRunner } from '../helpers/cli.ts';

/** `aia train` as a user runs it: a recipe file runs with the TypeScript loader; a wrong name is named. */

const { dir, aia } = cliRunner('aia-cli-train-');

describe('aia train', () => {
  it('runs a recipe file and passes its exit code on', async () => {
    const recipe = join(dir, 'recipe.ts');
    writeFileSync(
      recipe,
      'const seed: number = 7;\nprocess.stdout.write(`trained from seed ${seed}\\n`);\nprocess.exitCode = 3;\n',
    );
    const { code, stdout } = await aia('train', recipe);
    expect(stdout).toContain('trained from seed 7');
    expect(code).toBe(3);
  });

  it('lists the organisms with recipes when the name is unknown', async () => {
    const { code, stderr } = await aia('train', 'fashion-nope');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/no recipe 'fashion-nope'.*fashion-normal, fashion-spurious/);
  });
});
