// Sends load from its own process, so what it measures is the balancer's latency and not the
// event loop of the process that runs the balancer. Prints the LoadReport as JSON.
//   node --import tsx src/engine/cloud/bench/load-child.ts URL RPS SECONDS
import { startLoad } from '../load-generator';

const [url, rps, seconds] = process.argv.slice(2);
const load = startLoad({ url: url!, rps: Number(rps) });
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
process.stdout.write(JSON.stringify(await load.stop()));
