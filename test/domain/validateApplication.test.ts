import test from 'ava';
import type { ApplicationInput } from '../../domain/application';
import { Level } from '../../domain/levels';
import { message } from '../../domain/messages';
import { checkCatalogue } from '../../domain/occupations';
import {
  DOCUMENT_KINDS,
  requiredDocuments,
  validateApplication,
  type FieldErrors,
} from '../../domain/validateApplication';
import { application, evidence, TODAY } from './fixtures';

const ctx = { today: TODAY };

/** What a check says: its catalogue key and values (inbox-ui/applicationForm.ts puts them into words). */
const check = (key: string, values?: Record<string, string | number>) => message(`intake:check.${key}`, values);

/** A deep copy as plain JSON, which can then be broken in ways the type would not allow. */
// JSON.parse gives `any` on purpose: the tests break the shape in ways the type forbids.
function json(app: ApplicationInput = application()) {
  return JSON.parse(JSON.stringify(app));
}

function errorsOf(input: unknown, today = TODAY): FieldErrors {
  const result = validateApplication(input, { today });
  if (result.ok) throw new Error('expected the application to be refused');
  return result.errors;
}

test('a valid application is accepted unchanged', (t) => {
  const app = application();
  t.deepEqual(validateApplication(app, ctx), { ok: true, value: app });
});

test('the accepted copy is normalised: trimmed strings, upper-case x, unknown properties dropped', (t) => {
  const input = json();
  input.candidate.idNumber = ' 11010519491231002x ';
  input.candidate.name = '  Wang Fang ';
  input.stationId = ' station-beijing-01 ';
  input.documents[0].reference = ' register/2026/0001/id ';
  input.isAdmin = true;
  input.candidate.salary = 1000;
  input.evidence.extra = 'x';
  input.documents[1].size = 12;
  input.candidate.phone = '';
  input.specialty = '   ';
  const result = validateApplication(input, ctx);
  t.deepEqual(result, { ok: true, value: application() });
});

test('a held certificate number and its dates are kept, the number in capitals', (t) => {
  const app = application({
    level: Level.Intermediate,
    evidence: evidence({
      continuousWorkYears: 7,
      heldCertificates: [
        { level: Level.Primary, occupation: 'lathe-worker', number: 's000011000001195000123', issuedOn: '2019-06-01' },
      ],
      school: { kind: 'technical', graduatedOn: '2018-07-01', apprenticeshipCompleted: false },
      technicalInnovations: [' better jig '],
    }),
  });
  const result = validateApplication(app, ctx);
  t.true(result.ok);
  if (!result.ok) return;
  t.deepEqual(result.value.evidence.heldCertificates, [
    { level: Level.Primary, occupation: 'lathe-worker', number: 'S000011000001195000123', issuedOn: '2019-06-01' },
  ]);
  t.deepEqual(result.value.evidence.school, {
    kind: 'technical',
    graduatedOn: '2018-07-01',
    apprenticeshipCompleted: false,
  });
  t.deepEqual(result.value.evidence.technicalInnovations, ['better jig']);
});

test('every error is reported at once, keyed by dotted path', (t) => {
  const input = json();
  input.applicationNumber = 'app-1';
  input.stationId = '  ';
  delete input.guidanceCenterId;
  input.candidate.name = '';
  input.candidate.idNumber = '440524188001010015';
  input.candidate.email = 'wang at example.org';
  input.occupation = 'astronaut';
  input.level = 6;
  input.evidence.continuousWorkYears = -1;
  input.evidence.yearsInOccupation = 'ten';
  input.evidence.newLabourForce = 'no';
  input.evidence.heldCertificates = [
    { level: 5, occupation: 'lathe-worker', number: '1610012003400123', issuedOn: '2026-02-30' },
  ];
  input.documents = [
    { kind: 'selfie', reference: 'x' },
    { kind: 'photo', reference: '' },
  ];
  t.deepEqual(errorsOf(input), {
    applicationNumber: check('applicationNumber'),
    stationId: check('empty'),
    guidanceCenterId: check('required'),
    'candidate.name': check('empty'),
    'candidate.idNumber': check('idCheck', { expected: '4' }),
    'candidate.email': check('email'),
    occupation: check('unknownOccupation', { code: 'astronaut' }),
    level: check('level'),
    'evidence.continuousWorkYears': check('negative'),
    'evidence.yearsInOccupation': check('number'),
    'evidence.newLabourForce': check('boolean'),
    'evidence.heldCertificates.0.issuedOn': check('date'),
    'documents.0.kind': check('oneOf', { choices: DOCUMENT_KINDS.join(', ') }),
    'documents.1.reference': check('empty'),
    documents: check('missingDocuments', { documents: 'id-document', count: 1 }),
  });
});

