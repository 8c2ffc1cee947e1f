/**
 * Every operation of the JSON API, by area: the list /api/openapi.json is generated from (contract/document.ts).
 */
import type { Operation } from './operation';
import { accountOperations } from './account';
import { accountDetailsOperations } from './accountDetails';
import { adminOperations } from './admin';
import { caseOperations } from './cases';
import { inboxOperations } from './inbox';
import { investigationOperations } from './investigations';
import { organisationOperations } from './organisations';
import { sessionOperations } from './sessions';
import { taskOperations } from './tasks';

export const OPERATIONS: readonly Operation[] = [
  ...accountOperations,
  ...caseOperations,
  ...inboxOperations,
  ...sessionOperations,
  ...adminOperations,
  ...accountDetailsOperations,
  ...organisationOperations,
  ...investigationOperations,
  ...taskOperations,
];
