// No input can add or change a command. For every string field that reaches
// an output (names, descriptions, interfaces, addresses, proposals, secret
// references, AWS ids, script paths, URL paths; core, cloud VPN, VRRP, NAT
// pairs, hub mesh, LVS, and the topology's file name), each hostile value,
// alone and after a harmless one, is either refused with a diagnostic or
// rendered so that every file has exactly the commands (count and paths) that
// a harmless value gives: VyOS lines with their quoted values masked,
// keepalived.conf keywords and word counts, sysctl keys, unit keys, JSON
// keys, and for shell scripts `sh -n` plus a run with fake commands first on
// PATH, whose log must list the same commands.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { render } from '../dist/index.js';
import { Sandbox } from './helpers/fake-aws.js';
import { fixtureDoc, toYaml, type Doc } from './helpers/topology.js';

const CORPUS = [
  "a'b",
  'a"b',
  'line\nset system login user evil',
  'cr\rset x',
  'semi; reboot',
  'and && reboot',
  'pipe | sh',
  '$(reboot)',
  '`reboot`',
  'nul\u0000x',
  'sep\u2028set x',
  'nel\u0085set x',
  'bidi\u202ex',
  'tab\tx',
  'back\\slash',
  '#comment',
  '} include /etc/x {',
  '%n%s',
  'x'.repeat(10000),
];

type Path = (string | number)[];
interface Field {
  name: string;
  fixture: string;
  set: (doc: Doc, v: string) => void;
  /** A value that renders (default harmless1). */
  harmless?: string;
}

function get(doc: Doc, path: Path): any {
  return path.reduce((o: any, k) => o[k], doc);
}

/** Sets the value at `path`. */
const at = (path: Path) => (doc: Doc, v: string) => {
  get(doc, path.slice(0, -1))[path[path.length - 1]!] = v;
};

/** Renames the key `path` (in place, keeping its order) and every reference to it. */
const key = (path: Path, refs: Path[] = []) => (doc: Doc, v: string) => {
  const map = get(doc, path.slice(0, -1));
  const old = path[path.length - 1] as string;
  const entries = Object.entries(map).map(([k, x]) => [k === old ? v : k, x] as [string, unknown]);
  for (const k of Object.keys(map)) delete map[k];
  for (const [k, x] of entries) Object.defineProperty(map, k, { value: x, enumerable: true, writable: true, configurable: true });
  for (const r of refs) at(r)(doc, v);
};

const R = (site: string, router: string, ...rest: Path): Path => ['sites', site, 'routers', router, ...rest];
const LVS = (pair: string, ...rest: Path): Path => ['lvs', 'pairs', pair, ...rest];
const NAT = (...rest: Path): Path => ['nat_pairs', 'main-vpc', ...rest];

