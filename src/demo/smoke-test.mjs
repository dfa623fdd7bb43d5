// The demo pipeline's smoke test (a runJob stage): asks the staging load balancer for the front
// page and the version a number of times and fails unless every answer is a 200 from the version
// the pipeline just baked. Usage: node smoke-test.mjs <lb address> <expected version>
const [address, expected] = process.argv.slice(2);
if (!address || !expected) {
  process.stderr.write('usage: node smoke-test.mjs HOST:PORT VERSION\n');
  process.exit(2);
}

const ROUNDS = 10;
let failures = 0;
for (let i = 1; i <= ROUNDS; i += 1) {
  const path = i % 2 ? '/' : '/version';
  try {
    const res = await fetch(`http://${address}${path}`, { signal: AbortSignal.timeout(5000) });
    const served = res.headers.get('x-app-version');
    const ok = res.status === 200 && served === expected;
    if (!ok) failures += 1;
    // Green for a pass, red for a failure: the execution's log viewer renders ANSI colours.
    const mark = ok ? '\u001b[32mPASS\u001b[0m' : '\u001b[31mFAIL\u001b[0m';
    process.stdout.write(`${mark} GET ${path} -> HTTP ${res.status}, version ${served ?? '(none)'} (want ${expected})\n`);
    await res.arrayBuffer();
  } catch (err) {
    failures += 1;
    process.stdout.write(`\u001b[31mFAIL\u001b[0m GET ${path} -> ${err.message}\n`);
  }
}
process.stdout.write(`${ROUNDS - failures}/${ROUNDS} requests passed\n`);
process.exit(failures === 0 ? 0 : 1);