test('dates after today are refused wherever they appear', (t) => {
  const input = json();
  input.evidence.school = { kind: 'vocational', graduatedOn: '2026-03-16', apprenticeshipCompleted: true };
  input.evidence.seniorTrainingCompletedOn = '2027-01-01';
  input.evidence.heldCertificates = [
    { level: 5, occupation: 'lathe-worker', number: '2610012003500001', issuedOn: '2026-03-16' },
  ];
  t.deepEqual(errorsOf(input), {
    'evidence.school.graduatedOn': check('future', { today: '2026-03-15' }),
    'evidence.seniorTrainingCompletedOn': check('future', { today: '2026-03-15' }),
    'evidence.heldCertificates.0.issuedOn': check('future', { today: '2026-03-15' }),
  });
});

test('an ID number with a birth date after today is refused', (t) => {
  const input = json();
  input.candidate.idNumber = '11010519491231002X';
  t.deepEqual(errorsOf(input, '1949-12-30'), { 'candidate.idNumber': check('idBirthFuture') });
});

test('an unknown ID type is reported and its number is not judged', (t) => {
  const input = json();
  input.candidate.idType = 'driving-licence';
  t.deepEqual(errorsOf(input), {
    'candidate.idType': check('oneOf', { choices: 'resident-id, passport, residence-permit' }),
  });
});

test('a passport holder is accepted with a passport number', (t) => {
  const input = json();
  input.candidate.idType = 'passport';
  input.candidate.idNumber = ' e12345678 ';
  const result = validateApplication(input, ctx);
  t.true(result.ok);
  if (result.ok) t.is(result.value.candidate.idNumber, 'E12345678');
});

test('a held certificate with a malformed number is refused with the reason', (t) => {
  const input = json();
  input.evidence.heldCertificates = [
    { level: 5, occupation: '', number: 'Y000123XXXXXX195000001', issuedOn: '2019-06-01' },
  ];
  t.deepEqual(errorsOf(input), {
    'evidence.heldCertificates.0.occupation': check('empty'),
    'evidence.heldCertificates.0.number': message('verify:check.skillDigits'),
  });
});

test('the wrong shapes are named: object, array, string', (t) => {
  const input = json();
  input.candidate = 'Wang Fang';
  input.evidence.heldCertificates = {};
  input.evidence.school = [];
  input.documents = 'photo';
  input.departmentId = 42;
  t.deepEqual(errorsOf(input), {
    candidate: check('object'),
    'evidence.heldCertificates': check('array'),
    'evidence.school': check('object'),
    documents: check('array'),
    departmentId: check('string'),
  });
});

test('something other than an object is refused as a whole', (t) => {
  for (const input of [null, 'application', [application()], 42]) {
    t.deepEqual(errorsOf(input), { application: check('jsonObject') }, JSON.stringify(input));
  }
});

test('technician levels also require a technical summary', (t) => {
  t.deepEqual(requiredDocuments(Level.Primary), ['id-document', 'photo']);
  t.deepEqual(requiredDocuments(Level.Technician), ['id-document', 'photo', 'technical-summary']);
  t.deepEqual(requiredDocuments(Level.SeniorTechnician), ['id-document', 'photo', 'technical-summary']);
  const input = json(application({ level: Level.Technician }));
  t.deepEqual(errorsOf(input), { documents: check('missingDocuments', { documents: 'technical-summary', count: 1 }) });
  input.documents = [];
  t.deepEqual(errorsOf(input), {
    documents: check('missingDocuments', { documents: 'id-document, photo, technical-summary', count: 3 }),
  });
  input.documents = [
    { kind: 'photo', reference: 'p.jpg' },
    { kind: 'id-document', reference: 'id.pdf' },
    { kind: 'technical-summary', reference: 'summary.pdf' },
  ];
  t.true(validateApplication(input, ctx).ok);
});

test('new labour force in an employment-access occupation must name a training institution', (t) => {
  const input = json(application({ evidence: evidence({ newLabourForce: true }) }));
  t.deepEqual(errorsOf(input), {
    trainingInstitutionId: check('trainingRequired', { occupation: 'lathe-worker' }),
  });
  input.trainingInstitutionId = ' school-7 ';
  const result = validateApplication(input, ctx);
  t.true(result.ok);
  if (result.ok) t.is(result.value.trainingInstitutionId, 'school-7');
});

test('new labour force who handed in a training completion certificate needs no training institution', (t) => {
  const input = json(application({ evidence: evidence({ newLabourForce: true }) }));
  input.documents.push({ kind: 'training-completion', reference: 'register/2026/0001/training' });
  const result = validateApplication(input, ctx);
  t.true(result.ok);
  if (result.ok) t.is(result.value.trainingInstitutionId, undefined);
});

