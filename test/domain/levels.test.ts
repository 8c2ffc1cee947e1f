import test from 'ava';
import { isLevel, Level, LEVELS, levelTitle, levelTitleZh, requiresComprehensiveReview } from '../../domain/levels';

test('the five levels are listed from primary up to senior technician', (t) => {
  t.deepEqual([...LEVELS], [5, 4, 3, 2, 1]);
  t.is(Level.Primary, 5);
  t.is(Level.SeniorTechnician, 1);
});

const titles = test.macro((t, level: Level, english: string, chinese: string) => {
  t.is(levelTitle(level), english);
  t.is(levelTitleZh(level), chinese);
});

test('level 5 is titled primary', titles, Level.Primary, 'Level 5 (primary)', '五级/初级工');
test('level 4 is titled intermediate', titles, Level.Intermediate, 'Level 4 (intermediate)', '四级/中级工');
test('level 3 is titled advanced', titles, Level.Advanced, 'Level 3 (advanced)', '三级/高级工');
test('level 2 is titled technician', titles, Level.Technician, 'Level 2 (technician)', '二级/技师');
test(
  'level 1 is titled senior technician',
  titles,
  Level.SeniorTechnician,
  'Level 1 (senior technician)',
  '一级/高级技师',
);

test('only whole numbers from 1 to 5 are levels', (t) => {
  for (const level of [1, 2, 3, 4, 5]) t.true(isLevel(level), String(level));
  for (const other of [0, 6, 2.5, '3', null, undefined, Number.NaN]) t.false(isLevel(other), String(other));
});

test('only technicians and senior technicians face the comprehensive review', (t) => {
  t.deepEqual(
    LEVELS.filter((l) => requiresComprehensiveReview(l)),
    [Level.Technician, Level.SeniorTechnician],
  );
});
