import { testWithHarness } from '../helpers/harness';
import { BrowserSession, startWeb, visibleText, apiAs } from '../helpers/web';
import { applicationFor } from '../helpers/applications';
import { Level } from '../../domain/levels';

const test = testWithHarness({ flavour: 'dev-server' });

test('smoke', async (t) => {
  const web = await startWeb(t.context);
  try {
    const clerk = new BrowserSession(web.base);
    const home = await clerk.signIn('sun.clerk');
    t.log(home.status, home.url, visibleText(home.html).slice(0, 300));
    const form = await clerk.get('/applications/new');
    t.log(form.status, visibleText(form.html).slice(0, 500));
    const api = await apiAs(web.base, 'sun.clerk');
    const { applicationNumber: _n, stationId: _s, guidanceCenterId: _g, departmentId: _d, ...app } = applicationFor(Level.Primary);
    const created = await api.post('/api/applications', app);
    t.log(created.status, JSON.stringify(created.body).slice(0, 300));
    const reviewer = new BrowserSession(web.base);
    await reviewer.signIn('li.station-reviewer');
    await new Promise((r) => setTimeout(r, 1500));
    const inbox = await reviewer.get('/inbox');
    t.log(inbox.status, visibleText(inbox.html).slice(0, 800));
    const casePage = await clerk.get(`/cases/${created.body.applicationNumber}`);
    t.log(casePage.status, visibleText(casePage.html).slice(0, 1500));
    t.pass();
  } finally {
    await web.close();
  }
});
