/**
 * The occupation catalogue. It is data (data/occupations.json, each occupation with its English and Chinese names), editable without code changes: the seed names 87
 * employment-access occupations but lists fewer. The activity that loads an edited file checks it with
 * `checkCatalogue` and passes it to the functions here; workflow code uses the bundled `DEFAULT_CATALOGUE`.
 */
import type { ApplicationDocument, Evidence } from './application';
import occupations from './data/occupations.json';

export interface Occupation {
  /** A slug made from the English name: 'lathe-worker'. */
  code: string;
  /** The English name. */
  name: string;
  /** The Chinese name, what people in the province call it: '车工'. */
  nameZh: string;
  /** The code in the national occupational classification (职业分类大典), where known: '6-18-01-01'. */
  classificationCode?: string;
  category: string;
  /** An employment-access occupation: the new labour force must train at an approved institution first. */
  employmentAccess: boolean;
}

export type OccupationCatalogue = readonly Occupation[];

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CLASSIFICATION = /^\d-\d{2}-\d{2}-\d{2}$/;

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
    const { code, name, nameZh, classificationCode, category, employmentAccess } = entry as Record<string, unknown>;
    if (typeof code !== 'string' || !CODE.test(code)) {
      throw new Error(`${where}: code must be lower-case letters and digits joined by hyphens, like "lathe-worker"`);
    }
    if (seen.has(code)) throw new Error(`${where}: code "${code}" appears more than once`);
    seen.add(code);
    if (typeof name !== 'string' || name.trim() === '') throw new Error(`${where}: name must be a non-empty string`);
    if (typeof nameZh !== 'string' || nameZh.trim() === '') {
      throw new Error(`${where}: nameZh (the Chinese name) must be a non-empty string`);
    }
    if (
      classificationCode !== undefined &&
      (typeof classificationCode !== 'string' || !CLASSIFICATION.test(classificationCode))
    ) {
      throw new Error(`${where}: classificationCode must look like "6-18-01-01", or be left out`);
    }
    if (typeof category !== 'string' || category.trim() === '') {
      throw new Error(`${where}: category must be a non-empty string`);
    }
    if (typeof employmentAccess !== 'boolean') throw new Error(`${where}: employmentAccess must be true or false`);
    return Object.freeze({
      code,
      name: name.trim(),
      nameZh: nameZh.trim(),
      ...(classificationCode !== undefined && { classificationCode }),
      category: category.trim(),
      employmentAccess,
    });
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

/** The occupation's name in a language: Chinese for 'zh-CN', English otherwise. */
export function occupationName(occupation: Occupation, language: string): string {
  return language === 'zh-CN' ? occupation.nameZh : occupation.name;
}

/**
 * The occupations a person typing into a filter or a search box means: the Chinese name, the English name, the slug
 * or the classification code, or any part of one ('焊', 'weld', 'Welder' and 'welder' all find the welder).
 */
export function matchingOccupations(query: string, catalogue: OccupationCatalogue = DEFAULT_CATALOGUE): Occupation[] {
  const wanted = query.trim().toLowerCase();
  if (!wanted) return [];
  return catalogue.filter((o) =>
    [o.code, o.name, o.nameZh, o.classificationCode ?? ''].some((text) => text.toLowerCase().includes(wanted)),
  );
}

/** What decides training, of an application or of a form still being checked. */
export interface TrainingFacts {
  evidence: Pick<Evidence, 'newLabourForce'>;
  documents: readonly Pick<ApplicationDocument, 'kind'>[];
}

/**
 * New labour force entering an employment-access occupation must train 1 to 3 years at an approved institution before
 * certification (DOMAIN.md, step 4). A training completion certificate handed in with the application is that training
 * done: sending its holder back to train would ask for what the certificate proves. The one place this is decided, so
 * intake (which then asks for no training institution) and the case (which then has no training stage) agree.
 */
export function trainingRequired(occupation: Occupation, { evidence, documents }: TrainingFacts): boolean {
  const trained = documents.some((document) => document.kind === 'training-completion');
  return occupation.employmentAccess && evidence.newLabourForce && !trained;
}
