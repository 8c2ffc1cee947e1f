/**
 * How personal data is shown to those who may know that a person exists but not who: the public verification page,
 * and inbox users whose work on a case does not need the candidate.
 */
export { maskIdNumber } from './idNumber';

/** The first character and a star for each other one: '张**'. */
export function maskName(name: string): string {
  const [first = '', ...rest] = Array.from(name.trim());
  return first + '*'.repeat(rest.length);
}
