import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENSURE_KERNEL = join(import.meta.dirname, '..', '..', '..', 'tools', 'ensure-vm-kernel.sh');
const APP_SOURCE = join(import.meta.dirname, 'test-vm-app.c');

/** The drivers the guest needs for its NIC, in load order (virtio-net is a module in Debian's cloud kernel); the last two make the ACPI power button reach acpid. */
const MODULES = ['virtio_ring', 'virtio', 'virtio_pci_legacy_dev', 'virtio_pci_modern_dev', 'virtio_pci', 'failover', 'net_failover', 'virtio_net', 'button', 'evdev'];

const APPLETS = ['sh', 'mount', 'insmod', 'ip', 'hostname', 'nc', 'wget', 'sed', 'sleep', 'cat', 'printf', 'echo', 'acpid', 'poweroff', 'uname', 'ls', 'tr', 'timeout'];

/**
 * What the test image's init does (seed 003, the agent-less report-ready): mount the basics, load
 * the NIC drivers, take 10.0.2.15 on QEMU's user network, serve the app, then report Ready through
 * the metadata protocol (goal state, then `POST /health`). Before that protocol lands in Kiln's
 * metadata service it falls back to the older `POST /ready`.
 */
const INIT = `#!/bin/sh
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for a in $(cat /proc/cmdline); do
  case "$a" in kiln.metadata=*) md="\${a#kiln.metadata=}";; kiln.port=*) port="\${a#kiln.port=}";; kiln.version=*) export KILN_VERSION="\${a#kiln.version=}";; esac
done
for m in ${MODULES.join(' ')}; do insmod /lib/kiln-modules/$m.ko; done
acpid -d -c /etc/acpi &
for n in 1 2 3 4 5 6 7 8 9 10; do [ -e /sys/class/net/eth0 ] && break; sleep 0.2; done
ip link set lo up; ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ip route add default via 10.0.2.2
H='Metadata: true'
name=$(timeout 5 wget -q -O - --header "$H" "$md/instance/hostname" 2>/dev/null)
case "$name" in ''|*[!a-z0-9.-]*) ;; *) hostname "$name";; esac
export KILN_HOST="$(hostname)"
@HEALTH@
if [ -x /bin/kiln-app ]; then /bin/kiln-app "\${port:-8080}" & else
  nc -ll -p "\${port:-8080}" -e /app.sh &
  echo "listening on \${port:-8080} as $(hostname)"
fi
@REPORT@
while :; do sleep 3600; done
`;

const REPORT = `gs=$(timeout 5 wget -q -O - --header "$H" "$md/goalstate" 2>/dev/null)
if [ -n "$gs" ]; then
  body=$(echo "$gs" | sed 's/}$/,"state":"Ready"}/')
  timeout 5 wget -q -O /dev/null --header "$H" --header 'Content-Type: application/json' --post-data "$body" "$md/health" && echo 'kiln: reported ready'
else
  timeout 5 wget -q -O /dev/null --header "$H" --post-data '' "$md/ready" && echo 'kiln: reported ready'
fi`;

/**
 * Answers every path 200 (/slow?ms=N after N ms), one process per connection: nc -ll forks for each.
 * Only shell builtins on the way (no command substitution): every fork costs milliseconds under TCG.
 */
const APP = `#!/bin/sh
read -r method path proto
while read -r line; do [ "\${line%\r}" = "" ] && break; done
body="hello from $KILN_HOST"
status='200 OK'
case "$path" in
  /health|/health[?]*) [ -n "$KILN_HEALTH_PATH" ] && { status='404 Not Found'; body='not found'; };;
esac
case "$path" in
  /slow*) ms=\${path#*ms=}; ms=\${ms%%&*}; sleep $((ms/1000)).$((ms%1000/100))$((ms%100/10))$((ms%10)); body="slow answer after \${ms} ms";;
esac
printf 'HTTP/1.1 %s\\r\\nContent-Type: text/plain\\r\\nX-App-Version: %s\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n%s' "$status" "$KILN_VERSION" \${#body} "$body"
`;

