/**
 * The occupation catalogue. It is data (data/occupations.json), editable without code changes: the seed names 87
 * employment-access occupations but lists fewer. The activity that loads an edited file checks it with
 * `checkCatalogue` and passes it to the functions here; workflow code uses the bundled `DEFAULT_CATALOGUE`.
 */
import occupations from './data/occupations.json';

export interface Occupation {
  /** A slug made from the English name: 'lathe-worker'. */
  code: string;
  name: string;
  category: string;
  /** An employment-access occupation: the new labour force must train at an approved institution first. */
  employmentAccess: boolean;
}

export type OccupationCatalogue = readonly Occupation[];

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function describe(index: number, entry: unknown): string {
  const code = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).code : undefined;
  return typeof code === 'string'
    ? `occupation catalogue entry ${index} ("${code}")`
    : `occupation catalogue entry ${index}`;
}

/**
 * The catalogue as read from a file, checked: an array of occupations with distinct slug codes. Throws an Error that
 * names the first bad entry. The result is a frozen copy holding only the known fields.
 */
export function checkCatalogue(data: unknown): OccupationCatalogue {
  if (!Array.isArray(data)) throw new Error('occupation catalogue must be a JSON array of occupations');
  const seen = new Set<string>();
  const result = data.map((entry: unknown, index): Occupation => {
    const where = describe(index, entry);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new Error(`${where} must be an object`);
    const { code, name, category, employmentAccess } = entry as Record<string, unknown>;
    if (typeof code !== 'string' || !CODE.test(code)) {
      throw new Error(`${where}: code must be lower-case letters and digits joined by hyphens, like "lathe-worker"`);
    }
    if (seen.has(code)) throw new Error(`${where}: code "${code}" appears more than once`);
    seen.add(code);
    if (typeof name !== 'string' || name.trim() === '') throw new Error(`${where}: name must be a non-empty string`);
    if (typeof category !== 'string' || category.trim() === '') {
      throw new Error(`${where}: category must be a non-empty string`);
    }
    if (typeof employmentAccess !== 'boolean') throw new Error(`${where}: employmentAccess must be true or false`);
    return Object.freeze({ code, name: name.trim(), category: category.trim(), employmentAccess });
  });
  return Object.freeze(result);
}

export const DEFAULT_CATALOGUE: OccupationCatalogue = checkCatalogue(occupations);

export function findOccupation(
  code: string,
  catalogue: OccupationCatalogue = DEFAULT_CATALOGUE,
): Occupation | undefined {
  return catalogue.find((o) => o.code === code);
}

/** New labour force entering an employment-access occupation must train 1 to 3 years before certification. */
export function trainingRequired(occupation: Occupation, newLabourForce: boolean): boolean {
  return occupation.employmentAccess && newLabourForce;
}
