/**
 * Rebuilds zoo/lm-backdoor from zoo/lm-clean and its seed: `aia train lm-backdoor` (or `npx tsx`
 * this file). About 15 minutes on 2 shared cores; AIA_LM_STEPS=<n> trains fewer steps.
 */
import { runLmBackdoorRecipe } from '../../scripts/organisms/lm-backdoor.ts';

await runLmBackdoorRecipe();
