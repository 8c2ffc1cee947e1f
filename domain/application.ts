/**
 * What a candidate hands in at the appraisal station. The workflow's input and the API's command share this shape;
 * `validateApplication` (domain/validateApplication.ts) turns untrusted JSON into it or explains, field by field, why not.
 */
import type { IdType } from './idNumber';
import type { Level } from './levels';

/** The documents DOMAIN.md names; each is a reference to a stored file or a paper register entry. */
export type DocumentKind =
  | 'id-document'
  | 'photo'
  | 'training-completion'
  | 'grade-certificate'
  | 'work-experience'
  | 'technical-achievements'
  | 'work-performance'
  | 'technical-summary'
  | 'paper';

export interface ApplicationDocument {
  kind: DocumentKind;
  /** Where the document can be found: a file name, a register entry, a URL inside the authority. */
  reference: string;
}

export interface Candidate {
  name: string;
  idType: IdType;
  idNumber: string;
  /** Where the candidate reads notices. Optional: candidates without email are told at the station. */
  email?: string;
  phone?: string;
}

/** A certificate the candidate already holds, used by the eligibility rules of the higher levels. */
export interface HeldCertificate {
  level: Level;
  occupation: string;
  number: string;
  /** YYYY-MM-DD */
  issuedOn: string;
}

export type SchoolKind = 'vocational' | 'technical' | 'approved-intermediate';

/** The facts eligibility is judged on. Every field is evidence a reviewer can check against a document. */
export interface Evidence {
  /** Currently employed in a post of the occupation (the work-experience certificate from the employer). */
  employedInOccupation: boolean;
  /** Years of continuous work, as the employer certifies. */
  continuousWorkYears: number;
  /** Years worked in this occupation. */
  yearsInOccupation: number;
  /** New labour force: not yet employed in the occupation (decides training for employment-access occupations). */
  newLabourForce: boolean;
  school?: { kind: SchoolKind; graduatedOn: string; apprenticeshipCompleted: boolean };
  heldCertificates: HeldCertificate[];
  /** Formal senior (advanced-level) training completed, with its completion certificate. */
  seniorTrainingCompletedOn?: string;
  /** Attested by the employer and checked in the comprehensive review (technician levels). */
  solvesKeyOperationalProblems?: boolean;
  canTeachIntermediateWorkers?: boolean;
  canTrainSeniorWorkers?: boolean;
  technicalInnovations?: string[];
}

export interface ApplicationInput {
  /** The business key: the workflow id is derived from it. */
  applicationNumber: string;
  stationId: string;
  guidanceCenterId: string;
  departmentId: string;
  /**
   * Required when the occupation is employment-access and the candidate is new labour force who has not handed in a
   * training completion certificate (domain/occupations.ts `trainingRequired`).
   */
  trainingInstitutionId?: string;
  candidate: Candidate;
  /** A code from the occupation catalogue (domain/data/occupations.json). */
  occupation: string;
  specialty?: string;
  level: Level;
  evidence: Evidence;
  documents: ApplicationDocument[];
}