const FIELDS: Field[] = [
  // core (seed 000)
  { name: 'wan description', fixture: 'seed-000', set: at(R('tokyo', 'tokyo-a', 'wan', 'description')) },
  { name: 'lan description', fixture: 'seed-000', set: at(R('tokyo', 'tokyo-a', 'lan', 'description')) },
  { name: 'link description', fixture: 'seed-000', set: at(['links', 0, 'description']) },
  { name: 'psk env name', fixture: 'seed-000', set: (d, v) => (d.links[0].ipsec.psk = { env: v }) },
  { name: 'psk file name', fixture: 'seed-000', set: (d, v) => (d.links[0].ipsec.psk = { file: v }) },
  { name: 'IKE encryption', fixture: 'seed-000', set: at(['defaults', 'ipsec', 'ike', 'encryption']), harmless: 'aes256' },
  { name: 'IKE hash', fixture: 'seed-000', set: at(['defaults', 'ipsec', 'ike', 'hash']), harmless: 'sha256' },
  { name: 'ESP encryption', fixture: 'seed-000', set: at(['defaults', 'ipsec', 'esp', 'encryption']), harmless: 'aes256' },
  { name: 'DPD action', fixture: 'seed-000', set: at(['defaults', 'ipsec', 'dpd', 'action']), harmless: 'clear' },
  { name: 'release', fixture: 'seed-000', set: at(['defaults', 'vyos']), harmless: '1.5' },
  { name: 'router name', fixture: 'seed-000', set: key(R('tokyo', 'tokyo-a'), [['links', 0, 'between', 0]]) },
  { name: 'site name', fixture: 'seed-000', set: key(['sites', 'tokyo']) },
  { name: 'role', fixture: 'seed-000', set: at(R('tokyo', 'tokyo-s', 'role')), harmless: 'active' },
  { name: 'wan interface', fixture: 'seed-000', set: at(R('tokyo', 'tokyo-a', 'wan', 'interface')), harmless: 'eth7' },
  { name: 'wan address', fixture: 'seed-000', set: at(R('tokyo', 'tokyo-a', 'wan', 'address')), harmless: '10.0.0.99/24' },
  { name: 'public address', fixture: 'seed-000', set: at(R('tokyo', 'tokyo-a', 'wan', 'public')), harmless: '203.0.113.9' },
  { name: 'gateway', fixture: 'seed-000', set: at(R('tokyo', 'tokyo-a', 'wan', 'gateway')), harmless: '10.0.0.254' },
  { name: 'loopback', fixture: 'seed-000', set: at(R('tokyo', 'tokyo-a', 'loopback')), harmless: '10.255.0.99' },
  { name: 'connected network', fixture: 'seed-000', set: (d, v) => (d.sites.tokyo.networks.connected[0] = v), harmless: '10.0.1.0/24' },
  { name: 'tunnel pool', fixture: 'seed-000', set: at(['defaults', 'tunnel_pool']), harmless: '172.17.0.0/24' },
  { name: 'link end', fixture: 'seed-000', set: at(['links', 0, 'between', 1]), harmless: 'osaka-a' },
  { name: 'topology file name', fixture: 'seed-000', set: () => {} },
  // cloud VPN, VRRP, AWS failover (seed 001)
  { name: 'VPN connection name', fixture: 'aws-active-standby', set: at(R('tokyo', 'tokyo-a', 'vpn_connections', 0, 'name')), harmless: 'vgw-x' },
  { name: 'VPN tunnel outside', fixture: 'aws-active-standby', set: at(R('tokyo', 'tokyo-a', 'vpn_connections', 0, 'tunnels', 0, 'outside')), harmless: '52.196.0.99' },
  { name: 'VPN tunnel inside', fixture: 'aws-active-standby', set: at(R('tokyo', 'tokyo-a', 'vpn_connections', 0, 'tunnels', 0, 'inside')), harmless: '169.254.20.0/30' },
  { name: 'VPN tunnel psk env', fixture: 'aws-active-standby', set: (d, v) => (d.sites.tokyo.routers['tokyo-a'].vpn_connections[0].tunnels[0].psk = { env: v }) },
  { name: 'VRRP address', fixture: 'aws-active-standby', set: at(['sites', 'tokyo', 'vrrp', 'address']), harmless: '10.0.1.9/24' },
  { name: 'VRRP password env', fixture: 'aws-active-standby', set: (d, v) => (d.sites.tokyo.vrrp.password = { env: v }) },
  { name: 'AWS region', fixture: 'aws-active-standby', set: at(['sites', 'tokyo', 'aws', 'region']), harmless: 'eu-west-1' },
  { name: 'AWS route table', fixture: 'aws-active-standby', set: (d, v) => (d.sites.tokyo.aws.route_tables[0] = v), harmless: 'rtb-0123456789abcdef0' },
  { name: 'AWS destination', fixture: 'aws-active-standby', set: (d, v) => (d.sites.tokyo.aws.destinations[0] = v), harmless: '172.30.0.0/16' },
  { name: 'AWS Elastic IP', fixture: 'aws-active-standby', set: at(['sites', 'tokyo', 'aws', 'eip']), harmless: 'eipalloc-0fedcba9876543210' },
  { name: 'AWS instance id', fixture: 'aws-active-standby', set: at(R('tokyo', 'tokyo-a', 'aws', 'instance_id')), harmless: 'i-0123456789abcdef0' },
  { name: 'AWS lan ENI', fixture: 'aws-active-standby', set: at(R('tokyo', 'tokyo-a', 'aws', 'lan_eni')), harmless: 'eni-0123456789abcdef0' },
  { name: 'AWS wan ENI', fixture: 'aws-active-standby', set: at(R('tokyo', 'tokyo-a', 'aws', 'wan_eni')), harmless: 'eni-0fedcba9876543210' },
  // issue 13: the floating Elastic IP's address, scale-up, Serf key, NAT heartbeat, route server
  { name: 'AWS eip private address', fixture: 'aws-active-standby', set: at(R('tokyo', 'tokyo-a', 'aws', 'eip_private_address')), harmless: '10.0.0.30' },
  { name: 'scale-up instance type', fixture: 'aws-active-standby', set: at(['sites', 'tokyo', 'aws', 'scale_up', 'instance_type']), harmless: 'm5.large' },
  { name: 'scale-up AMI tag key', fixture: 'aws-active-standby', set: at(['sites', 'tokyo', 'aws', 'scale_up', 'ami_tag', 'key']), harmless: 'Purpose' },
  { name: 'scale-up AMI tag value', fixture: 'aws-active-standby', set: at(['sites', 'tokyo', 'aws', 'scale_up', 'ami_tag', 'value']), harmless: 'router:v2' },
  { name: 'Serf key env', fixture: 'inter-region-vpn-serf', set: (d, v) => (d.sites.tokyo.aws.serf.encrypt_key = { env: v }) },
  { name: 'NAT heartbeat probe', fixture: 'ha-nat', set: at(NAT('nodes', 'nat-b', 'heartbeat', 'probe')), harmless: '1.1.1.1' },
  { name: 'NAT heartbeat route table', fixture: 'ha-nat', set: at(NAT('nodes', 'nat-b', 'heartbeat', 'route_table')), harmless: 'rtb-0123456789abcdef0' },
  { name: 'route server endpoint', fixture: 'aws-route-server', set: (d, v) => (d.sites.tokyo.aws.route_server.endpoints[0] = v), harmless: '10.0.1.9' },
  // Serf failover (seed 000 with Serf): router and site names reach serf.json and the handler
  { name: 'Serf router name', fixture: 'inter-region-vpn-serf', set: (d, v) => renameRouter(d, v) },
  { name: 'Serf site name', fixture: 'inter-region-vpn-serf', set: (d, v) => key(['sites', Object.keys(d.sites)[0]!])(d, v) },
  // HA NAT pairs (seed 003)
  { name: 'NAT pair name', fixture: 'ha-nat', set: key(['nat_pairs', 'main-vpc']) },
  { name: 'NAT node name (vyos)', fixture: 'ha-nat', set: key(NAT('nodes', 'nat-a')), harmless: 'nat-x' },
  { name: 'NAT node name (linux)', fixture: 'ha-nat', set: key(NAT('nodes', 'nat-b')), harmless: 'nat-y' },
  { name: 'NAT region', fixture: 'ha-nat', set: (d, v) => ((d.nat_pairs['main-vpc'].region = v), (d.nat_pairs['main-vpc'].nodes['nat-a'].zone = `${v}a`), (d.nat_pairs['main-vpc'].nodes['nat-b'].zone = `${v}c`)), harmless: 'eu-west-1' },
  { name: 'NAT zone', fixture: 'ha-nat', set: at(NAT('nodes', 'nat-b', 'zone')), harmless: 'ap-northeast-1d' },
  { name: 'NAT instance id', fixture: 'ha-nat', set: at(NAT('nodes', 'nat-b', 'instance_id')), harmless: 'i-0123456789abcdef0' },
  { name: 'NAT route table', fixture: 'ha-nat', set: (d, v) => (d.nat_pairs['main-vpc'].nodes['nat-b'].route_tables[0] = v), harmless: 'rtb-0123456789abcdef0' },
  { name: 'NAT VPC CIDR', fixture: 'ha-nat', set: at(NAT('vpc_cidr')), harmless: '10.20.0.0/15' },
  { name: 'NAT wan description', fixture: 'ha-nat', set: at(NAT('nodes', 'nat-a', 'wan', 'description')) },
  { name: 'NAT wan interface (linux)', fixture: 'ha-nat', set: at(NAT('nodes', 'nat-b', 'wan', 'interface')), harmless: 'eth3' },
  // hub mesh (seed 002)
  { name: 'hub mesh psk_env_prefix', fixture: 'multi-region-hub', set: at(['hub_mesh', 'psk_env_prefix']), harmless: 'HARMLESS' },
  { name: 'hub mesh hub', fixture: 'multi-region-hub', set: (d, v) => (d.hub_mesh.regions[1].hub = v), harmless: 'singapore-hub' },
  { name: 'hub mesh spoke', fixture: 'multi-region-hub', set: (d, v) => (d.hub_mesh.regions[0].spokes[0] = v), harmless: 'tokyo-prod' },
  // traffic control (issue 16): roles, rules, shapers
  { name: 'firewall role name', fixture: 'firewall-sessions', set: key(['firewall', 'roles', 'admins'], [['firewall', 'management'], ['firewall', 'rules', 2, 'from']]), harmless: 'staff' },
  { name: 'firewall role network', fixture: 'firewall-sessions', set: (d, v) => (d.firewall.roles.admins[0] = v), harmless: '192.0.2.0/25' },
  { name: 'firewall role site', fixture: 'firewall-sessions', set: at(['firewall', 'roles', 'tokyo-apps', 0, 'site']), harmless: 'tokyo' },
  { name: 'firewall rule description', fixture: 'firewall-sessions', set: at(['firewall', 'rules', 1, 'description']) },
  { name: 'firewall rule port range', fixture: 'firewall-sessions', set: (d, v) => (d.firewall.rules[0].ports[1] = v), harmless: '8000-8081' },
  { name: 'shaper router', fixture: 'firewall-sessions', set: at(['firewall', 'shapers', 0, 'router']), harmless: 'tokyo-a' },
  { name: 'shaper interface', fixture: 'firewall-sessions', set: at(['firewall', 'shapers', 0, 'interface']), harmless: 'eth0' },
  { name: 'shaper bandwidth', fixture: 'firewall-sessions', set: at(['firewall', 'shapers', 0, 'bandwidth']), harmless: '300mbit' },
  { name: 'shaper class ceiling', fixture: 'firewall-sessions', set: at(['firewall', 'shapers', 0, 'classes', 0, 'ceiling']), harmless: '90%' },
  { name: 'shaper description', fixture: 'multi-region-hub-firewall', set: at(['firewall', 'shapers', 0, 'description']) },
  { name: 'shaper class description', fixture: 'multi-region-hub-firewall', set: at(['firewall', 'shapers', 0, 'classes', 0, 'description']) },
  // LVS pairs (seed 004 and the unicast fixture)
  { name: 'LVS pair name', fixture: 'lvs-unicast', set: key(['lvs', 'pairs', 'web']) },
  { name: 'LVS segment name', fixture: 'lvs-unicast', set: key(['lvs', 'segments', 'cloud-front']) },
  { name: 'LVS node name', fixture: 'lvs-unicast', set: at(LVS('web', 'nodes', 0, 'name')) },
  { name: 'LVS interface', fixture: 'lvs-unicast', set: (d, v) => d.lvs.pairs.web.nodes.forEach((n: Doc) => (n.interface = v)), harmless: 'ens9' },
  { name: 'LVS other interface', fixture: 'lvs-unicast', set: (d, v) => ((d.lvs.pairs.web.nodes[0].interfaces = [v]), (d.lvs.pairs.web.nodes[1].interfaces = [v]), (d.lvs.pairs.web.track_interfaces = [v])), harmless: 'ens7' },
  { name: 'LVS node address', fixture: 'lvs-unicast', set: at(LVS('web', 'nodes', 1, 'address')), harmless: '10.20.0.19/24' },
  // unicast_src_ip must be one of the node's addresses: the address moves with it.
  { name: 'LVS unicast_src_ip', fixture: 'lvs-unicast', set: (d, v) => ((d.lvs.pairs.api.nodes[0].unicast_src_ip = v), (d.lvs.pairs.api.nodes[0].address = `${v}/24`)), harmless: '10.20.0.99' },
  { name: 'LVS VIP', fixture: 'lvs-unicast', set: (d, v) => ((d.lvs.pairs.api.vips[0].address = v), (d.lvs.pairs.api.virtual_servers[0].address = v)), harmless: '10.20.0.102' },
  { name: 'LVS VIP dev', fixture: 'lvs-unicast', set: at(LVS('api', 'vips', 0, 'dev')), harmless: 'ens5' },
  { name: 'LVS auth_pass env', fixture: 'lvs-unicast', set: (d, v) => (d.lvs.pairs.web.auth_pass = { env: v }) },
  { name: 'LVS auth_pass file', fixture: 'lvs-unicast', set: (d, v) => (d.lvs.pairs.api.auth_pass = { file: v }) },
  { name: 'LVS notify script', fixture: 'lvs-unicast', set: at(LVS('web', 'notify', 'master')), harmless: '/usr/local/sbin/harmless1' },
  { name: 'LVS track script name', fixture: 'lvs-unicast', set: key(LVS('web', 'track_scripts', 'chk_nginx')) },
  { name: 'LVS track script path', fixture: 'lvs-unicast', set: at(LVS('web', 'track_scripts', 'chk_nginx', 'script')), harmless: '/usr/local/sbin/harmless1' },
  { name: 'LVS URL path', fixture: 'lvs-unicast', set: at(LVS('web', 'virtual_servers', 0, 'real_servers', 0, 'ssl_get', 'path')), harmless: '/harmless1' },
  { name: 'LVS digest', fixture: 'lvs-unicast', set: at(LVS('web', 'virtual_servers', 0, 'real_servers', 0, 'ssl_get', 'digest')), harmless: '0123456789abcdef0123456789abcdef' },
  { name: 'LVS misc_check path', fixture: 'lvs-unicast', set: at(LVS('api', 'virtual_servers', 0, 'real_servers', 0, 'misc_check', 'path')), harmless: '/usr/local/sbin/harmless1' },
  { name: 'LVS real server name', fixture: 'lvs-unicast', set: (d, v) => ((d.lvs.pairs.web.virtual_servers[0].real_servers[0].name = v), (d.lvs.pairs.api.virtual_servers[0].real_servers[0].name = v)) },
  { name: 'LVS real server address', fixture: 'lvs-unicast', set: at(LVS('web', 'virtual_servers', 0, 'real_servers', 1, 'address')), harmless: '10.20.0.29' },
  { name: 'LVS scheduler', fixture: 'lvs-unicast', set: at(LVS('web', 'virtual_servers', 0, 'lb_algo')), harmless: 'rr' },
  { name: 'LVS sorry server', fixture: 'lvs-nat-tcp-check', set: (d, v) => (Object.values<Doc>(d.lvs.pairs)[0]!.virtual_servers[0].sorry_server.address = v), harmless: '192.168.50.98' },
  { name: 'LVS real-server accept', fixture: 'lvs-seed-004', set: at(LVS('VI_1', 'real_server_accept')), harmless: 'loopback-arp' },
  // the per-router layer (routers:)
  { name: 'router interface description', fixture: 'router-config-merge', set: at(['routers', 'tokyo-a', 'interfaces', 'dum0', 'description']) },
  { name: 'router vif description', fixture: 'router-config-merge', set: at(['routers', 'tokyo-a', 'interfaces', 'eth1', 'vif', '20', 'description']) },
  { name: 'router prefix-list rule description', fixture: 'router-config-merge', set: at(['routers', 'tokyo-a', 'policy', 'prefix_lists', 'PL-PARTNER-IN', 'rules', 1, 'description']) },
  { name: 'router as-path regex', fixture: 'router-config-merge', set: at(['routers', 'tokyo-a', 'policy', 'as_path_lists', 'OSAKA-ONLY', 'rules', 0, 'regex']) },
  { name: 'router neighbor description', fixture: 'router-config-merge', set: at(['routers', 'tokyo-a', 'bgp', 'neighbors', '10.0.20.40', 'description']) },
  { name: 'router route-map name', fixture: 'router-config-merge', set: key(['routers', 'tokyo-a', 'policy', 'route_maps', 'RM-TO-OSAKA'], [['routers', 'tokyo-a', 'bgp', 'neighbors', '172.16.0.2', 'route_map', 'export']]) },
  { name: 'router VRRP group name', fixture: 'router-config-merge', set: key(['routers', 'tokyo-a', 'vrrp', 'groups', 'SERVERS'], [['routers', 'tokyo-a', 'vrrp', 'sync_groups', 'SG-EDGE', 'members', 0]]) },
  { name: 'router transition script', fixture: 'router-config-merge', set: at(['routers', 'tokyo-a', 'vrrp', 'sync_groups', 'SG-EDGE', 'transition_scripts', 'master']), harmless: '/config/scripts/x.sh' },
  { name: 'router NAT description', fixture: 'router-config-merge', set: at(['routers', 'tokyo-a', 'nat', 'source', 1, 'description']) },
  { name: 'router extra line', fixture: 'router-config-merge', set: at(['routers', 'tokyo-a', 'extra', 0]), harmless: "set system time-zone 'UTC'" },
  { name: 'router extra line value', fixture: 'router-config-merge', set: (d, v) => (d.routers['tokyo-a'].extra[1] = `set system domain-name '${v}'`) },
  { name: 'router host name', fixture: 'router-config-merge', set: at(['routers', 'lab-edge', 'host_name']), harmless: 'lab-edge-1' },
  { name: 'IPsec peer name (per-router)', fixture: 'azure-gateway', set: key(['routers', 'vyos-onprem', 'ipsec', 'peers', 'peer_51-105-0-1']) },
  // The long form and the options beyond the seed (issue 14)
  { name: 'LVS script argument', fixture: 'lvs-options', set: at(LVS('edge', 'instances', 'front', 'notify', 'master', 'args', 0)) },
  { name: 'LVS VIP label', fixture: 'lvs-options', set: at(LVS('edge', 'instances', 'front', 'vips', 0, 'label')), harmless: 'eth0:h1' },
  { name: 'LVS notification email', fixture: 'lvs-options', set: at(LVS('edge', 'global_defs', 'notification_email', 0)), harmless: 'h1@example.net' },
  { name: 'LVS router_id', fixture: 'lvs-options', set: at(LVS('edge', 'nodes', 0, 'router_id')) },
  { name: 'LVS group range', fixture: 'lvs-options', set: at(LVS('edge', 'virtual_server_groups', 'web', 1, 'range')), harmless: '10.30.0.101-103' },
  { name: 'LVS group name', fixture: 'lvs-options', set: (d, v) => ((d.lvs.pairs.edge.virtual_server_groups = { ...d.lvs.pairs.edge.virtual_server_groups, web: undefined, [v]: d.lvs.pairs.edge.virtual_server_groups.web }), (d.lvs.pairs.edge.virtual_servers[0].group = v)) },
  { name: 'LVS DNS check name', fixture: 'lvs-options', set: at(LVS('edge', 'virtual_servers', 2, 'real_servers', 0, 'dns_check', 'name')), harmless: 'harmless1.example' },
  { name: 'LVS SMTP helo_name', fixture: 'lvs-options', set: at(LVS('edge', 'virtual_servers', 4, 'real_servers', 0, 'smtp_check', 'helo_name')), harmless: 'harmless1.example' },
  { name: 'LVS sync group name', fixture: 'lvs-options', set: key(LVS('edge', 'sync_groups', 'all')) },
];

