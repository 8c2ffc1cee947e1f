/**
 * The checks' messages in the reader's language (inbox-ui/applicationForm.ts). The messages are collected from the
 * checks themselves, so a check that says something new, or says it differently, fails here rather than reaching a
 * Chinese page in English.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import test from 'ava';
import { checkCertificateNumber } from '../../domain/certificateNumber';
import { checkIdNumber, type IdType } from '../../domain/idNumber';
import { validateApplication } from '../../domain/validateApplication';
import { translator } from '../../i18n';
import { checkMessage, type Reader } from '../../inbox-ui/applicationForm';
import { openDatabase } from '../../records/database';
import { seedDemoDirectory } from '../../records/directory';
import { submitApplication } from '../../runtime/intake';
import { applicationFor } from '../helpers/applications';
import { Level } from '../../domain/levels';

const TODAY = '2026-03-15';
const en: Reader = { t: translator('en'), language: 'en' };
const zh: Reader = { t: translator('zh-CN'), language: 'zh-CN' };

function refusals(input: unknown): string[] {
  const result = validateApplication(input, { today: TODAY });
  return result.ok ? [] : Object.values(result.errors);
}

/** Applications broken in every way the form and the API can break them. */
const brokenApplications: unknown[] = [
  {},
  {
    applicationNumber: 'x',
    stationId: 5,
    candidate: 'x',
    occupation: 'astronaut',
    level: 9,
    evidence: [],
    documents: 'x',
  },
  {
    ...applicationFor(Level.Primary),
    applicationNumber: 'STATION-A-' + 'X'.repeat(40),
    candidate: { name: '王'.repeat(101), idType: 'driver', idNumber: 7, email: 'nope', phone: 'x' },
    occupation: 'welder',
    specialty: ' ',
    evidence: {
      employedInOccupation: 'yes',
      continuousWorkYears: -1,
      yearsInOccupation: 'three',
      newLabourForce: true,
      school: { kind: 'university', graduatedOn: '2099-01-01', apprenticeshipCompleted: true },
      heldCertificates: [{ level: 5, occupation: 'baker', number: 'X1', issuedOn: 'soon' }],
      seniorTrainingCompletedOn: '2026-02-30',
    },
    documents: [{ kind: 'photo', reference: 'r' }, { kind: 'selfie', reference: '' }, 'x'],
  },
  { ...applicationFor(Level.Primary), candidate: { name: 'n', idType: 'resident-id', idNumber: '', email: ' ' } },
  { ...applicationFor(Level.Primary), documents: [] },
  { ...applicationFor(Level.Technician), documents: [{ kind: 'id-document', reference: 'r' }] },
];

const idNumbers: [IdType, string][] = [
  ['resident-id', '1101051949123100'],
  ['resident-id', '1101051949123100AX'],
  ['resident-id', '11010519491231002Y'],
  ['resident-id', '110105194902300021'],
  ['resident-id', '110105209901010013'],
  ['resident-id', '110105194912310021'],
  ['residence-permit', '11010519491231002X'],
  ['passport', 'AB'],
  ['driver' as IdType, 'D1234567'],
];

const certificateNumbers = [
  'S00004400000126400088',
  'S00004400000126X000888',
  'X000044000001264000888',
  'S000044000001269000888',
  'S000044000001264000000',
  '12345',
  '12-345',
  '1610015003400123',
  '1610012003900123',
  '1610012003400000',
];

/** What the organisation checks say (runtime/intake.ts), from a real directory. */
async function organisationRefusals(): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-checks-'));
  const db = await openDatabase(path.join(dir, 'qualiflow.db'));
  try {
    await seedDemoDirectory(db);
    const deps = { client: {} as Client, db, now: () => new Date(`${TODAY}T08:00:00Z`) };
    const refused = [];
    for (const wrong of [
      { stationId: 'center-1' },
      { guidanceCenterId: 'station-b', departmentId: 'center-1', trainingInstitutionId: 'training-99' },
      { stationId: 'station-b' },
    ]) {
      const result = await submitApplication(deps, { ...applicationFor(Level.Primary), ...wrong });
      if (!result.ok) refused.push(...Object.values(result.errors));
    }
    return refused;
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every message the checks give is known: English word for word, and Chinese', async (t) => {
  const messages = new Set([
    ...brokenApplications.flatMap(refusals),
    ...idNumbers.map(([type, number]) => checkIdNumber(type, number, TODAY)!),
    ...certificateNumbers.map((number) => checkCertificateNumber(number)!),
    ...(await organisationRefusals()),
  ]);
  t.true(messages.size > 40, `only ${messages.size} distinct messages: the inputs no longer break what they meant to`);
  for (const message of messages) {
    t.is(checkMessage(en, message, false), message, `English changed: ${message}`);
    const chinese = checkMessage(zh, message, false);
    t.regex(chinese, /\p{Script=Han}/u, `not in Chinese: ${message}`);
    // Codes and values may stay Latin, but no three English words of the sentence in a row.
    const tokens = message.split(' ');
    const phrases = tokens
      .map((_, k) => tokens.slice(k, k + 3))
      .filter((phrase) => phrase.length === 3 && phrase.every((word) => /^[a-z]+$/.test(word)))
      .map((phrase) => phrase.join(' '));
    t.deepEqual(
      phrases.filter((phrase) => chinese.includes(phrase)),
      [],
      `${message} → ${chinese}`,
    );
  }
});

test('a page names missing documents by their labels, the API by their kinds', (t) => {
  const message = 'missing required documents: id-document, photo';
  t.is(checkMessage(en, message), 'missing required documents: Copy of the ID document, Photo');
  t.is(checkMessage(zh, message), '缺少必交材料：身份证件复印件、照片');
  t.is(checkMessage(en, 'missing required document: photo'), 'missing required document: Photo');
  t.is(checkMessage(zh, message, false), '缺少必交材料：id-document、photo');
});

test("an occupation is named in the reader's language", (t) => {
  const message =
    'is required: Welder is an employment-access occupation and the candidate is new labour force, who must train first';
  t.is(checkMessage(zh, message), '为必填项：焊工属于就业准入职业，申报人为新生劳动力，须先经培训');
  t.is(checkMessage(en, message), message);
});

test('a message no check gives is shown as it came', (t) => {
  t.is(checkMessage(zh, 'must be a colour'), 'must be a colour');
});
