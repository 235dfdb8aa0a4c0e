import { describe, expect, it } from 'vitest';
import { redactDeep, redactSecrets, secretValues } from '../../util/secrets.ts';

const KEY = 'sk-ant-api03-Zq8Xw2LmNp4Rt7Vb';

describe('redactSecrets', () => {
  it('removes the whole key wherever it appears', () => {
    expect(redactSecrets(`a ${KEY} b ${KEY}`, [KEY])).toBe('a [redacted] b [redacted]');
  });

  it('removes any run of six or more characters of a key: an echoed tail, a prefix, a middle', () => {
    expect(redactSecrets('invalid key …Rt7Vb? no: …p4Rt7Vb', [KEY])).toBe(
      'invalid key …Rt7Vb? no: …[redacted]',
    );
    expect(redactSecrets('key starting sk-ant-api03 was refused', [KEY])).toBe(
      'key starting [redacted] was refused',
    );
    expect(redactSecrets('middle Xw2LmN here', [KEY])).toBe('middle [redacted] here');
  });

  it('leaves five-character coincidences and short placeholders alone', () => {
    expect(redactSecrets('the sk-an prefix', [KEY])).toBe('the sk-an prefix');
    expect(redactSecrets('model ollama not found', ['ollama'])).toBe('model ollama not found');
  });

  it('redacts every string inside a record, keys included', () => {
    const record = { message: `echo ${KEY.slice(-8)}`, nested: [{ [KEY]: 1 }], n: 3 };
    expect(redactDeep(record, [KEY])).toEqual({
      message: 'echo [redacted]',
      nested: [{ '[redacted]': 1 }],
      n: 3,
    });
  });
});

describe('secretValues', () => {
  it('takes values of secret-looking variables, not paths, prose or short flags', () => {
    const values = secretValues({
      ANTHROPIC_API_KEY: KEY,
      SSH_AUTH_SOCK: '/tmp/ssh-abcdef/agent.1',
      MY_TOKEN: 'true',
      TOKEN_HELP: 'a sentence with spaces',
      PATH: '/usr/bin',
    });
    expect(values).toEqual([KEY]);
  });
});
