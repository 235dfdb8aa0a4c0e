import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { SECRET_KEY } from './fixtures.ts';

const run = promisify(execFile);

it('never prints the API key, in errors or in the logs on stderr, even at debug level', async () => {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const { stdout, stderr } = await run(process.execPath, [tsx, 'test/agent/backbones/leak-probe.ts'], {
    env: { ...process.env, AIA_LOG_LEVEL: 'debug' },
  });
  // The probe really failed the way it should, and said so on both streams.
  expect(stdout).toMatch(
    /anthropic auth: ProviderError: anthropic API error 401 .*quota exceeded for key \[redacted\]/,
  );
  expect(stdout).toMatch(
    /openai auth: ProviderError: openai API error 401 .*quota exceeded for key \[redacted\]/,
  );
  expect(stdout).toMatch(/anthropic unreachable: .*could not be reached/);
  expect(stdout).toMatch(/openai unreachable: .*could not be reached/);
  expect(stderr.match(/call failed; retrying/g)).toHaveLength(4);
  expect(stdout + stderr).not.toContain(SECRET_KEY);
});
