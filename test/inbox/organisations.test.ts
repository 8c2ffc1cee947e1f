/**
 * The organisation registry, as an administrator keeps it: a station added through the API with its reporting line
 * and coding block takes an application through to a certificate whose number carries that station's codes; a block
 * changed afterwards counts for later numbers only; a station without its center, a code of the wrong length or a
 * change of kind is refused by field and changes nothing; a file is previewed row by row, and saved only whole; the
 * page's form adds one; and nobody but an administrator may read or change the registry. Every change is in the
 * audit chain.
 */
import { createCertificateActivities } from '../../activities/certificates';
import { Level } from '../../domain/levels';
import { auditTrailOf, verifyAuditChain } from '../../records/audit';
import { listRegistry, organisationAuditKey } from '../../records/organisations';
import { applicationFor, nextApplicationNumber } from '../helpers/applications';
import { driveTo, type StationPeople, stationSteps, waitForState } from '../helpers/cases';
import { testWithHarness } from '../helpers/harnessTests';
import { apiAs, visibleText } from '../helpers/web';
import { addAccount, caseHandle, fieldMessage, inboxWebFor, inputValue, intake } from './fixtures';

const test = testWithHarness({ flavour: 'dev-server' });
const app = inboxWebFor(test);

const block = (siteSerial: string) => ({
  category: 'S',
  institutionCode: '0000',
  provinceCode: '51',
  siteSerial,
  legacyProvinceCode: '51',
  legacyCityCode: '07',
  legacyInstitutionType: 2,
  legacyInstitutionSerial: '777',
});

const station = (name: string, siteSerial: string) => ({
  name,
  kind: 'station',
  province: 'demo-province',
  guidanceCenterId: 'center-1',
  departmentId: 'department-1',
  ...block(siteSerial),
});

const registryIds = async (db: Parameters<typeof listRegistry>[0]) => (await listRegistry(db)).map((org) => org.id);

test.serial(
  'a station added through the API issues certificates whose numbers carry its own coding block',
  async (t) => {
    const h = t.context;
    const admin = await apiAs(app.web.base, 'admin');
    const added = await admin.put('/api/admin/organisations/station-c', station('南城职业技能鉴定站', '000777'));
    t.is(added.status, 201, JSON.stringify(added.body));
    t.like(added.body.organisation, { id: 'station-c', siteSerial: '000777', guidanceCenterId: 'center-1' });

    const people: StationPeople = {
      clerk: { id: 'qin.clerk-c', groups: ['station-c:clerks'] },
      reviewer: { id: 'tang.reviewer-c', groups: ['station-c:reviewers'] },
      examiner: { id: 'luo.examiner-c', groups: ['station-c:examiners'] },
    };
    for (const person of Object.values(people)) await addAccount(h.deps.db, person.id, person.id, person.groups);
    const number = await intake(
      await apiAs(app.web.base, people.clerk.id),
      applicationFor(Level.Primary, { applicationNumber: nextApplicationNumber('station-c') }),
    );
    const handle = caseHandle(h, number);
    await driveTo(handle, undefined, stationSteps(people, { knowledge: 85, skills: 88 }));
    const view = await waitForState(handle, 'its certificate', (v) => v.certificate !== undefined);
    const year = view.certificate!.issuedOn.slice(2, 4);
    // S · institution 0000 · province 51 · site 000777 · year · level 5 · the station's first serial.
    t.is(view.certificate!.number, `S000051000777${year}5000001`);

    const page = await app.who.api('admin');
    const listed = await page.get('/api/admin/organisations');
    t.like(
      (listed.body.organisations as { id: string }[]).find((org) => org.id === 'station-c'),
      { name: '南城职业技能鉴定站', kind: 'station', siteSerial: '000777' },
    );
    t.deepEqual(
      (await auditTrailOf(h.deps.db, organisationAuditKey('station-c'))).map((entry) => [entry.action, entry.actor]),
      [['organisation-created', 'admin']],
    );
  },
);

