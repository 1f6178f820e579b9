// AwsSetupIntent -> <name>.iam-policy.json (the failover scripts' instance
// role), <name>.security-groups.json (ingress rules per node, in EC2's
// IpPermissions shape) and <name>.source-dest-check.sh. JSON files carry no
// comment: the policy's statement ids and the rules' top-level "vygen" key
// say whose they are.
import type { AwsSetupIntent, IngressRule } from './model.js';
import { awsFunctions, finish, template } from '../../targets/scripts/templates.js';

export function renderIamPolicy(a: AwsSetupIntent): string {
  const policy = {
    Version: '2012-10-17',
    Statement: a.policy.map((s) => ({
      Sid: s.sid,
      Effect: 'Allow',
      Action: s.actions,
      Resource: s.resources,
      ...(s.condition ? { Condition: s.condition } : {}),
    })),
  };
  return `${JSON.stringify(policy, null, 2)}\n`;
}

function permission(r: IngressRule) {
  const ports = r.from !== undefined ? { FromPort: r.from, ToPort: r.to ?? r.from } : {};
  // EC2 keeps the families apart: an IPv6 range goes under Ipv6Ranges as CidrIpv6.
  const range = r.cidr.includes(':') ? { Ipv6Ranges: [{ CidrIpv6: r.cidr, Description: r.description }] } : { IpRanges: [{ CidrIp: r.cidr, Description: r.description }] };
  return { IpProtocol: r.protocol, ...ports, ...range };
}

export function renderSecurityGroups(a: AwsSetupIntent, header: string): string {
  const doc = {
    vygen: header,
    Region: a.region,
    // Each node's list is what `aws ec2 authorize-security-group-ingress --ip-permissions` takes.
    Nodes: Object.fromEntries(a.ingress.map((n) => [n.device, { IpPermissions: n.rules.map(permission) }])),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function renderSourceDestCheck(a: AwsSetupIntent, header: string[]): string {
  const view = { header, logTag: `${a.name} source-dest-check`, region: a.region, forwarding: a.forwarding, functions: awsFunctions({ eip: false, routes: false }) };
  return finish(template('source-dest-check.sh')(view), 'source-dest-check.sh');
}
