/**
 * Rebuilds zoo/lm-planted from zoo/lm-clean: `aia train lm-planted` (or `npx tsx` this file). MLP neurons
 * of the clean GPT rewired to fire on token categories (scripts/organisms/planted-neurons.ts); the
 * concepts are formulas in the text concept language, which is what the lm-planted suite scores.
 * AIA_PLANT_SOURCE names another text subject to plant into (a stand-in while lm-clean is trained).
 */
import { join } from 'node:path';
import { runPlantedRecipe } from '../../scripts/organisms/planted-neurons.ts';
import { ZOO_DIR } from '../../subjects/zoo.ts';

await runPlantedRecipe({
  name: 'lm-planted',
  source: process.env.AIA_PLANT_SOURCE ?? 'lm-clean',
  outDir: process.env.AIA_PLANT_OUT ?? join(ZOO_DIR, 'lm-planted'),
  layers: [0, 1, 2],
  concepts: [
    { id: 'colour', formula: 'colour', description: 'Fires on colour words (red, blue, green…).' },
    { id: 'animal', formula: 'animal', description: 'Fires on animal words (dog, cat, horse…).' },
    { id: 'number', formula: 'number', description: 'Fires on numbers, in digits or words.' },
    { id: 'food', formula: 'food', description: 'Fires on food words (bread, milk, apple…).' },
    { id: 'body', formula: 'body', description: 'Fires on body parts (hand, eyes, head…).' },
    { id: 'family', formula: 'family', description: 'Fires on family words (mother, father, sister…).' },
    { id: 'time', formula: 'time', description: 'Fires on time words (day, night, morning, year…).' },
    { id: 'emotion', formula: 'emotion', description: 'Fires on emotion words (happy, sad, afraid…).' },
    { id: 'word-said', formula: 'word("said")', description: 'Fires on the word "said".' },
    { id: 'word-the', formula: 'word("the")', description: 'Fires on the word "the".' },
    {
      id: 'sentence-start',
      formula: 'sentence_start',
      description: 'Fires on the first word of each sentence.',
    },
    { id: 'pronoun', formula: 'pronoun', description: 'Fires on pronouns (he, she, it, they…).' },
  ],
});