test.serial('a changed coding block counts for numbers issued afterwards; an issued number stays', async (t) => {
  const h = t.context;
  const admin = await apiAs(app.web.base, 'admin');
  t.is((await admin.put('/api/admin/organisations/station-d', station('北城职业技能鉴定站', '000801'))).status, 201);
  const { assignCertificateNumber } = createCertificateActivities({
    db: h.deps.db,
    seal: h.deps.seal,
    format: 'skill-level',
  });
  const assign = (applicationNumber: string) =>
    assignCertificateNumber({
      applicationNumber,
      level: Level.Primary,
      stationId: 'station-d',
      issuedOn: '2026-12-01',
    });
  const first = await assign('QF-BLOCK-1');
  const changed = await admin.put('/api/admin/organisations/station-d', station('北城职业技能鉴定站', '000802'));
  t.is(changed.status, 200, JSON.stringify(changed.body));
  t.is(changed.body.message, 'The change to 北城职业技能鉴定站 was saved.');
  const second = await assign('QF-BLOCK-2');
  t.is(first.number, 'S000051000801265000001');
  t.is(second.number, 'S000051000802265000001');
  t.is((await assign('QF-BLOCK-1')).number, first.number, 'asked again, the first case keeps its number');
  const trail = await auditTrailOf(h.deps.db, organisationAuditKey('station-d'));
  t.deepEqual(
    trail.map((entry) => entry.action),
    ['organisation-created', 'organisation-changed'],
  );
  t.like(JSON.parse(trail[1].details ?? '{}'), {
    before: { codingBlock: { siteSerial: '000801' } },
    after: { codingBlock: { siteSerial: '000802' } },
  });
  t.true((await verifyAuditChain(h.deps.db)).ok);
});

test.serial('an organisation’s page shows its change history, newest first and field by field', async (t) => {
  const admin = await apiAs(app.web.base, 'admin');
  t.is((await admin.put('/api/admin/organisations/station-k', station('江北职业技能鉴定站', '000301'))).status, 201);
  const renamed = { ...station('江北区职业技能鉴定站', '000302'), departmentId: 'department-1' };
  t.is((await admin.put('/api/admin/organisations/station-k', renamed)).status, 200);

  const history = await admin.get('/api/admin/organisations/station-k/history');
  t.is(history.status, 200, JSON.stringify(history.body));
  t.deepEqual(
    history.body.history.map((event: { action: string; by: string }) => [event.action, event.by]),
    [
      ['organisation-changed', 'admin'],
      ['organisation-created', 'admin'],
    ],
  );
  t.deepEqual(history.body.history[0].changes, [
    { field: 'name', before: '江北职业技能鉴定站', after: '江北区职业技能鉴定站' },
    { field: 'siteSerial', before: '000301', after: '000302' },
  ]);
  t.like(
    history.body.history[1].changes.find((change: { field: string }) => change.field === 'kind'),
    {
      after: 'station',
    },
  );
  t.is((await admin.get('/api/admin/organisations/station-nowhere/history')).status, 404);

  const browser = await app.who.browser('admin');
  const page = visibleText((await browser.get('/admin/organisations/station-k')).html);
  t.true(page.includes('Change history'), page);
  t.true(page.includes('Organisation changed'));
  t.true(page.includes('Name: 江北职业技能鉴定站 → 江北区职业技能鉴定站'));
  t.true(page.includes('Site serial: 000301 → 000302'));
  t.true(page.includes('Kind: appraisal station'), 'a kind is shown in words');
});

test.serial('a refused change says what is wrong by field and changes nothing', async (t) => {
  const h = t.context;
  const admin = await apiAs(app.web.base, 'admin');
  const before = await listRegistry(h.deps.db);

  const { guidanceCenterId: _center, ...orphan } = station('无中心鉴定站', '000900');
  const noCenter = await admin.put('/api/admin/organisations/station-x', orphan);
  t.is(noCenter.status, 422);
  t.is(
    noCenter.body.errors.guidanceCenterId,
    'A station must name the guidance center and the department it reports to.',
  );

  const shortSerial = await admin.put('/api/admin/organisations/station-x', station('短序号鉴定站', '9'));
  t.is(shortSerial.status, 422);
  t.is(shortSerial.body.errors.siteSerial, 'Exactly 6 digits.');

  const wrongReference = await admin.put('/api/admin/organisations/station-x', {
    ...station('错中心鉴定站', '000901'),
    guidanceCenterId: 'department-1',
  });
  t.is(wrongReference.status, 422);
  t.is(wrongReference.body.errors.guidanceCenterId, 'department-1 is of another kind; choose a guidance center.');

  const kindChange = await admin.put('/api/admin/organisations/center-1', {
    name: '市职业技能鉴定指导中心',
    kind: 'department',
    province: 'demo-province',
  });
  t.is(kindChange.status, 422);
  t.is(kindChange.body.errors.kind, 'An organisation keeps its kind; this one is registered as: guidance center.');

  const badId = await admin.put('/api/admin/organisations/Station%20X', station('大写鉴定站', '000902'));
  t.is(badId.status, 422);
  t.truthy(badId.body.errors.id);

  t.deepEqual(await listRegistry(h.deps.db), before);
});

