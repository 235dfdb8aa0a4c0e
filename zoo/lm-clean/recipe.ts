/**
 * Rebuilds zoo/lm-clean from its seed: `aia train lm-clean` (or `npx tsx` this file). About 30
 * minutes on 2 shared cores; AIA_LM_STEPS=<n> trains fewer steps (for a quick look).
 */
import { runLmCleanRecipe } from '../../scripts/organisms/lm-clean.ts';

await runLmCleanRecipe();
