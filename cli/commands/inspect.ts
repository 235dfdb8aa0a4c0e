import type { Command } from 'commander';

/**
 * `aia inspect <subject>`: the sites of a subject — every float tensor that can be read or edited. The
 * work is in cli/actions/inspect.ts, loaded when the command runs.
 */

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('list the sites (readable, editable tensors) of a subject: a zoo name or an .onnx file')
    .argument('<subject>', 'zoo name (see aia models) or path to an .onnx model')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const { runInspect } = await import('../actions/inspect.ts');
      await runInspect(ref, opts);
    });
}