test.serial('an imported file is previewed row by row, and saved only whole', async (t) => {
  const h = t.context;
  const admin = await apiAs(app.web.base, 'admin');
  const header =
    '编码,名称,类型,所属省份,指导中心,主管部门,类别,机构代码,省份代码,站点序号,旧版省份代码,旧版地市代码,旧版机构类型,旧版机构序号';
  const good = [
    header,
    'center-2,第二鉴定指导中心,指导中心,demo-province,,,,,,,,,,',
    'station-e,东郊职业技能鉴定站,鉴定站,demo-province,center-2,department-1,S,0000,51,000950,51,07,2,950',
  ].join('\n');
  const bad = [
    header,
    'station-f,西郊职业技能鉴定站,鉴定站,demo-province,center-9,department-1,S,0000,51,000951,51,07,2,951',
    'station-g,南郊职业技能鉴定站,鉴定站,demo-province,center-1,department-1,S,0000,51,12,51,07,2,952',
  ].join('\n');
  const post = (body: string, query = '') =>
    fetch(`${app.web.base}/api/admin/organisations/import${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv', 'accept-language': 'en' },
      body,
    }).then(async (response) => ({
      status: response.status,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- read as the API client reads answers
      body: (await response.json()) as Record<string, any>,
    }));

  const refused = await post(bad, '?confirm=true');
  t.is(refused.status, 422);
  t.is(refused.body.error, '2 of 2 rows have mistakes; nothing was saved.');
  t.is(refused.body.errors['row 2.guidanceCenterId'], 'No organisation has the id center-9.');
  t.is(refused.body.errors['row 3.siteSerial'], 'Exactly 6 digits.');
  t.false((await registryIds(h.deps.db)).includes('station-g'), 'the good-looking row was not saved either');

  const preview = await post(good);
  t.is(preview.status, 200);
  t.deepEqual(
    preview.body.rows.map((row: { line: number; effect: string }) => [row.line, row.effect]),
    [
      [2, 'new'],
      [3, 'new'],
    ],
  );
  t.false((await registryIds(h.deps.db)).includes('center-2'), 'a preview saves nothing');

  const saved = await post(good, '?confirm=true');
  t.is(saved.status, 200, JSON.stringify(saved.body));
  t.is(saved.body.message, 'Import saved: 2 added, 0 changed, 0 unchanged.');
  t.like(
    (await listRegistry(h.deps.db)).find((org) => org.id === 'station-e'),
    { kind: 'station', guidanceCenterId: 'center-2', codingBlock: { siteSerial: '000950' } },
  );
  const again = await post(good, '?confirm=true');
  t.is(again.body.message, 'Import saved: 0 added, 0 changed, 2 unchanged.');
});

test.serial('the page imports a province-sized file: previewed, kept on the server, confirmed once', async (t) => {
  const h = t.context;
  // 1,200 training institutions: more rows than a form could carry back.
  const lines = ['id,name,kind,province'];
  for (let i = 1; i <= 1200; i++) lines.push(`school-${i},第${i}职业培训学校,training-institution,demo-province`);
  const file = { name: '培训机构.csv', bytes: new TextEncoder().encode(lines.join('\n')), type: 'text/csv' };
  const admin = await app.who.browser('admin');
  await admin.get('/admin/organisations');
  const preview = await admin.postFiles('/admin/organisations/import', {}, { file });
  t.is(preview.status, 200);
  t.true(visibleText(preview.html).includes('All 1200 rows can be saved.'));
  const kept = inputValue(preview.html, 'preview') ?? '';
  t.regex(kept, /^[\w-]{20,}$/, 'the form names the kept rows; it does not carry them');
  t.false((await registryIds(h.deps.db)).includes('school-1'), 'a preview saves nothing');

  // Kept for the browser that previewed it: another administrator's session cannot confirm it.
  const other = await app.who.browser('admin');
  await other.get('/admin/organisations');
  const refused = await other.post('/admin/organisations/import/confirm', { preview: kept });
  t.true(visibleText(refused.html).includes('This preview was already saved, or is more than an hour old'));
  t.false((await registryIds(h.deps.db)).includes('school-1'));

  const saved = await admin.post('/admin/organisations/import/confirm', { preview: kept });
  t.true(visibleText(saved.html).includes('Import saved: 1200 added, 0 changed, 0 unchanged.'), saved.html);
  const registry = await registryIds(h.deps.db);
  t.true(registry.includes('school-1') && registry.includes('school-1200'));

  // A second click on the same confirmation finds nothing to save, and says so.
  const twice = await admin.post('/admin/organisations/import/confirm', { preview: kept });
  t.true(visibleText(twice.html).includes('This preview was already saved, or is more than an hour old'));
  const trail = await h.deps.db
    .selectFrom('audit_log')
    .select('workflow_id')
    .where('workflow_id', 'like', 'organisation:school-%')
    .execute();
  t.is(trail.length, 1200, 'each organisation added once');
});

test.serial('the page adds a station from its form, and puts a refused form back as typed', async (t) => {
  const h = t.context;
  const browser = await app.who.browser('admin');
  const page = await browser.get('/admin/organisations');
  t.is(page.status, 200);
  t.true(visibleText(page.html).includes('东城职业技能鉴定站'));

  const form = {
    id: 'station-h',
    name: '高新区职业技能鉴定站',
    kind: 'station',
    province: 'demo-province',
    guidanceCenterId: 'center-1',
    departmentId: 'department-1',
    category: 'S',
    institutionCode: '0000',
    provinceCode: '51',
    siteSerial: '0012',
    legacyProvinceCode: '51',
    legacyCityCode: '07',
    legacyInstitutionType: '2',
    legacyInstitutionSerial: '120',
  };
  const refused = await browser.post('/admin/organisations', form);
  t.is(refused.location, '/admin/organisations');
  t.is(fieldMessage(refused.html, 'org-site-serial'), 'Exactly 6 digits.');
  t.true(refused.html.includes("value='高新区职业技能鉴定站'"), 'the name is kept as typed');
  t.false((await registryIds(h.deps.db)).includes('station-h'));

  const added = await browser.post('/admin/organisations', { ...form, siteSerial: '000012' });
  t.true(visibleText(added.html).includes('高新区职业技能鉴定站 was added.'));
  t.true(visibleText(added.html).includes('S 0000 51 000012 51 07 2 120'));

  const again = await browser.post('/admin/organisations', { ...form, siteSerial: '000012' });
  t.is(
    fieldMessage(again.html, 'org-id'),
    'An organisation with the id station-h exists already: change it from the list.',
  );
});

test.serial('nobody but an administrator reads or changes the registry', async (t) => {
  const h = t.context;
  const reviewer = await apiAs(app.web.base, 'wu.center-reviewer');
  t.is((await reviewer.get('/api/admin/organisations')).status, 403);
  t.is((await reviewer.get('/api/admin/organisations/station-a/history')).status, 403);
  t.is((await reviewer.put('/api/admin/organisations/station-z', station('越权鉴定站', '000999'))).status, 403);
  const browser = await app.who.browser('li.station-reviewer');
  t.is((await browser.get('/admin/organisations')).status, 403);
  t.is((await browser.get('/admin/organisations/station-a')).status, 403);
  t.is(
    (await browser.post('/admin/organisations', { id: 'station-z', name: '越权', kind: 'department', province: 'p' }))
      .status,
    403,
  );
  t.false((await registryIds(h.deps.db)).includes('station-z'));
});
