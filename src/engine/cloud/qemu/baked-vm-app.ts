import type { RecipeDraftInput } from '../../../shared/domain/recipe';

/**
 * An HTTP app with nothing but systemd and /bin/sh: a socket unit with Accept=yes hands each
 * connection to one run of this script (stdin/stdout are the socket). It reads the request's
 * headers before answering, so the client never sees a reset.
 */
const HTTP_SH = `#!/bin/sh
read -r method path proto
while IFS= read -r line; do [ "\${line%\r}" = "" ] && break; done
read -r host < /etc/hostname
body="hello from $host ($path)"
printf 'HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n%s' \${#body} "$body"
`;

/** The agent-only Debian VM image (recipe `vm`) with that app on port 8080: what a deploy of a baked VM needs to serve. */
export const BAKED_VM_APP_RECIPE: RecipeDraftInput = {
  name: 'vm-app',
  builder: 'disk',
  base: { type: 'debian', suite: 'bookworm', variant: 'minbase' },
  vm: { firstBoot: 'agent' },
  provisioning: {
    files: [{ path: '/opt/app/http.sh', content: HTTP_SH, mode: 0o755 }],
    units: [
      { name: 'kiln-app.socket', contents: '[Unit]\nDescription=The app (one shell per connection)\n\n[Socket]\nListenStream=8080\nAccept=yes\n\n[Install]\nWantedBy=multi-user.target\n' },
      { name: 'kiln-app@.service', contents: '[Service]\nExecStart=/opt/app/http.sh\nStandardInput=socket\nStandardOutput=socket\nStandardError=journal\n', enabled: false },
    ],
  },
  output: { compression: 'zstd', diskSizeMiB: 1536 },
  tests: { files: ['/sbin/init', '/opt/kiln/bin/kiln-report-ready', '/opt/app/http.sh'], boot: false, qemuBoot: false },
};
