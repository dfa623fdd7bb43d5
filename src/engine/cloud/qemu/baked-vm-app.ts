import type { RecipeDraftInput } from '../../../shared/domain/recipe';

/**
 * An HTTP app with nothing but what Debian's minbase has: perl-base (Essential) with IO::Socket.
 * One process answers every connection in turn (a process per connection costs too much under TCG),
 * reading the request's headers before answering, so the client never sees a reset.
 */
const HTTP_PL = `#!/usr/bin/perl
use strict;
use warnings;
use IO::Socket::INET;
my $server = IO::Socket::INET->new(LocalPort => 8080, Listen => 64, ReuseAddr => 1) or die "listen: $!";
$SIG{PIPE} = 'IGNORE';
while (my $c = $server->accept) {
  my $request = <$c> // '';
  my ($path) = $request =~ m{^[A-Z]+ (\\S+)};
  while (my $line = <$c>) { last if $line =~ /^\\r?\\n$/ }
  my $host = 'unknown';
  if (open(my $h, '<', '/etc/hostname')) { $host = <$h> // $host; chomp $host; close $h }
  my $body = "hello from $host (" . ($path // '/') . ")";
  print $c "HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: " . length($body) . "\\r\\nConnection: close\\r\\n\\r\\n$body";
  close $c;
}
`;

/** The agent-only Debian VM image (recipe `vm`) with that app on port 8080: what a deploy of a baked VM needs to serve. */
export const BAKED_VM_APP_RECIPE: RecipeDraftInput = {
  name: 'vm-app',
  builder: 'disk',
  base: { type: 'debian', suite: 'bookworm', variant: 'minbase' },
  vm: { firstBoot: 'agent' },
  provisioning: {
    files: [{ path: '/opt/app/http.pl', content: HTTP_PL, mode: 0o755 }],
    units: [
      {
        name: 'kiln-app.service',
        contents: '[Unit]\nDescription=The app\n\n[Service]\nExecStart=/usr/bin/perl /opt/app/http.pl\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n',
      },
    ],
  },
  output: { compression: 'zstd', diskSizeMiB: 1536 },
  tests: { files: ['/sbin/init', '/opt/kiln/bin/kiln-report-ready', '/opt/app/http.pl'], boot: false, qemuBoot: false },
};
