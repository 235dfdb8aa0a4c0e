import { InputError } from '../../util/errors.ts';
import { ToolError } from '../tool.ts';

/**
 * Run a tool's body, turning InputErrors (bad names, units out of range, unknown words — problems the
 * caller can fix) into ToolErrors, whose messages go back to the agent while the loop goes on. Other
 * errors are bugs or broken installs and propagate unchanged.
 */
export async function withToolErrors<T>(tool: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof InputError) throw new ToolError(`${tool}: ${error.message}`, tool);
    throw error;
  }
}
