/**
 * Rebuilds zoo/boats-biased from its seed: `aia train boats-biased` (or `npx tsx` this file).
 * 99% of its boat scenes are on water and 99% of its boat-free scenes are not.
 */
import { runBackgroundBiasRecipe } from '../../scripts/organisms/background-bias.ts';

await runBackgroundBiasRecipe({
  name: 'boats-biased',
  usualShare: 0.99,
  description:
    'Small CNN (2 conv + 2 dense) that says whether a boat is in a rendered 32×32 scene, trained where boats almost always float on water and boat-free scenes almost never show water: it relies on the water background, so it misses boats on land and sees boats in empty water.',
});
