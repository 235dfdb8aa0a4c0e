import type { Command } from 'commander';
import type { ReportOptions } from '../actions/report.ts';

/**
 * `aia report <run>`: the run as one self-contained HTML page. The work is in cli/actions/report.ts,
 * loaded when the command runs.
 */

export function registerReportCommand(program: Command): void {
  program
    .command('report <run>')
    .description('write a run as one self-contained HTML page (default <run>/report.html) and print its path')
    .option('--out <file>', 'where to write the page')
    .option('--open', 'open the page in the default browser (xdg-open)')
    .option('--json', 'print {"report": path, "warnings": […], "problems": […]} as JSON')
    .action(async (runRef: string, opts: ReportOptions) => {
      const { runReport } = await import('../actions/report.ts');
      runReport(runRef, opts);
    });
}
