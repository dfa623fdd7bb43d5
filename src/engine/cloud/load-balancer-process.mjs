// Entry of one load balancer's own process. Node 20 cannot load TypeScript by itself and this
// process is started with a bare `node` (no loader of Kiln's), so tsx is registered here first.
import { register } from 'tsx/esm/api';

register();
await import('./load-balancer-process-main.ts');