test('a training completion certificate without a reference is not handed in', (t) => {
  const input = json(application({ evidence: evidence({ newLabourForce: true }) }));
  input.documents.push({ kind: 'training-completion', reference: '  ' });
  t.deepEqual(errorsOf(input), {
    'documents.2.reference': check('empty'),
    trainingInstitutionId: check('trainingRequired', { occupation: 'lathe-worker' }),
  });
});

test('new labour force in an ordinary occupation needs no training institution', (t) => {
  const input = json(application({ occupation: 'baker', evidence: evidence({ newLabourForce: true }) }));
  t.true(validateApplication(input, ctx).ok);
});

test('the occupation is looked up in the catalogue passed in', (t) => {
  const catalogue = checkCatalogue([
    { code: 'drone-pilot', name: 'Drone pilot', nameZh: '无人机驾驶员', category: 'transport', employmentAccess: true },
  ]);
  const input = json(application({ occupation: 'drone-pilot' }));
  t.true(validateApplication(input, { today: TODAY, catalogue }).ok);
  t.deepEqual(validateApplication(json(), { today: TODAY, catalogue }), {
    ok: false,
    errors: { occupation: check('unknownOccupation', { code: 'lathe-worker' }) },
  });
});

test('optional attestations must be true or false and innovations must be texts', (t) => {
  const input = json();
  input.evidence.canTrainSeniorWorkers = 'yes';
  input.evidence.technicalInnovations = ['jig', 7];
  t.deepEqual(errorsOf(input), {
    'evidence.canTrainSeniorWorkers': check('boolean'),
    'evidence.technicalInnovations.1': check('string'),
  });
});

test('over-long names and ids are refused', (t) => {
  const input = json();
  input.candidate.name = 'x'.repeat(101);
  input.applicationNumber = 'A'.repeat(41);
  t.deepEqual(errorsOf(input), {
    'candidate.name': check('tooLong', { max: 100 }),
    applicationNumber: check('tooLong', { max: 40 }),
  });
});

test('a name of 100 Chinese characters is within the limit', (t) => {
  const input = json();
  input.candidate.name = '王'.repeat(100);
  t.true(validateApplication(input, ctx).ok);
});

/** What the text rule says of a field (domain/text.ts), naming it. */
const textRefused = (problem: string, field: string) => message(`refusals:text.${problem}`, { field });

test('names and free text refuse control characters, direction overrides, lone surrogates and invisible text', (t) => {
  const input = json();
  input.candidate.name = 'Wang\u0000Fang';
  input.specialty = 'Bread \u202eyrtsap';
  input.candidate.email = 'wang\ud800@example.org';
  input.documents[0].reference = '\u200b\u200c';
  input.evidence.technicalInnovations = ['A jig', 'bell\u0007'];
  t.deepEqual(errorsOf(input), {
    'candidate.name': textRefused('control', 'name'),
    specialty: textRefused('bidi', 'specialty'),
    'candidate.email': textRefused('surrogate', 'email'),
    'documents.0.reference': textRefused('invisible', 'reference'),
    'evidence.technicalInnovations.1': textRefused('control', 'technicalInnovations'),
  });
});

test("a held certificate's number is named as the certificate's, not the application's", (t) => {
  const input = json();
  input.evidence.heldCertificates = [
    { level: Level.Primary, occupation: 'lathe-worker', number: 'S00001100000119500012\u202e', issuedOn: '2019-06-01' },
  ];
  t.deepEqual(errorsOf(input), {
    'evidence.heldCertificates.0.number': textRefused('bidi', 'certificateNumber'),
  });
});

test('text is stored composed (NFC), so the workflow and the case index keep the same name', (t) => {
  const input = json();
  input.candidate.name = ' Le\u0301a Dubois ';
  input.specialty = 'Pa\u0302tisserie';
  const result = validateApplication(input, ctx);
  t.true(result.ok);
  if (!result.ok) return;
  t.is(result.value.candidate.name, 'L\u00e9a Dubois');
  t.is(result.value.specialty, 'P\u00e2tisserie');
});

test('years of work are bounded by a working life, and the message names the field and the bound', (t) => {
  const input = json();
  input.evidence.continuousWorkYears = 1e308;
  input.evidence.yearsInOccupation = 60.5;
  t.deepEqual(errorsOf(input), {
    'evidence.continuousWorkYears': check('tooLarge', { field: 'continuousWorkYears', max: 60 }),
    'evidence.yearsInOccupation': check('tooLarge', { field: 'yearsInOccupation', max: 60 }),
  });
  const longest = json();
  longest.evidence.continuousWorkYears = 60;
  longest.evidence.yearsInOccupation = 60;
  t.true(validateApplication(longest, ctx).ok, 'sixty years is a working life, still possible');
});
