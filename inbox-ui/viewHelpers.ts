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
};
