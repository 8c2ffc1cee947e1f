/**
 * What a clerk sends to take an application in: the intake form as typed, and the body of POST /api/applications.
 * Shared by the intake tests (intake, intakeDuplicates, badText), which change one field and watch what is said.
 */
import type { ApplicationInput } from '../../domain/application';
import { Level } from '../../domain/levels';
import { applicationFor, nextIdNumber } from '../helpers/applications';
import type { BrowserSession } from '../helpers/web';
import { inputValue } from './fixtures';

/** What a clerk types for a level 5 baker employed in the occupation for three years: another person each time. */
export const validForm = (applicationNumber: string, idNumber = nextIdNumber()): Record<string, string> => ({
  applicationNumber,
  stationId: 'station-a',
  'candidate.name': 'Wang Fang',
  'candidate.idType': 'resident-id',
  'candidate.idNumber': idNumber,
  'candidate.email': 'wang.fang@example.org',
  occupation: 'baker',
  level: '5',
  'evidence.employedInOccupation': 'on',
  'evidence.continuousWorkYears': '3',
  'evidence.yearsInOccupation': '3',
  'documents.id-document': 'register/2026/0412-id.pdf',
  'documents.photo': 'register/2026/0412-photo.jpg',
});

/** Opens the form as the clerk and reads the application number it carries. */
export async function openForm(clerk: BrowserSession): Promise<string> {
  const form = await clerk.get('/applications/new');
  if (form.status !== 200) throw new Error(`the form answered ${form.status}`);
  return inputValue(form.html, 'applicationNumber')!;
}

/** The body of POST /api/applications: what the clerk knows; the clerk's station and province are filled in. */
export function apiBody(application: ApplicationInput = applicationFor(Level.Primary)) {
  const { stationId: _s, guidanceCenterId: _g, departmentId: _d, applicationNumber: _n, ...body } = application;
  return body;
}
