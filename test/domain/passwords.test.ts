import { pppPasswordProblem } from '../../domain/passwords';

describe('pppPasswordProblem', () => {
  it.each(['s3cret', 'with space', '!#$%&()*+,-./:;<=>?@[]^_`{|}~"\'\\', 'x'.repeat(64)])(
    'accepts %j',
    (password) => {
      expect(pppPasswordProblem(password)).toBeNull();
    },
  );

  it.each([
    ['', 'password must not be empty'],
    ['x'.repeat(65), 'password must be at most 64 characters'],
    ['pässword', 'password may only contain printable ASCII characters'],
    ['tab\there', 'password may only contain printable ASCII characters'],
  ])('refuses %j', (password, problem) => {
    expect(pppPasswordProblem(password)).toBe(problem);
  });
});
