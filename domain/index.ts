export type {
  ApplicationDocument,
  ApplicationInput,
  Candidate,
  DocumentKind,
  Evidence,
  HeldCertificate,
  SchoolKind,
} from './application';
export * from './applicationNumber';
export * from './certificateNumber';
export * from './dates';
export * from './eligibility';
export * from './idNumber';
export * from './levels';
export * from './occupations';
export * from './scores';
export * from './validateApplication';
export * from './workingDays';
