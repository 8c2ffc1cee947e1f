/**
 * How personal data is shown to those who may know that a person exists but not who: the public verification page,
 * and inbox users whose work on a case does not need the candidate.
 */
export { maskIdNumber } from './idNumber';

/**
 * The surname's first character and a fixed mask, as Chinese registries print it: '张三' and '张伟明' are both '张**',
 * '欧阳娜娜' is '欧**', 'Li Wei' is 'L**'. A star per hidden character would give the name's length away, and with a
 * surname that narrows the person down; for a compound surname the first character is enough to compare with the ID.
 */
export function maskName(name: string): string {
  const [first] = Array.from(name.trim());
  return first === undefined ? '' : `${first}**`;
}
