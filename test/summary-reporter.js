/**
 * After Jest's own summary: one line per skipped test with its full title (skipped suites
 * put their reason in the title, e.g. "MongoDB store contract (skipped: MONGODB_URI is not
 * set …)"), then one plain closing line, `tests: N passed, N failed, N skipped`, so CI logs
 * state the counts and the reasons in a form any log reader recognises.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') {
          process.stdout.write(`skipped: ${[...test.ancestorTitles, test.title].join(' › ')}\n`);
        }
      }
    }
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    process.stdout.write(
      `tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
