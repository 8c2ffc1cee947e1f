/**
 * Duplicates refused at intake: a person with an open case in the same occupation and level, or a valid certificate in
 * the occupation at that level or higher, is not taken in again. The refusal names the case to a clerk who may see it
 * and only says that one exists to anyone else; on the form it stands beside the ID number.
 */
import type { ApplicationInput } from '../../domain/application';
import { Level } from '../../domain/levels';
import { applicationFor, ineligibleApplication, nextIdNumber } from '../helpers/applications';
import { driveTo } from '../helpers/cases';
import { stateOf } from '../helpers/harness';
import { testWithHarness } from '../helpers/harnessTests';
import { BrowserSession, type WebApp } from '../helpers/web';
import { caseHandle, fieldMessage, inputValue, intake, type People, startInboxWeb } from './fixtures';
import { apiBody, openForm, validForm } from './intakeForms';

const test = testWithHarness({ flavour: 'dev-server' });

let web: WebApp;
let who: People;

// Serial, so it waits for the harness's own hook (ava starts concurrent hooks together).
test.serial.before(async (t) => {
  ({ web, who } = await startInboxWeb(t.context));
});
test.after.always(async () => {
  await web?.close();
});

/** One person's application, at a level; each test names its own person. */
const of = (idNumber: string, level = Level.Primary, overrides: Partial<ApplicationInput> = {}) => {
  const application = applicationFor(level, overrides);
  return { ...application, candidate: { ...application.candidate, idNumber } };
};

test('an open case in the same occupation and level is refused with 409, naming the case to its station clerk', async (t) => {
  const person = nextIdNumber();
  const open = await intake(await who.api('sun.clerk'), of(person));

  const again = await (await who.api('sun.clerk')).post('/api/applications', apiBody(of(person)));
  t.is(again.status, 409);
  const said = `this person already has application ${open} open for this occupation at this level`;
  t.deepEqual(again.body, {
    error: `The application was not saved: ${said}.`,
    errors: { 'candidate.idNumber': said },
  });
});

test('another station’s clerk learns only that an open case exists, not which', async (t) => {
  const person = nextIdNumber();
  const open = await intake(await who.api('sun.clerk'), of(person));

  const elsewhere = await (await who.api('he.clerk-b')).post('/api/applications', apiBody(of(person)));
  t.is(elsewhere.status, 409);
  t.is(
    elsewhere.body.errors['candidate.idNumber'],
    'this person already has an open application for this occupation at this level, at another organisation',
  );
  t.false(JSON.stringify(elsewhere.body).includes(open));
});

test('on the form the refusal stands beside the ID number, and everything typed is kept', async (t) => {
  const person = nextIdNumber();
  const open = await intake(await who.api('sun.clerk'), of(person));

  const clerk = await who.browser('sun.clerk');
  const number = await openForm(clerk);
  const page = await clerk.post('/applications', validForm(number, person));
  t.is(page.location, '/applications/new');
  t.is(
    fieldMessage(page.html, 'candidate-idNumber'),
    `this person already has application ${open} open for this occupation at this level`,
  );
  t.is(inputValue(page.html, 'candidate.idNumber'), person);
  t.is(inputValue(page.html, 'applicationNumber'), number);
  t.is((await (await who.api('sun.clerk')).get(`/api/cases/${number}`)).status, 404, 'no case was started');
});

test('the same person may apply at another level while a case is open', async (t) => {
  const person = nextIdNumber();
  await intake(await who.api('sun.clerk'), of(person, Level.Primary));
  const other = await (await who.api('sun.clerk')).post('/api/applications', apiBody(of(person, Level.Intermediate)));
  t.is(other.status, 201, JSON.stringify(other.body));
});

test('a case that closed without a certificate does not stop a new application', async (t) => {
  const person = nextIdNumber();
  const failed = ineligibleApplication();
  const closed = await intake(await who.api('sun.clerk'), {
    ...failed,
    candidate: { ...failed.candidate, idNumber: person },
  });
  t.true((await caseHandle(t.context, closed).result()).closed);

  const retry = await (
    await who.api('sun.clerk')
  ).post('/api/applications', apiBody(of(person, failed.level, { occupation: failed.occupation })));
  t.is(retry.status, 201, JSON.stringify(retry.body));
});

test('a valid certificate at that level or higher is refused; a higher level is open to the holder', async (t) => {
  const person = nextIdNumber();
  const held = await intake(await who.api('sun.clerk'), of(person, Level.Intermediate));
  await driveTo(caseHandle(t.context, held));
  const certificate = (await stateOf(caseHandle(t.context, held))).certificate!.number;

  const clerk = await who.api('sun.clerk');
  for (const level of [Level.Intermediate, Level.Primary]) {
    const refused = await clerk.post('/api/applications', apiBody(of(person, level)));
    t.is(refused.status, 409, `level ${level}`);
    t.is(
      refused.body.errors['candidate.idNumber'],
      `this person already holds certificate ${certificate} for this occupation at this level or higher`,
    );
  }
  const elsewhere = await (await who.api('he.clerk-b')).post('/api/applications', apiBody(of(person, Level.Primary)));
  t.is(
    elsewhere.body.errors['candidate.idNumber'],
    'this person already holds a valid certificate for this occupation at this level or higher',
  );
  const higher = await clerk.post('/api/applications', apiBody(of(person, Level.Advanced)));
  t.is(higher.status, 201, JSON.stringify(higher.body));
});

test('the refusal reads in Chinese for a Chinese clerk', async (t) => {
  const person = nextIdNumber();
  const open = await intake(await who.api('sun.clerk'), of(person));
  const chinese = new BrowserSession(web.base, 'zh-CN');
  await chinese.signIn('sun.clerk');
  const number = await openForm(chinese);
  const page = await chinese.post('/applications', { ...validForm(number, person), 'candidate.name': '王芳' });
  t.is(fieldMessage(page.html, 'candidate-idNumber'), `此人在本职业本等级已有在办申请 ${open}`);
});
