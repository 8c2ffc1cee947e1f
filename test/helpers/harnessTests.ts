/**
 * The ava side of the harness: tests that own their cases, and the test function of a file that shares one harness.
 * Apart from harness.ts so that scripts (test/replay/record.ts) can build a harness without ava, which refuses to be
 * imported outside its own runner.
 */
import anyTest, { type TestFn } from 'ava';
import { createHarness, type Harness, type HarnessOptions } from './harness';

/**
 * On a time-skipping server every test of a file shares one clock, so each test owns its cases: whatever it left
 * running ends with it, before the next test moves the clock. Such files run their tests serially (`test.serial`).
 */
export function endEachTestsWorkflows<C extends Harness | { h: Harness }>(test: TestFn<C>): void {
  const harnessOf = (context: C): Harness | undefined => ('h' in context ? context.h : (context as Harness));
  test.beforeEach((t) => harnessOf(t.context)?.beginTest());
  test.afterEach.always(async (t) => {
    if (t.context) await harnessOf(t.context)?.endTest();
  });
}

/**
 * The test function of a file that shares one harness: built before its first test, torn down after its last.
 * Time-skipping files run their tests serially anyway (`test.serial`), since the server's clock is shared.
 */
export function testWithHarness(options: HarnessOptions): TestFn<Harness> {
  const test = anyTest as TestFn<Harness>;
  test.before(async (t) => {
    t.context = await createHarness(options);
  });
  if (options.flavour === 'time-skipping') endEachTestsWorkflows(test);
  test.after.always(async (t) => {
    await t.context?.teardown();
  });
  return test;
}
