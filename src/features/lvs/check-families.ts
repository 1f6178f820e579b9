// IPv6 in an LVS pair: keepalived runs a VRRP instance over one family (the
// family of its first VIP; since 1.2.20 it refuses the other family among
// them, RFC 5798 has one family per virtual router), and IPVS forwards a
// virtual server to real servers of its own family only.
import type { Diagnostics } from '../../diagnostics.js';
import { familyOf } from '../../net/ip.js';
import type { LvsTopology } from './model.js';

export function checkLvsFamilies(lvs: LvsTopology, diags: Diagnostics): void {
  for (const inst of lvs.instances) {
    const first = inst.vips.find((v) => !v.excluded);
    if (!first) continue;
    const family = familyOf(first.address);
    for (const v of inst.vips) {
      if (v.excluded || familyOf(v.address) === family) continue;
      diags.error('lvs-vip-mixed-family', [...v.path, 'address'], `${inst.label} mixes IPv${family} and IPv${familyOf(v.address)} VIPs (${first.address} and ${v.address})`, {
        expected: `IPv${family} VIPs only, like its first`,
        found: v.text,
        hint: 'keepalived refuses the other family in virtual_ipaddress: move it to vips_excluded (moved with the instance, not advertised), or make a second instance for it',
      });
    }
    for (const n of inst.nodes) {
      if (familyOf(n.unicastSrc) === family) continue;
      diags.error('lvs-vip-mixed-family', n.unicastSrcPath, `${inst.label} runs over IPv${family} but ${n.name}'s unicast source ${n.unicastSrc} is IPv${familyOf(n.unicastSrc)}`, {
        expected: `an IPv${family} address of ${n.name} on ${n.interface}`,
        found: n.unicastSrc,
      });
    }
  }
  for (const p of lvs.pairs) {
    for (const vs of p.virtualServers) {
      if (vs.id.kind !== 'address') continue;
      const family = familyOf(vs.id.address);
      for (const rs of vs.realServers) {
        if (familyOf(rs.address) === family) continue;
        diags.error('lvs-real-server-family', [...rs.path, 'address'], `real server ${rs.address} of virtual server ${vs.id.address} is of the other family`, {
          expected: `an IPv${family} real server (IPVS does not translate between IPv4 and IPv6)`,
          found: rs.address,
        });
      }
      if (vs.sorryServer && familyOf(vs.sorryServer.address) !== family) {
        diags.error('lvs-real-server-family', [...vs.path, 'sorry_server', 'address'], `sorry server ${vs.sorryServer.address} of virtual server ${vs.id.address} is of the other family`, {
          expected: `an IPv${family} sorry server`,
          found: vs.sorryServer.address,
        });
      }
    }
  }
}
