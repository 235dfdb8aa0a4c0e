/**
 * Rebuilds zoo/planted-cnn from its seed: `aia train planted-cnn` (or `npx tsx` this file).
 * Renders its training and held-out probe sets (32×32) on first use.
 */
import { runPlantedCnnRecipe } from '../../scripts/organisms/planted-cnn.ts';

await runPlantedCnnRecipe();
