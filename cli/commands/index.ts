import type { Command } from 'commander';
import { registerAskCommand } from './ask.ts';
import { registerBenchCommand } from './bench.ts';
import { registerCompareCommand } from './compare.ts';
import { registerDemoCommand } from './demo.ts';
import { registerEditCommand } from './edit.ts';
import { registerRenderCommand } from './render.ts';
import { registerInspectCommand } from './inspect.ts';
import { registerMcpCommand } from './mcp.ts';
import { registerModelsCommand } from './models.ts';
import { registerProbeCommand } from './probe.ts';
import { registerProbesetCommand } from './probeset.ts';
import { registerReplayCommand } from './replay.ts';
import { registerReportCommand } from './report.ts';
import { registerSaliencyCommand } from './saliency.ts';
import { registerToolsCommand } from './tools.ts';
import { registerTrainCommand } from './train.ts';

/** Every CLI command registers itself here; one file per command in this folder. */
export function registerCommands(program: Command): void {
  registerAskCommand(program);
  registerRenderCommand(program);
  registerEditCommand(program);
  registerModelsCommand(program);
  registerInspectCommand(program);
  registerProbeCommand(program);
  registerSaliencyCommand(program);
  registerProbesetCommand(program);
  registerToolsCommand(program);
  registerReplayCommand(program);
  registerReportCommand(program);
  registerDemoCommand(program);
  registerBenchCommand(program);
  registerMcpCommand(program);
  registerTrainCommand(program);
  registerCompareCommand(program);
}