function renameRouter(doc: Doc, v: string): void {
  const [siteName, site] = Object.entries<Doc>(doc.sites)[0]!;
  const old = Object.keys(site.routers)[0]!;
  key(['sites', siteName, 'routers', old])(doc, v);
  for (const l of doc.links ?? []) l.between = l.between.map((n: string) => (n === old ? v : n));
}

const replaceAll = (s: string, from: string, to: string) => (from === '' ? s : s.split(from).join(to));
const comment = (l: string) => l === '' || /^#( |!|$)/.test(l);

/** The commands of a file, reduced to what may not change: masked values and the varied word. */
function shape(path: string, content: string, value: string): string[] {
  const text = replaceAll(content, value, 'X');
  const lines = text.split('\n');
  if (path.endsWith('.vyos')) return lines.filter((l) => !comment(l)).map((l) => l.replace(/'[^']*'/g, "'V'"));
  if (path.endsWith('.keepalived.conf')) return lines.filter((l) => !comment(l.trim())).map((l) => `${/^ */.exec(l)![0].length} ${l.trim().split(' ')[0]} ${l.trim().split(' ').length}`);
  if (path.endsWith('.sysctl.conf')) return lines.filter((l) => !comment(l)).map((l) => l.split(' = ')[0]!);
  if (path.endsWith('.service')) return lines.filter((l) => !comment(l)).map((l) => l.split('=')[0]!);
  if (path.endsWith('.json')) return [JSON.stringify(JSON.parse(text), (_, x) => (typeof x === 'string' ? 'V' : x))];
  if (path.endsWith('.sh')) return lines.filter((l) => !comment(l.trim())).map((l) => l.replace(/'([^']|'\\'')*'/g, "'V'"));
  throw new Error(`no shape for ${path}`);
}

