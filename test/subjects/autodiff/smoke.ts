import { attr } from '../../../subjects/autodiff/builder.ts';
import { checkGradients, opNode } from './check.ts';
const r = await checkGradients({
  nodes: [opNode('Mul', ['a', 'b'], ['m']), opNode('Relu', ['m'], ['y'])],
  inputs: { a: { dims: [2, 3, 4] }, b: { dims: [3, 1] } },
});
console.log(r);
void attr;
