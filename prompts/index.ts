import { readFileSync } from 'node:fs';
import { projectPath } from '../util/paths.ts';

/**
 * Prompt templates are Markdown files beside this one, so they can be read and edited as prose.
 * `{{name}}` placeholders are filled from the variables given; a missing variable is an error rather
 * than an empty hole in a prompt.
 */
export type PromptName =
  | 'system'
  | 'task'
  | 'behaviour'
  | 'final-answer'
  | 'continue'
  | 'judge-unit-test'
  | 'simulate-unit'
  | 'mcp';

const cache = new Map<PromptName, string>();

export function loadPrompt(name: PromptName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(projectPath('prompts', `${name}.md`), 'utf8');
    cache.set(name, text);
  }
  return text;
}

export function renderPrompt(name: PromptName, variables: Record<string, string | number> = {}): string {
  return fillTemplate(loadPrompt(name), variables, name);
}

export function fillTemplate(
  template: string,
  variables: Record<string, string | number>,
  name = 'template',
): string {
  return template
    .replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const value = variables[key];
      if (value === undefined) throw new Error(`prompt '${name}' needs a value for {{${key}}}`);
      return String(value);
    })
    .trim();
}
