import { Command } from 'commander';
import { AiaError } from '../util/errors.ts';
import { escapeControl } from '../util/escape.ts';
import { registerCommands } from './commands/index.ts';

// Nothing heavy is imported here or by the command definitions: each command loads its work
// (cli/actions/) when it runs, and logging (pino) is loaded only when --verbose asks for it, so
// `aia --help` starts at once. test/cli/lazy.test.ts checks this.

const program = new Command();
program
  .name('aia')
  .description(
    'aia: an automated interpretability agent. Ask questions about a model; get answers backed by experiments.',
  )
  .option('--verbose', 'show debug logs and stack traces')
  .hook('preAction', async (cmd) => {
    if (cmd.opts<{ verbose?: boolean }>().verbose) {
      const { setLogLevel } = await import('../util/log.ts');
      setLogLevel('debug');
    }
  });

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const verbose = program.opts<{ verbose?: boolean }>().verbose === true;
  if (verbose) {
    const { log } = await import('../util/log.ts');
    log.error({ err: error }, 'failed');
  }
  const message = error instanceof Error ? error.message : String(error);
  const expected = error instanceof AiaError;
  // Messages quote what the user typed: shown escaped, so it cannot drive the terminal.
  process.stderr.write(`error: ${escapeControl(message)}\n`);
  if (!expected && !verbose)
    process.stderr.write('(unexpected error: run again with --verbose for details)\n');
  process.exitCode = 1;
}
