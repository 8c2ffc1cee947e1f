/**
 * A province configured through the pages, as a new administrator would, in Chinese in a real browser: a station
 * added on the registry's page with its coding block, a reviewer's account added on the accounts page, the reviewer
 * setting a password through the one-time link and finding the station's first application in the inbox. The case
 * then goes through its other steps by the API (the journey test walks every step in the browser), and a stranger's
 * verification page shows a certificate number carrying the new station's codes. Screenshots of each page land in
 * test-output/screenshots as `new-station-*.png`.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { Level } from '../../domain/levels';
import { translator } from '../../i18n';
import { applicationFor, nextApplicationNumber } from '../helpers/applications';
import { launchBrowser, type Page, reloadUntilVisible, screenshot } from '../helpers/browser';
import { driveTo, type StationPeople, stationSteps, waitForState } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, startWeb, type WebApp } from '../helpers/web';
import { addAccount, caseHandle, intake, UNLIMITED_SIGN_IN } from '../inbox/fixtures';
import { DEMO_PASSWORD } from '../../records/demoProvince';

const test = testWithHarness({ flavour: 'dev-server' });
const t = translator('zh-CN');
const PASSWORD = 'dongjiao-reviewer-2026';

let web: WebApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
test.serial.before(async (context) => {
  web = await startWeb(context.context, { signInLimits: UNLIMITED_SIGN_IN });
  browser = await launchBrowser();
});
test.after.always(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await browser?.close();
  await web?.close();
});

async function freshPage(): Promise<Page> {
  const context = await browser.newContext({
    baseURL: web.base,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
  });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  return context.newPage();
}

async function signIn(page: Page, user: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(t('common:signIn.userName'), { exact: true }).fill(user);
  await page.getByLabel(t('common:signIn.password'), { exact: true }).fill(password);
  await page.getByRole('button', { name: t('common:signIn.submit'), exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/inbox');
}

const field = (page: Page, key: string) => page.getByLabel(t(key), { exact: true });

test.serial('a new station configured on the pages issues a certificate whose number carries its codes', async (c) => {
  const h = c.context;
  const admin = await freshPage();
  await signIn(admin, 'admin', DEMO_PASSWORD);

  // The registry: the station, its reporting line and its coding block.
  await admin.getByRole('link', { name: t('common:nav.organisations'), exact: true }).click();
  await admin.getByRole('heading', { level: 1, name: t('organisations:title') }).waitFor();
  await field(admin, 'organisations:field.id').fill('station-e');
  await field(admin, 'organisations:field.name').fill('东郊职业技能鉴定站');
  await field(admin, 'organisations:field.kind').selectOption('station');
  await field(admin, 'organisations:field.province').fill('demo-province');
  await field(admin, 'organisations:field.guidanceCenterId').selectOption('center-1');
  await field(admin, 'organisations:field.departmentId').selectOption('department-1');
  await field(admin, 'organisations:field.category').selectOption('S');
  await field(admin, 'organisations:field.institutionCode').fill('0000');
  await field(admin, 'organisations:field.provinceCode').fill('51');
  await field(admin, 'organisations:field.siteSerial').fill('000777');
  await field(admin, 'organisations:field.legacyProvinceCode').fill('51');
  await field(admin, 'organisations:field.legacyCityCode').fill('07');
  await field(admin, 'organisations:field.legacyInstitutionType').fill('2');
  await field(admin, 'organisations:field.legacyInstitutionSerial').fill('777');
  await admin.getByRole('button', { name: t('organisations:form.saveNew'), exact: true }).click();
  await admin.getByText(t('organisations:saved.created', { name: '东郊职业技能鉴定站' })).waitFor();
  const row = admin.getByRole('row').filter({ hasText: 'station-e' });
  c.regex(await row.innerText(), /S 0000 51 000777 51 07 2 777/);
  await screenshot(admin, 'new-station-organisations');

  // The station's reviewer: an account with its group, and the link to set a password.
  await admin.getByRole('link', { name: t('common:nav.lockedAccounts'), exact: true }).click();
  await admin.getByRole('link', { name: t('accounts:list.add'), exact: true }).click();
  await field(admin, 'accounts:field.username').fill('tang.reviewer-e');
  await field(admin, 'accounts:field.name').fill('唐宁');
  await field(admin, 'accounts:field.email').fill('tang@station-e.example.cn');
  await field(admin, 'accounts:field.organisationId').selectOption('station-e');
  await field(admin, 'accounts:field.groups').fill('station-e:reviewers');
  await admin.getByRole('button', { name: t('accounts:form.saveNew'), exact: true }).click();
  const link = await field(admin, 'accounts:created.link').inputValue();
  await screenshot(admin, 'new-station-account');

  const reviewer = await freshPage();
  await reviewer.goto(new URL(link).pathname);
  await field(reviewer, 'account:change.new').fill(PASSWORD);
  await field(reviewer, 'account:change.repeat').fill(PASSWORD);
  await screenshot(reviewer, 'new-station-password');
  await reviewer.getByRole('button', { name: t('account:reset.submit'), exact: true }).click();
  await reviewer.getByText(t('account:reset.done', { username: 'tang.reviewer-e' })).waitFor();

  // The station's first application, taken in by its clerk, reaches the new reviewer's inbox.
  const people: StationPeople = {
    clerk: { id: 'qin.clerk-e', groups: ['station-e:clerks'] },
    reviewer: { id: 'tang.reviewer-e', groups: ['station-e:reviewers'] },
    examiner: { id: 'luo.examiner-e', groups: ['station-e:examiners'] },
  };
  await addAccount(h.deps.db, people.clerk.id, '秦岚', people.clerk.groups);
  await addAccount(h.deps.db, people.examiner.id, '罗成', people.examiner.groups);
  const application = applicationFor(Level.Primary, { applicationNumber: nextApplicationNumber('station-e') });
  const number = await intake(await apiAs(web.base, people.clerk.id), application);
  await signIn(reviewer, 'tang.reviewer-e', PASSWORD);
  const taskLink = reviewer
    .getByRole('row')
    .filter({ hasText: number })
    .getByRole('link', { name: t('labels:task.station-review') });
  await reloadUntilVisible(reviewer, taskLink, `the station review of ${number}`);
  await screenshot(reviewer, 'new-station-inbox');

  // The rest of the way by the API, each step by the station's own people or the province's.
  const handle = caseHandle(h, number);
  await driveTo(handle, undefined, stationSteps(people, { knowledge: 88, skills: 91 }));
  const view = await waitForState(handle, 'its certificate', (v) => v.certificate !== undefined);
  const certificate = view.certificate!.number;
  c.is(certificate, `S000051000777${view.certificate!.issuedOn.slice(2, 4)}5000001`);

  const stranger = await freshPage();
  await stranger.goto(`/verify/${certificate}`);
  await stranger.getByText(certificate).first().waitFor();
  await stranger.getByText('东郊职业技能鉴定站').first().waitFor();
  await screenshot(stranger, 'new-station-verified');
});