/** A script run with fakes first on PATH (and canaries named like the corpus' commands): the commands it ran. */
function scriptCalls(files: Map<string, string>, path: string, value: string): string[] {
  const box = new Sandbox();
  try {
    for (const [name, body] of Object.entries({
      ip: '#!/bin/sh\necho "ip $*" >> "$FAKE_STATE/log"\n',
      logger: '#!/bin/sh\necho "logger $*" >> "$FAKE_STATE/log"\n',
      systemctl: '#!/bin/sh\necho "systemctl $*" >> "$FAKE_STATE/log"\n',
      reboot: '#!/bin/sh\necho "CANARY reboot $*" >> "$FAKE_STATE/log"\n',
      evil: '#!/bin/sh\necho "CANARY evil $*" >> "$FAKE_STATE/log"\n',
      include: '#!/bin/sh\necho "CANARY include $*" >> "$FAKE_STATE/log"\n',
    })) {
      box.write(join('bin', name), body, true);
    }
    for (const [p, c] of files) {
      mkdirSync(dirname(join(box.root, 'out', p)), { recursive: true });
      writeFileSync(join(box.root, 'out', p), c);
    }
    const script = join(box.root, 'out', path);
    const syntax = spawnSync('sh', ['-n', script], { encoding: 'utf8' });
    expect(syntax.status, `sh -n ${path}: ${syntax.stderr}`).to.equal(0);
    const args = path.endsWith('.nat-watch.sh') ? ['--once'] : [];
    const input = path.endsWith('.serf-handler.sh') ? 'other\t10.0.1.3\tstandby\trole=standby,site=x\n' : undefined;
    box.setPings(['down', 'down', 'down']);
    const run = box.run(script, args, { SERF_EVENT: 'member-failed', DRY_RUN: '0', NAT_WATCH_STATE: join(box.state, 'watch.state') }, input);
    return run.calls.map((c) => replaceAll(replaceAll(c, value, 'X'), box.root, 'ROOT'));
  } finally {
    box.dispose();
  }
}

