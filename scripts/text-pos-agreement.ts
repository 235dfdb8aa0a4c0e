/**
 * How often wink-nlp's part-of-speech tags agree with the Brown corpus's gold tags (mapped to
 * universal tags: stimuli/text/brown-tags.ts), over whole documents of one split:
 *
 *   npx tsx scripts/text-pos-agreement.ts [--split test] [--documents 25] [--json]
 *
 * Prints agreement over every aligned token and per universal tag (gold). Tokens wink splits
 * differently from Brown (possessives, contractions) are aligned by their first character; foreign
 * words and untagged tokens are left out. The figure is recorded in docs/text.md.
 */
import { annotateText } from '../stimuli/text/annotate.ts';
import {
  brownDocuments,
  brownText,
  readBrownDocument,
  TEXT_SPLITS,
  type TextSplit,
} from '../stimuli/text/brown.ts';
import { universalTags } from '../stimuli/text/brown-tags.ts';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

const split = option('--split', 'test') as TextSplit;
if (!TEXT_SPLITS.includes(split)) throw new Error(`--split must be one of ${TEXT_SPLITS.join(', ')}`);
const count = Number(option('--documents', '25'));
const documents = brownDocuments(split).slice(0, count);
let aligned = 0;
let agreed = 0;
const byTag = new Map<string, { n: number; agree: number }>();
for (const name of documents) {
  const document = readBrownDocument(name);
  // One sentence at a time: wink tags each sentence in its own context, as the text sets do.
  for (const sentence of document.sentences) {
    const { text, spans } = brownText([sentence]);
    const annotated = annotateText(text, { id: name, source: 'brown', entities: false });
    const byStart = new Map(annotated.tokens.map((t) => [t.start, t.pos]));
    for (const span of spans) {
      const gold = universalTags(span.tag);
      const predicted = byStart.get(span.start);
      if (!gold || predicted === undefined) continue;
      aligned++;
      const agree = gold.includes(predicted);
      if (agree) agreed++;
      const entry = byTag.get(gold[0]!) ?? { n: 0, agree: 0 };
      entry.n++;
      if (agree) entry.agree++;
      byTag.set(gold[0]!, entry);
    }
  }
  process.stderr.write(`\r${name}`);
}
process.stderr.write('\n');
const perTag = Object.fromEntries(
  [...byTag]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([tag, e]) => [tag, { tokens: e.n, agreement: e.agree / e.n }]),
);
const result = { split, documents: documents.length, tokens: aligned, agreement: agreed / aligned, perTag };
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else {
  process.stdout.write(
    `wink-nlp vs Brown gold (${split}, ${documents.length} documents, ${aligned} tokens): ${(100 * result.agreement).toFixed(1)}%\n`,
  );
  for (const [tag, e] of Object.entries(perTag))
    process.stdout.write(
      `  ${tag.padEnd(6)} ${String(e.tokens).padStart(6)}  ${(100 * e.agreement).toFixed(1)}%\n`,
    );
}
