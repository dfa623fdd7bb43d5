// Entry of the load balancers' thread. Node 20 cannot load TypeScript by itself and a worker does
// not inherit the loader vitest or a plain `node` uses, so tsx is registered here first.
import { register } from 'tsx/esm/api';

register();
await import('./load-balancer-thread-main.ts');
