/**
 * The checks' messages in the reader's language (inbox-ui/applicationForm.ts). The checks say what is wrong as
 * Messages; these are collected from the checks themselves, so a check that says something new without its catalogue
 * entries fails here rather than reaching a Chinese page in English.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import test from 'ava';
import { certificateNumberMistake } from '../../domain/certificateNumber';
import { idNumberMistake, type IdType } from '../../domain/idNumber';
import type { Message } from '../../domain/messages';
import { type FieldErrors, validateApplication } from '../../domain/validateApplication';
import { translator } from '../../i18n';
import { checkMessage } from '../../inbox-ui/applicationForm';
import { openDatabase } from '../../records/database';
import { seedDemoDirectory } from '../../records/demoProvince';
import { submitApplication } from '../../runtime/intake';
import { applicationFor, applicationNeedingTraining } from '../helpers/applications';
import { Level } from '../../domain/levels';

const TODAY = '2026-03-15';
const en = translator('en');
const zh = translator('zh-CN');

function errorsOf(input: unknown): FieldErrors {
  const result = validateApplication(input, { today: TODAY });
  return result.ok ? {} : result.errors;
}

const refusals = (input: unknown): Message[] => Object.values(errorsOf(input));

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
async function organisationRefusals(): Promise<Message[]> {
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

test('every message the checks give is in both languages, and the Chinese one is Chinese', async (t) => {
  const messages = [
    ...brokenApplications.flatMap(refusals),
    ...idNumbers.map(([type, number]) => idNumberMistake(type, number, TODAY)!),
    ...certificateNumbers.map((number) => certificateNumberMistake(number)!),
    ...(await organisationRefusals()),
  ];
  const keys = new Set(messages.map((said) => said.key));
  t.true(keys.size > 40, `only ${keys.size} distinct messages: the inputs no longer break what they meant to`);
  for (const said of messages) {
    const english = checkMessage(en, said, false);
    t.not(english, said.key, `no English entry: ${said.key}`);
    t.notRegex(english, /\p{Script=Han}/u, `the English entry is not English: ${said.key}`);
    const chinese = checkMessage(zh, said, false);
    t.regex(chinese, /\p{Script=Han}/u, `not in Chinese: ${english}`);
    // Codes and values may stay Latin, but no three English words of the sentence in a row.
    const tokens = english.split(' ');
    const phrases = tokens
      .map((_, k) => tokens.slice(k, k + 3))
      .filter((phrase) => phrase.length === 3 && phrase.every((word) => /^[a-z]+$/.test(word)))
      .map((phrase) => phrase.join(' '));
    t.deepEqual(
      phrases.filter((phrase) => chinese.includes(phrase)),
      [],
      `${english} → ${chinese}`,
    );
  }
});

test('a page names missing documents by their labels, the API by their kinds', (t) => {
  const { documents } = errorsOf({ ...applicationFor(Level.Primary), documents: [] });
  t.is(checkMessage(en, documents), 'missing required documents: Copy of the ID document, Photo');
  t.is(checkMessage(zh, documents), '缺少必交材料：身份证件复印件、照片');
  t.is(checkMessage(zh, documents, false), '缺少必交材料：id-document、photo');
  const onlyPhoto = errorsOf({
    ...applicationFor(Level.Primary),
    documents: [{ kind: 'id-document', reference: 'r' }],
  });
  t.is(checkMessage(en, onlyPhoto.documents), 'missing required document: Photo');
});

test("an occupation is named in the reader's language", (t) => {
  const { trainingInstitutionId } = errorsOf({ ...applicationNeedingTraining(), trainingInstitutionId: undefined });
  t.is(
    checkMessage(zh, trainingInstitutionId),
    '为必填项：焊工属于就业准入职业，申报人为新生劳动力，须先经培训（已交培训结业证书的除外）',
  );
  t.is(
    checkMessage(en, trainingInstitutionId),
    'is required unless the training completion certificate is handed in: Welder is an employment-access occupation ' +
      'and the candidate is new labour force, who must train first',
  );
});
