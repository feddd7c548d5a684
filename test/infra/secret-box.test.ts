import { SecretBox } from '../../infra/secret-box';

const key = Buffer.alloc(32, 1).toString('base64');

describe('SecretBox', () => {
  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('pässwörd=with=equals');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('pässwörd');
    expect(box.open(sealed)).toBe('pässwörd=with=equals');
  });

  it('gives a different ciphertext each time', () => {
    const box = new SecretBox(key);
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('detects tampering and the wrong key', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('secret');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => box.open(`v1:${raw.toString('base64')}`)).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 2).toString('base64')).open(sealed)).toThrow();
    expect(() => box.open('plain')).toThrow('unknown secret format');
  });

  it('refuses a key of the wrong size, or no key', () => {
    expect(() => new SecretBox(Buffer.alloc(16).toString('base64'))).toThrow('32-byte keys');
    expect(() => new SecretBox([])).toThrow('32-byte keys');
  });

  it('rotates: the first key seals, every key of the list opens what it sealed', () => {
    const newKey = Buffer.alloc(32, 5).toString('base64');
    const before = new SecretBox(key).seal('sealed before rotation');
    const rotated = new SecretBox([newKey, key]);
    expect(rotated.open(before)).toBe('sealed before rotation');
    const after = rotated.seal('sealed after rotation');
    expect(new SecretBox(newKey).open(after)).toBe('sealed after rotation');
    expect(() => new SecretBox(key).open(after)).toThrow('does not open with any configured key');
  });
});
