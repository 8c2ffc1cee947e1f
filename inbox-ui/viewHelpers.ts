/** Small Handlebars helpers; views stay dumb. */
export const helpers = {
  /** Times in China time, where the people reading them are. */
  chinaTime(iso: unknown): string {
    if (typeof iso !== 'string' || !iso) return '';
    const shifted = new Date(new Date(iso).getTime() + 8 * 3600_000);
    return `${shifted.toISOString().slice(0, 16).replace('T', ' ')}`;
  },
  eq(a: unknown, b: unknown): boolean {
    return a === b;
  },
  gt(a: unknown, b: unknown): boolean {
    return Number(a) > Number(b);
  },
  toString(value: unknown): string {
    return String(value);
  },
  /** Joins its arguments (Handlebars passes an options object last, which is dropped). */
  concat(...parts: unknown[]): string {
    return parts.slice(0, -1).join('');
  },
  ifThen(condition: unknown, yes: unknown, no: unknown): unknown {
    return condition ? yes : no;
  },
};