function rendered(field: Field, value: string) {
  const doc = fixtureDoc(field.fixture);
  field.set(doc, value);
  const file = field.name === 'topology file name' ? `net/${value}.yaml` : 'topology.yaml';
  return render(toYaml(doc), { file, redact: true });
}

describe('injection', function () {
  this.timeout(120000);
  for (const field of FIELDS) {
    it(`${field.name} (${field.fixture}): hostile values are refused or change no command`, () => {
      const harmless = field.harmless ?? 'harmless1';
      const baseline = rendered(field, harmless);
      expect(baseline.diagnostics.filter((d) => d.severity === 'error'), 'a harmless value renders').to.deep.equal([]);
      const files = new Map(baseline.files.map((f) => [f.path, f.content]));
      const expected = new Map(baseline.files.map((f) => [f.path, shape(f.path, f.content, harmless)]));
      const calls = new Map<string, string[]>();
      for (const hostile of CORPUS.flatMap((c) => [c, `${harmless}${c}`])) {
        const what = `${JSON.stringify(hostile.slice(0, 24))} in ${field.name}`;
        const result = rendered(field, hostile);
        if (result.files.length === 0) {
          expect(result.diagnostics.some((d) => d.severity === 'error'), `${what}: refused with a diagnostic`).to.equal(true);
          continue;
        }
        const got = new Map(result.files.map((f) => [replaceAll(f.path, hostile, harmless), f]));
        expect([...got.keys()].sort(), `${what}: the same files`).to.deep.equal([...expected.keys()].sort());
        for (const [path, f] of got) {
          expect(shape(path, f.content, hostile), `${what}: ${path}`).to.deep.equal(expected.get(path));
          if (!path.endsWith('.sh')) continue;
          if (!calls.has(path)) calls.set(path, scriptCalls(files, path, harmless));
          const ran = scriptCalls(new Map(result.files.map((x) => [replaceAll(x.path, hostile, harmless), x.content])), path, hostile);
          expect(ran.filter((c) => c.startsWith('CANARY')), `${what}: ${path} ran no extra command`).to.deep.equal([]);
          expect(ran, `${what}: ${path} ran the same commands`).to.deep.equal(calls.get(path));
        }
      }
    });
  }

  it('accepted metacharacters stay inside their quotes (the comparison above is not vacuous)', () => {
    const doc = fixtureDoc('seed-000');
    doc.links[0].description = 'a; b && c | d $(e) `f` #g';
    const r = render(toYaml(doc), { file: 'topology.yaml', redact: true });
    expect(r.files.find((f) => f.path === 'tokyo-a.vyos')!.content).to.include("set interfaces tunnel tun0 description 'a; b && c | d $(e) `f` #g'");
    const script = render(toYaml(fixtureDoc('ha-nat')), { file: 'net/$(reboot) `x`.yaml', redact: true }).files.find((f) => f.path === 'nat-b.nat.sh')!;
    expect(script.content.split('\n').filter((l) => l.includes('(reboot)'))).to.deep.equal(['# vygen: NAT setup script of NAT node nat-b (pair main-vpc, zone ap-northeast-1c, linux) -- from net/?(reboot) `x`.yaml']);
  });

  // Secret values (not references): every secret a render reads, each hostile value refused without being shown, or emitted within its quotes.
  const SECRETS: [string, string, Record<string, string>][] = [
    ['link PSK', 'seed-000', { VYGEN_PSK_TOKYO_OSAKA_A: 'Valid-Key-0001', VYGEN_PSK_TOKYO_OSAKA_S: 'Valid-Key-0002' }],
    ['cloud tunnel PSK', 'aws-active-standby', { VYGEN_AWS_A_T1: 'Valid-Key-0001', VYGEN_AWS_A_T2: 'Valid-Key-0002', VYGEN_AWS_S_T1: 'Valid-Key-0003', VYGEN_AWS_S_T2: 'Valid-Key-0004', VYGEN_VRRP_TOKYO: 'pw123' }],
    ['VRRP password', 'aws-active-standby', { VYGEN_VRRP_TOKYO: 'pw123', VYGEN_AWS_A_T1: 'Valid-Key-0001', VYGEN_AWS_A_T2: 'Valid-Key-0002', VYGEN_AWS_S_T1: 'Valid-Key-0003', VYGEN_AWS_S_T2: 'Valid-Key-0004' }],
    ['LVS auth_pass', 'lvs-seed-004', {}],
  ];
  for (const [name, fixture, env] of SECRETS) {
    it(`${name}: a hostile secret value is refused without being shown, or changes no command`, () => {
      const doc = fixtureDoc(fixture);
      if (name === 'LVS auth_pass') doc.lvs.pairs.VI_1.auth_pass = { env: 'VYGEN_AUTH' };
      const varied = name === 'LVS auth_pass' ? 'VYGEN_AUTH' : Object.keys(env)[name === 'VRRP password' ? 0 : 0]!;
      const harmless = name === 'VRRP password' || name === 'LVS auth_pass' ? 'pw123' : env[varied]!;
      const base = render(toYaml(doc), { file: 't.yaml', env: { ...env, [varied]: harmless } });
      expect(base.diagnostics.filter((d) => d.severity === 'error'), 'a harmless secret renders').to.deep.equal([]);
      const expected = new Map(base.files.map((f) => [f.path, shape(f.path, f.content, harmless)]));
      // A marker in front of each value: if any part of a secret were shown, the marker would be.
      for (const secret of CORPUS.flatMap((c) => [c, `Zq9X7${c}`])) {
        const what = `${JSON.stringify(secret.slice(0, 24))} as the ${name}`;
        const result = render(toYaml(doc), { file: 't.yaml', env: { ...env, [varied]: secret } });
        const diagnostics = result.diagnostics.map((d) => Object.values(d).join(' ')).join('\n');
        expect(diagnostics, `${what}: not shown`).to.not.include('Zq9X7');
        if (secret.trim().length >= 4) expect(diagnostics, `${what}: not shown`).to.not.include(secret.trim());
        if (result.files.length === 0) {
          expect(result.diagnostics.map((d) => d.code), `${what}: refused`).to.satisfy((c: string[]) => c.some((x) => /^secret-/.test(x)));
          continue;
        }
        for (const f of result.files) expect(shape(f.path, f.content, secret.trim()), `${what}: ${f.path}`).to.deep.equal(expected.get(f.path));
      }
    });
  }
});
