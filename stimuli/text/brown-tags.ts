/**
 * Brown's tag set mapped to universal part-of-speech tags, for measuring how often wink-nlp agrees
 * with Brown's gold tags. Brown's tags carry suffixes (`-tl` title, `-hl` headline, `-nc` cited, `$`
 * possessive, `*` negation) and joined forms (`md*`, `pps+bez`): the first base tag decides. Where
 * the two schemes draw the line differently (Brown's `hv` is both the auxiliary and the main verb
 * *have*; `ap` covers many/next/last), every universal tag a careful annotator could give is accepted.
 */
const BY_PREFIX: [RegExp, string[]][] = [
  [/^np/, ['PROPN']],
  [/^nn|^nr/, ['NOUN']],
  [/^(be|hv|do)/, ['AUX', 'VERB']],
  [/^md/, ['AUX']],
  [/^vb/, ['VERB']],
  [/^jj/, ['ADJ']],
  [/^(rb|ql|rn)/, ['ADV']],
  [/^rp/, ['ADP', 'PART', 'ADV']],
  [/^wrb/, ['ADV', 'SCONJ']],
  [/^at|^abn|^abx|^dt/, ['DET']],
  [/^ap/, ['ADJ', 'DET']],
  [/^wdt/, ['DET', 'PRON']],
  [/^pp\$/, ['PRON', 'DET']],
  [/^(pp|wp|ex)/, ['PRON']],
  [/^in/, ['ADP', 'SCONJ']],
  [/^to/, ['PART', 'ADP']],
  [/^cs/, ['SCONJ', 'ADP']],
  [/^cc/, ['CCONJ']],
  [/^cd/, ['NUM']],
  [/^od/, ['ADJ', 'NUM']],
  [/^uh/, ['INTJ']],
  [/^[.,:;()'`-]|^--/, ['PUNCT']],
];

/** The universal tags a Brown tag allows, or undefined for tags left out (foreign words, `nil`). */
export function universalTags(brownTag: string): string[] | undefined {
  const tag = brownTag.toLowerCase();
  if (tag.startsWith('fw') || tag === 'nil') return undefined;
  const base = tag
    .split('+')[0]!
    .replace(/-(tl|hl|nc)$/g, '')
    .replace(/-(tl|hl|nc)$/g, '');
  return BY_PREFIX.find(([pattern]) => pattern.test(base))?.[1];
}
