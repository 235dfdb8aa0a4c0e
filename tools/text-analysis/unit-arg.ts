import type { TextToolContext } from '../text-context.ts';
import type { UnitAddress } from '../probe/types.ts';
import { ToolError } from '../tool.ts';
import { errorMessage } from '../../util/errors.ts';

/** A text tool's unit argument, parsed; a ToolError naming the problem for a unit the subject lacks. */
export function textUnit(ctx: TextToolContext, tool: string, name: string): UnitAddress {
  try {
    return ctx.probe.parseUnit(name);
  } catch (error) {
    throw new ToolError(`${tool}: ${errorMessage(error)}`, tool);
  }
}