export interface TestVmImage {
  /** The raw ext4 root filesystem (the disk image's decompressed partition). */
  raw: string;
  kernel: string;
}

/**
 * `ready`: boots and reports ready; `ready-path`: the same, its app 404ing /health (its health is
 * elsewhere, as a recipe's run.healthPath says); `silent`: serves but never reports ready; `no-init`:
 * has no init (nor a shell), so the kernel panics.
 */
export type TestVmVariant = 'ready' | 'ready-path' | 'silent' | 'no-init';

/** Where the kernel and busybox are fetched once per machine (ensure-vm-kernel.sh). */
export const VM_CACHE = process.env.KILN_VM_CACHE ?? join(tmpdir(), 'kiln-vm-cache');

/**
 * A root filesystem of a few MB that boots to ready in seconds under TCG: Debian's cloud kernel
 * with busybox-static as the whole userland (not the bakery's Debian image, which takes a minute).
 * Built with `mke2fs -d` (no root needed), cached per variant.
 */
export function testVmImage(variant: TestVmVariant = 'ready'): TestVmImage {
  execFileSync('bash', [ENSURE_KERNEL, VM_CACHE], { stdio: ['ignore', 'ignore', 'inherit'] });
  const kernelRoot = join(VM_CACHE, 'kernel');
  const version = readdirSync(join(kernelRoot, 'lib', 'modules'))[0]!;
  const kernel = join(kernelRoot, 'boot', `vmlinuz-${version}`);
  const raw = join(VM_CACHE, `test-root-${variant}-v10.raw`);
  if (existsSync(raw)) return { raw, kernel };
  const root = join(VM_CACHE, `.root-${variant}.${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  for (const d of ['bin', 'sbin', 'proc', 'sys', 'dev', 'tmp', 'lib/kiln-modules', 'etc/acpi/PWRF']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync(join(VM_CACHE, 'busybox', 'bin', 'busybox'), join(root, 'bin', 'busybox'));
  chmodSync(join(root, 'bin', 'busybox'), 0o755);
  // Without an init and a shell the kernel finds nothing to run, and panics.
  for (const applet of APPLETS) if (variant !== 'no-init' || applet !== 'sh') symlinkSync('busybox', join(root, 'bin', applet));
  const modules = execFileSync('find', [join(kernelRoot, 'lib', 'modules', version), '-name', '*.ko'], { encoding: 'utf8' }).split('\n');
  for (const m of MODULES) {
    const path = modules.find((p) => p.endsWith(`/${m}.ko`));
    if (path) copyFileSync(path, join(root, 'lib', 'kiln-modules', `${m}.ko`));
  }
  const script = (path: string, text: string) => {
    writeFileSync(join(root, path), text);
    chmodSync(join(root, path), 0o755);
  };
  if (variant !== 'no-init')
    script(
      'sbin/init',
      INIT.replace('@REPORT@', variant === 'silent' ? "echo 'kiln: not reporting ready (test image)'" : REPORT).replace(
        '@HEALTH@',
        variant === 'ready-path' ? 'export KILN_HEALTH_PATH=/ready' : '',
      ),
    );
  script('app.sh', APP);
  // The app in C when this machine has a compiler (fast: no fork per request); the shell one otherwise.
  try {
    execFileSync('cc', ['-static', '-O2', '-o', join(root, 'bin', 'kiln-app'), APP_SOURCE], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    // no compiler or no static libc: nc -ll with app.sh serves instead
  }
  // The ACPI power button (QMP system_powerdown) powers the guest off at once.
  script('etc/acpi/PWRF/00000080', '#!/bin/sh\necho "kiln: power button: powering off"\npoweroff -f\n');
  writeFileSync(join(root, 'etc', 'hostname'), 'kiln-test-vm\n');
  const tmp = `${raw}.${process.pid}`;
  execFileSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-d', root, '-L', 'root', tmp, '24M'], { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(tmp, raw);
  rmSync(root, { recursive: true, force: true });
  return { raw, kernel };
}
