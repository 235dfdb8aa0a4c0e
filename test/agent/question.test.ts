import { describe, expect, it } from 'vitest';
import { questionKind, unitInQuestion } from '../../agent/question.ts';

describe('questionKind', () => {
  it('routes questions about whole models apart from unit questions', () => {
    expect(questionKind('does this model rely on a spurious feature?')).toBe('model-reliance');
    expect(questionKind('What does class Trouser rely on?')).toBe('model-reliance');
    expect(questionKind('Is this classifier biased, and toward what?')).toBe('model-reliance');
    expect(questionKind('Which of these two models is biased, and toward what?')).toBe('model-comparison');
    expect(questionKind('What does unit final_conv:7 detect?')).toBe('unit');
    expect(questionKind('What does this unit detect?')).toBe('unit');
  });

  it('treats any question with a unit as a unit question', () => {
    expect(questionKind('does conv2:3 rely on the square?')).toBe('unit');
    expect(questionKind('does it rely on a spurious feature?', { unit: 'conv2:3' })).toBe('unit');
    expect(unitInQuestion('what does synthetic:0 detect?')).toBe('synthetic:0');
  });
});
