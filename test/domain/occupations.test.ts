import test from 'ava';
import type { DocumentKind } from '../../domain/application';
import {
  checkCatalogue,
  DEFAULT_CATALOGUE,
  findOccupation,
  matchingOccupations,
  occupationName,
  trainingRequired,
  type Occupation,
} from '../../domain/occupations';

test('the catalogue holds every employment-access occupation that DOMAIN.md lists', (t) => {
  const access = DEFAULT_CATALOGUE.filter((o) => o.employmentAccess);
  t.is(access.length, 69);
  const byCategory = (category: string) => access.filter((o) => o.category === category).length;
  t.is(byCategory('production-and-transport'), 40);
  t.is(byCategory('agriculture-forestry-husbandry-fishery-and-water-conservancy'), 3);
  t.is(byCategory('business-and-service'), 20);
  t.is(byCategory('office-staff'), 6);
  for (const code of [
    'lathe-worker',
    'welder',
    'biogas-producer',
    'chinese-pastry-chef',
    'hairdresser',
    'customs-broker',
  ]) {
    t.true(findOccupation(code)?.employmentAccess, code);
  }
});

test('the catalogue also holds ordinary occupations that are not employment-access', (t) => {
  for (const code of ['gardener', 'baker', 'software-tester', 'tea-artisan', 'elderly-care-worker']) {
    t.is(findOccupation(code)?.employmentAccess, false, code);
  }
});

test('an occupation is found by its code, in the default or a given catalogue', (t) => {
  t.deepEqual(findOccupation('lathe-worker'), {
    code: 'lathe-worker',
    name: 'Lathe worker',
    nameZh: '车工',
    classificationCode: '6-18-01-01',
    category: 'production-and-transport',
    employmentAccess: true,
  });
  t.is(findOccupation('astronaut'), undefined);
  const custom = checkCatalogue([
    { code: 'astronaut', name: 'Astronaut', nameZh: '航天员', category: 'special', employmentAccess: false },
  ]);
  t.is(findOccupation('astronaut', custom)?.name, 'Astronaut');
  t.is(findOccupation('lathe-worker', custom), undefined);
});

test('every occupation has a Chinese name, shown to Chinese readers', (t) => {
  const welder = findOccupation('welder') as Occupation;
  t.is(occupationName(welder, 'zh-CN'), '焊工');
  t.is(occupationName(welder, 'en'), 'Welder');
  t.true(DEFAULT_CATALOGUE.every((o) => /\p{Script=Han}/u.test(o.nameZh)));
});

test('a search for an occupation matches the Chinese name, the English name or a part of either', (t) => {
  const codes = (query: string) => matchingOccupations(query).map((o) => o.code);
  t.deepEqual(codes('焊工'), ['welder']);
  t.deepEqual(codes('Welder'), ['welder']);
  t.deepEqual(codes('weld'), ['welder']);
  t.true(codes('焊').includes('welder'));
  t.true(codes('车').includes('lathe-worker'));
  t.deepEqual(codes('6-18-01-01'), ['lathe-worker']);
  t.deepEqual(codes('   '), []);
  t.deepEqual(codes('astronaut'), []);
});

/** A candidate's training facts: new labour force or not, and the kinds of the documents handed in. */
const facts = (newLabourForce: boolean, ...kinds: DocumentKind[]) => ({
  evidence: { newLabourForce },
  documents: ['id-document' as const, 'photo' as const, ...kinds].map((kind) => ({
    kind,
    reference: `register/${kind}`,
  })),
});

test('training is required only for new labour force in an employment-access occupation', (t) => {
  const welder = findOccupation('welder') as Occupation;
  const baker = findOccupation('baker') as Occupation;
  t.true(trainingRequired(welder, facts(true)));
  t.false(trainingRequired(welder, facts(false)));
  t.false(trainingRequired(baker, facts(true)));
  t.false(trainingRequired(baker, facts(false)));
});

test('a training completion certificate handed in means the new worker needs no training', (t) => {
  const welder = findOccupation('welder') as Occupation;
  t.false(trainingRequired(welder, facts(true, 'training-completion')));
  t.true(
    trainingRequired(welder, facts(true, 'work-experience', 'grade-certificate')),
    'other documents are not the training done',
  );
});

test('a checked catalogue keeps only the known fields and trims the names', (t) => {
  const checked = checkCatalogue([
    {
      code: 'x-ray-welder',
      name: ' X-ray welder ',
      nameZh: ' 射线焊工 ',
      category: 'production',
      employmentAccess: true,
      note: 'extra',
    },
  ]);
  t.deepEqual(checked, [
    { code: 'x-ray-welder', name: 'X-ray welder', nameZh: '射线焊工', category: 'production', employmentAccess: true },
  ]);
  t.true(Object.isFrozen(checked));
});

const badCatalogue = test.macro({
  exec(t, data: unknown, message: string) {
    t.throws(() => checkCatalogue(data), { message });
  },
  title: (provided, _data: unknown, message: string) => provided ?? `an edited catalogue is refused: ${message}`,
});

const ok = {
  code: 'gardener',
  name: 'Gardener',
  nameZh: '花卉园艺工',
  category: 'agriculture',
  employmentAccess: false,
};

test(badCatalogue, { occupations: [] }, 'occupation catalogue must be a JSON array of occupations');
test(badCatalogue, [ok, 'welder'], 'occupation catalogue entry 1 must be an object');
test(
  badCatalogue,
  [ok, { ...ok, code: 'Lathe Worker' }],
  'occupation catalogue entry 1 ("Lathe Worker"): code must be lower-case letters and digits joined by hyphens, like "lathe-worker"',
);
test(badCatalogue, [ok, ok], 'occupation catalogue entry 1 ("gardener"): code "gardener" appears more than once');
test(
  badCatalogue,
  [{ ...ok, name: '  ' }],
  'occupation catalogue entry 0 ("gardener"): name must be a non-empty string',
);
test(
  badCatalogue,
  [{ ...ok, nameZh: undefined }],
  'occupation catalogue entry 0 ("gardener"): nameZh (the Chinese name) must be a non-empty string',
);
test(
  badCatalogue,
  [{ ...ok, classificationCode: '6181' }],
  'occupation catalogue entry 0 ("gardener"): classificationCode must look like "6-18-01-01", or be left out',
);
test(
  badCatalogue,
  [{ ...ok, category: 7 }],
  'occupation catalogue entry 0 ("gardener"): category must be a non-empty string',
);
test(
  badCatalogue,
  [{ ...ok, employmentAccess: 'yes' }],
  'occupation catalogue entry 0 ("gardener"): employmentAccess must be true or false',
);
