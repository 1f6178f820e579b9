// The scripts target: what runs beside the configurations. Per router of a
// site with AWS failover, its failover script (and with trigger serf the Serf
// agent's configuration and event handler, with scale_up its scale-up
// script); per cloud VRRP router, its health check; per NAT node, its watch
// script and unit (and for target linux its NAT setup); per AWS site and NAT
// pair, the IAM policy, security groups and source/destination check
// commands. Routers in file order, then the NAT nodes, then the sites and
// pairs, each device's files together.
import type { AwsSetupIntent, FailoverIntent, NatWatchIntent, VrrpHealthIntent } from '../../model/failover.js';
import type { SecretRef } from '../../model/topology.js';
import type { OutputFile } from '../../pipeline.js';
import { placeholder } from '../../secrets/resolve.js';
import { renderIamPolicy, renderSecurityGroups, renderSourceDestCheck } from './aws-setup.js';
import { renderFailoverScript } from './failover-script.js';
import { awsSetupHeader, natFileHeader, routerFileHeader, vrrpHealthHeader } from './header.js';
import { renderNatScript, renderNatSysctl } from './nat-linux.js';
import { renderNatWatchScript, renderNatWatchUnit } from './nat-watch.js';
import { renderScaleUpScript } from './scale-up.js';
import { renderSerfConfig } from './serf-config.js';
import { renderSerfHandler } from './serf-handler.js';
import { renderVrrpHealth } from './vrrp-health.js';

export interface ScriptRenderOptions {
  /** The topology's path as shown in headers. */
  file: string;
  /** Resolved (or redacted) Serf gossip keys. */
  serfKeys?: Map<SecretRef, string>;
  vrrpHealth?: VrrpHealthIntent[];
  awsSetups?: AwsSetupIntent[];
  /** Each router's public address (its Elastic IP), for the scale-up script. */
  publicAddresses?: Map<string, string>;
}

export function renderScripts(failovers: FailoverIntent[], natWatches: NatWatchIntent[], o: ScriptRenderOptions): OutputFile[] {
  const files: OutputFile[] = [];
  for (const f of failovers) {
    const device = f.router;
    files.push({ path: `${device}.failover.sh`, device, content: renderFailoverScript(f, routerFileHeader(f, o.file, 'failover script')) });
    if (f.serf) {
      const key = o.serfKeys?.get(f.serf.encryptKey) ?? placeholder(f.serf.encryptKey);
      files.push({ path: `${device}.serf.json`, device, content: renderSerfConfig(f.serf, key) });
      files.push({ path: `${device}.serf-handler.sh`, device, content: renderSerfHandler(f, routerFileHeader(f, o.file, 'Serf event handler')) });
    }
    if (f.scaleUp) {
      const pub = o.publicAddresses?.get(device);
      if (pub) files.push({ path: `${device}.scale-up.sh`, device, content: renderScaleUpScript(f, pub, routerFileHeader(f, o.file, 'scale-up script')) });
    }
  }
  for (const v of o.vrrpHealth ?? []) {
    files.push({ path: `${v.router}.vrrp-health.sh`, device: v.router, content: renderVrrpHealth(v, vrrpHealthHeader(v, o.file)) });
  }
  for (const n of natWatches) {
    const device = n.node;
    files.push({ path: `${device}.nat-watch.sh`, device, content: renderNatWatchScript(n, natFileHeader(n, o.file, 'NAT watch script')) });
    files.push({ path: `${device}.nat-watch.service`, device, content: renderNatWatchUnit(n, natFileHeader(n, o.file, 'systemd unit of the NAT watch')) });
    if (n.target === 'linux') {
      files.push({ path: `${device}.nat.sh`, device, content: renderNatScript(n, natFileHeader(n, o.file, 'NAT setup script')) });
      files.push({ path: `${device}.sysctl.conf`, device, content: renderNatSysctl(n, natFileHeader(n, o.file, 'sysctl.conf')) });
    }
  }
  for (const a of o.awsSetups ?? []) {
    const device = a.name;
    if (a.policy.length > 0) files.push({ path: `${device}.iam-policy.json`, device, content: renderIamPolicy(a) });
    files.push({ path: `${device}.security-groups.json`, device, content: renderSecurityGroups(a, awsSetupHeader(a, o.file, 'security-group ingress rules')[0]!) });
    files.push({ path: `${device}.source-dest-check.sh`, device, content: renderSourceDestCheck(a, awsSetupHeader(a, o.file, 'source/destination check commands')) });
  }
  return files;
}
