/**
 * Curated word lists for lexical categories. Small and hand-checked on purpose: a synthetic unit's
 * ground truth is whatever these lists say, so every member must be unambiguous in ordinary text
 * (no 'rose' among colours, no 'may' among months). Lowercase; a token matches when its lowercase
 * form (or, for plurals, its form without a final 's') is listed.
 */
export const LEXICON = {
  colour: [
    'red', 'blue', 'green', 'yellow', 'purple', 'orange', 'pink', 'brown', 'black', 'white', 'grey',
    'gray', 'violet', 'crimson', 'scarlet', 'turquoise', 'indigo', 'beige', 'golden', 'silver',
  ],
  animal: [
    'dog', 'cat', 'horse', 'cow', 'pig', 'sheep', 'goat', 'bird', 'fish', 'fox', 'wolf', 'bear',
    'lion', 'tiger', 'rabbit', 'mouse', 'rat', 'deer', 'elephant', 'monkey', 'snake', 'frog', 'duck',
    'chicken', 'owl', 'eagle', 'whale', 'dolphin', 'shark', 'bee', 'ant', 'spider', 'turtle', 'camel',
    'zebra', 'giraffe', 'squirrel', 'puppy', 'kitten', 'donkey', 'mule', 'hen', 'crow', 'pony',
  ],
  number: [
    'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
    'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
    'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'hundred',
    'thousand', 'million', 'billion', 'dozen',
  ],
  place: [
    'paris', 'london', 'rome', 'berlin', 'tokyo', 'boston', 'chicago', 'texas', 'california',
    'washington', 'york', 'atlanta', 'france', 'england', 'germany', 'italy', 'japan', 'china',
    'russia', 'india', 'africa', 'europe', 'america', 'canada', 'mexico', 'spain', 'moscow',
    'virginia', 'georgia', 'ohio', 'florida', 'denver', 'madrid', 'vienna', 'dublin', 'cairo',
  ],
  person: [
    'anna', 'ben', 'clara', 'david', 'emma', 'frank', 'grace', 'henry', 'iris', 'jack', 'kate',
    'leo', 'maria', 'nora', 'oscar', 'paul', 'sam', 'tom', 'lucy', 'john', 'mary', 'james',
    'robert', 'william', 'elizabeth', 'george', 'charles', 'susan', 'peter', 'michael', 'richard',
    'thomas', 'joseph', 'margaret', 'helen', 'alice', 'edward', 'martha', 'kennedy',
  ],
  emotion: [
    'happy', 'sad', 'angry', 'afraid', 'scared', 'joy', 'fear', 'anger', 'love', 'hate', 'glad',
    'proud', 'lonely', 'anxious', 'calm', 'excited', 'nervous', 'jealous', 'grief', 'sorrow',
    'delight', 'worried', 'upset', 'cheerful', 'furious', 'ashamed', 'surprised', 'bored',
  ],
  body: [
    'hand', 'head', 'eye', 'face', 'arm', 'leg', 'foot', 'feet', 'finger', 'mouth', 'nose', 'ear',
    'heart', 'shoulder', 'knee', 'hair', 'neck', 'lip', 'tooth', 'teeth', 'skin', 'chest',
  ],
  time: [
    'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january',
    'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november',
    'december', 'morning', 'evening', 'night', 'today', 'tomorrow', 'yesterday', 'week', 'year',
  ],
  food: [
    'bread', 'apple', 'cake', 'milk', 'cheese', 'meat', 'egg', 'rice', 'soup', 'coffee', 'tea',
    'sugar', 'butter', 'wine', 'beer', 'potato', 'corn', 'fruit', 'pie', 'honey', 'salt',
  ],
  family: [
    'mother', 'father', 'sister', 'brother', 'son', 'daughter', 'wife', 'husband', 'uncle', 'aunt',
    'cousin', 'grandmother', 'grandfather', 'baby', 'parent', 'child', 'children', 'mom', 'dad',
  ],
} as const satisfies Record<string, readonly string[]>;

export type LexicalCategory = keyof typeof LEXICON;
export const LEXICAL_CATEGORIES = Object.keys(LEXICON) as LexicalCategory[];

const membership = new Map<string, LexicalCategory[]>();
for (const category of LEXICAL_CATEGORIES) {
  for (const word of LEXICON[category]) membership.set(word, [...(membership.get(word) ?? []), category]);
}

/** The categories a word belongs to (its lowercase form, or that form without a plural 's'). */
export function lexicalCategories(word: string): LexicalCategory[] {
  const lower = word.toLowerCase();
  const direct = membership.get(lower);
  if (direct) return direct;
  if (lower.length > 3 && lower.endsWith('s')) return membership.get(lower.slice(0, -1)) ?? [];
  return [];
}

/** The members of a category, for generating texts and for swapping a word for another. */
export function categoryWords(category: LexicalCategory): readonly string[] {
  return LEXICON[category];
}

export function isLexicalCategory(name: string): name is LexicalCategory {
  return (LEXICAL_CATEGORIES as readonly string[]).includes(name);
}
